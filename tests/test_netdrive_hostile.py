"""Hostile input for the network drives: injection attempts are refused with clear messages, and
the password never leaks (logs, state file, error bodies, command lines, page config, listings).
"""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
import stat
from pathlib import Path
from urllib.parse import unquote

import pytest
from tornado.httpclient import HTTPClientError

from jupyterlab_atrium.netdrive import broker
from jupyterlab_atrium.netdrive.manager import Drive
from jupyterlab_atrium.netdrive.share import parse_share

API = ("atrium", "api", "netdrive")


@pytest.fixture
def jp_server_config(jp_server_config):
    jp_server_config["AtriumNetDrive"] = {"connect_timeout": 3.0}
    return jp_server_config


@pytest.fixture(scope="module")
def hostile_user(samba) -> tuple[str, str]:
    """A Samba user with a password found nowhere else on this machine."""
    password = f"Pw-{secrets.token_hex(12)}-,=%;"
    samba.add_user("atriumhostile", password)
    return "atriumhostile", password


async def post(jp_fetch, *parts, body, headers=None):
    return await jp_fetch(
        *API, *parts, method="POST", body=json.dumps(body), headers=headers or None
    )


async def refused(jp_fetch, *parts, method="POST", body=None, headers=None) -> tuple[int, dict]:
    with pytest.raises(HTTPClientError) as err:
        await jp_fetch(
            *API,
            *parts,
            method=method,
            body=None if body is None else json.dumps(body),
            headers=headers or None,
            allow_nonstandard_methods=True,
        )
    return err.value.code, json.loads(err.value.response.body)


def good_body(samba, user: str = "", password: str = "") -> dict:
    return {
        "share": f"smb://127.0.0.1:{samba.port}/data",
        "domain": "",
        "username": user or samba.user,
        "password": password or samba.password,
        "displayName": "Data",
        "readOnly": False,
    }


# -- injection ------------------------------------------------------------------------------------

BAD_SHARES = [
    ("\\\\srv\\share,uid=0", "share name"),
    ("//srv/share=x", "share name"),
    ("smb://srv/sh%61re", "'%'"),
    ("smb://srv/share/../../etc", "'..'"),
    ("//srv/share/a\\..\\b", "'..'"),
    ("\\\\srv\\share\nother", "line breaks"),
    ("\\\\srv\\share\x00x", "control characters"),
    ("\\\\srv\x1b[31m\\share", "control characters"),
    ("\\\\-oProxyCommand=x\\share", "host name"),
    ("smb://user:secret@srv/share", "user name"),
    ("smb://srv/share?opt=1", "'?'"),
    ("smb://srv:99999/share", "port"),
    ("\\\\srv", "share name is missing"),
    ("srv/share", "start with"),
    ("\\\\srv\\-share", "'-'"),
    ("smb://[::1]:1445/data", "IPv6"),
    ("\\\\srv.\\share", "host name"),
    ("\\\\srv\\share\\a:b", "':'"),
    ("\\\\" + "a" * 300 + "\\share", "host name"),
    ("\\\\srv\\" + "s" * 100, "too long"),
    ("\\\\srv\\share\\" + "x" * 5000, "too long"),
]


@pytest.mark.parametrize(("share", "hint"), BAD_SHARES)
async def test_bad_shares_are_refused(jp_fetch, samba, share, hint):
    body = good_body(samba)
    body["share"] = share
    code, reply = await refused(jp_fetch, "drives", body=body)
    assert code == 400
    assert reply["reason"] == "invalid-share", reply
    assert reply["field"] == "share"
    assert reply["message"].startswith("Share: ")
    assert hint in reply["message"], reply["message"]


def test_good_shares_parse():
    assert parse_share(r"\\Files.Uni.Example\Dept$\Project A\raw").unc == (
        r"\\files.uni.example\Dept$\Project A\raw"
    )
    loc = parse_share("//srv/data/")
    assert (loc.server, loc.share, loc.folder, loc.port) == ("srv", "data", "", 445)
    loc = parse_share("smb://127.0.0.1:1445/data/a/b")
    assert (loc.server, loc.port, loc.folder) == ("127.0.0.1", 1445, "a/b")
    assert loc.unc == r"\\127.0.0.1:1445\data\a\b"


BAD_FIELDS = [
    ("username", "bob,uid=0", "a comma"),
    ("username", "bob=x", "'='"),
    ("username", "%n%n%s", "'%'"),
    ("username", "bob\nINFO fake log line", "line breaks"),
    ("username", "bob\x00", "NUL"),
    ("username", "-oPasswordAuthentication", "'-'"),
    ("username", "../../root", "'/'"),
    ("username", "a..b", "'..'"),
    ("username", "x" * 200, "too long"),
    ("username", "", "required"),
    ("username", 42, "string"),
    ("domain", "UNI,sec=none", "a comma"),
    ("domain", "UNI\r\n", "line breaks"),
    ("domain", "-UNI", "'-'"),
    ("domain", "uni..example", "'..'"),
    ("domain", "UNI DOMAIN", "letters, digits"),
    ("displayName", "Data\u202egnp.exe", "control characters"),
    ("displayName", "Data, 2024", "a comma"),
    ("displayName", "x" * 81, "too long"),
    ("displayName", "a=b", "'='"),
    ("name", "../etc", "lower-case"),
    ("name", "Data", "lower-case"),
    ("name", "-x", "lower-case"),
    ("name", "a" * 33, "lower-case"),
    ("readOnly", "yes", "true or false"),
    ("password", 123, "string"),
    ("password", "a\x00b", "NUL"),
]
LABELS = {
    "username": "User name",
    "domain": "Domain",
    "displayName": "Display name",
    "name": "Name",
    "readOnly": "readOnly",
    "password": "Password",
}


@pytest.mark.parametrize(("field", "value", "hint"), BAD_FIELDS)
async def test_bad_fields_are_refused(jp_fetch, samba, field, value, hint):
    body = good_body(samba)
    body[field] = value
    code, reply = await refused(jp_fetch, "drives", body=body)
    assert code == 400
    assert reply["reason"] == "invalid-field"
    assert reply["field"] == field
    assert reply["message"].startswith(LABELS[field] + ": "), reply["message"]
    assert hint in reply["message"], reply["message"]
    assert "\n" not in reply["message"] and "\x00" not in reply["message"]
    assert (await jp_fetch(*API, "drives")).body == b'{"items": []}'


BAD_PATHS = ["a/../../etc/passwd", "..", "a\\b", "a:b", "a%00b", "a%0Ab", "a%1Bb", "x/./y"]


@pytest.mark.parametrize("path", BAD_PATHS)
async def test_bad_paths_are_refused(jp_fetch, raw_fetch, samba, path):
    await post(jp_fetch, "drives", body={**good_body(samba), "name": "d"})
    prefix = "/".join(API) + "/drives/d"
    # Sent raw (jp_fetch would escape '%' itself): the server decodes %00, %0A, ... first.
    for verb, url, body in [
        ("GET", f"{prefix}/contents/{path}", None),
        ("GET", f"{prefix}/download/{path}", None),
        ("PUT", f"{prefix}/contents/{path}", {"type": "file", "format": "text", "content": ""}),
        ("DELETE", f"{prefix}/contents/{path}", None),
        ("PATCH", f"{prefix}/contents/ok.txt", {"path": unquote(path)}),
        ("POST", f"{prefix}/copy", {"from": unquote(path), "to": ""}),
        ("POST", f"{prefix}/copy", {"from": "ok.txt", "to": unquote(path)}),
    ]:
        code, reply = await raw_fetch(verb, url, body)
        assert code == 400, (verb, url, code, reply)
        assert reply["reason"] == "invalid-path", reply


async def test_paths_with_lone_surrogates_are_refused(jp_fetch, raw_fetch, samba):
    # JSON can carry "\ud800" although no UTF-8 can: found by tests/test_openapi_fuzz.py as
    # 502 smb-error (UnicodeEncodeError on the way to the share).
    await post(jp_fetch, "drives", body={**good_body(samba), "name": "d"})
    prefix = "/".join(API) + "/drives/d"
    for verb, url, body in [
        ("PATCH", f"{prefix}/contents/ok.txt", {"path": "a\ud800"}),
        ("POST", f"{prefix}/copy", {"from": "\udfffb", "to": ""}),
        ("POST", f"{prefix}/copy", {"from": "ok.txt", "to": "dir/\ud800"}),
        ("POST", f"{prefix}/contents", {"copy_from": "\ud800"}),
    ]:
        code, reply = await raw_fetch(verb, url, body)
        assert code == 400, (verb, url, body, code, reply)
        assert reply["reason"] == "invalid-path", reply
        assert "U+D" in reply["message"], reply


