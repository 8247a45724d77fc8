"""The grading queue: jobs in the service's database, taken by workers with leases.

* **Take**: one statement takes the oldest job that is queued, or running with a lease that
  has passed (its worker died or hung). On PostgreSQL the candidate is chosen ``FOR UPDATE
  SKIP LOCKED``, so workers on any number of machines never take the same job and never
  wait for each other; SQLite runs one writer at a time.
* **Lease**: the taker gets a fresh token and a deadline, which ``renew`` pushes on while
  the work goes on. A job taken again after its lease passed has a new token: the first
  worker, if it comes back, can no longer finish it. So a job is finished once, by the
  worker that holds it, and a dead worker's job is lost to nobody.
* **Attempts**: each take counts; a job taken ``max_attempts`` times whose lease passes
  again fails instead of being taken again (a submission that kills every worker must not
  keep killing them).

Blocking: every call is a database round trip; call them on worker threads.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update

from ..db import Database
from ..gallery.store import now
from ..models import GradingJob

MAX_ERROR = 2000


@dataclass(frozen=True)
class Job:
    id: str
    kind: str
    payload: dict[str, Any]
    attempts: int
    token: str


class GradingQueue:
    def __init__(self, database: Database, *, max_attempts: int = 3) -> None:
        self.database = database
        self.max_attempts = max_attempts

    def enqueue(self, kind: str, payload: dict[str, Any]) -> str:
        with self.database.sessions() as session:
            job_id = self.add(session, kind, payload)
            session.commit()
        return job_id

    def add(self, session: Any, kind: str, payload: dict[str, Any]) -> str:
        """Queue a job in the caller's transaction (with the row it is about, or neither)."""
        job_id = secrets.token_hex(16)
        session.add(
            GradingJob(
                id=job_id,
                kind=kind,
                payload=json.dumps(payload),
                state="queued",
                attempts=0,
                max_attempts=self.max_attempts,
                created_at=now(),
            )
        )
        return job_id

    def take(self, worker: str, lease_seconds: float, moment: datetime | None = None) -> Job | None:
        moment = moment or now()
        token = secrets.token_hex(16)
        expired = and_(GradingJob.state == "running", GradingJob.lease_until < moment)
        with self.database.sessions() as session:
            # Jobs that used up their attempts and lost their lease again: failed, not taken.
            session.execute(
                update(GradingJob)
                .where(expired, GradingJob.attempts >= GradingJob.max_attempts)
                .values(
                    state="failed",
                    finished_at=moment,
                    lease_token=None,
                    error="Its worker stopped answering on every attempt.",
                )
                .execution_options(synchronize_session=False)
            )
            candidate = (
                select(GradingJob.pk)
                .where(or_(GradingJob.state == "queued", expired))
                .order_by(GradingJob.created_at, GradingJob.pk)
                .limit(1)
            )
            if self.database.backend == "postgresql":
                candidate = candidate.with_for_update(skip_locked=True)
            row = session.execute(
                update(GradingJob)
                .where(GradingJob.pk == candidate.scalar_subquery())
                .values(
                    state="running",
                    attempts=GradingJob.attempts + 1,
                    lease_token=token,
                    lease_until=moment + timedelta(seconds=lease_seconds),
                    worker=worker[:255],
                )
                .returning(GradingJob.id, GradingJob.kind, GradingJob.payload, GradingJob.attempts)
                .execution_options(synchronize_session=False)
            ).first()
            session.commit()
        if row is None:
            return None
        return Job(row.id, row.kind, json.loads(row.payload), row.attempts, token)

    def _held(self, job: Job) -> Any:
        return and_(
            GradingJob.id == job.id,
            GradingJob.state == "running",
            GradingJob.lease_token == job.token,
        )

    def _update(self, job: Job, **values: Any) -> bool:
        with self.database.sessions() as session:
            count = session.execute(
                update(GradingJob)
                .where(self._held(job))
                .values(**values)
                .execution_options(synchronize_session=False)
            ).rowcount
            session.commit()
        return count == 1

    def renew(self, job: Job, lease_seconds: float) -> bool:
        """Push the lease on; False: the job is no longer this worker's (stop working on it)."""
        return self._update(job, lease_until=now() + timedelta(seconds=lease_seconds))

    def finish(self, job: Job, result: dict[str, Any]) -> bool:
        """Record the result; False (nothing recorded) when another worker holds the job."""
        return self._update(
            job, state="done", result=json.dumps(result), finished_at=now(), lease_token=None
        )

    def fail(self, job: Job, error: str, *, retry: bool) -> bool:
        """Give the job back (``retry``, while attempts are left) or fail it for good."""
        with self.database.sessions() as session:
            attempts = session.scalar(select(GradingJob.attempts).where(self._held(job)))
            if attempts is None:
                return False
            again = retry and attempts < self.max_attempts
            count = session.execute(
                update(GradingJob)
                .where(self._held(job))
                .values(
                    state="queued" if again else "failed",
                    lease_token=None,
                    lease_until=None,
                    finished_at=None if again else now(),
                    error=error[:MAX_ERROR],
                )
                .execution_options(synchronize_session=False)
            ).rowcount
            session.commit()
        return count == 1

    def state(self, job_id: str) -> dict[str, Any] | None:
        with self.database.engine.connect() as conn:
            row = conn.execute(
                select(
                    GradingJob.state,
                    GradingJob.attempts,
                    GradingJob.worker,
                    GradingJob.result,
                    GradingJob.error,
                ).where(GradingJob.id == job_id)
            ).first()
        if row is None:
            return None
        return {
            "state": row.state,
            "attempts": row.attempts,
            "worker": row.worker,
            "result": json.loads(row.result) if row.result else None,
            "error": row.error,
        }
