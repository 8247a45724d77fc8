"""Blocking SMB 2/3 client for one drive (one connection pool per drive), on smbprotocol.

Called from worker threads (server) or directly (kernel-side fsspec). Every method raises the
errors of :mod:`.errors`; their messages name the server, share or path and never contain the
password. Paths are drive-relative, '/'-separated ('' = the drive root) and validated by
:mod:`.paths`.

Design notes:

- The connection, session and tree live in a private ``connection_cache`` dict, so two drives
  never share a pool and ``close()`` tears down exactly this drive's connection. smbclient's
  high-level functions find them there (same server, port and user name).
- SMB3 encryption is switched on whenever the negotiated dialect and the server support it;
  ``require_encryption=True`` refuses servers that cannot encrypt. ``encrypted`` tells which.
- ``list`` sends one directory query (FILE_DIRECTORY_INFORMATION, 1 MiB answer: ~10,000
  entries) and reads type, size and times from it: no per-entry stat (smbclient's
  ``DirEntry.stat()`` would also ignore a non-default port).
- Reads and writes keep several 1 MiB SMB2 READ/WRITE requests in flight (streaming, constant
  memory); a 64 MiB file takes about a second on loopback with encryption.
- When the server drops the connection (restart, idle timeout), the next call reconnects once
  with the remembered credentials and retries.
- Every write goes to a temporary file renamed over its target once complete (:mod:`.atomic`):
  an interrupted upload, save, copy or kernel write leaves the target as it was.
"""

from __future__ import annotations

import collections
import contextlib
import copy
import io
import logging
import socket
import struct
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, BinaryIO, TypeVar

import smbclient
import smbclient.shutil as smbshutil
from smbprotocol import exceptions as smbexc
from smbprotocol.connection import Connection, Dialects
from smbprotocol.file_info import FileAttributes, FileInformationClass
from smbprotocol.header import NtStatus
from smbprotocol.open import (
    CreateDisposition,
    CreateOptions,
    DirectoryAccessMask,
    ImpersonationLevel,
    Open,
    QueryDirectoryFlags,
    ShareAccess,
)
from smbprotocol.session import Session
from smbprotocol.tree import TreeConnect

from . import atomic, smbwrite
from .deadline import DeadlineConnection, timed_out
from .errors import (
    AccessDenied,
    AlreadyExists,
    BadCredentials,
    InvalidPath,
    IsADirectory,
    NetDriveError,
    NotADirectory,
    PathNotFound,
    ShareNotFound,
    SMBFailure,
    TimedOut,
    Unreachable,
    folder_not_found,
)
from .paths import normalize_path

log = logging.getLogger(__name__)

# At DEBUG smbprotocol logs every packet as a hex dump: file contents from the share end up
# in the server log, and formatting them costs seconds per MiB. Unless someone configured
# these loggers explicitly, they stay at INFO even when the root logger is at DEBUG.
for _name in ("smbprotocol", "spnego"):
    if logging.getLogger(_name).level == logging.NOTSET:
        logging.getLogger(_name).setLevel(logging.INFO)

T = TypeVar("T")

#: One SMB2 READ/WRITE and how many are kept in flight. Measured on Samba 4.17 over loopback
#: with encryption: 8 x 1 MiB in flight writes 64 MiB 2.5x and reads it 1.4x faster than one
#: 8 MiB request at a time (smaller messages also spare smbprotocol big copies).
PIPE_CHUNK = 1024 * 1024
PIPE_DEPTH = 8
#: Output buffer of one directory query (Samba and Windows allow up to 8 MiB).
LIST_BUFFER = 1024 * 1024
_CREDIT_SIZE = 65536
_FILETIME_EPOCH = 116444736000000000  # 1970-01-01 in 100 ns units since 1601-01-01
_DIR_INFO = struct.Struct("<IIqqqqqqII")  # FILE_DIRECTORY_INFORMATION up to the name
_DIR_BIT = 0x10  # FILE_ATTRIBUTE_DIRECTORY


@dataclass(frozen=True)
class ShareAddress:
    server: str
    share: str
    folder: str = ""
    port: int = 445

    @property
    def unc(self) -> str:
        """'\\\\server\\share\\folder' (for display; never contains credentials)."""
        base = f"\\\\{self.server}\\{self.share}"
        return f"{base}\\{self.folder.replace('/', chr(92))}" if self.folder else base


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str = field(repr=False)
    domain: str = ""

    @property
    def principal(self) -> str:
        """The user name as the SMB session sees it ('DOMAIN\\user' or 'user')."""
        return f"{self.domain}\\{self.username}" if self.domain else self.username


@dataclass(frozen=True)
class Entry:
    name: str
    path: str
    is_dir: bool
    size: int
    modified: datetime
    created: datetime


# -- error mapping -------------------------------------------------------------------------------

_STATUS_MEDIA_WRITE_PROTECTED = 0xC00000A2
_STATUS_NETWORK_SESSION_EXPIRED = 0xC000035C

_NOT_FOUND = {
    NtStatus.STATUS_OBJECT_NAME_NOT_FOUND,
    NtStatus.STATUS_OBJECT_PATH_NOT_FOUND,
    NtStatus.STATUS_NO_SUCH_FILE,
    NtStatus.STATUS_NOT_FOUND,
    NtStatus.STATUS_DELETE_PENDING,
}
_DENIED = {
    NtStatus.STATUS_ACCESS_DENIED,
    _STATUS_MEDIA_WRITE_PROTECTED,
    NtStatus.STATUS_PRIVILEGE_NOT_HELD,
    NtStatus.STATUS_CANNOT_DELETE,
    NtStatus.STATUS_SHARING_VIOLATION,
}
_CONNECTION_ERRORS = (
    smbexc.SMBConnectionClosed,
    ConnectionError,
    BrokenPipeError,
    socket.timeout,
    TimeoutError,
)


