"""``/atrium/api/telemetry`` on a real jupyter_server: policy, validation, events, forwarding,
and the spool while the service is away (hub-service mode against a real service process
part: the service's own endpoints and database, with token authentication standing in for
JupyterHub's, the one edge a test cannot start cheaply)."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import stat
import time

import pytest
import sqlalchemy as sa
from tornado.web import Application, RequestHandler, stream_request_body

from jupyterlab_atrium.base import BoundedBodyMixin, JSONReplyMixin
from jupyterlab_atrium.service.config import AtriumService
from jupyterlab_atrium.service.core import Service
from jupyterlab_atrium.service.gallery.store import GalleryUser
from jupyterlab_atrium.service.handlers import build_routes
from jupyterlab_atrium.telemetry.spool import Spool

from .conftest import free_port
from .health_helpers import api_fixture, code_notebook, record
from .test_gallery_api import assert_error

SOURCES = ("import math", "x = math.sqrt(2)")
TELEMETRY = ("atrium", "api", "telemetry")


async def until(condition, timeout: float = 30.0, what: str = "condition"):
    """Poll ``condition`` (sync or async) until true, or fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


@pytest.fixture
def api(jp_fetch):
    return api_fixture(jp_fetch)


def event_log(serverapp) -> io.StringIO:
    """Route the server's events to a buffer, as an admin would with c.EventLogger.handlers."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    serverapp.event_logger.register_handler(handler)
    return out


# --- embedded mode --------------------------------------------------------------------------


@pytest.fixture
def embedded(jp_server_config, gallery_users, database_url, tmp_path):
    jp_server_config["AtriumService"] = {"database_url": database_url}
    jp_server_config["AtriumTelemetry"] = {"policy": "on", "spool_dir": str(tmp_path / "spool")}
    return jp_server_config


async def _publish(serverapp) -> tuple[Service, str]:
    service = serverapp.web_app.settings["atrium"].service
    summary = await service.run(
        service.gallery.create,
        GalleryUser("alice"),
        {"title": "T", "notebook": code_notebook(*SOURCES)},
    )
    return service, summary["id"]


async def _stored(service) -> int:
    def count() -> int:
        with service.database.engine.connect() as conn:
            return conn.scalar(sa.text("SELECT count(*) FROM health_executions"))

    return await service.run(count)


async def test_policy_off_refuses_records_and_stores_nothing(
    jp_server_config, gallery_users, api, jp_serverapp
):
    state = (await api("GET", *TELEMETRY)).json
    assert state == {
        "policy": "off",
        "enabled": False,
        "userChoice": False,
        "defaultOn": False,
        "spooled": 0,
    }
    service, nid = await _publish(jp_serverapp)
    reply = await api("POST", *TELEMETRY, body={"records": [record(nid, 0, SOURCES[0])]})
    assert_error(reply, 403, "telemetry-off")
    # Nor straight to the embedded service's own path.
    direct = await api(
        "POST",
        "atrium",
        "api",
        "service",
        "health",
        "executions",
        body={"records": [record(nid, 0, SOURCES[0])]},
    )
    assert_error(direct, 403, "telemetry-off")
    assert await _stored(service) == 0
    info = (await api("GET", "atrium", "api", "info")).json
    assert info["telemetry"]["policy"] == "off"


@pytest.fixture(params=[("opt_in", True, False), ("opt_out", True, True), ("on", False, True)])
def policy(request, jp_server_config):
    jp_server_config["AtriumTelemetry"] = {"policy": request.param[0]}
    return request.param


async def test_the_policy_in_force_is_published(policy, api):
    name, choice, on = policy
    state = (await api("GET", *TELEMETRY)).json
    assert state["policy"] == name and state["enabled"] is True
    assert state["userChoice"] is choice and state["defaultOn"] is on
    info = (await api("GET", "atrium", "api", "info")).json
    assert info["telemetry"] == {k: v for k, v in state.items() if k != "spooled"}


async def test_a_batch_is_validated_logged_without_hash_and_stored(embedded, api, jp_serverapp):
    log = event_log(jp_serverapp)
    service, nid = await _publish(jp_serverapp)
    batch = [record(nid, i, source) for i, source in enumerate(SOURCES)]
    reply = await api("POST", *TELEMETRY, user="bob", body={"records": batch})
    assert reply.code == 200, reply
    assert reply.json == {"accepted": 2, "duplicates": 0, "spooled": 0}
    assert await _stored(service) == 2
    events = [json.loads(line) for line in log.getvalue().splitlines()]
    assert [e["eventId"] for e in events] == [r["eventId"] for r in batch]
    for event, sent in zip(events, batch, strict=True):
        assert "fingerprint" not in event
        assert sent["fingerprint"] not in json.dumps(event)
        assert event["__schema__"].endswith("/jupyterlab_atrium/execution/v1")

    # Stored as the requesting user, keyed.
    def users() -> set[str]:
        with service.database.engine.connect() as conn:
            return set(conn.scalars(sa.text("SELECT user_hash FROM health_executions")))

    assert await service.run(users) == {service.health.user_hash("bob")}


@pytest.mark.parametrize(
    "change",
    [
        {"error": "ZeroDivisionError: CANARY"},
        {"success": "raised"},
        {"fingerprint": "CANARY"},
        {"durationMs": "12"},
        {"timestamp": "2000-01-01T00:00:00Z"},
    ],
)
async def test_a_bad_record_is_refused_and_nothing_is_logged_or_kept(
    embedded, api, jp_serverapp, tmp_path, change
):
    log = event_log(jp_serverapp)
    service, nid = await _publish(jp_serverapp)
    batch = [record(nid, 0, SOURCES[0]), {**record(nid, 1, SOURCES[1]), **change}]
    reply = await api("POST", *TELEMETRY, body={"records": batch})
    body = assert_error(reply, 400, "invalid-record")
    assert body["message"].startswith("Record 1: ")
    assert await _stored(service) == 0
    assert log.getvalue() == ""
    assert not list((tmp_path / "spool").glob("*"))


async def test_an_unknown_notebook_is_the_services_4xx(embedded, api, jp_serverapp):
    service, _nid = await _publish(jp_serverapp)
    reply = await api("POST", *TELEMETRY, body={"records": [record("0" * 32, 0, SOURCES[0])]})
    assert_error(reply, 422, "unknown-notebook")
    assert await _stored(service) == 0


async def test_too_many_records(embedded, api, jp_serverapp):
    _service, nid = await _publish(jp_serverapp)
    reply = await api("POST", *TELEMETRY, body={"records": [record(nid, 0, SOURCES[0])] * 10_000})
    assert reply.code == 413, reply


# --- hub-service mode: the service goes away and comes back ---------------------------------

TOKENS = {"tok-alice": "alice"}


@stream_request_body
class TokenServiceHandler(JSONReplyMixin, BoundedBodyMixin, RequestHandler):
    """The service's endpoints behind a fixed token table instead of JupyterHub."""

    def get_current_user(self):
        header = self.request.headers.get("Authorization", "")
        return TOKENS.get(header.removeprefix("token "))

    @property
    def atrium_service(self) -> Service:
        return self.settings["atrium_service"]

    def atrium_authorize(self, action: str) -> bool:
        return self.current_user is not None

    def atrium_user(self) -> GalleryUser:
        return GalleryUser(self.current_user)


