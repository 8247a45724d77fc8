"""The network-drive REST API, through a real jupyter_server against a real Samba share."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import stat
import threading
import time

import nbformat
import pytest
from tornado.httpclient import HTTPClientError

from jupyterlab_atrium.netdrive.atomic import is_temporary
from jupyterlab_atrium.netdrive.manager import DriveManager

from .blackhole import blackhole

API = ("atrium", "api", "netdrive")


@pytest.fixture
def jp_server_config(jp_server_config):
    jp_server_config["AtriumNetDrive"] = {"connect_timeout": 3.0}
    return jp_server_config


async def call(jp_fetch, *parts, method="GET", body=None, params=None, raw=False, **kwargs):
    reply = await jp_fetch(
        *API,
        *parts,
        method=method,
        body=None if body is None else json.dumps(body),
        params=params,
        allow_nonstandard_methods=True,
        **kwargs,
    )
    if raw or reply.code == 204:
        return reply
    assert reply.headers["Content-Type"].startswith("application/json")
    return json.loads(reply.body)


async def error(jp_fetch, *parts, **kwargs) -> tuple[int, dict]:
    with pytest.raises(HTTPClientError) as err:
        await call(jp_fetch, *parts, **kwargs)
    return err.value.code, json.loads(err.value.response.body)


def share_of(samba, folder: str = "", share: str = "data") -> str:
    return f"smb://127.0.0.1:{samba.port}/{share}" + (f"/{folder}" if folder else "")


def connect_body(samba, folder: str = "", **extra) -> dict:
    body = {
        "share": share_of(samba, folder),
        "domain": "",
        "username": samba.user,
        "password": samba.password,
        "displayName": "Project data",
        "readOnly": False,
    }
    body.update(extra)
    return body


async def connect(jp_fetch, samba, folder="", **extra) -> dict:
    reply = await jp_fetch(
        *API, "drives", method="POST", body=json.dumps(connect_body(samba, folder, **extra))
    )
    assert reply.code == 201
    return json.loads(reply.body)


def contents(name: str, path: str = "") -> tuple[str, ...]:
    return ("drives", name, "contents", *([path] if path else []))


def temporaries(folder) -> list[str]:
    """The temporary files of unfinished writes in a share folder and below it (seen from
    Samba's side)."""
    return sorted(p.name for p in folder.rglob("*") if is_temporary(p.name))


# -- policy ---------------------------------------------------------------------------------------


@pytest.fixture
def policy_config(jp_server_config):
    jp_server_config["AtriumNetDrive"].update(
        {
            "allowed_servers": ["files.uni.example", "*.dept.uni.example"],
            "default_domain": "UNI",
            "max_drives": 3,
            "read_only_default": True,
        }
    )
    return jp_server_config


async def test_policy_is_published_and_enforced(policy_config, jp_fetch, samba):
    policy = await call(jp_fetch, "policy")
    assert policy == {
        "allowedServers": ["files.uni.example", "*.dept.uni.example"],
        "defaultDomain": "UNI",
        "maxDrives": 3,
        "fuseEnabled": False,
        "readOnlyDefault": True,
    }
    info = json.loads((await jp_fetch("atrium", "api", "info")).body)
    assert info["netdrive"] == policy
    code, body = await error(jp_fetch, "drives", method="POST", body=connect_body(samba))
    assert (code, body["reason"]) == (403, "not-allowed")
    assert "127.0.0.1" in body["message"] and "files.uni.example" in body["message"]
    assert (await call(jp_fetch, "drives")) == {"items": []}


async def test_default_policy(jp_fetch):
    assert await call(jp_fetch, "policy") == {
        "allowedServers": [],
        "defaultDomain": "",
        "maxDrives": 10,
        "fuseEnabled": False,
        "readOnlyDefault": False,
    }


# -- connecting -----------------------------------------------------------------------------------


async def test_connect_lists_and_remembers_without_password(
    jp_fetch, jp_data_dir, samba, samba_folder
):
    drive = await connect(jp_fetch, samba, samba_folder, name="proj")
    assert drive["name"] == "proj"
    assert drive["state"] == "connected"
    assert drive["displayName"] == "Project data"
    assert drive["server"] == "127.0.0.1"
    assert drive["shareName"] == "data"
    assert drive["folder"] == samba_folder
    assert drive["share"] == f"\\\\127.0.0.1:{samba.port}\\data\\{samba_folder}"
    assert drive["username"] == samba.user
    assert drive["readOnly"] is False
    assert "password" not in json.dumps(drive).lower()

    listing = await call(jp_fetch, "drives")
    assert [d["name"] for d in listing["items"]] == ["proj"]
    assert samba.password not in json.dumps(listing)

    state = jp_data_dir / "atrium" / "netdrives.json"
    assert stat.S_IMODE(state.stat().st_mode) == 0o600
    saved = json.loads(state.read_text())
    assert saved["drives"][0]["name"] == "proj"
    assert samba.password not in state.read_text()
    assert "password" not in state.read_text().lower()

    # A second drive gets a name derived from the display name, unique.
    other = await connect(jp_fetch, samba, samba_folder, displayName="Proj")
    assert other["name"] == "proj-2"
    code, body = await error(
        jp_fetch, "drives", method="POST", body=connect_body(samba, samba_folder, name="proj")
    )
    assert (code, body["reason"]) == (409, "name-taken")


async def test_wrong_password_is_401(jp_fetch, samba):
    code, body = await error(
        jp_fetch, "drives", method="POST", body=connect_body(samba, password="wrong-Pa55")
    )
    assert (code, body["reason"]) == (401, "bad-credentials")
    assert "wrong-Pa55" not in json.dumps(body)
    assert (await call(jp_fetch, "drives")) == {"items": []}


async def test_unknown_share_is_404(jp_fetch, samba):
    body = connect_body(samba)
    body["share"] = f"\\\\127.0.0.1:{samba.port}\\nosuchshare"
    code, reply = await error(jp_fetch, "drives", method="POST", body=body)
    assert (code, reply["reason"]) == (404, "share-not-found")


async def test_unreachable_server_is_504_within_seconds(jp_fetch, samba):
    from tests.samba_server import free_port

    with blackhole() as (host, port):
        for share in (
            f"smb://127.0.0.1:{free_port()}/data",  # nothing listens: refused at once
            f"smb://{host}:{port}/data",  # the SYN is swallowed: the deadline must fire
        ):
            body = connect_body(samba)
            body["share"] = share
            started = time.monotonic()
            code, reply = await error(jp_fetch, "drives", method="POST", body=body)
            elapsed = time.monotonic() - started
            assert (code, reply["reason"]) == (504, "unreachable"), reply
            # connect_timeout is 3 s here; the kernel alone would retry the SYN for minutes.
            assert elapsed < 20, (share, elapsed)


@pytest.fixture
def two_drives_config(jp_server_config):
    jp_server_config["AtriumNetDrive"]["max_drives"] = 2
    return jp_server_config


async def test_too_many_drives_is_409(two_drives_config, jp_fetch, samba, samba_folder):
    await connect(jp_fetch, samba, samba_folder, name="one")
    await connect(jp_fetch, samba, samba_folder, name="two")
    code, body = await error(
        jp_fetch, "drives", method="POST", body=connect_body(samba, samba_folder, name="three")
    )
    assert (code, body["reason"]) == (409, "too-many-drives")
    assert "2" in body["message"]


async def test_encrypted_share_and_read_only_share(jp_fetch, samba):
    secret = connect_body(samba, name="secret")
    secret["share"] = share_of(samba, share="secret")
    drive = await call(jp_fetch, "drives", method="POST", body=secret)
    assert drive["state"] == "connected"
    assert drive["encrypted"] is True

    (samba.share_path("readonly") / "readme.txt").write_text("look, don't touch")
    ro = connect_body(samba, name="ro", readOnly=True)
    ro["share"] = share_of(samba, share="readonly")
    await call(jp_fetch, "drives", method="POST", body=ro)
    model = await call(jp_fetch, *contents("ro", "readme.txt"))
    assert model["content"] == "look, don't touch"
    assert model["writable"] is False
    code, body = await error(
        jp_fetch,
        *contents("ro", "new.txt"),
        method="PUT",
        body={"type": "file", "format": "text", "content": "x"},
    )
    assert (code, body["reason"]) == (403, "read-only")


# -- files ----------------------------------------------------------------------------------------


async def test_file_operations(jp_fetch, samba, samba_folder):
    root = samba.share_path("data") / samba_folder
    (root / "hello.txt").write_text("hello, world\n")
    (root / "blob.bin").write_bytes(bytes(range(256)))
    (root / "sub").mkdir()
    (root / ".hidden").write_text("dot file")
    (root / "__pycache__").mkdir()
    samba.own(root)
    await connect(jp_fetch, samba, samba_folder, name="d")

    listing = await call(jp_fetch, *contents("d"))
    assert listing["type"] == "directory"
    assert listing["format"] == "json"
    assert listing["path"] == ""
    names = {item["name"]: item for item in listing["content"]}
    assert set(names) == {"hello.txt", "blob.bin", "sub"}
    assert names["hello.txt"]["type"] == "file"
    assert names["hello.txt"]["size"] == 13
    assert names["hello.txt"]["content"] is None
    assert names["sub"]["type"] == "directory"
    assert names["sub"]["size"] is None
    assert names["hello.txt"]["last_modified"].endswith("Z")

    text = await call(jp_fetch, *contents("d", "hello.txt"))
    assert (text["content"], text["format"], text["mimetype"]) == (
        "hello, world\n",
        "text",
        "text/plain",
    )
    blob = await call(jp_fetch, *contents("d", "blob.bin"))
    assert blob["format"] == "base64"
    assert base64.b64decode(blob["content"]) == bytes(range(256))
    assert blob["mimetype"] == "application/octet-stream"
    forced = await call(jp_fetch, *contents("d", "hello.txt"), params={"format": "base64"})
    assert base64.b64decode(forced["content"]) == b"hello, world\n"
    hashed = await call(jp_fetch, *contents("d", "hello.txt"), params={"hash": "1", "content": "0"})
    assert hashed["hash_algorithm"] == "sha256" and len(hashed["hash"]) == 64
    code, body = await error(jp_fetch, *contents("d", "blob.bin"), params={"format": "text"})
    assert code == 400

    # save (new -> 201, existing -> 200)
    reply = await jp_fetch(
        *API,
        *contents("d", "sub/new.txt"),
        method="PUT",
        body=json.dumps({"type": "file", "format": "text", "content": "fresh"}),
    )
    assert reply.code == 201
    reply = await jp_fetch(
        *API,
        *contents("d", "sub/new.txt"),
        method="PUT",
        body=json.dumps({"type": "file", "format": "text", "content": "fresher"}),
    )
    assert reply.code == 200
    saved = json.loads(reply.body)
    assert saved["content"] is None and saved["size"] == 7 and saved["path"] == "sub/new.txt"
    assert (root / "sub" / "new.txt").read_text() == "fresher"

    # mkdir via PUT, new untitled file, folder and notebook
    await call(jp_fetch, *contents("d", "made"), method="PUT", body={"type": "directory"})
    assert (root / "made").is_dir()
    first = await call(jp_fetch, *contents("d", "made"), method="POST", body={"type": "notebook"})
    second = await call(jp_fetch, *contents("d", "made"), method="POST", body={"type": "notebook"})
    assert (first["name"], second["name"]) == ("Untitled.ipynb", "Untitled1.ipynb")
    folder = await call(jp_fetch, *contents("d", "made"), method="POST", body={"type": "directory"})
    folder2 = await call(
        jp_fetch, *contents("d", "made"), method="POST", body={"type": "directory"}
    )
    assert (folder["name"], folder2["name"]) == ("Untitled Folder", "Untitled Folder 1")
    untitled = await call(
        jp_fetch, *contents("d", "made"), method="POST", body={"type": "file", "ext": ".txt"}
    )
    assert untitled["name"] == "untitled.txt"
    nb = nbformat.read(root / "made" / "Untitled.ipynb", as_version=4)
    assert nb.nbformat == 4

    # rename, copy, delete
    renamed = await call(
        jp_fetch, *contents("d", "hello.txt"), method="PATCH", body={"path": "sub/hi.txt"}
    )
    assert renamed["path"] == "sub/hi.txt" and renamed["name"] == "hi.txt"
    assert not (root / "hello.txt").exists() and (root / "sub" / "hi.txt").exists()
    code, body = await error(
        jp_fetch, *contents("d", "sub/hi.txt"), method="PATCH", body={"path": "sub/new.txt"}
    )
    assert (code, body["reason"]) == (409, "exists")
    copied = await call(
        jp_fetch, "drives", "d", "copy", method="POST", body={"from": "sub/hi.txt", "to": "sub"}
    )
    assert copied["path"] == "sub/hi-Copy1.txt"
    copied2 = await call(
        jp_fetch, "drives", "d", "copy", method="POST", body={"from": "sub/hi.txt", "to": "sub"}
    )
    assert copied2["path"] == "sub/hi-Copy2.txt"
    exact = await call(
        jp_fetch, "drives", "d", "copy", method="POST", body={"from": "sub/hi.txt", "to": "x.txt"}
    )
    assert exact["path"] == "x.txt"
    assert (root / "x.txt").read_text() == "hello, world\n"
    reply = await call(jp_fetch, *contents("d", "x.txt"), method="DELETE")
    assert reply.code == 204 and not (root / "x.txt").exists()
    reply = await call(jp_fetch, *contents("d", "made"), method="DELETE")
    assert reply.code == 204 and not (root / "made").exists()

    code, body = await error(jp_fetch, *contents("d", "nope.txt"))
    assert (code, body["reason"]) == (404, "not-found")
    code, body = await error(jp_fetch, *contents("d", "nope.txt"), method="DELETE")
    assert code == 404


async def test_download_streams_raw_bytes(jp_fetch, samba, samba_folder):
    root = samba.share_path("data") / samba_folder
    payload = os.urandom(3 * 1024 * 1024 + 17)
    (root / "big data.bin").write_bytes(payload)
    await connect(jp_fetch, samba, samba_folder, name="d")
    reply = await call(jp_fetch, "drives", "d", "download", "big data.bin", raw=True)
    assert reply.body == payload
    assert reply.headers["Content-Type"] == "application/octet-stream"
    assert reply.headers["Content-Disposition"].startswith("attachment;")
    assert "big%20data.bin" in reply.headers["Content-Disposition"]
    assert reply.headers["X-Content-Type-Options"] == "nosniff"
    code, _ = await error(jp_fetch, "drives", "d", "download", "")
    assert code == 400


async def test_chunked_upload_streams_to_the_share(jp_fetch, samba, samba_folder, write_path):
    root = samba.share_path("data") / samba_folder
    await connect(jp_fetch, samba, samba_folder, name="d")
    chunks = [os.urandom(1024 * 1024) for _ in range(3)] + [b"tail"]
    numbers = [1, 2, 3, -1]
    for number, data in zip(numbers, chunks, strict=True):
        reply = await jp_fetch(
            *API,
            *contents("d", "upload.bin"),
            method="PUT",
            body=json.dumps(
                {
                    "type": "file",
                    "format": "base64",
                    "chunk": number,
                    "content": base64.b64encode(data).decode(),
                }
            ),
        )
        assert reply.code == (201 if number == 1 else 200)
    assert (root / "upload.bin").read_bytes() == b"".join(chunks)
    model = json.loads(reply.body)
    assert model["size"] == sum(map(len, chunks))

    # A chunk out of sequence (e.g. after a server restart) is refused, not appended blindly.
    code, body = await error(
        jp_fetch,
        *contents("d", "other.bin"),
        method="PUT",
        body={"type": "file", "format": "base64", "chunk": 2, "content": ""},
    )
    assert (code, body["reason"]) == (400, "upload-interrupted")


async def test_notebook_round_trip_matches_the_contents_api(
    jp_fetch, jp_root_dir, samba, samba_folder
):
    root = samba.share_path("data") / samba_folder
    await connect(jp_fetch, samba, samba_folder, name="d")
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell("print('hi')", id="c1"))
    nb.cells.append(nbformat.v4.new_markdown_cell("# Title", id="c2"))
    model = {"type": "notebook", "content": nb}
    saved = await call(jp_fetch, *contents("d", "nb.ipynb"), method="PUT", body=model)
    assert saved["type"] == "notebook"
    on_disk = nbformat.read(root / "nb.ipynb", as_version=4)
    assert [c.source for c in on_disk.cells] == ["print('hi')", "# Title"]

    got = await call(jp_fetch, *contents("d", "nb.ipynb"))
    assert got["type"] == "notebook" and got["format"] == "json"
    assert got["content"]["cells"][0]["source"] == "print('hi')"

    # Same document through jupyter_server's own /api/contents: same keys, same types.
    local = json.loads(
        (await jp_fetch("api", "contents", "nb.ipynb", method="PUT", body=json.dumps(model))).body
    )
    local_full = json.loads((await jp_fetch("api", "contents", "nb.ipynb")).body)
    assert set(saved) == set(local)
    assert set(got) == set(local_full)
    for key in ("type", "format", "mimetype", "name", "path", "writable"):
        assert got[key] == local_full[key], key
    # Drive notebooks are never signed/trusted (others may write the share): outputs are shown
    # sanitised; otherwise the cells are what /api/contents returns.
    assert [c["metadata"].pop("trusted") for c in got["content"]["cells"][:1]] == [False]
    for cell in local_full["content"]["cells"]:
        cell["metadata"].pop("trusted", None)
    assert got["content"]["cells"] == local_full["content"]["cells"]
    local_dir = json.loads((await jp_fetch("api", "contents")).body)
    drive_dir = await call(jp_fetch, *contents("d"))
    assert set(drive_dir) == set(local_dir)
    local_item = next(i for i in local_dir["content"] if i["name"] == "nb.ipynb")
    drive_item = next(i for i in drive_dir["content"] if i["name"] == "nb.ipynb")
    assert set(drive_item) == set(local_item)
    for key in ("type", "format", "mimetype", "content", "size"):
        assert drive_item[key] == local_item[key], key

    # An invalid notebook is refused with 400, nothing written.
    code, _ = await error(
        jp_fetch, *contents("d", "bad.ipynb"), method="PUT", body={"type": "notebook", "content": 3}
    )
    assert code == 400
    assert not (root / "bad.ipynb").exists()


