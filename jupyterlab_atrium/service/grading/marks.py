"""Instructors' marks: points and a comment for one exercise of one submission — the grade of a
*manual* exercise, or an override of an autograded one — and the one rule that combines
autogrades and marks into what an exercise scores.

A mark replaces the exercise's autograde in every total (the submission's view, the
gradebook, the CSV export); the autograde itself stays in the submission's result, and an
instructor sees both (``override`` and ``autograde``). Marks belong to the submission they
were given for: a regrade keeps them, a new submission starts without any.

Two instructors grading one answer at once: each mark has an ETag (``etag`` in its JSON, a
digest of its points, comment, author and time); a write that names it (``If-Match``, or
``If-None-Match: *`` for an exercise without a mark) is applied only while the mark is still
that one — by a conditional statement, so of two such writes one wins and the other gets
409 with the current mark. A write that names none replaces whatever is there.

Blocking: database work; call on the service's worker threads.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from ... import fields
from ..gallery.store import Conflict, bad_request, iso, not_found, now
from ..models import GradingAssignment, GradingAssignmentVersion, GradingMark, GradingSubmission
from .assignments import GraderUser, _check_fields, require_instructor

MAX_COMMENT = 10_000
_BODY = ("exercise", "points", "comment")


@dataclass(frozen=True)
class Mark:
    exercise: str
    points: float
    max_points: float
    comment: str
    graded_by: str
    graded_at: datetime

    @classmethod
    def of(cls, row: GradingMark) -> Mark:
        return cls(
            row.exercise, row.points, row.max_points, row.comment, row.graded_by, row.graded_at
        )

    @property
    def etag(self) -> str:
        state = [self.points, self.comment, self.graded_by, iso(self.graded_at)]
        digest = hashlib.sha256(json.dumps(state).encode("utf-8", "surrogatepass")).hexdigest()
        return f'"m{digest[:16]}"'

    def to_json(self) -> dict[str, Any]:
        return {
            "points": self.points,
            "comment": self.comment,
            "by": self.graded_by,
            "at": iso(self.graded_at),
            "etag": self.etag,
        }


def marks_of(session: Any, submission_pks: Iterable[int] | Any) -> dict[int, dict[str, Mark]]:
    """The marks of some submissions (a list of pks, or a select of them), in one query."""
    found: dict[int, dict[str, Mark]] = {}
    rows = session.scalars(select(GradingMark).where(GradingMark.submission_pk.in_(submission_pks)))
    for row in rows:
        found.setdefault(row.submission_pk, {})[row.exercise] = Mark.of(row)
    return found


def combine(
    auto: dict[str, dict[str, float]], marks: dict[str, Mark], *, instructor: bool, comments: bool
) -> dict[str, dict[str, Any]]:
    """Each exercise's ``{score, points}``: the autograde, or the mark where there is one.

    ``comments``: a marked exercise carries the instructor's comment. Instructors also get
    ``mark`` (who, when) and, for a mark on an autograded exercise, ``override`` with the
    ``autograde`` it replaces."""
    out: dict[str, dict[str, Any]] = {key: dict(value) for key, value in auto.items()}
    for exercise, mark in marks.items():
        entry = out.setdefault(exercise, {"points": mark.max_points})
        if instructor:
            entry["override"] = exercise in auto
            if exercise in auto:
                entry["autograde"] = auto[exercise]["score"]
            entry["mark"] = mark.to_json()
        elif comments and mark.comment:
            entry["comment"] = mark.comment
        entry["score"] = mark.points
    return out


def total(exercises: dict[str, dict[str, Any]]) -> float:
    return sum(entry["score"] for entry in exercises.values() if entry.get("score") is not None)


def after_penalty(raw: float, penalty: float) -> float:
    """The score a late penalty (a fraction of the raw score) leaves."""
    return round(raw * (1 - penalty), 6)


# --- setting a mark ---------------------------------------------------------------------------


def _points(value: Any, maximum: float, exercise: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise bad_request("'points' must be a number (or null to remove the mark).")
    if not 0 <= value <= maximum:
        raise bad_request(
            f"'points' must be from 0 to {maximum:g}, the points exercise {exercise!r} is worth."
        )
    return float(value)


#: ``If-None-Match: *``: the write expects the exercise to have no mark yet.
NO_MARK = "*"
_MARK_ETAG = re.compile(r'\s*(?:W/)?("m[0-9a-f]{16}")\s*')


def parse_condition(if_match: str | None, if_none_match: str | None) -> str | None:
    """The mark a write expects (an ETag, or ``NO_MARK``) from its headers; None: any."""
    if if_none_match is not None:
        if if_none_match.strip() != "*":
            raise bad_request('If-None-Match: only "*" (the exercise has no mark yet) is known.')
        return NO_MARK
    if if_match is None:
        return None
    match = _MARK_ETAG.fullmatch(if_match)
    if match is None:
        raise bad_request(
            "If-Match: send the 'etag' of the mark you are changing, as the service sent it."
        )
    return match.group(1)


def _changed(current: GradingMark | None) -> Conflict:
    mark = Mark.of(current).to_json() if current is not None else None
    if mark is None:
        told = "removed it"
    else:
        told = f"gave {mark['points']:g} points"
        told += f" ({mark['by']})" if mark["by"] else ""
    return Conflict(
        f"Another instructor changed this mark since you opened it: they {told}. "
        "Look at the current mark, then save yours again if it should replace it.",
        {"mark": mark},
    )


def _same(row: GradingMark) -> tuple[Any, ...]:
    """A mark row still as it was read (the condition of a conditional write)."""
    return (
        GradingMark.points == row.points,
        GradingMark.comment == row.comment,
        GradingMark.graded_by == row.graded_by,
        GradingMark.graded_at == row.graded_at,
    )


def set_mark(
    database: Any,
    user: GraderUser,
    submission_id: str,
    body: dict[str, Any],
    expected: str | None = None,
) -> int:
    """Set (``points`` a number) or remove (``points`` null) an instructor's mark; returns the
    submission's pk. The bound is the exercise's points in the assignment's latest version.
    ``expected`` (``parse_condition``): the mark the write replaces; 409 if it changed."""
    require_instructor(user)
    _check_fields(body, _BODY)
    exercise = fields.text(body.get("exercise"), "exercise", max_len=64, required=True)
    if "points" not in body:
        raise bad_request("'points' is required (a number, or null to remove the mark).")
    comment = fields.text(body.get("comment"), "comment", max_len=MAX_COMMENT) or ""
    with database.sessions() as session:
        found = session.execute(
            select(GradingSubmission.pk, GradingAssignmentVersion.exercises)
            .join(GradingAssignment, GradingAssignment.pk == GradingSubmission.assignment_pk)
            .join(
                GradingAssignmentVersion,
                (GradingAssignmentVersion.assignment_pk == GradingAssignment.pk)
                & (GradingAssignmentVersion.version == GradingAssignment.version),
            )
            .where(GradingSubmission.id == submission_id)
        ).first()
        if found is None:
            raise not_found("submission")
        pk, exercises = found
        maxima = {item["id"]: float(item["points"]) for item in json.loads(exercises)}
        if exercise not in maxima:
            known = ", ".join(maxima) or "none"
            raise bad_request(f"The assignment has no exercise {exercise!r} (it has: {known}).")
        key = (GradingMark.submission_pk == pk, GradingMark.exercise == exercise)
        if expected is not None:
            points = body["points"]
            if points is not None:
                points = _points(points, maxima[exercise], exercise)
            mark = GradingMark(
                submission_pk=pk,
                exercise=exercise,
                points=points,
                max_points=maxima[exercise],
                comment=comment,
                graded_by=user.name,
                graded_at=now(),
            )
            return _set_if(session, key, expected, mark)
        if body["points"] is None:
            session.execute(delete(GradingMark).where(*key))
            session.commit()
            return pk
        values = {
            "points": _points(body["points"], maxima[exercise], exercise),
            "max_points": maxima[exercise],
            "comment": comment,
            "graded_by": user.name,
            "graded_at": now(),
        }
        update_mark = (
            update(GradingMark)
            .where(*key)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        if not session.execute(update_mark).rowcount:
            session.add(GradingMark(submission_pk=pk, exercise=exercise, **values))
            try:
                session.commit()
            except IntegrityError:
                # Another instructor's mark for this exercise landed first: this one wins.
                session.rollback()
                if not session.execute(update_mark).rowcount:
                    raise
        session.commit()
    return pk


def _set_if(session: Any, key: tuple[Any, ...], expected: str, mark: GradingMark) -> int:
    """``set_mark``'s write of ``mark`` (points None: remove it) while the exercise's mark is
    still ``expected``; else 409 with the current one."""
    current = session.scalar(select(GradingMark).where(*key))
    if (current is None) != (expected == NO_MARK) or (
        current is not None and Mark.of(current).etag != expected
    ):
        raise _changed(current)
    if mark.points is None:
        if current is not None:
            gone = session.execute(delete(GradingMark).where(*key, *_same(current))).rowcount
            if gone != 1:
                session.rollback()
                raise _changed(session.scalar(select(GradingMark).where(*key)))
        session.commit()
        return mark.submission_pk
    if current is None:
        session.add(mark)
        try:
            session.commit()
        except IntegrityError:
            # Another instructor's first mark for this exercise landed first.
            session.rollback()
            raise _changed(session.scalar(select(GradingMark).where(*key))) from None
        return mark.submission_pk
    changed = session.execute(
        update(GradingMark)
        .where(*key, *_same(current))
        .values(
            points=mark.points,
            max_points=mark.max_points,
            comment=mark.comment,
            graded_by=mark.graded_by,
            graded_at=mark.graded_at,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        session.rollback()
        raise _changed(session.scalar(select(GradingMark).where(*key)))
    session.commit()
    return mark.submission_pk
