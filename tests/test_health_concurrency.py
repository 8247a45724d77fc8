"""Two service replicas on one database ingest at once: no increment is lost, none doubled.

Each replica is a real ``Service`` (its own engine, pool and key cache) on the same SQLite or
PostgreSQL database; threads released together by a barrier send batches that hit the same
aggregate rows, and half the batches are sent to both replicas (a client retrying against
another replica). The aggregates must then hold exactly the distinct executions.
"""

from __future__ import annotations

import concurrent.futures
import logging
import threading

import sqlalchemy as sa

from jupyterlab_atrium.service.config import AtriumService
from jupyterlab_atrium.service.core import Service
from jupyterlab_atrium.service.gallery.store import GalleryUser

from .health_helpers import code_notebook, record

SOURCES = ("a = 1", "b = a + 1", "c = b * 2")
USERS = [GalleryUser(f"user{i}") for i in range(4)]


def replica(database_url: str) -> Service:
    service = Service(
        AtriumService(database_url=database_url), mode="hub-service", log=logging.getLogger()
    )
    service.database.migrate()
    return service


def test_concurrent_replicas_lose_no_increment(database_url):
    first, second = replica(database_url), replica(database_url)
    try:
        nid = first.gallery.create(
            USERS[0], {"title": "Shared", "notebook": code_notebook(*SOURCES)}
        )["id"]
        batches = []
        for round_ in range(12):
            user = USERS[round_ % len(USERS)]
            batch = [
                record(nid, i, SOURCES[i], success=(round_ + i) % 3 != 0)
                for i in range(3)
                for _ in range(5)
            ]
            batches.append((user, batch))
        jobs = []
        for index, (user, batch) in enumerate(batches):
            jobs.append((first if index % 2 else second, user, batch))
            if index % 2 == 0:  # sent again, to the other replica
                jobs.append((first, user, batch))
        barrier = threading.Barrier(len(jobs))

        def send(job):
            service, user, batch = job
            barrier.wait(timeout=60)
            return service.health.ingest(user, {"records": batch})

        with concurrent.futures.ThreadPoolExecutor(len(jobs)) as pool:
            results = list(pool.map(send, jobs))
        distinct = sum(len(batch) for _user, batch in batches)
        assert sum(r["accepted"] for r in results) == distinct
        assert sum(r["duplicates"] for r in results) == len(jobs) * 15 - distinct
        passes = sum(1 for _u, b in batches for r in b if r["success"] is True)
        with first.database.engine.connect() as conn:
            assert conn.scalar(sa.text("SELECT count(*) FROM health_executions")) == distinct
            cell = conn.execute(
                sa.text("SELECT sum(passes), sum(failures) FROM health_cell_days")
            ).one()
            notebook = conn.execute(
                sa.text("SELECT sum(passes), sum(failures) FROM health_notebook_days")
            ).one()
            sessions = conn.execute(sa.text("SELECT user_hash, reached FROM health_sessions")).all()
            depth_counts = conn.execute(
                sa.text(
                    "SELECT day, version, reached, sum(sessions) FROM health_depth_days "
                    "GROUP BY day, version, reached HAVING sum(sessions) <> 0"
                )
            ).all()
            per_session = conn.execute(
                sa.text(
                    "SELECT day, version, reached, count(*) FROM health_sessions "
                    "GROUP BY day, version, reached"
                )
            ).all()
            users = conn.scalar(sa.text("SELECT count(*) FROM health_notebook_users"))
        assert tuple(cell) == (passes, distinct - passes)
        assert tuple(notebook) == (passes, distinct - passes)
        # Every user passed the last cell in some round: each session reached it.
        assert len(sessions) == len(USERS)
        assert {reached for _user, reached in sessions} == {2}
        # The depth counts moved exactly once per change: they match the sessions.
        assert sorted(map(tuple, depth_counts)) == sorted(map(tuple, per_session))
        assert users == len(USERS)
        # Both replicas keyed with the one generated secret.
        assert first.health.user_hash("x") == second.health.user_hash("x")
    finally:
        first.close()
        second.close()


def test_a_notebook_deleted_during_ingest_refuses_the_batch(database_url, monkeypatch):
    """The notebook goes between the batch's lookup and its insert (another request deleted
    it): a 422 and nothing stored, not a foreign-key error (500)."""
    from jupyterlab_atrium.errors import AtriumError
    from jupyterlab_atrium.service.health.store import HealthStore

    service = replica(database_url)
    try:
        owner = USERS[0]
        nid = service.gallery.create(owner, {"title": "Gone", "notebook": code_notebook(*SOURCES)})[
            "id"
        ]
        looked_up = HealthStore._notebooks_for

        def then_deleted(self, session, user, records):
            found = looked_up(self, session, user, records)
            service.gallery.delete(owner, nid, None)
            return found

        monkeypatch.setattr(HealthStore, "_notebooks_for", then_deleted)
        try:
            service.health.ingest(owner, {"records": [record(nid, 0, SOURCES[0])]})
        except AtriumError as err:
            assert (err.status, err.reason) == (422, "unknown-notebook")
        else:
            raise AssertionError("the batch was taken")
        with service.database.engine.connect() as conn:
            assert conn.scalar(sa.text("SELECT count(*) FROM health_executions")) == 0
    finally:
        service.close()
