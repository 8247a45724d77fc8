"""Hub-service mode, for real: the gallery on JupyterHub, shared through one Atrium service.

One module-wide deployment, all real processes: a throwaway PostgreSQL cluster in which the
service's role must log in with a password (scram-sha-256, given to the service only in
ATRIUM_DATABASE_PASSWORD); a JupyterHub with configurable-http-proxy from tests/hub/,
SharedPasswordAuthenticator and SimpleLocalProcessSpawner; the Atrium service as a managed
hub service; and two users' own Jupyter servers with jupyterlab_atrium in hub-service mode.

Every gallery call goes where a browser sends it: through the hub's proxy to the user's own
server (``/user/<name>/atrium/api/service/gallery/...``) with that user's own hub token. The
user's server forwards it to the service with its server token, which is how the service
learns who is asking. Nothing here talks to the service directly.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
import requests
from psycopg import sql

from jupyterlab_atrium.gallery.strip import check_stripped

from .conftest import PostgresCluster, free_port
from .hub_harness import (
    Hub,
    HubSetup,
    hub_config,
    launch_hub,
    marked_processes,
    stop_hub,
    wait_ready,
)

pytestmark = pytest.mark.timeout(300)

ADA, BEN = "ada", "ben"
DB_ROLE = "atrium_gallery"
FIXTURES = Path(__file__).parent / "fixtures" / "strip"

ATRIUM_HUB_CONFIG = """
import sys

# The Atrium service, started and stopped by the hub; the password only in its environment.
c.JupyterHub.services = [
    {{
        "name": "atrium",
        "url": "http://127.0.0.1:{service_port}",
        "command": [
            sys.executable, "-m", "jupyterlab_atrium.service",
            "--AtriumService.database_url={database_url}",
            # Reviews: the hub group qa-reviewers reviews technically.
            '--AtriumGallery.review_kinds={{"technical": ["qa-reviewers"]}}',
        ],
        "environment": {{
            "ATRIUM_DATABASE_PASSWORD": os.environ["ATRIUM_DATABASE_PASSWORD"],
            "ATRIUM_TEST_HUB_RUN": os.environ["ATRIUM_TEST_HUB_RUN"],
        }},
    }},
]
# Users may use the service, and their servers' tokens carry that right.
c.JupyterHub.load_roles = [
    {{"name": "user", "scopes": ["self", "access:services!service=atrium"]}},
]
# JupyterHub groups, as an authenticator syncing them from LDAP would leave them: the gallery
# reads them from each user's hub identity.
c.JupyterHub.load_groups = {{
    "radiology": {{"users": [{ada!r}, {ben!r}]}},
    "ada-solo": {{"users": [{ada!r}]}},
    "qa-reviewers": {{"users": [{ada!r}]}},
}}
c.Spawner.server_token_scopes = [
    "users:activity!user",
    "access:servers!server",
    "access:services!service=atrium",
]
# Users' servers: local processes (the tests run as root), each in its own home folder.
c.SimpleLocalProcessSpawner.home_dir_template = {homes!r} + "/{{username}}"
c.Spawner.cmd = [sys.executable, "-m", "jupyterhub.singleuser"]
c.Spawner.args = ["--allow-root"]
SERVICE_URL = "http://127.0.0.1:{service_port}/services/atrium/"


# Both documented ways to set c.AtriumApp.service_url, one per user.
def point_at_the_service(spawner):
    if spawner.user.name == {ada!r}:  # on the server's command line (c.Spawner.args)
        spawner.args = [*spawner.args, f"--AtriumApp.service_url={{SERVICE_URL}}"]
    else:  # in a config file, as singleuser.extraFiles writes one on Kubernetes
        import json
        from pathlib import Path

        # Not in jupyter_server_config.d/, which jupyter_server reads for extensions only.
        config_dir = Path(spawner.home_dir) / ".jupyter"
        config_dir.mkdir(parents=True, exist_ok=True)
        settings = {{"AtriumApp": {{"service_url": SERVICE_URL}}}}
        (config_dir / "jupyter_server_config.json").write_text(json.dumps(settings))


