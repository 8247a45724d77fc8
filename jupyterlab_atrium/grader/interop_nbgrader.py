"""nbgrader source notebooks in and out, and the student version as an nbgrader release.

nbgrader keeps ``metadata.nbgrader`` on each cell (schema version 3: ``grade``, ``solution``,
``locked``, ``task``, ``grade_id``, ``points``) and marks regions with the same
``### BEGIN SOLUTION`` / ``### BEGIN HIDDEN TESTS`` lines as Atrium. On import each cell's
flags give its role; the nbgrader metadata stays on the cell (without the release-only
``checksum`` and ``cell_type``), so an export writes back exactly what came in for every cell
whose role was not changed in Atrium. The checksum is nbgrader's own
(``nbgrader.utils.compute_checksum``), so ``nbgrader validate`` and ``autograde`` read the
release as one ``nbgrader generate_assignment`` made.
"""

from __future__ import annotations

import copy
import hashlib
import re
from typing import Any

from .analysis import analyse
from .data import CODE_STUBS, EXERCISE_ID, LIMITS, is_number, json_type
from .interop import (
    Converted,
    InteropError,
    export_error,
    finish_import,
    import_error,
    read_notebook,
    set_grader,
    source_text,
)
from .interop_ordo import is_ordo, ordo_problem, take_ordo
from .lint import lint
from .markers import parse
from .student import build

SCHEMA_VERSION = 3
FLAGS = ("grade", "solution", "locked")
KEYS = ("schema_version", *FLAGS, "task", "grade_id", "points", "checksum", "cell_type")
#: Written by ``generate_assignment`` for the release only; recomputed on export.
RELEASE_KEYS = ("checksum", "cell_type")
GRADE_ID = re.compile(r"[a-zA-Z0-9_\-]*")
#: What nbgrader's ClearSolutions and ClearHiddenTests take for a marker: any line containing
#: one of these (Atrium wants the marker alone on its line, so such lines are refused).
DELIMITERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
#: The lint rules whose findings mean the markers are broken: refused on import and export.
MARKER_RULES = frozenset({"nested-marker", "unmatched-end", "unclosed-marker", "misplaced-marker"})


# --- nbgrader's own rules ------------------------------------------------------------------


def _is_locked(meta: dict[str, Any]) -> Any:
    # nbgrader.utils.is_locked: solution cells never, grade cells always, else the flag.
    if meta.get("solution", False):
        return False
    if meta.get("grade", False):
        return True
    return meta.get("locked", False)


def compute_checksum(cell: dict[str, Any]) -> str:
    """nbgrader.utils.compute_checksum, on a cell as JSON (source as a string or a list)."""
    meta = cell["metadata"]["nbgrader"]
    digest = hashlib.md5(usedforsecurity=False)
    parts = [
        source_text(cell),
        cell["cell_type"],
        str(meta.get("grade", False)),
        str(meta.get("solution", False)),
        str(_is_locked(meta)),
        meta["grade_id"],
    ]
    if meta.get("grade", False):
        parts.append(str(float(meta["points"])))
    for part in parts:
        digest.update(part.encode("utf-8"))
    return digest.hexdigest()


