"""The gradebook of an assignment (instructors only): each student's counted grade per
exercise, totals, submission counts and late flags; statistics per exercise; the export in
``nbgrader export``'s CSV layout.

The counted submission of a student is their latest one that has an official grade (a
regrade in progress keeps its earlier grade until the new one is recorded); a student
whose submissions are all still queued or failed is listed without scores; a student on the
roster (``roster.py``) who has not submitted is listed as ``not-submitted``. Instructors'
marks replace autogrades (``marks.combine``, the same rule a submission's view uses).
Columns are the exercises of the assignment's latest version.

Queries: one for every submission, ranked within its student's with their count (window
functions, on SQLite and PostgreSQL alike: rank 1 is the counted one; the others are read
for attempts), one for the counted ones' marks; everything else is one pass in Python.

Attempts (``medianAttempts`` per exercise): for each student who reached the exercise's
full points in an autograde, how many submissions it took (the first with full points
included, those before it counted whether graded or not); the median over those students.
Marks are not attempts: a manual exercise has none.

Blocking: database work; call on the service's worker threads.
"""

from __future__ import annotations

import csv
import io
import json
import statistics
from collections import Counter
from collections.abc import Iterator
from typing import Any

from sqlalchemy import case, func, select

from ...grading.rebuild import STUDENT_ROLES
from ..db import Database
from ..gallery.store import iso
from ..models import GradingAssignmentVersion, GradingSubmission
from .assignments import AssignmentStore, GraderUser, require_instructor
from .marks import after_penalty, combine, marks_of, total
from .written import answer_formats

#: Equal-width buckets of a score distribution, from 0 to the exercise's points.
BUCKETS = 10
#: nbgrader's ``CsvExportPlugin`` columns, in its order (nbgrader/plugins/export.py).
CSV_COLUMNS = (
    "assignment",
    "duedate",
    "timestamp",
    "student_id",
    "last_name",
    "first_name",
    "email",
    "raw_score",
    "late_submission_penalty",
    "score",
    "max_score",
)
#: A spreadsheet takes a cell starting with one of these for a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Rows written to the response at a time.
CSV_CHUNK = 200


def _roles(student_notebook: str) -> dict[str, str]:
    """Each exercise's answer role (answer, expected-output, manual) in the student version."""
    roles: dict[str, str] = {}
    for cell in json.loads(student_notebook).get("cells", []):
        grader: Any = cell
        for key in ("metadata", "atrium", "grader"):
            grader = grader.get(key) if isinstance(grader, dict) else None
        if isinstance(grader, dict) and grader.get("role") in STUDENT_ROLES:
            roles.setdefault(str(grader.get("exercise")), grader["role"])
    return roles


def _distribution(scores: list[float], points: float) -> dict[str, Any]:
    """Mean, median, full marks and histogram of some scores out of ``points``."""
    width = points / BUCKETS if points > 0 else 0
    counts = [0] * BUCKETS
    for score in scores:
        index = BUCKETS - 1 if width == 0 else min(BUCKETS - 1, int(score / width))
        counts[max(0, index)] += 1
    return {
        "graded": len(scores),
        "mean": round(statistics.fmean(scores), 6) if scores else None,
        "median": statistics.median(scores) if scores else None,
        "fullPoints": sum(1 for score in scores if score >= points),
        "buckets": [
            {"from": round(i * width, 6), "to": round((i + 1) * width, 6), "count": counts[i]}
            for i in range(BUCKETS)
        ],
    }


def _failures(tests: list[dict[str, Any]], found: dict[str, Counter]) -> None:
    """Count each failing test cell, by exercise and position within it (1-based)."""
    position: Counter = Counter()
    for test in tests:
        position[test["exercise"]] += 1
        if not test["passed"]:
            key = (position[test["exercise"]], test.get("message") or "")
            found.setdefault(test["exercise"], Counter())[key] += 1


