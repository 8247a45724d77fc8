"""Submissions through a real jupyter_server with the embedded service: a student submits,
gets a receipt, and the service's own worker grades it in the real sandbox; the reveal
policy decides what the student sees; limits, deadlines and hostile submissions.

The instructor notebook is the grader fixture ``assignment.in.ipynb`` (q1: square, tests
worth 2 + 1 points, one hidden test cell and a hidden region carrying canaries).
"""

from __future__ import annotations

import asyncio
import json
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from jupyterlab_atrium.grader import student_version

from .test_gallery_api import assert_error, rest_client
from .test_grading_assignments import FIXTURE, STUDENT, TEACHER

pytestmark = pytest.mark.usefixtures("gallery_users")

BASE = ("atrium", "api", "service", "grading")


@pytest.fixture
def jp_server_config(jp_server_config, database_url):
    jp_server_config["AtriumService"] = {"database_url": database_url}
    jp_server_config["AtriumGrader"] = {
        "instructors": [TEACHER],
        "max_submissions": 4,
        "submissions_per_hour": 6,
        "grading_seconds": 120,
    }
    return jp_server_config


@pytest.fixture
def api(jp_fetch):
    return rest_client(jp_fetch, BASE)


def instructor_notebook() -> dict[str, Any]:
    return json.loads(FIXTURE.read_text())


def answered(source: str) -> dict[str, Any]:
    """The student version with q1 answered."""
    notebook = student_version(instructor_notebook())
    for cell in notebook["cells"]:
        grader = cell.get("metadata", {}).get("atrium", {}).get("grader", {})
        if grader.get("exercise") == "q1" and grader.get("role") == "answer":
            cell["source"] = source
    return notebook


RIGHT = "def square(x):\n    return x * x\n"
WRONG = "def square(x):\n    return abs(x) * 2\n"  # right for 2 only: the hidden tests fail


async def release(api, **fields: Any) -> str:
    body = {"title": "Squares", "notebook": instructor_notebook(), **fields}
    reply = await api("POST", "assignments", user=TEACHER, body=body)
    assert reply.code == 201, reply
    return reply.json["id"]


async def submit(api, aid: str, notebook: Any, user: str = STUDENT, status: int = 202):
    reply = await api(
        "POST", "assignments", aid, "submissions", user=user, body={"notebook": notebook}
    )
    assert reply.code == status, reply
    return reply.json


async def graded(api, sid: str, user: str = STUDENT) -> dict[str, Any]:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        reply = await api("GET", "submissions", sid, user=user)
        assert reply.code == 200, reply
        if reply.json["state"] != "queued":
            return reply.json
        await asyncio.sleep(0.2)
    raise AssertionError(f"submission {sid} was not graded in time")


async def test_a_submission_gets_a_receipt_and_an_official_grade(api):
    aid = await release(api, reveal="message-only")
    receipt = await submit(api, aid, answered(RIGHT))
    assert receipt["state"] == "queued" and receipt["late"] is False
    assert len(receipt["contentHash"]) == 64 and receipt["assignmentVersion"] == 1
    result = await graded(api, receipt["id"])
    assert result["state"] == "graded"
    assert result["exercises"]["q1"] == {"score": 3, "points": 3}
    assert all(test["passed"] for test in result["tests"] if test["exercise"] == "q1")


def with_output_answer(notebook: dict[str, Any], source: str) -> dict[str, Any]:
    """``notebook`` with q3 (expected output ``144 ATRIUM-EXPECTED-CANARY``) answered."""
    for cell in notebook["cells"]:
        grader = cell.get("metadata", {}).get("atrium", {}).get("grader", {})
        if grader.get("exercise") == "q3":
            cell["source"] = source
    return notebook


async def test_an_expected_output_exercise_is_graded_on_what_it_shows(api):
    """q3 had no tests cell, so official grading never scored it; the worker now compares
    what the answer showed (returned by the sandbox as data) with the expected output."""
    aid = await release(api, reveal="message-only")
    right = "print(square(12), 'ATRIUM-EXPECTED-CANARY')"
    faked = right + "\nprint('All tests passed!')"
    results = {}
    for name, source in (("right", right), ("faked", faked)):
        notebook = with_output_answer(answered(RIGHT), source)
        receipt = await submit(api, aid, notebook, user=f"shown-{name}")
        results[name] = await graded(api, receipt["id"], user=f"shown-{name}")
    assert results["right"]["exercises"]["q3"] == {"score": 1, "points": 1}
    assert results["right"]["score"] == 4
    assert results["faked"]["exercises"]["q3"] == {"score": 0, "points": 1}
    failed = [test for test in results["faked"]["tests"] if not test["passed"]]
    assert failed == [
        {
            "exercise": "q3",
            "points": 1,
            "passed": False,
            "message": "The output does not match the expected output.",
        }
    ]
    assert b"CANARY" not in json.dumps(results["faked"]["tests"]).encode()


