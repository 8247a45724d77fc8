"""The inbox's REST endpoints (service API v1; see docs/api.md, "Gallery API"): the
caller's own events only, and their read mark. The logic is in :mod:`.inbox`."""

from __future__ import annotations

from typing import Any

import tornado.web

from ...base import query_int, service_authorized
from . import inbox
from .handlers import GalleryEndpoint


class GalleryInboxEndpoint(GalleryEndpoint):
    """``GET gallery/inbox?before=&limit=``: newest first, a page at a time."""

    @tornado.web.authenticated
    @service_authorized
    async def get(self: Any) -> None:
        before = query_int(self, "before", 0, minimum=1) or None
        limit = query_int(self, "limit", 20, minimum=1)
        user = self.gallery_user()
        await self.remember(user)
        self.write_json(
            await self.atrium_service.run(inbox.listing, self.store.database, user, before, limit)
        )


class GalleryInboxReadEndpoint(GalleryEndpoint):
    """``POST gallery/inbox/read`` ``{"upTo": id}``: every event up to ``id`` is read."""

    @tornado.web.authenticated
    @service_authorized
    async def post(self: Any) -> None:
        body = await self.body()
        user = self.gallery_user()
        self.write_json(
            await self.atrium_service.run(
                inbox.mark_read, self.store.database, user, body.get("upTo")
            )
        )


INBOX_ENDPOINTS: list[tuple[str, type]] = [
    ("gallery/inbox", GalleryInboxEndpoint),
    ("gallery/inbox/read", GalleryInboxReadEndpoint),
]
