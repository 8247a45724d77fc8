"""The service's REST endpoints, written once and mounted in either deployment mode."""

from __future__ import annotations

from typing import Any

import tornado.web

from ..base import AtriumHandler, service_authorized
from ..identity import user_name
from .core import Service
from .gallery.handlers import GALLERY_ENDPOINTS
from .gallery.inbox_handlers import INBOX_ENDPOINTS
from .gallery.review_handlers import REVIEW_ENDPOINTS
from .gallery.store import GalleryUser
from .grading.gradebook_handlers import GRADEBOOK_ENDPOINTS
from .grading.handlers import GRADING_ENDPOINTS
from .grading.submission_handlers import SUBMISSION_ENDPOINTS
from .health.handlers import HEALTH_ENDPOINTS


class StatusEndpoint:
    """``GET status``: version, mode, database backend and schema revision."""

    atrium_service: Service

    @tornado.web.authenticated
    @service_authorized
    async def get(self: Any) -> None:
        self.write_json(await self.atrium_service.status())


ENDPOINTS: list[tuple[str, type]] = [
    ("status", StatusEndpoint),
    *GALLERY_ENDPOINTS,
    *REVIEW_ENDPOINTS,
    *INBOX_ENDPOINTS,
    *HEALTH_ENDPOINTS,
    *GRADING_ENDPOINTS,
    *SUBMISSION_ENDPOINTS,
    *GRADEBOOK_ENDPOINTS,
]


def build_routes(prefix: str, base: type) -> list[tuple[str, type]]:
    """Combine every endpoint with the mode's handler base into tornado routes."""
    return [
        (f"{prefix}/{path}", type(f"{endpoint.__name__}Handler", (endpoint, base), {}))
        for path, endpoint in ENDPOINTS
    ]


class EmbeddedServiceHandler(AtriumHandler):
    """Endpoints served inside the user's own jupyter_server (embedded mode)."""

    @property
    def atrium_service(self) -> Service:
        return self.settings["atrium"].service

    def atrium_user(self) -> GalleryUser:
        """The authenticated user (the server owner for jupyter_server's anonymous users, see
        ``identity``); gallery admin if named in ``AtriumGallery.admin_users``; in the groups
        ``AtriumGallery.groups`` puts them in."""
        service = self.atrium_service
        name = user_name(self.current_user, self.identity_provider, service.server_owner)
        return service.gallery_config.embedded_user(name)

    def atrium_groups(self) -> frozenset[str]:
        """Groups exist only in hub-service mode; here roles come from user names alone."""
        return frozenset()

    def atrium_reporting_allowed(self) -> bool:
        """Execution records only while this server's telemetry policy is not off."""
        return self.settings["atrium"].telemetry.config.policy != "off"


def embedded_routes(prefix: str) -> list[tuple[str, type]]:
    return build_routes(prefix, EmbeddedServiceHandler)
