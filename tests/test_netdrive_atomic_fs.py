"""``netdrive://`` writes from kernels replace a file only when complete.

The drive is reached through tests/cut_proxy.py, which drops the connection to Samba at a
chosen point; with the share gone the write fails, the target keeps its old bytes, and once
the share answers again the next call leaves no temporary file behind.
"""

from __future__ import annotations

import os

import fsspec
import pytest

from jupyterlab_atrium.netdrive import atomic, broker
from jupyterlab_atrium.netdrive.fs import NetDriveFileSystem

from .test_netdrive_fs import FAKE_SERVER_PID, StubBroker, samba_drive

pytestmark = pytest.mark.timeout(300)

MiB = 1024 * 1024


def temporaries(folder) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if atomic.is_temporary(p.name))


@pytest.fixture
def kernel_fs(samba, samba_folder, cut_proxy, tmp_path, monkeypatch):
    """A kernel's fsspec filesystem whose drive ``dept`` goes through the cut proxy."""
    NetDriveFileSystem.clear_instance_cache()
    stub = StubBroker({"dept": samba_drive(samba, samba_folder, port=cut_proxy.port)})
    stub.start()
    runtime = tmp_path / "runtime"
    broker.write_broker_file(runtime, FAKE_SERVER_PID, stub.url, stub.token)
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(runtime))
    monkeypatch.setenv("JPY_PARENT_PID", str(FAKE_SERVER_PID))
    fs = fsspec.filesystem("netdrive")
    fs.folder = samba.share_path("data") / samba_folder
    fs.ls("netdrive://dept")  # connected before any cut
    yield fs
    cut_proxy.refuse = False
    fs.close_drives()
    NetDriveFileSystem.clear_instance_cache()
    stub.stop()


def share_back(fs, proxy) -> None:
    proxy.refuse = False
    fs.ls("netdrive://dept")  # reconnects; removes what the cut left
    assert temporaries(fs.folder) == []


def write_streamed(fs, path: str, data: bytes) -> None:
    with fs.open(path, "wb") as handle:
        for offset in range(0, len(data), 256 * 1024):
            handle.write(data[offset : offset + 256 * 1024])


@pytest.mark.parametrize("after", [MiB // 2, 3 * MiB, 6 * MiB], ids=["1st", "mid", "rename"])
@pytest.mark.parametrize("how", ["open", "pipe"])
def test_kernel_write_cut_keeps_the_old_file(kernel_fs, cut_proxy, write_path, after, how):
    fs, target = kernel_fs, kernel_fs.folder / "results.csv"
    old, new = os.urandom(2 * MiB), os.urandom(6 * MiB)
    fs.pipe_file("netdrive://dept/results.csv", old)
    cut_proxy.refuse = True
    cut_proxy.arm(after_bytes=after)
    with pytest.raises(OSError):
        if how == "open":
            write_streamed(fs, "netdrive://dept/results.csv", new)
        else:
            fs.pipe_file("netdrive://dept/results.csv", new)
    assert cut_proxy.cut.is_set()
    assert target.read_bytes() == old
    share_back(fs, cut_proxy)
    write_streamed(fs, "netdrive://dept/results.csv", new)
    assert target.read_bytes() == new


def test_kernel_copy_cut_keeps_the_old_file(kernel_fs, cut_proxy):
    fs = kernel_fs
    source, old = os.urandom(3 * MiB), b"old copy"
    fs.pipe_file("netdrive://dept/a.bin", source)
    fs.pipe_file("netdrive://dept/b.bin", old)
    cut_proxy.arm()
    fs.cp_file("netdrive://dept/a.bin", "netdrive://dept/b.bin")
    cut_proxy.disarm()
    steps = cut_proxy.frames
    assert (fs.folder / "b.bin").read_bytes() == source
    for step in range(steps):
        fs.pipe_file("netdrive://dept/b.bin", old)
        cut_proxy.refuse = True
        cut_proxy.arm(after_frames=step)
        try:
            fs.cp_file("netdrive://dept/a.bin", "netdrive://dept/b.bin")
        except OSError:
            assert (fs.folder / "b.bin").read_bytes() in (old, source), step
        else:
            assert (fs.folder / "b.bin").read_bytes() == source, step
        share_back(fs, cut_proxy)


def test_an_error_in_the_with_block_discards_the_file(kernel_fs):
    fs, target = kernel_fs, kernel_fs.folder / "report.txt"
    fs.pipe_file("netdrive://dept/report.txt", b"yesterday's report")
    with pytest.raises(ZeroDivisionError), fs.open("netdrive://dept/report.txt", "wb") as out:
        out.write(b"half of today's")
        1 / 0  # noqa: B018
    assert target.read_bytes() == b"yesterday's report"
    assert temporaries(kernel_fs.folder) == []


def test_transactions_commit_together_or_not_at_all(kernel_fs):
    fs, folder = kernel_fs, kernel_fs.folder
    fs.pipe_file("netdrive://dept/a.txt", b"a0")
    with pytest.raises(RuntimeError), fs.transaction:
        with fs.open("netdrive://dept/a.txt", "wb") as out:
            out.write(b"a1")
        # As pandas opens files: by URL, through fsspec's cached filesystem.
        with fsspec.open("netdrive://dept/b.txt", "wt") as out:
            out.write("b1")
        assert (folder / "a.txt").read_bytes() == b"a0"
        assert not (folder / "b.txt").exists()
        raise RuntimeError("the second step failed")
    assert (folder / "a.txt").read_bytes() == b"a0"
    assert not (folder / "b.txt").exists()
    with fs.transaction:
        with fs.open("netdrive://dept/a.txt", "wb") as out:
            out.write(b"a2")
        with fs.open("netdrive://dept/b.txt", "wb") as out:
            out.write(b"b2")
        assert not (folder / "b.txt").exists()
    assert (folder / "a.txt").read_bytes() == b"a2"
    assert (folder / "b.txt").read_bytes() == b"b2"
    assert temporaries(folder) == []


def test_exclusive_create_and_listing(kernel_fs):
    fs = kernel_fs
    fs.pipe_file("netdrive://dept/x.txt", b"x", mode="create")
    with pytest.raises(FileExistsError):
        fs.pipe_file("netdrive://dept/x.txt", b"y", mode="create")
    # The file appeared after the exclusive writer was opened: still not replaced.
    late = fs.open("netdrive://dept/late.txt", "xb")
    late.write(b"mine")
    fs.pipe_file("netdrive://dept/late.txt", b"theirs")
    with pytest.raises(FileExistsError):
        late.close()
    assert (fs.folder / "late.txt").read_bytes() == b"theirs"
    # A write under way is not listed.
    handle = fs.open("netdrive://dept/pending.txt", "wb")
    handle.write(b"p")
    handle.flush()
    assert len(temporaries(fs.folder)) == 1
    assert fs.ls("netdrive://dept", detail=False) == ["dept/late.txt", "dept/x.txt"]
    handle.close()
    assert fs.ls("netdrive://dept", detail=False) == [
        "dept/late.txt",
        "dept/pending.txt",
        "dept/x.txt",
    ]
