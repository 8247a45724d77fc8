"""``netdrive://<drive>/<path>``: the user's connected network drives from kernel code (fsspec).

Registered as the fsspec protocol ``netdrive`` through the package's ``fsspec.specs`` entry
point, so ``pd.read_csv("netdrive://dept/data/raw.csv")`` and ``df.to_csv("netdrive://…")``
work in any kernel started by the user's Jupyter server.

Credentials are obtained at run time, per drive, from that server: the kernel finds the
server's pid in ``JPY_PARENT_PID`` (set by jupyter_client when it launches the kernel), reads
the 0600 broker file ``atrium-netdrive-<pid>.json`` in ``jupyter_runtime_dir()`` and asks
``POST {url}atrium/api/netdrive/kernel-credentials`` with the broker token. The answer (the
password included) lives only in this process's memory; SMB traffic goes straight from the
kernel to the file server through :mod:`.smb`, with the server's deadlines.

Disconnect or Forget in JupyterLab ends the kernel's use of the drive at its next SMB call
or request, open files included: the credentials came with a lease, checked against the
server's leases file before each (see :mod:`.broker`), and the kernel raises
``NetDriveDisconnected`` saying so.

Writes replace a file only once complete (:mod:`.atomic`): a file opened for writing is
renamed into place by ``close()``; a failed write, or an exception that leaves its ``with``
block, discards it. Inside ``with fs.transaction:`` files are put in place when the block
ends without an exception, and all discarded otherwise.
"""

from __future__ import annotations

import errno
import json
import os
import ssl
import threading
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime
from typing import Any

from fsspec.spec import AbstractFileSystem

from . import broker
from .atomic import is_temporary
from .errors import (
    AccessDenied,
    AlreadyExists,
    BadCredentials,
    InvalidPath,
    IsADirectory,
    NetDriveError,
    NotADirectory,
    PathNotFound,
    Unreachable,
)
from .paths import normalize_path
from .smb import Credentials, Entry, ShareAddress, SMBClient

_LOOPBACK = {"127.0.0.1", "::1", "localhost"}
_WRITES = {"open_write", "write_bytes", "mkdir", "remove"}


class NetDriveUnavailable(ConnectionError):
    """The drive cannot be used from this kernel right now (message says why and what to do)."""