def _attempts(rows: Any, points: dict[str, float]) -> dict[str, float | None]:
    """``rows``: (user, result) of every submission, by user then time."""
    needed: dict[str, list[int]] = {exercise: [] for exercise in points}
    user, count, reached = None, 0, set()
    for found_user, result in rows:
        if found_user != user:
            user, count, reached = found_user, 0, set()
        count += 1
        scores = json.loads(result)["exercises"] if result is not None else {}
        for exercise, worth in points.items():
            score = scores.get(exercise, {}).get("score")
            if exercise not in reached and score is not None and score >= worth > 0:
                reached.add(exercise)
                needed[exercise].append(count)
    return {key: statistics.median(found) if found else None for key, found in needed.items()}


def _ranked(assignment_pk: int) -> Any:
    """The assignment's submissions, each with its rank among its student's (1: the one that
    counts — the latest with an official grade, else the latest) and the student's count."""
    sub = GradingSubmission
    return (
        select(
            sub.pk,
            sub.id,
            sub.user,
            sub.submitted_at,
            sub.graded_at,
            sub.late,
            sub.state,
            sub.result,
            func.row_number()
            .over(
                partition_by=sub.user,
                order_by=(
                    case((sub.result.is_(None), 1), else_=0),
                    sub.submitted_at.desc(),
                    sub.pk.desc(),
                ),
            )
            .label("rank"),
            func.count().over(partition_by=sub.user).label("count"),
        )
        .where(sub.assignment_pk == assignment_pk)
        .subquery()
    )


def _entry(
    found: Any, exercises: list[dict[str, Any]], marks: dict[int, Any], points: float
) -> dict[str, Any]:
    """One submission as a gradebook row: its scores with the instructors' marks, after the
    late penalty; no scores while it has no official grade."""
    entry: dict[str, Any] = {
        "user": found.user,
        "submission": found.id,
        "submissions": found.count,
        "submittedAt": iso(found.submitted_at),
        "gradedAt": iso(found.graded_at),
        "state": found.state,
        "late": found.late,
        "maxScore": points,
        "rawScore": None,
        "penalty": None,
        "score": None,
        "exercises": {},
    }
    if found.result is None:
        return entry
    result = json.loads(found.result)
    combined = combine(result["exercises"], marks.get(found.pk, {}), instructor=True, comments=True)
    entry["exercises"] = {
        item["id"]: combined.get(item["id"], {"score": None, "points": item["points"]})
        for item in exercises
    }
    raw = total(entry["exercises"])
    score = after_penalty(raw, result["penalty"])
    entry.update(rawScore=raw, penalty=round(raw - score, 6), score=score)
    return entry


def _counted(every: list[Any], built: dict[int, dict[str, Any]], policy: str) -> list[Any]:
    """The submission that counts for each student (in ``every``'s order of students): the
    latest with an official grade (rank 1), or under ``best`` the one with the highest score
    after penalty, the latest of equals; a student with no grade yet, their latest."""
    chosen: dict[str, Any] = {}
    for found in every:
        current = chosen.get(found.user)
        if policy != "best":
            if found.rank == 1:
                chosen[found.user] = found
            continue
        score = built[found.pk]["score"]
        if current is None:
            chosen[found.user] = found
            continue
        held = built[current.pk]["score"]
        # ``every`` runs by time within a student: a later equal score replaces.
        if score is not None and (held is None or score >= held):
            chosen[found.user] = found
        elif score is None and held is None:
            chosen[found.user] = found
    return list(chosen.values())


