"""Assignments through a real jupyter_server with the embedded service, on SQLite and
PostgreSQL: release, roles, student versions, re-release with ETags, bad input.

Users are told apart by the ``gallery_users`` fixture (the server's real token, then a header
naming the user); ``teacher`` is an instructor through ``c.AtriumGrader.instructors``.

The instructor notebook is the grader fixture ``assignment.in.ipynb``: every solution, hidden
test, expected output and instructor note in it carries the word ``CANARY``, which must reach
no reply a student can get.
"""

from __future__ import annotations

import asyncio
import copy
import json
from pathlib import Path
from typing import Any

import pytest

from jupyterlab_atrium.grader import student_version

from .hub_standin import hub_service
from .test_gallery_api import Reply, assert_error, rest_client

pytestmark = pytest.mark.usefixtures("gallery_users")

BASE = ("atrium", "api", "service", "grading")
TEACHER, STUDENT = "teacher", "alice"
FIXTURE = Path(__file__).parent / "fixtures" / "grader" / "assignment.in.ipynb"
CANARY = b"CANARY"
INSTRUCTOR_FIELDS = {"contentHash", "createdAt", "releasedBy", "versionReleasedAt"}


def instructor_notebook() -> dict[str, Any]:
    return json.loads(FIXTURE.read_text())


def broken_notebook() -> dict[str, Any]:
    """The fixture with its first solution region left open (lint: unclosed-marker)."""
    notebook = instructor_notebook()
    answer = notebook["cells"][2]
    source = "".join(answer["source"])
    answer["source"] = source.replace("    ### END SOLUTION\n", "")
    assert answer["source"] != source
    return notebook


@pytest.fixture
def jp_server_config(jp_server_config, database_url):
    jp_server_config["AtriumService"] = {"database_url": database_url}
    jp_server_config["AtriumGrader"] = {"instructors": [TEACHER], "max_notebook_bytes": 512 * 1024}
    return jp_server_config


@pytest.fixture
def api(jp_fetch):
    return rest_client(jp_fetch, BASE)


async def release(api, **fields: Any) -> Reply:
    body = {"title": "Squares", "notebook": instructor_notebook(), **fields}
    reply = await api("POST", "assignments", user=TEACHER, body=body)
    assert reply.code == 201, reply
    return reply


# --- roles ---------------------------------------------------------------------------------


async def test_policy_says_who_is_an_instructor(api):
    assert (await api("GET", "policy", user=STUDENT)).json == {
        "user": STUDENT,
        "instructor": False,
        "maxNotebookBytes": 512 * 1024,
        "apiVersion": 1,
    }
    assert (await api("GET", "policy", user=TEACHER)).json["instructor"] is True


async def test_students_are_refused_every_instructor_endpoint(api):
    aid = (await release(api)).json["id"]
    body = {"title": "Mine now", "notebook": instructor_notebook()}
    refused = [
        await api("POST", "assignments", user=STUDENT, body=body),
        await api("PUT", "assignments", aid, user=STUDENT, body=body, headers={"If-Match": '"v1"'}),
        await api("DELETE", "assignments", aid, user=STUDENT),
        await api("GET", "assignments", aid, "instructor", user=STUDENT),
        # The role is checked before the id or the body is looked at.
        await api("GET", "assignments", "0" * 32, "instructor", user=STUDENT),
        await api("POST", "assignments", user=STUDENT, raw=b"{not json"),
    ]
    for reply in refused:
        assert_error(reply, 403, "forbidden")
    assert (await api("GET", "assignments", aid, user=TEACHER)).json["version"] == 1
    assert len((await api("GET", "assignments", user=TEACHER)).json["items"]) == 1


def test_the_instructor_rule_reads_names_and_hub_groups():
    """One rule decides: a configured name, or (hub-service mode) a configured hub group; the
    hub handler reads the groups from the user's hub identity."""
    from types import SimpleNamespace

    from jupyterlab_atrium.service.grading.config import AtriumGrader
    from jupyterlab_atrium.service.hub import HubServiceHandler

    config = AtriumGrader(instructors={"ada"}, instructor_groups={"teachers"})

    def instructor(model: dict[str, Any]) -> bool:
        handler = SimpleNamespace(current_user=model)
        return config.is_instructor(model["name"], HubServiceHandler.atrium_groups(handler))

    assert instructor({"name": "ada", "groups": []})
    assert instructor({"name": "ben", "groups": ["staff", "teachers"]})
    assert not instructor({"name": "cy", "groups": ["staff"]})
    assert not instructor({"name": "teachers"})  # a user named like the group is not in it
    assert not instructor({"name": "dee", "admin": True})  # hub admins are not instructors


