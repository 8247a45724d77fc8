"""Hub-service mode, user's side: forward ``/atrium/api/service/*`` to the shared service.

The browser keeps talking to its own server (same origin, XSRF intact); this server adds the
user's JupyterHub token, which is how the service learns who is asking.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

import tornado.web
from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest

from ..base import AtriumHandler, service_authorized
from ..errors import AtriumError, ServiceUnavailable

_SAFE_PATH = re.compile(r"[A-Za-z0-9_\-./]*")
_FORWARDED_REQUEST_HEADERS = ("Content-Type", "If-Match", "If-None-Match", "Accept")
_FORWARDED_REPLY_HEADERS = ("Content-Type", "ETag", "Cache-Control", "Location")
_BODY_METHODS = {"POST", "PUT", "PATCH"}


def redact_url(url: str) -> str:
    """Drop credentials and the query string, which may hold tokens, before showing a URL."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


class ServiceProxyHandler(AtriumHandler):
    def body_limit(self) -> int:
        # The service refuses larger bodies anyway; this server does not hold them first.
        # Its limit follows the same setting (c.AtriumGallery.max_notebook_bytes).
        limit = self.settings.get("atrium_proxy_body_limit")
        if limit is None:
            from .gallery.config import AtriumGallery
            from .gallery.handlers import body_ceiling

            gallery = AtriumGallery(parent=self.settings["atrium"])
            limit = self.settings["atrium_proxy_body_limit"] = body_ceiling(
                gallery.max_notebook_bytes
            )
        return limit

    @tornado.web.authenticated
    @service_authorized
    async def get(self, path: str) -> None:
        await self._forward(path)

    @tornado.web.authenticated
    @service_authorized
    async def post(self, path: str) -> None:
        await self._forward(path)

    @tornado.web.authenticated
    @service_authorized
    async def put(self, path: str) -> None:
        await self._forward(path)

    @tornado.web.authenticated
    @service_authorized
    async def patch(self, path: str) -> None:
        await self._forward(path)

    @tornado.web.authenticated
    @service_authorized
    async def delete(self, path: str) -> None:
        await self._forward(path)

    async def _forward(self, path: str) -> None:
        if not _SAFE_PATH.fullmatch(path) or ".." in path.split("/"):
            raise AtriumError("Invalid Atrium service path", status=400, reason="bad-path")
        app = self.settings["atrium"]
        if path.strip("/") == "health/executions" and app.telemetry.config.policy == "off":
            from .health.handlers import reporting_off

            raise reporting_off()
        url = f"{app.service_url}api/{path}"
        if self.request.query:
            url = f"{url}?{self.request.query}"
        headers = {
            name: self.request.headers[name]
            for name in _FORWARDED_REQUEST_HEADERS
            if name in self.request.headers
        }
        headers["Authorization"] = f"token {app.service_token}"
        method = self.request.method or "GET"
        request = HTTPRequest(
            url,
            method=method,
            headers=headers,
            body=bytes(self.request.body) if method in _BODY_METHODS else None,
            follow_redirects=False,
            connect_timeout=5,
            request_timeout=60,
        )
        try:
            # raise_error=False only covers HTTP statuses; refused connections and
            # time-outs still raise, and both mean the same thing to the user.
            reply = await AsyncHTTPClient().fetch(request, raise_error=False)
        except (OSError, HTTPClientError) as exc:
            self.log.warning(
                "Atrium: the service at %s failed: %s",
                redact_url(app.service_url),
                type(exc).__name__,
            )
            raise ServiceUnavailable(
                f"The Atrium service at {redact_url(app.service_url)} does not answer."
            ) from None
        self.set_status(reply.code)
        for name in _FORWARDED_REPLY_HEADERS:
            if name in reply.headers:
                self.set_header(name, reply.headers[name])
        # A 304 (If-None-Match) or 204 must go out without a body, not even an empty one.
        self.finish(reply.body or None)
