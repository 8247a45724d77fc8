"""A file server that stops answering: bounded calls, 504 naming the drive, an immediate
disconnect, and the drive shown as unreachable until it answers again (issue 11).

The Samba server here is this module's own (other tests never see it paused): ``pause()``
freezes smbd and its per-client children with SIGSTOP, so connections stay open and nothing
answers, as with a hung NAS; the ``samba`` fixture below always resumes it.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import Iterator

import pytest
from tornado.httpclient import HTTPClientError

from jupyterlab_atrium.netdrive import broker
from jupyterlab_atrium.netdrive.errors import TimedOut
from jupyterlab_atrium.netdrive.fs import NetDriveFileSystem, NetDriveUnavailable
from jupyterlab_atrium.netdrive.smb import Credentials, ShareAddress, SMBClient

from .samba_fixtures import started_samba
from .samba_server import SambaServer

pytestmark = pytest.mark.timeout(240)

API = ("atrium", "api", "netdrive")
# Small, so that the tests are quick; not so small that a busy machine misses it.
REQUEST_TIMEOUT = 2.0
#: What a bounded call may take here with both cores busy: far less than a hung one
#: (which, unbounded, waits until the test's own timeout).
BOUND = 20.0
#: What "at once" may take with both cores busy (an unbounded disconnect took 10 s).
AT_ONCE = 4.0
NAME, DISPLAY = "dept", "Dept files"


@pytest.fixture(scope="module")
def own_samba() -> Iterator[SambaServer]:
    # Its own server: these tests pause it (SIGSTOP), which no other test may see.
    with started_samba("atrium-samba-hung-") as server:
        yield server


@pytest.fixture
def samba(own_samba: SambaServer) -> Iterator[SambaServer]:
    """This module's server, answering at the start of each test and after it."""
    own_samba.resume()
    yield own_samba
    own_samba.resume()


@pytest.fixture
def folder(samba_folder: str) -> str:
    # The shared fixture, on this module's own (pausable) server: `samba` is overridden here.
    return samba_folder


@pytest.fixture
def jp_server_config(jp_server_config):
    jp_server_config["AtriumNetDrive"] = {
        "connect_timeout": 5.0,
        "request_timeout": REQUEST_TIMEOUT,
        "probe_interval": 0.2,
    }
    return jp_server_config


async def bounded(awaitable, seconds: float = BOUND, what: str = "the call"):
    try:
        return await asyncio.wait_for(awaitable, seconds)
    except asyncio.TimeoutError:
        pytest.fail(f"{what} was still waiting after {seconds:g} s")


async def call(jp_fetch, *parts, method="GET", body=None, params=None, **kwargs):
    if isinstance(body, (dict, list)):
        body = json.dumps(body)
    reply = await jp_fetch(
        *API,
        *parts,
        method=method,
        body=body,
        params=params,
        allow_nonstandard_methods=True,
        **kwargs,
    )
    return json.loads(reply.body) if reply.body else None


async def error(jp_fetch, *parts, **kwargs) -> tuple[int, dict]:
    with pytest.raises(HTTPClientError) as err:
        await call(jp_fetch, *parts, **kwargs)
    return err.value.code, json.loads(err.value.response.body)


async def connect(jp_fetch, samba: SambaServer, folder: str) -> dict:
    return await call(
        jp_fetch,
        "drives",
        method="POST",
        body={
            "share": f"smb://127.0.0.1:{samba.port}/data/{folder}",
            "domain": "",
            "username": samba.user,
            "password": samba.password,
            "displayName": DISPLAY,
            "readOnly": False,
            "name": NAME,
        },
    )


def listing() -> tuple[str, ...]:
    return ("drives", NAME, "contents")


def raw(path: str) -> tuple[str, ...]:
    return ("raw", NAME, path)


async def wait_for_state(jp_fetch, state: str, seconds: float = BOUND) -> dict:
    deadline = time.monotonic() + seconds
    while True:
        info = await call(jp_fetch, "drives", NAME)
        if info["state"] == state:
            return info
        if time.monotonic() > deadline:
            pytest.fail(f"the drive stayed {info['state']!r}, never {state!r}")
        await asyncio.sleep(0.05)


def assert_names_the_drive(code: int, body: dict, status: int, reason: str) -> None:
    assert (code, body["reason"]) == (status, reason), body
    assert DISPLAY in body["message"], body


async def test_a_hung_server_answers_504_and_the_drive_is_unreachable_until_it_answers(
    jp_fetch, samba, folder
):
    await connect(jp_fetch, samba, folder)
    assert (await call(jp_fetch, *listing()))["content"] == []
    samba.pause()
    code, body = await bounded(error(jp_fetch, *listing()), what="a listing")
    assert_names_the_drive(code, body, 504, "timeout")
    info = await call(jp_fetch, "drives", NAME)
    assert info["state"] == "unreachable"
    assert DISPLAY in info["error"] or "answer" in info["error"]
    # Every listed drive says so too (what the panel shows).
    items = (await call(jp_fetch, "drives"))["items"]
    assert [d["state"] for d in items] == ["unreachable"]
    # Nothing uses the drive meanwhile: the server notices on its own that it answers again.
    samba.resume()
    info = await wait_for_state(jp_fetch, "connected")
    assert "error" not in info
    assert (await call(jp_fetch, *listing()))["content"] == []


