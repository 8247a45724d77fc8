"""The real hub service with JupyterHub's user API stood in for.

The service checks each request's token with the hub (``GET /hub/api/user``) and reads the
user's name and groups from the answer; here a table answers instead of a JupyterHub, so a
test can give users any groups without starting one (tests/test_hub_mode.py runs the real
JupyterHub).
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Any

from .conftest import free_port
from .test_gallery_api import Reply

SCOPE = "access:services!service=atrium"

# call(method, path below /services/atrium/api/, user, body=None, **headers)
HubCall = Callable[..., Awaitable[Reply]]


@contextlib.asynccontextmanager
async def hub_service(
    database_url: str, groups: Mapping[str, list[str]], **service_options: Any
) -> AsyncIterator[HubCall]:
    """The service in hub-service mode for the users named in ``groups`` (name → hub groups),
    each calling with their own token; ``service_options`` go to ``Service`` (e.g. grader)."""
    from jupyterhub.services.auth import HubAuth
    from tornado.httpclient import AsyncHTTPClient
    from tornado.web import Application, RequestHandler

    from jupyterlab_atrium.service.config import AtriumService
    from jupyterlab_atrium.service.core import Service
    from jupyterlab_atrium.service.hub import make_app

    users = {
        f"{name}-token": {
            "kind": "user",
            "name": name,
            "admin": False,
            "groups": list(names),
            "scopes": [SCOPE],
        }
        for name, names in groups.items()
    }

    class StandInUserAPI(RequestHandler):
        def get(self) -> None:
            token = self.request.headers.get("Authorization", "").removeprefix("token ")
            if token not in users:
                self.set_status(403)
            self.finish(users.get(token, {"message": "invalid token"}))

    hub_port, service_port = free_port(), free_port()
    hub = Application([("/hub/api/user", StandInUserAPI)]).listen(hub_port, "127.0.0.1")
    service = Service(
        AtriumService(database_url=database_url),
        mode="hub-service",
        log=logging.getLogger("atrium-test"),
        **service_options,
    )
    auth = HubAuth(
        api_url=f"http://127.0.0.1:{hub_port}/hub/api",
        api_token="service-token",
        access_scopes={SCOPE},
        cache_max_age=0,
    )
    server = make_app(service, auth, "/services/atrium/").listen(service_port, "127.0.0.1")
    client = AsyncHTTPClient()

    async def call(method: str, path: str, user: str, body: Any = None, **headers) -> Reply:
        response = await client.fetch(
            f"http://127.0.0.1:{service_port}/services/atrium/api/{path}",
            method=method,
            headers={"Authorization": f"token {user}-token", **headers},
            body=None if body is None else json.dumps(body),
            raise_error=False,
            allow_nonstandard_methods=True,
        )
        return Reply(response)

    try:
        yield call
    finally:
        server.stop()
        hub.stop()
        service.close()
