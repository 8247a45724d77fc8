"""The grading queue on real SQLite and PostgreSQL: every job taken once at a time, none lost
when a worker dies, none finished twice."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest

from jupyterlab_atrium.service.db import Database
from jupyterlab_atrium.service.gallery.store import now
from jupyterlab_atrium.service.grading.queue import GradingQueue


@pytest.fixture
def database(database_url):
    db = Database(database_url)
    db.migrate()
    yield db
    db.close()


def test_a_job_is_taken_worked_and_finished(database):
    queue = GradingQueue(database)
    job_id = queue.enqueue("submission", {"submission": "s1"})
    assert queue.state(job_id)["state"] == "queued"
    job = queue.take("worker-a", lease_seconds=60)
    assert job is not None and (job.id, job.payload, job.attempts) == (
        job_id,
        {"submission": "s1"},
        1,
    )
    assert queue.take("worker-b", lease_seconds=60) is None  # held, not yet expired
    assert queue.renew(job, 60)
    assert queue.finish(job, {"score": 3})
    assert queue.state(job_id) == {
        "state": "done",
        "attempts": 1,
        "worker": "worker-a",
        "result": {"score": 3},
        "error": None,
    }
    assert not queue.finish(job, {"score": 4})  # once
    assert queue.take("worker-b", lease_seconds=60) is None


def test_oldest_first(database):
    queue = GradingQueue(database)
    ids = [queue.enqueue("submission", {"n": n}) for n in range(3)]
    taken = [queue.take("w", 60).id for _ in ids]
    assert taken == ids


def test_workers_on_several_replicas_never_take_the_same_job(database, database_url):
    seed = GradingQueue(database)
    ids = {seed.enqueue("submission", {"n": n}) for n in range(60)}
    taken: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker(name: str) -> None:
        replica = Database(database_url)  # a replica: its own engine and connections
        queue = GradingQueue(replica)
        try:
            while True:
                job = queue.take(name, lease_seconds=120)
                if job is None:
                    return
                with lock:
                    taken.append(job.id)
                assert queue.finish(job, {"by": name})
        except BaseException as err:
            errors.append(err)
        finally:
            replica.close()

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert errors == []
    assert sorted(taken) == sorted(ids)  # each exactly once
    assert all(seed.state(job_id)["state"] == "done" for job_id in ids)


ROOT = Path(__file__).parents[1]
WORKER = """
import os, sys, time
from jupyterlab_atrium.service.db import Database
from jupyterlab_atrium.service.grading.queue import GradingQueue
queue = GradingQueue(Database(os.environ["ATRIUM_TEST_DATABASE_URL"]))
job = queue.take("doomed", lease_seconds=float(sys.argv[1]))
print(job.id, job.token, flush=True)
time.sleep(600)
"""


def test_a_killed_worker_loses_nothing_and_cannot_finish_late(database, database_url):
    queue = GradingQueue(database)
    job_id = queue.enqueue("submission", {"submission": "s1"})
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER, "2"],
        stdout=subprocess.PIPE,
        text=True,
        # The URL may hold a password: never in argv.
        env={**os.environ, "PYTHONPATH": str(ROOT), "ATRIUM_TEST_DATABASE_URL": database_url},
    )
    try:
        line = worker.stdout.readline().split()
        assert line and line[0] == job_id, line
        doomed_token = line[1]
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
        worker.stdout.close()
    assert queue.take("survivor", lease_seconds=60) is None  # its lease still runs
    deadline = time.monotonic() + 60
    job = None
    while job is None and time.monotonic() < deadline:
        job = queue.take("survivor", lease_seconds=60)
        if job is None:
            time.sleep(0.2)
    assert job is not None and job.id == job_id and job.attempts == 2
    late = type(job)(job.id, job.kind, job.payload, 1, doomed_token)
    assert not queue.finish(late, {"score": 99})
    assert queue.finish(job, {"score": 1})
    assert queue.state(job_id)["result"] == {"score": 1}


def test_a_job_that_kills_every_worker_fails_instead_of_looping(database):
    queue = GradingQueue(database, max_attempts=2)
    job_id = queue.enqueue("submission", {})
    moment = now()
    for attempt in (1, 2):
        job = queue.take("w", lease_seconds=1, moment=moment)
        assert job is not None and job.attempts == attempt
        moment += timedelta(seconds=5)  # the worker died; its lease passes
    assert queue.take("w", lease_seconds=1, moment=moment) is None
    state = queue.state(job_id)
    assert state["state"] == "failed" and "every attempt" in state["error"]


def test_a_failed_attempt_is_retried_while_attempts_are_left(database):
    queue = GradingQueue(database, max_attempts=2)
    job_id = queue.enqueue("submission", {})
    first = queue.take("w", 60)
    assert queue.fail(first, "the sandbox could not start", retry=True)
    assert queue.state(job_id)["state"] == "queued"
    second = queue.take("w", 60)
    assert second.attempts == 2
    assert not queue.fail(first, "late", retry=True)  # not its job any more
    assert queue.fail(second, "again" * 1000, retry=True)
    state = queue.state(job_id)
    assert state["state"] == "failed" and len(state["error"]) <= 2000
    json.dumps(state)