async def test_listing_a_thousand_entries(jp_fetch, samba, samba_folder):
    root = samba.share_path("data") / samba_folder / "many"
    root.mkdir()
    for i in range(1000):
        (root / f"f{i:04}.csv").write_text("a,b\n")
    samba.own(root)
    await connect(jp_fetch, samba, samba_folder, name="d")
    listing = await call(jp_fetch, *contents("d", "many"))
    assert len(listing["content"]) == 1000
    assert {item["size"] for item in listing["content"]} == {4}


# -- disconnect, restart, reconnect ---------------------------------------------------------------


async def test_disconnected_drive_refuses_files_with_409(jp_fetch, samba, samba_folder):
    await connect(jp_fetch, samba, samba_folder, name="d")
    info = await call(jp_fetch, "drives", "d", "disconnect", method="POST", body={})
    assert info["state"] == "disconnected"
    code, body = await error(jp_fetch, *contents("d"))
    assert (code, body["reason"]) == (409, "disconnected")
    code, body = await error(
        jp_fetch, "drives", "d", "connect", method="POST", body={"password": "nope"}
    )
    assert (code, body["reason"]) == (401, "bad-credentials")
    again = await call(
        jp_fetch, "drives", "d", "connect", method="POST", body={"password": samba.password}
    )
    assert again["state"] == "connected"
    assert (await call(jp_fetch, *contents("d")))["type"] == "directory"
    reply = await call(jp_fetch, "drives", "d", method="DELETE")
    assert reply.code == 204
    assert (await call(jp_fetch, "drives")) == {"items": []}
    code, body = await error(jp_fetch, *contents("d"))
    assert code == 404


