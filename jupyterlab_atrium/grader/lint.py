"""Lint rules for an instructor notebook; the twin is src/grader/rules/lint.ts.

Each finding names the rule, a severity, the cell (0-based index and id), the line (1-based)
where it applies, and a message an instructor can act on. docs/instructor.md lists the rules.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .analysis import ERROR, WARNING, Analysis, CellInfo, Finding, analyse
from .data import ANSWER_ROLES, BINARY_MIME_TYPES, LIMITS, strip_whitespace, utf16_len
from .markers import HIDDEN, SOLUTION, has_solution
from .student import Built, Secret, build

_GRADED_CODE = ANSWER_ROLES | {"tests"}
#: What looking at one more text costs in the leak search, in characters scanned.
TEXT_COST = 100


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
            if not has_solution(info.parsed) and strip_whitespace(info.source):
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


def _whole_line_finder(secrets: list[Secret]) -> Callable[[list[Secret], list[str]], Secret | None]:
    """A finder for the first secret (in their order) that some line of the texts is, once
    stripped: one lookup per line, whatever the number of secrets."""
    order = {secret.text: number for number, secret in enumerate(secrets)}

    def find(_: list[Secret], texts: list[str]) -> Secret | None:
        best: int | None = None
        for text in texts:
            for line in text.split("\n"):
                number = order.get(strip_whitespace(line))
                if number is not None and (best is None or number < best):
                    best = number
        return None if best is None else secrets[best]

    return find


def _leak(analysis: Analysis, info: CellInfo | None, line: int | None, secret: Secret, where: str):
    analysis.add(
        "solution-leak",
        ERROR,
        info,
        line,
        f"solution text from cell {secret.cell + 1}, line {secret.line} is in {where}: "
        "the student version would show it",
    )


def _places(
    analysis: Analysis, built: Built
) -> list[tuple[CellInfo | None, int | None, str, list[str]]]:
    """Everything of the student version a solution could leak into: (cell, line, where,
    the strings there)."""
    by_index = {info.index: info for info in analysis.cells}
    places: list[tuple[CellInfo | None, int | None, str, list[str]]] = []
    for index, cell in built.cells:
        info = by_index[index]
        for number, text in enumerate(cell.get("source", "").split("\n")):
            places.append((info, number + 1, "this cell's source", [text]))
        for where in ("attachments", "outputs", "metadata"):
            if where in cell:
                places.append((info, None, f"this cell's {where}", _strings(cell[where])))
    metadata = built.notebook.get("metadata", {})
    places.append((None, None, "the notebook's metadata", _strings(metadata)))
    return places


def _leak_rules(analysis: Analysis, built: Built) -> None:
    secrets = built.secrets
    if not secrets:
        return
    places = _places(analysis, built)
    texts = sum(len(strings) for _, _, _, strings in places)
    chars = sum(utf16_len(text) for _, _, _, strings in places for text in strings)
    find = _first_secret
    # A full search costs about (a step per text, plus a scan of its characters) per secret;
    # past the budget, whole lines still match, with one lookup per line.
    if len(secrets) * (TEXT_COST * texts + chars) > LIMITS["leakScanWork"]:
        find = _whole_line_finder(secrets)
        analysis.add(
            "leak-check-limited",
            WARNING,
            None,
            None,
            f"too much to search in full ({len(secrets)} solution lines, {texts} lines and "
            "values): solution text was looked for as whole lines only",
        )
    for info, line, where, strings in places:
        secret = find(secrets, strings)
        if secret is not None:
            _leak(analysis, info, line, secret, where)


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
