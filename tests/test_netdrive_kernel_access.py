"""Disconnect and forget end a kernel's access to the drive at once, and the kernel says why.

A real kernel, started by the real Jupyter server with Atrium, uses ``netdrive://`` (its
broker file, credentials endpoint and the SMB traffic to the real Samba server are all the
real ones); the drive is disconnected, reconnected and forgotten through the REST API in
between its cells.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.timeout(240)

API = ("atrium", "api", "netdrive")
ROOT = str(Path(__file__).resolve().parent.parent)
PYTHONPATH = os.environ.get("PYTHONPATH", "")

SETUP = """
import fsspec
fs = fsspec.filesystem("netdrive")

def attempt(label, fn):
    try:
        fn()
    except Exception as err:
        print(f"{label}|{type(err).__name__}|{err}")
    else:
        print(f"{label}|ok|")

attempt("ls", lambda: fs.ls("proj"))
attempt("write", lambda: fs.pipe_file("proj/before.txt", b"before"))
held = fs.open("proj/held.bin", "wb")
attempt("held", lambda: held.write(b"x" * 10))
reader = fs.open("proj/before.txt", "rb", block_size=1)
"""

AFTER = """
attempt("ls", lambda: fs.ls("proj"))
attempt("write", lambda: fs.pipe_file("proj/after.txt", b"after"))
attempt("held", lambda: (held.write(b"y" * (2 << 20)), held.flush()))
attempt("read", lambda: reader.read())
attempt("fresh", lambda: fsspec.filesystem("netdrive", skip_instance_cache=True).ls("proj"))
"""

AGAIN = """
attempt("ls", lambda: fs.ls("proj"))
attempt("write", lambda: fs.pipe_file("proj/again.txt", b"again"))
"""

FORGOTTEN = """
attempt("ls", lambda: fs.ls("proj"))
attempt("write", lambda: fs.pipe_file("proj/forgotten.txt", b"forgotten"))
"""


async def api(jp_fetch, *parts, method="GET", body=None):
    reply = await jp_fetch(
        *API,
        *parts,
        method=method,
        body=None if body is None else json.dumps(body),
        allow_nonstandard_methods=True,
    )
    return json.loads(reply.body) if reply.body else None


class Kernel:
    def __init__(self, client) -> None:
        self.client = client

    async def run(self, code: str) -> dict[str, tuple[str, str]]:
        """Run ``code``; the ``label|exception|message`` lines it printed, by label."""
        outputs: list[str] = []

        def hook(msg):
            if msg["msg_type"] == "stream":
                outputs.append(msg["content"]["text"])
            elif msg["msg_type"] == "error":
                outputs.append("\n".join(msg["content"]["traceback"]))

        reply = await self.client.execute_interactive(code, output_hook=hook, timeout=90)
        text = "".join(outputs)
        assert reply["content"]["status"] == "ok", text
        results = {}
        for line in text.splitlines():
            label, _, rest = line.partition("|")
            kind, _, message = rest.partition("|")
            results[label] = (kind, message)
        return results


@contextlib.asynccontextmanager
async def started_kernel(jp_serverapp):
    kernels = jp_serverapp.kernel_manager
    # The kernel runs this source tree's netdrive:// (like the server under test), not an
    # older installed copy.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [ROOT, PYTHONPATH]))}
    kernel_id = await kernels.start_kernel(kernel_name="python3", env=env)
    client = kernels.get_kernel(kernel_id).client()
    # Unix sockets (conftest.py): a TCP port taken by another process kills the kernel.
    assert client.transport == "ipc"
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=90)
        yield Kernel(client)
    finally:
        client.stop_channels()
        await kernels.shutdown_kernel(kernel_id, now=True)


def assert_refused(results: dict[str, tuple[str, str]], *labels: str) -> None:
    for label in labels:
        kind, message = results[label]
        assert kind != "ok", f"{label}: the kernel still reached the drive"
        assert "'proj'" in message, f"{label}: {kind}: {message}"
        assert re.search(r"\b(disconnected|not connected)\b", message), f"{label}: {message}"


async def test_disconnect_and_forget_end_a_kernels_access(
    jp_fetch, jp_serverapp, samba, samba_folder
):
    async with started_kernel(jp_serverapp) as kernel:
        folder = samba.share_path("data") / samba_folder
        connect = {
            "share": f"smb://127.0.0.1:{samba.port}/data/{samba_folder}",
            "domain": "",
            "username": samba.user,
            "password": samba.password,
            "displayName": "Project",
            "readOnly": False,
            "name": "proj",
        }
        await api(jp_fetch, "drives", method="POST", body=connect)
        before = await kernel.run(SETUP)
        assert all(kind == "ok" for kind, _ in before.values()), before
        assert (folder / "before.txt").read_bytes() == b"before"

        await api(jp_fetch, "drives", "proj", "disconnect", method="POST", body={})
        after = await kernel.run(AFTER)
        assert_refused(after, "ls", "write", "held", "read", "fresh")
        # What the kernel was using says that the drive was disconnected, not just "not there".
        for label in ("ls", "write", "held", "read"):
            assert "disconnected" in after[label][1], (label, after)
        assert not (folder / "after.txt").exists()
        assert b"y" not in b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())

        # Connected again: the same kernel gets in again, with nothing to do on its side.
        await api(
            jp_fetch, "drives", "proj", "connect", method="POST", body={"password": samba.password}
        )
        again = await kernel.run(AGAIN)
        assert all(kind == "ok" for kind, _ in again.values()), again
        assert (folder / "again.txt").read_bytes() == b"again"

        # Forgotten (removed): refused as well.
        await api(jp_fetch, "drives", "proj", method="DELETE")
        forgotten = await kernel.run(FORGOTTEN)
        assert_refused(forgotten, "ls", "write")
        assert not (folder / "forgotten.txt").exists()
