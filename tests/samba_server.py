"""A throwaway Samba server on a loopback high port, for tests, benchmarks and the demo.

Debian's ``smbd`` runs in the foreground with a private ``smb.conf`` whose state (passdb, locks,
caches, pid and log files) all lives under one temporary directory, so it never touches the
machine's own Samba. ``smbd`` has to start as root (it switches to the connecting user for file
access); the test users are unprivileged system accounts without a shell or home directory.

Shares:

- ``data``: read/write;
- ``readonly``: read only;
- ``secret``: read/write, SMB3 encryption required.

Files put directly into ``share_path(name)`` by the (root) test process belong to root; call
``own(path)`` to hand them to the share user when the SMB side has to modify them.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

DEFAULT_USER = "atriumtest"
DEFAULT_PASSWORD = "Corr3ct-H0rse!battery"  # test-only account
SHARES = ("data", "readonly", "secret")


class SambaUnavailable(RuntimeError):
    """smbd cannot be started here (not installed, or not running as root)."""


def smbd_path() -> str | None:
    for candidate in (shutil.which("smbd"), "/usr/sbin/smbd"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def unavailable_reason() -> str | None:
    """Why a SambaServer cannot run on this machine, or None if it can."""
    if smbd_path() is None:
        return "Samba is not installed (apt-get install samba smbclient); CI installs it"
    if shutil.which("pdbedit") is None:
        return "pdbedit is missing (apt-get install samba-common-bin)"
    if os.geteuid() != 0:
        return "smbd must start as root to switch to the share user (CI runs as root)"
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_unix_user(name: str) -> None:
    """Create an unprivileged system account (no home, no shell) once, if missing."""
    try:
        pwd.getpwnam(name)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "-M", "-s", "/usr/sbin/nologin", name],
            check=True,
            capture_output=True,
            timeout=30,
        )


class SambaServer:
    """A private ``smbd`` on 127.0.0.1:<port>; see the module docstring."""

    def __init__(self, tmpdir: str | os.PathLike[str], port: int | None = None) -> None:
        self.root = Path(tmpdir)
        self.port = port or free_port()
        self.host = "127.0.0.1"
        self.user = DEFAULT_USER
        self.password = DEFAULT_PASSWORD
        self.state = self.root / "state"
        self.conf = self.root / "smb.conf"
        self.log_file = self.state / "log.smbd"
        self._proc: subprocess.Popen[bytes] | None = None
        self._users: dict[str, str] = {}

    # -- layout -------------------------------------------------------------------------------

    def share_path(self, name: str) -> Path:
        if name not in SHARES:
            raise KeyError(name)
        return self.root / "shares" / name

    def own(self, path: str | os.PathLike[str], user: str | None = None) -> None:
        """chown a file or tree (inside a share) to the share user."""
        entry = pwd.getpwnam(user or self.user)
        path = Path(path)
        targets = [path, *path.rglob("*")] if path.is_dir() else [path]
        for target in targets:
            os.chown(target, entry.pw_uid, entry.pw_gid, follow_symlinks=False)

    def _make_traversable(self) -> None:
        """The share user must be able to reach the share directories (search bit only)."""
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.gettempdir()).resolve()
        root = self.root.resolve()
        for directory in [root, *root.parents]:
            if directory == tmp or directory == directory.parent:
                break
            mode = directory.stat().st_mode
            if not mode & 0o001:
                if tmp not in directory.parents:
                    raise SambaUnavailable(
                        f"{directory} is not searchable by the share user; use a directory in {tmp}"
                    )
                directory.chmod((mode & 0o7777) | 0o001)

    def _write_conf(self) -> None:
        self._make_traversable()
        (self.root / "shares").mkdir(exist_ok=True)
        dirs = {
            "private dir": self.state / "private",
            "lock directory": self.state / "lock",
            "state directory": self.state / "statedir",
            "cache directory": self.state / "cache",
            "pid directory": self.state / "pid",
            "ncalrpc dir": self.state / "ncalrpc",
            "binddns dir": self.state / "bind-dns",
        }
        for directory in dirs.values():
            directory.mkdir(parents=True, exist_ok=True)
        lines = [
            "[global]",
            "  server role = standalone server",
            "  workgroup = ATRIUMTEST",
            "  netbios name = ATRIUMTEST",
            f"  smb ports = {self.port}",
            "  interfaces = lo",
            "  bind interfaces only = yes",
            f"  passdb backend = tdbsam:{self.state / 'passdb.tdb'}",
            *(f"  {key} = {value}" for key, value in dirs.items()),
            f"  log file = {self.log_file}",
            "  log level = 1",
            "  max log size = 0",
            "  server min protocol = SMB2",
            "  server smb encrypt = if_required",
            "  disable netbios = yes",
            "  load printers = no",
            "  printing = bsd",
            "  printcap name = /dev/null",
            "  disable spoolss = yes",
            "  map to guest = never",
            "  restrict anonymous = 2",
            "  host msdfs = no",
            "  usershare max shares = 0",
            "  include system krb5 conf = no",
            "  kernel oplocks = no",
            "  kernel change notify = no",
            "  smbd:backgroundqueue = no",
            "  create mask = 0664",
            "  directory mask = 0775",
            "",
        ]
        options = {
            "data": ["read only = no"],
            "readonly": ["read only = yes"],
            "secret": ["read only = no", "smb encrypt = required"],
        }
        for name in SHARES:
            path = self.share_path(name)
            path.mkdir(parents=True, exist_ok=True)
            lines += [f"[{name}]", f"  path = {path}", *(f"  {o}" for o in options[name]), ""]
        self.conf.write_text("\n".join(lines))

    # -- users --------------------------------------------------------------------------------

    def add_user(self, name: str, password: str) -> None:
        """Add (or reset) a Samba user; the password goes through stdin, never argv."""
        ensure_unix_user(name)
        self._users[name] = password
        subprocess.run(
            ["pdbedit", "-s", str(self.conf), "-t", "-a", "-u", name],
            input=f"{password}\n{password}\n".encode(),
            check=True,
            capture_output=True,
            timeout=30,
        )

    # -- process ------------------------------------------------------------------------------

    def start(self) -> None:
        reason = unavailable_reason()
        if reason:
            raise SambaUnavailable(reason)
        self.root.mkdir(parents=True, exist_ok=True)
        fresh = not self.conf.exists()
        self._write_conf()
        if fresh:
            self.add_user(self.user, self.password)
            for name in ("data", "secret"):
                self.own(self.share_path(name))
        self._spawn()

    def _spawn(self) -> None:
        # Never leave an orphaned smbd behind, even if the caller forgets stop().
        atexit.register(self.stop)
        self._proc = subprocess.Popen(
            [
                str(smbd_path()),
                "--foreground",
                "--no-process-group",
                "-s",
                str(self.conf),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self._wait_listening()

    def _wait_listening(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if self._proc is not None and self._proc.poll() is not None:
                raise SambaUnavailable(
                    f"smbd exited with {self._proc.returncode}; log:\n{self.read_log()[-2000:]}"
                )
            try:
                socket.create_connection((self.host, self.port), timeout=0.5).close()
                return
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise SambaUnavailable(f"smbd did not listen on port {self.port}") from None
                time.sleep(0.1)

    def read_log(self) -> str:
        try:
            return self.log_file.read_text(errors="replace")
        except OSError:
            return ""

    def pause(self) -> None:
        """Freeze smbd and every per-client child (SIGSTOP): connections stay open, nothing
        answers. Always ``resume()`` afterwards (``stop()`` does too)."""
        if self._proc is not None and self._proc.poll() is None:
            os.killpg(self._proc.pid, signal.SIGSTOP)

    def resume(self) -> None:
        """Let a paused smbd go on (SIGCONT); harmless when it is not paused."""
        if self._proc is not None and self._proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self._proc.pid, signal.SIGCONT)

    def stop(self) -> None:
        atexit.unregister(self.stop)
        self.resume()  # a stopped process would not act on SIGTERM
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        # smbd forks one child per client: end the whole session group we created.
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        # Children (per-connection smbd) may outlive the parent briefly.
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                os.killpg(proc.pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        else:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def restart(self) -> None:
        """Stop smbd (dropping every client connection) and start it again on the same port."""
        self.stop()
        self._spawn()

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def __enter__(self) -> SambaServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main() -> None:  # pragma: no cover - manual use: python tests/samba_server.py
    with tempfile.TemporaryDirectory(prefix="atrium-samba-") as tmp, SambaServer(tmp) as samba:
        print(f"smbd on 127.0.0.1:{samba.port}, user {samba.user}; shares {', '.join(SHARES)}")
        print(f"  smbclient -p {samba.port} -U {samba.user} //127.0.0.1/data")
        print("Ctrl-C to stop")
        try:
            while samba.running:
                time.sleep(1)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":  # pragma: no cover
    main()
