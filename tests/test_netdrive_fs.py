"""``netdrive://`` (fsspec) against real Samba, with a stub credential broker.

The stub is a tiny tornado server speaking the kernel-credentials contract; the broker file,
its discovery through JPY_PARENT_PID and the SMB traffic are the real ones. The last test runs
real kernel code against the real server extension (its broker file and endpoint).
"""

from __future__ import annotations

import asyncio
import csv
import hashlib
import io
import json
import os
import stat
import threading

import fsspec
import pytest
import tornado.httpserver
import tornado.web

from jupyterlab_atrium.netdrive import broker
from jupyterlab_atrium.netdrive.fs import NetDriveFileSystem, NetDriveUnavailable

from .samba_server import free_port

pytestmark = pytest.mark.timeout(120)

FAKE_SERVER_PID = 424242


class StubBroker:
    """POST /atrium/api/netdrive/kernel-credentials, answering from ``drives``."""

    def __init__(self, drives: dict[str, dict]) -> None:
        self.drives = drives
        self.token = broker.new_broker_token()
        self.port = free_port()
        self.requests: list[dict] = []
        self.url = f"http://127.0.0.1:{self.port}/"
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        stub = self

        class Handler(tornado.web.RequestHandler):
            def post(self) -> None:
                header = self.request.headers.get("Authorization")
                stub.requests.append({"authorization": header, "uri": self.request.uri})
                if not broker.check_broker_token(header, stub.token):
                    self.set_status(403)
                    self.finish(
                        {"message": "A valid broker token is required.", "reason": "forbidden"}
                    )
                    return
                name = json.loads(self.request.body)["name"]
                if name not in stub.drives:
                    self.set_status(404)
                    self.finish({"message": f"No drive named {name}.", "reason": "not-found"})
                    return
                self.finish(stub.drives[name])

        async def main() -> None:
            app = tornado.web.Application([(r"/atrium/api/netdrive/kernel-credentials", Handler)])
            server = tornado.httpserver.HTTPServer(app)
            server.listen(self.port, "127.0.0.1")
            self._loop = asyncio.get_running_loop()
            self._stop = asyncio.Event()
            self._ready.set()
            await self._stop.wait()
            server.stop()

        asyncio.run(main())

    def start(self) -> None:
        self._thread.start()
        self._ready.wait(10)

    def stop(self) -> None:
        if self._loop:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(5)


def samba_drive(samba, folder: str, share: str = "data", **extra) -> dict:
    return {
        "server": "127.0.0.1",
        "port": samba.port,
        "share": share,
        "folder": folder,
        "username": samba.user,
        "domain": "",
        "password": samba.password,
        "encrypt": False,
        **extra,
    }


@pytest.fixture
def stub_broker(samba, samba_folder, tmp_path, monkeypatch):
    NetDriveFileSystem.clear_instance_cache()
    stub = StubBroker(
        {
            "dept": samba_drive(samba, samba_folder),
            "secret": samba_drive(samba, "", share="secret", encrypt=True),
            "ro": samba_drive(samba, "", share="readonly"),
            "dept-ro": samba_drive(samba, samba_folder, readOnly=True),
        }
    )
    stub.start()
    runtime = tmp_path / "runtime"
    broker.write_broker_file(runtime, FAKE_SERVER_PID, stub.url, stub.token)
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(runtime))
    monkeypatch.setenv("JPY_PARENT_PID", str(FAKE_SERVER_PID))
    stub.runtime = runtime
    stub.folder = samba.share_path("data") / samba_folder
    yield stub
    for fs in list(NetDriveFileSystem._cache.values()):
        fs.close_drives()
    NetDriveFileSystem.clear_instance_cache()
    stub.stop()


def test_protocol_is_registered_through_the_entry_point():
    assert fsspec.get_filesystem_class("netdrive") is NetDriveFileSystem


