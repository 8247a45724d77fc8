"""Handler pieces shared by every Atrium endpoint, in the user's server and the hub service."""

from __future__ import annotations

import functools
import json
from collections.abc import Awaitable, Callable
from http.client import responses
from typing import Any, TypeVar

from jupyter_server.base.handlers import APIHandler
from tornado.log import app_log
from tornado.web import HTTPError, RequestHandler, stream_request_body

from . import fields
from .errors import AtriumError

INTERNAL_ERROR = "Atrium hit an internal error; the server log has details."

#: The longest request target (path and query string) an Atrium endpoint reads: 414 above.
MAX_URL_BYTES = 8 * 1024
#: The HTTP server's limit on a request's header block. tornado's default (64 KiB) closes the
#: connection without an answer; raised (``allow_long_headers``) so that URLs between
#: ``MAX_URL_BYTES`` and this hard cut get a JSON 414 instead.
MAX_HEADER_BYTES = 256 * 1024

# HTTP verb -> the action jupyter_server's authorizer knows.
_ACTIONS = {"GET": "read", "HEAD": "read", "OPTIONS": "read"}

H = TypeVar("H", bound=RequestHandler)


class JSONReplyMixin:
    """JSON replies and errors; every error body is ``{"message", "reason"}``."""

    def write_json(self: Any, payload: Any, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=UTF-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(payload))

    def log_exception(self: Any, typ: Any, value: Any, tb: Any) -> None:
        # A refusal (403, 404, 409, …) is an answer, not a crash: one line, no traceback.
        if isinstance(value, AtriumError):
            log = getattr(self, "log", None) or app_log
            log.warning(
                "%s %s: %s %s", self.request.method, self.request.path, value.status, value.reason
            )
            return
        super().log_exception(typ, value, tb)

    def write_error(self: Any, status_code: int, **kwargs: Any) -> None:
        exc = (kwargs.get("exc_info") or (None, None, None))[1]
        if isinstance(exc, AtriumError):
            status, message, reason = exc.status, exc.message, exc.reason
        elif isinstance(exc, HTTPError):
            status = exc.status_code
            message = exc.log_message or responses.get(status, "Error")
            reason = exc.reason or responses.get(status, "error")
        else:
            # Never the traceback: it may name database hosts or paths. The log has it.
            status, message, reason = status_code, INTERNAL_ERROR, "internal-error"
        self.clear_header("Content-Type")
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=UTF-8")
        self.finish(json.dumps({"message": message, "reason": reason}))


def query_text(handler: RequestHandler, name: str, default: str = "") -> str:
    """A query-string parameter, held to the text rule of :mod:`.fields` (no NUL, …)."""
    value = fields.text(handler.get_argument(name, None), name, strip=False)
    return default if value is None else value


def query_int(
    handler: RequestHandler, name: str, default: int, *, minimum: int = fields.INT_MIN
) -> int:
    """A whole-number query-string parameter within the range every database column holds."""
    value = fields.decimal(handler.get_argument(name, None), name, default=default, minimum=minimum)
    assert value is not None
    return value


def allow_long_headers(http_server: Any) -> None:
    """Raise an HTTP server's header limit to ``MAX_HEADER_BYTES`` (never lower it)."""
    params = getattr(http_server, "conn_params", None)
    if params is not None and (params.max_header_size or 65536) < MAX_HEADER_BYTES:
        params.max_header_size = MAX_HEADER_BYTES


def _mib(size: int) -> str:
    return f"{size / 2**20:.1f} MiB"


