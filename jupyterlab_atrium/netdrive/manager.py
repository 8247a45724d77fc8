"""The drive manager: this server's network drives, their connections and their passwords.

- One ``SMBClient`` (its own connection pool) and one small ``ThreadPoolExecutor`` per drive:
  SMB never runs on the Tornado event loop, and a slow share cannot starve another.
- Passwords live only in this process's memory (``Drive.password``, ``repr=False``) and are
  dropped on disconnect. Drives are remembered across restarts in a 0600 JSON file under the
  Jupyter data dir, without password, so after a restart they are listed as disconnected.
- A jupyter_server serves one user (JupyterHub spawns one per user), so this registry is that
  user's; it never holds anybody else's drives or credentials.
- Every SMB request has a deadline (``request_timeout``, see :mod:`.deadline`): a server that
  stops answering fails the call with 504 naming the drive and shows the drive as
  ``unreachable`` until it answers again (a probe asks every ``probe_interval``).
- Disconnect answers at once: the connection is cut, calls in flight answer 503 without
  waiting for their threads, and kernels lose the drive through its lease (:mod:`.broker`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

from ..errors import AtriumError
from . import broker, contents
from .config import AtriumNetDrive
from .errors import (
    Abandoned,
    BadCredentials,
    Disconnected,
    NetDriveError,
    SMBFailure,
    Unreachable,
)
from .fields import (
    check_connect_fields,
    check_display_name,
    check_domain,
    check_password,
    check_username,
)
from .share import (
    FieldError,
    ShareLocation,
    check_allowed,
    check_slug,
    parse_share,
    slugify,
)

T = TypeVar("T")
STATE_VERSION = 1
UPLOAD_IDLE_SECONDS = 15 * 60
# Kernels use a FUSE mount without asking the server: disconnect waits this long for it to
# go (an unmount is quick unless rclone itself hangs; it goes on in the background then).
FUSE_UNMOUNT_WAIT = 5.0


def _retrieve(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()


def _failed(future: asyncio.Future[Any]) -> bool:
    return future.cancelled() or future.exception() is not None


def _close_quietly(uploads: list[Upload], client: Any) -> None:
    """Close what a torn-down drive held (blocking; its connection is already cut)."""
    for upload in uploads:
        with contextlib.suppress(Exception):
            upload.handle.discard()
    if client is not None:
        with contextlib.suppress(Exception):
            client.close()


def _unmount_quietly(fuse_mount: Any) -> None:
    with contextlib.suppress(Exception):
        fuse_mount.unmount()


class ReadOnly(AtriumError):
    status = 403
    reason = "read-only"


class UnknownDrive(AtriumError):
    status = 404
    reason = "no-such-drive"


def state_file_path() -> Path:
    from jupyter_core.paths import jupyter_data_dir

    return Path(jupyter_data_dir()) / "atrium" / "netdrives.json"


@dataclass
class Upload:
    """A chunked upload in progress: its temporary file (see atomic) stays open between
    chunks and becomes the target after the last one."""

    handle: BinaryIO
    next_chunk: int = 2
    touched: float = field(default_factory=time.monotonic)
    # The reply model of the first chunk: later chunks answer with it, updated, instead of
    # asking the share for the file's details once per MiB.
    model: dict[str, Any] | None = None
    # Bytes handed to the share so far, whether or not their write has completed.
    written: int = 0
    # The write still under way, if any: the next write, the last chunk and any abort wait
    # for it, so the bytes stay in order and its failure is not lost.
    pending: asyncio.Future[None] | None = field(default=None, repr=False)
    # Why a write failed (the upload is then over and its file discarded). It is reported
    # once: to the request that waits for that write, or else to the next chunk.
    failure: AtriumError | None = field(default=None, repr=False)
    reported: bool = False


@dataclass(eq=False)
class Drive:
    name: str
    display_name: str
    location: ShareLocation
    domain: str
    username: str
    read_only: bool
    password: str | None = field(default=None, repr=False)
    client: Any = field(default=None, repr=False)
    executor: ThreadPoolExecutor | None = field(default=None, repr=False)
    state: str = "disconnected"
    error: str | None = None
    fuse_mount: Any = field(default=None, repr=False)
    fuse_error: str | None = None
    uploads: dict[str, Upload] = field(default_factory=dict, repr=False)
    # Why an upload ended while no request of it was running (a write that failed after its
    # chunk had been answered): its next chunk reports this instead of a bare "interrupted".
    upload_failures: dict[str, Upload] = field(default_factory=dict, repr=False)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)
    # This connection's lease (what kernels were given with the credentials) and the future
    # that a disconnect resolves (every call waiting on the connection stops at once).
    lease: str | None = field(default=None, repr=False)
    gone: asyncio.Future[None] | None = field(default=None, repr=False)
    # Calls running or queued on the worker threads; the probe of an unreachable drive.
    busy: int = 0
    probe: asyncio.Future[None] | None = field(default=None, repr=False)

    @property
    def attached(self) -> bool:
        """Connected, whether or not its server answers right now (``unreachable``)."""
        return self.client is not None

    def info(self) -> dict[str, Any]:
        """IDriveInfo (never the password)."""
        info: dict[str, Any] = {
            "name": self.name,
            "displayName": self.display_name,
            "share": self.location.unc,
            "server": self.location.server,
            "port": self.location.port,
            "shareName": self.location.share,
            "folder": self.location.folder,
            "domain": self.domain,
            "username": self.username,
            "readOnly": self.read_only,
            "state": self.state,
            "fuseMountPath": getattr(self.fuse_mount, "path", None) and str(self.fuse_mount.path),
        }
        if self.error:
            info["error"] = self.error
        if self.fuse_error:
            info["fuseError"] = self.fuse_error
        if self.client is not None:
            info["encrypted"] = bool(getattr(self.client, "encrypted", False))
        return info

    def remembered(self) -> dict[str, Any]:
        """What the state file keeps: enough to reconnect, never a password."""
        return {
            "name": self.name,
            "displayName": self.display_name,
            "server": self.location.server,
            "port": self.location.port,
            "shareName": self.location.share,
            "folder": self.location.folder,
            "domain": self.domain,
            "username": self.username,
            "readOnly": self.read_only,
        }


class DriveManager:
    """This server's drives; every public coroutine is safe to call from handlers."""

    def __init__(
        self,
        config: AtriumNetDrive,
        *,
        state_file: Path | None = None,
        leases_file: Path | None = None,
        log: logging.Logger | None = None,
        on_names: Callable[[list[str]], None] | None = None,
    ) -> None:
        self.config = config
        # Told the remembered drives' names whenever they change (the page config, so a
        # page that restores drive documents needs no request while it starts).
        self._on_names = on_names
        self.state_file = state_file or state_file_path()
        # Where kernels read which drives they may use (see .broker); None: kernels are
        # not told (their credentials carry no lease).
        self.leases_file = leases_file
        self.log = log or logging.getLogger("jupyterlab_atrium.netdrive")
        self.drives: dict[str, Drive] = {}
        self._state_lock = threading.Lock()
        # Closing torn-down connections, off the loop and not awaited by disconnect.
        self._closing: set[asyncio.Future[None]] = set()
        self._load()
        self._announce_names()
        self._publish_leases()

    # -- remembered drives --------------------------------------------------------------------

    def _load(self) -> None:
        try:
            raw = json.loads(self.state_file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError) as err:
            self.log.warning("Atrium: ignoring unreadable %s (%s)", self.state_file, err)
            return
        items = raw.get("drives", []) if isinstance(raw, dict) else []
        for item in items:
            try:
                drive = self._drive_from_state(item)
            except (AtriumError, KeyError, TypeError, ValueError):
                self.log.warning(
                    "Atrium: skipping an invalid remembered drive in %s", self.state_file
                )
                continue
            if drive.name not in self.drives and len(self.drives) < self.config.max_drives:
                self.drives[drive.name] = drive

    def _drive_from_state(self, item: dict[str, Any]) -> Drive:
        # The file is re-validated like user input: it might have been edited by hand.
        port = int(item.get("port", 445))
        folder = str(item.get("folder", ""))
        host = str(item["server"])
        host = f"[{host}]" if ":" in host else host
        share = f"smb://{host}:{port}/{item['shareName']}" + (f"/{folder}" if folder else "")
        return Drive(
            name=check_slug(item["name"]),
            display_name=check_display_name(item.get("displayName", "")),
            location=parse_share(share),
            domain=check_domain(item.get("domain", "")),
            username=check_username(item["username"]),
            read_only=bool(item.get("readOnly", False)),
        )

    def _announce_names(self) -> None:
        if self._on_names is not None:
            self._on_names(list(self.drives))

    def _save(self) -> None:
        """Atomically write the remembered drives (no passwords) to a 0600 file."""
        self._announce_names()
        payload = {
            "version": STATE_VERSION,
            "drives": [drive.remembered() for drive in self.drives.values()],
        }
        data = json.dumps(payload, indent=1, sort_keys=True).encode("utf-8")
        directory = self.state_file.parent
        with self._state_lock:
            directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd, tmp = tempfile.mkstemp(prefix=".netdrives-", suffix=".tmp", dir=directory)
            try:
                os.fchmod(fd, 0o600)
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(tmp, self.state_file)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise

    # -- registry -----------------------------------------------------------------------------

    def list(self) -> list[dict[str, Any]]:
        return [drive.info() for drive in self.drives.values()]

    def get(self, name: str) -> Drive:
        drive = self.drives.get(name) if isinstance(name, str) else None
        if drive is None:
            raise UnknownDrive(f"There is no network drive named '{name}'.")
        return drive

    def _unique_name(self, base: str) -> str:
        if base not in self.drives:
            return base
        for i in range(2, 1000):
            suffix = f"-{i}"
            candidate = base[: 32 - len(suffix)] + suffix
            if candidate not in self.drives:
                return candidate
        raise AtriumError("No free drive name.", status=409, reason="name-taken")

    async def create(self, body: dict[str, Any]) -> Drive:
        """Validate, check policy, connect and remember a new drive (POST drives)."""
        if not isinstance(body, dict):
            raise AtriumError("A JSON object is required.", status=400, reason="bad-request")
        fields = check_connect_fields(body, self.config.default_domain)
        location, domain, username = fields.location, fields.domain, fields.username
        password, display_name = fields.password, fields.display_name
        read_only = body.get("readOnly", self.config.read_only_default)
        if not isinstance(read_only, bool):
            raise FieldError("readOnly", "must be true or false.")
        check_allowed(self.config, location)
        requested = body.get("name")
        if requested not in (None, ""):
            name = check_slug(requested)
            if name in self.drives:
                raise AtriumError(
                    f"You already have a drive named '{name}'.", status=409, reason="name-taken"
                )
        else:
            base = display_name or location.folder.rsplit("/", 1)[-1] or location.share
            name = self._unique_name(slugify(base))
        if len(self.drives) >= self.config.max_drives:
            raise AtriumError(
                f"You can have at most {self.config.max_drives} network drives; remove one first.",
                status=409,
                reason="too-many-drives",
            )
        drive = Drive(
            name=name,
            display_name=display_name or location.share,
            location=location,
            domain=domain,
            username=username,
            read_only=read_only,
        )
        self.drives[name] = drive  # reserve the name while connecting
        try:
            await self._connect(drive, password)
        except BaseException:
            self.drives.pop(name, None)
            raise
        self._save()
        self.log.info("Atrium: connected network drive %s (%s)", name, location.unc)
        return drive

    # -- connections --------------------------------------------------------------------------

    def _make_client(self, drive: Drive, password: str) -> Any:
        from .smb import Credentials, ShareAddress, SMBClient

        address = ShareAddress(
            server=drive.location.server,
            share=drive.location.share,
            folder=drive.location.folder,
            port=drive.location.port,
        )
        credentials = Credentials(username=drive.username, password=password, domain=drive.domain)
        return SMBClient(
            address,
            credentials,
            require_encryption=self.config.require_encryption,
            timeout=self.config.connect_timeout,
            request_timeout=self.config.request_timeout,
            read_only=drive.read_only,
        )

    async def _connect(self, drive: Drive, password: str) -> None:
        async with drive.lock:
            await self._teardown(drive)
            executor = ThreadPoolExecutor(
                max_workers=self.config.worker_threads,
                thread_name_prefix=f"atrium-netdrive-{drive.name}",
            )
            client = self._make_client(drive, password)
            loop = asyncio.get_running_loop()
            try:
                await asyncio.wait_for(
                    loop.run_in_executor(executor, client.connect),
                    self.config.connect_timeout + 5,
                )
            except asyncio.TimeoutError:
                executor.shutdown(wait=False, cancel_futures=True)
                drive.state, drive.error = "error", "The server did not answer in time."
                raise Unreachable(
                    f"The server {drive.location.server} did not answer within "
                    f"{self.config.connect_timeout:g} seconds."
                ) from None
            except AtriumError as err:
                executor.shutdown(wait=False, cancel_futures=True)
                drive.state, drive.error = "error", err.message
                raise
            except Exception as err:
                executor.shutdown(wait=False, cancel_futures=True)
                self.log.warning("Atrium: connecting %s failed: %s", drive.name, type(err).__name__)
                drive.state, drive.error = "error", "Connecting failed."
                raise SMBFailure(f"Connecting to {drive.location.unc} failed.") from None
            drive.client, drive.executor, drive.password = client, executor, password
            drive.state, drive.error = "connected", None
            drive.gone = loop.create_future()
            drive.lease = broker.new_lease()
            self._publish_leases()
            if self.config.fuse_enabled:
                await self._mount_fuse(drive)

    async def _mount_fuse(self, drive: Drive) -> None:
        """FUSE mode (admin opt-in): also mount under ~/netdrives/<name>; failure is not fatal."""
        from . import fuse

        try:
            drive.fuse_mount = await asyncio.get_running_loop().run_in_executor(
                drive.executor, fuse.mount_drive, drive, self
            )
        except AtriumError as err:
            drive.fuse_error = err.message
        except Exception as err:
            drive.fuse_error = f"The drive could not be mounted ({type(err).__name__})."
        if drive.fuse_error:
            self.log.warning("Atrium: FUSE mount of %s failed: %s", drive.name, drive.fuse_error)

    async def _teardown(self, drive: Drive) -> None:
        """End the drive's connection now; drop the password. Caller holds the lock.

        Nothing here waits for the server or for a call under way: kernels lose the drive
        (its lease) first, calls waiting on it answer ``Abandoned`` at once, the connection
        is cut so that their threads fail fast, and open files and the connection are
        closed off the loop afterwards. Only a FUSE mount is waited for (a little).
        """
        client, executor, fuse_mount, gone = (
            drive.client,
            drive.executor,
            drive.fuse_mount,
            drive.gone,
        )
        uploads = list(drive.uploads.values())
        drive.client = drive.executor = drive.fuse_mount = drive.gone = drive.lease = None
        drive.fuse_error = None
        drive.password = None
        drive.uploads.clear()
        drive.upload_failures.clear()
        drive.state = "disconnected"
        if gone is not None:
            self._publish_leases()
            gone.set_result(None)
        if client is not None:
            client.abort(self._abandoned(drive))
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)
        if uploads or client is not None:
            self._background(asyncio.to_thread(_close_quietly, uploads, client))
        if fuse_mount is not None:
            unmounting = self._background(asyncio.to_thread(_unmount_quietly, fuse_mount))
            await asyncio.wait((unmounting,), timeout=FUSE_UNMOUNT_WAIT)

    def _background(self, work: Any) -> asyncio.Future[Any]:
        """Run closing ``work`` without awaiting it here; ``close_all`` waits for it."""
        future = asyncio.ensure_future(work)
        self._closing.add(future)
        future.add_done_callback(self._closing.discard)
        return future

    async def connect(self, name: str, password: object) -> Drive:
        drive = self.get(name)
        await self._connect(drive, check_password(password))
        self.log.info("Atrium: reconnected network drive %s", name)
        return drive

    async def reconnect_server(
        self, server: object, password: object, port: object = None
    ) -> list[Drive]:
        """Reconnect every disconnected drive of ``server`` with one password."""
        if not isinstance(server, str) or not server:
            raise FieldError("server", "is required.")
        password = check_password(password)
        host = server.strip().lower().strip("[]")
        if port not in (None, ""):
            if not str(port).isdigit():
                raise FieldError("port", "must be a number.")
            port = int(str(port))
        drives = [
            d
            for d in self.drives.values()
            if d.location.server == host and (port in (None, "") or d.location.port == port)
        ]
        if not drives:
            raise UnknownDrive(f"You have no network drives on '{server}'.")
        failures: list[AtriumError] = []
        for drive in drives:
            if drive.attached:
                continue
            try:
                await self._connect(drive, password)
            except AtriumError as err:
                failures.append(err)
        if (
            failures
            and all(isinstance(f, BadCredentials) for f in failures)
            and not any(d.state == "connected" for d in drives)
        ):
            raise failures[0]
        return drives

    async def disconnect(self, name: str) -> Drive:
        drive = self.get(name)
        async with drive.lock:
            await self._teardown(drive)
            drive.error = None
        self.log.info("Atrium: disconnected network drive %s", name)
        return drive

    async def remove(self, name: str) -> None:
        drive = self.get(name)
        async with drive.lock:
            await self._teardown(drive)
        self.drives.pop(name, None)
        self._save()
        self.log.info("Atrium: removed network drive %s", name)

    async def close_all(self) -> None:
        for drive in list(self.drives.values()):
            try:
                async with drive.lock:
                    await self._teardown(drive)
            except Exception:  # shutting down: never let one drive stop the others
                self.log.warning("Atrium: closing drive %s failed", drive.name)
        if self._closing:
            # FUSE mounts above all: unmounted before the server goes (each is bounded).
            await asyncio.wait(set(self._closing), timeout=30)
        if self.leases_file is not None:
            broker.remove_leases(self.leases_file)

    def _publish_leases(self) -> None:
        """Tell kernels which drives they may use now (see .broker)."""
        if self.leases_file is None:
            return
        leases = {d.name: d.lease for d in self.drives.values() if d.lease}
        try:
            broker.write_leases(self.leases_file, leases)
        except OSError as err:
            self.log.warning("Atrium: cannot write %s: %s", self.leases_file, err.strerror)

    # -- running SMB calls --------------------------------------------------------------------

    def _connected(self, name: str, *, write: bool = False) -> Drive:
        drive = self.get(name)
        if not drive.attached or drive.executor is None:
            raise Disconnected(
                f"The drive '{drive.display_name}' is not connected: connect it with your "
                "password first."
            )
        if write and drive.read_only:
            raise ReadOnly(f"The drive '{drive.display_name}' is read-only.")
        return drive

    async def run(self, name: str, fn: Callable[..., T], *args: Any, write: bool = False) -> T:
        """Run ``fn(client, *args)`` on the drive's worker threads (see ``_submit``).

        A lost connection (server restart, network blip) is re-established by the SMBClient
        itself with the credentials it holds, once per call.
        """
        drive = self._connected(name, write=write)
        client = drive.client
        return await self._submit(drive, lambda: fn(client, *args))

    async def _submit(self, drive: Drive, fn: Callable[[], T]) -> T:
        """Run ``fn`` on the drive's worker threads: the one way SMB work is done here.

        A disconnect meanwhile answers ``Abandoned`` at once (the thread fails on the cut
        connection; its result is dropped). A server that did not answer in time marks the
        drive unreachable and the error names the drive; any answer marks it connected.
        """
        executor, gone = drive.executor, drive.gone
        if executor is None or gone is None:
            raise self._abandoned(drive)
        try:
            work = asyncio.wrap_future(executor.submit(fn))
        except RuntimeError:  # the executor was shut down by a disconnect
            raise self._abandoned(drive) from None
        drive.busy += 1
        try:
            await asyncio.wait((work, gone), return_when=asyncio.FIRST_COMPLETED)
        finally:
            drive.busy -= 1
        if gone.done():
            work.add_done_callback(_retrieve)
            if not work.done() or _failed(work):
                raise self._abandoned(drive)
        try:
            result = work.result()
        except Unreachable as err:
            raise self._unreachable(drive, gone, err) from None
        if drive.gone is gone and drive.state == "unreachable":
            drive.state, drive.error = "connected", None
            self.log.info("Atrium: network drive %s answers again", drive.name)
        return result

    @staticmethod
    def _abandoned(drive: Drive) -> Abandoned:
        return Abandoned(
            f"The drive '{drive.display_name}' was disconnected; what was under way on it "
            "was abandoned."
        )

    def _unreachable(
        self, drive: Drive, gone: asyncio.Future[None], err: Unreachable
    ) -> Unreachable:
        """Mark the drive unreachable (and probe it); ``err`` naming the drive."""
        named = type(err)(
            f"The drive '{drive.display_name}' is not answering. {err.message}",
            status=err.status,
            reason=err.reason,
        )
        if drive.gone is gone:
            if drive.state != "unreachable":
                self.log.warning("Atrium: network drive %s: %s", drive.name, err.message)
            drive.state, drive.error = "unreachable", named.message
            if drive.probe is None or drive.probe.done():
                drive.probe = asyncio.ensure_future(self._probe(drive, gone))
                drive.probe.add_done_callback(_retrieve)
        return named

    async def _probe(self, drive: Drive, gone: asyncio.Future[None]) -> None:
        """Ask an unreachable drive's server until it answers or the drive is disconnected."""
        client = drive.client
        while drive.gone is gone and drive.state == "unreachable" and client is not None:
            await asyncio.wait((gone,), timeout=self.config.probe_interval)
            if gone.done():
                return
            with contextlib.suppress(AtriumError):
                await self._submit(drive, lambda: client.stat(""))

    def writable(self, name: str) -> bool:
        return not self.get(name).read_only

    # -- chunked uploads ----------------------------------------------------------------------

    async def begin_chunk(self, name: str, path: str, chunk: int | None) -> Upload:
        """The open share file that chunk ``chunk`` of ``path`` goes into.

        Chunk 1 (or ``None``: the whole file in one request) opens the file afresh and
        drops any upload of the same path still open; later chunks continue the open file
        and must come in order (``-1``: the last one, whatever its number). A later chunk
        does not wait here for the previous chunk's write: its body is read meanwhile.
        """
        drive = self._connected(name, write=True)
        self._expire_uploads(drive)
        if chunk is None or chunk == 1:
            drive.upload_failures.pop(path, None)
            old = drive.uploads.pop(path, None)
            if old is not None:
                await self._close_upload(drive, old)
            handle = await self.run(name, lambda client: client.open_write(path), write=True)
            upload = Upload(handle=handle)
            if chunk == 1:
                drive.uploads[path] = upload
        else:
            upload = drive.uploads.get(path)
            if upload is None or (chunk != -1 and chunk != upload.next_chunk):
                if upload is not None:
                    drive.uploads.pop(path, None)
                    await self._close_upload(drive, upload)
                failed = drive.upload_failures.pop(path, None)
                if failed is not None and failed.failure is not None and not failed.reported:
                    failed.reported = True
                    raise failed.failure
                raise AtriumError(
                    f"The upload of {path} was interrupted; upload the file again.",
                    status=400,
                    reason="upload-interrupted",
                )
        upload.touched = time.monotonic()
        return upload

    async def write_chunk(
        self, name: str, path: str, upload: Upload, data: bytes | bytearray, *, wait: bool = True
    ) -> None:
        """Append ``data`` to an open upload; on failure the upload is dropped.

        With ``wait=False`` this returns as soon as the write is under way (after the
        previous one has completed): the caller reads more from its client meanwhile, and
        a failure comes out of the next ``write_chunk``, ``settle`` or ``end_chunk``.
        """
        await self.settle(upload)
        drive = self._connected(name, write=True)
        upload.touched = time.monotonic()
        upload.written += len(data)
        upload.pending = asyncio.ensure_future(self._write(drive, path, upload, data))
        # Its failure may never be awaited (no chunk follows): that is no "never retrieved".
        upload.pending.add_done_callback(_retrieve)
        if wait:
            await self.settle(upload)

    async def _write(
        self, drive: Drive, path: str, upload: Upload, data: bytes | bytearray
    ) -> None:
        try:
            await self._submit(drive, lambda: upload.handle.write(data))
        except Exception as err:
            failure = (
                err
                if isinstance(err, AtriumError)
                else SMBFailure(f"Writing {path} failed ({type(err).__name__}).")
            )
            upload.failure = failure
            # Not _close_upload: this task is the write it would wait for. The file is
            # discarded before anybody hears of the failure: by then the share is as it was.
            await self._close_handle(drive, upload)
            if drive.uploads.get(path) is upload:
                drive.uploads.pop(path, None)
                drive.upload_failures[path] = upload
            raise failure from None

    async def settle(self, upload: Upload) -> None:
        """Wait for the upload's write under way, if any; raise its failure."""
        pending, upload.pending = upload.pending, None
        if pending is not None:
            try:
                await pending
            except AtriumError:
                upload.reported = True
                raise

    async def end_chunk(self, name: str, path: str, chunk: int | None, upload: Upload) -> None:
        """After a chunk: close the file on the last one, else expect the next."""
        drive = self._connected(name, write=True)
        if chunk is not None and chunk != -1:
            upload.next_chunk = chunk + 1
            return
        await self.settle(upload)
        if drive.uploads.get(path) is upload:
            drive.uploads.pop(path, None)
        try:
            await self._submit(drive, upload.handle.close)
        except AtriumError:
            raise
        except Exception as err:
            raise SMBFailure(f"Writing {path} failed ({type(err).__name__}).") from None

    async def abort_upload(self, name: str, path: str, upload: Upload) -> None:
        """Drop an upload that failed or whose client went away: its file is discarded, the
        target stays as it was."""
        drive = self.drives.get(name)
        if drive is None:
            return
        if drive.uploads.get(path) is upload:
            drive.uploads.pop(path, None)
        await self._close_upload(drive, upload)

    async def _close_upload(self, drive: Drive, upload: Upload) -> None:
        """Discard an upload's file once its write under way is over (failed or not)."""
        with contextlib.suppress(Exception):
            await self.settle(upload)
        await self._close_handle(drive, upload)

    @staticmethod
    async def _close_handle(drive: Drive, upload: Upload) -> None:
        if drive.executor is not None:
            with contextlib.suppress(Exception):
                await asyncio.get_running_loop().run_in_executor(
                    drive.executor, upload.handle.discard
                )

    def _expire_uploads(self, drive: Drive) -> None:
        now = time.monotonic()
        for path, upload in list(drive.uploads.items()):
            if now - upload.touched > UPLOAD_IDLE_SECONDS:
                drive.uploads.pop(path, None)
                if drive.executor is not None:
                    drive.executor.submit(upload.handle.discard)

    # -- kernel access ------------------------------------------------------------------------

    def kernel_credentials(self, name: object) -> dict[str, Any]:
        """What the kernel-side fsspec protocol needs to talk SMB itself (broker only)."""
        drive = self._connected(check_slug(name))
        lease = {"lease": drive.lease} if self.leases_file is not None else {}
        return {
            **lease,
            "connectTimeout": self.config.connect_timeout,
            "requestTimeout": self.config.request_timeout,
            "server": drive.location.server,
            "port": drive.location.port,
            "share": drive.location.share,
            "folder": drive.location.folder,
            "username": drive.username,
            "domain": drive.domain,
            "password": drive.password,
            "encrypt": bool(
                self.config.require_encryption or getattr(drive.client, "encrypted", False)
            ),
            "readOnly": drive.read_only,
        }


__all__ = ["Drive", "DriveManager", "NetDriveError", "ReadOnly", "contents"]