def _status_of(err: BaseException) -> int | None:
    if isinstance(err, smbexc.SMBOSError):
        return err.ntstatus
    if isinstance(err, smbexc.SMBResponseException):
        return err.status
    return None


def _status_name(status: int) -> str:
    for name in dir(NtStatus):
        if name.startswith("STATUS_") and getattr(NtStatus, name) == status:
            return name
    return f"0x{status:08x}"


def _is_connection_error(err: BaseException) -> bool:
    if isinstance(err, _CONNECTION_ERRORS):
        return True
    if isinstance(err, OSError) and not isinstance(err, smbexc.SMBOSError):
        # The socket's own (EBADF, ENOTCONN...): a send raced the receiver closing it.
        return True
    status = _status_of(err)
    return status in (
        NtStatus.STATUS_USER_SESSION_DELETED,
        NtStatus.STATUS_NETWORK_NAME_DELETED,
        _STATUS_NETWORK_SESSION_EXPIRED,
    )


def _is_dir(stat_result: Any) -> bool:
    return bool(stat_result.st_file_attributes & FileAttributes.FILE_ATTRIBUTE_DIRECTORY)


class SMBClient:
    """One SMB drive: ``\\\\server\\share\\folder`` with one user's credentials."""

    def __init__(
        self,
        address: ShareAddress,
        credentials: Credentials,
        *,
        require_encryption: bool = False,
        timeout: float = 5.0,
        request_timeout: float = 30.0,
        read_only: bool = False,
    ) -> None:
        folder = normalize_path(address.folder, what="folder")
        if folder != address.folder:
            address = ShareAddress(address.server, address.share, folder, address.port)
        self.address = address
        self._credentials = credentials
        self.require_encryption = require_encryption
        #: Connected read-only in JupyterLab: connecting leaves others' temporary files alone.
        self.read_only = read_only
        self.timeout = timeout
        #: Seconds the server has to answer each request once connected (see .deadline).
        self.request_timeout = request_timeout
        #: Called before every call and request; raises to refuse it (a kernel's drive
        #: that was disconnected in JupyterLab).
        self.guard: Callable[[], None] | None = None
        self.encrypted = False
        # Why the connection was cut for not answering: calls failing because of the cut
        # report this; the next call reconnects (and clears it).
        self._stall: Exception | None = None
        # Why the client was aborted for good: every call, then and later, fails with it.
        self._aborted: Exception | None = None
        self._cache: dict[str, Connection] = {}
        self._lock = threading.RLock()
        self._connected = False
        self._tree: TreeConnect | None = None
        self._share_unc = f"\\\\{address.server}\\{address.share}"
        self._share_key: atomic.ShareKey = (
            address.server.lower(),
            address.port,
            address.share.lower(),
        )
        self._root_unc = self._share_unc + ("\\" + folder.replace("/", "\\") if folder else "")

    def __repr__(self) -> str:
        return (
            f"<SMBClient {self.address.unc} port={self.address.port} "
            f"user={self._credentials.principal!r} connected={self._connected} "
            f"encrypted={self.encrypted}>"
        )

    # -- connection ---------------------------------------------------------------------------

    @property
    def connected(self) -> bool:
        return self._connected

    def connect(self) -> None:
        """Open the connection, authenticate and connect to the share (and check the folder)."""
        with self._lock:
            self._teardown()
            self._open()
        if self.address.folder:
            entry = self.stat("")
            if not entry.is_dir:
                raise NotADirectory(f"{self.address.unc} is not a folder.")
        if not self.read_only:
            self.sweep_temporaries("")

    def close(self) -> None:
        with self._lock:
            self._teardown()

    def __enter__(self) -> SMBClient:
        self.connect()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _teardown(self) -> None:
        self._connected = False
        self.encrypted = False
        self._tree = None
        cache, self._cache = self._cache, {}
        for connection in cache.values():
            with contextlib.suppress(Exception):
                connection.disconnect(close=True, timeout=2)

    def _open(self) -> None:
        address, creds = self.address, self._credentials
        started = time.monotonic()
        connection = DeadlineConnection(
            uuid.uuid4(), address.server, address.port, require_signing=True
        )
        # Signing in is part of connecting: its requests have the connect deadline.
        connection.request_timeout = max(self.timeout, self.request_timeout)
        connection.check = self._check
        connection.on_timeout = self._stalled
        # Leave headroom so that an unreachable host fails within ``timeout`` overall.
        connect_timeout = max(1.0, self.timeout - 0.5)
        try:
            connection.connect(timeout=connect_timeout)
        except Exception as err:
            with contextlib.suppress(Exception):
                connection.disconnect(close=True, timeout=1)
            log.info(
                "SMB connect to %s:%s failed after %.1fs: %s",
                address.server,
                address.port,
                time.monotonic() - started,
                type(err).__name__,
            )
            raise Unreachable(
                f"The server {address.server} (port {address.port}) could not be reached."
            ) from None
        try:
            can_encrypt = (
                connection.dialect >= Dialects.SMB_3_0_0 and connection.supports_encryption
            )
            if self.require_encryption and not can_encrypt:
                raise SMBFailure(
                    f"The server {address.server} does not offer SMB3 encryption, "
                    "which this drive requires."
                )
            session = Session(
                connection,
                username=creds.principal,
                password=creds.password,
                require_encryption=can_encrypt,
                auth_protocol="ntlm",
            )
            try:
                session.connect()
            except (smbexc.LogonFailure, smbexc.WrongPassword, smbexc.SMBAuthenticationError):
                raise BadCredentials(
                    f"The user name or password was not accepted by {address.server}."
                ) from None
            except smbexc.PasswordExpired:
                raise BadCredentials(
                    f"The password of this account has expired on {address.server}."
                ) from None
            tree = TreeConnect(session, self._share_unc)
            try:
                tree.connect()
            except smbexc.BadNetworkName:
                raise ShareNotFound(
                    f"The share {address.share} does not exist on {address.server}."
                ) from None
            except smbexc.AccessDenied:
                raise AccessDenied(f"Access to the share {address.share} was denied.") from None
        except NetDriveError:
            with contextlib.suppress(Exception):
                connection.disconnect(close=True, timeout=1)
            raise
        except Exception as err:
            with contextlib.suppress(Exception):
                connection.disconnect(close=True, timeout=1)
            if self._aborted is not None:  # ended meanwhile: say why, not "closed"
                raise copy.copy(self._aborted) from None
            if _is_connection_error(err):
                raise Unreachable(
                    f"The server {address.server} closed the connection while connecting."
                ) from None
            raise self._map(err, "") from None
        connection.set_request_timeout(self.request_timeout)
        self._cache[f"{address.server.lower()}:{address.port}"] = connection
        self._stall = None
        self.encrypted = bool(session.encrypt_data or tree.encrypt_data)
        self._tree = tree
        self._connected = True
        log.info(
            "SMB connected to %s (port %s) as %s, dialect 0x%04x, encrypted=%s",
            address.unc,
            address.port,
            creds.principal,
            connection.dialect,
            self.encrypted,
        )
        # A connection that broke mid-write may have left temporary files; the server may
        # still hold them for a moment after the old connection went.
        self._sweep_orphans(patience=2.0)

    def _kwargs(self) -> dict[str, object]:
        """smbclient keyword arguments that pick this drive's own pool."""
        return {
            "username": self._credentials.principal,
            "password": self._credentials.password,
            "port": self.address.port,
            "connection_cache": self._cache,
            "connection_timeout": max(1.0, self.timeout - 0.5),
            "auth_protocol": "ntlm",
        }

    def _ensure(self) -> None:
        with self._lock:
            if not self._connected or not any(c.transport.connected for c in self._cache.values()):
                self._teardown()
                self._open()

    # -- deadlines and abort (see .deadline) ---------------------------------------------------

    def _check(self) -> None:
        """Raise if this client may not go on: aborted, or refused by its guard."""
        if self._aborted is not None:
            raise copy.copy(self._aborted)
        if self.guard is not None:
            try:
                self.guard()
            except Exception as err:
                self.abort(err)
                raise

    def _stalled(self, error: Exception) -> None:
        """The server did not answer in time: cut the connection, so that every call on it
        fails now (with ``error``) and the next one reconnects."""
        self._stall = error
        self._cut()

    def abort(self, error: Exception) -> None:
        """End this client now, from any thread: calls in flight and later ones fail with
        ``error``, nothing waits for the server or for a call's locks. ``close()`` later."""
        self._aborted = error
        self._cut()

    def _note_send_timeout(self, err: BaseException) -> None:
        """A send that made no progress within the deadline (SO_SNDTIMEO) is a stall."""
        if isinstance(err, BlockingIOError) and self._stall is None:
            self._stalled(timed_out(self.address.server, self.request_timeout))

    def _cut(self) -> None:
        self._connected = False
        for connection in list(self._cache.values()):
            if isinstance(connection, DeadlineConnection):
                connection.cut()

    def _call(self, fn: Callable[[], T], path: str, *, retry: bool = True) -> T:
        """Run one SMB operation; reconnect once if the connection went away."""
        self._check()
        self._ensure()
        try:
            return fn()
        except NetDriveError:
            raise
        except Exception as err:
            self._note_send_timeout(err)
            if (
                retry
                and _is_connection_error(err)
                and self._stall is None
                and self._aborted is None
            ):
                log.info("SMB connection to %s lost; reconnecting", self.address.server)
                with self._lock:
                    self._teardown()
                    self._open()
                try:
                    return fn()
                except NetDriveError:
                    raise
                except Exception as err2:
                    raise self._map(err2, path) from None
            raise self._map(err, path) from None

    def _map(self, err: BaseException, path: str) -> Exception:
        if self._aborted is not None:
            return copy.copy(self._aborted)
        self._note_send_timeout(err)
        stall = self._stall
        if stall is not None and (_is_connection_error(err) or isinstance(err, BlockingIOError)):
            return copy.copy(stall)
        where = f"'{path}'" if path else "the drive root"
        status = _status_of(err)
        if status in _NOT_FOUND:
            return PathNotFound(f"{where} does not exist on the drive.")
        if status in _DENIED:
            return AccessDenied(f"Access to {where} was denied.")
        if status == NtStatus.STATUS_OBJECT_NAME_COLLISION:
            return AlreadyExists(f"{where} already exists.")
        if status == NtStatus.STATUS_NOT_A_DIRECTORY:
            return NotADirectory(f"{where} is not a folder.")
        if status == NtStatus.STATUS_FILE_IS_A_DIRECTORY:
            return IsADirectory(f"{where} is a folder.")
        if status == NtStatus.STATUS_DIRECTORY_NOT_EMPTY:
            return SMBFailure(f"{where} is not empty.", status=409, reason="not-empty")
        if status == NtStatus.STATUS_DISK_FULL:
            return SMBFailure("The drive is full.", status=507, reason="disk-full")
        if status in (NtStatus.STATUS_LOGON_FAILURE, NtStatus.STATUS_USER_SESSION_DELETED):
            return BadCredentials(
                f"The user name or password was not accepted by {self.address.server}."
            )
        if isinstance(err, smbexc.BadNetworkName):
            return ShareNotFound(
                f"The share {self.address.share} does not exist on {self.address.server}."
            )
        if _is_connection_error(err):
            return Unreachable(f"The connection to {self.address.server} was lost.")
        if isinstance(err, InvalidPath):
            return err
        name = _status_name(status) if status is not None else type(err).__name__
        log.warning("SMB operation on %s failed: %s", where, name)
        return SMBFailure(f"The file server reported an error for {where} ({name}).")

    # -- paths --------------------------------------------------------------------------------

    def _unc(self, path: str) -> str:
        rel = normalize_path(path)
        return self._root_unc + ("\\" + rel.replace("/", "\\") if rel else "")

    def _share_path(self, rel: str) -> str:
        """``rel`` as the share sees it: relative to the share root, '\\'-separated."""
        return "\\".join(p for p in (self.address.folder, rel) if p).replace("/", "\\")

    # -- metadata -----------------------------------------------------------------------------

    def list(self, path: str) -> list[Entry]:
        """Entries of a folder, from one directory query (no stat per entry).

        The query asks for up to 1 MiB of FILE_DIRECTORY_INFORMATION per response (about 10,000
        entries) and parses it directly; smbprotocol's generic structure parser costs more
        than the network round trip on large folders.
        """
        rel = normalize_path(path)
        return self._call(lambda: self._query_directory(rel), rel)

    def _query_directory(self, rel: str) -> list[Entry]:
        tree = self._tree
        if tree is None:
            raise SMBFailure("The drive is not connected.")
        connection = tree.session.connection
        smb_path = "\\".join(p for p in (self.address.folder, rel) if p).replace("/", "\\")
        handle = Open(tree, smb_path)
        handle.create(
            ImpersonationLevel.Impersonation,
            DirectoryAccessMask.FILE_LIST_DIRECTORY | DirectoryAccessMask.FILE_READ_ATTRIBUTES,
            FileAttributes.FILE_ATTRIBUTE_DIRECTORY,
            ShareAccess.FILE_SHARE_READ
            | ShareAccess.FILE_SHARE_WRITE
            | ShareAccess.FILE_SHARE_DELETE,
            CreateDisposition.FILE_OPEN,
            CreateOptions.FILE_DIRECTORY_FILE,
        )
        entries: list[Entry] = []
        prefix = f"{rel}/" if rel else ""
        try:
            flags = QueryDirectoryFlags.SMB2_RESTART_SCANS
            while True:
                size, credits = _transfer_size(
                    connection, LIST_BUFFER, connection.max_transact_size
                )
                query, _ = handle.query_directory(
                    "*",
                    FileInformationClass.FILE_DIRECTORY_INFORMATION,
                    flags=flags,
                    max_output=size,
                    send=False,
                )
                request = connection.send(
                    query,
                    sid=tree.session.session_id,
                    tid=tree.tree_connect_id,
                    credit_request=credits,
                )
                try:
                    response = connection.receive(request)
                except (smbexc.NoMoreFiles, smbexc.NoSuchFile):
                    break
                _parse_directory_information(response["data"].get_value(), prefix, entries)
                flags = 0
        finally:
            with contextlib.suppress(Exception):
                handle.close()
        return entries

    def stat(self, path: str) -> Entry:
        rel = normalize_path(path)

        def run() -> Entry:
            result = smbclient.stat(self._unc(rel), **self._kwargs())
            is_dir = _is_dir(result)
            name = rel.rpartition("/")[2]
            return Entry(
                name=name,
                path=rel,
                is_dir=is_dir,
                size=0 if is_dir else int(result.st_size),
                modified=datetime.fromtimestamp(result.st_mtime, timezone.utc),
                created=datetime.fromtimestamp(result.st_ctime, timezone.utc),
            )

        return self._call(run, rel)

    def exists(self, path: str) -> bool:
        try:
            self.stat(path)
        except PathNotFound:
            return False
        return True

    # -- content ------------------------------------------------------------------------------

    def _open_raw(self, rel: str, mode: str, **options: Any) -> Any:
        if mode == "rb":
            options.setdefault("share_access", "r")
        return smbclient.open_file(
            self._unc(rel), mode=mode, buffering=0, **options, **self._kwargs()
        )

    def open_read(self, path: str) -> BinaryIO:
        """A buffered, seekable binary reader with read-ahead; close it when done."""
        rel = normalize_path(path)
        raw = self._call(lambda: _PipelinedReader(self._open_raw(rel, "rb")), rel)
        return _Stream(io.BufferedReader(raw, buffer_size=PIPE_CHUNK), self, rel)  # type: ignore[return-value]

    def read_bytes(self, path: str) -> bytes:
        rel = normalize_path(path)

        def run() -> bytes:
            with _PipelinedReader(self._open_raw(rel, "rb")) as reader:
                return reader.readall()

        return self._call(run, rel)

    def open_write(self, path: str, replace: bool = True, autocommit: bool = True) -> BinaryIO:
        """A buffered binary writer (pipelined writes) of a new content for ``path``.

        The bytes go to a temporary file (:mod:`.atomic`); ``close()`` waits for every write
        and renames it over ``path`` (over an existing file only if ``replace``). ``discard()``,
        a failed write or leaving a ``with`` block by an exception drops it: ``path`` stays as
        it was. With ``autocommit=False``, ``close()`` only finishes the writes and
        ``commit()`` / ``discard()`` decide (fsspec transactions).
        """
        rel = self._new_path(path)
        writer = self._call(
            lambda: _PipelinedWriter(
                self._create_temporary(rel, replace=replace), autocommit=autocommit
            ),
            rel,
        )
        return _WriteStream(writer, self, rel)  # type: ignore[return-value]

    def write_bytes(self, path: str, data: bytes, replace: bool = True) -> None:
        """Write ``path`` in one go, through a temporary file like ``open_write``."""
        rel = self._new_path(path)
        view = memoryview(data).cast("B")

        def run() -> None:
            writer = _PipelinedWriter(self._create_temporary(rel, replace=replace))
            try:
                offset = 0
                while offset < len(view):
                    offset += writer.write(view[offset:])
            except BaseException:
                writer.discard()
                raise
            writer.close()

        self._call(run, rel)

    def _create_temporary(self, rel: str, *, replace: bool) -> atomic.PendingFile:
        """A new temporary file in ``rel``'s folder, open for writing, that becomes ``rel``."""
        if atomic.remembered(self._share_key):
            self._sweep_orphans()
        parent = rel.rpartition("/")[0]
        name = atomic.new_name()
        temp_rel = f"{parent}/{name}" if parent else name
        temp_path = self._share_path(temp_rel)
        try:
            raw = self._open_raw(temp_rel, "xb", desired_access=atomic.WRITE_ACCESS)
        except BaseException as err:
            if _is_connection_error(err):  # it may have been created all the same
                atomic.remember(self._share_key, temp_path)
            if parent and _status_of(err) in _NOT_FOUND:  # a new name: its folder is missing
                raise folder_not_found(parent) from None
            raise
        return atomic.PendingFile(
            raw, self._share_key, temp_path, self._share_path(rel), replace=replace, name=rel
        )

    def _remove_temporary(self, temp_rel: str) -> None:
        try:
            smbclient.remove(self._unc(temp_rel), **self._kwargs())
        except Exception as err:
            if _status_of(err) not in _NOT_FOUND:
                atomic.remember(self._share_key, self._share_path(temp_rel))

    def _sweep_orphans(self, patience: float = 0.0) -> None:
        """Delete the temporary files this process could not delete when their write failed
        (see :mod:`.atomic`). A file the server still holds, for a connection that has just
        broken, is tried again for up to ``patience`` seconds. Never raises."""
        deadline = time.monotonic() + patience
        delay = 0.05
        while True:
            held = False
            for path in atomic.remembered(self._share_key):
                try:
                    smbclient.remove(f"{self._share_unc}\\{path}", **self._kwargs())
                except Exception as err:
                    status = _status_of(err)
                    if status not in _NOT_FOUND:
                        held = held or status == NtStatus.STATUS_SHARING_VIOLATION
                        continue
                atomic.forget(self._share_key, path)
            if not held or time.monotonic() + delay > deadline:
                return
            time.sleep(delay)
            delay = min(delay * 2, 0.5)

    def sweep_temporaries(self, folder: str, entries: list[Entry] | None = None) -> None:
        """Delete the temporary files that writers which died left in ``folder`` (or among
        its ``entries``, when the caller has listed it): ours by name, unchanged for
        ``atomic.STALE_AFTER``, and open nowhere (the server refuses to delete a file that a
        writer still holds). Best effort: never raises."""
        now = datetime.now(timezone.utc)
        try:
            for entry in self.list(folder) if entries is None else entries:
                if (
                    entry.is_dir
                    or not atomic.is_temporary(entry.name)
                    or now - entry.modified < atomic.STALE_AFTER
                ):
                    continue
                try:
                    smbclient.remove(self._unc(entry.path), **self._kwargs())
                except Exception as err:
                    log.debug("Left %s in place: %s", entry.path, type(err).__name__)
                else:
                    log.info("Removed the abandoned temporary file %s", entry.path)
        except Exception as err:
            log.debug("Sweeping temporary files in '%s' failed: %s", folder, type(err).__name__)

    # -- changes ------------------------------------------------------------------------------

    def mkdir(self, path: str) -> None:
        rel = self._new_path(path)
        parent = rel.rpartition("/")[0]
        try:
            self._call(lambda: smbclient.mkdir(self._unc(rel), **self._kwargs()), rel, retry=False)
        except PathNotFound:
            if parent:
                raise folder_not_found(parent) from None
            raise

    def remove(self, path: str) -> None:
        """Delete a file, or a folder with everything in it."""
        rel = self._file_path(path)

        def run() -> None:
            if self.stat(rel).is_dir:
                self._rmtree(rel)
            else:
                smbclient.remove(self._unc(rel), **self._kwargs())

        self._call(run, rel)

    def _rmtree(self, rel: str) -> None:
        for entry in self.list(rel):
            if entry.is_dir:
                self._rmtree(entry.path)
            else:
                smbclient.remove(self._unc(entry.path), **self._kwargs())
        smbclient.rmdir(self._unc(rel), **self._kwargs())

    def rename(self, src: str, dst: str) -> None:
        """Rename or move within the drive; refuses to overwrite an existing ``dst``.

        Not retried on a lost connection (it may have been carried out): the share is asked
        instead, and a rename it shows done (the source gone, the target the same file) is
        a success whose answer was lost.
        """
        src_rel, dst_rel = self._file_path(src), self._new_path(dst)
        source = self._identity(src_rel)
        try:
            self._call(
                lambda: smbclient.rename(self._unc(src_rel), self._unc(dst_rel), **self._kwargs()),
                src_rel,
                retry=False,
            )
        except Unreachable as err:
            # Not after a timeout: asking a server that stopped answering would wait as long
            # again.
            if isinstance(err, TimedOut) or not self._renamed(src_rel, dst_rel, source):
                raise
            log.info("The answer to renaming '%s' was lost; the share shows it done", src_rel)
        except AccessDenied:
            # Samba answers STATUS_ACCESS_DENIED (Windows: OBJECT_NAME_COLLISION) when the
            # target exists and replacing was not asked for.
            if self.exists(dst_rel):
                raise AlreadyExists(f"'{dst_rel}' already exists.") from None
            raise
        except PathNotFound:
            self._raise_if_target_folder_missing(src_rel, dst_rel)
            raise

    def copy(self, src: str, dst: str, replace: bool = False) -> None:
        """Copy a file (server-side when supported) or a folder tree. ``dst`` must not exist,
        unless ``replace`` and both are files. Each file is copied to a temporary name and
        renamed into place once complete."""
        src_rel, dst_rel = self._file_path(src), self._new_path(dst)
        try:
            existing: Entry | None = self.stat(dst_rel)
        except PathNotFound:
            existing = None
        if existing is not None and not replace:
            raise AlreadyExists(f"'{dst_rel}' already exists.")
        if existing is not None and existing.is_dir:
            raise IsADirectory(f"'{dst_rel}' is a folder.")

        def run() -> None:
            if self.stat(src_rel).is_dir:
                self._copytree(src_rel, dst_rel)
            else:
                self._copy_file(src_rel, dst_rel, replace=replace)

        try:
            self._call(run, src_rel, retry=False)
        except PathNotFound:
            self._raise_if_target_folder_missing(src_rel, dst_rel)
            raise

    def _identity(self, rel: str) -> tuple[int, int, bool]:
        """What tells a file apart: its file id (the server's index number), size and kind."""

        def run() -> tuple[int, int, bool]:
            result = smbclient.stat(self._unc(rel), **self._kwargs())
            is_dir = _is_dir(result)
            return int(result.st_ino), 0 if is_dir else int(result.st_size), is_dir

        return self._call(run, rel)

    def _renamed(self, src_rel: str, dst_rel: str, source: tuple[int, int, bool]) -> bool:
        """Whether the share shows ``src_rel`` renamed to ``dst_rel`` (which did not exist
        before). False when it cannot be asked."""
        try:
            return self._identity(dst_rel) == source and not self.exists(src_rel)
        except NetDriveError:
            return False

    def _raise_if_target_folder_missing(self, src_rel: str, dst_rel: str) -> None:
        """After a not-found from a call with a source and a target: the status does not say
        which side is missing; with the source there, it is the target's folder (a missing
        source keeps the message naming it)."""
        parent = dst_rel.rpartition("/")[0]
        if parent and self.exists(src_rel):
            raise folder_not_found(parent) from None

    def _copy_file(self, src: str, dst: str, *, replace: bool) -> None:
        parent = dst.rpartition("/")[0]
        name = atomic.new_name()
        temp_rel = f"{parent}/{name}" if parent else name
        try:
            smbshutil.copyfile(self._unc(src), self._unc(temp_rel), **self._kwargs())
            raw = self._open_raw(
                temp_rel, "rb", share_access=None, desired_access=atomic.RENAME_ACCESS
            )
        except BaseException:
            self._remove_temporary(temp_rel)
            raise
        pending = atomic.PendingFile(
            raw,
            self._share_key,
            self._share_path(temp_rel),
            self._share_path(dst),
            replace=replace,
            name=dst,
        )
        pending.commit()

    def _copytree(self, src: str, dst: str) -> None:
        smbclient.mkdir(self._unc(dst), **self._kwargs())
        for entry in self.list(src):
            target = f"{dst}/{entry.name}"
            if entry.is_dir:
                self._copytree(entry.path, target)
            elif not atomic.is_temporary(entry.name):
                self._copy_file(entry.path, target, replace=False)

    def _file_path(self, path: str) -> str:
        rel = normalize_path(path)
        if not rel:
            raise InvalidPath("This operation needs a path below the drive root.")
        return rel

    def _new_path(self, path: str) -> str:
        """``_file_path`` for a name to create: not one of the temporary files' names (they
        are hidden, and removed when left behind)."""
        rel = self._file_path(path)
        if atomic.is_temporary(rel.rpartition("/")[2]):
            raise InvalidPath(f"'{rel}': names like this are reserved for temporary files.")
        return rel