class RemoteService:
    def __init__(self, database_url: str) -> None:
        self.port = free_port()
        self.service = Service(
            AtriumService(database_url=database_url), mode="hub-service", log=logging.getLogger()
        )
        self.app = Application(
            build_routes("/services/atrium/api", TokenServiceHandler),
            atrium_service=self.service,
            login_url="/login",
        )
        self.server = None
        self.requests = 0

    def up(self) -> None:
        self.server = self.app.listen(self.port, "127.0.0.1")

    async def down(self) -> None:
        self.server.stop()
        await self.server.close_all_connections()
        self.server = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/services/atrium/"


@pytest.fixture
def remote(database_url):
    remote = RemoteService(database_url)
    remote.service.database.migrate()
    remote.up()
    yield remote
    if remote.server is not None:
        remote.server.stop()
    remote.service.close()


@pytest.fixture
def hub_mode(jp_server_config, remote, tmp_path):
    jp_server_config["AtriumApp"] = {"service_url": remote.url, "service_token": "tok-alice"}
    jp_server_config["AtriumTelemetry"] = {
        "policy": "opt_out",
        "spool_dir": str(tmp_path / "spool"),
        "replay_interval": 0.2,
        "service_timeout": 5.0,
    }
    return jp_server_config


async def test_batches_wait_in_the_spool_and_replay_in_order(hub_mode, remote, api, tmp_path):
    nid = (
        await remote.service.run(
            remote.service.gallery.create,
            GalleryUser("alice"),
            {"title": "T", "notebook": code_notebook(*SOURCES)},
        )
    )["id"]
    first = [record(nid, 0, SOURCES[0])]
    assert (await api("POST", *TELEMETRY, body={"records": first})).json["accepted"] == 1
    await remote.down()
    batches = [[record(nid, i % 2, SOURCES[i % 2]) for _ in range(3)] for i in range(3)]
    for batch in batches:
        reply = await api("POST", *TELEMETRY, body={"records": batch})
        assert reply.code == 200, reply
        assert reply.json == {"accepted": 0, "duplicates": 0, "spooled": 3}
    spool = tmp_path / "spool"
    files = sorted(spool.iterdir())
    assert len(files) == 3
    assert stat.S_IMODE(spool.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(path.stat().st_mode) == 0o600 for path in files)
    assert (await api("GET", *TELEMETRY)).json["spooled"] == 9
    # Back: the timer sends the spool, oldest first.
    remote.up()
    await until(lambda: not any(spool.iterdir()), what="the spool to empty")

    def stored() -> list[str]:
        with remote.service.database.engine.connect() as conn:
            return list(conn.scalars(sa.text("SELECT event_id FROM health_executions ORDER BY pk")))

    ids = await remote.service.run(stored)
    assert len(ids) == 10
    # Batches arrive whole and in order (each batch's ids are stored sorted).
    expected = [first[0]["eventId"]]
    for batch in batches:
        expected += sorted(r["eventId"] for r in batch)
    assert ids == expected
    assert (await api("GET", *TELEMETRY)).json["spooled"] == 0