async def test_an_upload_to_a_hung_server_ends_with_504(jp_fetch, samba, folder):
    await connect(jp_fetch, samba, folder)
    first = await call(
        jp_fetch, *raw("big.bin"), method="PUT", body=os.urandom(1 << 20), params={"chunk": "1"}
    )
    assert first["name"] == "big.bin"
    samba.pause()
    code, body = await bounded(
        error(
            jp_fetch,
            *raw("big.bin"),
            method="PUT",
            body=os.urandom(8 << 20),
            params={"chunk": "-1"},
        ),
        what="an upload",
    )
    assert_names_the_drive(code, body, 504, "timeout")
    samba.resume()
    await wait_for_state(jp_fetch, "connected")


async def test_disconnect_answers_at_once_and_abandons_what_is_in_flight(
    jp_fetch, jp_serverapp, samba, folder
):
    manager = jp_serverapp.web_app.settings["atrium_netdrive"]
    # Nothing here may end by a deadline: disconnect itself must end it.
    manager.config.request_timeout = 60.0
    await connect(jp_fetch, samba, folder)
    await call(jp_fetch, *raw("up.bin"), method="PUT", body=b"x" * 1024, params={"chunk": "1"})
    drive = manager.get(NAME)
    samba.pause()
    # More than the drive's worker threads: some run, the rest wait in its queue.
    count = manager.config.worker_threads + 3
    requests = [asyncio.ensure_future(error(jp_fetch, *listing())) for _ in range(count)]
    requests.append(
        asyncio.ensure_future(
            error(
                jp_fetch,
                *raw("up.bin"),
                method="PUT",
                body=os.urandom(4 << 20),
                params={"chunk": "-1"},
            )
        )
    )
    deadline = time.monotonic() + BOUND
    while drive.busy < len(requests):
        assert time.monotonic() < deadline, f"only {drive.busy} calls reached the drive"
        await asyncio.sleep(0.02)

    started = time.monotonic()
    info = await bounded(
        call(jp_fetch, "drives", NAME, "disconnect", method="POST", body={}),
        what="disconnect",
    )
    took = time.monotonic() - started
    assert info["state"] == "disconnected"
    assert took < AT_ONCE, f"disconnect took {took:.1f} s"
    for code, body in await bounded(asyncio.gather(*requests), AT_ONCE, "abandoned requests"):
        assert_names_the_drive(code, body, 503, "disconnected")
    assert drive.busy == 0


async def test_kernel_calls_on_a_hung_server_are_bounded(jp_fetch, jp_serverapp, samba, folder):
    """What a kernel does through netdrive:// has the same deadlines as the server's calls."""
    await connect(jp_fetch, samba, folder)
    NetDriveFileSystem.clear_instance_cache()
    # This process is the kernel: its Jupyter server (the broker) runs on this event loop,
    # so the blocking fsspec calls run in a thread.
    fs = NetDriveFileSystem(
        broker_pid=os.getpid(), runtime_dir=jp_serverapp.runtime_dir, skip_instance_cache=True
    )
    assert broker.broker_file_path(jp_serverapp.runtime_dir, os.getpid()).exists()
    try:
        assert await asyncio.to_thread(fs.ls, NAME, detail=False) == []
        samba.pause()
        started = time.monotonic()
        with pytest.raises(NetDriveUnavailable) as err:
            await bounded(asyncio.to_thread(fs.ls, NAME), what="a kernel's listing")
        assert "did not answer" in str(err.value)
        assert time.monotonic() - started < BOUND
        samba.resume()
        await bounded(asyncio.to_thread(fs.pipe_file, f"{NAME}/back.txt", b"ok"))
        assert (samba.share_path("data") / folder / "back.txt").read_bytes() == b"ok"
    finally:
        samba.resume()
        await asyncio.to_thread(fs.close_drives)


def test_a_write_the_server_stops_reading_fails_at_the_deadline(samba, folder):
    """An open file (a kernel's, an upload's) whose server stops reading: the sends that
    fill the socket buffers, and the waits for answers, end at the deadline."""
    client = SMBClient(
        ShareAddress("127.0.0.1", "data", folder, samba.port),
        Credentials(samba.user, samba.password),
        timeout=5.0,
        request_timeout=REQUEST_TIMEOUT,
    )
    client.connect()
    block = os.urandom(1 << 20)
    try:
        handle = client.open_write("big.bin")
        handle.write(block)
        samba.pause()
        started = time.monotonic()
        with pytest.raises(TimedOut, match="did not answer"):
            for _ in range(64):
                handle.write(block)
            handle.flush()
        assert time.monotonic() - started < BOUND
        # Everything else on the cut connection fails at once, not after its own deadline.
        started = time.monotonic()
        with pytest.raises(TimedOut):
            handle.close()
        assert time.monotonic() - started < AT_ONCE
    finally:
        samba.resume()
        client.close()
