"""A real ``jupyter server`` with Atrium from this source tree, as a subprocess.

For tests that need what the in-process test server cannot give: a process of its own (its
memory measured, its HTTP server as configured by the extension) or a server under load from
another client (schemathesis). It listens on loopback on a port the system picks (read from
its runtime file, so no other process can take it between choosing and binding), with a
token, auth and XSRF on, and an Atrium service on the database the test names.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests

ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT = 120


class AtriumServer:
    """``config``: traitlets on top of the defaults, by class (``{"AtriumGallery": {...}}``)."""

    def __init__(self, root: Path, config: dict[str, dict[str, Any]]) -> None:
        self.root = root
        self.token = uuid.uuid4().hex
        self.url = ""  # known once the server has bound its port
        self.log_path = root / "server.log"
        base: dict[str, dict[str, Any]] = {
            "ServerApp": {
                "jpserver_extensions": {"jupyterlab_atrium": True},
                "allow_unauthenticated_access": False,
                "allow_root": True,
                "open_browser": False,
                # Port 0: the system picks a free one, no race with other processes.
                "port": 0,
                "ip": "127.0.0.1",
                "root_dir": str(root / "home"),
            },
            "IdentityProvider": {"token": self.token},
            "AtriumService": {"database_url": f"sqlite:///{root / 'atrium.sqlite'}"},
        }
        for section, values in config.items():
            base.setdefault(section, {}).update(values)
        (root / "home").mkdir()
        (root / "config").mkdir()
        (root / "config" / "jupyter_server_config.json").write_text(json.dumps(base))
        self.env = {
            **os.environ,
            "JUPYTER_CONFIG_DIR": str(root / "config"),
            "JUPYTER_DATA_DIR": str(root / "data"),
            "JUPYTER_RUNTIME_DIR": str(root / "runtime"),
            "JUPYTER_PLATFORM_DIRS": "1",
        }
        self.proc: subprocess.Popen | None = None
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"token {self.token}"

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    def start(self) -> None:
        """Start the server and wait until Atrium answers."""
        # Run from the source tree (cwd on sys.path), as the rest of the suite imports it.
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "jupyter_server"],
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + START_TIMEOUT
        info = self.root / "runtime" / f"jpserver-{self.proc.pid}.json"
        while True:
            if self.proc.poll() is not None:
                pytest.fail(f"the server exited ({self.proc.returncode}):\n{self.log()[-3000:]}")
            try:
                if not self.url:
                    # Written once the server listens; it names the port it got.
                    self.url = f"http://127.0.0.1:{json.loads(info.read_text())['port']}"
                reply = self.session.get(f"{self.url}/atrium/api/service/status", timeout=5)
                if reply.status_code == 200:
                    return
                if reply.status_code == 404:
                    pytest.fail(f"Atrium did not load:\n{self.log()[:6000]}")
            except (OSError, ValueError, requests.ConnectionError):
                pass  # no runtime file yet, or half written, or not answering yet
            if time.monotonic() > deadline:
                pytest.fail(f"the server did not answer in time:\n{self.log()[-3000:]}")
            time.sleep(0.2)  # the poll's interval; the deadline above bounds it

    def log(self, start: int = 0) -> str:
        with open(self.log_path, "rb") as log:
            log.seek(start)
            return log.read().decode(errors="replace")

    def log_size(self) -> int:
        return self.log_path.stat().st_size

    def call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """``/atrium/api/{path}``, which must succeed."""
        reply = self.session.request(method, f"{self.url}/atrium/api/{path}", timeout=30, **kwargs)
        assert reply.status_code < 300, (method, path, reply.status_code, reply.text)
        return reply

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=30)
        self.session.close()


@contextmanager
def running_server(root: Path, config: dict[str, dict[str, Any]]) -> Iterator[AtriumServer]:
    """An ``AtriumServer`` in ``root``, started, and stopped on the way out."""
    server = AtriumServer(root, config)
    try:
        server.start()
        yield server
    finally:
        server.stop()