@pytest.fixture
def no_timer(hub_mode):
    hub_mode["AtriumTelemetry"]["replay_interval"] = 3600.0
    return hub_mode


async def test_a_new_batch_queues_behind_the_spool(no_timer, remote, api, tmp_path):
    nid = (
        await remote.service.run(
            remote.service.gallery.create,
            GalleryUser("alice"),
            {"title": "T", "notebook": code_notebook(*SOURCES)},
        )
    )["id"]
    await remote.down()
    old = [record(nid, 0, SOURCES[0])]
    assert (await api("POST", *TELEMETRY, body={"records": old})).json["spooled"] == 1
    remote.up()
    new = [record(nid, 1, SOURCES[1])]
    # The next request sends the spooled batch first, then its own.
    reply = await api("POST", *TELEMETRY, body={"records": new})
    assert reply.json == {"accepted": 1, "duplicates": 0, "spooled": 0}

    def stored() -> list[str]:
        with remote.service.database.engine.connect() as conn:
            return list(conn.scalars(sa.text("SELECT event_id FROM health_executions ORDER BY pk")))

    assert await remote.service.run(stored) == [old[0]["eventId"], new[0]["eventId"]]
    assert not any((tmp_path / "spool").iterdir())


# --- the spool itself -----------------------------------------------------------------------