c.Spawner.pre_spawn_hook = point_at_the_service
c.Spawner.environment = {{"ATRIUM_TEST_HUB_RUN": os.environ["ATRIUM_TEST_HUB_RUN"]}}
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
"""


# --- the deployment ---------------------------------------------------------------------


@dataclass
class User:
    """A user as their browser sees the gallery: their own server, their own hub token."""

    name: str
    token: str
    hub: Hub

    @property
    def server(self) -> str:
        return f"{self.hub.url}/user/{self.name}"

    def call(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        headers: dict[str, str] | None = None,
        params: dict[str, Any] | None = None,
    ) -> requests.Response:
        """``path`` under the user's ``/atrium/api/service/``, e.g. ``gallery/notebooks``."""
        all_headers = {"Authorization": f"token {self.token}", **(headers or {})}
        raw = None
        if body is not None:
            raw = json.dumps(body).encode()
            all_headers["Content-Type"] = "application/json"
        return requests.request(
            method,
            f"{self.server}/atrium/api/service/{path}",
            data=raw,
            headers=all_headers,
            params=params,
            allow_redirects=False,
            timeout=60,
        )


@dataclass
class Deployment:
    hub: Hub
    users: dict[str, User]
    postgres: PostgresCluster
    database: str
    db_password: str

    def context(self) -> str:
        """What a failed assertion shows: the end of the hub's log (services log there too)."""
        return self.hub.log_tail(6000)


def _prepare_database(cluster: PostgresCluster, password: str) -> str:
    """A database owned by a role that can only log in over TCP with its password."""
    with psycopg.connect(
        f"host=127.0.0.1 port={cluster.port} user={cluster.user} dbname=postgres", autocommit=True
    ) as conn:
        conn.execute("SET password_encryption = 'scram-sha-256'")
        conn.execute(
            sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                sql.Identifier(DB_ROLE), sql.Literal(password)
            )
        )
        conn.execute(f"CREATE DATABASE {DB_ROLE} OWNER {DB_ROLE}")
        hba = cluster.dir / "data" / "pg_hba.conf"
        # First match wins: this role needs its password, everyone else keeps trust.
        hba.write_text(
            f"host all {DB_ROLE} 127.0.0.1/32 scram-sha-256\n"
            f"host all {DB_ROLE} ::1/128 scram-sha-256\n" + hba.read_text()
        )
        conn.execute("SELECT pg_reload_conf()")
    return DB_ROLE


def _user_token(hub: Hub, name: str) -> str:
    """The user asks the hub for an API token with their name and password."""
    reply = requests.post(
        f"{hub.url}/hub/api/users/{name}/tokens",
        json={"auth": {"username": name, "password": hub.password}, "note": "gallery test"},
        timeout=30,
    )
    assert reply.status_code == 201, f"{reply.status_code} {reply.text}\n{hub.log_tail()}"
    return reply.json()["token"]


def _start_server(hub: Hub, user: User) -> None:
    # The hub answers once the server runs, or after 10 s with 202 while it still starts.
    reply = requests.post(
        f"{hub.url}/hub/api/users/{user.name}/server",
        headers={"Authorization": f"token {user.token}"},
        timeout=60,
    )
    assert reply.status_code in (201, 202), f"{reply.status_code} {reply.text}"


def _start_servers(hub: Hub, users: list[User], timeout: float = 180) -> None:
    with ThreadPoolExecutor(len(users)) as pool:
        for started in [pool.submit(_start_server, hub, user) for user in users]:
            started.result()
    deadline = time.monotonic() + timeout
    waiting = list(users)
    while waiting:
        if hub.process.poll() is not None:
            pytest.fail(f"JupyterHub exited with {hub.process.returncode}:\n{hub.log_tail()}")
        if time.monotonic() > deadline:
            pytest.fail(
                f"servers of {[u.name for u in waiting]} not ready in {timeout}s:\n"
                + hub.log_tail(8000)
            )
        user = waiting[0]
        try:
            # Ready once the user's own server answers through the proxy with Atrium loaded.
            if user.call("GET", "status").status_code == 200:
                waiting.pop(0)
                continue
        except requests.RequestException:
            pass
        time.sleep(0.5)


