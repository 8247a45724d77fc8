"""Optional FUSE mode: a connected drive as a plain directory, ``~/netdrives/<name>``.

Admin opt-in (``fuse_enabled``) and only where ``/dev/fuse`` is usable. Debian's ``rclone
mount`` with its smb backend runs as a child process of the Jupyter server (no ``--daemon``, no
root, no ``mount.cifs``). Its whole configuration goes through the environment of that process
(``RCLONE_CONFIG_ATRIUM_*``): the password is obscured with ``rclone obscure -`` reading it on
stdin and handed over as ``RCLONE_CONFIG_ATRIUM_PASS``, so it never appears in any command line
(``/proc/<pid>/cmdline`` is world-readable; ``/proc/<pid>/environ`` is not). rclone reads no
config file (``--config ""``) and inherits no ``RCLONE_*`` variables from the server.
Unmounted with ``fusermount3 -u`` on disconnect and on server shutdown.
"""

# Every subprocess here runs a fixed tool (rclone, fusermount3, found on PATH) with an argument
# list and no shell; user input reaches argv only as validated share/folder names and paths.
# ruff: noqa: S603

from __future__ import annotations

import contextlib
import errno
import logging
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from .errors import SMBFailure
from .paths import normalize_path
from .smb import Credentials, ShareAddress

log = logging.getLogger(__name__)

REMOTE = "atrium"
_ENV_PREFIX = f"RCLONE_CONFIG_{REMOTE.upper()}_"
_usable: tuple[bool, str] | None = None
_usable_lock = threading.Lock()


def _tools() -> tuple[str | None, str | None]:
    return shutil.which("rclone"), shutil.which("fusermount3") or shutil.which("fusermount")


def fuse_status(*, probe: bool = True) -> tuple[bool, str]:
    """(usable, reason). With ``probe``, really mounts an in-memory rclone remote once (cached)."""
    global _usable
    rclone, fusermount = _tools()
    if not os.path.exists("/dev/fuse"):
        return False, "/dev/fuse does not exist in this container"
    if not os.access("/dev/fuse", os.R_OK | os.W_OK):
        return False, "/dev/fuse is not readable and writable"
    if rclone is None:
        return False, "rclone is not installed (apt-get install rclone)"
    if fusermount is None:
        return False, "fusermount3 is not installed (apt-get install fuse3)"
    if not probe:
        return True, "ok"
    with _usable_lock:
        if _usable is None:
            _usable = _probe(rclone, fusermount)
        return _usable


def is_fuse_usable(*, probe: bool = True) -> bool:
    return fuse_status(probe=probe)[0]


def _probe(rclone: str, fusermount: str) -> tuple[bool, str]:
    with tempfile.TemporaryDirectory(prefix="atrium-fuse-probe-") as tmp:
        point = Path(tmp) / "mnt"
        point.mkdir()
        proc = subprocess.Popen(
            [rclone, "mount", ":memory:", str(point), "--config", ""],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=_clean_env(),
        )
        try:
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                if os.path.ismount(point):
                    return True, "ok"
                if proc.poll() is not None:
                    detail = (proc.stderr.read() if proc.stderr else b"").decode(errors="replace")
                    last = detail.strip().splitlines()[-1:] or ["rclone exited"]
                    return False, f"FUSE mounts are not permitted here: {last[0][:200]}"
                time.sleep(0.05)
            return False, "FUSE mount probe timed out"
        finally:
            subprocess.run([fusermount, "-u", str(point)], capture_output=True, timeout=10)
            _stop(proc)


def _clean_env() -> dict[str, str]:
    """The server's environment without any rclone configuration it might carry."""
    return {k: v for k, v in os.environ.items() if not k.startswith("RCLONE_")}


def _stop(proc: subprocess.Popen[Any], timeout: float = 5.0) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=timeout)
    for stream in (proc.stdin, proc.stdout, proc.stderr):
        if stream is not None:
            with contextlib.suppress(Exception):
                stream.close()


def _obscure(rclone: str, password: str) -> str:
    """rclone's reversible obfuscation of the password, computed with the password on stdin."""
    result = subprocess.run(
        [rclone, "obscure", "-"],
        input=password.encode(),
        capture_output=True,
        timeout=30,
        env=_clean_env(),
        check=False,
    )
    if result.returncode != 0:
        raise SMBFailure("rclone could not prepare the drive's credentials.")
    return result.stdout.decode().strip()


def default_base_dir() -> Path:
    return Path.home() / "netdrives"


class FuseMount:
    """One running ``rclone mount``; ``unmount()`` undoes it, its state folder included."""

    def __init__(self, name: str, path: Path, process: subprocess.Popen[Any], state_dir: Path):
        self.name = name
        self.path = path
        self.process = process
        self.state_dir = state_dir  # rclone's log and cache: atrium-rclone-<name>-* in TMPDIR
        self.log_file = state_dir / "rclone.log"

    def __repr__(self) -> str:
        return f"<FuseMount {self.name} at {self.path} pid={self.process.pid}>"

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def mounted(self) -> bool:
        return self.process.poll() is None and os.path.ismount(self.path)

    def unmount(self, timeout: float = 10.0) -> None:
        _, fusermount = _tools()
        if fusermount and _mounted(self.path):
            result = subprocess.run(
                [fusermount, "-u", str(self.path)], capture_output=True, timeout=timeout
            )
            if result.returncode != 0:
                # Busy (a shell sits in it): detach now, the kernel finishes when it is free.
                subprocess.run(
                    [fusermount, "-u", "-z", str(self.path)], capture_output=True, timeout=timeout
                )
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pass
        _stop(self.process)
        # Only now: rclone writes its log and cache there until it has exited.
        shutil.rmtree(self.state_dir, ignore_errors=True)
        with contextlib.suppress(OSError):
            self.path.rmdir()  # only if empty (i.e. really unmounted)
        log.info("Atrium: unmounted network drive %s from %s", self.name, self.path)