# --- release and read ----------------------------------------------------------------------


async def test_release_stores_the_instructor_copy_and_serves_the_student_version(api):
    notebook = instructor_notebook()
    reply = await release(api, course="Maths 101", deadline="2030-01-31T23:59:00+01:00")
    created = reply.json
    assert reply.headers["ETag"] == '"v1"'
    assert created["version"] == 1 and len(created["id"]) == 32
    assert created["deadline"] == "2030-01-31T22:59:00.000Z"
    assert created["reveal"] == "message-only" and created["latePenalty"] == 0
    assert created["points"] == 7
    assert [(e["id"], e["points"]) for e in created["exercises"]] == [
        ("q1", 3),
        ("q2", 3),
        ("q3", 1),
    ]
    assert created["findings"] == []
    assert INSTRUCTOR_FIELDS <= created.keys() and created["releasedBy"] == TEACHER

    aid = created["id"]
    student = await api("GET", "assignments", aid, "student", user=STUDENT)
    assert student.code == 200 and student.headers["ETag"] == '"v1"'
    expected = student_version(notebook)
    expected["metadata"]["atrium"]["assignment"] = {"id": aid, "version": 1}
    assert student.json == expected

    instructor = await api("GET", "assignments", aid, "instructor", user=TEACHER)
    assert instructor.json == notebook

    summary = (await api("GET", "assignments", aid, user=STUDENT)).json
    assert not INSTRUCTOR_FIELDS & summary.keys()
    assert summary["course"] == "Maths 101" and summary["title"] == "Squares"
    listed = (await api("GET", "assignments", user=STUDENT)).json["items"]
    assert listed == [summary]


async def test_no_reply_a_student_can_get_holds_a_solution_or_hidden_test(api):
    """Every route a student may call, with good and bad input: no canary in any reply."""
    aid = (await release(api)).json["id"]
    # The instructor's own replies do hold them (so the check below can fail).
    assert CANARY in (await api("GET", "assignments", aid, "instructor", user=TEACHER)).raw

    replies = [
        await api("GET", "assignments", user=STUDENT),
        await api("GET", "assignments", aid, user=STUDENT),
        await api("GET", "assignments", aid, "student", user=STUDENT),
        await api("GET", "assignments", aid, "instructor", user=STUDENT),
        await api("GET", "assignments", aid, "solution", user=STUDENT),
        await api("GET", "assignments", aid.upper(), "student", user=STUDENT),
        await api("GET", "assignments", f"{aid}%00", user=STUDENT),
        await api("PUT", "assignments", aid, user=STUDENT, body={"notebook": {}}),
        await api("POST", "assignments", user=STUDENT, body={"notebook": broken_notebook()}),
        await api("DELETE", "assignments", aid, user=STUDENT),
        await api("GET", "policy", user=STUDENT),
    ]
    for reply in replies:
        assert reply.code < 500, reply
        assert CANARY not in reply.raw, reply
    assert [reply.code for reply in replies] == [
        200,
        200,
        200,
        403,
        404,
        404,
        404,
        403,
        403,
        403,
        200,
    ]


async def test_lint_errors_refuse_the_release_with_the_findings(api):
    reply = await api(
        "POST", "assignments", user=TEACHER, body={"title": "Broken", "notebook": broken_notebook()}
    )
    body = assert_error(reply, 422, "lint-errors")
    assert "cell 3" in body["message"]
    assert body["findingsTotal"] == len(body["findings"]) >= 1
    assert {f["rule"] for f in body["findings"] if f["severity"] == "error"} == {"unclosed-marker"}
    assert (await api("GET", "assignments", user=TEACHER)).json["items"] == []


async def test_lint_warnings_are_returned_and_do_not_refuse(api):
    notebook = instructor_notebook()
    notebook["cells"][2]["source"] = "def square(x):\n    return x * x\n"  # no markers
    reply = await release(api, notebook=notebook)
    assert [f["rule"] for f in reply.json["findings"]] == ["answer-without-markers"]


async def test_a_scheduled_release_is_hidden_from_students_until_then(api):
    aid = (await release(api, releaseAt="2999-01-01T00:00:00Z")).json["id"]
    assert_error(await api("GET", "assignments", aid, user=STUDENT), 404, "not-found")
    assert_error(await api("GET", "assignments", aid, "student", user=STUDENT), 404, "not-found")
    assert (await api("GET", "assignments", user=STUDENT)).json["items"] == []
    assert (
        (await api("GET", "assignments", aid, user=TEACHER))
        .json["releasedAt"]
        .startswith("2999-01-01")
    )


# --- re-release, delete --------------------------------------------------------------------


