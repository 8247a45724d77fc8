"""Getting batches to the service: straight through, or through the spool while it is away.

The path to the service is the gallery's: the embedded service's worker threads in embedded
mode, an HTTP call with the user's JupyterHub token to the hub service otherwise. Every call
has a deadline. Batches keep their order: while anything is spooled, a new batch waits behind
it, and replay (on a timer and before each new batch) stops at the first batch the service
does not take.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest
from tornado.ioloop import PeriodicCallback

from ..errors import AtriumError, ServiceUnavailable
from ..service.gallery.store import GalleryUser
from ..service.proxy import redact_url
from .config import AtriumTelemetry
from .spool import Spool

if TYPE_CHECKING:
    from ..app import AtriumApp

#: Statuses that mean "the service is away", not "the service refuses this batch".
_AWAY = {502, 503, 504, 599}


class Unreachable(Exception):
    """The service did not answer in time, or its gateway said it is down."""


class Forwarder:
    def __init__(self, app: AtriumApp, config: AtriumTelemetry, log: logging.Logger) -> None:
        self.app = app
        self.config = config
        self.log = log
        self.spool = Spool(Path(config.spool_dir).expanduser(), config.spool_max_bytes, log)
        # One thread: spool files are written, read and removed in one order.
        self._disk = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="atrium-spool")
        self._lock = asyncio.Lock()
        self._timer: PeriodicCallback | None = None

    async def disk(self, fn: Any, *args: Any) -> Any:
        return await asyncio.wrap_future(self._disk.submit(fn, *args))

    # one call to the service

    async def send(self, user: GalleryUser | None, records: list[Any]) -> dict[str, int]:
        body = {"records": records}
        service = self.app.service
        if service is not None:
            assert user is not None
            try:
                return await asyncio.wait_for(
                    service.run(service.health.ingest, user, body), self.config.service_timeout
                )
            except (ServiceUnavailable, asyncio.TimeoutError):
                raise Unreachable from None
        return await self._post(body)

    async def _post(self, body: dict[str, Any]) -> dict[str, int]:
        url = f"{self.app.service_url}api/health/executions"
        request = HTTPRequest(
            url,
            method="POST",
            headers={
                "Authorization": f"token {self.app.service_token}",
                "Content-Type": "application/json",
            },
            body=json.dumps(body),
            follow_redirects=False,
            connect_timeout=self.config.service_timeout,
            request_timeout=self.config.service_timeout,
        )
        try:
            reply = await AsyncHTTPClient().fetch(request, raise_error=False)
        except (OSError, HTTPClientError) as exc:
            self.log.info(
                "Atrium telemetry: the service at %s is away (%s)",
                redact_url(self.app.service_url),
                type(exc).__name__,
            )
            raise Unreachable from None
        if reply.code in _AWAY:
            raise Unreachable
        try:
            answer = json.loads(reply.body or b"{}")
        except ValueError:
            answer = {}
        if reply.code == 200 and isinstance(answer, dict):
            return {"accepted": int(answer["accepted"]), "duplicates": int(answer["duplicates"])}
        if 400 <= reply.code < 500 and isinstance(answer, dict):
            raise AtriumError(
                str(answer.get("message", "The Atrium service refused the records.")),
                status=reply.code,
                reason=str(answer.get("reason", "refused")),
            )
        raise AtriumError(
            f"The Atrium service failed to store the records (HTTP {reply.code}).",
            status=502,
            reason="service-error",
        )

    # batches in order

    async def submit(self, user: GalleryUser | None, records: list[Any]) -> dict[str, int]:
        """Send one batch (after whatever waits in the spool), or spool it."""
        async with self._lock:
            if await self.disk(self.spool.pending) and not await self._replay():
                return await self._keep(user, records)
            try:
                result = await self.send(user, records)
            except Unreachable:
                return await self._keep(user, records)
            return {**result, "spooled": 0}

    async def _keep(self, user: GalleryUser | None, records: list[Any]) -> dict[str, int]:
        batch: dict[str, Any] = {"records": records}
        if user is not None:
            batch["user"] = user.name  # who they are is read again from the config on replay
        await self.disk(self.spool.add, batch)
        return {"accepted": 0, "duplicates": 0, "spooled": len(records)}

    async def _replay(self) -> bool:
        """Send spooled batches oldest first; True once the spool is empty."""
        for path in await self.disk(self.spool.pending):
            batch = await self.disk(self.spool.read, path)
            if batch is not None:
                user = self._spooled_user(batch)
                try:
                    await self.send(user, batch["records"])
                except Unreachable:
                    return False
                except AtriumError as err:
                    # Refused for good (say, the notebook was deleted meanwhile): resending
                    # cannot help, and it must not hold up the batches behind it.
                    self.log.warning(
                        "Atrium telemetry: the service refused a spooled batch of %d records "
                        "(%s %s); dropped it",
                        len(batch["records"]),
                        err.status,
                        err.reason,
                    )
            await self.disk(self.spool.remove, path)
        return True

    def _spooled_user(self, batch: dict[str, Any]) -> GalleryUser | None:
        """Who reported a spooled batch (embedded mode), as the config makes them now: with
        their groups, or a notebook they read through a group would be unknown to them."""
        service = self.app.service
        if "user" not in batch or service is None:
            return None  # hub-service mode: the server's token says who reports
        return service.gallery_config.embedded_user(str(batch["user"]))

    async def replay(self) -> bool:
        async with self._lock:
            return await self._replay()

    async def spooled(self) -> int:
        return await self.disk(self.spool.count)

    # life cycle

    def start(self) -> None:
        if self._timer is None:
            self._timer = PeriodicCallback(self.replay, self.config.replay_interval * 1000)
            self._timer.start()

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._disk.shutdown(wait=False)
