"""The student version of an instructor notebook.

Solutions become stubs; hidden tests, instructor notes, expected answers and answer outputs
are removed; instructions and tests are locked (``editable``/``deletable`` false) and answer
cells cannot be deleted. The twin is src/grader/rules/student.ts.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from .analysis import BLOCKING, Analysis, CellInfo, GraderError, analyse
from .data import (
    ANSWER_ROLES,
    CODE_STUBS,
    LIMITS,
    LOCKED_ROLES,
    TEXT_STUB,
    strip_whitespace,
    utf16_len,
)
from .markers import has_solution, stub_for_opener, transform
from .metadata import public_cell, public_notebook


@dataclass(frozen=True)
class Secret:
    text: str  # stripped solution line
    cell: int  # 0-based index in the instructor notebook
    line: int  # 1-based


@dataclass
class Built:
    notebook: dict[str, Any]
    #: (instructor cell index, student cell) for every cell kept, in order
    cells: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    secrets: list[Secret] = field(default_factory=list)


def _stub_lines() -> frozenset[str]:
    lines = {strip_whitespace(line) for stub in CODE_STUBS.values() for line in stub}
    lines.update(strip_whitespace(line) for line in TEXT_STUB)
    lines.update(stub_for_opener(opener) for opener in ("#", "//", "%", "--", ";", "/*", "<!--"))
    return frozenset(lines)


STUB_LINES = _stub_lines()


def _dropped(info: CellInfo) -> bool:
    role = info.role
    return role == "notes" or (role == "tests" and info.grader.get("hidden") is True)


def _student_source(info: CellInfo, language: str) -> tuple[str, list[tuple[int, str]]]:
    parsed = info.parsed
    if info.cell_type == "code":
        stub = CODE_STUBS.get(language)
    else:
        stub = TEXT_STUB
    source, solution = transform(parsed, stub)
    if info.role in ANSWER_ROLES and not has_solution(parsed):
        # No markers: the whole cell is the solution (nbgrader's rule for solution cells).
        whole = stub if stub is not None else [stub_for_opener("#")]
        eol = "\r" if "\r\n" in info.source else ""
        solution = [(i, line) for i, line in enumerate(parsed.lines) if i not in parsed.markers]
        source = "\n".join(line + eol for line in whole)
    return source, solution


def _student_cell(info: CellInfo, source: str) -> dict[str, Any]:
    cell = copy.deepcopy(info.cell)
    cell["source"] = source
    metadata = cell.get("metadata")
    if isinstance(metadata, dict):
        # nbgrader's cell metadata carries a checksum of the instructor's source.
        metadata.pop("nbgrader", None)
    role = info.role
    if role is None:
        return cell
    if info.cell_type == "code":
        cell["outputs"] = []
        cell["execution_count"] = None
    if role in ANSWER_ROLES:
        cell.pop("attachments", None)
    metadata["atrium"]["grader"] = public_cell(info.grader)
    if role in LOCKED_ROLES:
        metadata["editable"] = False
        metadata["deletable"] = False
    elif role in ANSWER_ROLES:
        metadata["editable"] = True
        metadata["deletable"] = False
    return cell


def _secrets(index: int, solution: list[tuple[int, str]]) -> list[Secret]:
    found = []
    for line, text in solution:
        stripped = strip_whitespace(text)
        if utf16_len(stripped) >= LIMITS["secretMinChars"] and stripped not in STUB_LINES:
            found.append(Secret(stripped, index, line + 1))
    return found


def build(analysis: Analysis) -> Built:
    """The student version of an analysed notebook; refuses one that cannot be read."""
    if analysis.blocked:
        blocking = [finding for finding in analysis.findings if finding.rule in BLOCKING]
        raise GraderError(_refusal(blocking[0].describe(), len(blocking) - 1))
    notebook = {
        key: copy.deepcopy(value) for key, value in analysis.notebook.items() if key != "cells"
    }
    metadata = notebook.setdefault("metadata", {})
    metadata.pop("celltoolbar", None)
    if not isinstance(metadata.get("atrium"), dict):
        metadata["atrium"] = {}
    metadata["atrium"]["grader"] = public_notebook(analysis.notebook_grader)
    built = Built(notebook)
    seen: set[str] = set()
    for info in analysis.cells:
        source, solution = _student_source(info, analysis.language)
        for secret in _secrets(info.index, solution):
            if secret.text not in seen:
                seen.add(secret.text)
                built.secrets.append(secret)
        if _dropped(info):
            continue
        built.cells.append((info.index, _student_cell(info, source)))
    notebook["cells"] = [cell for _, cell in built.cells]
    return built


def _refusal(first: str, more: int) -> str:
    text = f"cannot make the student version: {first}"
    if more == 1:
        text += " (and 1 more problem)"
    elif more > 1:
        text += f" (and {more} more problems)"
    return text


def student_version(notebook: Any) -> dict[str, Any]:
    """The student version of ``notebook`` (which is left unchanged).

    Raises GraderError when the notebook, a cell or grader metadata cannot be read. Broken
    markers do not stop it: a region left open runs to the end of its cell.
    """
    return build(analyse(notebook)).notebook
