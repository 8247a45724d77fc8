"""What the importers and exporters of other graders' notebooks share (interop_*.py).

An import turns a notebook written for nbgrader, otter-grader or Ordo into an Atrium
instructor notebook (``metadata.atrium.grader`` on its cells) and says what it had to change;
an export writes an Atrium notebook for nbgrader. Input that the other tool itself would not
accept, or that Atrium would read differently, is refused with the cell and the reason
(``InteropError``, a 422), never half converted. docs/instructor.md, "Import and export".
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..errors import AtriumError
from .analysis import WARNING, Finding, too_deep, too_large
from .data import LIMITS, METADATA_VERSION, json_type
from .lint import lint

LABELS = {
    "nbgrader": "nbgrader",
    "nbgrader-release": "nbgrader release",
    "otter": "otter-grader",
    "ordo": "Ordo",
}
CELL_TYPES = ("code", "markdown", "raw")


class InteropError(AtriumError):
    """The notebook cannot be converted; ``cell`` (0-based, None for the notebook) says where."""

    status = 422
    reason = "import-invalid"

    def __init__(self, what: str, cell: int | None, problem: str, *, reason: str) -> None:
        where = "the notebook" if cell is None else f"cell {cell + 1}"
        super().__init__(f"{what}: {where}: {problem}", reason=reason)
        self.cell = cell
        self.problem = problem
        self.payload = {"cell": cell, "problem": problem}


def import_error(fmt: str, cell: int | None, problem: str) -> InteropError:
    return InteropError(
        f"cannot import this {LABELS[fmt]} notebook", cell, problem, reason="import-invalid"
    )


def export_error(fmt: str, cell: int | None, problem: str) -> InteropError:
    return InteropError(
        f"cannot export this notebook for {LABELS[fmt]}", cell, problem, reason="export-invalid"
    )


@dataclass
class Converted:
    """A converted notebook and what the conversion (and, for imports, lint) has to say."""

    notebook: dict[str, Any]
    findings: list[Finding] = field(default_factory=list)

    def note(self, index: int | None, cell: dict[str, Any] | None, message: str) -> None:
        cell_id = cell.get("id") if cell is not None else None
        self.findings.append(
            Finding(
                "converted",
                WARNING,
                index,
                cell_id if isinstance(cell_id, str) else None,
                None,
                message,
            )
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "notebook": self.notebook,
            "findings": [finding.to_json() for finding in self.findings],
        }


def source_text(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return source if isinstance(source, str) else "".join(source)


def read_notebook(value: Any, refuse: Callable[[int | None, str], InteropError]) -> dict[str, Any]:
    """A deep copy of ``value`` with every cell's source as one string, once its structure is
    one a converter can walk; anything else is refused with the cell and the reason."""
    if not isinstance(value, dict):
        raise refuse(None, f"a notebook must be a JSON object, not {json_type(value)}")
    if too_large(value, LIMITS["notebookChars"]):
        raise refuse(None, f"the notebook holds more than {LIMITS['notebookChars']} characters")
    if too_deep(value, LIMITS["depth"] + 2):
        raise refuse(None, f"the notebook is nested more than {LIMITS['depth']} levels deep")
    metadata = value.get("metadata", {})
    if not isinstance(metadata, dict):
        raise refuse(None, f"the notebook's metadata must be an object, not {json_type(metadata)}")
    cells = value.get("cells")
    if not isinstance(cells, list):
        raise refuse(None, f"the notebook's cells must be a list, not {json_type(cells)}")
    if len(cells) > LIMITS["cells"]:
        raise refuse(None, f"the notebook has more than {LIMITS['cells']} cells")
    for index, cell in enumerate(cells):
        if not isinstance(cell, dict):
            raise refuse(index, f"a cell must be an object, not {json_type(cell)}")
        if cell.get("cell_type") not in CELL_TYPES:
            raise refuse(index, "cell_type must be code, markdown or raw")
        source = cell.get("source", "")
        if not isinstance(source, str) and not (
            isinstance(source, list) and all(isinstance(part, str) for part in source)
        ):
            raise refuse(index, "source must be a string or a list of strings")
        if not isinstance(cell.get("metadata", {}), dict):
            kind = json_type(cell.get("metadata"))
            raise refuse(index, f"metadata must be an object, not {kind}")
    notebook = copy.deepcopy(value)
    notebook.setdefault("metadata", {})
    for cell in notebook["cells"]:
        cell["source"] = source_text(cell)
        cell.setdefault("metadata", {})
    return notebook


def set_grader(
    cell: dict[str, Any],
    grader: dict[str, Any] | None,
    index: int,
    refuse: Callable[[int | None, str], InteropError],
) -> None:
    """Put ``grader`` (with the current version) in the cell's ``metadata.atrium.grader``;
    None removes it (and an ``atrium`` object left empty)."""
    metadata = cell["metadata"]
    atrium = metadata.get("atrium", {})
    if not isinstance(atrium, dict):
        raise refuse(index, f"metadata.atrium must be an object, not {json_type(atrium)}")
    if grader is None:
        atrium.pop("grader", None)
        if not atrium:
            metadata.pop("atrium", None)
        return
    metadata["atrium"] = {**atrium, "grader": {"version": METADATA_VERSION, **grader}}


def finish_import(converted: Converted) -> Converted:
    """Lint's findings follow the conversion's: what the instructor should look at next."""
    converted.findings.extend(lint(converted.notebook))
    return converted