def _meta_problem(cell: dict[str, Any]) -> str | None:
    """What nbgrader's MetadataValidatorV3 (and its JSON schema) would refuse in a cell."""
    meta = cell["metadata"]["nbgrader"]
    if not isinstance(meta, dict):
        return f"metadata.nbgrader must be an object, not {json_type(meta)}"
    version = meta.get("schema_version")
    if version != SCHEMA_VERSION or isinstance(version, bool):
        told = "missing" if version is None else f"{str(version)[:20]}, not {SCHEMA_VERSION}"
        return (
            f"metadata.nbgrader.schema_version is {told}: Atrium reads nbgrader's schema "
            f"version {SCHEMA_VERSION} (nbgrader update upgrades older notebooks)"
        )
    for key in sorted(meta):
        if key not in KEYS:
            return f'metadata.nbgrader has an unknown field "{key}"'
    for key in (*FLAGS, "task"):
        if (key in FLAGS or key in meta) and not isinstance(meta.get(key), bool):
            return f"metadata.nbgrader.{key} must be true or false, not {json_type(meta.get(key))}"
    grade_id = meta.get("grade_id")
    flagged = any(meta[key] for key in FLAGS)
    if "grade_id" in meta and (not isinstance(grade_id, str) or not GRADE_ID.fullmatch(grade_id)):
        return "metadata.nbgrader.grade_id must be letters, digits, _ or -"
    if flagged and not grade_id:
        return "metadata.nbgrader.grade_id is missing or empty"
    if flagged and not EXERCISE_ID.fullmatch(grade_id):
        return f'metadata.nbgrader.grade_id "{grade_id[:80]}" is longer than 64 characters'
    if "points" in meta:
        points = meta["points"]
        if not is_number(points) or points < 0 or points > LIMITS["points"]:
            return f"metadata.nbgrader.points must be a number from 0 to {LIMITS['points']}"
    elif meta["grade"]:
        return f'grade cell "{grade_id}" has no metadata.nbgrader.points'
    markdown = cell["cell_type"] == "markdown"
    if meta.get("task", False):
        if not markdown:
            return "a task cell must be a Markdown cell"
    elif markdown and meta["grade"] != meta["solution"]:
        return "a Markdown cell that is graded must be both a grade and a solution cell"
    return None


def _marker_problem(source: str, meta: dict[str, Any]) -> tuple[int, str] | None:
    """(0-based line, why) when nbgrader and Atrium would read the cell's markers differently,
    or when nbgrader itself refuses them."""
    parsed = parse(source)
    for number, line in enumerate(parsed.lines):
        found = next((word for word in DELIMITERS if word in line), None)
        if found is not None and number not in parsed.markers:
            return number, (
                f'nbgrader reads this line as a marker (it contains "{found}") but it is not '
                f"one: put the marker alone on its line as a comment, e.g. ### {found}"
            )
    if parsed.problems:
        # A nested or stray marker explains an unclosed region, so it is named first.
        problem = min(parsed.problems, key=lambda p: (p.rule == "unclosed-marker", p.line))
        return problem.line, problem.message
    kinds = {marker.kind for marker in parsed.markers.values()}
    if "SOLUTION" in kinds and not meta.get("solution", False):
        first = parsed.first_marker("SOLUTION")
        return first.line, "a solution region in a cell that is not a solution cell"
    if "HIDDEN TESTS" in kinds and not meta.get("grade", False):
        first = parsed.first_marker("HIDDEN TESTS")
        return first.line, "a hidden-test region in a cell that is not a grade cell"
    return None


# --- import --------------------------------------------------------------------------------


def _role(meta: dict[str, Any]) -> str | None:
    """The Atrium role an nbgrader cell of these flags has."""
    if meta.get("task", False):
        return "instructions"
    if meta["solution"]:
        return "manual" if meta["grade"] else "answer"
    if meta["grade"]:
        return "tests"
    return "instructions" if meta["locked"] else None


