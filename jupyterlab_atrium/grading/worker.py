"""A grading worker: takes jobs from the queue, keeps their lease alive while it works, and
records each result once (``service/grading/queue.py``).

What a job means is up to its handler (``handlers[job.kind]``), so the loop is the same for
every kind of grading work. A handler that raises gives the job back for another attempt
(a sandbox that could not start, the database gone for a moment); an unknown kind fails the
job at once. The loop runs until ``stop`` is set; it sleeps between empty polls, with a
little jitter so that many workers do not poll in step, unless ``wake`` is called (the
embedded service does on each submission, so a grade does not wait for the next poll).

Blocking: run it in a thread or a process of its own (``python -m jupyterlab_atrium.grading
worker`` in the hub-service deployment; the embedded service starts one thread).
"""

from __future__ import annotations

import logging
import random
import socket
import threading
from collections.abc import Callable, Mapping
from typing import Any

from ..service.grading.queue import GradingQueue, Job

log = logging.getLogger(__name__)

Handler = Callable[[Job], dict[str, Any]]


class Worker:
    def __init__(
        self,
        queue: GradingQueue,
        handlers: Mapping[str, Handler],
        *,
        name: str | None = None,
        lease_seconds: float = 60.0,
        idle_seconds: float = 1.0,
    ) -> None:
        self.queue = queue
        self.handlers = dict(handlers)
        self.name = name or f"{socket.gethostname()}:{threading.get_native_id()}"
        self.lease_seconds = lease_seconds
        self.idle_seconds = idle_seconds
        self.stop = threading.Event()
        self._wake = threading.Event()

    def wake(self) -> None:
        """Poll now: there may be a job (or ``stop`` was set)."""
        self._wake.set()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                worked = self.once()
            except Exception:  # the database away: log, wait, go on
                log.exception("Atrium grading worker %s: taking a job failed", self.name)
                worked = False
            if not worked:
                self._wake.wait(self.idle_seconds * (0.5 + random.random()))  # noqa: S311
            self._wake.clear()

    def once(self) -> bool:
        """Take and work one job; False when the queue had none."""
        job = self.queue.take(self.name, self.lease_seconds)
        if job is None:
            return False
        handler = self.handlers.get(job.kind)
        if handler is None:
            self.queue.fail(job, f"No handler for jobs of kind {job.kind!r}.", retry=False)
            return True
        lost = threading.Event()
        done = threading.Event()
        keeper = threading.Thread(
            target=self._keep_lease, args=(job, done, lost), name="atrium-lease", daemon=True
        )
        keeper.start()
        try:
            result = handler(job)
        except Exception as err:
            log.warning("Atrium grading: job %s failed (attempt %s): %s", job.id, job.attempts, err)
            done.set()
            keeper.join()
            self.queue.fail(job, f"{type(err).__name__}: {err}"[:500], retry=True)
            return True
        done.set()
        keeper.join()
        if not self.queue.finish(job, result):
            # The lease was lost (this worker stalled past it) and another worker took the
            # job: its result is the one that counts.
            log.warning("Atrium grading: job %s was taken over; this result is dropped", job.id)
        return True

    def _keep_lease(self, job: Job, done: threading.Event, lost: threading.Event) -> None:
        while not done.wait(self.lease_seconds / 3):
            try:
                if not self.queue.renew(job, self.lease_seconds):
                    lost.set()
                    return
            except Exception:  # a database hiccup: try again at the next beat
                log.warning("Atrium grading: renewing the lease of job %s failed", job.id)