@pytest.fixture(scope="module")
def deployment(tmp_path_factory) -> Iterator[Deployment]:
    root = tmp_path_factory.mktemp("gallery-hub")
    cluster = PostgresCluster()
    hub: Hub | None = None
    try:
        cluster.start()
        db_password = secrets.token_urlsafe(18)
        database = _prepare_database(cluster, db_password)
        # No password in the URL: the service reads it from ATRIUM_DATABASE_PASSWORD.
        database_url = f"postgresql+psycopg://{DB_ROLE}@127.0.0.1:{cluster.port}/{database}"
        service_port = free_port()
        setup = HubSetup(root / "hub")
        homes = root / "home"
        homes.mkdir()
        config = hub_config(setup, users={ADA, BEN})
        config += ATRIUM_HUB_CONFIG.format(
            service_port=service_port,
            database_url=database_url,
            homes=str(homes),
            ada=ADA,
            ben=BEN,
        )
        hub = launch_hub(setup, config, env={"ATRIUM_DATABASE_PASSWORD": db_password})
        wait_ready(hub)
        users = {name: User(name, _user_token(hub, name), hub) for name in (ADA, BEN)}
        _start_servers(hub, list(users.values()))
        yield Deployment(hub, users, cluster, database, db_password)
    finally:
        try:
            if hub is not None:
                stop_hub(hub)
        finally:
            cluster.stop()


@pytest.fixture(scope="module")
def ada(deployment) -> User:
    return deployment.users[ADA]


@pytest.fixture(scope="module")
def ben(deployment) -> User:
    return deployment.users[BEN]


# --- helpers for the gallery API --------------------------------------------------------