def import_nbgrader(value: Any, fmt: str = "nbgrader") -> Converted:
    """An nbgrader source notebook (Ordo's ``ordo_solution`` cells too) as an Atrium one."""

    def refuse(cell: int | None, problem: str) -> InteropError:
        return import_error(fmt, cell, problem)

    notebook = read_notebook(value, refuse)
    converted = Converted(notebook)
    owners: dict[str, int] = {}
    exercise: str | None = None  # the answer a following tests cell belongs to
    ordo_count = 0
    for index, cell in enumerate(notebook["cells"]):
        metadata = cell["metadata"]
        meta = metadata.get("nbgrader")
        if meta is not None:
            problem = _meta_problem(cell)
            if problem is not None:
                raise refuse(index, problem)
            if any(meta[key] for key in FLAGS):
                first = owners.setdefault(meta["grade_id"], index)
                if first != index:
                    raise refuse(
                        index, f'grade_id "{meta["grade_id"]}" is also the id of cell {first + 1}'
                    )
            for key in RELEASE_KEYS:
                meta.pop(key, None)
        marker = _marker_problem(cell["source"], meta or {})
        if marker is not None:
            line, problem = marker
            raise refuse(index, f"line {line + 1}: {problem}")
        if is_ordo(cell):
            problem = ordo_problem(cell)
            if problem is not None:
                raise refuse(index, problem)
            ordo_count += 1
            expected, dropped = take_ordo(cell)
            exercise = meta["grade_id"] if meta and meta["grade_id"] else f"ordo-{ordo_count}"
            grader: dict[str, Any] = {
                "role": "expected-output",
                "exercise": exercise,
                "expected": expected,
            }
            if meta and meta["grade"]:
                grader["points"] = meta["points"]
            set_grader(cell, grader, index, refuse)
            if dropped:
                converted.note(
                    index,
                    cell,
                    f"{' and '.join(dropped)} not kept: an Atrium expected-output check says "
                    "only whether the output matched",
                )
            continue
        role = _role(meta) if meta is not None else None
        if role is None:
            continue
        grader = {"role": role}
        if role in ("answer", "manual"):
            exercise = meta["grade_id"]
            grader["exercise"] = exercise
        elif role == "tests":
            grader["exercise"] = exercise or meta["grade_id"]
        if role in ("tests", "manual"):
            grader["points"] = meta["points"]
        if meta.get("task", False) and meta.get("points"):
            converted.note(
                index,
                cell,
                f'task cell "{meta["grade_id"]}" is worth {meta["points"]} points graded by '
                "hand in nbgrader: Atrium shows it as instructions and counts no points for it "
                "(an export to nbgrader keeps them)",
            )
        set_grader(cell, grader, index, refuse)
    return finish_import(converted)


# --- export --------------------------------------------------------------------------------


def _opener(language: str) -> str:
    stub = CODE_STUBS.get(language, CODE_STUBS["python"])
    opener = stub[0].split(" ", 1)[0]
    return "###" if opener == "#" else opener


def _fresh_id(wanted: str, taken: set[str]) -> str:
    grade_id = wanted[:60]
    number = 1
    while grade_id in taken:
        number += 1
        grade_id = f"{wanted[:56]}-{number}"
    taken.add(grade_id)
    return grade_id


def _derived(role: str, grader: dict[str, Any]) -> dict[str, Any]:
    """nbgrader flags (without grade_id) for an Atrium role."""
    grade = role in ("tests", "manual", "expected-output")
    solution = role in ("answer", "manual", "expected-output")
    meta: dict[str, Any] = {
        "grade": grade,
        "grade_id": "",
        "locked": role in ("tests", "instructions"),
        "schema_version": SCHEMA_VERSION,
        "solution": solution,
    }
    if grade:
        meta["points"] = grader.get("points", 0)
    return meta