class BoundedBodyMixin:
    """Request bodies counted as they arrive and refused (413 JSON) past ``body_limit()``.

    Handlers with this mixin are ``stream_request_body``, so ``prepare`` runs before tornado
    reads any of the body: a ``Content-Length`` over the limit is refused before a byte of
    the body is read, a body without one (chunked) is counted and refused as soon as it
    passes the limit, and nothing beyond the limit is ever held. The body then is
    ``request.body`` as usual (a ``bytearray``).

    A refusal is answered at once; the rest of the body is then read and dropped, up to the
    HTTP server's own body limit, so that a client still sending reads the answer rather
    than a reset connection (tornado's ``max_body_size``; past it the connection is closed).
    Bodies past that limit get the same JSON 413 instead of tornado's bare 400, and URLs
    past ``MAX_URL_BYTES`` a 414.
    """

    _body_buffer: bytearray | None = None
    _body_limit = 0
    _drain_limit = 0
    #: While a refused body is read and dropped: how much more may come before closing.
    _drain_left: int | None = None

    def body_limit(self) -> int | None:
        """The largest body this endpoint reads; None: the HTTP server's own limit."""
        return None

    def body_too_large(self: Any, size: int | None, limit: int) -> AtriumError:
        told = f"{_mib(size)}; " if size is not None else ""
        return AtriumError(
            f"The request body is too large ({told}this endpoint accepts up to {_mib(limit)}).",
            status=413,
            reason="too-large",
        )

    async def prepare(self: Any) -> None:
        result = super().prepare()
        if result is not None:
            await result
        if self._finished:
            return
        if len(self.request.uri or "") > MAX_URL_BYTES:
            raise AtriumError(
                f"The URL is longer than the {MAX_URL_BYTES} bytes Atrium accepts.",
                status=414,
                reason="uri-too-long",
            )
        connection = self.request.connection
        params = getattr(connection, "params", None)
        server_limit = getattr(params, "max_body_size", None) or getattr(
            getattr(connection, "stream", None), "max_buffer_size", None
        )
        server_limit = server_limit or 2**62
        own = self.body_limit()
        limit = server_limit if own is None else min(own, server_limit)
        declared = self.request.headers.get("Content-Length")
        size = int(declared) if declared and declared.isascii() and declared.isdigit() else None
        if size is not None and size > limit:
            if size > server_limit:
                # Past what the server reads at all: answer and close. (Lifting tornado's
                # limit keeps it from answering a second time with its bare 400.)
                connection.set_max_body_size(size)
                raise self.body_too_large(size, limit)
            self._refuse(self.body_too_large(size, limit), server_limit)
            return
        if type(self).data_received is BoundedBodyMixin.data_received:
            if size is None:
                # Chunked: counted here, so tornado's own limit must not cut in first.
                connection.set_max_body_size(2**62)
            self._body_limit = limit
            self._drain_limit = server_limit
            self._body_buffer = self.request.body = bytearray()

    def data_received(self: Any, chunk: bytes) -> None:
        if self._drain_left is not None:
            self._drain_left -= len(chunk)
            if self._drain_left < 0 and not self._finished:
                self.finish()  # enough: tornado closes the connection
            return
        buffer = self._body_buffer
        if buffer is None:
            return  # refused before prepare (XSRF, authentication): dropped
        if len(buffer) + len(chunk) > self._body_limit:
            self._refuse(self.body_too_large(None, self._body_limit), self._drain_limit)
            return
        buffer += chunk

    def _refuse(self: Any, error: AtriumError, drain: int) -> None:
        """Answer ``error`` now (complete, with its length), then drop up to ``drain`` more
        bytes of body; the verb never runs."""
        (getattr(self, "log", None) or app_log).warning(
            "%s %s: %s %s", self.request.method, self.request.path, error.status, error.reason
        )
        self._body_buffer = None
        self.request.body = b""
        self._drain_left = drain
        payload = json.dumps({"message": error.message, "reason": error.reason}).encode()
        self.clear()
        self.set_status(error.status)
        self.set_header("Content-Type", "application/json; charset=UTF-8")
        self.set_header("Content-Length", str(len(payload)))
        self.write(payload)
        self.flush()
        # tornado calls the verb once the body is in; for a refused one it only ends the reply.
        setattr(self, self.request.method.lower(), self._end_refused)

    def _end_refused(self: Any, *args: Any, **kwargs: Any) -> None:
        if not self._finished:
            self.finish()


def service_authorized(method: Callable[..., Awaitable[None]]) -> Callable[..., Awaitable[None]]:
    """Authorize a verb of an Atrium endpoint through the handler's own ``atrium_authorize``.

    Endpoints are shared by both deployment modes, so the check is delegated to the mode's
    handler base: jupyter_server's authorizer when embedded, JupyterHub scopes as a service.
    """

    @functools.wraps(method)
    async def wrapper(self: Any, *args: Any, **kwargs: Any) -> None:
        action = _ACTIONS.get(self.request.method, "write")
        if not self.atrium_authorize(action):
            raise HTTPError(403, f"Not allowed to {action} Atrium resources")
        await method(self, *args, **kwargs)

    wrapper.atrium_authorized = True  # type: ignore[attr-defined]
    return wrapper


@stream_request_body
class AtriumHandler(JSONReplyMixin, BoundedBodyMixin, APIHandler):
    """An authenticated JSON API handler of the user's server."""

    auth_resource = "atrium"

    def atrium_authorize(self, action: str) -> bool:
        return bool(
            self.authorizer.is_authorized(self, self.current_user, action, self.auth_resource)
        )
