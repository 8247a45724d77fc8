"""Submissions: a student's answers in, a receipt back, a job on the queue, the official grade
recorded by a worker, and what the assignment's reveal policy lets the student see of it.

Every submission is kept (the audit log: time, user, hash, score, worker, duration). The
service stores only the answers, read from the submitted notebook by exercise id
(``grading.rebuild.answers_of``); the rest of what is graded comes from the instructor copy.

Blocking: called on the service's worker threads (and by grading workers).
"""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from ...errors import AtriumError
from ...grading.grade import Grade
from ...grading.rebuild import Rebuilt, answers_of, from_answers
from ..db import Database
from ..gallery.store import iso, not_found, now
from ..models import GradingAssignment, GradingAssignmentVersion, GradingSubmission
from .assignments import AssignmentStore, GraderUser, _utc
from .config import AtriumGrader
from .marks import Mark, after_penalty, combine, marks_of, total
from .queue import GradingQueue
from .written import written_answers

JOB_KIND = "submission"
_ID_LENGTH = 32
#: Earlier grades a regraded submission keeps (shown as superseded).
MAX_SUPERSEDED = 20


def _too_many(message: str, retry_after: int | None = None) -> AtriumError:
    error = AtriumError(message, status=429, reason="too-many-submissions")
    if retry_after is not None:
        error.payload = {"retryAfter": retry_after}
    return error


def _closed() -> AtriumError:
    return AtriumError(
        "The assignment is closed: its deadline (and any late period) has passed.",
        status=403,
        reason="assignment-closed",
    )


