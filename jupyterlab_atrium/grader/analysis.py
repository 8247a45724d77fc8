"""Reading an instructor notebook: its structure, each cell's grader metadata and markers.

Everything here and in the lint rules has a twin in src/grader/rules/ that must give the same
findings on tests/fixtures/grader/ (same rule ids, positions and messages).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..errors import AtriumError
from .data import DEFAULT_LANGUAGE, LIMITS, json_type, utf16_len
from .markers import Parsed, parse
from .metadata import cell_problems, notebook_problems

ERROR = "error"
WARNING = "warning"
#: Findings that leave the notebook unreadable: no student version can be made.
BLOCKING = frozenset({"notebook-invalid", "cell-invalid", "metadata-invalid"})


class GraderError(AtriumError):
    """The notebook cannot be turned into a student version; the message says where and why."""

    status = 400
    reason = "grader-invalid"


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    cell: int | None  # 0-based index in the instructor notebook; None for the notebook
    cell_id: str | None
    line: int | None  # 1-based line of the cell's source
    message: str

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "cell": self.cell,
            "cellId": self.cell_id,
            "line": self.line,
            "message": self.message,
        }

    def describe(self) -> str:
        where = "the notebook" if self.cell is None else f"cell {self.cell + 1}"
        if self.line is not None:
            where += f", line {self.line}"
        return f"{where}: {self.message}"


@dataclass
class CellInfo:
    index: int
    cell: dict[str, Any]
    cell_id: str | None
    cell_type: str
    source: str
    grader: dict[str, Any] | None  # None when the cell has none, or when it is invalid
    grader_valid: bool
    parsed: Parsed

    @property
    def role(self) -> str | None:
        return self.grader["role"] if self.grader is not None else None

    @property
    def exercise(self) -> str | None:
        return self.grader.get("exercise") if self.grader is not None else None


@dataclass
class Analysis:
    notebook: dict[str, Any]
    language: str
    notebook_grader: dict[str, Any] | None
    cells: list[CellInfo] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def blocked(self) -> bool:
        return any(finding.rule in BLOCKING for finding in self.findings)

    def invalid(self, message: str) -> None:
        """A problem with the notebook as a whole."""
        self.add("notebook-invalid", ERROR, None, None, message)

    def add(self, rule: str, severity: str, info: CellInfo | None, line: int | None, message: str):
        self.findings.append(
            Finding(
                rule,
                severity,
                None if info is None else info.index,
                None if info is None else info.cell_id,
                line,
                message,
            )
        )


def _language(metadata: dict[str, Any]) -> str:
    for key, name in (("kernelspec", "language"), ("language_info", "name")):
        value = metadata.get(key)
        if isinstance(value, dict) and isinstance(value.get(name), str) and value[name]:
            return value[name].lower()
    return DEFAULT_LANGUAGE


def too_deep(value: Any, limit: int) -> bool:
    """Whether objects and arrays nest deeper than ``limit`` (the value itself is level 1);
    checked before anything recurses into a cell, so hostile nesting is a finding, not a crash."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return False


def too_large(value: Any, limit: int) -> bool:
    """Whether the strings in a JSON value (keys too) add up to more than ``limit`` UTF-16
    units; stops as soon as they do."""
    total = 0
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            total += utf16_len(item)
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            for key, child in item.items():
                total += utf16_len(key)
                stack.append(child)
        if total > limit:
            return True
    return False


def _source(value: Any) -> str | None:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(part, str) for part in value):
        return "".join(value)
    return None


def _grader_of(metadata: dict[str, Any]) -> tuple[bool, Any, str | None]:
    """(present, value, problem) for ``metadata.atrium.grader``."""
    atrium = metadata.get("atrium")
    if atrium is None:
        return False, None, None
    if not isinstance(atrium, dict):
        return True, None, f"metadata.atrium must be an object, not {json_type(atrium)}"
    if "grader" not in atrium:
        return False, None, None
    return True, atrium["grader"], None