async def test_rerelease_writes_a_new_version_and_a_stale_one_gets_409(api):
    aid = (await release(api, deadline="2030-01-01T00:00:00Z", latePenalty=0.1)).json["id"]
    fixed = instructor_notebook()
    fixed["cells"][0]["source"] = "# Squares, corrected"
    put = await api(
        "PUT",
        "assignments",
        aid,
        user=TEACHER,
        body={"notebook": fixed, "reveal": "score-only"},
        headers={"If-Match": '"v1"'},
    )
    assert put.code == 200, put
    assert put.headers["ETag"] == '"v2"' and put.json["version"] == 2
    # Left out: kept; given: changed.
    assert put.json["deadline"] == "2030-01-01T00:00:00.000Z" and put.json["latePenalty"] == 0.1
    assert put.json["reveal"] == "score-only" and put.json["title"] == "Squares"
    student = (await api("GET", "assignments", aid, "student", user=STUDENT)).json
    assert student["cells"][0]["source"] == "# Squares, corrected"
    assert student["metadata"]["atrium"]["assignment"] == {"id": aid, "version": 2}

    stale = await api(
        "PUT",
        "assignments",
        aid,
        user=TEACHER,
        body={"notebook": fixed},
        headers={"If-Match": '"v1"'},
    )
    body = assert_error(stale, 409, "conflict")
    assert body["current"]["version"] == 2 and stale.headers["ETag"] == '"v2"'
    missing = await api("PUT", "assignments", aid, user=TEACHER, body={"notebook": fixed})
    assert_error(missing, 428, "precondition-required")
    cleared = await api(
        "PUT",
        "assignments",
        aid,
        user=TEACHER,
        body={"notebook": fixed, "deadline": None},
        headers={"If-Match": '"v2"'},
    )
    assert cleared.json["deadline"] is None and cleared.json["version"] == 3


async def test_simultaneous_rereleases_from_one_version_write_one(api):
    aid = (await release(api)).json["id"]

    async def rerelease(title: str) -> Reply:
        return await api(
            "PUT",
            "assignments",
            aid,
            user=TEACHER,
            body={"title": title, "notebook": instructor_notebook()},
            headers={"If-Match": '"v1"'},
        )

    replies = await asyncio.gather(*(rerelease(f"Take {n}") for n in range(4)))
    assert sorted(reply.code for reply in replies) == [200, 409, 409, 409], replies
    winner = next(reply for reply in replies if reply.code == 200)
    current = (await api("GET", "assignments", aid, user=TEACHER)).json
    assert current["version"] == 2 and current["title"] == winner.json["title"]


async def test_delete_removes_the_assignment_and_its_versions(api):
    aid = (await release(api)).json["id"]
    stale = await api("DELETE", "assignments", aid, user=TEACHER, headers={"If-Match": '"v7"'})
    assert_error(stale, 409, "conflict")
    malformed = await api("DELETE", "assignments", aid, user=TEACHER, headers={"If-Match": "v1"})
    assert_error(malformed, 428, "precondition-required")
    assert (await api("DELETE", "assignments", aid, user=TEACHER)).code == 204
    assert_error(await api("GET", "assignments", aid, user=TEACHER), 404, "not-found")
    assert_error(await api("DELETE", "assignments", aid, user=TEACHER), 404, "not-found")


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "reason", "words"),
    [
        ({"title": None}, "bad-request", "'title' is required"),
        ({"title": "   "}, "bad-request", "'title' must not be empty"),
        ({"title": "x" * 201}, "bad-request", "longer than 200"),
        ({"title": "bad\ud800"}, "bad-request", "surrogate"),
        ({"course": 5}, "bad-request", "'course' must be text"),
        ({"notebook": None}, "bad-request", "'notebook' is required"),
        ({"deadline": "tomorrow"}, "bad-request", "'deadline' must be an ISO 8601 date"),
        ({"deadline": "2030-01-01T00:00:00"}, "bad-request", "time zone"),
        ({"deadline": "0001-01-01T00:00:00+05:00"}, "bad-request", "out of range"),
        ({"deadline": 20300101}, "bad-request", "'deadline' must be text"),
        ({"lateUntil": "2030-01-01T00:00:00Z"}, "bad-request", "needs a 'deadline'"),
        (
            {"deadline": "2030-01-02T00:00:00Z", "lateUntil": "2030-01-01T00:00:00Z"},
            "bad-request",
            "before 'deadline'",
        ),
        ({"latePenalty": 1.5}, "bad-request", "from 0 to 1"),
        ({"latePenalty": True}, "bad-request", "from 0 to 1"),
        ({"reveal": "everything"}, "bad-request", "'reveal' is one of"),
        ({"solution": "x"}, "bad-request", "Unknown field 'solution'"),
        ({"notebook": []}, "lint-errors", "must be an object"),
        ({"notebook": {"cells": "no"}}, "lint-errors", ""),
    ],
)
async def test_bad_fields_get_a_clear_4xx(api, change, reason, words):
    body = {"title": "Squares", "notebook": instructor_notebook(), **change}
    body = {key: value for key, value in body.items() if value is not None or key != "title"}
    if change.get("notebook", 0) is None:
        body.pop("notebook")
    reply = await api("POST", "assignments", user=TEACHER, raw=json.dumps(body).encode())
    error = assert_error(reply, 422 if reason == "lint-errors" else 400, reason)
    assert words in error["message"], error