async def test_restart_lists_remembered_drives_disconnected(
    jp_fetch, jp_serverapp, samba, samba_folder
):
    await connect(jp_fetch, samba, samba_folder, name="a")
    await connect(jp_fetch, samba, samba_folder, name="b", displayName="Other")
    settings = jp_serverapp.web_app.settings
    old: DriveManager = settings["atrium_netdrive"]
    await old.close_all()
    # What a new server process does: a fresh manager reading the remembered-drives file.
    fresh = DriveManager(old.config, state_file=old.state_file)
    settings["atrium_netdrive"] = fresh
    assert all(d.password is None for d in fresh.drives.values())

    items = (await call(jp_fetch, "drives"))["items"]
    assert {(d["name"], d["state"]) for d in items} == {
        ("a", "disconnected"),
        ("b", "disconnected"),
    }
    assert items[0]["username"] == samba.user and items[0]["folder"] == samba_folder

    code, body = await error(
        jp_fetch, "reconnect", method="POST", body={"server": "127.0.0.1", "password": "nope"}
    )
    assert (code, body["reason"]) == (401, "bad-credentials")
    code, body = await error(
        jp_fetch, "reconnect", method="POST", body={"server": "elsewhere", "password": "x"}
    )
    assert code == 404
    result = await call(
        jp_fetch,
        "reconnect",
        method="POST",
        body={"server": "127.0.0.1", "password": samba.password},
    )
    assert {(d["name"], d["state"]) for d in result["items"]} == {
        ("a", "connected"),
        ("b", "connected"),
    }
    assert (await call(jp_fetch, *contents("b")))["type"] == "directory"


