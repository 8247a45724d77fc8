"""Handler pieces shared by every Atrium endpoint, in the user's server and the hub service."""

from __future__ import annotations

import functools
import json
from collections.abc import Awaitable, Callable
from http.client import responses
from typing import Any, TypeVar

from jupyter_server.base.handlers import APIHandler
from tornado.log import app_log
from tornado.web import HTTPError, RequestHandler

from . import fields
from .errors import AtriumError

INTERNAL_ERROR = "Atrium hit an internal error; the server log has details."

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


class AtriumHandler(JSONReplyMixin, APIHandler):
    """An authenticated JSON API handler of the user's server."""

    auth_resource = "atrium"

    def atrium_authorize(self, action: str) -> bool:
        return bool(
            self.authorizer.is_authorized(self, self.current_user, action, self.auth_resource)
        )
