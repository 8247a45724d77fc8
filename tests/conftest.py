"""Shared fixtures: a Jupyter server with Atrium, and a throwaway PostgreSQL cluster."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest_plugins = [
    "pytest_jupyter.jupyter_server",
    "tests.samba_fixtures",
    "tests.netdrive_fixtures",
]


@pytest.fixture
def jp_server_config(tmp_path):
    return {
        "ServerApp": {
            "jpserver_extensions": {"jupyterlab_atrium": True, "jupyterlab": True},
            "allow_unauthenticated_access": False,
        },
        "AtriumService": {"database_url": f"sqlite:///{tmp_path / 'db' / 'atrium.sqlite'}"},
        # Over TCP, jupyter_client picks five free ports and the kernel binds them later;
        # on a busy machine another process can take one in between ("Address already in
        # use": the kernel dies and the test waits for nothing). Unix sockets cannot clash.
        "KernelManager": {"transport": "ipc"},
    }


@pytest.fixture
def jp_runtime_dir() -> Iterator[Path]:
    """The servers' runtime dir, short enough for the kernels' Unix socket paths.

    A socket path must fit in 107 bytes; a kernel's is `<runtime dir>/kernel-<uuid>-ipc-N`,
    which under pytest's own tmp_path would not.
    """
    with tempfile.TemporaryDirectory(prefix="jr-", dir="/tmp") as path:
        yield Path(path)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pg_bin() -> Path:
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").exists():
            return candidate
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    pytest.fail("PostgreSQL server binaries are missing: apt-get install postgresql (see .ci/run)")


class PostgresCluster:
    """A private PostgreSQL cluster on loopback, run as an unprivileged user."""

    def __init__(self) -> None:
        self.bin = _pg_bin()
        self.dir = Path(tempfile.mkdtemp(prefix="atrium-pg-"))
        self.port = free_port()
        self.user = "atrium"
        # PostgreSQL refuses to run as root; the Debian package provides the postgres user.
        self.as_user: list[str] = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(self.dir, "postgres")

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_user, *args], check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        data = self.dir / "data"
        self._run(
            str(self.bin / "initdb"),
            "-D",
            str(data),
            "-U",
            self.user,
            "-A",
            "trust",
            "--no-sync",
            "-E",
            "UTF8",
        )
        opts = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            opts,
            "-w",
            "-t",
            "60",
            "-l",
            str(self.dir / "log"),
            "start",
        )

    def stop(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "immediate", "stop")
        # The suite leaves hundreds of databases (some 300 files each): removing them took
        # past pytest-timeout's 300 s in the last test's teardown on a busy 2-core machine.
        # Nothing waits for the files, so they go in the background, outliving pytest.
        subprocess.run(
            ["/bin/sh", "-c", 'rm -rf -- "$1" >/dev/null 2>&1 &', "sh", str(self.dir)],
            check=True,
            timeout=30,
        )

    def create_database(self) -> str:
        import psycopg

        name = f"atrium_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user={self.user} dbname=postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{name}"


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster]:
    cluster = PostgresCluster()
    cluster.start()
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", cluster.port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'atrium.sqlite'}"
    return request.getfixturevalue("postgres").create_database()


# --- gallery: several users on one embedded server ----------------------------------------

#: Header naming the user of a request in the gallery tests (see ``gallery_users``).
GALLERY_USER_HEADER = "X-Atrium-Test-User"


@pytest.fixture
def gallery_users(jp_server_config):
    """Let one embedded server tell several users apart, for the gallery's authorization tests.

    The server keeps its real token authentication: a request without the token is still
    anonymous and refused. Only once the token is accepted does the ``X-Atrium-Test-User``
    header name the user (a stand-in for a multi-user deployment's authenticator, which is
    the one edge a single-user server cannot provide). ``alice`` is the default user;
    ``admin`` is a gallery admin through ``AtriumGallery.admin_users``.
    """
    from jupyter_server.auth.identity import IdentityProvider, User

    class HeaderIdentityProvider(IdentityProvider):
        async def get_user(self, handler):  # type: ignore[override]
            user = super().get_user(handler)
            if hasattr(user, "__await__"):
                user = await user
            if user is None:
                return None
            return User(username=handler.request.headers.get(GALLERY_USER_HEADER, "alice"))

    jp_server_config["ServerApp"]["identity_provider_class"] = HeaderIdentityProvider
    jp_server_config["AtriumGallery"] = {"admin_users": ["admin"]}
    return jp_server_config