@pytest.fixture
def raw_fetch(http_server_client, jp_auth_header, jp_base_url):
    """Like jp_fetch, but the path is sent exactly as given (already percent-encoded)."""

    async def fetch(verb: str, path: str, body: dict | None):
        url = jp_base_url.rstrip("/") + "/" + path
        try:
            reply = await http_server_client.fetch(
                url,
                method=verb,
                headers=dict(jp_auth_header),
                body=None if body is None else json.dumps(body),
                allow_nonstandard_methods=True,
            )
        except HTTPClientError as err:
            return err.code, json.loads(err.response.body)
        return reply.code, json.loads(reply.body or b"{}")

    return fetch


# -- the password never leaks ---------------------------------------------------------------------


def command_lines() -> list[bytes]:
    lines = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                lines.append((proc / "cmdline").read_bytes())
            except OSError:
                continue
    return lines


async def test_password_never_leaks(jp_fetch, jp_serverapp, samba, hostile_user, caplog, tmp_path):
    caplog.set_level(logging.DEBUG)
    for name in ("smbprotocol", "spnego", "tornado", "jupyterlab_atrium"):
        # caplog restores each level afterwards: a logger left at DEBUG makes later tests
        # format smbprotocol's hex dump of every packet.
        caplog.set_level(logging.DEBUG, logger=name)
    user, password = hostile_user
    secret = password.encode()
    bodies: list[bytes] = []

    # wrong password first, then the right one, then the usual calls
    code, reply = await refused(jp_fetch, "drives", body=good_body(samba, user, password + "x"))
    assert code == 401
    bodies.append(json.dumps(reply).encode())
    created = await post(jp_fetch, "drives", body={**good_body(samba, user, password), "name": "h"})
    bodies.append(created.body)
    assert json.loads(created.body)["state"] == "connected"
    bodies.append((await jp_fetch(*API, "drives")).body)
    bodies.append((await jp_fetch(*API, "drives", "h")).body)
    bodies.append((await jp_fetch(*API, "drives", "h", "contents")).body)
    bodies.append((await jp_fetch(*API, "policy")).body)
    bodies.append((await jp_fetch("atrium", "api", "info")).body)
    page = (await jp_fetch("lab")).body
    assert re.search(rb'id="jupyter-config-data"', page)
    bodies.append(page)
    # error bodies with the password somewhere in the request
    for bad in ({"share": password}, {"username": password + ","}, {"domain": password}):
        code, reply = await refused(
            jp_fetch, "drives", body={**good_body(samba, user, password), **bad}
        )
        assert code == 400
        bodies.append(json.dumps(reply).encode())
    await post(jp_fetch, "drives/h/disconnect", body={})
    code, reply = await refused(
        jp_fetch, "drives", "h", "connect", body={"password": password + "y"}
    )
    assert code == 401
    bodies.append(json.dumps(reply).encode())
    bodies.append(
        (await post(jp_fetch, "reconnect", body={"server": "127.0.0.1", "password": password})).body
    )

    for body in bodies:
        assert secret not in body
    assert password not in caplog.text
    manager = jp_serverapp.web_app.settings["atrium_netdrive"]
    state = manager.state_file.read_bytes()
    assert secret not in state
    assert stat.S_IMODE(manager.state_file.stat().st_mode) == 0o600
    assert password not in repr(manager.drives["h"])
    assert password not in repr(manager.drives["h"].client)
    for cmdline in command_lines():
        assert secret not in cmdline
    for path in Path(os.environ.get("JUPYTER_DATA_DIR", tmp_path)).rglob("*"):
        if path.is_file():
            assert secret not in path.read_bytes(), path

    # Disconnect drops the password from memory.
    await post(jp_fetch, "drives/h/disconnect", body={})
    drive: Drive = manager.drives["h"]
    assert drive.password is None and drive.client is None