class NetDriveDisconnected(NetDriveUnavailable):
    """The drive was disconnected (or forgotten) in JupyterLab after this kernel used it."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"The network drive '{name}' was disconnected in JupyterLab, so this kernel can no "
            "longer use it. Connect it again in JupyterLab (Network Drives), then retry."
        )
        self.drive = name

    def __reduce__(self) -> tuple[Any, ...]:  # copies (one per failed call) keep the message
        return (type(self), (self.drive,))


def _os_error(err: NetDriveError, path: str) -> OSError:
    """The builtin exception pandas and fsspec callers expect for a drive error."""
    target = f"netdrive://{path}"
    if isinstance(err, PathNotFound):
        return FileNotFoundError(errno.ENOENT, err.message, target)
    if isinstance(err, AlreadyExists):
        return FileExistsError(errno.EEXIST, err.message, target)
    if isinstance(err, AccessDenied):
        return PermissionError(errno.EACCES, err.message, target)
    if isinstance(err, IsADirectory):
        return IsADirectoryError(errno.EISDIR, err.message, target)
    if isinstance(err, NotADirectory):
        return NotADirectoryError(errno.ENOTDIR, err.message, target)
    if isinstance(err, InvalidPath):
        return OSError(errno.EINVAL, err.message, target)
    if isinstance(err, (Unreachable, BadCredentials)):
        return NetDriveUnavailable(err.message)
    return OSError(errno.EIO, err.message, target)


class CredentialBroker:
    """Asks the kernel's own Jupyter server for a drive's connection details."""

    def __init__(
        self,
        *,
        pid: int | str | None = None,
        runtime_dir: str | None = None,
        timeout: float = 10.0,
    ) -> None:
        self.pid = pid
        self.runtime_dir = runtime_dir
        self.timeout = timeout
        self._leases: broker.LeaseReader | None = None

    def _where(self) -> tuple[str, int | str]:
        """The runtime dir and pid of the kernel's Jupyter server."""
        pid = self.pid or os.environ.get("JPY_PARENT_PID")
        if not pid or not str(pid).isdigit():
            # Not launched by jupyter_client (or on Windows, where it holds a handle):
            # the process that started us is the best remaining guess.
            pid = os.getppid()
        runtime_dir = self.runtime_dir
        if runtime_dir is None:
            from jupyter_core.paths import jupyter_runtime_dir

            runtime_dir = jupyter_runtime_dir()
        return runtime_dir, pid

    def _locate(self) -> tuple[str, str]:
        try:
            return broker.read_broker_file(*self._where())
        except broker.BrokerFileError as err:
            raise NetDriveUnavailable(str(err)) from None

    def lease(self, name: str) -> str | None:
        """The drive's lease as the server publishes it now (None: not connected)."""
        if self._leases is None:
            self._leases = broker.LeaseReader(broker.leases_file_path(*self._where()))
        return self._leases.lease(name)

    def credentials(self, name: str) -> dict[str, Any]:
        url, token = self._locate()
        endpoint = url + broker.ENDPOINT
        request = urllib.request.Request(  # noqa: S310 (http(s) only, checked in read_broker_file)
            endpoint,
            data=json.dumps({"name": name}).encode(),
            method="POST",
            headers={
                "Authorization": broker.authorization_header(token),
                "Content-Type": "application/json",
                "Accept": "application/json",
            },
        )
        context = None
        if endpoint.startswith("https://"):
            host = urllib.parse.urlsplit(endpoint).hostname or ""
            context = ssl.create_default_context()
            if host in _LOOPBACK:  # the server's own, usually self-signed, certificate
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
        try:
            with urllib.request.urlopen(request, timeout=self.timeout, context=context) as resp:  # noqa: S310
                body = json.loads(resp.read())
        except urllib.error.HTTPError as err:
            message = _error_message(err)
            if err.code == 404:
                raise FileNotFoundError(
                    errno.ENOENT, f"No network drive named '{name}': {message}", name
                ) from None
            raise NetDriveUnavailable(
                f"The Jupyter server refused credentials for drive '{name}' ({err.code}): {message}"
            ) from None
        except (urllib.error.URLError, OSError, ValueError) as err:
            reason = getattr(err, "reason", err)
            raise NetDriveUnavailable(
                f"Cannot reach the Jupyter server for drive '{name}': {reason}"
            ) from None
        missing = {"server", "share", "username", "password"} - set(body)
        if missing:
            raise NetDriveUnavailable("The Jupyter server sent incomplete drive credentials.")
        return body


def _error_message(err: urllib.error.HTTPError) -> str:
    try:
        data = json.loads(err.read())
        message = data.get("message") or data.get("reason")
        if isinstance(message, str):
            if data.get("reason") == "disconnected":
                return message + " Connect the drive in JupyterLab (Network Drives) first."
            return message
    except Exception:  # noqa: S110 - best effort: fall back to the HTTP reason
        pass
    return str(err.reason)


