"""Interrupted uploads, saves and copies through the REST API leave the target as it was.

The drive is connected through tests/cut_proxy.py, which drops the connection to Samba at
a chosen point of the transfer, with the share gone (new connections refused) until the
test brings it back. The reply must be an error (never a 500) and the target untouched;
once the share answers again, the next request leaves no temporary file behind.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import time

import nbformat
import pytest
from tornado.httpclient import HTTPClientError

from jupyterlab_atrium.netdrive import atomic

from .test_netdrive_api import API, call, contents, raw_put, temporaries

pytestmark = pytest.mark.timeout(300)

MiB = 1024 * 1024


@pytest.fixture
def jp_server_config(jp_server_config):
    jp_server_config["AtriumNetDrive"] = {"connect_timeout": 3.0}
    return jp_server_config


async def connect_through(jp_fetch, proxy, samba, folder: str) -> None:
    """Connect drive ``d`` to ``folder`` through ``proxy`` (or straight to Samba: None)."""
    port = samba.port if proxy is None else proxy.port
    body = {
        "share": f"smb://127.0.0.1:{port}/data/{folder}",
        "username": samba.user,
        "password": samba.password,
        "name": "d",
    }
    reply = await jp_fetch(*API, "drives", method="POST", body=json.dumps(body))
    assert reply.code == 201


async def failure_of(request) -> tuple[int, dict] | None:
    try:
        await request
    except HTTPClientError as err:
        assert err.code != 500, err.response.body
        return err.code, json.loads(err.response.body)
    return None


async def share_back(jp_fetch, proxy, root) -> None:
    """The share answers again: the drive's next request reconnects and cleans up."""
    proxy.refuse = False
    deadline = time.monotonic() + 30
    while True:
        # (The drive may report itself unreachable for a moment: any answer will do.)
        await failure_of(call(jp_fetch, *contents("d")))
        if not temporaries(root):
            return
        assert time.monotonic() < deadline, temporaries(root)
        await asyncio.sleep(0.1)


@pytest.mark.parametrize(
    "after", [0, 2 * MiB, 5 * MiB, 6 * MiB], ids=["open", "2M", "5M", "rename"]
)
async def test_raw_put_cut_keeps_the_old_file(jp_fetch, cut_proxy, samba, samba_folder, after):
    root = samba.share_path("data") / samba_folder
    old, new = os.urandom(4 * MiB + 1), os.urandom(6 * MiB)
    (root / "big.bin").write_bytes(old)
    samba.own(root / "big.bin")
    await connect_through(jp_fetch, cut_proxy, samba, samba_folder)
    cut_proxy.refuse = True
    cut_proxy.arm(after_bytes=after)
    failure = await failure_of(raw_put(jp_fetch, "d", "big.bin", new))
    assert cut_proxy.cut.is_set()
    assert failure is not None and failure[0] in (502, 503, 504), failure
    assert (root / "big.bin").read_bytes() == old
    await share_back(jp_fetch, cut_proxy, root)
    assert (root / "big.bin").read_bytes() == old
    # And the upload goes through once the share is back.
    await raw_put(jp_fetch, "d", "big.bin", new)
    assert (root / "big.bin").read_bytes() == new


async def test_raw_put_of_a_new_file_cut_leaves_nothing(jp_fetch, cut_proxy, samba, samba_folder):
    root = samba.share_path("data") / samba_folder
    await connect_through(jp_fetch, cut_proxy, samba, samba_folder)
    cut_proxy.refuse = True
    cut_proxy.arm(after_bytes=3 * MiB)
    failure = await failure_of(raw_put(jp_fetch, "d", "new.bin", os.urandom(8 * MiB)))
    assert failure is not None
    assert not (root / "new.bin").exists()
    await share_back(jp_fetch, cut_proxy, root)
    assert not (root / "new.bin").exists()