# -- kernel credentials ---------------------------------------------------------------------------


async def test_kernel_credentials_need_the_broker_token(
    jp_fetch, jp_serverapp, jp_http_port, samba
):
    await post(jp_fetch, "drives", body={**good_body(samba), "name": "k"})
    token = jp_serverapp.web_app.settings["atrium_broker_token"]
    path = broker.broker_file_path(jp_serverapp.runtime_dir, os.getpid())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    url, file_token = broker.read_broker_file(jp_serverapp.runtime_dir, os.getpid())
    assert file_token == token
    assert url.startswith("http://") and url.endswith("/")
    assert samba.password.encode() not in path.read_bytes()

    good = {"Authorization": broker.authorization_header(token)}
    reply = await post(jp_fetch, "kernel-credentials", body={"name": "k"}, headers=good)
    creds = json.loads(reply.body)
    assert creds["password"] == samba.password
    assert (creds["server"], creds["port"], creds["share"], creds["folder"]) == (
        "127.0.0.1",
        samba.port,
        "data",
        "",
    )
    assert creds["username"] == samba.user

    # The browser's own session (Jupyter token, cookies, Origin) is never enough.
    code, _ = await refused(jp_fetch, "kernel-credentials", body={"name": "k"})
    assert code == 403
    same_origin = f"http://127.0.0.1:{jp_http_port}"
    for extra in (
        {"Cookie": "a=b"},
        {"Origin": same_origin},
        {"Referer": same_origin + "/lab"},
        {"Sec-Fetch-Site": "same-origin"},
    ):
        code, reply = await refused(
            jp_fetch, "kernel-credentials", body={"name": "k"}, headers={**good, **extra}
        )
        assert (code, reply["reason"]) == (403, "forbidden"), extra
        assert "browsers" in reply["message"]
    # A foreign origin is already stopped by jupyter_server's origin check (404).
    code, reply = await refused(
        jp_fetch,
        "kernel-credentials",
        body={"name": "k"},
        headers={**good, "Origin": "http://evil.example"},
    )
    assert code in (403, 404) and "password" not in reply
    code, _ = await refused(
        jp_fetch,
        "kernel-credentials",
        body={"name": "k"},
        headers={"Authorization": broker.authorization_header("wrong-token")},
    )
    assert code == 403

    await post(jp_fetch, "drives/k/disconnect", body={})
    code, reply = await refused(jp_fetch, "kernel-credentials", body={"name": "k"}, headers=good)
    assert (code, reply["reason"]) == (409, "disconnected")
    code, reply = await refused(jp_fetch, "kernel-credentials", body={"name": "../x"}, headers=good)
    assert code == 400


@pytest.fixture
def fuse_config(jp_server_config, tmp_path):
    from jupyterlab_atrium.netdrive import fuse

    usable, reason = fuse.fuse_status()
    if not usable:
        pytest.skip(f"FUSE mode not available here: {reason}")
    jp_server_config["AtriumNetDrive"].update(
        {"fuse_enabled": True, "fuse_base_dir": str(tmp_path / "netdrives")}
    )
    return jp_server_config


async def test_fuse_child_never_sees_the_password_in_argv(
    fuse_config, jp_fetch, jp_serverapp, samba, hostile_user, caplog
):
    caplog.set_level(logging.DEBUG)
    user, password = hostile_user
    reply = await post(jp_fetch, "drives", body={**good_body(samba, user, password), "name": "fz"})
    info = json.loads(reply.body)
    assert info["fuseMountPath"], info
    mount = jp_serverapp.web_app.settings["atrium_netdrive"].drives["fz"].fuse_mount
    assert mount.process.poll() is None
    assert password.encode() not in Path(f"/proc/{mount.pid}/cmdline").read_bytes()
    for cmdline in command_lines():
        assert password.encode() not in cmdline
    assert password.encode() not in reply.body
    await post(jp_fetch, "drives/fz/disconnect", body={})
    assert mount.process.poll() is not None
    assert password not in caplog.text
