"""Serving the brand's sanitised images from memory, to anyone: login pages need them."""

from __future__ import annotations

from jupyter_server.auth.decorator import allow_unauthenticated
from jupyter_server.base.handlers import JupyterHandler
from tornado.web import HTTPError

from ..base import JSONReplyMixin
from .spec import ASSET_CSP, ASSETS_PATH, Brand

ASSET_ROUTE = rf"/{ASSETS_PATH}/([^/]+)"

_IMMUTABLE = "public, max-age=31536000, immutable"


class BrandAssetHandler(JSONReplyMixin, JupyterHandler):
    """``GET <base_url>atrium/branding/assets/<name>?v=<version>``, without login.

    Only the in-memory, sanitised copies made at start-up are served, never a file from disk,
    so a URL cannot reach anything but the brand's own images.
    """

    def initialize(self, brand: Brand | None) -> None:
        self.brand = brand

    @property
    def content_security_policy(self) -> str:
        return ASSET_CSP

    @allow_unauthenticated
    def get(self, name: str) -> None:
        asset = self.brand.assets.get(name) if self.brand else None
        if asset is None:
            raise HTTPError(404, "No such brand asset")
        # A versioned URL never changes content (the version is its hash); others may.
        if self.get_argument("v", "") == asset.version:
            self.set_header("Cache-Control", _IMMUTABLE)
        else:
            self.set_header("Cache-Control", "no-cache")
        self.set_header("Content-Type", asset.content_type)
        self.set_header("X-Content-Type-Options", "nosniff")
        # Set here, not only in the default headers: a server-wide CSP from
        # ServerApp.tornado_settings["headers"] must not loosen it for these files.
        self.set_header("Content-Security-Policy", asset.csp)
        self.finish(asset.data)
