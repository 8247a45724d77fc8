"""`pip install .` must leave both halves of Atrium enabled, and each plugin disableable."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def jupyter(*args: str, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "jupyter", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )
    assert result.returncode == 0, result.stderr
    return re.sub(r"\x1b\[[0-9;]*m", "", result.stdout + result.stderr)


def test_server_extension_is_enabled():
    out = jupyter("server", "extension", "list")
    assert re.search(r"jupyterlab_atrium\s+enabled", out), out
    assert re.search(r"jupyterlab_atrium 0\.\d+\.\d+\S*\s+OK", out), out


def test_labextension_is_enabled():
    out = jupyter("labextension", "list")
    assert re.search(r"jupyterlab-atrium v\S+\s+enabled\s+OK", out), out


def test_disabling_one_plugin_leaves_the_extension_enabled(tmp_path):
    env = {"JUPYTER_CONFIG_DIR": str(tmp_path)}
    jupyter("labextension", "disable", "jupyterlab-atrium:about", "--level=user", env=env)
    page_config = json.loads((tmp_path / "labconfig" / "page_config.json").read_text())
    assert page_config["disabledExtensions"] == {"jupyterlab-atrium:about": True}
    out = jupyter("labextension", "list", env=env)
    assert re.search(r"jupyterlab-atrium v\S+\s+enabled\s+OK", out), out
    assert "jupyterlab-atrium:about" in out


def test_every_plugin_schema_is_closed_with_defaults():
    for schema_file in sorted((ROOT / "schema").glob("*.json")):
        schema = json.loads(schema_file.read_text())
        assert schema["additionalProperties"] is False, schema_file
        for name, prop in schema.get("properties", {}).items():
            assert "default" in prop, f"{schema_file.name}: {name} has no default"
