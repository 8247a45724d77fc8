"""The assignment store: released instructor notebooks, their student versions and policies.

The instructor copy of an assignment (solutions, hidden tests, expected answers, notes) is
stored here and handed only to instructors; students get the student version the shared
grader rules (``jupyterlab_atrium.grader``) generate at release, and summaries without the
instructor's fields. A release that lint finds an error in is refused (422, with the
findings), so nothing the rules call a leak is ever stored as a student version.

Re-releasing writes the next version with one conditional UPDATE (``version = expected``):
of two re-releases from one ETag exactly one is written, the other gets 409.

Blocking: every method is database work (and lint); call them on the service's worker threads.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from ... import fields
from ...errors import AtriumError
from ...grader import lint, student_version, summary
from ..db import Database
from ..gallery.store import (
    Conflict,
    ETag,
    Summary,
    bad_request,
    etag,
    forbidden,
    iso,
    not_found,
    now,
)
from ..models import GradingAssignment, GradingAssignmentVersion

#: What official results show students (issue 15); the default shows the tests' messages.
REVEAL_POLICIES = ("test-code-and-message", "message-only", "score-only")
DEFAULT_REVEAL = "message-only"
#: Which of a student's graded submissions the gradebook counts.
COUNTED_POLICIES = ("latest", "best")
DEFAULT_COUNTED = "latest"
MAX_TITLE = 200
MAX_COURSE = 200
#: Findings a refused release lists (a broken notebook can have one per cell).
MAX_FINDINGS = 500

_ID = re.compile(r"[0-9a-f]{32}")
_FIELDS = (
    "title",
    "course",
    "notebook",
    "deadline",
    "lateUntil",
    "latePenalty",
    "reveal",
    "counted",
)
_RELEASE_FIELDS = (*_FIELDS, "releaseAt")


@dataclass(frozen=True)
class GraderUser:
    """Who is asking, and whether ``AtriumGrader`` makes them an instructor."""

    name: str
    instructor: bool = False

    def __post_init__(self) -> None:
        # Names come from the deployment's authenticator; released_by holds 255.
        fields.text(self.name, "user name", max_len=255, nonempty=True, strip=False)


def require_instructor(user: GraderUser) -> None:
    if not user.instructor:
        raise forbidden("Only instructors may do this (see c.AtriumGrader.instructors).")


class LintRefused(AtriumError):
    """422: lint found errors; the findings say where and why."""

    status = 422
    reason = "lint-errors"

    def __init__(self, findings: list[dict[str, Any]]) -> None:
        errors = sum(1 for finding in findings if finding["severity"] == "error")
        first = next(finding for finding in findings if finding["severity"] == "error")
        where = "the notebook" if first["cell"] is None else f"cell {first['cell'] + 1}"
        super().__init__(
            f"The notebook has {errors} lint error{'s' if errors != 1 else ''} and was not "
            f"released; the first, in {where}: {first['message']}"
        )
        self.payload = {"findings": findings[:MAX_FINDINGS], "findingsTotal": len(findings)}


# --- request values ------------------------------------------------------------------------


def _penalty(value: Any) -> float:
    if value is None:
        return 0.0
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise bad_request("'latePenalty' must be a number from 0 to 1 (the fraction lost).")
    return float(value)


def _check_fields(body: dict[str, Any], known: tuple[str, ...]) -> None:
    unknown = sorted(key for key in body if key not in known)
    if unknown:
        name = unknown[0][:50]
        raise bad_request(f"Unknown field '{name}'; the fields are: {', '.join(known)}.")


@dataclass
class Policy:
    """The fields of a release besides the notebook, validated."""

    title: str
    course: str | None
    deadline: datetime | None
    late_until: datetime | None
    late_penalty: float
    reveal: str
    counted: str = DEFAULT_COUNTED

    @classmethod
    def of(cls, row: GradingAssignment) -> Policy:
        return cls(
            title=row.title,
            course=row.course,
            deadline=_utc(row.deadline),
            late_until=_utc(row.late_until),
            late_penalty=row.late_penalty,
            reveal=row.reveal,
            counted=row.counted,
        )

    @classmethod
    def read(cls, body: dict[str, Any], current: Policy | None) -> Policy:
        """From a request body; on a re-release a field left out keeps ``current``'s value
        (null clears the optional ones)."""

        def pick(key: str, attribute: str, parse: Callable[[Any], Any]) -> Any:
            if current is not None and key not in body:
                return getattr(current, attribute)
            return parse(body.get(key))

        policy = cls(
            title=pick(
                "title",
                "title",
                lambda value: fields.text(value, "title", max_len=MAX_TITLE, required=True),
            ),
            course=pick(
                "course",
                "course",
                lambda value: fields.text(value, "course", max_len=MAX_COURSE) or None,
            ),
            deadline=pick(
                "deadline", "deadline", lambda value: fields.timestamp(value, "deadline")
            ),
            late_until=pick(
                "lateUntil", "late_until", lambda value: fields.timestamp(value, "lateUntil")
            ),
            late_penalty=pick("latePenalty", "late_penalty", _penalty),
            reveal=pick(
                "reveal",
                "reveal",
                lambda value: fields.choice(
                    DEFAULT_REVEAL if value is None else value, "reveal", REVEAL_POLICIES
                ),
            ),
            counted=pick(
                "counted",
                "counted",
                lambda value: fields.choice(
                    DEFAULT_COUNTED if value is None else value, "counted", COUNTED_POLICIES
                ),
            ),
        )
        if policy.late_until is not None:
            if policy.deadline is None:
                raise bad_request("'lateUntil' needs a 'deadline' to be late for.")
            if policy.late_until < policy.deadline:
                raise bad_request("'lateUntil' must not be before 'deadline'.")
        return policy

    def values(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "course": self.course,
            "deadline": self.deadline,
            "late_until": self.late_until,
            "late_penalty": self.late_penalty,
            "reveal": self.reveal,
            "counted": self.counted,
        }


def _utc(value: datetime | None) -> datetime | None:
    """Values read back from SQLite are naive; they were stored as UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value


