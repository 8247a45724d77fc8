"""Written answers: what a student wrote in the Markdown cell of a *manual* exercise.

No kernel runs them (the rebuilt notebook takes only code answers; the instructor copy's
Markdown cells are never graded by a worker), but the instructor who grades the exercise
reads them, so the service keeps them with the code answers, by exercise id. Only exercises
whose cell in the student version is a Markdown manual cell are read: a student cannot turn
a code answer into text, or add text to an exercise that has none.
"""

from __future__ import annotations

from typing import Any

from ...grading.rebuild import MAX_ANSWER_CHARS, _source


def _manual_markdown(cell: Any) -> str | None:
    """The exercise id of a Markdown cell of a manual exercise, else None."""
    if not isinstance(cell, dict) or cell.get("cell_type") != "markdown":
        return None
    grader: Any = cell
    for key in ("metadata", "atrium", "grader"):
        grader = grader.get(key) if isinstance(grader, dict) else None
    if not isinstance(grader, dict) or grader.get("role") != "manual":
        return None
    exercise = grader.get("exercise")
    return exercise if isinstance(exercise, str) else None


def written_answers(submission: Any, student: dict[str, Any]) -> dict[str, str]:
    """Each written (Markdown) manual exercise's first answer in the submission."""
    asked = {_manual_markdown(cell) for cell in student.get("cells", [])} - {None}
    cells = submission.get("cells") if isinstance(submission, dict) else None
    found: dict[str, str] = {}
    for cell in cells if isinstance(cells, list) else []:
        exercise = _manual_markdown(cell)
        if exercise not in asked or exercise in found:
            continue
        source = _source(cell)
        if source is not None and len(source) <= MAX_ANSWER_CHARS:
            found[exercise] = source
    return found


def answer_formats(student: dict[str, Any]) -> dict[str, str]:
    """``markdown`` for each written manual exercise of a student version."""
    return {
        exercise: "markdown"
        for exercise in (_manual_markdown(cell) for cell in student.get("cells", []))
        if exercise is not None
    }