async def test_samba_restart_mid_session_recovers(jp_fetch, samba, samba_folder):
    root = samba.share_path("data") / samba_folder
    (root / "keep.txt").write_text("still here")
    await connect(jp_fetch, samba, samba_folder, name="d")
    assert (await call(jp_fetch, *contents("d", "keep.txt")))["content"] == "still here"
    await asyncio.get_running_loop().run_in_executor(None, samba.restart)
    model = await call(jp_fetch, *contents("d", "keep.txt"))
    assert model["content"] == "still here"
    saved = await call(
        jp_fetch,
        *contents("d", "after.txt"),
        method="PUT",
        body={"type": "file", "format": "text", "content": "written after restart"},
    )
    assert saved["size"] == len("written after restart")
    info = await call(jp_fetch, "drives", "d")
    assert info["state"] == "connected"


# -- FUSE mode ------------------------------------------------------------------------------------


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


async def test_fuse_mode_mounts_and_unmounts(fuse_config, jp_fetch, samba, samba_folder, tmp_path):
    root = samba.share_path("data") / samba_folder
    (root / "visible.txt").write_text("through FUSE")
    samba.own(root)
    policy = await call(jp_fetch, "policy")
    assert policy["fuseEnabled"] is True
    drive = await connect(jp_fetch, samba, samba_folder, name="fz")
    mount_path = tmp_path / "netdrives" / "fz"
    assert drive["fuseMountPath"] == str(mount_path)
    assert os.path.ismount(mount_path)
    assert (mount_path / "visible.txt").read_text() == "through FUSE"
    await call(jp_fetch, "drives", "fz", "disconnect", method="POST", body={})
    assert not os.path.ismount(mount_path)
    items = (await call(jp_fetch, "drives"))["items"]
    assert items[0]["fuseMountPath"] is None