# --- the release -----------------------------------------------------------------------------


def _canonical(notebook: dict[str, Any]) -> str:
    # ASCII escapes: text every backend stores (a lone surrogate or NUL inside a cell
    # becomes a \u escape), and one spelling of each notebook for its hash.
    return json.dumps(notebook, ensure_ascii=True, sort_keys=True, separators=(",", ":"))


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("ascii")).hexdigest()


@dataclass
class Release:
    """A notebook that passed lint, with everything a version row stores."""

    instructor: str
    content_hash: str
    student: dict[str, Any]
    exercises: list[dict[str, Any]]
    points: float
    findings: list[dict[str, Any]]

    @classmethod
    def prepare(cls, notebook: Any) -> Release:
        findings = [finding.to_json() for finding in lint(notebook)]
        if any(finding["severity"] == "error" for finding in findings):
            raise LintRefused(findings)
        instructor = _canonical(notebook)
        overview = summary(notebook)
        return cls(
            instructor=instructor,
            content_hash=_sha256(instructor),
            student=student_version(notebook),
            # Cell indices stay out: they are the instructor notebook's, hidden cells counted.
            exercises=[
                {"id": item["id"], "title": item["title"], "points": item["points"]}
                for item in overview["exercises"]
            ],
            points=overview["points"],
            findings=findings,
        )

    def version_row(
        self, assignment_pk: int, assignment_id: str, version: int, user: GraderUser
    ) -> GradingAssignmentVersion:
        """The version row; the student version names its assignment and version, so a
        student's copy stays linked to what it came from."""
        student = json.loads(json.dumps(self.student))
        atrium = student.setdefault("metadata", {}).setdefault("atrium", {})
        atrium["assignment"] = {"id": assignment_id, "version": version}
        text = _canonical(student)
        return GradingAssignmentVersion(
            assignment_pk=assignment_pk,
            version=version,
            instructor=self.instructor,
            student=text,
            content_hash=self.content_hash,
            student_hash=_sha256(text),
            exercises=json.dumps(self.exercises),
            points=self.points,
            released_at=now(),
            released_by=user.name,
        )