def _read_grader(
    analysis: Analysis,
    info: CellInfo | None,
    metadata: dict[str, Any],
    problems_of: Callable[[Any], list[str]],
) -> tuple[bool, dict[str, Any] | None]:
    """(valid, the grader metadata if any and valid); what is wrong becomes findings."""
    present, grader, problem = _grader_of(metadata)
    problems = [problem] if problem is not None else problems_of(grader) if present else []
    for message in problems:
        analysis.add("metadata-invalid", ERROR, info, None, message)
    if problems or not present:
        return not problems, None
    return True, grader


def _placeholder(index: int, cell: Any) -> CellInfo:
    cell_id = cell.get("id") if isinstance(cell, dict) else None
    return CellInfo(
        index,
        cell if isinstance(cell, dict) else {},
        cell_id if isinstance(cell_id, str) else None,
        "",
        "",
        None,
        False,
        parse(""),
    )


def _read_cell(analysis: Analysis, index: int, cell: Any) -> CellInfo | None:
    info = _placeholder(index, cell)
    if not isinstance(cell, dict):
        analysis.add(
            "cell-invalid", ERROR, info, None, f"a cell must be an object, not {json_type(cell)}"
        )
        return None
    problems: list[str] = []
    cell_type = cell.get("cell_type")
    if not isinstance(cell_type, str):
        problems.append(f"cell_type must be a string, not {json_type(cell_type)}")
    source = _source(cell.get("source"))
    if source is None:
        kind = json_type(cell.get("source"))
        problems.append(f"source must be text (a string or a list of strings), not {kind}")
    elif utf16_len(source) > LIMITS["cellChars"]:
        problems.append(
            f"the source has {utf16_len(source)} characters, more than the "
            f"{LIMITS['cellChars']} a graded notebook's cell may have"
        )
    metadata = cell.get("metadata", {})
    if not isinstance(metadata, dict):
        problems.append(f"metadata must be an object, not {json_type(metadata)}")
    if too_deep(cell, LIMITS["depth"]):
        problems.append(f"the cell is nested more than {LIMITS['depth']} levels deep")
    for problem in problems:
        analysis.add("cell-invalid", ERROR, info, None, problem)
    if problems:
        return None
    info.cell_type = cell_type
    info.source = source
    info.grader_valid, info.grader = _read_grader(analysis, info, metadata, cell_problems)
    info.parsed = parse(source)
    return info


def _notebook_problem(notebook: dict[str, Any]) -> str | None:
    metadata = notebook.get("metadata", {})
    if not isinstance(metadata, dict):
        return f"the notebook's metadata must be an object, not {json_type(metadata)}"
    if too_deep([v for k, v in notebook.items() if k != "cells"], LIMITS["depth"] + 1):
        return f"the notebook (outside its cells) is nested more than {LIMITS['depth']} levels deep"
    return None


def analyse(notebook: Any) -> Analysis:
    """Read a notebook; structural and metadata problems are findings, never exceptions."""
    if not isinstance(notebook, dict):
        analysis = Analysis({}, DEFAULT_LANGUAGE, None)
        analysis.invalid(f"a notebook must be an object, not {json_type(notebook)}")
        return analysis
    if too_large(notebook, LIMITS["notebookChars"]):
        analysis = Analysis({}, DEFAULT_LANGUAGE, None)
        analysis.invalid(
            f"the notebook holds more than {LIMITS['notebookChars']} characters of text, "
            "more than a graded notebook may have"
        )
        return analysis
    problem = _notebook_problem(notebook)
    metadata = notebook.get("metadata", {}) if problem is None else {}
    analysis = Analysis(notebook, _language(metadata), None)
    if problem is not None:
        analysis.invalid(problem)
    _, analysis.notebook_grader = _read_grader(analysis, None, metadata, notebook_problems)
    cells = notebook.get("cells")
    if not isinstance(cells, list):
        analysis.invalid(f"the notebook's cells must be a list, not {json_type(cells)}")
        return analysis
    if len(cells) > LIMITS["cells"]:
        analysis.invalid(
            f"the notebook has {len(cells)} cells, more than the {LIMITS['cells']} "
            "a graded notebook may have"
        )
        return analysis
    for index, cell in enumerate(cells):
        info = _read_cell(analysis, index, cell)
        if info is not None:
            analysis.cells.append(info)
    return analysis
