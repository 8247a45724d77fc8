"""Regrade (instructors): after a test was fixed and the assignment re-released, grade each
student's latest submission again, against the latest version.

* **Idempotent**: a submission whose job is still queued or running for the latest version
  gets no second one, so requeueing twice queues each submission once.
* **One winner**: the submission's ``job_id`` is switched with a conditional UPDATE (the job
  it had must still be its job), and the new job is added in the same transaction — of two
  regrades at once, one queues the job and the other finds it queued.
* **No stale work**: a submission's earlier job that has not started is failed ("Replaced
  by a regrade."), so the queue holds one job per submission.
* **History**: the earlier grade stays the counted one until the new grade is recorded; it
  is then kept in the result as superseded (``SubmissionStore.record``), with its marks.
  A job of the earlier grading still running when its submission is requeued records
  nothing (its job is no longer the submission's).

Blocking: database work; call on the service's worker threads.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import delete, func, select, update

from ... import fields
from ..db import Database
from ..gallery.store import now
from ..models import GradingJob, GradingSubmission
from .assignments import AssignmentStore, GraderUser, _check_fields, require_instructor
from .queue import GradingQueue
from .submissions import JOB_KIND

_BODY = ("user",)


def regrade(
    database: Database,
    assignments: AssignmentStore,
    queue: GradingQueue,
    user: GraderUser,
    assignment_id: str,
    body: dict[str, Any],
) -> dict[str, int]:
    """Queue each student's latest submission (``body.user``: one student's) for grading
    against the assignment's latest version; ``{queued, unchanged}``."""
    require_instructor(user)
    _check_fields(body, _BODY)
    student = fields.text(body.get("user"), "user", max_len=255, strip=False)
    queued = unchanged = 0
    with database.sessions() as session:
        row = assignments._load(session, user, assignment_id)
        sub = GradingSubmission
        latest = (
            select(
                sub.pk,
                func.row_number()
                .over(partition_by=sub.user, order_by=(sub.submitted_at.desc(), sub.pk.desc()))
                .label("rank"),
            )
            .where(sub.assignment_pk == row.pk)
            .subquery()
        )
        query = (
            select(
                sub.pk,
                sub.id,
                sub.job_id,
                sub.assignment_version,
                GradingJob.state,
                GradingJob.payload,
            )
            .join(latest, (latest.c.pk == sub.pk) & (latest.c.rank == 1))
            .outerjoin(GradingJob, GradingJob.id == sub.job_id)
            .order_by(sub.pk)
        )
        if student is not None:
            query = query.where(sub.user == student)
        for pk, submission_id, job_id, answered, state, payload in session.execute(query).all():
            version = json.loads(payload).get("version", answered) if payload else None
            if state in ("queued", "running") and version == row.version:
                unchanged += 1
                continue
            new_job = queue.add(
                session, JOB_KIND, {"submission": submission_id, "version": row.version}
            )
            switched = session.execute(
                update(GradingSubmission)
                .where(GradingSubmission.pk == pk, GradingSubmission.job_id == job_id)
                .values(job_id=new_job, state="queued")
                .execution_options(synchronize_session=False)
            ).rowcount
            if switched != 1:
                # Another regrade switched it first: its job stands, this one is dropped.
                session.flush()
                session.execute(delete(GradingJob).where(GradingJob.id == new_job))
                unchanged += 1
                continue
            if state == "queued":
                # Its earlier job has not started: it would grade the old version for nothing.
                session.execute(
                    update(GradingJob)
                    .where(GradingJob.id == job_id, GradingJob.state == "queued")
                    .values(state="failed", finished_at=now(), error="Replaced by a regrade.")
                    .execution_options(synchronize_session=False)
                )
            queued += 1
        session.commit()
    return {"queued": queued, "unchanged": unchanged}
