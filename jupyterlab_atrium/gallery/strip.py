"""The strip contract on the service side: strip, check and parse notebooks.

The browser strips a notebook before it uploads it (``src/gallery/strip.ts``); the service
checks every notebook it receives with :func:`check_stripped` and refuses one that still
carries outputs, widget state, execution counts or anything else the contract removes. Bulk
import strips on the server with :func:`strip_notebook`. Both languages read the same rule
file (``strip-rules.json``) and are held to the same fixtures (``tests/fixtures/strip``).

The strip builds a new notebook from what it keeps: outputs are counted, never copied or
serialised, so its cost follows what is kept.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import AtriumError
from .rules import MAX_DEPTH, STRIP_RULES, MetadataRule, RuleNode, StripRules, empty_report

MiB = 1024 * 1024

#: The admin's default limit on a notebook's size after stripping.
DEFAULT_MAX_BYTES = 16 * MiB

#: Uploads larger than this many times the limit are refused before they are parsed: the
#: browser strips before sending, so only a file with its outputs can be that large.
RAW_CEILING_FACTOR = 4

CELL_TYPES = frozenset({"code", "markdown", "raw"})

_CELL_FIELDS = frozenset(
    {"attachments", "cell_type", "execution_count", "id", "metadata", "outputs", "source"}
)
_ALWAYS_KEPT = frozenset({"cell_type", "metadata", "source"})

_METADATA_PHRASES = {
    "widgetState": "widget state",
    "timingMetadata": "execution timing metadata",
    "viewState": "view state",
    "galleryLink": "its gallery link",
    "policyMetadata": "metadata the gallery policy removes",
}


class NotebookRejected(AtriumError):
    """An upload the service refuses; ``message`` is shown to the user in the publish dialog.

    ``status``: 400 (not a notebook Atrium reads), 413 (too large), 422 (not stripped).
    """

    def __init__(self, status: int, reason: str, message: str) -> None:
        super().__init__(message, status=status, reason=reason)


def _too_deep() -> NotebookRejected:
    return NotebookRejected(
        400, "too-deep", f"The notebook's metadata is nested more than {MAX_DEPTH} levels deep."
    )


@dataclass(frozen=True)
class Problem:
    """Something a stripped notebook must not carry, at ``path`` (e.g. ``cells[3].outputs``)."""

    path: str
    kind: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"path": self.path, "kind": self.kind, "message": self.message}


def _not_a_notebook(detail: str) -> NotebookRejected:
    return NotebookRejected(
        400, "not-a-notebook", f"This file is not a Jupyter notebook: {detail}."
    )


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def ensure_readable(nb: Any, rules: StripRules = STRIP_RULES) -> None:
    """Raise :class:`NotebookRejected` (400) unless ``nb`` is a notebook of the nbformat major
    version the rules are written for, with its cells where that version keeps them.

    The strip and the check call this first: an nbformat 2 or 3 notebook keeps its cells in
    ``worksheets``, and reading it as nbformat 4 would publish no cells at all. JupyterLab
    converts such a notebook when it opens it, so the remedy is to open and save it there.
    The browser applies the same rule (``ensureReadable`` in ``src/gallery/rules.ts``).
    """
    if not isinstance(nb, dict):
        kind = "a JSON list" if isinstance(nb, list) else f"a JSON {type(nb).__name__}"
        raise _not_a_notebook(f"it is {kind}, not an object")
    version = nb.get("nbformat")
    if not _is_int(version):
        raise _not_a_notebook("it has no nbformat version")
    if version < rules.nbformat:
        raise NotebookRejected(
            400,
            "old-nbformat",
            f"This notebook uses nbformat {version}; the gallery accepts nbformat "
            f"{rules.nbformat}. Open it in JupyterLab and save it, which converts it.",
        )
    if version > rules.nbformat:
        raise NotebookRejected(
            400,
            "unsupported-nbformat",
            f"This notebook uses nbformat {version}, which this version of Atrium does not read.",
        )
    cells = nb.get("cells")
    if not isinstance(cells, list):
        raise _not_a_notebook("its cells are not a list")
    for index, cell in enumerate(cells):
        if not isinstance(cell, dict):
            raise _not_a_notebook(f"cell {index + 1} is not an object")


# --- strip ------------------------------------------------------------------------------


def copy_json(value: Any, depth: int = 1) -> Any:
    """A deep copy of a kept JSON value; only kept data comes here, never an output."""
    if isinstance(value, dict):
        if depth > MAX_DEPTH:
            raise _too_deep()
        return {key: copy_json(item, depth + 1) for key, item in value.items()}
    if isinstance(value, list):
        if depth > MAX_DEPTH:
            raise _too_deep()
        return [copy_json(item, depth + 1) for item in value]
    return value


def strip_metadata(
    source: Mapping[str, Any], rules: dict[str, RuleNode], report: dict[str, int], depth: int = 1
) -> dict[str, Any]:
    """A metadata object without what the rules remove; a parent object a removal leaves
    empty goes too."""
    kept: dict[str, Any] = {}
    for key, value in source.items():
        rule = rules.get(key)
        if rule is not None and rule.remove:
            report[rule.remove] += 1
            continue
        if rule is not None and rule.children and isinstance(value, dict):
            inner = strip_metadata(value, rule.children, report, depth + 1)
            if not inner and value:
                continue
            kept[key] = inner
        else:
            kept[key] = copy_json(value, depth + 1)
    return kept


def _strip_cell(
    cell: dict[str, Any], allow_attachments: bool, report: dict[str, int], rules: StripRules
) -> dict[str, Any]:
    cell_type = cell.get("cell_type")
    cell_type = cell_type if isinstance(cell_type, str) else ""
    fields = rules.fields_for(cell_type)
    out: dict[str, Any] = {"cell_type": cell_type}
    if "id" in cell:
        if "id" in fields:
            out["id"] = copy_json(cell["id"])
        else:
            report["otherFields"] += 1
    metadata = cell.get("metadata")
    out["metadata"] = strip_metadata(
        metadata if isinstance(metadata, dict) else {}, rules.cell_tree, report
    )
    source = cell.get("source")
    out["source"] = copy_json("" if source is None else source)
    if "attachments" in cell:
        attachments = cell["attachments"]
        if "attachments" not in fields:
            report["otherFields"] += 1
        elif allow_attachments:
            out["attachments"] = copy_json(attachments)
        elif isinstance(attachments, dict):
            report["attachments"] += len(attachments)
    if "outputs" in fields:
        out["outputs"] = []
        outputs = cell.get("outputs")
        report["outputs"] += len(outputs) if isinstance(outputs, list) else 0
    elif "outputs" in cell:
        report["otherFields"] += 1
    if "execution_count" in fields:
        out["execution_count"] = None
        if cell.get("execution_count") is not None:
            report["executionCounts"] += 1
    elif "execution_count" in cell:
        report["otherFields"] += 1
    report["otherFields"] += sum(1 for key in cell if key not in _CELL_FIELDS)
    return out


def strip_notebook(
    nb: dict[str, Any], *, allow_attachments: bool = False, rules: StripRules = STRIP_RULES
) -> tuple[dict[str, Any], dict[str, int]]:
    """The notebook as it may be published, and a report of what was removed.

    The result is new; ``nb`` is not changed. The report counts output items, execution
    counts, metadata entries by kind, attachment files and fields nbformat 4 does not define
    (keys as in ``src/gallery/rules.ts``). Raises :class:`NotebookRejected` (400) for a
    notebook :func:`ensure_readable` refuses and for metadata nested deeper than the limit.
    """
    ensure_readable(nb, rules)
    report = empty_report()
    metadata = nb.get("metadata")
    out: dict[str, Any] = {}
    stripped_metadata = strip_metadata(
        metadata if isinstance(metadata, dict) else {}, rules.notebook_tree, report
    )
    out["cells"] = [_strip_cell(cell, allow_attachments, report, rules) for cell in nb["cells"]]
    out["metadata"] = stripped_metadata
    for key in ("nbformat", "nbformat_minor"):
        if key in nb:
            out[key] = copy_json(nb[key])
    report["otherFields"] += sum(1 for key in nb if key not in rules.notebook_fields)
    return out, report


# --- check ------------------------------------------------------------------------------


def _has_path(metadata: Any, path: tuple[str, ...]) -> bool:
    level = metadata
    for key in path:
        if not isinstance(level, dict) or key not in level:
            return False
        level = level[key]
    return True


def _metadata_problems(
    metadata: Any, rules: tuple[MetadataRule, ...], prefix: str, where: str
) -> list[Problem]:
    if not isinstance(metadata, dict):
        return []
    problems = []
    for rule in rules:
        if _has_path(metadata, rule.path):
            path = "metadata." + ".".join(rule.path)
            phrase = _METADATA_PHRASES[rule.kind]
            problems.append(
                Problem(prefix + path, rule.kind, f"{where} still has {phrase} ({path}).")
            )
    return problems


def _other_field(path: str, where: str, key: str) -> Problem:
    return Problem(
        path, "otherFields", f"{where} has a field nbformat 4 does not define there ({key})."
    )


def _cell_problems(
    cell: dict[str, Any], index: int, allow_attachments: bool, rules: StripRules
) -> list[Problem]:
    prefix = f"cells[{index}]."
    where = f"Cell {index + 1}"
    cell_type = cell.get("cell_type")
    fields = rules.fields_for(cell_type if isinstance(cell_type, str) else "")
    problems = []
    if "outputs" in fields and "outputs" in cell and cell["outputs"] != []:
        outputs = cell["outputs"]
        count = len(outputs) if isinstance(outputs, list) else 0
        message = (
            f"{where} still has {count} output{'' if count == 1 else 's'}."
            if count
            else f"{where} still has outputs."
        )
        problems.append(Problem(prefix + "outputs", "outputs", message))
    if "execution_count" in fields and cell.get("execution_count") is not None:
        problems.append(
            Problem(
                prefix + "execution_count",
                "executionCounts",
                f"{where} still has an execution count.",
            )
        )
    if "attachments" in fields and "attachments" in cell and not allow_attachments:
        problems.append(
            Problem(
                prefix + "attachments",
                "attachments",
                f"{where} still has attachments; this gallery does not accept them.",
            )
        )
    for key in sorted(cell):
        if key not in fields and key not in _ALWAYS_KEPT:
            problems.append(_other_field(prefix + key, where, key))
    problems.extend(_metadata_problems(cell.get("metadata"), rules.cell_metadata, prefix, where))
    return problems


def check_stripped(
    nb: dict[str, Any], *, allow_attachments: bool = False, rules: StripRules = STRIP_RULES
) -> list[Problem]:
    """Everything the strip contract removes that is still in ``nb``; empty when stripped.

    The same rule as the browser's ``checkStripped``, in the same order. Raises
    :class:`NotebookRejected` (400) for a notebook :func:`ensure_readable` refuses.
    """
    ensure_readable(nb, rules)
    problems = [
        _other_field(key, "The notebook", key)
        for key in sorted(nb)
        if key not in rules.notebook_fields
    ]
    problems.extend(
        _metadata_problems(nb.get("metadata"), rules.notebook_metadata, "", "The notebook")
    )
    for index, cell in enumerate(nb["cells"]):
        problems.extend(_cell_problems(cell, index, allow_attachments, rules))
    return problems


#: How many problems a 422 message lists before it says "and N more".
SHOWN_PROBLEMS = 5


def ensure_stripped(nb: dict[str, Any], *, allow_attachments: bool = False) -> None:
    """Raise :class:`NotebookRejected` (422) if ``nb`` still carries what the strip removes."""
    problems = check_stripped(nb, allow_attachments=allow_attachments)
    if not problems:
        return
    listed = " ".join(problem.message for problem in problems[:SHOWN_PROBLEMS])
    more = len(problems) - SHOWN_PROBLEMS
    if more > 0:
        listed += f" And {more} more."
    raise NotebookRejected(
        422,
        "not-stripped",
        "Notebooks are published without their outputs, and this one still carries data "
        f"that must not leave your server: {listed} Publish it from JupyterLab, which "
        "removes all of it first.",
    )


# --- parse ------------------------------------------------------------------------------


def serialize_notebook(nb: dict[str, Any]) -> bytes:
    """The notebook as nbformat writes it to disk (the fixtures' form, byte for byte)."""
    return (json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def notebook_size(nb: dict[str, Any]) -> int:
    """What the size limit counts: the notebook as compact UTF-8 JSON.

    Compact rather than as written to disk: Python's C encoder only does compact JSON (with
    an indent it falls back to pure Python, several times slower), and the figure does not
    depend on indentation.
    """
    return len(json.dumps(nb, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def _mib(size: int) -> str:
    return f"{size / MiB:.1f} MiB"


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _validate_shape(nb: Any) -> None:
    ensure_readable(nb)
    if not _is_int(nb.get("nbformat_minor")) or nb["nbformat_minor"] < 0:
        raise _not_a_notebook("it has no valid nbformat_minor")
    if not isinstance(nb.get("metadata"), dict):
        raise _not_a_notebook("its metadata is not an object")
    for index, cell in enumerate(nb["cells"]):
        where = f"cell {index + 1}"
        cell_type = cell.get("cell_type")
        # Not a string (an object or list cannot even be looked up in a set): no cell type.
        if not isinstance(cell_type, str) or cell_type not in CELL_TYPES:
            raise _not_a_notebook(f"{where} has an unknown cell type")
        source = cell.get("source")
        if not (
            isinstance(source, str)
            or (isinstance(source, list) and all(isinstance(line, str) for line in source))
        ):
            raise _not_a_notebook(f"the source of {where} is not text")
        if not isinstance(cell.get("metadata"), dict):
            raise _not_a_notebook(f"the metadata of {where} is not an object")


def parse_notebook(
    raw: bytes,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_raw_bytes: int | None = None,
    allow_attachments: bool = False,
) -> dict[str, Any]:
    """Parse an uploaded notebook, or raise :class:`NotebookRejected` with a message for the user.

    400: not UTF-8 JSON, not an nbformat 4 notebook, or nested too deeply. 413: larger than
    ``max_bytes`` once stripped (as :func:`notebook_size` counts), or larger than
    ``max_raw_bytes`` (default: four times ``max_bytes``) as uploaded, which is refused unread.
    Returns the notebook as uploaded: the caller checks it (:func:`ensure_stripped`) or
    strips it (bulk import).
    """
    ceiling = max_raw_bytes if max_raw_bytes is not None else RAW_CEILING_FACTOR * max_bytes
    if len(raw) > ceiling:
        raise NotebookRejected(
            413,
            "too-large",
            f"The upload is {_mib(len(raw))}; the gallery does not read uploads over "
            f"{_mib(ceiling)}, and accepts notebooks up to {_mib(max_bytes)} without outputs.",
        )
    try:
        text = bytes(raw).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise NotebookRejected(400, "invalid-json", "The notebook is not UTF-8 text.") from None
    try:
        nb = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise NotebookRejected(
            400,
            "invalid-json",
            f"The notebook is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}).",
        ) from None
    except ValueError as exc:  # NaN / Infinity, which JSON does not have
        raise NotebookRejected(
            400, "invalid-json", f"The notebook is not valid JSON ({exc})."
        ) from None
    except RecursionError:
        raise NotebookRejected(
            400, "too-deep", "The notebook is nested too deeply to be read."
        ) from None
    _validate_shape(nb)
    stripped, _ = strip_notebook(nb, allow_attachments=allow_attachments)
    try:
        size = notebook_size(stripped)
    except UnicodeEncodeError:
        raise NotebookRejected(
            400, "invalid-json", "The notebook contains text that is not valid Unicode."
        ) from None
    if size > max_bytes:
        raise NotebookRejected(
            413,
            "too-large",
            f"The notebook is {_mib(size)} without its outputs; the gallery accepts at most "
            f"{_mib(max_bytes)}.",
        )
    return nb
