"""Handlers of the per-user server extension itself (not of the shared service)."""

from __future__ import annotations

import tornado.web

from .base import AtriumHandler, service_authorized
from .policy import build_policy


class InfoHandler(AtriumHandler):
    """Version handshake: the frontend compares its own version with the server's."""

    @tornado.web.authenticated
    @service_authorized
    async def get(self) -> None:
        self.write_json(build_policy(self.settings["atrium"]))