class SubmissionStore:
    def __init__(
        self,
        database: Database,
        assignments: AssignmentStore,
        config: AtriumGrader,
        queue: GradingQueue,
    ) -> None:
        self.database = database
        self.assignments = assignments
        self.config = config
        self.queue = queue

    # -- submitting -----------------------------------------------------------------------

    def submit(self, user: GraderUser, assignment_id: str, body: dict[str, Any]) -> dict[str, Any]:
        extra = sorted(set(body) - {"notebook"})
        if extra:
            raise AtriumError(
                f'Unexpected key {extra[0][:40]!r}: the body is {{"notebook": …}}.',
                status=400,
                reason="bad-request",
            )
        if "notebook" not in body:
            raise AtriumError("'notebook' is required.", status=400, reason="bad-request")
        notes: list[str] = []
        answers = answers_of(body["notebook"], notes)
        moment = now()
        with self.database.sessions() as session:
            row = self.assignments._load(session, user, assignment_id)
            deadline, late_until = _utc(row.deadline), _utc(row.late_until)
            late = deadline is not None and moment > deadline
            if late and (late_until is None or moment > late_until):
                raise _closed()
            self._check_limits(session, user, row, moment)
            points, student = session.execute(
                select(GradingAssignmentVersion.points, GradingAssignmentVersion.student).where(
                    GradingAssignmentVersion.assignment_pk == row.pk,
                    GradingAssignmentVersion.version == row.version,
                )
            ).one()
            # The code answers the student version asks for (its stubs), by exercise id.
            student_version = json.loads(student)
            for exercise in answers_of(student_version, []):
                if exercise not in answers:
                    notes.append(f"Exercise {exercise!r}: no answer found; its stub is graded.")
            # Kept for the instructor who grades them; a worker never runs them.
            answers.update(written_answers(body["notebook"], student_version))
            stored = json.dumps(answers, sort_keys=True, ensure_ascii=False)
            submission_id = secrets.token_hex(16)
            job_id = self.queue.add(session, JOB_KIND, {"submission": submission_id})
            content_hash = hashlib.sha256(stored.encode("utf-8", "surrogatepass")).hexdigest()
            session.add(
                GradingSubmission(
                    id=submission_id,
                    assignment_pk=row.pk,
                    assignment_version=row.version,
                    user=user.name,
                    submitted_at=moment,
                    content_hash=content_hash,
                    answers=stored,
                    notes=json.dumps(notes[:50]),
                    late=late,
                    state="queued",
                    job_id=job_id,
                    points=float(points or 0),
                )
            )
            session.commit()
        return {
            "id": submission_id,
            "assignmentId": assignment_id,
            "assignmentVersion": row.version,
            "submittedAt": iso(moment),
            "contentHash": content_hash,
            "late": late,
            "state": "queued",
            "notes": notes[:50],
        }

    def _check_limits(
        self, session: Any, user: GraderUser, row: GradingAssignment, moment: datetime
    ) -> None:
        limit = self.config.max_submissions
        if limit and not user.instructor:
            count = session.scalar(
                select(func.count())
                .select_from(GradingSubmission)
                .where(
                    GradingSubmission.assignment_pk == row.pk,
                    GradingSubmission.user == user.name,
                )
            )
            if count >= limit:
                raise _too_many(
                    f"You have used all {limit} submissions of this assignment "
                    "(c.AtriumGrader.max_submissions)."
                )
        hourly = self.config.submissions_per_hour
        if hourly:
            since = moment - timedelta(hours=1)
            recent = session.scalars(
                select(GradingSubmission.submitted_at)
                .where(GradingSubmission.user == user.name, GradingSubmission.submitted_at >= since)
                .order_by(GradingSubmission.submitted_at)
            ).all()
            if len(recent) >= hourly:
                oldest = _utc(recent[0]) or moment
                wait = max(1, int((oldest + timedelta(hours=1) - moment).total_seconds()) + 1)
                raise _too_many(
                    f"More than {hourly} submissions in an hour; try again in {wait} s "
                    "(c.AtriumGrader.submissions_per_hour).",
                    wait,
                )

    # -- reading --------------------------------------------------------------------------

    def _row(self, session: Any, user: GraderUser, submission_id: str) -> Any:
        if not isinstance(submission_id, str) or len(submission_id) != _ID_LENGTH:
            raise not_found("submission")
        found = session.execute(
            select(GradingSubmission, GradingAssignment.id, GradingAssignment.reveal)
            .join(GradingAssignment, GradingAssignment.pk == GradingSubmission.assignment_pk)
            .where(GradingSubmission.id == submission_id)
        ).first()
        # Another student's submission does not exist for this one.
        if found is None or not (user.instructor or found[0].user == user.name):
            raise not_found("submission")
        return found

    def get(self, user: GraderUser, submission_id: str) -> dict[str, Any]:
        with self.database.sessions() as session:
            row, assignment_id, reveal = self._row(session, user, submission_id)
            marks = marks_of(session, [row.pk]).get(row.pk, {})
        view = _view(row, assignment_id, reveal, user.instructor, marks)
        if user.instructor:
            # What a manual grader reads: the code answers as submitted, by exercise id (in
            # this one submission's view, not in lists, where they would add up).
            view["answers"] = json.loads(row.answers)
        return view

    def list(self, user: GraderUser, assignment_id: str) -> list[dict[str, Any]]:
        with self.database.sessions() as session:
            assignment = self.assignments._load(session, user, assignment_id)
            query = (
                select(GradingSubmission)
                .where(GradingSubmission.assignment_pk == assignment.pk)
                .order_by(GradingSubmission.submitted_at.desc(), GradingSubmission.pk.desc())
                .limit(500)
            )
            if not user.instructor:
                query = query.where(GradingSubmission.user == user.name)
            rows = session.scalars(query).all()
            marks = marks_of(session, [r.pk for r in rows])
            return [
                _view(r, assignment.id, assignment.reveal, user.instructor, marks.get(r.pk, {}))
                for r in rows
            ]

    # -- grading (worker side) ------------------------------------------------------------

    def rebuilt(self, submission_id: str, version: int | None = None) -> tuple[Rebuilt, float]:
        """The notebook to grade, from the stored instructor copy and the stored answers;
        ``version``: the assignment version to grade against (a regrade's), else the one
        answered."""
        with self.database.sessions() as session:
            row = session.scalar(
                select(GradingSubmission).where(GradingSubmission.id == submission_id)
            )
            if row is None:
                raise LookupError(f"submission {submission_id} is gone")
            version = session.execute(
                select(GradingAssignmentVersion.instructor, GradingAssignmentVersion.student).where(
                    GradingAssignmentVersion.assignment_pk == row.assignment_pk,
                    GradingAssignmentVersion.version == (version or row.assignment_version),
                )
            ).one()
            penalty = session.scalar(
                select(GradingAssignment.late_penalty).where(
                    GradingAssignment.pk == row.assignment_pk
                )
            )
        rebuilt = from_answers(
            json.loads(version.instructor),
            json.loads(version.student),
            json.loads(row.answers),
            json.loads(row.notes),
        )
        return rebuilt, float(penalty or 0) if row.late else 0.0

    def record(
        self,
        submission_id: str,
        grade: Grade,
        penalty: float,
        worker: str,
        notes: list[str],
        *,
        job_id: str | None = None,
        version: int | None = None,
    ) -> dict[str, Any]:
        """Store the official grade (the caller holds the job's lease). ``job_id``: nothing is
        stored when the submission has been requeued since (a regrade's job is newer);
        ``version``: the assignment version graded (a regrade's). A grade it replaces stays
        in the result as superseded."""
        scores = grade.scores()
        raw = sum(entry["score"] for entry in scores.values())
        score = after_penalty(raw, penalty)
        result: dict[str, Any] = {
            "status": grade.status,
            "penalty": penalty,
            "exercises": scores,
            "tests": [
                {
                    "exercise": t.exercise,
                    "points": t.points,
                    "passed": t.passed,
                    "message": t.message[:500],
                    "detail": t.detail[:500],
                    "line": t.line,
                }
                for t in grade.tests
            ],
            "notes": notes[:50],
        }
        with self.database.sessions() as session:
            row = session.scalar(
                select(GradingSubmission).where(GradingSubmission.id == submission_id)
            )
            if row is not None and job_id is not None and row.job_id != job_id:
                return {"submission": submission_id, "superseded": True}
            if row is not None:
                result["version"] = version or row.assignment_version
                if version is not None:
                    row.points = session.scalar(
                        select(GradingAssignmentVersion.points).where(
                            GradingAssignmentVersion.assignment_pk == row.assignment_pk,
                            GradingAssignmentVersion.version == version,
                        )
                    )
                result["superseded"] = _superseded(row)
                row.state = "graded"
                row.score = score
                row.result = json.dumps(result)
                row.graded_at = now()
                row.worker = worker[:255]
                row.seconds = grade.seconds
                session.commit()
        return {"submission": submission_id, "score": score}

    def mark_failed(self, submission_id: str, job_id: str | None = None) -> None:
        """The last attempt at grading failed: the student sees it failed, not queued."""
        with self.database.sessions() as session:
            row = session.scalar(
                select(GradingSubmission).where(GradingSubmission.id == submission_id)
            )
            if row is None or (job_id is not None and row.job_id != job_id):
                return
            if row.state == "queued":
                row.state = "failed"
                session.commit()


