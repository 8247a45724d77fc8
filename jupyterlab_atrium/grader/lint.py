"""Lint rules for an instructor notebook; the twin is src/grader/rules/lint.ts.

Each finding names the rule, a severity, the cell (0-based index and id), the line (1-based)
where it applies, and a message an instructor can act on. docs/instructor.md lists the rules.
"""

from __future__ import annotations

from typing import Any

from .analysis import ERROR, WARNING, Analysis, CellInfo, Finding, analyse
from .data import ANSWER_ROLES, BINARY_MIME_TYPES
from .markers import HIDDEN, SOLUTION, has_solution
from .student import Built, Secret, build

_WS = " \t\r\f\v\n"
_GRADED_CODE = ANSWER_ROLES | {"tests"}


def _role_text(info: CellInfo) -> str:
    return "a cell without grader metadata" if info.role is None else f"a cell of role {info.role}"


def _marker_rules(analysis: Analysis, info: CellInfo) -> None:
    parsed = info.parsed
    for problem in parsed.problems:
        analysis.add(problem.rule, ERROR, info, problem.line + 1, problem.message)
    if info.grader_valid:
        solution = parsed.first_marker(SOLUTION)
        if solution is not None and info.role not in ANSWER_ROLES:
            analysis.add(
                "misplaced-marker",
                ERROR,
                info,
                solution.line + 1,
                f"solution markers in {_role_text(info)}: only answer, expected-output and manual "
                "cells have solutions (the student version still replaces the region with a stub)",
            )
        hidden = parsed.first_marker(HIDDEN)
        if hidden is not None and info.role != "tests":
            analysis.add(
                "misplaced-marker",
                ERROR,
                info,
                hidden.line + 1,
                f"hidden-test markers in {_role_text(info)}: only tests cells have hidden tests "
                "(the student version still removes the region)",
            )
    severity = ERROR if info.role in _GRADED_CODE else WARNING
    for line in parsed.lookalikes:
        analysis.add(
            "marker-lookalike",
            severity,
            info,
            line + 1,
            "this line mentions a marker but is not one, so it stays in the student version: "
            "a marker is a comment on a line of its own, in capitals, such as ### BEGIN SOLUTION",
        )


def _exercise_rules(analysis: Analysis) -> None:
    answers: dict[str, int] = {}
    for info in analysis.cells:
        if info.role in ANSWER_ROLES:
            first = answers.setdefault(info.exercise, info.index)
            if first != info.index:
                analysis.add(
                    "duplicate-exercise",
                    ERROR,
                    info,
                    None,
                    f'exercise "{info.exercise}" already has its answer in cell {first + 1}: '
                    "each exercise has one answer, expected-output or manual cell",
                )
    for info in analysis.cells:
        role = info.role
        if role == "tests":
            if "points" not in info.grader:
                analysis.add(
                    "tests-without-points",
                    ERROR,
                    info,
                    None,
                    f'this tests cell of exercise "{info.exercise}" has no points',
                )
            if info.exercise not in answers:
                analysis.add(
                    "tests-without-answer",
                    WARNING,
                    info,
                    None,
                    f'no answer cell has exercise "{info.exercise}": '
                    "these tests check nothing a student writes",
                )
        elif role in ANSWER_ROLES:
            if not has_solution(info.parsed) and info.source.strip(_WS):
                analysis.add(
                    "answer-without-markers",
                    WARNING,
                    info,
                    None,
                    "no BEGIN SOLUTION / END SOLUTION markers: the whole cell is the solution "
                    "and the student sees only the stub",
                )
            if role == "expected-output" and "expected" not in info.grader:
                analysis.add(
                    "expected-output-missing",
                    WARNING,
                    info,
                    None,
                    "no expected output captured yet: run the cell and capture its output",
                )


def _strings(value: Any) -> list[str]:
    """Every string in a JSON value (keys too), except binary MIME data (base64)."""
    found: list[str] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            for key, child in item.items():
                found.append(key)
                if key not in BINARY_MIME_TYPES:
                    stack.append(child)
    return found


def _first_secret(secrets: list[Secret], texts: list[str]) -> Secret | None:
    for secret in secrets:
        for text in texts:
            if secret.text in text:
                return secret
    return None


def _leak(analysis: Analysis, info: CellInfo | None, line: int | None, secret: Secret, where: str):
    analysis.add(
        "solution-leak",
        ERROR,
        info,
        line,
        f"solution text from cell {secret.cell + 1}, line {secret.line} is in {where}: "
        "the student version would show it",
    )


def _leak_rules(analysis: Analysis, built: Built) -> None:
    secrets = built.secrets
    if not secrets:
        return
    by_index = {info.index: info for info in analysis.cells}
    for index, cell in built.cells:
        info = by_index[index]
        source = cell.get("source", "")
        for number, text in enumerate(source.split("\n")):
            secret = _first_secret(secrets, [text])
            if secret is not None:
                _leak(analysis, info, number + 1, secret, "this cell's source")
        for where in ("attachments", "outputs", "metadata"):
            if where in cell:
                secret = _first_secret(secrets, _strings(cell[where]))
                if secret is not None:
                    _leak(analysis, info, None, secret, f"this cell's {where}")
    secret = _first_secret(secrets, _strings(built.notebook.get("metadata", {})))
    if secret is not None:
        _leak(analysis, None, None, secret, "the notebook's metadata")


def _order(finding: Finding) -> tuple[int, int]:
    return (
        -1 if finding.cell is None else finding.cell,
        0 if finding.line is None else finding.line,
    )


def lint(notebook: Any) -> list[Finding]:
    """Every problem of an instructor notebook, ordered by cell and line; never raises on
    bad input (a notebook that cannot be read gets a finding that says why)."""
    analysis = analyse(notebook)
    for info in analysis.cells:
        _marker_rules(analysis, info)
    _exercise_rules(analysis)
    if not analysis.blocked:
        _leak_rules(analysis, build(analysis))
    return sorted(analysis.findings, key=_order)
