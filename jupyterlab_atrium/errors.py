"""Domain errors with the HTTP status and the user-facing message they map to."""

from __future__ import annotations


class AtriumError(Exception):
    """An error whose message is safe to show to the user (no secrets, no internals)."""

    status = 500
    reason = "error"

    def __init__(self, message: str, *, status: int | None = None, reason: str | None = None):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
        if reason is not None:
            self.reason = reason


class ServiceUnavailable(AtriumError):
    status = 503
    reason = "service-unavailable"
