"""The exercises of a notebook and their points, for the points total the notebook shows and
for release. The twin is src/grader/rules/summary.ts."""

from __future__ import annotations

from typing import Any

from .analysis import analyse
from .data import ANSWER_ROLES


def summary(notebook: Any) -> dict[str, Any]:
    """Exercises in order of first appearance with their points and cells (0-based indices),
    and the notebook's total. Cells whose grader metadata is invalid are left out (lint
    reports them); never raises."""
    analysis = analyse(notebook)
    titles: dict[str, Any] = {}
    if analysis.notebook_grader is not None:
        titles = analysis.notebook_grader.get("exercises", {})
    exercises: dict[str, dict[str, Any]] = {}
    total: float = 0
    for info in analysis.cells:
        exercise = info.exercise
        if exercise is None:
            continue
        entry = exercises.get(exercise)
        if entry is None:
            title = titles.get(exercise, {}).get("title")
            entry = {"id": exercise, "title": title, "points": 0, "answer": None, "tests": []}
            exercises[exercise] = entry
        role = info.role
        if role in ANSWER_ROLES and entry["answer"] is None:
            entry["answer"] = info.index
        elif role == "tests":
            entry["tests"].append(info.index)
        points = info.grader.get("points", 0)
        entry["points"] += points
        total += points
    return {"exercises": list(exercises.values()), "points": total}