async def test_64_mib_round_trip_through_upload_and_download(
    jp_fetch, samba, samba_folder, write_path
):
    import hashlib

    root = samba.share_path("data") / samba_folder
    await connect(jp_fetch, samba, samba_folder, name="d")
    block = os.urandom(1024 * 1024)
    payload = block * 64
    chunk_size = 8 * 1024 * 1024
    pieces = [payload[i : i + chunk_size] for i in range(0, len(payload), chunk_size)]
    for index, piece in enumerate(pieces, start=1):
        number = -1 if index == len(pieces) else index
        await jp_fetch(
            *API,
            *contents("d", "big.bin"),
            method="PUT",
            body=json.dumps(
                {
                    "type": "file",
                    "format": "base64",
                    "chunk": number,
                    "content": base64.b64encode(piece).decode(),
                }
            ),
            request_timeout=120,
        )
    assert (root / "big.bin").stat().st_size == len(payload)
    reply = await call(
        jp_fetch, "drives", "d", "download", "big.bin", raw=True, request_timeout=120
    )
    assert hashlib.sha256(reply.body).digest() == hashlib.sha256(payload).digest()


# -- raw bytes (what the frontend drive uses for base64 file contents) --------------------------


async def raw_put(jp_fetch, name, path, data: bytes, chunk=None):
    return await jp_fetch(
        *API,
        "raw",
        name,
        path,
        method="PUT",
        body=data,
        params={} if chunk is None else {"chunk": str(chunk)},
        headers={"Content-Type": "application/octet-stream"},
        request_timeout=120,
    )


