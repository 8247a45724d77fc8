"""``AtriumNetDrive.state_file``: where remembered drives live, when an admin says so."""

from __future__ import annotations

import json
import stat

import pytest

from .test_netdrive_api import connect


@pytest.fixture
def state_path(tmp_path):
    return tmp_path / "persistent volume" / "drives.json"


@pytest.fixture
def jp_server_config(jp_server_config, state_path):
    jp_server_config["AtriumNetDrive"] = {"connect_timeout": 3.0, "state_file": str(state_path)}
    return jp_server_config


async def test_drives_are_remembered_where_the_admin_says(
    jp_fetch, jp_serverapp, jp_data_dir, state_path, samba, samba_folder
):
    await connect(jp_fetch, samba, samba_folder, name="proj")
    assert stat.S_IMODE(state_path.stat().st_mode) == 0o600
    assert [d["name"] for d in json.loads(state_path.read_text())["drives"]] == ["proj"]
    assert samba.password not in state_path.read_text()
    assert not (jp_data_dir / "atrium" / "netdrives.json").exists()
    assert jp_serverapp.web_app.settings["atrium_netdrive"].state_file == state_path


@pytest.fixture
def remembered_ward(state_path):
    """A drive remembered before the server starts (as after a restart)."""
    state_path.parent.mkdir(parents=True)
    drive = {
        "name": "ward",
        "displayName": "Ward",
        "server": "127.0.0.1",
        "port": 445,
        "shareName": "ward",
        "folder": "",
        "domain": "",
        "username": "nurse",
        "readOnly": False,
    }
    state_path.write_text(json.dumps({"version": 1, "drives": [drive]}))


async def test_every_page_is_told_the_remembered_drives_names(
    remembered_ward, jp_fetch, jp_serverapp, samba, samba_folder
):
    # A page restoring documents on drives registers them from its config while it
    # starts, without a request (src/netdrive/restore.ts); the config follows changes.
    page_config = jp_serverapp.web_app.settings["page_config_data"]
    assert page_config["atriumDrives"] == ["ward"]
    await connect(jp_fetch, samba, samba_folder, name="proj")
    assert page_config["atriumDrives"] == ["ward", "proj"]
    await jp_fetch("atrium", "api", "netdrive", "drives", "ward", method="DELETE")
    assert page_config["atriumDrives"] == ["proj"]
    assert "nurse" not in json.dumps(page_config["atriumDrives"])
