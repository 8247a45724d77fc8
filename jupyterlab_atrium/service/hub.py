"""Hub-service mode, service side: the same endpoints behind JupyterHub authentication."""

from __future__ import annotations

from typing import Any

from jupyterhub.services.auth import HubAuth, HubAuthenticated, UserNotAllowed
from tornado.web import Application, RequestHandler, stream_request_body

from ..base import BoundedBodyMixin, JSONReplyMixin
from .core import Service
from .gallery.store import GalleryUser
from .handlers import build_routes


def hub_groups(model: dict[str, Any]) -> frozenset[str]:
    """A hub user model's JupyterHub groups."""
    return frozenset(str(group) for group in model.get("groups") or ())


@stream_request_body
class HubServiceHandler(JSONReplyMixin, BoundedBodyMixin, HubAuthenticated, RequestHandler):
    """Users arrive with a JupyterHub token; the hub's ``access:services`` scope admits them."""

    async def prepare(self) -> None:
        # HubAuthenticated.get_current_user asks the hub synchronously, which would block
        # the event loop; ask asynchronously here and let get_current_user read the cache.
        model = await self.hub_auth.get_user(self, sync=False)
        user = None
        if model:
            try:
                user = self.check_hub_user(model)
            except UserNotAllowed:
                user = None
        self._hub_auth_user_cache = user
        await super().prepare()  # the URL and body limits (BoundedBodyMixin)

    @property
    def hub_auth(self) -> HubAuth:  # type: ignore[override]
        return self.settings["hub_auth"]

    @property
    def atrium_service(self) -> Service:
        return self.settings["atrium_service"]

    def atrium_authorize(self, action: str) -> bool:
        # HubAuthenticated already refused tokens without access to this service.
        return self.current_user is not None

    def atrium_user(self) -> GalleryUser:
        """The hub user with their JupyterHub groups (which own and share notebooks); gallery
        admin if a hub admin, in ``AtriumGallery.admin_users``, or a member of one of
        ``AtriumGallery.admin_groups``."""
        model = self.current_user or {}
        name = str(model.get("name", ""))
        config = self.atrium_service.gallery_config
        groups = hub_groups(model)
        admin = (
            bool(model.get("admin"))
            or name in config.admin_users
            or not groups.isdisjoint(config.admin_groups)
        )
        return config.user(name, admin, groups)

    def atrium_groups(self) -> frozenset[str]:
        """The hub user's JupyterHub groups, which admin and instructor roles may name."""
        return hub_groups(self.current_user or {})


def make_app(service: Service, hub_auth: HubAuth, prefix: str, **settings: Any) -> Application:
    routes = build_routes(f"{prefix.rstrip('/')}/api", HubServiceHandler)
    return Application(routes, hub_auth=hub_auth, atrium_service=service, **settings)