async def test_raw_get_sends_bytes_and_the_model_together(jp_fetch, samba, samba_folder):
    root = samba.share_path("data") / samba_folder
    payload = os.urandom(3 * 1024 * 1024 + 17)
    (root / "sub").mkdir()
    (root / "sub" / "picture one.png").write_bytes(payload)
    await connect(jp_fetch, samba, samba_folder, name="d")
    reply = await call(jp_fetch, "raw", "d", "sub/picture one.png", raw=True)
    assert reply.body == payload
    # Never rendered as a page of the Jupyter origin, whatever the share holds.
    assert reply.headers["Content-Disposition"].startswith("attachment;")
    assert reply.headers["X-Content-Type-Options"] == "nosniff"
    model = json.loads(reply.headers["X-Atrium-Model"])
    listed = await call(jp_fetch, *contents("d", "sub/picture one.png"), params={"content": "0"})
    # (Samba makes up "created" when the file system keeps no birth time: it may move.)
    assert {**model, "created": None} == {
        **listed,
        "format": "base64",
        "mimetype": "image/png",
        "created": None,
    }
    assert model["size"] == len(payload) and model["content"] is None

    # Names beyond ASCII travel in the header as JSON escapes (headers are Latin-1).
    (root / "sub" / "Übersicht 日本 2026.bin").write_bytes(b"\x00\xff")
    reply = await call(jp_fetch, "raw", "d", "sub/Übersicht 日本 2026.bin", raw=True)
    assert reply.body == b"\x00\xff"
    assert reply.headers["X-Atrium-Model"].isascii()
    assert json.loads(reply.headers["X-Atrium-Model"])["name"] == "Übersicht 日本 2026.bin"

    code, body = await error(jp_fetch, "raw", "d", "sub")
    assert (code, body["reason"]) == (400, "bad-type")
    code, body = await error(jp_fetch, "raw", "d", "sub/missing.bin")
    assert code == 404
    code, body = await error(jp_fetch, "raw", "nope", "x.bin")
    assert (code, body["reason"]) == (404, "no-such-drive")


async def test_raw_put_streams_a_whole_file(jp_fetch, samba, samba_folder, write_path):
    root = samba.share_path("data") / samba_folder
    await connect(jp_fetch, samba, samba_folder, name="d")
    payload = os.urandom(5 * 1024 * 1024 + 3)  # several write buffers and a ragged tail
    reply = await raw_put(jp_fetch, "d", "out.bin", payload)
    assert reply.code == 201
    assert reply.headers["Location"].endswith("/drives/d/contents/out.bin")
    model = json.loads(reply.body)
    assert (model["path"], model["type"], model["size"]) == ("out.bin", "file", len(payload))
    assert (root / "out.bin").read_bytes() == payload
    # Saving over it truncates: the old bytes do not survive past the new end.
    reply = await raw_put(jp_fetch, "d", "out.bin", b"short")
    assert reply.code == 200
    assert (root / "out.bin").read_bytes() == b"short"
    reply = await raw_put(jp_fetch, "d", "empty.bin", b"")
    assert reply.code == 201 and (root / "empty.bin").read_bytes() == b""