def _transfer_size(connection: Connection, wanted: int, maximum: int) -> tuple[int, int]:
    """Bytes to ask for in one multi-credit request, and the credits to request with it."""
    window = connection.sequence_window
    available = max(1, window["high"] - window["low"])
    size = max(1, min(wanted, maximum, available * _CREDIT_SIZE))
    charge = (size - 1) // _CREDIT_SIZE + 1
    full = (min(wanted, maximum) - 1) // _CREDIT_SIZE + 1
    return size, charge + max(0, full - available)


def _filetime(value: int) -> datetime:
    return datetime.fromtimestamp((value - _FILETIME_EPOCH) / 1e7, timezone.utc)


def _parse_directory_information(body: bytes, prefix: str, out: list[Entry]) -> None:
    """Parse an SMB2 QUERY_DIRECTORY response body of FILE_DIRECTORY_INFORMATION records."""
    # Response: StructureSize(2) OutputBufferOffset(2, from the SMB2 header) OutputBufferLength(4)
    offset, length = struct.unpack_from("<HI", body, 2)
    start = offset - 64
    buffer = memoryview(body)[start : start + length]
    unpack = _DIR_INFO.unpack_from
    pos = 0
    while True:
        (
            next_offset,
            _index,
            created,
            _accessed,
            written,
            _changed,
            size,
            _alloc,
            attrs,
            name_len,
        ) = unpack(buffer, pos)
        name_at = pos + _DIR_INFO.size
        name = bytes(buffer[name_at : name_at + name_len]).decode("utf-16-le")
        if name not in (".", ".."):
            is_dir = bool(attrs & _DIR_BIT)
            out.append(
                Entry(
                    name=name,
                    path=prefix + name,
                    is_dir=is_dir,
                    size=0 if is_dir else size,
                    modified=_filetime(written),
                    created=_filetime(created),
                )
            )
        if not next_offset:
            break
        pos += next_offset


