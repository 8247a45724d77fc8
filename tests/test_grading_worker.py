"""The worker loop on the real queue (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
import time

import pytest

from jupyterlab_atrium.grading.worker import Worker
from jupyterlab_atrium.service.db import Database
from jupyterlab_atrium.service.grading.queue import GradingQueue


@pytest.fixture
def queue(database_url):
    db = Database(database_url)
    db.migrate()
    yield GradingQueue(db, max_attempts=2)
    db.close()


def test_jobs_are_worked_once_and_their_results_recorded(queue):
    ids = [queue.enqueue("double", {"n": n}) for n in range(5)]
    worker = Worker(queue, {"double": lambda job: {"value": job.payload["n"] * 2}})
    while worker.once():
        pass
    assert [queue.state(i)["result"] for i in ids] == [{"value": n * 2} for n in range(5)]


def test_a_slow_job_keeps_its_lease(queue, database_url):
    job_id = queue.enqueue("slow", {})
    started = threading.Event()

    def slow(job):
        started.set()
        time.sleep(5)  # the work: several lease periods, so the keeper must renew it
        return {"ok": True}

    worker = Worker(queue, {"slow": slow}, lease_seconds=2.0)
    thread = threading.Thread(target=worker.once)
    thread.start()
    assert started.wait(30)
    other = GradingQueue(Database(database_url))
    deadline = time.monotonic() + 4
    while time.monotonic() < deadline:
        assert other.take("thief", 60) is None
        time.sleep(0.2)
    thread.join(60)
    assert queue.state(job_id)["result"] == {"ok": True}
    other.database.close()


def test_a_failing_handler_gives_the_job_back_then_fails_it(queue):
    job_id = queue.enqueue("boom", {})

    def boom(job):
        raise RuntimeError("the sandbox could not start")

    worker = Worker(queue, {"boom": boom})
    assert worker.once()
    assert queue.state(job_id)["state"] == "queued"
    assert worker.once()
    state = queue.state(job_id)
    assert state["state"] == "failed" and "could not start" in state["error"]


def test_an_unknown_kind_fails_at_once(queue):
    job_id = queue.enqueue("mystery", {})
    assert Worker(queue, {}).once()
    assert queue.state(job_id)["state"] == "failed"


def test_run_stops_when_asked(queue):
    worker = Worker(queue, {}, idle_seconds=0.05)
    thread = threading.Thread(target=worker.run)
    thread.start()
    worker.stop.set()
    thread.join(10)
    assert not thread.is_alive()


def test_a_woken_worker_takes_a_new_job_without_waiting_for_its_next_poll(queue):
    """The embedded service wakes its workers on each submission: a grade must not wait out
    an idle poll (here ten minutes, so only the wake can explain the job being done)."""
    polled = threading.Event()
    worker = Worker(queue, {"double": lambda job: {"value": job.payload["n"] * 2}})
    worker.idle_seconds = 600.0
    take = queue.take

    def counted(*args, **kwargs):
        found = take(*args, **kwargs)
        polled.set()
        return found

    queue.take = counted  # the real take, noticed
    thread = threading.Thread(target=worker.run)
    thread.start()
    try:
        assert polled.wait(30)  # the first poll found nothing: the worker is idle now
        job_id = queue.enqueue("double", {"n": 21})
        worker.wake()
        deadline = time.monotonic() + 60
        while queue.state(job_id)["state"] != "done":
            assert time.monotonic() < deadline, queue.state(job_id)
            time.sleep(0.05)
        assert queue.state(job_id)["result"] == {"value": 42}
    finally:
        worker.stop.set()
        worker.wake()
        thread.join(30)
    assert not thread.is_alive()
