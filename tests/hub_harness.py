"""A real JupyterHub for tests: configurable-http-proxy from tests/hub/, a shared password.

``hub_config`` writes the part of jupyterhub_config.py every test hub shares (loopback
ports, the proxy, a private database and cookie secret, SharedPasswordAuthenticator with a
password from the environment, SimpleLocalProcessSpawner); callers append their own lines.
``launch_hub`` starts it with a marker in its environment that JupyterHub passes on to the
proxy, and that tests also give to spawned servers and managed services, so ``stop_hub``
finds and stops every process of that hub even when the hub itself died first.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from .conftest import free_port

REPO = Path(__file__).resolve().parents[1]
CHP = REPO / "tests" / "hub" / "node_modules" / ".bin" / "configurable-http-proxy"
MARKER_ENV = "ATRIUM_TEST_HUB_RUN"
PASSWORD_ENV = "ATRIUM_TEST_HUB_PASSWORD"

_BASE_CONFIG = """
import os

c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api_port}"
c.ConfigurableHTTPProxy.command = [{chp!r}]
c.JupyterHub.db_url = "sqlite:///{tmp}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = {cookie_secret!r}
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = os.environ[{password_env!r}]
c.Authenticator.allowed_users = {users!r}
c.JupyterHub.spawner_class = "simple"
c.JupyterHub.redirect_to_server = False
"""


@dataclass
class HubSetup:
    """Where a hub will live and listen, decided before its config is written."""

    dir: Path
    port: int = field(default_factory=free_port)
    marker: str = field(default_factory=lambda: secrets.token_hex(8))
    password: str = field(default_factory=lambda: secrets.token_urlsafe(18))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass
class Hub:
    url: str
    process: subprocess.Popen
    log: Path
    password: str
    marker: str = ""

    def log_tail(self, chars: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-chars:]


def require_chp() -> None:
    if not CHP.exists():
        pytest.fail(f"{CHP} is missing: run `cd tests/hub && jlpm install` (make test-py does)")


def hub_config(setup: HubSetup, *, users: Iterable[str]) -> str:
    """The shared part of jupyterhub_config.py; creates the hub's folder and cookie secret."""
    setup.dir.mkdir(parents=True, exist_ok=True)
    cookie_secret = setup.dir / "cookie_secret"
    cookie_secret.write_text(secrets.token_hex(32))
    cookie_secret.chmod(0o600)
    return _BASE_CONFIG.format(
        port=setup.port,
        hub_port=free_port(),
        proxy_api_port=free_port(),
        chp=str(CHP),
        tmp=setup.dir,
        cookie_secret=str(cookie_secret),
        password_env=PASSWORD_ENV,
        users=set(users),
    )


def launch_hub(setup: HubSetup, config: str, *, env: dict[str, str] | None = None) -> Hub:
    """Write the config and start JupyterHub (not waiting for it: see ``wait_ready``)."""
    require_chp()
    config_file = setup.dir / "jupyterhub_config.py"
    config_file.write_text(config)
    log = setup.dir / "jupyterhub.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(config_file)],
            cwd=setup.dir,  # where the hub writes its proxy's pid file
            stdout=out,
            stderr=subprocess.STDOUT,
            env={
                **os.environ,
                **(env or {}),
                PASSWORD_ENV: setup.password,
                MARKER_ENV: setup.marker,
            },
        )
    return Hub(
        url=setup.url, process=process, log=log, password=setup.password, marker=setup.marker
    )


def wait_ready(hub: Hub, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if hub.process.poll() is not None:
            pytest.fail(f"JupyterHub exited with {hub.process.returncode}:\n{hub.log_tail()}")
        try:
            if requests.get(f"{hub.url}/hub/login", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.25)
    pytest.fail(f"JupyterHub did not answer within {timeout}s:\n{hub.log_tail()}")


def marked_processes(marker: str) -> list[int]:
    """Pids of the processes whose environment carries this hub's marker (the hub included)."""
    needle = f"{MARKER_ENV}={marker}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:  # gone, or not ours to read
            continue
        if needle in environ.split(b"\0"):
            found.append(int(entry.name))
    return found


def _wait_gone(pids: Iterable[int], timeout: float) -> list[int]:
    deadline = time.monotonic() + timeout
    alive = list(pids)
    while alive and time.monotonic() < deadline:
        time.sleep(0.1)
        alive = [pid for pid in alive if _alive(pid)]
    return alive


def _alive(pid: int) -> bool:
    try:
        # A zombie has finished; only its parent's wait is missing.
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def stop_hub(hub: Hub) -> None:
    """Stop the hub (which stops its proxy, servers and services), then whatever is left."""
    if hub.process.poll() is None:
        hub.process.send_signal(signal.SIGTERM)
        try:
            hub.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            hub.process.kill()
            hub.process.wait(timeout=10)
    # On a clean exit the hub stops its proxy and removes this file; if not, stop it here.
    proxy_pid = hub.log.parent / "jupyterhub-proxy.pid"
    try:
        os.kill(int(proxy_pid.read_text()), signal.SIGTERM)
    except (FileNotFoundError, ValueError, ProcessLookupError):
        pass
    if hub.marker:
        leftovers = marked_processes(hub.marker)
        for pid in leftovers:
            _signal(pid, signal.SIGTERM)
        for pid in _wait_gone(leftovers, 10):
            _signal(pid, signal.SIGKILL)


def _signal(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass
