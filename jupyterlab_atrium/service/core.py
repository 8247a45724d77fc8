"""The service object both deployment modes share: database, worker threads, readiness."""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import select

from .. import __version__
from ..errors import ServiceUnavailable
from ..grading.official import LocalGrading
from .config import AtriumService
from .db import Database, head_revision
from .gallery.config import AtriumGallery
from .gallery.store import GalleryStore
from .grading.assignments import AssignmentStore
from .grading.config import AtriumGrader
from .grading.output_check import OutputChecks
from .grading.queue import GradingQueue
from .grading.submissions import SubmissionStore
from .health.config import AtriumHealth
from .health.store import HealthStore
from .models import Installation

T = TypeVar("T")


class Service:
    """Runs every database call on worker threads, after the schema is up to date."""

    def __init__(
        self,
        config: AtriumService,
        *,
        mode: str,
        log: logging.Logger,
        gallery: AtriumGallery | None = None,
        health: AtriumHealth | None = None,
        grader: AtriumGrader | None = None,
    ) -> None:
        self.mode = mode
        self.log = log
        #: Embedded mode: the name of this server's one owner (see ``identity``).
        self.server_owner = config.server_owner
        self.database = Database(config.database_url, pool_size=config.pool_size)
        self.gallery_config = gallery if gallery is not None else AtriumGallery()
        self.health_config = health if health is not None else AtriumHealth()
        self.health = HealthStore(self.database, self.health_config)
        self.gallery = GalleryStore(self.database, self.gallery_config, self.health.stored)
        self.grader_config = grader if grader is not None else AtriumGrader()
        self.assignments = AssignmentStore(self.database)
        self.queue = GradingQueue(self.database)
        self.submissions = SubmissionStore(
            self.database, self.assignments, self.grader_config, self.queue
        )
        self.local_grading = LocalGrading(self.queue, self.submissions, self.grader_config)
        self.output_checks = OutputChecks(self.assignments, self.grader_config)
        self._executor = concurrent.futures.ThreadPoolExecutor(
            max_workers=config.worker_threads, thread_name_prefix="atrium-db"
        )
        self._ready: concurrent.futures.Future[None] | None = None

    def start(self) -> None:
        """Start preparing the database in the background; idempotent."""
        if self._ready is None:
            self._ready = self._executor.submit(self.database.migrate)

    async def ready(self) -> None:
        self.start()
        assert self._ready is not None
        try:
            await asyncio.wrap_future(self._ready)
        except Exception as exc:
            # Forget the failure so the next request tries again (the database may be back).
            self._ready = None
            self.log.error(
                "Atrium: preparing the database %s failed: %s", self.database.describe(), exc
            )
            raise ServiceUnavailable(
                "The Atrium database is not available "
                f"({type(exc).__name__}); the server log has details."
            ) from None

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """Run blocking database work off the event loop."""
        await self.ready()
        return await asyncio.wrap_future(self._executor.submit(fn, *args))

    def _status(self) -> dict[str, Any]:
        with self.database.sessions() as session:
            installation = session.scalar(select(Installation.id))
        revision = self.database.revision()
        head = head_revision()
        return {
            "backend": self.database.backend,
            "revision": revision,
            "head": head,
            "upToDate": revision == head,
            "installation": installation,
        }

    async def status(self) -> dict[str, Any]:
        return {
            "ok": True,
            "version": __version__,
            "mode": self.mode,
            "database": await self.run(self._status),
        }

    def close(self) -> None:
        self.local_grading.stop()
        self._executor.shutdown(wait=False, cancel_futures=True)
        self.database.close()
