"""Official grading of submissions: the job handler workers run, and the service's own
workers (started on the first submission; ``c.AtriumGrader.local_workers``)."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Any

from .grade import grade
from .pool import WarmPool
from .sandbox import Limits, Sandbox
from .worker import Worker

if TYPE_CHECKING:
    from ..service.grading.config import AtriumGrader
    from ..service.grading.queue import GradingQueue, Job
    from ..service.grading.submissions import SubmissionStore

log = logging.getLogger(__name__)


class SubmissionGrader:
    """Grades the submission a job names, in a fresh sandbox from a warm pool."""

    def __init__(self, submissions: SubmissionStore, config: AtriumGrader, name: str) -> None:
        self.submissions = submissions
        self.config = config
        self.name = name
        self.sandbox = Sandbox(Limits(run_seconds=float(config.grading_seconds)))
        self.pool = WarmPool(self.sandbox, size=1)
        # Warm before the first job too: the first grade need not pay the sandbox's start.
        self.pool.refill()

    def __call__(self, job: Job) -> dict[str, Any]:
        submission_id = job.payload["submission"]
        version = job.payload.get("version")  # a regrade's: the assignment's latest version
        try:
            rebuilt, penalty = self.submissions.rebuilt(submission_id, version)
            result = grade(
                self.sandbox,
                rebuilt.cells,
                budget_seconds=float(self.config.grading_seconds),
                started=self.pool.take(),
            )
        except Exception:
            if job.attempts >= self.submissions.queue.max_attempts:
                self.submissions.mark_failed(submission_id, job.id)
            raise
        return self.submissions.record(
            submission_id, result, penalty, self.name, rebuilt.notes, job_id=job.id, version=version
        )

    def close(self) -> None:
        self.pool.close()


class LocalGrading:
    """The service's own grading workers: threads, started once, on the first submission."""

    def __init__(self, queue: GradingQueue, submissions: SubmissionStore, config: AtriumGrader):
        self.queue = queue
        self.submissions = submissions
        self.config = config
        self._lock = threading.Lock()
        self._workers: list[tuple[Worker, threading.Thread, SubmissionGrader]] = []

    def ensure_started(self) -> None:
        """Start the workers, or wake them: a job was just queued (a submission, a regrade)."""
        with self._lock:
            for worker, _thread, _handler in self._workers:
                worker.wake()
            if self._workers or self.config.local_workers <= 0:
                return
            for index in range(self.config.local_workers):
                name = f"local-{index}"
                handler = SubmissionGrader(self.submissions, self.config, name)
                worker = Worker(self.queue, {"submission": handler}, name=name)
                thread = threading.Thread(
                    target=worker.run, name=f"atrium-grading-{index}", daemon=True
                )
                thread.start()
                self._workers.append((worker, thread, handler))

    def stop(self) -> None:
        with self._lock:
            workers, self._workers = self._workers, []
        for worker, _thread, _handler in workers:
            worker.stop.set()
            worker.wake()
        for _worker, thread, handler in workers:
            thread.join(timeout=30)
            handler.close()
