"""Health endpoints (service API v1; docs/api.md, "Health API"), mounted in both modes.

The reporting user is always the authenticated one (``atrium_user()``), never a name from the
body: a record carries no user at all. Every call runs on the service's worker threads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import tornado.web

from ... import fields
from ...base import service_authorized
from ...errors import AtriumError
from ..gallery.handlers import ID, parse_body

if TYPE_CHECKING:
    from ..core import Service
    from .store import HealthStore


def reporting_off() -> AtriumError:
    return AtriumError(
        "Execution telemetry is off on this server (c.AtriumTelemetry.policy).",
        status=403,
        reason="telemetry-off",
    )


#: Bytes per record with room to spare (a record is about 300 bytes of JSON).
RECORD_BYTES = 1024
#: The most of one's own records one request lists.
MINE_MAX = 200


class HealthEndpoint:
    atrium_service: Service

    @property
    def store(self) -> HealthStore:
        return self.atrium_service.health

    async def call(self, fn: Any, *args: Any) -> Any:
        return await self.atrium_service.run(fn, *args)

    def body_limit(self) -> int:
        return self.atrium_service.health_config.max_batch_records * RECORD_BYTES + 4096

    async def body(self: Any) -> dict[str, Any]:
        return await self.call(parse_body, bytes(self.request.body or b""))


class HealthExecutionsEndpoint(HealthEndpoint):
    """``POST health/executions``: a batch of execution records. ``GET``: the caller's own
    newest records (``?limit=``, 1..200, default 50), whatever the policy: a user may always
    see what is held about them."""

    @tornado.web.authenticated
    @service_authorized
    async def get(self: Any) -> None:
        limit = fields.decimal(
            self.get_argument("limit", None), "limit", default=50, minimum=1, maximum=MINE_MAX
        )
        self.write_json(await self.call(self.store.mine, self.atrium_user(), limit))

    @tornado.web.authenticated
    @service_authorized
    async def post(self: Any) -> None:
        # On a user's server (embedded) this path is that server's too: its telemetry policy
        # holds here as on /atrium/api/telemetry. The hub service has no policy of its own.
        if not getattr(self, "atrium_reporting_allowed", lambda: True)():
            raise reporting_off()
        body = await self.body()
        self.write_json(await self.call(self.store.ingest, self.atrium_user(), body))


class HealthNotebookEndpoint(HealthEndpoint):
    """``GET health/notebooks/{id}``"""

    @tornado.web.authenticated
    @service_authorized
    async def get(self: Any, notebook_id: str) -> None:
        self.write_json(await self.call(self.store.health, self.atrium_user(), notebook_id))


class HealthCellsEndpoint(HealthEndpoint):
    """``GET health/notebooks/{id}/cells``"""

    @tornado.web.authenticated
    @service_authorized
    async def get(self: Any, notebook_id: str) -> None:
        self.write_json(await self.call(self.store.cells, self.atrium_user(), notebook_id))


class HealthDailyEndpoint(HealthEndpoint):
    """``GET health/notebooks/{id}/daily``"""

    @tornado.web.authenticated
    @service_authorized
    async def get(self: Any, notebook_id: str) -> None:
        self.write_json(await self.call(self.store.daily, self.atrium_user(), notebook_id))


class HealthOverviewEndpoint(HealthEndpoint):
    """``GET health/overview`` (admins)"""

    @tornado.web.authenticated
    @service_authorized
    async def get(self: Any) -> None:
        self.write_json(await self.call(self.store.overview, self.atrium_user()))


class HealthEraseEndpoint(HealthEndpoint):
    """``POST health/erase`` (admins): ``{"user": name}``"""

    @tornado.web.authenticated
    @service_authorized
    async def post(self: Any) -> None:
        body = await self.body()
        self.write_json(await self.call(self.store.erase_user, self.atrium_user(), body))


HEALTH_ENDPOINTS: list[tuple[str, type]] = [
    ("health/executions", HealthExecutionsEndpoint),
    ("health/overview", HealthOverviewEndpoint),
    ("health/erase", HealthEraseEndpoint),
    (f"health/notebooks/{ID}", HealthNotebookEndpoint),
    (f"health/notebooks/{ID}/cells", HealthCellsEndpoint),
    (f"health/notebooks/{ID}/daily", HealthDailyEndpoint),
]