def test_read_csv_and_write_results_back(stub_broker):
    (stub_broker.folder / "raw.csv").write_text("patient,value\nA,1\nB,2\n")
    with fsspec.open("netdrive://dept/raw.csv", "rt", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows == [{"patient": "A", "value": "1"}, {"patient": "B", "value": "2"}]

    fs = fsspec.filesystem("netdrive")
    fs.makedirs("dept/results/2026", exist_ok=True)
    with fsspec.open("netdrive://dept/results/2026/summary.csv", "wt", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["patient", "double"])
        for row in rows:
            writer.writerow([row["patient"], int(row["value"]) * 2])
    written = (stub_broker.folder / "results" / "2026" / "summary.csv").read_bytes()
    assert written == b"patient,double\r\nA,2\r\nB,4\r\n"

    # One credentials request for the drive, authenticated with the broker token, token not
    # in the URL.
    assert len(stub_broker.requests) == 1
    assert stub_broker.requests[0]["authorization"] == f"atrium-broker {stub_broker.token}"
    assert stub_broker.token not in stub_broker.requests[0]["uri"]


def test_listing_info_and_file_operations(stub_broker, samba):
    folder = stub_broker.folder
    (folder / "sub").mkdir()
    (folder / "a.txt").write_bytes(b"aaa")
    (folder / "sub" / "b.txt").write_bytes(b"bb")
    samba.own(folder)
    fs = fsspec.filesystem("netdrive")

    listing = fs.ls("netdrive://dept", detail=True)
    assert [(e["name"], e["type"], e["size"]) for e in listing] == [
        ("dept/a.txt", "file", 3),
        ("dept/sub", "directory", 0),
    ]
    assert fs.ls("dept/sub", detail=False) == ["dept/sub/b.txt"]
    assert fs.info("dept")["type"] == "directory"
    assert fs.info("netdrive://dept/a.txt")["size"] == 3
    assert fs.exists("dept/a.txt") and not fs.exists("dept/nope.txt")
    assert fs.cat("dept/sub/b.txt") == b"bb"

    fs.pipe("dept/new.bin", b"\x00\x01")
    assert (folder / "new.bin").read_bytes() == b"\x00\x01"
    fs.mv("dept/new.bin", "dept/sub/moved.bin")
    assert (folder / "sub" / "moved.bin").exists() and not (folder / "new.bin").exists()
    fs.cp_file("dept/a.txt", "dept/a-copy.txt")
    assert (folder / "a-copy.txt").read_bytes() == b"aaa"
    fs.mkdir("dept/made")
    assert (folder / "made").is_dir()
    fs.rm("dept/a-copy.txt")
    assert not (folder / "a-copy.txt").exists()
    with pytest.raises(OSError):
        fs.rm("dept/sub")  # not empty, not recursive
    fs.rm("dept/sub", recursive=True)
    assert not (folder / "sub").exists()

    with pytest.raises(FileNotFoundError):
        fs.open("dept/missing.csv", "rb")
    with pytest.raises(FileNotFoundError):
        fs.ls("dept/missing")
    with pytest.raises(OSError):
        fs.open("dept/../escape.txt", "rb")
    with pytest.raises(PermissionError):
        fs.pipe("ro/denied.txt", b"x")
    # A drive connected read-only in JupyterLab is read-only for kernels too.
    assert fs.cat("dept-ro/a.txt") == b"aaa"
    with pytest.raises(PermissionError, match="read-only"):
        fs.pipe("dept-ro/new.txt", b"x")
    with pytest.raises(PermissionError, match="read-only"):
        fs.rm("dept-ro/a.txt")
    assert (folder / "a.txt").exists()


def test_large_file_streams_both_ways(stub_broker, write_path):
    data = os.urandom(64 * 1024 * 1024)
    with fsspec.open("netdrive://dept/big.bin", "wb") as out:
        for offset in range(0, len(data), 4 << 20):
            out.write(data[offset : offset + (4 << 20)])
    assert (stub_broker.folder / "big.bin").stat().st_size == len(data)
    sha = hashlib.sha256()
    with fsspec.open("netdrive://dept/big.bin", "rb") as handle:
        while chunk := handle.read(8 << 20):
            sha.update(chunk)
    assert sha.hexdigest() == hashlib.sha256(data).hexdigest()


def test_encrypted_share_through_the_protocol(stub_broker):
    fs = fsspec.filesystem("netdrive")
    fs.pipe("secret/fs-probe.txt", b"hidden")
    assert fs.cat("secret/fs-probe.txt") == b"hidden"
    assert fs._clients["secret"].encrypted
    fs.rm("secret/fs-probe.txt")


def test_unknown_drive_is_file_not_found(stub_broker):
    with pytest.raises(FileNotFoundError, match="No network drive named 'nope'"):
        fsspec.filesystem("netdrive").ls("nope")


def test_wrong_token_is_refused(stub_broker):
    broker.write_broker_file(stub_broker.runtime, FAKE_SERVER_PID, stub_broker.url, "forged")
    with pytest.raises(NetDriveUnavailable, match="403"):
        fsspec.filesystem("netdrive").ls("dept")


def test_missing_or_unsafe_broker_file_is_refused(stub_broker, monkeypatch):
    monkeypatch.setenv("JPY_PARENT_PID", "1")  # no broker file for that pid
    with pytest.raises(NetDriveUnavailable, match="No Atrium server found"):
        NetDriveFileSystem(skip_instance_cache=True).ls("dept")
    monkeypatch.setenv("JPY_PARENT_PID", str(FAKE_SERVER_PID))
    path = broker.broker_file_path(stub_broker.runtime, FAKE_SERVER_PID)
    path.chmod(0o644)
    with pytest.raises(NetDriveUnavailable, match="readable by others"):
        NetDriveFileSystem(skip_instance_cache=True).ls("dept")
    assert stub_broker.requests == []


def test_password_stays_in_memory(stub_broker, samba):
    fs = fsspec.filesystem("netdrive")
    fs.ls("dept")
    assert samba.password not in repr(fs)
    assert samba.password not in os.environ.values()
    for path in stub_broker.runtime.rglob("*"):
        assert samba.password not in path.read_text()


def test_broker_file_is_private_and_removable(tmp_path):
    path = broker.write_broker_file(tmp_path / "rt", 1234, "http://127.0.0.1:9/base", "tok")
    assert path.name == "atrium-netdrive-1234.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert broker.read_broker_file(tmp_path / "rt", "1234") == ("http://127.0.0.1:9/base/", "tok")
    broker.remove_broker_file(tmp_path / "rt", 1234)
    assert not path.exists()
    broker.remove_broker_file(tmp_path / "rt", 1234)  # idempotent


@pytest.mark.parametrize(
    ("header", "ok"),
    [
        ("atrium-broker right-token", True),
        ("Atrium-Broker right-token", True),
        ("atrium-broker wrong-token", False),
        ("Bearer right-token", False),
        ("token right-token", False),
        ("atrium-broker ", False),
        ("", False),
        (None, False),
    ],
)
def test_check_broker_token(header, ok):
    assert broker.check_broker_token(header, "right-token") is ok
    assert broker.check_broker_token(header, "") is False
    assert broker.check_broker_token(header, None) is False


def test_io_buffer_is_a_real_stream(stub_broker):
    (stub_broker.folder / "lines.txt").write_text("one\ntwo\n")
    with fsspec.open("netdrive://dept/lines.txt", "rb") as handle:
        assert isinstance(handle, io.IOBase)
        assert handle.readline() == b"one\n"
        handle.seek(0)
        assert handle.read() == b"one\ntwo\n"


# -- end to end: a real kernel started by a real Jupyter server with Atrium ----------------------

KERNEL_CODE = """
import csv, json, importlib.util
import fsspec
with fsspec.open("netdrive://proj/raw.csv", "rt", newline="") as handle:
    rows = list(csv.DictReader(handle))
if importlib.util.find_spec("pandas"):
    import pandas as pd
    assert pd.read_csv("netdrive://proj/raw.csv")["value"].sum() == 3
with fsspec.open("netdrive://proj/out/total.csv", "wt", newline="") as handle:
    handle.write("total\\n%d\\n" % sum(int(r["value"]) for r in rows))
print("ROWS=" + json.dumps(rows))
"""


async def test_kernel_code_reads_and_writes_a_connected_drive(
    jp_fetch, jp_serverapp, jp_runtime_dir, samba, samba_folder
):
    import json as _json

    broker_file = broker.broker_file_path(jp_serverapp.runtime_dir, os.getpid())
    # The server extension writes it at start-up; a missing file is a regression, not a skip.
    assert broker_file.exists()
    assert stat.S_IMODE(broker_file.stat().st_mode) == 0o600
    folder = samba.share_path("data") / samba_folder
    (folder / "raw.csv").write_text("patient,value\nA,1\nB,2\n")
    (folder / "out").mkdir()
    samba.own(folder)
    body = {
        "share": f"smb://127.0.0.1:{samba.port}/data/{samba_folder}",
        "domain": "",
        "username": samba.user,
        "password": samba.password,
        "displayName": "Project",
        "readOnly": False,
        "name": "proj",
    }
    reply = await jp_fetch(
        "atrium", "api", "netdrive", "drives", method="POST", body=_json.dumps(body)
    )
    assert reply.code == 201

    kernels = jp_serverapp.kernel_manager
    kernel_id = await kernels.start_kernel(kernel_name="python3")
    manager = kernels.get_kernel(kernel_id)
    client = manager.client()
    client.start_channels()
    outputs: list[str] = []
    try:
        await client.wait_for_ready(timeout=90)

        def hook(msg):
            if msg["msg_type"] == "stream":
                outputs.append(msg["content"]["text"])
            elif msg["msg_type"] == "error":
                outputs.append("\n".join(msg["content"]["traceback"]))

        reply = await client.execute_interactive(KERNEL_CODE, output_hook=hook, timeout=90)
        assert reply["content"]["status"] == "ok", "".join(outputs)
        # The kernel never saw the password in its environment or command line.
        pid = manager.provisioner.process.pid
        for name in ("environ", "cmdline"):
            assert samba.password.encode() not in open(f"/proc/{pid}/{name}", "rb").read()
    finally:
        client.stop_channels()
        await kernels.shutdown_kernel(kernel_id, now=True)
    text = "".join(outputs)
    assert 'ROWS=[{"patient": "A", "value": "1"}, {"patient": "B", "value": "2"}]' in text
    assert (folder / "out" / "total.csv").read_bytes() == b"total\n3\n"