class NetDriveFileSystem(AbstractFileSystem):
    """fsspec filesystem for ``netdrive://<drive>/<path>`` (see the module docstring)."""

    protocol = "netdrive"
    root_marker = ""

    def __init__(
        self,
        *,
        broker_pid: int | str | None = None,
        runtime_dir: str | None = None,
        timeout: float = 10.0,
        **storage_options: Any,
    ) -> None:
        super().__init__(**storage_options)
        self._broker = CredentialBroker(pid=broker_pid, runtime_dir=runtime_dir, timeout=timeout)
        self._clients: dict[str, SMBClient] = {}
        # The lease each client's credentials came with (None: the server gave none).
        self._leases: dict[str, str | None] = {}
        self._read_only: dict[str, bool] = {}
        self._clients_lock = threading.Lock()

    # -- paths and clients --------------------------------------------------------------------

    @classmethod
    def _strip_protocol(cls, path: Any) -> str:
        if isinstance(path, list):
            return [cls._strip_protocol(p) for p in path]  # type: ignore[return-value]
        path = str(path)
        if path.startswith("netdrive://"):
            path = path[len("netdrive://") :]
        elif path.startswith("netdrive:"):
            path = path[len("netdrive:") :]
        return path.strip("/")

    def _split(self, path: str) -> tuple[str, str]:
        path = self._strip_protocol(path)
        name, _, rest = path.partition("/")
        if not name:
            raise ValueError(
                "netdrive:// paths start with the drive name: netdrive://<drive>/<path>"
            )
        try:
            return name, normalize_path(rest)
        except InvalidPath as err:
            raise _os_error(err, path) from None

    def _client(self, name: str, *, fresh: bool = False) -> SMBClient:
        with self._clients_lock:
            client = self._clients.get(name)
            if client is not None and not fresh:
                lease = self._leases.get(name)
                current = self._broker.lease(name) if lease else None
                if current == lease:
                    return client
                # Disconnected since: refused (the ended client stays here to say so) for as
                # long as it stays disconnected; connected again: asked anew.
                client.abort(NetDriveDisconnected(name))
                client.close()
                if current is None:
                    raise NetDriveDisconnected(name)
            if client is not None:
                client.close()
                del self._clients[name]
        info = self._broker.credentials(name)
        client = SMBClient(
            ShareAddress(
                server=info["server"],
                share=info["share"],
                folder=info.get("folder") or "",
                port=int(info.get("port") or 445),
            ),
            Credentials(
                username=info["username"],
                password=info["password"],
                domain=info.get("domain") or "",
            ),
            require_encryption=bool(info.get("encrypt")),
            timeout=float(info.get("connectTimeout") or 5.0),
            request_timeout=float(info.get("requestTimeout") or 30.0),
            read_only=bool(info.get("readOnly")),
        )
        lease = info.get("lease")
        if isinstance(lease, str):
            client.guard = self._guard(name, lease)
        read_only = bool(info.get("readOnly"))
        del info
        try:
            client.connect()
        except NetDriveError as err:
            raise _os_error(err, name) from None
        with self._clients_lock:
            self._read_only[name] = read_only
            if name not in self._clients:
                self._clients[name] = client
                self._leases[name] = lease if isinstance(lease, str) else None
            return self._clients[name]

    def _guard(self, name: str, lease: str) -> Any:
        """Refuse every call and request once the drive's lease is gone or replaced."""

        def guard() -> None:
            if self._broker.lease(name) != lease:
                raise NetDriveDisconnected(name)

        return guard

    def _check_writable(self, name: str) -> None:
        if self._read_only.get(name):
            raise PermissionError(
                errno.EROFS, f"The drive '{name}' is connected read-only.", f"netdrive://{name}"
            )

    def _run(self, path: str, operation: str, *args: Any) -> Any:
        """Call ``SMBClient.<operation>(rel, *args)``; on rejected credentials ask once more."""
        name, rel = self._split(path)
        client = self._client(name)
        if operation in _WRITES:
            self._check_writable(name)
        try:
            return getattr(client, operation)(rel, *args)
        except BadCredentials:
            # The password changed on the server side (the user reconnected): fetch it again.
            client = self._client(name, fresh=True)
        except NetDriveError as err:
            raise _os_error(err, self._strip_protocol(path)) from None
        try:
            return getattr(client, operation)(rel, *args)
        except NetDriveError as err:
            raise _os_error(err, self._strip_protocol(path)) from None

    def close_drives(self) -> None:
        """Close every SMB connection and forget the credentials held in memory."""
        with self._clients_lock:
            clients, self._clients = self._clients, {}
        for client in clients.values():
            client.close()

    # -- metadata -----------------------------------------------------------------------------

    @staticmethod
    def _info(name: str, entry: Entry) -> dict[str, Any]:
        full = f"{name}/{entry.path}" if entry.path else name
        return {
            "name": full,
            "size": entry.size,
            "type": "directory" if entry.is_dir else "file",
            "mtime": entry.modified.timestamp(),
            "created": entry.created.timestamp(),
        }

    def ls(self, path: str, detail: bool = True, **kwargs: Any) -> list[Any]:
        name, _ = self._split(path)
        entries = self._run(path, "list")
        infos = [self._info(name, entry) for entry in entries if not is_temporary(entry.name)]
        infos.sort(key=lambda info: info["name"])
        if detail:
            return infos
        return [info["name"] for info in infos]

    def info(self, path: str, **kwargs: Any) -> dict[str, Any]:
        name, rel = self._split(path)
        entry = self._run(path, "stat")
        info = self._info(name, entry)
        if not rel:
            info["type"] = "directory"
        return info

    def exists(self, path: str, **kwargs: Any) -> bool:
        try:
            self.info(path)
        except FileNotFoundError:
            return False
        return True

    def modified(self, path: str) -> datetime:
        return datetime.fromtimestamp(self.info(path)["mtime"]).astimezone()

    def created(self, path: str) -> datetime:
        return datetime.fromtimestamp(self.info(path)["created"]).astimezone()

    # -- content ------------------------------------------------------------------------------

    def _open(
        self,
        path: str,
        mode: str = "rb",
        block_size: int | None = None,
        autocommit: bool = True,
        cache_options: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> Any:
        if mode == "rb":
            stream = self._run(path, "open_read")
        elif mode in ("wb", "xb"):
            if mode == "xb" and self.exists(path):
                raise FileExistsError(errno.EEXIST, "File exists", path)
            # "xb" also holds when the file appears meanwhile: it is renamed into place
            # without replacing.
            stream = self._run(path, "open_write", mode == "wb", autocommit)
        else:
            raise NotImplementedError(f"netdrive:// files open with 'rb' or 'wb', not {mode!r}")
        stream.mode = mode
        where = self._strip_protocol(path)
        stream.translate = lambda err: _os_error(err, where)
        return stream

    def cat_file(
        self, path: str, start: int | None = None, end: int | None = None, **kwargs: Any
    ) -> bytes:
        if start is None and end is None:
            return self._run(path, "read_bytes")
        return super().cat_file(path, start=start, end=end, **kwargs)

    def pipe_file(self, path: str, value: bytes, mode: str = "overwrite", **kwargs: Any) -> None:
        if mode == "create" and self.exists(path):
            raise FileExistsError(errno.EEXIST, "File exists", path)
        self._run(path, "write_bytes", value, mode != "create")

    # -- changes ------------------------------------------------------------------------------

    def mkdir(self, path: str, create_parents: bool = True, **kwargs: Any) -> None:
        if create_parents:
            self.makedirs(path, exist_ok=False)
        else:
            self._run(path, "mkdir")

    def makedirs(self, path: str, exist_ok: bool = False) -> None:
        name, rel = self._split(path)
        if not rel:
            if exist_ok:
                return
            raise FileExistsError(errno.EEXIST, "The drive root exists", path)
        parts = rel.split("/")
        for depth in range(1, len(parts) + 1):
            current = f"{name}/{'/'.join(parts[:depth])}"
            try:
                self._run(current, "mkdir")
            except FileExistsError:
                if depth == len(parts) and not exist_ok:
                    raise

    def rmdir(self, path: str) -> None:
        if self.ls(path, detail=False):
            raise OSError(errno.ENOTEMPTY, "Directory not empty", path)
        self._run(path, "remove")

    def rm_file(self, path: str) -> None:
        if self.info(path)["type"] == "directory":
            raise IsADirectoryError(errno.EISDIR, "Is a directory", path)
        self._run(path, "remove")

    def _rm(self, path: str) -> None:
        self._run(path, "remove")

    def rm(
        self, path: str | list[str], recursive: bool = False, maxdepth: int | None = None
    ) -> None:
        for item in path if isinstance(path, list) else [path]:
            if not recursive and self.info(item)["type"] == "directory":
                self.rmdir(item)
            else:
                self._run(item, "remove")

    def mv(self, path1: str, path2: str, recursive: bool = False, maxdepth: Any = None, **kw: Any):
        name1, rel1 = self._split(path1)
        name2, rel2 = self._split(path2)
        if name1 != name2 or isinstance(path1, list):
            return super().mv(path1, path2, recursive=True, maxdepth=maxdepth, **kw)
        client = self._client(name1)
        self._check_writable(name1)
        try:
            client.rename(rel1, rel2)
        except NetDriveError as err:
            raise _os_error(err, self._strip_protocol(path1)) from None
        return None

    def cp_file(self, path1: str, path2: str, **kwargs: Any) -> None:
        name1, rel1 = self._split(path1)
        name2, rel2 = self._split(path2)
        if name1 != name2:
            with self.open(path1, "rb") as src, self.open(path2, "wb") as dst:
                while chunk := src.read(8 * 1024 * 1024):
                    dst.write(chunk)
            return
        client = self._client(name1)
        self._check_writable(name1)
        try:
            client.copy(rel1, rel2, True)
        except NetDriveError as err:
            raise _os_error(err, self._strip_protocol(path1)) from None

    def __repr__(self) -> str:
        return f"<NetDriveFileSystem drives={sorted(self._clients)}>"