@pytest.mark.parametrize("cut_chunk", [1, 3, -1])
async def test_chunked_upload_cut_keeps_the_old_file(
    jp_fetch, cut_proxy, samba, samba_folder, cut_chunk
):
    """The drive browser's upload: 1 MiB parts. The part being written when the share goes
    fails, or the next one reports it; the old file survives either way."""
    root = samba.share_path("data") / samba_folder
    old = os.urandom(5 * MiB)
    (root / "up.bin").write_bytes(old)
    samba.own(root / "up.bin")
    await connect_through(jp_fetch, cut_proxy, samba, samba_folder)
    parts = [os.urandom(MiB) for _ in range(4)] + [b"tail"]
    numbers = [1, 2, 3, 4, -1]
    failed = False
    for number, part in zip(numbers, parts, strict=True):
        if number == cut_chunk:
            cut_proxy.refuse = True
            cut_proxy.arm(after_bytes=len(part) // 2)
        failure = await failure_of(raw_put(jp_fetch, "d", "up.bin", part, chunk=number))
        if failure is not None:
            assert failure[0] in (400, 502, 503, 504), failure
            failed = True
            break
        # The file being uploaded is not visible under its name before the last part.
        assert (root / "up.bin").read_bytes() == old
    assert failed
    assert (root / "up.bin").read_bytes() == old
    await share_back(jp_fetch, cut_proxy, root)
    assert (root / "up.bin").read_bytes() == old


async def test_contents_save_cut_at_every_step(jp_fetch, cut_proxy, samba, samba_folder):
    root = samba.share_path("data") / samba_folder
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell("x = 1", id="c1"))
    await connect_through(jp_fetch, cut_proxy, samba, samba_folder)
    await call(
        jp_fetch, *contents("d", "nb.ipynb"), method="PUT", body={"type": "notebook", "content": nb}
    )
    old = (root / "nb.ipynb").read_bytes()
    nb.cells.append(nbformat.v4.new_markdown_cell("y" * 3 * MiB, id="c2"))
    model = {"type": "notebook", "content": nb}
    cut_proxy.arm()
    await call(jp_fetch, *contents("d", "nb.ipynb"), method="PUT", body=model)
    cut_proxy.disarm()
    new, steps = (root / "nb.ipynb").read_bytes(), cut_proxy.frames
    assert steps >= 5
    for step in range(steps):
        (root / "nb.ipynb").write_bytes(old)
        cut_proxy.refuse = True
        cut_proxy.arm(after_frames=step)
        failure = await failure_of(
            call(jp_fetch, *contents("d", "nb.ipynb"), method="PUT", body=model)
        )
        content = (root / "nb.ipynb").read_bytes()
        if failure is None:
            assert content == new, step
        else:
            assert failure[0] in (502, 503, 504), (step, failure)
            assert content in (old, new), step
        await share_back(jp_fetch, cut_proxy, root)


async def test_copy_cut_at_every_step(jp_fetch, cut_proxy, samba, samba_folder):
    root = samba.share_path("data") / samba_folder
    source = os.urandom(3 * MiB)
    (root / "src.bin").write_bytes(source)
    samba.own(root)
    await connect_through(jp_fetch, cut_proxy, samba, samba_folder)
    body = {"from": "src.bin", "to": "dst.bin"}
    cut_proxy.arm()
    await call(jp_fetch, "drives", "d", "copy", method="POST", body=body)
    cut_proxy.disarm()
    steps = cut_proxy.frames
    for step in range(steps):
        (root / "dst.bin").unlink(missing_ok=True)
        cut_proxy.refuse = True
        cut_proxy.arm(after_frames=step)
        failure = await failure_of(call(jp_fetch, "drives", "d", "copy", method="POST", body=body))
        if failure is None:
            assert (root / "dst.bin").read_bytes() == source
        else:
            assert failure[0] in (502, 503, 504), (step, failure)
            assert not (root / "dst.bin").exists() or (root / "dst.bin").read_bytes() == source
        await share_back(jp_fetch, cut_proxy, root)


@pytest.mark.parametrize("allow_hidden", [False, True])
async def test_listings_hide_temporary_files_and_drop_stale_ones(
    jp_fetch, jp_serverapp, samba, samba_folder, allow_hidden
):
    jp_serverapp.contents_manager.allow_hidden = allow_hidden
    root = samba.share_path("data") / samba_folder
    (root / "sub").mkdir()
    (root / ".hidden").write_text("dot file")
    stale, fresh = atomic.new_name(), atomic.new_name()
    (root / "sub" / stale).write_bytes(b"left behind by a dead kernel")
    (root / "sub" / fresh).write_bytes(b"someone's upload")
    (root / "sub" / "real.txt").write_text("real")
    hour_ago = time.time() - atomic.STALE_AFTER.total_seconds() - 60
    os.utime(root / "sub" / stale, (hour_ago, hour_ago))
    samba.own(root)
    await connect_through(jp_fetch, None, samba, samba_folder)
    top = await call(jp_fetch, *contents("d"))
    assert sorted(i["name"] for i in top["content"]) == (
        [".hidden", "sub"] if allow_hidden else ["sub"]
    )
    listing = await call(jp_fetch, *contents("d", "sub"))
    assert [i["name"] for i in listing["content"]] == ["real.txt"]
    assert temporaries(root) == [fresh]


async def test_upload_replies_describe_the_file_before_it_is_in_place(
    jp_fetch, samba, samba_folder
):
    """Chunk replies name the target, though the bytes are still in a temporary file."""
    root = samba.share_path("data") / samba_folder
    await connect_through(jp_fetch, None, samba, samba_folder)
    first = json.loads(
        (
            await jp_fetch(
                *API,
                *contents("d", "nb.ipynb"),
                method="PUT",
                body=json.dumps(
                    {
                        "type": "file",
                        "format": "base64",
                        "chunk": 1,
                        "content": base64.b64encode(b"{}").decode(),
                    }
                ),
            )
        ).body
    )
    assert (first["name"], first["path"], first["type"], first["size"]) == (
        "nb.ipynb",
        "nb.ipynb",
        "notebook",
        2,
    )
    assert not (root / "nb.ipynb").exists()
    assert len(temporaries(root)) == 1
