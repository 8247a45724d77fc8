"""The broker file through which a kernel finds its own Jupyter server for drive credentials.

The server writes ``atrium-netdrive-<server pid>.json`` (``{"url", "token"}``, mode 0600) into
``jupyter_runtime_dir()`` at start and removes it at shutdown. A kernel started by that server
finds the pid in ``JPY_PARENT_PID`` (set by jupyter_client's launcher on POSIX), reads the file
and asks ``POST {url}atrium/api/netdrive/kernel-credentials`` with the header
``Authorization: atrium-broker <token>``. The token is only a key to that endpoint; passwords
are never written to disk.

Beside it the server keeps ``atrium-netdrive-<server pid>-drives.json`` (0600): the drives
connected right now, each with a random lease that changes at every connect. A kernel got the
lease with the credentials and checks it (one ``stat``, a read only when the file changed)
before each SMB call and request: when Disconnect or Forget has removed it, the kernel cuts
its connection to the drive and says so; when the drive was connected again, it asks for
the credentials again.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import os
import secrets
import stat
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

AUTH_SCHEME = "atrium-broker"
ENDPOINT = "atrium/api/netdrive/kernel-credentials"
FILE_PREFIX = "atrium-netdrive-"
LEASES_SUFFIX = "-drives.json"


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
    target = broker_file_path(runtime_dir, pid)
    _write_private(target, {"url": url, "token": token, "pid": int(pid)})
    return target


def _write_private(target: Path, payload: dict[str, Any]) -> None:
    """Atomically replace ``target`` with ``payload`` as JSON, mode 0600."""
    directory = target.parent
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=directory)  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(payload, handle)
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def remove_broker_file(runtime_dir: str | os.PathLike[str], pid: int | str) -> None:
    with contextlib.suppress(FileNotFoundError):
        broker_file_path(runtime_dir, pid).unlink()


def read_broker_file(runtime_dir: str | os.PathLike[str], pid: int | str) -> tuple[str, str]:
    """``(url, token)`` from the broker file, refusing files others could have written or read."""
    path = broker_file_path(runtime_dir, pid)
    try:
        data = _read_private(path)
    except FileNotFoundError:
        raise BrokerFileError(
            f"No Atrium server found for this kernel ({path.name} is missing in {path.parent}): "
            "network drives work in kernels started by a Jupyter server with Atrium."
        ) from None
    try:
        url, token = data["url"], data["token"]
    except (KeyError, TypeError):
        raise BrokerFileError(f"{path} is not a valid broker file.") from None
    if not (
        isinstance(url, str) and isinstance(token, str) and url.startswith(("http://", "https://"))
    ):
        raise BrokerFileError(f"{path} is not a valid broker file.")
    return url, token


def _read_private(path: Path) -> Any:
    """The JSON in ``path``, refusing a file others could have written or read.

    Raises ``FileNotFoundError`` when it is missing, ``BrokerFileError`` otherwise.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        raise
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
            return json.load(handle)
        except ValueError:
            raise BrokerFileError(f"{path} is not a valid broker file.") from None


# -- leases: which drives a kernel may use right now ---------------------------------------------


def leases_file_path(runtime_dir: str | os.PathLike[str], pid: int | str) -> Path:
    return Path(runtime_dir) / f"{FILE_PREFIX}{int(pid)}{LEASES_SUFFIX}"


def new_lease() -> str:
    return secrets.token_hex(16)


def write_leases(path: Path, leases: Mapping[str, str]) -> None:
    """Atomically publish the connected drives' leases (``{name: lease}``), mode 0600."""
    _write_private(path, {"drives": dict(leases)})


def remove_leases(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


class LeaseReader:
    """A kernel's view of the leases file, read again only when it changed (``stat``)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._seen: tuple[int, ...] | None = None
        self._leases: dict[str, str] = {}
        self._lock = threading.Lock()

    def lease(self, name: str) -> str | None:
        """The drive's current lease; ``None`` when it is not connected (or the server that
        connected it has stopped and removed the file)."""
        with self._lock:
            try:
                info = os.stat(self.path)
            except FileNotFoundError:
                self._seen, self._leases = None, {}
                return None
            seen = (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
            if seen != self._seen:
                try:
                    drives = _read_private(self.path).get("drives")
                except (FileNotFoundError, BrokerFileError, AttributeError):
                    drives = None
                self._leases = dict(drives) if isinstance(drives, dict) else {}
                self._seen = seen
            lease = self._leases.get(name)
            return lease if isinstance(lease, str) else None


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