def _notebook(body: dict[str, Any]) -> Any:
    if body.get("notebook") is None:
        raise fields.FieldError("'notebook' is required.")
    return body["notebook"]


#: What a summary reads of the latest version (the notebooks stay in the database).
_SUMMARY_COLUMNS = (
    GradingAssignmentVersion.points,
    GradingAssignmentVersion.exercises,
    GradingAssignmentVersion.student_hash,
    GradingAssignmentVersion.content_hash,
    GradingAssignmentVersion.released_by,
    GradingAssignmentVersion.released_at,
)


def _summary(user: GraderUser, row: GradingAssignment, version: Any) -> Summary:
    """``version``: the values of ``_SUMMARY_COLUMNS``. Students get no instructor field."""
    points, exercises, student_hash, content_hash, released_by, released_at = version
    result = Summary(
        id=row.id,
        title=row.title,
        course=row.course,
        version=row.version,
        releasedAt=iso(row.released_at),
        deadline=iso(row.deadline),
        lateUntil=iso(row.late_until),
        latePenalty=row.late_penalty,
        reveal=row.reveal,
        counted=row.counted,
        points=points,
        exercises=json.loads(exercises),
        studentHash=student_hash,
    )
    if user.instructor:
        result.update(
            contentHash=content_hash,
            createdAt=iso(row.created_at),
            releasedBy=released_by,
            versionReleasedAt=iso(released_at),
        )
    result.etag = etag(row.version)
    return result


# --- the store -------------------------------------------------------------------------------


