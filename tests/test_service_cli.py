"""``python -m jupyterlab_atrium.service``: the hub-service entry point."""

from __future__ import annotations

import os
import subprocess
import sys

from jupyterlab_atrium.service.db import Database, head_revision


def run_service(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTERHUB_")}
    environ.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "jupyterlab_atrium.service", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=environ,
    )


def test_help_documents_hub_service_mode():
    result = run_service("--help")
    assert result.returncode == 0, result.stderr
    assert "JupyterHub-managed service" in result.stdout
    assert "c.JupyterHub.services" in result.stdout
    assert "--AtriumService.database_url" in result.stdout


def test_upgrade_db_migrates_and_exits(database_url):
    result = run_service("--upgrade-db", f"--database-url={database_url}")
    assert result.returncode == 0, result.stderr
    db = Database(database_url)
    assert db.revision() == head_revision()
    db.close()


def test_refuses_to_serve_outside_jupyterhub(tmp_path):
    result = run_service(f"--database-url=sqlite:///{tmp_path / 'x.sqlite'}")
    assert result.returncode != 0
    assert "JUPYTERHUB_API_TOKEN" in result.stdout + result.stderr
