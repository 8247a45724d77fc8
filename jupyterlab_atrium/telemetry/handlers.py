"""``/atrium/api/telemetry``: the policy in force (GET) and reporting a batch (POST)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import tornado.web

from ..base import AtriumHandler, service_authorized
from ..service.core import Service
from ..service.gallery.handlers import parse_body
from ..service.gallery.store import GalleryUser
from ..service.handlers import EmbeddedServiceHandler
from ..service.health.handlers import RECORD_BYTES, reporting_off
from ..service.health.records import parse_batch
from . import events
from .config import AtriumTelemetry
from .forward import Forwarder


class TelemetryHandler(AtriumHandler):
    @property
    def forwarder(self) -> Forwarder:
        forwarder: Forwarder = self.settings["atrium"].telemetry
        # Normally started with the server; harmless to ask again (idempotent).
        forwarder.start()
        return forwarder

    @property
    def config(self) -> AtriumTelemetry:
        return self.forwarder.config

    @property
    def atrium_service(self) -> Service | None:
        return self.settings["atrium"].service

    def body_limit(self) -> int:
        return self.config.max_batch_records * RECORD_BYTES + 4096

    def reporter(self) -> GalleryUser | None:
        """Embedded: the user as the gallery knows them. Hub service: None, the user's token
        tells the service who reports."""
        if self.atrium_service is None:
            return None
        return EmbeddedServiceHandler.atrium_user(self)  # type: ignore[arg-type]

    @tornado.web.authenticated
    @service_authorized
    async def get(self) -> None:
        self.write_json({**self.config.state(), "spooled": await self.forwarder.spooled()})

    @tornado.web.authenticated
    @service_authorized
    async def post(self) -> None:
        if self.config.policy == "off":
            raise reporting_off()
        body = await self.forwarder.disk(parse_body, bytes(self.request.body or b""))
        checked = parse_batch(body, self.config.max_batch_records, datetime.now(timezone.utc))
        records: list[Any] = body["records"]
        emitted = [events.event_of(record, index) for index, record in enumerate(records)]
        assert len(checked) == len(emitted)
        result = await self.forwarder.submit(self.reporter(), records)
        events.emit(self.serverapp.event_logger, emitted)
        self.write_json(result)


def setup(app: Any) -> Forwarder:
    """The telemetry of one server: its settings, its event schema and its forwarder."""
    config = AtriumTelemetry(parent=app)
    events.register(getattr(app.serverapp, "event_logger", None))
    return Forwarder(app, config, app.log)