class _PipelinedReader(io.RawIOBase):
    """Sequential reads with up to PIPE_DEPTH SMB2 READs in flight (read-ahead).

    One request at a time leaves the link idle while the client decrypts and the server reads;
    keeping a few in flight overlaps both. Seeking drains the read-ahead.
    """

    def __init__(self, raw: Any) -> None:
        super().__init__()
        self._raw = raw
        self._open = raw.fd
        self._connection = self._open.connection
        self._size = int(self._open.end_of_file)
        self._chunk = max(_CREDIT_SIZE, min(PIPE_CHUNK, self._connection.max_read_size))
        self._pos = 0  # next byte handed to the caller
        self._next = 0  # offset of the next READ to send
        self._inflight: collections.deque[tuple[int, int, Any, Any]] = collections.deque()
        self._pending = memoryview(b"")

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def _send_ahead(self) -> None:
        tree = self._open.tree_connect
        while len(self._inflight) < PIPE_DEPTH and self._next < self._size:
            window = self._connection.sequence_window
            available = window["high"] - window["low"]
            wanted = min(self._chunk, self._size - self._next)
            if available * _CREDIT_SIZE < wanted and self._inflight:
                break  # wait for responses to grant credits
            size, credits = _transfer_size(self._connection, wanted, self._chunk)
            message, receive = self._open.read(self._next, size, send=False)
            request = self._connection.send(
                message,
                sid=tree.session.session_id,
                tid=tree.tree_connect_id,
                credit_request=credits,
            )
            self._inflight.append((self._next, size, request, receive))
            self._next += size

    def _next_chunk(self) -> bytes:
        self._send_ahead()
        if not self._inflight:
            return b""
        offset, size, request, receive = self._inflight.popleft()
        try:
            data = receive(request)
        except smbexc.EndOfFile:
            data = b""
        if len(data) < size:
            # The file shrank under us: drop the read-ahead past what we got.
            self._drain()
            self._size = offset + len(data)
            self._next = self._size
        else:
            self._send_ahead()
        return data

    def _drain(self) -> None:
        while self._inflight:
            _, _, request, receive = self._inflight.popleft()
            with contextlib.suppress(Exception):
                receive(request)

    def readinto(self, buffer: Any) -> int:
        target = memoryview(buffer).cast("B")
        if not self._pending:
            self._pending = memoryview(self._next_chunk())
            if not self._pending:
                return 0
        count = min(len(target), len(self._pending))
        target[:count] = self._pending[:count]
        self._pending = self._pending[count:]
        self._pos += count
        return count

    def readall(self) -> bytes:
        chunks = [bytes(self._pending)] if self._pending else []
        self._pos += len(self._pending)
        self._pending = memoryview(b"")
        while chunk := self._next_chunk():
            chunks.append(chunk)
            self._pos += len(chunk)
        return b"".join(chunks)

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_CUR:
            offset += self._pos
        elif whence == io.SEEK_END:
            offset += self._size
        if offset < 0:
            raise ValueError("negative seek position")
        if offset != self._pos:
            self._drain()
            self._pending = memoryview(b"")
            self._pos = self._next = offset
        return self._pos

    def close(self) -> None:
        if not self.closed:
            try:
                self._drain()
                self._raw.close()
            finally:
                super().close()