def test_the_spool_is_bounded_and_drops_the_oldest(tmp_path, caplog):
    spool = Spool(tmp_path / "spool", 2_000, logging.getLogger("test-spool"))
    batch = {"records": [{"eventId": "x" * 40, "pad": "y" * 300}] * 2}
    for _ in range(5):
        spool.add(batch)
    files = spool.pending()
    assert sum(path.stat().st_size for path in files) <= 2_000
    assert len(files) == 2 and spool.count() == 4
    assert spool.dropped == 6
    assert "dropped 2 of the oldest records" in caplog.text
    # Written whole under the final name: nothing temporary stays behind.
    assert sorted(os.listdir(tmp_path / "spool")) == [path.name for path in files]
    assert [spool.read(path) for path in files] == [batch, batch]
    # A batch larger than the whole spool is dropped (and counted), not written.
    spool.add({"records": [{"pad": "z" * 5000}]})
    assert spool.dropped == 7 and len(spool.pending()) == 2


@pytest.fixture
def hub_policy_off(hub_mode):
    hub_mode["AtriumTelemetry"]["policy"] = "off"
    return hub_mode


async def test_policy_off_also_closes_the_proxied_service_path(hub_policy_off, remote, api):
    nid = (
        await remote.service.run(
            remote.service.gallery.create,
            GalleryUser("alice"),
            {"title": "T", "notebook": code_notebook(*SOURCES)},
        )
    )["id"]
    body = {"records": [record(nid, 0, SOURCES[0])]}
    assert_error(await api("POST", *TELEMETRY, body=body), 403, "telemetry-off")
    proxied = await api("POST", "atrium", "api", "service", "health", "executions", body=body)
    assert_error(proxied, 403, "telemetry-off")
    # Reads still pass through the proxy.
    health = await api("GET", "atrium", "api", "service", "health", "notebooks", nid)
    assert health.code == 200 and health.json["counts"]["executions"] == 0


@pytest.fixture
def routed(embedded, tmp_path):
    """docs/health.md's example: the events routed to a file with c.EventLogger.handlers."""
    path = tmp_path / "executions.jsonl"
    embedded["EventLogger"] = {"handlers": [logging.FileHandler(path)]}
    return path


async def test_events_go_where_c_eventlogger_handlers_sends_them(routed, api, jp_serverapp):
    _service, nid = await _publish(jp_serverapp)
    batch = [record(nid, 0, SOURCES[0], False)]
    assert (await api("POST", *TELEMETRY, body={"records": batch})).code == 200

    def logged() -> list[dict]:
        text = routed.read_text() if routed.exists() else ""
        return [json.loads(line) for line in text.splitlines()]

    events = await until(logged, what="the event in the routed file")
    assert [e["eventId"] for e in events] == [batch[0]["eventId"]]
    assert events[0]["success"] is False
    assert set(events[0]) - {k for k in events[0] if k.startswith("__")} == {
        "notebookId",
        "version",
        "cellId",
        "success",
        "durationMs",
        "timestamp",
        "eventId",
    }


def test_a_spooled_batch_is_replayed_for_its_user_with_their_groups(tmp_path):
    """Embedded mode: a batch spooled while the service was away is sent again as its user
    is now — with the groups c.AtriumGallery.groups gives them, so a notebook they read
    through a group is still theirs to report on (it was replayed without groups)."""
    import logging
    from types import SimpleNamespace

    from jupyterlab_atrium.service.gallery.config import AtriumGallery
    from jupyterlab_atrium.telemetry.config import AtriumTelemetry
    from jupyterlab_atrium.telemetry.forward import Forwarder

    gallery = AtriumGallery(groups={"ward-7": ["alice"]}, admin_users={"root"})
    app = SimpleNamespace(service=SimpleNamespace(gallery_config=gallery))
    config = AtriumTelemetry(spool_dir=str(tmp_path / "spool"))
    forwarder = Forwarder(app, config, logging.getLogger("test"))  # type: ignore[arg-type]
    alice = forwarder._spooled_user({"user": "alice", "records": []})
    assert (alice.name, alice.admin, alice.groups) == ("alice", False, frozenset({"ward-7"}))
    assert forwarder._spooled_user({"user": "root", "admin": False, "records": []}).admin
    assert forwarder._spooled_user({"records": []}) is None
    hub = Forwarder(SimpleNamespace(service=None), config, logging.getLogger("test"))  # type: ignore[arg-type]
    assert hub._spooled_user({"user": "alice", "records": []}) is None
