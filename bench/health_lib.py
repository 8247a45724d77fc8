"""Shared set-up of the health benchmarks: a service on a throwaway database, a notebook
and generated execution records (never imported by the package)."""

from __future__ import annotations

import hashlib
import logging
import random
import signal
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from jupyterlab_atrium.service.config import AtriumService
from jupyterlab_atrium.service.core import Service
from jupyterlab_atrium.service.gallery.store import GalleryUser

CELLS = 20


@contextmanager
def database(backend: str) -> Iterator[str]:
    """A fresh database URL: a SQLite file, or a throwaway PostgreSQL cluster (as the tests)."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="atrium-bench-") as tmp:
            yield f"sqlite:///{tmp}/bench.sqlite"
        return
    from tests.conftest import PostgresCluster

    cluster = PostgresCluster()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    cluster.start()
    try:
        yield cluster.create_database()
    finally:
        cluster.stop()


def service(url: str) -> Service:
    svc = Service(AtriumService(database_url=url), mode="hub-service", log=logging.getLogger())
    svc.database.migrate()
    return svc


def sources() -> list[str]:
    return [f"step_{i} = compute({i})\nprint(step_{i})" for i in range(CELLS)]


def publish(svc: Service, owner: GalleryUser) -> str:
    cells = [
        {
            "cell_type": "code",
            "id": f"c{i}",
            "metadata": {"tags": ["optional"]} if i == CELLS - 1 else {},
            "outputs": [],
            "execution_count": None,
            "source": source,
        }
        for i, source in enumerate(sources())
    ]
    nb = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    return svc.gallery.create(owner, {"title": "Bench", "notebook": nb})["id"]


def records(
    notebook_id: str, count: int, *, days: int = 1, seed: int = 1, day: int | None = None
) -> list[dict[str, Any]]:
    """``count`` records: sessions run the cells in order, 5 % of runs fail, spread over the
    last ``days`` days, or all ``day`` days ago (as one user's batch is)."""
    rng = random.Random(seed)
    fingerprints = [hashlib.sha256(s.encode()).hexdigest() for s in sources()]
    now = datetime.now(timezone.utc) - timedelta(minutes=1)
    out = []
    for n in range(count):
        cell = n % CELLS
        ago = rng.randrange(days) if day is None else day
        moment = now - timedelta(days=ago, seconds=rng.randrange(3600))
        out.append(
            {
                "notebookId": notebook_id,
                "version": 1,
                "cellId": f"c{cell}",
                "fingerprint": fingerprints[cell],
                "success": rng.random() > 0.05,
                "durationMs": rng.randrange(1, 2000),
                "timestamp": moment.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                "eventId": uuid.uuid4().hex,
            }
        )
    return out


def users(count: int) -> list[GalleryUser]:
    return [GalleryUser(f"user{i:04d}") for i in range(count)]


def timed(fn: Callable[[], Any]) -> float:
    import time

    start = time.perf_counter()
    fn()
    return time.perf_counter() - start