def _superseded(row: GradingSubmission) -> list[dict[str, Any]]:
    """The grades before this one (newest first), the one being replaced at their head."""
    if row.result is None:
        return []
    old = json.loads(row.result)
    entry = {
        "score": row.score,
        "points": row.points,
        "exercises": old["exercises"],
        "version": old.get("version", row.assignment_version),
        "gradedAt": iso(row.graded_at),
    }
    return [entry, *old.get("superseded", [])][:MAX_SUPERSEDED]


def _view(
    row: GradingSubmission,
    assignment_id: str,
    reveal: str,
    instructor: bool,
    marks: dict[str, Mark],
) -> dict:
    """The receipt and, once graded, what the reveal policy shows (instructors see all);
    instructors' marks replace the autograde of their exercises."""
    out: dict[str, Any] = {
        "id": row.id,
        "assignmentId": assignment_id,
        "assignmentVersion": row.assignment_version,
        "user": row.user,
        "submittedAt": iso(row.submitted_at),
        "contentHash": row.content_hash,
        "late": row.late,
        "state": row.state,
        "score": row.score,
        "points": row.points,
        "gradedAt": iso(row.graded_at),
    }
    if instructor:
        out["worker"] = row.worker
        out["seconds"] = row.seconds
    if row.result is None:
        return out
    result = json.loads(row.result)
    exercises = combine(
        result["exercises"], marks, instructor=instructor, comments=reveal != "score-only"
    )
    out["exercises"] = exercises
    out["penalty"] = result["penalty"]
    out["gradedVersion"] = result.get("version", row.assignment_version)
    if marks:
        out["score"] = after_penalty(total(exercises), result["penalty"])
    if result.get("superseded"):
        out["superseded"] = result["superseded"]
    if instructor or reveal != "score-only":
        tests = []
        for test in result["tests"]:
            shown = {
                "exercise": test["exercise"],
                "points": test["points"],
                "passed": test["passed"],
            }
            if not test["passed"]:
                # message-only: the tests cell's message, public in the student version;
                # the check's own text and values only where the tests may be shown.
                shown["message"] = test["message"]
                if instructor or reveal == "test-code-and-message":
                    shown["detail"] = test["detail"]
                    shown["line"] = test["line"]
            tests.append(shown)
        out["tests"] = tests
    return out
