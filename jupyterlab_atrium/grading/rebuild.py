"""Rebuild the notebook to grade from the service's own instructor copy and a submission.

The student controls everything in the submitted file, metadata included. So the notebook
that is graded is the **instructor copy**, cell by cell — instructions, set-up code and test
cells (hidden tests included) come from the store — and only each exercise's answer comes
from the submission, found by its exercise id:

* an exercise without a usable answer in the submission (deleted, turned into Markdown,
  emptied of its grader metadata) is graded on the stub of the student version, so its tests
  fail and the rest are graded;
* a duplicated answer cell: the first one, in the submission's order, counts (a note says so);
* cells the student added, reordered or changed that are not answers are not graded;
* whatever the submission holds (not a notebook, a cell that is not an object, a source that
  is not text, a huge cell) gives notes and stubs, never an exception.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..grader.analysis import analyse
from .grade import GradedCell
from .shown import expected_of

#: Characters of one answer taken from a submission; a longer one is graded as its stub.
MAX_ANSWER_CHARS = 1_000_000
#: Code roles whose cell the student writes (``manual`` answers run too: later cells may use
#: what they define; a person grades them).
STUDENT_ROLES = ("answer", "expected-output", "manual")


@dataclass
class Rebuilt:
    cells: list[GradedCell] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _source(cell: Any) -> str | None:
    if not isinstance(cell, dict):
        return None
    source = cell.get("source")
    if isinstance(source, list) and all(isinstance(line, str) for line in source):
        source = "".join(source)
    return source if isinstance(source, str) else None


def answers_of(submission: Any, notes: list[str]) -> dict[str, str]:
    """Each exercise's first code answer in the submission."""
    cells = submission.get("cells") if isinstance(submission, dict) else None
    if not isinstance(cells, list):
        notes.append("The submission is not a notebook: every exercise is graded on its stub.")
        return {}
    found: dict[str, str] = {}
    for position, cell in enumerate(cells):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        metadata = cell.get("metadata")
        atrium = metadata.get("atrium") if isinstance(metadata, dict) else None
        grader = atrium.get("grader") if isinstance(atrium, dict) else None
        if not isinstance(grader, dict) or grader.get("role") not in STUDENT_ROLES:
            continue
        exercise = grader.get("exercise")
        if not isinstance(exercise, str):
            continue
        source = _source(cell)
        if source is None:
            notes.append(f"Exercise {exercise[:64]!r}: the answer cell holds no text.")
            continue
        if len(source) > MAX_ANSWER_CHARS:
            notes.append(
                f"Exercise {exercise[:64]!r}: the answer is longer than {MAX_ANSWER_CHARS} "
                "characters and was not graded."
            )
            continue
        if exercise in found:
            notes.append(
                f"Exercise {exercise[:64]!r}: cell {position + 1} is another answer cell; "
                "the first one was graded."
            )
            continue
        found[exercise] = source
    return found


def rebuild(instructor: dict[str, Any], student: dict[str, Any], submission: Any) -> Rebuilt:
    """``instructor``: the stored instructor copy; ``student``: the stored student version
    (for the stubs); ``submission``: what the student sent."""
    notes: list[str] = []
    answers = answers_of(submission, notes)
    return from_answers(instructor, student, answers, notes)


def from_answers(
    instructor: dict[str, Any], student: dict[str, Any], answers: dict[str, str], notes: list[str]
) -> Rebuilt:
    """The same from answers already read (``answers_of``: what the service stores)."""
    out = Rebuilt(notes=list(notes))
    stubs = {
        info.exercise: info.source
        for info in analyse(student).cells
        if info.role in STUDENT_ROLES and info.exercise is not None
    }
    used: set[str] = set()
    for info in analyse(instructor).cells:
        if info.cell_type != "code":
            continue
        role, exercise = info.role, info.exercise
        if role == "notes":
            continue
        if role in STUDENT_ROLES and exercise is not None:
            if exercise in used:
                continue
            used.add(exercise)
            source = answers.get(exercise)
            if source is None:
                out.notes.append(
                    f"Exercise {exercise!r}: no answer in the submission; its stub was graded."
                )
                source = stubs.get(exercise, "")
            if role == "expected-output":
                # Graded on what it shows, against what the instructor copy expects.
                grader = info.grader or {}
                points = float(grader.get("points", 0))
                expected = expected_of(grader)
                out.cells.append(GradedCell("shown", source, exercise, points, expected=expected))
            else:
                out.cells.append(GradedCell("answer", source, exercise))
        elif role == "tests" and exercise is not None:
            grader = info.grader or {}
            message = grader.get("message")
            out.cells.append(
                GradedCell(
                    "tests",
                    info.source,
                    exercise,
                    float(grader.get("points", 0)),
                    message if isinstance(message, str) else None,
                )
            )
        else:
            # Instructions and ordinary code of the instructor copy (imports, data, set-up),
            # through IPython like a notebook cell: they may hold magics.
            out.cells.append(GradedCell("setup", info.source))
    return out
