"""The broker file through which a kernel finds its own Jupyter server for drive credentials.

The server writes ``atrium-netdrive-<server pid>.json`` (``{"url", "token"}``, mode 0600) into
``jupyter_runtime_dir()`` at start and removes it at shutdown. A kernel started by that server
finds the pid in ``JPY_PARENT_PID`` (set by jupyter_client's launcher on POSIX), reads the file
and asks ``POST {url}atrium/api/netdrive/kernel-credentials`` with the header
``Authorization: atrium-broker <token>``. The token is only a key to that endpoint; passwords
are never written to disk.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import os
import secrets
import stat
import tempfile
from pathlib import Path

AUTH_SCHEME = "atrium-broker"
ENDPOINT = "atrium/api/netdrive/kernel-credentials"
FILE_PREFIX = "atrium-netdrive-"


class BrokerFileError(RuntimeError):
    """The broker file is missing, unsafe or malformed (message safe to show; no token)."""


def new_broker_token() -> str:
    return secrets.token_urlsafe(32)


def broker_file_path(runtime_dir: str | os.PathLike[str], pid: int | str) -> Path:
    return Path(runtime_dir) / f"{FILE_PREFIX}{int(pid)}.json"


def write_broker_file(
    runtime_dir: str | os.PathLike[str], pid: int | str, url: str, token: str
) -> Path:
    """Atomically write the 0600 broker file; returns its path.

    ``url`` is the server's own base URL as a kernel on this machine reaches it, ending in '/'
    (e.g. ``http://127.0.0.1:8888/user/alice/``).
    """
    if not url.endswith("/"):
        url += "/"
    directory = Path(runtime_dir)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    target = broker_file_path(directory, pid)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=directory)  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({"url": url, "token": token, "pid": int(pid)}, handle)
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return target


def remove_broker_file(runtime_dir: str | os.PathLike[str], pid: int | str) -> None:
    with contextlib.suppress(FileNotFoundError):
        broker_file_path(runtime_dir, pid).unlink()


def read_broker_file(runtime_dir: str | os.PathLike[str], pid: int | str) -> tuple[str, str]:
    """``(url, token)`` from the broker file, refusing files others could have written or read."""
    path = broker_file_path(runtime_dir, pid)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        raise BrokerFileError(
            f"No Atrium server found for this kernel ({path.name} is missing in {path.parent}): "
            "network drives work in kernels started by a Jupyter server with Atrium."
        ) from None
    except OSError as err:
        raise BrokerFileError(f"Cannot open {path}: {err.strerror}") from None
    with os.fdopen(fd, "r", encoding="utf-8") as handle:
        info = os.fstat(handle.fileno())
        if os.name == "posix":
            if info.st_uid != os.geteuid():
                raise BrokerFileError(f"{path} belongs to another user; refusing to use it.")
            if stat.S_IMODE(info.st_mode) & 0o077:
                raise BrokerFileError(f"{path} is readable by others; refusing to use it.")
        try:
            data = json.load(handle)
            url, token = data["url"], data["token"]
        except (ValueError, KeyError, TypeError):
            raise BrokerFileError(f"{path} is not a valid broker file.") from None
    if not (
        isinstance(url, str) and isinstance(token, str) and url.startswith(("http://", "https://"))
    ):
        raise BrokerFileError(f"{path} is not a valid broker file.")
    return url, token


def check_broker_token(header: str | None, token: str | None) -> bool:
    """Whether an ``Authorization`` header carries ``token`` (constant-time comparison)."""
    if not isinstance(header, str) or not isinstance(token, str) or not token:
        return False
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != AUTH_SCHEME:
        return False
    return hmac.compare_digest(value.strip().encode(), token.encode())


def authorization_header(token: str) -> str:
    return f"{AUTH_SCHEME} {token}"