class _PipelinedWriter(io.RawIOBase):
    """Sequential writes of a temporary file with up to PIPE_DEPTH SMB2 WRITEs in flight;
    ``flush`` waits for all, ``close`` also puts the file in place (``atomic.PendingFile``)."""

    def __init__(self, pending: atomic.PendingFile, *, autocommit: bool = True) -> None:
        super().__init__()
        self._pending = pending
        self.autocommit = autocommit
        self._raw = pending.raw
        self._open = self._raw.fd
        self._connection = self._open.connection
        self._chunk = max(_CREDIT_SIZE, min(PIPE_CHUNK, self._connection.max_write_size))
        self._offset = 0
        self._inflight: collections.deque[tuple[int, Any, Any]] = collections.deque()
        # A write that failed left a hole: this file must never be put in place.
        self._failure: BaseException | None = None
        # Encrypted SMB 3.1.1 writes skip smbprotocol's copies of the payload (smbwrite).
        self.lean = smbwrite.can_send_lean(self._open)

    def writable(self) -> bool:
        return True

    def _complete_one(self) -> None:
        size, request, receive = self._inflight.popleft()
        written = receive(request)
        if written != size:
            self._drain()
            raise SMBFailure("The file server accepted only part of the data.")

    def _drain(self) -> None:
        while self._inflight:
            _, request, receive = self._inflight.popleft()
            with contextlib.suppress(Exception):
                receive(request)

    def write(self, data: Any) -> int:
        if self.closed:
            raise ValueError("write to closed file")
        try:
            return self._send(data)
        except BaseException as err:
            self._failure = err
            raise

    def _send(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        if not len(view):
            return 0
        while len(self._inflight) >= PIPE_DEPTH:
            self._complete_one()
        window = self._connection.sequence_window
        while self._inflight and (window["high"] - window["low"]) * _CREDIT_SIZE < min(
            len(view), self._chunk
        ):
            self._complete_one()  # wait for credits
        size, credits = _transfer_size(self._connection, len(view), self._chunk)
        if self.lean:
            request = smbwrite.send_write(self._open, view[:size], self._offset, credits)
            receive = self._open._write_response
        else:
            tree = self._open.tree_connect
            message, receive = self._open.write(bytes(view[:size]), offset=self._offset, send=False)
            request = self._connection.send(
                message,
                sid=tree.session.session_id,
                tid=tree.tree_connect_id,
                credit_request=credits,
            )
        self._inflight.append((size, request, receive))
        self._offset += size
        return size

    def tell(self) -> int:
        return self._offset

    def flush(self) -> None:
        while self._inflight:
            self._complete_one()

    def close(self) -> None:
        """Wait for every write, then rename the file over its target (with ``autocommit``).
        If anything fails, the file is discarded and the target left as it was."""
        if self.closed:
            return
        try:
            self.flush()
            if self._failure is not None:
                # (io.BufferedWriter closes its raw file even when its last write failed.)
                raise self._failure
        except BaseException:
            self.discard()
            raise
        super().close()
        if self.autocommit:
            self._pending.commit()

    def commit(self) -> None:
        self.close()
        self._pending.commit()

    def discard(self) -> None:
        """Drop the file: writes under way are waited for and their errors ignored."""
        self._drain()
        self._pending.discard()
        super().close()


class _Stream(io.BufferedIOBase):
    """A buffered SMB file whose errors are mapped to :mod:`.errors` (and then through
    ``translate``, when set: the fsspec layer turns them into ``OSError``)."""

    def __init__(self, inner: io.BufferedIOBase, client: SMBClient, path: str) -> None:
        self._inner = inner
        self._client = client
        self._path = path
        self.name = path
        self.translate: Callable[[NetDriveError], Exception] | None = None

    @contextlib.contextmanager
    def _mapped(self) -> Iterator[None]:
        self._client._check()
        try:
            yield
        except (ValueError, io.UnsupportedOperation):
            raise
        except Exception as err:
            error = err if isinstance(err, NetDriveError) else self._client._map(err, self._path)
            if self.translate is not None:
                raise self.translate(error) from None
            if error is err:
                raise
            raise error from None

    def readable(self) -> bool:
        return self._inner.readable()

    def writable(self) -> bool:
        return self._inner.writable()

    def seekable(self) -> bool:
        return self._inner.seekable()

    def read(self, size: int | None = -1) -> bytes:
        with self._mapped():
            if size is None or size < 0:
                return self._inner.read()
            return self._inner.read(size)

    def read1(self, size: int = -1) -> bytes:
        with self._mapped():
            return self._inner.read1(size)

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        with self._mapped():
            return self._inner.readinto(buffer)

    def write(self, data) -> int:  # type: ignore[no-untyped-def]
        with self._mapped():
            return self._inner.write(data)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        with self._mapped():
            return self._inner.seek(offset, whence)

    def tell(self) -> int:
        return self._inner.tell()

    def flush(self) -> None:
        if not self._inner.closed:
            with self._mapped():
                self._inner.flush()

    def close(self) -> None:
        if self.closed:
            return
        try:
            with self._mapped():
                self._inner.close()
        finally:
            super().close()

    @property
    def closed(self) -> bool:  # type: ignore[override]
        return self._inner.closed


class _WriteStream(_Stream):
    """A buffered ``_PipelinedWriter``: ``close`` puts the file in place; ``discard``, or
    leaving a ``with`` block by an exception, drops it and leaves the target as it was."""

    def __init__(self, writer: _PipelinedWriter, client: SMBClient, path: str) -> None:
        super().__init__(io.BufferedWriter(writer, buffer_size=PIPE_CHUNK), client, path)
        self._writer = writer

    def __exit__(self, exc_type: Any, *rest: Any) -> None:
        if exc_type is None:
            self.close()
        else:
            self.discard()

    def commit(self) -> None:
        """Put the file in place (after ``close`` when opened with ``autocommit=False``)."""
        self.close()
        with self._mapped():
            self._writer.commit()

    def discard(self) -> None:
        """Drop the file, unless it was committed already; what is still buffered is dropped
        too (a closed writer makes the buffered layer's close a no-op)."""
        self._writer.discard()