async def test_raw_chunked_upload_like_jupyterlab(jp_fetch, samba, samba_folder, write_path):
    root = samba.share_path("data") / samba_folder
    await connect(jp_fetch, samba, samba_folder, name="d")
    chunks = [os.urandom(1024 * 1024) for _ in range(3)] + [b"tail"]
    sizes = []
    for number, data in zip([1, 2, 3, -1], chunks, strict=True):
        reply = await raw_put(jp_fetch, "d", "up load.bin", data, chunk=number)
        assert reply.code == (201 if number == 1 else 200)
        sizes.append(json.loads(reply.body)["size"])
    assert (root / "up load.bin").read_bytes() == b"".join(chunks)
    # Every reply is the file's model as far as it has been written; the last one is
    # read back from the share.
    assert sizes == [1 << 20, 2 << 20, 3 << 20, (3 << 20) + 4]
    # JSON and raw chunks of one upload may mix: they continue the same open file.
    await raw_put(jp_fetch, "d", "mixed.bin", b"ab", chunk=1)
    await jp_fetch(
        *API,
        *contents("d", "mixed.bin"),
        method="PUT",
        body=json.dumps({"type": "file", "format": "base64", "chunk": 2, "content": "Y2Q="}),
    )
    await raw_put(jp_fetch, "d", "mixed.bin", b"ef", chunk=-1)
    assert (root / "mixed.bin").read_bytes() == b"abcdef"


async def test_raw_put_refusals_arrive_after_the_body_and_keep_nothing(
    jp_fetch, samba, samba_folder
):
    root = samba.share_path("data") / samba_folder
    await connect(jp_fetch, samba, samba_folder, name="d")
    body = os.urandom(2 * 1024 * 1024)

    async def refused(name, path, chunk=None):
        with pytest.raises(HTTPClientError) as err:
            await raw_put(jp_fetch, name, path, body, chunk)
        return err.value.code, json.loads(err.value.response.body)

    # A chunk out of sequence (e.g. after a server restart) is refused, not appended.
    code, reply = await refused("d", "late.bin", chunk=2)
    assert (code, reply["reason"]) == (400, "upload-interrupted")
    assert not (root / "late.bin").exists()
    for bad in ("0", "-2", "x", "1.5"):
        code, reply = await refused("d", "bad.bin", chunk=bad)
        assert (code, reply["reason"]) == (400, "bad-request"), bad
    code, reply = await refused("d", "../escape.bin")
    assert code == 400
    code, reply = await refused("d", "")
    assert (code, reply["reason"]) == (400, "bad-request")
    assert not (root / "bad.bin").exists()

    await call(jp_fetch, "drives", "d", "disconnect", method="POST", body={})
    code, reply = await refused("d", "x.bin")
    assert (code, reply["reason"]) == (409, "disconnected")

    ro = connect_body(samba, name="ro", readOnly=True)
    ro["share"] = share_of(samba, share="readonly")
    await call(jp_fetch, "drives", method="POST", body=ro)
    code, reply = await refused("ro", "new.bin")
    assert (code, reply["reason"]) == (403, "read-only")
    assert not (samba.share_path("readonly") / "new.bin").exists()


async def test_raw_put_without_xsrf_or_login_is_refused(jp_fetch, samba, samba_folder):
    await connect(jp_fetch, samba, samba_folder, name="d")
    with pytest.raises(HTTPClientError) as err:
        await jp_fetch(
            *API,
            "raw",
            "d",
            "x.bin",
            method="PUT",
            body=b"data",
            headers={"Authorization": ""},
        )
    assert err.value.code == 403
    assert not (samba.share_path("data") / samba_folder / "x.bin").exists()


