"""Hub-service mode: the user's server forwards to a real Atrium hub service.

Only JupyterHub's token API is stood in for (an edge we cannot start cheaply here); the
service, its hub authentication, the proxy and the database are the real ones.
"""

from __future__ import annotations

import json
import time

import pytest
from jupyterhub.services.auth import HubAuth
from tornado.httpclient import HTTPClientError
from tornado.web import Application, RequestHandler

from jupyterlab_atrium.service.config import AtriumService
from jupyterlab_atrium.service.core import Service
from jupyterlab_atrium.service.hub import make_app

from .conftest import free_port

SCOPE = "access:services!service=atrium"
USERS = {
    "alice-token": {
        "kind": "user",
        "name": "alice",
        "admin": False,
        "groups": [],
        "scopes": [SCOPE],
    },
    "mallory-token": {
        "kind": "user",
        "name": "mallory",
        "admin": False,
        "groups": [],
        "scopes": [],
    },
}


class FakeHubUserAPI(RequestHandler):
    """JupyterHub's ``GET /hub/api/user``: who owns this token, with which scopes."""

    def get(self) -> None:
        token = self.request.headers.get("Authorization", "").removeprefix("token ")
        if token not in USERS:
            self.set_status(403)
            self.finish({"message": "invalid token"})
            return
        self.finish(USERS[token])


@pytest.fixture
def ports():
    return {"hub": free_port(), "service": free_port()}


@pytest.fixture
def jp_server_config(jp_server_config, ports):
    jp_server_config["AtriumApp"] = {
        "service_url": f"http://127.0.0.1:{ports['service']}/services/atrium",
        "service_token": "alice-token",
    }
    return jp_server_config


@pytest.fixture
def hub_service(ports, tmp_path):
    """Start the fake hub API and the real hub service on the test's event loop."""
    started = []

    async def start(database_url: str | None = None):
        Application([("/hub/api/user", FakeHubUserAPI)]).listen(ports["hub"], "127.0.0.1")
        config = AtriumService(database_url=database_url or f"sqlite:///{tmp_path / 'hub.db'}")
        service = Service(config, mode="hub-service", log=__import__("logging").getLogger())
        await service.ready()
        auth = HubAuth(
            api_url=f"http://127.0.0.1:{ports['hub']}/hub/api",
            api_token="service-token",
            access_scopes={SCOPE},
            cache_max_age=0,
        )
        server = make_app(service, auth, "/services/atrium/").listen(ports["service"], "127.0.0.1")
        started.append((server, service))
        return service

    yield start
    for server, service in started:
        server.stop()
        service.close()


async def test_info_reports_hub_mode_without_secrets(jp_fetch, ports):
    info = json.loads((await jp_fetch("atrium", "api", "info")).body)
    assert info["service"] == {
        "mode": "hub-service",
        "url": f"http://127.0.0.1:{ports['service']}/services/atrium/",
    }
    assert "alice-token" not in json.dumps(info)


async def test_status_goes_through_the_users_server(jp_fetch, hub_service, postgres):
    await hub_service(postgres.create_database())
    status = json.loads((await jp_fetch("atrium", "api", "service", "status")).body)
    assert status["mode"] == "hub-service"
    assert status["database"]["backend"] == "postgresql"
    assert status["database"]["upToDate"] is True


async def test_service_refuses_a_user_without_the_access_scope(jp_fetch, jp_serverapp, hub_service):
    await hub_service()
    jp_serverapp.web_app.settings["atrium"].service_token = "mallory-token"
    with pytest.raises(HTTPClientError) as err:
        await jp_fetch("atrium", "api", "service", "status")
    assert err.value.code == 403


async def test_a_silent_service_is_reported_quickly(jp_fetch):
    started = time.monotonic()
    with pytest.raises(HTTPClientError) as err:
        await jp_fetch("atrium", "api", "service", "status")
    assert err.value.code == 503
    body = json.loads(err.value.response.body)
    assert "does not answer" in body["message"]
    assert "alice-token" not in err.value.response.body.decode()
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("path", ["status;reboot", "a%0Ab", "..%2Finfo"])
async def test_hostile_service_paths_are_refused(jp_fetch, hub_service, path):
    await hub_service()
    with pytest.raises(HTTPClientError) as err:
        await jp_fetch("atrium", "api", "service", path)
    assert err.value.code in (400, 404)