def notebook(*sources: str, title: str = "") -> dict[str, Any]:
    """A notebook as JupyterLab uploads it: stripped by the strip contract."""
    cells: list[dict[str, Any]] = []
    if title:
        cells.append({"cell_type": "markdown", "id": "title", "metadata": {}, "source": title})
    for index, source in enumerate(sources):
        cells.append(
            {
                "cell_type": "code",
                "execution_count": None,
                "id": f"cell-{index}",
                "metadata": {},
                "outputs": [],
                "source": source,
            }
        )
    nb = {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    assert check_stripped(nb) == []
    return nb


def expect(reply: requests.Response, status: int, deployment: Deployment | None = None) -> Any:
    context = f"\n{deployment.context()}" if deployment and reply.status_code >= 500 else ""
    assert reply.status_code == status, (
        f"{reply.request.method} {reply.request.path_url}: {reply.status_code} {reply.text}"
        f"{context}"
    )
    if reply.status_code == 204 or not reply.content:
        return None
    return reply.json()


def publish(user: User, nb: dict[str, Any], **fields: Any) -> tuple[dict[str, Any], str]:
    body = {
        "title": "Untitled",
        "description": "",
        "tags": [],
        "visibility": "public",
        "notebook": nb,
        **fields,
    }
    reply = user.call("POST", "gallery/notebooks", body=body)
    summary = expect(reply, 201)
    return summary, reply.headers["ETag"]


# --- the tests --------------------------------------------------------------------------


def test_both_servers_use_the_one_service_on_postgresql(deployment, ada, ben):
    # Ada's server got the service URL on its command line, Ben's from a config file.
    installations = set()
    for user in (ada, ben):
        status = expect(user.call("GET", "status"), 200, deployment)
        assert status["mode"] == "hub-service"
        assert status["database"]["backend"] == "postgresql"
        assert status["database"]["upToDate"] is True
        installations.add(status["database"]["installation"])
    assert len(installations) == 1 and None not in installations


def test_the_database_password_reaches_only_the_service_environment(deployment):

    # The role really needs its password, so the service did get it from its environment...
    with pytest.raises(psycopg.OperationalError, match="password"):
        psycopg.connect(
            f"host=127.0.0.1 port={deployment.postgres.port} user={DB_ROLE} "
            f"dbname={deployment.database} connect_timeout=5",
        ).close()
    # ...and never on a command line: not the hub's, the service's or the users' servers'.
    password = deployment.db_password.encode()
    pids = marked_processes(deployment.hub.marker)
    assert len(pids) >= 5, pids  # hub, proxy, service, two users' servers
    for pid in pids:
        assert password not in Path(f"/proc/{pid}/cmdline").read_bytes()


def test_a_users_token_opens_only_their_own_server(deployment, ada, ben):
    # Ada cannot act as Ben by sending her token to Ben's server...
    stranger = User(BEN, ada.token, deployment.hub)
    assert stranger.call("GET", "status").status_code == 403
    reply = stranger.call(
        "POST", "gallery/notebooks", body={"title": "Not Ben's", "notebook": notebook("x = 1")}
    )
    assert reply.status_code == 403
    # ...and without a token nobody gets through.
    anonymous = requests.get(
        f"{ben.server}/atrium/api/service/status", allow_redirects=False, timeout=30
    )
    assert anonymous.status_code == 403
    mine = expect(ben.call("GET", "gallery/notebooks", params={"mine": 1}), 200)
    assert all(item["title"] != "Not Ben's" for item in mine["items"])


def test_publish_find_review_and_accept_across_users(deployment, ada, ben):
    # Ada publishes; the word Ben will search for is only in a code cell.
    original = notebook(
        "import math\n\nzephyrometer = 0.87  # calibration factor\n",
        "def reading(raw):\n    return raw * zephyrometer\n",
        title="# Wind sensor calibration",
    )
    summary, etag = publish(
        ada,
        original,
        title="Wind sensor calibration",
        description="Turns raw anemometer counts into m/s.",
        tags=["sensors", "calibration"],
    )
    nb_id = summary["id"]
    assert etag == '"v1"'
    assert summary["owner"] == ADA and summary["version"] == 1 and summary["canEdit"] is True

    # Ben finds it by the word in the code cell, from his own server.
    found = expect(ben.call("GET", "gallery/notebooks", params={"q": "zephyrometer"}), 200)
    hits = {item["id"]: item for item in found["items"]}
    assert nb_id in hits, found
    hit = hits[nb_id]
    assert hit["owner"] == ADA and hit["canEdit"] is False and hit["openChangeRequests"] == 0
    assert "zephyrometer" in hit.get("snippet", "zephyrometer")
    missing = expect(ben.call("GET", "gallery/notebooks", params={"q": "barometrics"}), 200)
    assert nb_id not in {item["id"] for item in missing["items"]}

    # ...and opens it: the content is what Ada published, with its version's ETag.
    reply = ben.call("GET", f"gallery/notebooks/{nb_id}/content")
    assert expect(reply, 200) == original
    assert reply.headers["ETag"] == '"v1"'

    # Ben changes a cell and files a change request.
    changed = json.loads(json.dumps(original))
    changed["cells"][1]["source"] = "zephyrometer = 0.91  # recalibrated in March\n"
    request = expect(
        ben.call(
            "POST",
            f"gallery/notebooks/{nb_id}/change-requests",
            body={"notebook": changed, "comment": "Recalibrated factor", "baseVersion": 1},
        ),
        201,
    )
    assert request["status"] == "open" and request["author"] == BEN
    assert request["notebookId"] == nb_id and request["baseVersion"] == 1
    crid = request["id"]
    outgoing = expect(ben.call("GET", "gallery/change-requests", params={"role": "outgoing"}), 200)
    assert crid in {item["id"] for item in outgoing["items"]}

    # Ada sees it among her incoming requests, with Ben's notebook, and accepts it.
    incoming = expect(
        ada.call("GET", "gallery/change-requests", params={"role": "incoming", "status": "open"}),
        200,
    )
    assert [(item["id"], item["author"]) for item in incoming["items"]] == [(crid, BEN)]
    assert expect(ada.call("GET", f"gallery/notebooks/{nb_id}"), 200)["openChangeRequests"] == 1
    detail = expect(ada.call("GET", f"gallery/change-requests/{crid}"), 200)
    assert detail["notebook"] == changed
    accepted = expect(
        ada.call("POST", f"gallery/change-requests/{crid}/accept", body={"note": "Thanks, Ben"}),
        200,
    )
    assert accepted["changeRequest"]["status"] == "accepted"
    assert accepted["changeRequest"]["decidedBy"] == ADA
    assert accepted["changeRequest"]["resultVersion"] == 2
    assert accepted["notebook"]["version"] == 2

    # Ben sees version 2, authored by him, with his change.
    reply = ben.call("GET", f"gallery/notebooks/{nb_id}")
    assert expect(reply, 200)["version"] == 2
    assert reply.headers["ETag"] == '"v2"'
    # The cheap sync check: If-None-Match reaches the service, 304 comes back.
    unchanged = ben.call("GET", f"gallery/notebooks/{nb_id}", headers={"If-None-Match": '"v2"'})
    assert unchanged.status_code == 304, unchanged.text
    content = ben.call("GET", f"gallery/notebooks/{nb_id}/content")
    assert expect(content, 200) == changed
    assert content.headers["ETag"] == '"v2"'
    first = ben.call("GET", f"gallery/notebooks/{nb_id}/content", params={"version": 1})
    assert expect(first, 200) == original
    versions = expect(ben.call("GET", f"gallery/notebooks/{nb_id}/versions"), 200)["items"]
    assert [(v["version"], v["author"]) for v in versions] == [(2, BEN), (1, ADA)]
    assert versions[0]["note"] == "Thanks, Ben"
    done = expect(
        ada.call("GET", "gallery/change-requests", params={"role": "incoming", "status": "open"}),
        200,
    )
    assert crid not in {item["id"] for item in done["items"]}


def test_the_service_decides_and_the_proxy_passes_its_answers_on(deployment, ada, ben):
    public, etag = publish(ada, notebook("anemometer_counts = []\n"), title="Counts")
    private, _ = publish(
        ada, notebook("quixotic_secret_plan = 1\n"), title="Plans", visibility="private"
    )
    body = {"notebook": notebook("anemometer_counts = [1]\n"), "note": "Ben was here"}

    # Ben cannot change Ada's notebook, nor delete it.
    refused = ben.call(
        "PUT", f"gallery/notebooks/{public['id']}", body=body, headers={"If-Match": etag}
    )
    assert expect(refused, 403)["reason"] == "forbidden"
    assert expect(ben.call("DELETE", f"gallery/notebooks/{public['id']}"), 403)["reason"] == (
        "forbidden"
    )
    # Ada's private notebook does not exist for Ben: not by id, not in its content, not in search.
    for path in (
        f"gallery/notebooks/{private['id']}",
        f"gallery/notebooks/{private['id']}/content",
    ):
        assert expect(ben.call("GET", path), 404)["reason"] == "not-found"
    hidden = ben.call(
        "PUT", f"gallery/notebooks/{private['id']}", body=body, headers={"If-Match": '"v1"'}
    )
    assert expect(hidden, 404)["reason"] == "not-found"
    search = expect(ben.call("GET", "gallery/notebooks", params={"q": "quixotic_secret_plan"}), 200)
    assert private["id"] not in {item["id"] for item in search["items"]}
    mine = expect(ada.call("GET", "gallery/notebooks", params={"q": "quixotic_secret_plan"}), 200)
    assert private["id"] in {item["id"] for item in mine["items"]}

    # A notebook that still has its outputs is refused, whoever sends it.
    with_outputs = json.loads((FIXTURES / "outputs-and-widgets.in.ipynb").read_text())
    assert check_stripped(with_outputs)
    reply = ada.call(
        "POST",
        "gallery/notebooks",
        body={
            "title": "Raw",
            "description": "",
            "tags": [],
            "visibility": "public",
            "notebook": with_outputs,
        },
    )
    rejected = expect(reply, 422)
    assert rejected["reason"] == "not-stripped" and rejected["message"]

    # Optimistic concurrency through the proxy: If-Match reaches the service.
    update = {"notebook": notebook("anemometer_counts = [2]\n"), "note": "v2"}
    reply = ada.call(
        "PUT", f"gallery/notebooks/{public['id']}", body=update, headers={"If-Match": etag}
    )
    assert expect(reply, 200)["version"] == 2
    assert reply.headers["ETag"] == '"v2"'
    stale = {"notebook": notebook("anemometer_counts = [3]\n"), "note": "from an old copy"}
    conflict = ada.call(
        "PUT", f"gallery/notebooks/{public['id']}", body=stale, headers={"If-Match": etag}
    )
    answer = expect(conflict, 409)
    assert answer["reason"] == "conflict" and answer["current"]["version"] == 2
    blind = ada.call("PUT", f"gallery/notebooks/{public['id']}", body=stale)
    assert expect(blind, 428)["reason"] == "precondition-required"
    latest = ada.call("GET", f"gallery/notebooks/{public['id']}/content")
    assert expect(latest, 200) == update["notebook"]


def test_hub_groups_own_and_share_notebooks(deployment, ada, ben):
    """Groups are the users' JupyterHub groups (``load_groups`` above), read by the service
    from each user's hub identity: a group's notebook is managed by every member, and a
    private notebook of a group ben is not in reaches him only once shared with his group."""
    team, _etag = publish(
        ada,
        notebook("rota = load('ward')"),
        title="Ward rota",
        visibility="private",
        owner="radiology",
        ownerKind="group",
    )
    assert (team["owner"], team["ownerKind"]) == ("radiology", "group")
    seen = expect(ben.call("GET", f"gallery/notebooks/{team['id']}"), 200, deployment)
    assert seen["canManage"] is True
    solo, etag = publish(
        ada,
        notebook("draft = 1"),
        title="Ada's draft",
        visibility="private",
        owner="ada-solo",
        ownerKind="group",
    )
    expect(ben.call("GET", f"gallery/notebooks/{solo['id']}"), 404)
    # Ben may not give his notebooks to a hub group he is not in.
    expect(
        ben.call(
            "POST",
            "gallery/notebooks",
            body={
                "title": "t",
                "notebook": notebook("x = 1"),
                "owner": "ada-solo",
                "ownerKind": "group",
            },
        ),
        403,
    )
    expect(
        ada.call(
            "PATCH",
            f"gallery/notebooks/{solo['id']}",
            body={"visibility": "shared"},
            headers={"If-Match": etag},
        ),
        200,
        deployment,
    )
    shares = ada.call(
        "PUT",
        f"gallery/notebooks/{solo['id']}/shares",
        body={"kind": "group", "name": "radiology", "access": "read"},
    )
    assert expect(shares, 200, deployment)["items"] == [
        {"kind": "group", "name": "radiology", "access": "read"}
    ]
    seen = expect(ben.call("GET", f"gallery/notebooks/{solo['id']}"), 200, deployment)
    assert (seen["canEdit"], seen["canManage"]) == (False, False)
    assert expect(ben.call("GET", "gallery/groups"), 200)["items"] == [
        {"name": "radiology", "role": "member"}
    ]


def test_hub_groups_make_reviewers_who_read_what_they_review(deployment, ada, ben):
    """Reviewers are the members of a kind's hub groups (``qa-reviewers`` above): ada reads
    ben's private notebook while its review is open, claims and approves it, and it is
    verified for ben; the decision ends her read."""
    private, _etag = publish(ben, notebook("dose = 2"), title="Scan protocol", visibility="private")
    nid = private["id"]
    expect(ada.call("GET", f"gallery/notebooks/{nid}"), 404)
    policy = expect(ada.call("GET", "gallery/policy"), 200)
    assert policy["reviewKinds"] == {"technical": ["qa-reviewers"]}
    assert policy["reviewerOf"] == ["technical"]
    review = expect(
        ben.call("POST", f"gallery/notebooks/{nid}/reviews", body={"kind": "technical"}),
        201,
        deployment,
    )
    assert (
        expect(ben.call("POST", f"gallery/reviews/{review['id']}/claim"), 403)["reason"]
        == "not-a-reviewer"
    )
    expect(ada.call("GET", f"gallery/notebooks/{nid}/content"), 200)

    def told(user: Any) -> list[tuple[str, dict[str, str]]]:
        items = expect(user.call("GET", "gallery/inbox"), 200)["items"]
        return [(e["kind"], e["via"]) for e in items if e["notebookId"] == nid]

    # The request reaches ada through her hub group, and waits in her queue.
    assert told(ada) == [("review-requested", {"kind": "group", "name": "qa-reviewers"})]
    queue = expect(ada.call("GET", "gallery/reviews"), 200)["items"]
    assert review["id"] in [item["id"] for item in queue]
    expect(ada.call("POST", f"gallery/reviews/{review['id']}/claim"), 200, deployment)
    approved = ada.call(
        "POST",
        f"gallery/reviews/{review['id']}/approve",
        body={"contentHash": private["contentHash"], "comment": "ok"},
    )
    decided = expect(approved, 200, deployment)
    assert decided["status"] == "approved" and decided["readable"] is False
    assert expect(ben.call("GET", f"gallery/notebooks/{nid}"), 200)["verified"] is True
    expect(ada.call("GET", f"gallery/notebooks/{nid}"), 404)
    # Ben is told of each step; ada's request event went with her read.
    me = {"kind": "user", "name": ben.name}
    assert told(ben) == [("review-approved", me), ("review-claimed", me)]
    assert told(ada) == []