def _mounted(path: Path) -> bool:
    """Mounted, or left mounted by an rclone that died (stat fails with ENOTCONN, which
    ``os.path.ismount`` reads as not mounted)."""
    try:
        os.stat(path)
    except OSError as err:
        return err.errno == errno.ENOTCONN
    return os.path.ismount(path)


def _prepare_mountpoint(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        path.mkdir(mode=0o700)
    except FileExistsError:
        pass
    except OSError as err:
        if err.errno != errno.ENOTCONN:
            raise
    try:
        busy = os.path.ismount(path) or any(path.iterdir())
    except OSError as err:  # ENOTCONN: a stale mount left by a crashed rclone
        if err.errno != errno.ENOTCONN:
            raise
        busy = True
    if busy:
        _, fusermount = _tools()
        if fusermount:
            subprocess.run([fusermount, "-u", "-z", str(path)], capture_output=True, timeout=10)
        if os.path.ismount(path) or any(path.iterdir()):
            raise SMBFailure(
                f"{path} is already in use; cannot mount the drive there.",
                status=409,
                reason="mount-busy",
            )


def mount(
    name: str,
    address: ShareAddress,
    credentials: Credentials,
    *,
    read_only: bool = False,
    base_dir: str | os.PathLike[str] | None = None,
    timeout: float = 20.0,
) -> FuseMount:
    """Mount ``address`` at ``<base_dir>/<name>`` (default ``~/netdrives/<name>``)."""
    ok, reason = fuse_status()
    if not ok:
        raise SMBFailure(f"The FUSE mode is not available: {reason}", status=501, reason="no-fuse")
    rclone, _ = _tools()
    assert rclone is not None
    if not name or normalize_path(name) != name or "/" in name:
        raise SMBFailure(
            "Invalid drive name for a mount point.", status=400, reason="invalid-field"
        )
    folder = normalize_path(address.folder)
    base = Path(base_dir) if base_dir is not None else default_base_dir()
    point = base / name
    _prepare_mountpoint(point)

    state = Path(tempfile.mkdtemp(prefix=f"atrium-rclone-{name}-"))
    log_file = state / "rclone.log"
    env = _clean_env()
    env.update(
        {
            f"{_ENV_PREFIX}TYPE": "smb",
            f"{_ENV_PREFIX}HOST": address.server,
            f"{_ENV_PREFIX}PORT": str(address.port),
            f"{_ENV_PREFIX}USER": credentials.username,
            f"{_ENV_PREFIX}DOMAIN": credentials.domain or "WORKGROUP",
            f"{_ENV_PREFIX}PASS": _obscure(rclone, credentials.password),
        }
    )
    remote = f"{REMOTE}:{address.share}" + (f"/{folder}" if folder else "")
    argv = [
        rclone,
        "mount",
        remote,
        str(point),
        "--config",
        "",
        "--cache-dir",
        str(state / "cache"),
        # Files opened write-only (the usual save) go straight to the server and are there
        # when close() returns; only read-write opens use the local cache, written back after
        # 1 s. ("writes" would delay every save by the write-back and lose it on unmount.)
        "--vfs-cache-mode",
        "minimal",
        "--vfs-write-back",
        "1s",
        "--dir-cache-time",
        "5s",
        "--attr-timeout",
        "1s",
        "--umask",
        "077",
        "--log-file",
        str(log_file),
        "--log-level",
        "NOTICE",
    ]
    if read_only:
        argv.append("--read-only")
    process = subprocess.Popen(
        argv,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=state,
    )
    del env
    deadline = time.monotonic() + timeout
    while not os.path.ismount(point):
        if process.poll() is not None or time.monotonic() > deadline:
            _stop(process)
            detail = _log_tail(log_file, credentials.password)
            with contextlib.suppress(OSError):
                point.rmdir()
            shutil.rmtree(state, ignore_errors=True)
            raise SMBFailure(f"rclone could not mount {address.unc}: {detail}")
        time.sleep(0.05)
    mounted = FuseMount(name, point, process, state)
    try:
        # rclone connects lazily: list the root once so bad credentials fail here, not later.
        os.listdir(point)
    except OSError:
        detail = _log_tail(log_file, credentials.password)
        mounted.unmount()
        raise SMBFailure(f"rclone could not open {address.unc}: {detail}") from None
    log.info("Atrium: mounted network drive %s at %s (rclone pid %s)", name, point, process.pid)
    return mounted


def _log_tail(log_file: Path, password: str) -> str:
    try:
        lines = log_file.read_text(errors="replace").strip().splitlines()
    except OSError:
        return "no details"
    text = (lines[-1] if lines else "no details")[-300:]
    return text.replace(password, "***") if password else text


def mount_drive(drive: Any, manager: Any = None) -> FuseMount:
    """Adapter for the drive manager: mount a connected ``Drive`` (location, user, password)."""
    location = drive.location
    base_dir = None
    config = getattr(manager, "config", None)
    if config is not None:
        base_dir = getattr(config, "fuse_base_dir", None) or None
    return mount(
        drive.name,
        ShareAddress(location.server, location.share, location.folder, location.port),
        Credentials(drive.username, drive.password or "", drive.domain or ""),
        read_only=bool(drive.read_only),
        base_dir=base_dir,
    )
