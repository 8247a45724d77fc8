"""Contents calls aimed at a folder that does not exist: 404 naming the folder, nothing made.

``POST …/contents/{path}`` creates in the folder ``path`` (jupyter_server's ContentsHandler:
"the server always decides on the name"; ``copy_from`` copies into ``path``). Its own
``/api/contents`` answers 404 when that folder's parent is missing, but for a missing folder
in the root it saves the copy *as* that path; the drives answer 404 at any depth. A ``POST``
aimed at a file is 400, as in jupyter_server. Saves, uploads and new folders whose parent is
missing are 404 too, with a message that names the missing folder, not the file.
"""

from __future__ import annotations

import json

import pytest
from tornado.httpclient import HTTPClientError

from .test_netdrive_api import call, connect, contents, error, raw_put, temporaries

SOURCE = b"the source\n"


async def connected(jp_fetch, samba, samba_folder):
    """A connected drive ``d`` holding ``a.txt`` and an empty folder ``sub``; its root path."""
    root = samba.share_path("data") / samba_folder
    (root / "a.txt").write_bytes(SOURCE)
    (root / "sub").mkdir()
    samba.own(root)
    await connect(jp_fetch, samba, samba_folder, name="d")
    return root


def entries(root) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


BEFORE = ["a.txt", "sub"]


async def test_jupyter_servers_own_api_answers_404_for_a_missing_parent(jp_fetch, jp_root_dir):
    """The reference: a copy into a folder whose parent is missing is a 404 there."""
    (jp_root_dir / "a.txt").write_bytes(SOURCE)
    with pytest.raises(HTTPClientError) as err:
        await jp_fetch(
            "api",
            "contents",
            "nope",
            "missing",
            method="POST",
            body=json.dumps({"copy_from": "a.txt"}),
        )
    assert err.value.code == 404
    assert sorted(p.name for p in jp_root_dir.iterdir()) == ["a.txt"]


@pytest.mark.parametrize(
    "folder,missing",
    [("missing", "missing"), ("sub/missing", "sub/missing"), ("nope/missing", "nope/missing")],
)
async def test_copy_into_a_missing_folder_is_404_and_creates_nothing(
    jp_fetch, samba, samba_folder, folder, missing
):
    drive = await connected(jp_fetch, samba, samba_folder)
    code, body = await error(
        jp_fetch, *contents("d", folder), method="POST", body={"copy_from": "a.txt"}
    )
    assert (code, body["reason"]) == (404, "not-found")
    assert f"'{missing}'" in body["message"] and "folder" in body["message"]
    assert entries(drive) == BEFORE
    assert temporaries(drive) == []


async def test_copy_into_an_existing_folder_picks_the_name(jp_fetch, samba, samba_folder):
    drive = await connected(jp_fetch, samba, samba_folder)
    copied = await call(jp_fetch, *contents("d", "sub"), method="POST", body={"copy_from": "a.txt"})
    assert copied["path"] == "sub/a.txt"
    again = await call(jp_fetch, *contents("d", "sub"), method="POST", body={"copy_from": "a.txt"})
    assert again["path"] == "sub/a-Copy1.txt"
    assert (drive / "sub" / "a-Copy1.txt").read_bytes() == SOURCE


@pytest.mark.parametrize("body", [{"copy_from": "a.txt"}, {"type": "file"}, {}])
async def test_post_to_a_file_is_400_like_jupyter_server(jp_fetch, samba, samba_folder, body):
    drive = await connected(jp_fetch, samba, samba_folder)
    code, reply = await error(jp_fetch, *contents("d", "a.txt"), method="POST", body=body)
    assert (code, reply["reason"]) == (400, "bad-request")
    assert "PUT" in reply["message"]
    assert entries(drive) == BEFORE
    assert (drive / "a.txt").read_bytes() == SOURCE


@pytest.mark.parametrize("kind", ["file", "notebook", "directory"])
async def test_new_untitled_in_a_missing_folder_is_404(jp_fetch, samba, samba_folder, kind):
    drive = await connected(jp_fetch, samba, samba_folder)
    code, body = await error(jp_fetch, *contents("d", "nope"), method="POST", body={"type": kind})
    assert (code, body["reason"]) == (404, "not-found")
    assert "'nope'" in body["message"]
    assert entries(drive) == BEFORE


@pytest.mark.parametrize(
    "model",
    [
        {"type": "file", "format": "text", "content": "x"},
        {
            "type": "notebook",
            "content": {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5},
        },
        {"type": "directory"},
        {"type": "file", "format": "text", "content": "x", "chunk": 1},
    ],
    ids=["file", "notebook", "directory", "chunk"],
)
async def test_save_in_a_missing_folder_is_404_naming_the_folder(
    jp_fetch, samba, samba_folder, model
):
    drive = await connected(jp_fetch, samba, samba_folder)
    code, body = await error(jp_fetch, *contents("d", "nope/deeper/new"), method="PUT", body=model)
    assert (code, body["reason"]) == (404, "not-found")
    assert "folder 'nope/deeper'" in body["message"], body["message"]
    assert entries(drive) == BEFORE
    assert temporaries(drive) == []


@pytest.mark.parametrize("chunk", [None, 1])
async def test_raw_upload_to_a_missing_folder_is_404_naming_the_folder(
    jp_fetch, samba, samba_folder, chunk
):
    drive = await connected(jp_fetch, samba, samba_folder)
    with pytest.raises(HTTPClientError) as err:
        await raw_put(jp_fetch, "d", "nope/new.bin", b"bytes", chunk=chunk)
    body = json.loads(err.value.response.body)
    assert (err.value.code, body["reason"]) == (404, "not-found")
    assert "folder 'nope'" in body["message"], body["message"]
    assert entries(drive) == BEFORE


async def test_copy_endpoint_to_a_missing_folder_is_404(jp_fetch, samba, samba_folder):
    drive = await connected(jp_fetch, samba, samba_folder)
    code, body = await error(
        jp_fetch,
        "drives",
        "d",
        "copy",
        method="POST",
        body={"from": "a.txt", "to": "nope/b.txt"},
    )
    assert (code, body["reason"]) == (404, "not-found")
    assert "'nope'" in body["message"]
    assert entries(drive) == BEFORE
