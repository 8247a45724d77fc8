"""Network-drive I/O: Atrium's SMB layer against smbclient and fsspec's own ``smb://``.

One run, one throwaway Samba server (tests/samba_server.py, loopback, needs root and Debian's
samba + smbclient), one share. Measured, median of N runs each:

  list a folder of 1,000 files
    atrium          SMBClient.list on a connected drive (what the contents API calls)
    atrium-cold     connect + list + close (a new SMBClient each time)
    smbclient       `smbclient //127.0.0.1/data -p PORT -A AUTHFILE -c 'ls list/*'`
                    (a new process: start-up, connect, list; AUTHFILE is 0600)
    fsspec-smb      fsspec.filesystem("smb", ...).ls(folder, detail=True) (stats every entry;
                    the engine behind jupyter-fs), on a registered session

  read and write a 64 MiB file
    netdrive        fsspec.open("netdrive://bench/big.bin") (jupyterlab_atrium/netdrive/fs.py,
                    credentials from a stub broker, as in a kernel), 8 MiB chunks
    fsspec-smb      fsspec.filesystem("smb").open(...) read()/write()
    smbclient       `smbclient ... -c 'get big.bin LOCAL'` / `put` (new process each time)
    smbclient-e     the same with `--client-protection=encrypt` (SMB3 encryption, which
                    Atrium uses whenever the server offers it; plain smbclient does not)

Targets (issue 5): list ≤ 2x smbclient and ≥ 10x faster than fsspec-smb; 64 MiB read and
write ≥ fsspec-smb and ≥ 1/3 of smbclient's throughput.

    .venv/bin/python bench/netdrive_io.py          # N = 5
    .venv/bin/python bench/netdrive_io.py 9        # N = 9
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import fsspec  # noqa: E402
import tornado.httpserver  # noqa: E402
import tornado.web  # noqa: E402

from jupyterlab_atrium.netdrive import broker  # noqa: E402
from jupyterlab_atrium.netdrive.fs import NetDriveFileSystem  # noqa: E402
from jupyterlab_atrium.netdrive.smb import Credentials, ShareAddress, SMBClient  # noqa: E402
from tests.samba_server import SambaServer, free_port, unavailable_reason  # noqa: E402

SIZE = 64 * 1024 * 1024
ENTRIES = 1000


def median_time(fn: Callable[[], object], runs: int, setup: Callable[[], object] | None = None):
    samples = []
    for _ in range(runs):
        if setup:
            setup()
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    print(f"  {getattr(fn, '__name__', 'step')}: {[round(x, 3) for x in samples]}", file=sys.stderr)
    return statistics.median(samples), samples


def start_stub_broker(creds: dict) -> tuple[str, str, Callable[[], None]]:
    token = broker.new_broker_token()
    port = free_port()
    ready = threading.Event()
    holder: dict = {}

    class Handler(tornado.web.RequestHandler):
        def post(self) -> None:
            if not broker.check_broker_token(self.request.headers.get("Authorization"), token):
                self.set_status(403)
                self.finish({})
                return
            self.finish(creds)

    def serve() -> None:
        async def main() -> None:
            server = tornado.httpserver.HTTPServer(
                tornado.web.Application([(r"/atrium/api/netdrive/kernel-credentials", Handler)])
            )
            server.listen(port, "127.0.0.1")
            holder["loop"] = asyncio.get_running_loop()
            holder["stop"] = asyncio.Event()
            ready.set()
            await holder["stop"].wait()
            server.stop()

        asyncio.run(main())

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    ready.wait(10)

    def stop() -> None:
        holder["loop"].call_soon_threadsafe(holder["stop"].set)
        thread.join(5)

    return f"http://127.0.0.1:{port}/", token, stop


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    reason = unavailable_reason()
    if reason:
        sys.exit(f"cannot run: {reason}")
    tmp = Path(tempfile.mkdtemp(prefix="atrium-bench-"))
    samba = SambaServer(tmp / "samba")
    samba.start()
    try:
        run(samba, tmp, runs)
    finally:
        samba.stop()
        subprocess.run(["rm", "-rf", str(tmp)], check=False)


def run(samba: SambaServer, tmp: Path, runs: int) -> None:
    data_dir = samba.share_path("data")
    (data_dir / "list").mkdir()
    for i in range(ENTRIES):
        (data_dir / "list" / f"file-{i:04d}.csv").write_bytes(b"x" * (i % 100))
    payload = os.urandom(SIZE)
    (data_dir / "big.bin").write_bytes(payload)
    samba.own(data_dir)
    auth = tmp / "auth"
    fd = os.open(auth, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(f"username = {samba.user}\npassword = {samba.password}\ndomain = WORKGROUP\n")
    local = tmp / "local.bin"
    local.write_bytes(payload)
    smbclient_base = ["smbclient", "//127.0.0.1/data", "-p", str(samba.port), "-A", str(auth)]

    def smbclient(command: str, *extra: str) -> None:
        subprocess.run([*smbclient_base, *extra, "-c", command], check=True, capture_output=True)

    address = ShareAddress("127.0.0.1", "data", port=samba.port)
    creds = Credentials(samba.user, samba.password)
    client = SMBClient(address, creds)
    client.connect()
    assert len(client.list("list")) == ENTRIES

    def cold_list() -> None:
        c = SMBClient(address, creds)
        c.connect()
        c.list("list")
        c.close()

    smb_fs = fsspec.filesystem(
        "smb", host="127.0.0.1", port=samba.port, username=samba.user, password=samba.password
    )
    assert len(smb_fs.ls("/data/list", detail=True)) == ENTRIES

    results: dict[str, dict[str, float]] = {"list": {}, "read": {}, "write": {}}
    results["list"]["atrium"] = median_time(lambda: client.list("list"), runs)[0]
    results["list"]["atrium-cold"] = median_time(cold_list, runs)[0]
    results["list"]["smbclient"] = median_time(lambda: smbclient("ls list/*"), runs)[0]
    results["list"]["fsspec-smb"] = median_time(
        lambda: smb_fs.ls("/data/list", detail=True), max(1, min(runs, 3))
    )[0]

    # netdrive:// as a kernel uses it: broker file found through JPY_PARENT_PID.
    url, token, stop_broker = start_stub_broker(
        {
            "server": "127.0.0.1",
            "port": samba.port,
            "share": "data",
            "folder": "",
            "username": samba.user,
            "domain": "",
            "password": samba.password,
            "encrypt": False,
        }
    )
    runtime = tmp / "runtime"
    broker.write_broker_file(runtime, 999999, url, token)
    os.environ["JUPYTER_RUNTIME_DIR"] = str(runtime)
    os.environ["JPY_PARENT_PID"] = "999999"
    netfs = fsspec.filesystem("netdrive")
    assert isinstance(netfs, NetDriveFileSystem)
    netfs.ls("bench")  # fetch credentials, connect

    def nd_read() -> None:
        total = 0
        with fsspec.open("netdrive://bench/big.bin", "rb") as handle:
            while chunk := handle.read(8 << 20):
                total += len(chunk)
        assert total == SIZE

    def nd_write() -> None:
        with fsspec.open("netdrive://bench/nd-out.bin", "wb") as handle:
            for offset in range(0, SIZE, 8 << 20):
                handle.write(payload[offset : offset + (8 << 20)])

    def fs_read() -> None:
        with smb_fs.open("/data/big.bin", "rb") as handle:
            assert len(handle.read()) == SIZE

    def fs_write() -> None:
        with smb_fs.open("/data/fs-out.bin", "wb") as handle:
            handle.write(payload)

    got = tmp / "got.bin"
    results["read"]["netdrive"] = median_time(nd_read, runs)[0]
    results["read"]["fsspec-smb"] = median_time(fs_read, runs)[0]
    results["read"]["smbclient"] = median_time(lambda: smbclient(f"get big.bin {got}"), runs)[0]
    results["read"]["smbclient-e"] = median_time(
        lambda: smbclient(f"get big.bin {got}", "--client-protection=encrypt"), runs
    )[0]
    results["write"]["netdrive"] = median_time(nd_write, runs)[0]
    results["write"]["fsspec-smb"] = median_time(fs_write, runs)[0]
    results["write"]["smbclient"] = median_time(lambda: smbclient(f"put {local} sc-out.bin"), runs)[
        0
    ]
    results["write"]["smbclient-e"] = median_time(
        lambda: smbclient(f"put {local} sc-out.bin", "--client-protection=encrypt"), runs
    )[0]
    assert (data_dir / "nd-out.bin").read_bytes() == payload
    netfs.close_drives()
    stop_broker()
    client.close()

    print(f"netdrive I/O, median of {runs} (fsspec-smb list: {max(1, min(runs, 3))})")
    print(f"{platform.node()} · {os.cpu_count()} CPUs · Python {platform.python_version()}")
    print(f"Samba {subprocess.run(['smbd', '-V'], capture_output=True, text=True).stdout.strip()}")
    print(f"  list {ENTRIES} entries")
    for name, value in results["list"].items():
        print(f"    {name:<14} {value * 1000:9.1f} ms")
    for op in ("read", "write"):
        print(f"  {op} 64 MiB")
        for name, value in results[op].items():
            print(f"    {name:<14} {value * 1000:9.1f} ms  {SIZE / value / 1e6:8.1f} MB/s")
    lst, rd, wr = results["list"], results["read"], results["write"]
    checks = [
        ("list: atrium / smbclient (≤ 2)", lst["atrium"] / lst["smbclient"], lambda r: r <= 2),
        (
            "list: atrium-cold / smbclient (≤ 2)",
            lst["atrium-cold"] / lst["smbclient"],
            lambda r: r <= 2,
        ),
        ("list: fsspec-smb / atrium (≥ 10)", lst["fsspec-smb"] / lst["atrium"], lambda r: r >= 10),
    ]
    for op, d in (("read", rd), ("write", wr)):
        speed = {k: SIZE / v for k, v in d.items()}
        checks += [
            (
                f"{op}: netdrive / fsspec-smb throughput (≥ 1)",
                speed["netdrive"] / speed["fsspec-smb"],
                lambda r: r >= 1,
            ),
            (
                f"{op}: netdrive / smbclient throughput (≥ 0.33)",
                speed["netdrive"] / speed["smbclient"],
                lambda r: r >= 1 / 3,
            ),
            (
                f"{op}: netdrive / smbclient-e throughput",
                speed["netdrive"] / speed["smbclient-e"],
                lambda r: True,
            ),
        ]
    print("  ratios")
    for label, ratio, ok in checks:
        print(f"    {label:<48} {ratio:7.2f}  {'ok' if ok(ratio) else 'MISSED'}")
    print(
        "RESULT "
        + json.dumps({k: {n: round(v, 4) for n, v in d.items()} for k, d in results.items()})
    )


if __name__ == "__main__":
    main()
