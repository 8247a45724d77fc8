"""Network-drive errors, mapped to the REST contract's statuses and reasons.

Messages are shown to the user: they name the server, share or path, never a password.
"""

from __future__ import annotations

from ..errors import AtriumError


class NetDriveError(AtriumError):
    status = 502
    reason = "smb-error"

    def __init__(self, message: str, *, status: int | None = None, reason: str | None = None):
        super().__init__(message, status=status, reason=reason)


class InvalidPath(NetDriveError):
    status = 400
    reason = "invalid-path"


class BadCredentials(NetDriveError):
    status = 401
    reason = "bad-credentials"


class ShareNotFound(NetDriveError):
    status = 404
    reason = "share-not-found"


class AccessDenied(NetDriveError):
    status = 403
    reason = "access-denied"


class Unreachable(NetDriveError):
    status = 504
    reason = "unreachable"


class PathNotFound(NetDriveError):
    status = 404
    reason = "not-found"


def folder_not_found(folder: str) -> PathNotFound:
    """The 404 of a call whose folder is missing: the parent of a file or folder to create,
    or the folder a ``POST`` creates in. Named, since the status alone does not say which
    part of a path is missing."""
    return PathNotFound(f"The folder '{folder}' does not exist on the drive.")


class AlreadyExists(NetDriveError):
    status = 409
    reason = "exists"


class NotADirectory(NetDriveError):
    status = 400
    reason = "not-a-directory"


class IsADirectory(NetDriveError):
    status = 400
    reason = "is-a-directory"


class Disconnected(NetDriveError):
    status = 409
    reason = "disconnected"


class SMBFailure(NetDriveError):
    status = 502
    reason = "smb-error"


class TimedOut(Unreachable):
    """A connected drive's server stopped answering within ``request_timeout``."""

    status = 504
    reason = "timeout"


class Abandoned(NetDriveError):
    """The drive was disconnected while the request ran: its work was abandoned."""

    status = 503
    reason = "disconnected"
