"""The roster: a gradebook lists the students of ``c.AtriumGrader.students`` (and, in
hub-service mode, the members of ``student_groups``) who have not submitted, through a real
jupyter_server with the embedded service on SQLite and PostgreSQL; the hub's group API is
read over HTTP with a deadline (a small tornado app stands in for the hub's REST API).
"""

from __future__ import annotations

import csv
import io
import json

import pytest
import tornado.web
from jupyterhub.services.auth import HubAuth

from jupyterlab_atrium.errors import AtriumError
from jupyterlab_atrium.service.grading.config import AtriumGrader
from jupyterlab_atrium.service.grading.roster import roster

from .conftest import free_port
from .test_gallery_api import rest_client
from .test_grading_assignments import TEACHER
from .test_grading_gradebook import release, store, submit_graded  # noqa: F401 - fixture

pytestmark = pytest.mark.usefixtures("gallery_users")

BASE = ("atrium", "api", "service", "grading")


@pytest.fixture
def jp_server_config(jp_server_config, database_url):
    jp_server_config["AtriumService"] = {"database_url": database_url}
    jp_server_config["AtriumGrader"] = {
        "instructors": [TEACHER],
        "students": ["alice", "zoe", "yan", TEACHER],
        "submissions_per_hour": 0,
        "local_workers": 0,
    }
    return jp_server_config


@pytest.fixture
def api(jp_fetch):
    return rest_client(jp_fetch, BASE)


async def test_students_who_have_not_submitted_are_in_the_gradebook_and_the_export(api, store):  # noqa: F811
    aid = await release(api)
    submit_graded(store, aid, "alice", [True, True])
    submit_graded(store, aid, "alice", [False, True])
    submit_graded(store, aid, "bob", [True, True])  # not on the roster: listed all the same
    book = (await api("GET", "assignments", aid, "gradebook", user=TEACHER)).json
    assert [entry["user"] for entry in book["students"]] == ["alice", "bob", "yan", "zoe"]
    zoe = book["students"][3]
    assert zoe == {
        "user": "zoe",
        "submission": None,
        "submissions": 0,
        "submittedAt": None,
        "gradedAt": None,
        "state": "not-submitted",
        "late": False,
        "maxScore": 7,
        "rawScore": None,
        "penalty": None,
        "score": None,
        "exercises": {},
    }
    stats = book["statistics"]
    assert stats["notSubmitted"] == 2
    assert stats["medianSubmissions"] == 1.5  # of those who submitted
    assert stats["total"]["graded"] == 2

    reply = await api("GET", "assignments", aid, "gradebook", "csv", user=TEACHER)
    rows = {row["student_id"]: row for row in csv.DictReader(io.StringIO(reply.raw.decode()))}
    assert sorted(rows) == ["alice", "bob", "yan", "zoe"]
    assert (rows["yan"]["timestamp"], rows["yan"]["score"], rows["yan"]["max_score"]) == (
        "",
        "0.0",
        "7.0",
    )


# --- hub-service mode: groups from the hub's REST API -----------------------------------------

GROUPS = {"class-a": ["ann", "ben", "tina"], "teachers": ["tina"], "class-b": ["cid"]}
TOKEN = "service-token-for-the-test"


class GroupHandler(tornado.web.RequestHandler):
    """``GET /hub/api/groups/{name}`` as JupyterHub answers it, for the service's token."""

    def get(self, name: str) -> None:
        if self.request.headers.get("Authorization") != f"token {TOKEN}":
            raise tornado.web.HTTPError(403)
        if name not in GROUPS:
            raise tornado.web.HTTPError(404)
        self.finish(json.dumps({"kind": "group", "name": name, "users": GROUPS[name]}))


def serve_hub_api():
    """The group API on a loopback port (call it in the test's running event loop)."""
    port = free_port()
    app = tornado.web.Application([(r"/hub/api/groups/([^/]+)", GroupHandler)])
    return f"http://127.0.0.1:{port}/hub/api", app.listen(port, "127.0.0.1")


async def test_hub_groups_add_their_members_and_leave_instructors_out():
    hub_api, server = serve_hub_api()
    auth = HubAuth(api_url=hub_api, api_token=TOKEN)
    config = AtriumGrader(
        students={"carl"},
        student_groups={"class-a", "no-such-group"},
        instructor_groups={"teachers"},
    )
    try:
        assert await roster(config, auth) == {"ann", "ben", "carl"}
    finally:
        server.stop()
    # Embedded mode (no hub): the names only.
    assert await roster(config, None) == {"carl"}


async def test_a_hub_that_refuses_or_is_away_is_a_502_that_names_no_token():
    hub_api, server = serve_hub_api()
    config = AtriumGrader(student_groups={"class-a"})
    for auth in (
        HubAuth(api_url=hub_api, api_token="wrong-token"),
        HubAuth(api_url=f"http://127.0.0.1:{free_port()}/hub/api", api_token=TOKEN),
    ):
        with pytest.raises(AtriumError) as refused:
            await roster(config, auth)
        assert refused.value.status == 502 and refused.value.reason == "hub-unavailable"
        assert TOKEN not in str(refused.value) and "wrong-token" not in str(refused.value)
    server.stop()


ROSTER_HUB_CONFIG = """
c.JupyterHub.services = [{{"name": "atrium", "api_token": os.environ["ATRIUM_TEST_SERVICE_TOKEN"]}}]
# The grant docs/deployment.md asks for: the service reads groups' members.
c.JupyterHub.load_roles = [
    {{"name": "atrium-service", "scopes": ["read:groups"], "services": ["atrium"]}},
]
c.JupyterHub.load_groups = {groups!r}
"""


def test_a_real_hubs_groups_make_the_roster(tmp_path):
    """JupyterHub itself (tests/hub_harness.py) answers the service's group reads, with the
    scope docs/deployment.md gives the service."""
    import asyncio
    import secrets

    from .hub_harness import HubSetup, hub_config, launch_hub, stop_hub, wait_ready

    token = secrets.token_hex(16)
    setup = HubSetup(tmp_path / "hub")
    users = {"ann", "ben", "tina", "cid"}
    groups = {name: {"users": members} for name, members in GROUPS.items()}
    config = hub_config(setup, users=users) + ROSTER_HUB_CONFIG.format(groups=groups)
    hub = launch_hub(setup, config, env={"ATRIUM_TEST_SERVICE_TOKEN": token})
    try:
        wait_ready(hub)
        grader = AtriumGrader(student_groups={"class-a"}, instructor_groups={"teachers"})
        auth = HubAuth(api_url=f"{hub.url}/hub/api", api_token=token)
        assert asyncio.run(roster(grader, auth)) == {"ann", "ben"}, hub.log_tail()
    finally:
        stop_hub(hub)