class AssignmentStore:
    def __init__(self, database: Database) -> None:
        self.database = database

    # reading

    def _load(self, session: Session, user: GraderUser, assignment_id: str) -> GradingAssignment:
        """The assignment, if it exists for ``user`` (students: once released); else 404."""
        if not _ID.fullmatch(assignment_id):
            raise not_found("assignment")
        row = session.scalar(select(GradingAssignment).where(GradingAssignment.id == assignment_id))
        if row is None or not (user.instructor or _utc(row.released_at) <= now()):
            raise not_found("assignment")
        return row

    def _summary(self, session: Session, user: GraderUser, row: GradingAssignment) -> Summary:
        version = session.execute(
            select(*_SUMMARY_COLUMNS).where(
                GradingAssignmentVersion.assignment_pk == row.pk,
                GradingAssignmentVersion.version == row.version,
            )
        ).one()  # written in the same transaction as the version number
        return _summary(user, row, version)

    def list(self, user: GraderUser) -> list[Summary]:
        # One query, and only the columns a summary shows: never the notebooks themselves.
        query = (
            select(GradingAssignment, *_SUMMARY_COLUMNS)
            .join(
                GradingAssignmentVersion,
                (GradingAssignmentVersion.assignment_pk == GradingAssignment.pk)
                & (GradingAssignmentVersion.version == GradingAssignment.version),
            )
            .order_by(GradingAssignment.released_at.desc(), GradingAssignment.id)
        )
        if not user.instructor:
            query = query.where(GradingAssignment.released_at <= now())
        with self.database.sessions() as session:
            return [_summary(user, result[0], result[1:]) for result in session.execute(query)]

    def get(self, user: GraderUser, assignment_id: str) -> Summary:
        with self.database.sessions() as session:
            return self._summary(session, user, self._load(session, user, assignment_id))

    def _latest(self, user: GraderUser, assignment_id: str, copy: str) -> tuple[str, int]:
        with self.database.sessions() as session:
            row = self._load(session, user, assignment_id)
            content = session.scalar(
                select(getattr(GradingAssignmentVersion, copy)).where(
                    GradingAssignmentVersion.assignment_pk == row.pk,
                    GradingAssignmentVersion.version == row.version,
                )
            )
            return content, row.version

    def notebook(self, user: GraderUser, assignment_id: str, copy: str) -> tuple[str, int]:
        """The latest version's ``student`` or ``instructor`` notebook (JSON text)."""
        if copy == "instructor":
            require_instructor(user)
        return self._latest(user, assignment_id, copy)

    def answer_key(self, user: GraderUser, assignment_id: str) -> tuple[str, int]:
        """The latest version's instructor notebook for the service's own checks of what
        ``user`` may open (students: a released assignment); never sent to a student."""
        return self._latest(user, assignment_id, "instructor")

    # writing (instructors)

    def release(self, user: GraderUser, body: dict[str, Any]) -> tuple[Summary, list[Any]]:
        require_instructor(user)
        _check_fields(body, _RELEASE_FIELDS)
        policy = Policy.read(body, None)
        released_at = fields.timestamp(body.get("releaseAt"), "releaseAt") or now()
        prepared = Release.prepare(_notebook(body))
        assignment_id = secrets.token_hex(16)
        with self.database.sessions() as session:
            row = GradingAssignment(
                id=assignment_id,
                version=1,
                released_at=released_at,
                released_by=user.name,
                created_at=now(),
                **policy.values(),
            )
            session.add(row)
            session.flush()
            session.add(prepared.version_row(row.pk, assignment_id, 1, user))
            session.commit()
            return self._summary(session, user, row), prepared.findings

    def rerelease(
        self, user: GraderUser, assignment_id: str, expected: ETag, body: dict[str, Any]
    ) -> tuple[Summary, list[Any]]:
        """A new version if the assignment is still at ``expected``; 409 if not."""
        require_instructor(user)
        _check_fields(body, _FIELDS)
        with self.database.sessions() as session:
            current = self._load(session, user, assignment_id)
            if expected.version != current.version or expected.edits not in (None, 0):
                raise self._stale(session, user, current, expected)
        # Lint takes a while on a large notebook: not while holding a connection.
        policy = Policy.read(body, Policy.of(current))
        prepared = Release.prepare(_notebook(body))
        with self.database.sessions() as session:
            result = session.execute(
                update(GradingAssignment)
                .where(
                    GradingAssignment.pk == current.pk,
                    GradingAssignment.version == expected.version,
                )
                .values(version=expected.version + 1, released_by=user.name, **policy.values())
                .execution_options(synchronize_session=False)
            )
            if result.rowcount != 1:
                session.rollback()
                raise self._stale(session, user, self._load(session, user, assignment_id), expected)
            session.add(prepared.version_row(current.pk, assignment_id, expected.version + 1, user))
            session.commit()
        return self.get(user, assignment_id), prepared.findings

    def _stale(
        self, session: Session, user: GraderUser, row: GradingAssignment, expected: ETag
    ) -> Conflict:
        current = self._summary(session, user, row)
        return Conflict(
            f"This assignment was re-released since {expected} (it is now at version "
            f"{current['version']}); nothing was written.",
            current,
        )

    def delete(self, user: GraderUser, assignment_id: str, expected: ETag | None) -> None:
        require_instructor(user)
        with self.database.sessions() as session:
            row = self._load(session, user, assignment_id)
            condition = [GradingAssignment.pk == row.pk]
            if expected is not None:
                condition.append(GradingAssignment.version == expected.version)
            result = session.execute(delete(GradingAssignment).where(*condition))
            if result.rowcount != 1:
                session.rollback()
                if expected is None:
                    raise not_found("assignment")  # deleted meanwhile
                raise self._stale(session, user, self._load(session, user, assignment_id), expected)
            session.commit()