async def test_the_reveal_policy_decides_what_a_student_sees(api):
    for reveal, keys in (
        ("score-only", None),
        ("message-only", {"exercise", "points", "passed", "message"}),
        ("test-code-and-message", {"exercise", "points", "passed", "message", "detail", "line"}),
    ):
        aid = await release(api, reveal=reveal)
        sid = (await submit(api, aid, answered(WRONG)))["id"]
        result = await graded(api, sid)
        assert result["exercises"]["q1"]["score"] == 1, result  # the hidden square(0) passes
        if keys is None:
            assert "tests" not in result
        else:
            failed = [t for t in result["tests"] if not t["passed"]]
            assert failed and set(failed[0]) == keys
        if reveal != "test-code-and-message":
            assert b"CANARY" not in json.dumps(result).encode()
        teacher_view = (await api("GET", "submissions", sid, user=TEACHER)).json
        assert "detail" in next(t for t in teacher_view["tests"] if not t["passed"])


async def test_other_students_submissions_do_not_exist_for_a_student(api):
    aid = await release(api)
    sid = (await submit(api, aid, answered(RIGHT)))["id"]
    assert_error(await api("GET", "submissions", sid, user="bob"), 404, "not-found")
    mine = (await api("GET", "assignments", aid, "submissions", user="bob")).json
    assert mine == {"items": []}
    everyone = (await api("GET", "assignments", aid, "submissions", user=TEACHER)).json
    assert [item["id"] for item in everyone["items"]] == [sid]
    await graded(api, sid)


async def test_hostile_submissions_are_graded_as_stubs_never_an_error(api):
    aid = await release(api)
    for notebook in ("not a notebook", {"cells": [1, None]}, {"cells": []}):
        receipt = await submit(api, aid, notebook, user="carol")
        assert receipt["notes"]
        result = await graded(api, receipt["id"], user="carol")
        assert result["state"] == "graded"
        assert result["exercises"]["q1"]["score"] == 0
    assert_error(
        await api("POST", "assignments", aid, "submissions", user="carol", body={"nb": 1}),
        400,
        "bad-request",
    )


async def test_limits_and_deadlines(api):
    past = (datetime.now(timezone.utc) - timedelta(hours=1)).isoformat()
    future = (datetime.now(timezone.utc) + timedelta(hours=1)).isoformat()
    closed = await release(api, deadline=past)
    assert_error(
        await api("POST", "assignments", closed, "submissions", body={"notebook": answered(RIGHT)}),
        403,
        "assignment-closed",
    )
    late = await release(api, deadline=past, lateUntil=future, latePenalty=0.5)
    receipt = await submit(api, late, answered(RIGHT), user="dave")
    assert receipt["late"] is True
    result = await graded(api, receipt["id"], user="dave")
    assert result["score"] == 1.5 and result["penalty"] == 0.5
    # c.AtriumGrader.max_submissions = 4 per assignment
    aid = await release(api)
    for _ in range(4):
        await submit(api, aid, answered(RIGHT), user="erin")
    assert_error(
        await api("POST", "assignments", aid, "submissions", user="erin", body={"notebook": {}}),
        429,
        "too-many-submissions",
    )
    # c.AtriumGrader.submissions_per_hour = 6 over all assignments
    other = await release(api)
    for _ in range(2):
        await submit(api, other, answered(RIGHT), user="erin")
    reply = await api(
        "POST", "assignments", other, "submissions", user="erin", body={"notebook": {}}
    )
    assert_error(reply, 429, "too-many-submissions")
    assert reply.json["retryAfter"] > 0


def test_a_separate_worker_process_grades_and_stops_on_sigterm(database_url, tmp_path):
    """Hub-service mode: `python -m jupyterlab_atrium.grading worker` against the database."""
    import os
    import signal
    import subprocess
    import sys

    from jupyterlab_atrium.service.db import Database
    from jupyterlab_atrium.service.grading.assignments import AssignmentStore, GraderUser
    from jupyterlab_atrium.service.grading.config import AtriumGrader
    from jupyterlab_atrium.service.grading.queue import GradingQueue
    from jupyterlab_atrium.service.grading.submissions import SubmissionStore

    db = Database(database_url)
    db.migrate()
    config = AtriumGrader(instructors={TEACHER})
    assignments = AssignmentStore(db)
    summary, _ = assignments.release(
        GraderUser(TEACHER, True), {"title": "Squares", "notebook": instructor_notebook()}
    )
    store = SubmissionStore(db, assignments, config, GradingQueue(db))
    receipt = store.submit(GraderUser(STUDENT), summary["id"], {"notebook": answered(RIGHT)})
    config_file = tmp_path / "worker_config.py"
    # The URL may hold a password: in a config file, not in argv.
    config_file.write_text(f"c.AtriumService.database_url = {database_url!r}\n")
    worker = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab_atrium.grading", "worker", f"--config={config_file}"],
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])},
    )
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            view = store.get(GraderUser(STUDENT), receipt["id"])
            if view["state"] != "queued":
                break
            time.sleep(0.3)
        assert view["state"] == "graded" and view["exercises"]["q1"]["score"] == 3, view
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=60) == 0
    finally:
        if worker.poll() is None:
            worker.kill()
        db.close()
