"""Instant checks of expected-output exercises, through a real jupyter_server with the
embedded service on SQLite and PostgreSQL: pass or fail against the expected output the
service alone holds, never the expected value itself, limited per user and assignment.

The instructor notebook is the grader fixture ``assignment.in.ipynb``: exercise ``q3``
expects ``144 ATRIUM-EXPECTED-CANARY`` within a relative tolerance of 0.001. No reply a
student gets may contain ``CANARY``.
"""

from __future__ import annotations

import pytest

from jupyterlab_atrium.errors import AtriumError
from jupyterlab_atrium.service.grading.config import AtriumGrader
from jupyterlab_atrium.service.grading.output_check import (
    MAX_OUTPUT_CHARS,
    OutputChecks,
    expected_output,
)

from .test_gallery_api import assert_error, rest_client
from .test_grading_assignments import STUDENT, TEACHER, instructor_notebook, release

pytestmark = pytest.mark.usefixtures("gallery_users")

BASE = ("atrium", "api", "service", "grading")
LIMIT = 6


@pytest.fixture
def jp_server_config(jp_server_config, database_url):
    jp_server_config["AtriumService"] = {"database_url": database_url}
    jp_server_config["AtriumGrader"] = {
        "instructors": [TEACHER],
        "output_checks_per_minute": LIMIT,
    }
    return jp_server_config


@pytest.fixture
def api(jp_fetch):
    return rest_client(jp_fetch, BASE)


async def check(api, aid, output, exercise="q3", user=STUDENT):
    return await api(
        "POST",
        "assignments",
        aid,
        "output-check",
        user=user,
        body={"exercise": exercise, "output": output},
    )


async def test_a_check_says_pass_or_fail_and_nothing_of_the_answer(api):
    aid = (await release(api)).json["id"]
    verdicts = []
    for output in [
        "144 ATRIUM-EXPECTED-CANARY\n",  # what the solution prints
        "  144\tATRIUM-EXPECTED-CANARY ",  # whitespace is not the answer
        "144.1 ATRIUM-EXPECTED-CANARY",  # within the relative tolerance of 0.001
        "145 ATRIUM-EXPECTED-CANARY",  # a wrong number
        "",  # nothing printed
    ]:
        reply = await check(api, aid, output)
        assert reply.code == 200, reply
        assert b"CANARY" not in reply.raw
        assert set(reply.json) == {"exercise", "passed", "version", "checksLeft"}
        assert reply.headers["Cache-Control"] == "no-store"
        verdicts.append(reply.json["passed"])
    assert verdicts == [True, True, True, False, False]
    assert reply.json["checksLeft"] == LIMIT - 5


async def test_what_cannot_be_checked_is_refused_with_a_reason(api):
    aid = (await release(api)).json["id"]
    assert_error(await check(api, aid, "x", exercise="q9"), 404, "not-found")
    # q1 is checked by its tests in the student's kernel, not by output
    assert_error(await check(api, aid, "x", exercise="q1"), 404, "not-found")
    assert_error(await check(api, "0" * 32, "x"), 404, "not-found")
    for body in [
        {"exercise": "q3"},
        {"exercise": "q3", "output": 144},
        {"exercise": "../q3", "output": "x"},
        {"exercise": "q3", "output": "x", "expected": "leak?"},
        [],
    ]:
        reply = await api("POST", "assignments", aid, "output-check", user=STUDENT, body=body)
        assert reply.code == 400, reply
        assert b"CANARY" not in reply.raw
    reply = await api("POST", "assignments", aid, "output-check", user=STUDENT, raw=b"{nope")
    assert reply.code == 400, reply
    reply = await check(api, aid, "1" * (MAX_OUTPUT_CHARS + 1))
    assert_error(reply, 413, "too-large")


async def test_checks_are_limited_per_user_and_assignment(api):
    first = (await release(api)).json["id"]
    second = (await release(api)).json["id"]
    for _ in range(LIMIT):
        assert (await check(api, first, "1")).code == 200
    refused = assert_error(await check(api, first, "1"), 429, "too-many-checks")
    assert 1 <= refused["retryAfter"] <= 61
    assert "output_checks_per_minute" in refused["message"]
    # Other assignments and other users have their own allowance; refusals are not counted
    # before the request is known to be a check (a 404 costs nothing).
    assert (await check(api, second, "1")).code == 200
    assert (await check(api, first, "1", user="bob")).code == 200


def test_the_window_slides():
    clock = [1000.0]
    config = AtriumGrader(output_checks_per_minute=2)
    checks = OutputChecks(assignments=None, config=config, clock=lambda: clock[0])  # type: ignore[arg-type]
    assert checks._admit("ann", "a") == 1
    clock[0] += 30
    assert checks._admit("ann", "a") == 0
    with pytest.raises(AtriumError) as refused:
        checks._admit("ann", "a")
    assert refused.value.payload == {"retryAfter": 31}
    clock[0] += 30.5  # the first check is now older than a minute
    assert checks._admit("ann", "a") == 0
    unlimited = OutputChecks(None, AtriumGrader(output_checks_per_minute=0))  # type: ignore[arg-type]
    assert all(unlimited._admit("ann", "a") == -1 for _ in range(100))


def test_an_exercise_captured_without_text_cannot_be_checked():
    notebook = instructor_notebook()
    grader = notebook["cells"][6]["metadata"]["atrium"]["grader"]
    grader["expected"] = {"image/png": "iVBORw0KGgo="}
    with pytest.raises(AtriumError) as refused:
        expected_output(notebook, "q3")
    assert refused.value.status == 409
    # A table whose text is only an object's default repr is compared as a table: official
    # grading reads the table, the text a browser sends cannot be compared with it.
    grader["expected"] = {
        "text/plain": "<pandas.io.formats.style.Styler at 0x7f0011223344>",
        "text/html": "<table><tr><th>a</th></tr><tr><td>1</td></tr></table>",
    }
    with pytest.raises(AtriumError) as refused:
        expected_output(notebook, "q3")
    assert refused.value.status == 409
    expected = expected_output(instructor_notebook(), "q3")
    assert (expected.text, expected.tolerance) == ("144 ATRIUM-EXPECTED-CANARY", 0.001)