async def test_raw_put_client_gone_mid_body_closes_the_share_file(
    jp_fetch, jp_serverapp, jp_http_port, jp_auth_header, jp_base_url, samba, samba_folder
):
    root = samba.share_path("data") / samba_folder
    await connect(jp_fetch, samba, samba_folder, name="d")
    manager = jp_serverapp.web_app.settings["atrium_netdrive"]
    _reader, writer = await asyncio.open_connection("127.0.0.1", jp_http_port)
    path = f"{jp_base_url.rstrip('/')}/atrium/api/netdrive/raw/d/gone.bin?chunk=1"
    head = (
        f"PUT {path} HTTP/1.1\r\nHost: 127.0.0.1:{jp_http_port}\r\n"
        f"Authorization: {jp_auth_header['Authorization']}\r\n"
        "Content-Type: application/octet-stream\r\n"
        f"Content-Length: {8 * 1024 * 1024}\r\n\r\n"
    )
    writer.write(head.encode() + os.urandom(3 * 1024 * 1024))
    await writer.drain()
    deadline = time.monotonic() + 10
    while "gone.bin" not in manager.get("d").uploads and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    assert "gone.bin" in manager.get("d").uploads  # the file is open and being written
    writer.close()
    await writer.wait_closed()
    while "gone.bin" in manager.get("d").uploads and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    # Dropped at once (not after the 15-minute idle timeout), and with it what had arrived:
    # the file never appears under its name half written.
    assert "gone.bin" not in manager.get("d").uploads
    while temporaries(root) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    assert temporaries(root) == []
    assert not (root / "gone.bin").exists()
    # The next upload of that path starts cleanly.
    reply = await raw_put(jp_fetch, "d", "gone.bin", b"whole", chunk=1)
    assert reply.code == 201
    await raw_put(jp_fetch, "d", "gone.bin", b"!", chunk=-1)
    assert (root / "gone.bin").read_bytes() == b"whole!"


@pytest.mark.parametrize("order", ["failure-first", "chunk-first"])
@pytest.mark.parametrize("existing", [False, True], ids=["new", "overwrite"])
async def test_raw_chunk_answered_before_its_write_reports_failure_with_the_next(
    jp_fetch, jp_serverapp, samba, samba_folder, order, existing
):
    """A chunk is answered while its write is under way; that write then fails. The failure
    is reported once, with the next chunk, whether that chunk arrives after the failure
    ("failure-first") or while the write is still stalled ("chunk-first"); the chunk after
    that finds the upload over. Nothing of the upload reaches the share."""
    root = samba.share_path("data") / samba_folder
    old = os.urandom(300_000)
    if existing:
        (root / "late.bin").write_bytes(old)
        samba.own(root / "late.bin")
    await connect(jp_fetch, samba, samba_folder, name="d")
    manager = jp_serverapp.web_app.settings["atrium_netdrive"]
    await raw_put(jp_fetch, "d", "late.bin", os.urandom(1024 * 1024), chunk=1)
    upload = manager.get("d").uploads["late.bin"]
    await manager.settle(upload)

    class StalledShare:
        """The share stops answering, then the write fails (a full disk, a lost server)."""

        def __init__(self, inner):
            self.inner, self.go = inner, threading.Event()

        def write(self, data):
            assert self.go.wait(60)
            raise OSError("the share went away")

        def discard(self):
            self.inner.discard()

        def close(self):
            self.inner.close()

    upload.handle = stalled = StalledShare(upload.handle)
    try:
        reply = await raw_put(jp_fetch, "d", "late.bin", os.urandom(1024), chunk=2)
        # Answered while its write is still under way: the client sends the next chunk
        # meanwhile.
        assert reply.code == 200 and json.loads(reply.body)["size"] == 1024 * 1024 + 1024
        assert upload.pending is not None and not upload.pending.done()
        failed = upload.pending
        if order == "failure-first":
            stalled.go.set()
            await asyncio.wait([failed])
            third = asyncio.ensure_future(raw_put(jp_fetch, "d", "late.bin", b"more", chunk=3))
        else:
            third = asyncio.ensure_future(raw_put(jp_fetch, "d", "late.bin", b"more", chunk=3))
            # The third chunk has taken the stalled write over (it waits for it) ...
            deadline = time.monotonic() + 30
            while upload.pending is failed and not third.done():
                assert time.monotonic() < deadline, "the third chunk never waited for the write"
                await asyncio.sleep(0.01)
            # ... and only then does the write fail.
            stalled.go.set()
    finally:
        stalled.go.set()
    # The failure is not lost: the next chunk reports it, with what went wrong.
    with pytest.raises(HTTPClientError) as err:
        await third
    body = json.loads(err.value.response.body)
    assert (err.value.code, body["reason"]) == (502, "smb-error")
    assert body["message"] == "Writing late.bin failed (OSError)."
    # Reported once: the upload is over.
    with pytest.raises(HTTPClientError) as err:
        await raw_put(jp_fetch, "d", "late.bin", b"end", chunk=-1)
    assert json.loads(err.value.response.body)["reason"] == "upload-interrupted"
    assert "late.bin" not in manager.get("d").uploads
    # By the time the failure was reported, the upload's file was gone and the target was
    # as before: the first MiB, written and acknowledged, never replaced it.
    assert temporaries(root) == []
    if existing:
        assert (root / "late.bin").read_bytes() == old
    else:
        assert not (root / "late.bin").exists()