class GradebookStore:
    def __init__(self, database: Database, assignments: AssignmentStore) -> None:
        self.database = database
        self.assignments = assignments

    def gradebook(
        self, user: GraderUser, assignment_id: str, roster: frozenset[str] = frozenset()
    ) -> dict[str, Any]:
        """``roster``: students listed (as ``not-submitted``) when they have not submitted."""
        require_instructor(user)
        with self.database.sessions() as session:
            row = self.assignments._load(session, user, assignment_id)
            exercises_json, points, student = session.execute(
                select(
                    GradingAssignmentVersion.exercises,
                    GradingAssignmentVersion.points,
                    GradingAssignmentVersion.student,
                ).where(
                    GradingAssignmentVersion.assignment_pk == row.pk,
                    GradingAssignmentVersion.version == row.version,
                )
            ).one()
            ranked = _ranked(row.pk)
            # Every submission (attempts need them all), by student then time.
            every = session.execute(
                select(ranked).order_by(ranked.c.user, ranked.c.submitted_at, ranked.c.pk)
            ).all()
            # Every submission's marks: "best" compares totals, manual points included.
            marks = marks_of(session, select(ranked.c.pk))
            title, deadline, policy = row.title, row.deadline, row.counted
        roles = _roles(student)
        formats = answer_formats(json.loads(student))
        exercises = []
        for item in json.loads(exercises_json):
            manual = roles.get(item["id"]) == "manual"
            exercises.append({**item, "kind": "manual" if manual else "autograded"})
            if manual:
                # How the grading view shows the answer (a written one is Markdown).
                exercises[-1]["answerFormat"] = formats.get(item["id"], "code")
        columns = [item["id"] for item in exercises]
        students = []
        scores: dict[str, list[float]] = {column: [] for column in columns}
        totals: list[float] = []
        failures: dict[str, Counter] = {}
        built = {found.pk: _entry(found, exercises, marks, points) for found in every}
        for found in _counted(every, built, policy):
            entry = built[found.pk]
            students.append(entry)
            if found.result is None:
                continue
            _failures(json.loads(found.result)["tests"], failures)
            totals.append(entry["score"])
            for column in columns:
                value = entry["exercises"][column]["score"]
                if value is not None:
                    scores[column].append(value)
        per_exercise = {}
        attempts = _attempts(
            [(found.user, found.result) for found in every],
            {item["id"]: item["points"] for item in exercises},
        )
        for item in exercises:
            stats = _distribution(scores[item["id"]], item["points"])
            stats["medianAttempts"] = attempts[item["id"]]
            common = failures.get(item["id"], Counter()).most_common(1)
            stats["mostCommonFailure"] = (
                {"test": common[0][0][0], "message": common[0][0][1], "count": common[0][1]}
                if common
                else None
            )
            per_exercise[item["id"]] = stats
        counts = [entry["submissions"] for entry in students]
        submitted = {entry["user"] for entry in students}
        absent = sorted(roster - submitted)
        if absent:
            students.extend(_not_submitted(name, points) for name in absent)
            students.sort(key=lambda entry: entry["user"])
        return {
            "assignment": {
                "id": assignment_id,
                "title": title,
                "counted": policy,
                "deadline": iso(deadline),
                "points": points,
                "exercises": exercises,
            },
            "students": students,
            "statistics": {
                "exercises": per_exercise,
                "total": _distribution(totals, points),
                "medianSubmissions": statistics.median(counts) if counts else None,
                "notSubmitted": len(absent),
            },
        }

    def csv(
        self, user: GraderUser, assignment_id: str, roster: frozenset[str] = frozenset()
    ) -> list[str]:
        """The gradebook as ``nbgrader export`` writes it: a header, then one row per student
        (who submitted, or is on the roster: 0.0 and no timestamp, as nbgrader), in chunks
        of text (formatted here, off the event loop, and written to the response one at a
        time). Cells a spreadsheet would run as a formula are escaped with a leading
        apostrophe."""
        book = self.gradebook(user, assignment_id, roster)
        return list(_csv_chunks(book["assignment"], book["students"]))


def _not_submitted(name: str, points: float) -> dict[str, Any]:
    return {
        "user": name,
        "submission": None,
        "submissions": 0,
        "submittedAt": None,
        "gradedAt": None,
        "state": "not-submitted",
        "late": False,
        "maxScore": points,
        "rawScore": None,
        "penalty": None,
        "score": None,
        "exercises": {},
    }


def _cell(value: Any) -> str:
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(float(value))
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv_chunks(assignment: dict[str, Any], students: list[dict[str, Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for index, entry in enumerate(students, 1):
        graded = entry["score"] is not None
        writer.writerow(
            _cell(value)
            for value in (
                assignment["title"],
                assignment["deadline"],
                entry["submittedAt"],
                entry["user"],
                "",
                "",
                "",
                entry["rawScore"] if graded else 0.0,
                entry["penalty"] if graded else 0.0,
                entry["score"] if graded else 0.0,
                assignment["points"],
            )
        )
        if index % CSV_CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