@pytest.mark.parametrize(
    "raw", [b"{not json", b"[1, 2]", b'"text"', b'{"title": NaN}', b"\xff\xfe", b""]
)
async def test_malformed_bodies_get_400(api, raw):
    reply = await api("POST", "assignments", user=TEACHER, raw=raw)
    assert reply.code == 400, reply
    assert reply.json["reason"] in ("invalid-json", "bad-request")


async def test_hostile_text_inside_the_notebook_is_stored_and_served_back(api):
    """NUL and lone surrogates inside cells: stored as JSON escapes on every backend."""
    notebook = instructor_notebook()
    notebook["cells"][-1]["source"] = "x = '\x00\ud800 \u2603'\n"
    aid = (await release(api, notebook=notebook)).json["id"]
    back = await api("GET", "assignments", aid, "instructor", user=TEACHER)
    assert back.json["cells"][-1]["source"] == "x = '\x00\ud800 \u2603'\n"


async def test_an_oversized_release_gets_413(api):
    notebook = instructor_notebook()
    notebook["cells"][-1]["source"] = "#" * (600 * 1024)
    reply = await api(
        "POST", "assignments", user=TEACHER, body={"title": "Big", "notebook": notebook}
    )
    assert_error(reply, 413, "too-large")
    assert "c.AtriumGrader.max_notebook_bytes" in reply.json["message"]


@pytest.mark.parametrize("aid", ["0" * 32, "nope", "A" * 32, "x" * 500, "%E2%98%83", "..%2Fpolicy"])
async def test_unknown_or_malformed_ids_get_404(api, aid):
    for user in (TEACHER, STUDENT):
        for path in ((aid,), (aid, "student")):
            reply = await api("GET", "assignments", *path, user=user)
            assert reply.code == 404, reply
            assert reply.json["reason"] in ("not-found", "Not Found")


async def test_a_stale_etag_form_with_edits_is_a_conflict_not_a_crash(api):
    aid = (await release(api)).json["id"]
    reply = await api(
        "PUT",
        "assignments",
        aid,
        user=TEACHER,
        body={"notebook": copy.deepcopy(instructor_notebook())},
        headers={"If-Match": '"v1.3"'},
    )
    assert_error(reply, 409, "conflict")
    bad = await api(
        "PUT",
        "assignments",
        aid,
        user=TEACHER,
        body={"notebook": {}},
        headers={"If-Match": "v1"},
    )
    assert_error(bad, 428, "precondition-required")


# --- hub-service mode ----------------------------------------------------------------------


async def test_hub_service_mode_makes_instructors_of_hub_group_members(database_url):
    """The real hub service with JupyterHub's user API stood in for: a member of a group in
    ``instructor_groups`` releases; another hub user is a student."""
    from jupyterlab_atrium.service.grading.config import AtriumGrader

    groups = {"tess": ["staff", "teachers"], "sam": ["students"]}
    grader = AtriumGrader(instructor_groups={"teachers"})
    async with hub_service(database_url, groups, grader=grader) as hub_call:

        async def call(method: str, path: str, user: str, body: Any = None) -> Reply:
            return await hub_call(method, f"grading/{path}", user, body)

        assert (await call("GET", "policy", "tess")).json["instructor"] is True
        assert (await call("GET", "policy", "sam")).json["instructor"] is False
        body = {"title": "Squares", "notebook": instructor_notebook()}
        assert_error(await call("POST", "assignments", "sam", body), 403, "forbidden")
        created = await call("POST", "assignments", "tess", body)
        assert created.code == 201, created
        aid = created.json["id"]
        student = await call("GET", f"assignments/{aid}/student", "sam")
        assert student.code == 200 and CANARY not in student.raw
        assert_error(await call("GET", f"assignments/{aid}/instructor", "sam"), 403, "forbidden")
        assert CANARY in (await call("GET", f"assignments/{aid}/instructor", "tess")).raw