def _prepare(value: Any, fmt: str) -> tuple[dict[str, Any], dict[int, dict[str, Any]], Converted]:
    """The instructor notebook as nbgrader sees it: every graded cell's nbgrader metadata
    (by cell index), hidden tests cells wrapped in hidden-test markers, expected-output cells
    as manually graded answers. Refuses a notebook whose markers are broken or that lint
    finds an error in (nbgrader would not make a release of it, or would leak)."""

    def refuse(cell: int | None, problem: str) -> InteropError:
        return export_error(fmt, cell, problem)

    notebook = read_notebook(value, refuse)
    errors = [finding for finding in lint(notebook) if finding.severity == "error"]
    if errors:
        raise refuse(errors[0].cell, f"{errors[0].message} (lint: {errors[0].rule})")
    analysis = analyse(notebook)
    converted = Converted(notebook)
    metas: dict[int, dict[str, Any]] = {}
    roles: dict[int, str] = {}
    # Kept nbgrader metadata whose role is unchanged is written back as it came in.
    for info in analysis.cells:
        kept = info.cell["metadata"].get("nbgrader")
        if info.role is None:
            if isinstance(kept, dict) and not any(kept.get(key) for key in FLAGS):
                metas[info.index] = {k: v for k, v in kept.items() if k not in RELEASE_KEYS}
            continue
        roles[info.index] = info.role
        if isinstance(kept, dict) and _meta_problem(info.cell) is None and _role(kept) == info.role:
            metas[info.index] = {k: v for k, v in kept.items() if k not in RELEASE_KEYS}
            if "points" in info.grader:
                metas[info.index]["points"] = info.grader["points"]
    taken = {meta["grade_id"] for meta in metas.values() if meta.get("grade_id")}
    opener = _opener(analysis.language)
    for info in analysis.cells:
        role = roles.get(info.index)
        if role is None or info.index in metas:
            continue
        meta = _derived(role, info.grader)
        if role in ("answer", "manual", "expected-output"):
            wanted = info.exercise
        elif role == "tests":
            wanted = f"{info.exercise}-tests"
        else:
            cell_id = info.cell_id or ""
            wanted = cell_id if EXERCISE_ID.fullmatch(cell_id) else f"cell-{info.index + 1}"
        meta["grade_id"] = _fresh_id(wanted, taken)
        metas[info.index] = meta
    for info in analysis.cells:
        cell = info.cell
        if info.role == "tests" and info.grader.get("hidden") is True:
            body = cell["source"].rstrip("\n")
            cell["source"] = f"{opener} BEGIN HIDDEN TESTS\n{body}\n{opener} END HIDDEN TESTS"
            grader = {k: v for k, v in info.grader.items() if k not in ("hidden", "version")}
            set_grader(cell, grader, info.index, refuse)
        elif info.role == "expected-output":
            converted.note(
                info.index,
                cell,
                f'expected-output exercise "{info.exercise}" becomes a manually graded answer: '
                "nbgrader has no expected-output check",
            )
        elif info.role == "answer" and info.cell_type == "markdown":
            metas[info.index] = {**metas[info.index], "grade": True, "points": 0}
            converted.note(
                info.index,
                cell,
                "a Markdown answer becomes a manually graded answer worth 0 points: nbgrader "
                "grades Markdown answers by hand only",
            )
        elif info.role == "notes":
            converted.note(
                info.index, cell, "instructor notes are left out: nbgrader has no cell for them"
            )
    return notebook, metas, converted


def _with_nbgrader(cell: dict[str, Any], meta: dict[str, Any] | None) -> dict[str, Any]:
    out = copy.deepcopy(cell)
    metadata = out["metadata"]
    metadata.pop("nbgrader", None)
    if meta is not None:
        metadata["nbgrader"] = copy.deepcopy(meta)
    return out


def export_nbgrader(value: Any) -> Converted:
    """The instructor notebook as an nbgrader source notebook (Atrium's metadata removed)."""
    notebook, metas, converted = _prepare(value, "nbgrader")
    analysis = analyse(notebook)
    cells = []
    for info in analysis.cells:
        if info.role == "notes":
            continue
        cell = _with_nbgrader(info.cell, metas.get(info.index))
        set_grader(cell, None, info.index, lambda i, p: export_error("nbgrader", i, p))
        cells.append(cell)
    notebook["cells"] = cells
    atrium = notebook["metadata"].get("atrium")
    if isinstance(atrium, dict):
        atrium.pop("grader", None)
        if not atrium:
            notebook["metadata"].pop("atrium")
    converted.notebook = notebook
    return converted


def export_nbgrader_release(value: Any) -> Converted:
    """The student version with nbgrader's release metadata (checksums included): what
    ``nbgrader generate_assignment`` would hand out for the exported source notebook."""
    notebook, metas, converted = _prepare(value, "nbgrader-release")
    built = build(analyse(notebook))
    for index, cell in built.cells:
        meta = metas.get(index)
        if meta is None or not any(meta.get(key) for key in FLAGS):
            continue
        release = {k: v for k, v in meta.items() if k not in RELEASE_KEYS}
        cell["metadata"]["nbgrader"] = release
        release["checksum"] = compute_checksum(cell)
        release["cell_type"] = cell["cell_type"]
        if release["solution"]:
            cell["metadata"]["deletable"] = False
        elif release["grade"] or release["locked"]:
            cell["metadata"]["deletable"] = False
            cell["metadata"]["editable"] = False
    converted.notebook = built.notebook
    return converted
