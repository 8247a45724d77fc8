"""Writes replace a drive file only when complete (jupyterlab_atrium/netdrive/atomic.py).

Each write is cut for real (tests/cut_proxy.py drops the TCP connection to Samba) before
every SMB message it sends: the create of the temporary file, each WRITE, the rename, the
close. Whatever the point, the target holds either its old bytes or all the new ones, and no
temporary file is left once the share answers again. A rename is also cut after each of its
messages has reached Samba, in place of the answer: it reports what the share shows.
"""

from __future__ import annotations

import concurrent.futures
import os
import time
from pathlib import Path

import pytest

from jupyterlab_atrium.netdrive import atomic
from jupyterlab_atrium.netdrive.errors import (
    AlreadyExists,
    InvalidPath,
    IsADirectory,
    NetDriveError,
    Unreachable,
)
from jupyterlab_atrium.netdrive.smb import Credentials, ShareAddress, SMBClient

pytestmark = pytest.mark.timeout(300)

MiB = 1024 * 1024


def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if atomic.is_temporary(p.name))


def client_through(proxy, samba, folder: str) -> SMBClient:
    return SMBClient(
        ShareAddress("127.0.0.1", "data", folder, port=proxy.port),
        Credentials(samba.user, samba.password),
    )


@pytest.fixture
def root(samba, samba_folder) -> Path:
    return samba.share_path("data") / samba_folder


@pytest.fixture
def drive(cut_proxy, samba, samba_folder):
    client = client_through(cut_proxy, samba, samba_folder)
    client.connect()
    yield client
    cut_proxy.refuse = False
    client.close()


def frames_of(proxy, operation) -> int:
    """How many SMB messages ``operation`` sends (it runs once, uncut)."""
    proxy.arm()
    operation()
    proxy.disarm()
    return proxy.frames


def outcome(operation) -> BaseException | None:
    try:
        operation()
    except NetDriveError as err:
        return err
    return None


def check_cut(proxy, drive, root, name, old, new, error) -> None:
    """After a cut: all old or all new (new only if it reported success); and once the
    share answers again, the next connect leaves no temporary file."""
    target = root / name
    content = target.read_bytes() if target.exists() else None
    if error is None:
        assert content == new
    else:
        assert content in (old, new), "the target was left half written"
    proxy.refuse = False
    drive.connect()
    assert temporaries(root) == []


# -- whole files, overwriting --------------------------------------------------------------------


@pytest.mark.parametrize("share_gone", [True, False], ids=["share-gone", "blip"])
def test_write_bytes_cut_at_every_step(cut_proxy, drive, root, write_path, share_gone):
    old, new = os.urandom(3 * MiB + 5), os.urandom(4 * MiB + 17)
    steps = frames_of(cut_proxy, lambda: drive.write_bytes("data.bin", new))
    drive.write_bytes("data.bin", old)
    assert steps >= 7  # create, 5 writes, rename, close (and maybe more)
    for step in range(steps):
        cut_proxy.refuse = share_gone
        cut_proxy.arm(after_frames=step)
        error = outcome(lambda: drive.write_bytes("data.bin", new))
        assert cut_proxy.cut.is_set(), step
        if share_gone:
            # No reconnect: a cut before the rename fails, one after it has succeeded.
            assert error is None or isinstance(error, Unreachable), (step, error)
        else:
            # The client reconnects and writes again: the new bytes arrive whole.
            assert error is None, (step, error)
        check_cut(cut_proxy, drive, root, "data.bin", old, new, error)
        drive.write_bytes("data.bin", old)
    assert (root / "data.bin").read_bytes() == old


def test_streamed_write_cut_at_several_points(cut_proxy, drive, root, write_path):
    """``open_write`` (what uploads and kernels use): the stream fails, nothing is replaced."""
    old, new = os.urandom(2 * MiB), os.urandom(6 * MiB)
    drive.write_bytes("stream.bin", old)
    for after in (0, MiB // 2, 3 * MiB, 6 * MiB):  # the create, writes, the rename
        cut_proxy.refuse = True
        cut_proxy.arm(after_bytes=after)

        def stream() -> None:
            with drive.open_write("stream.bin") as handle:
                for offset in range(0, len(new), 700_000):
                    handle.write(new[offset : offset + 700_000])

        error = outcome(stream)
        assert cut_proxy.cut.is_set() and error is not None, after
        check_cut(cut_proxy, drive, root, "stream.bin", old, new, error)
        assert (root / "stream.bin").read_bytes() == old


def test_new_file_cut_leaves_no_file(cut_proxy, drive, root):
    new = os.urandom(3 * MiB)
    for after in (MiB, 3 * MiB):
        cut_proxy.refuse = True
        cut_proxy.arm(after_bytes=after)
        error = outcome(lambda: drive.write_bytes("fresh.bin", new))
        assert isinstance(error, Unreachable)
        assert not (root / "fresh.bin").exists()
        check_cut(cut_proxy, drive, root, "fresh.bin", None, new, error)


def test_a_file_that_fails_is_discarded_by_its_with_block(drive, root):
    drive.write_bytes("keep.txt", b"keep me")
    with pytest.raises(RuntimeError), drive.open_write("keep.txt") as handle:
        handle.write(b"half of it")
        raise RuntimeError("the program failed")
    assert (root / "keep.txt").read_bytes() == b"keep me"
    assert temporaries(root) == []
    handle = drive.open_write("keep.txt")
    handle.write(b"dropped")
    handle.discard()
    assert (root / "keep.txt").read_bytes() == b"keep me"
    assert temporaries(root) == []


def test_deferred_commit(drive, root):
    """``autocommit=False`` (fsspec transactions): ``close`` finishes, ``commit`` decides."""
    drive.write_bytes("t.txt", b"before")
    handle = drive.open_write("t.txt", autocommit=False)
    handle.write(b"after")
    handle.close()
    assert (root / "t.txt").read_bytes() == b"before"
    handle.commit()
    assert (root / "t.txt").read_bytes() == b"after"
    handle = drive.open_write("t.txt", autocommit=False)
    handle.write(b"never")
    handle.close()
    handle.discard()
    assert (root / "t.txt").read_bytes() == b"after"
    assert temporaries(root) == []


def test_a_folder_is_never_replaced(drive, root):
    drive.mkdir("folder")
    drive.write_bytes("folder/inside.txt", b"kept")
    with pytest.raises(IsADirectory) as info:
        drive.write_bytes("folder", b"data")
    assert (info.value.status, info.value.message) == (400, "'folder' is a folder.")
    with pytest.raises(IsADirectory):
        drive.open_write("folder").close()
    assert (root / "folder" / "inside.txt").read_bytes() == b"kept"
    assert temporaries(root) == []


def test_exclusive_write_never_replaces(drive, root):
    drive.write_bytes("mine.txt", b"first")
    with pytest.raises(AlreadyExists):
        drive.write_bytes("mine.txt", b"second", replace=False)
    # The file appeared after the writer was opened: the rename refuses to replace it.
    handle = drive.open_write("late.txt", replace=False)
    handle.write(b"late")
    drive.write_bytes("late.txt", b"meanwhile")
    with pytest.raises(AlreadyExists):
        handle.close()
    assert (root / "mine.txt").read_bytes() == b"first"
    assert (root / "late.txt").read_bytes() == b"meanwhile"
    assert temporaries(root) == []


# -- copies ----------------------------------------------------------------------------------------


def test_copy_cut_at_every_step(cut_proxy, drive, root):
    old, source = os.urandom(MiB), os.urandom(5 * MiB + 3)
    drive.write_bytes("source.bin", source)
    drive.write_bytes("copy.bin", old)
    steps = frames_of(cut_proxy, lambda: drive.copy("source.bin", "copy.bin", replace=True))
    drive.write_bytes("copy.bin", old)
    for step in range(steps):
        cut_proxy.refuse = True
        cut_proxy.arm(after_frames=step)
        error = outcome(lambda: drive.copy("source.bin", "copy.bin", replace=True))
        assert cut_proxy.cut.is_set(), step
        check_cut(cut_proxy, drive, root, "copy.bin", old, source, error)
        drive.write_bytes("copy.bin", old)
    assert (root / "source.bin").read_bytes() == source


def test_copy_refuses_an_existing_target_and_folders(drive, root):
    drive.write_bytes("a.txt", b"a")
    drive.write_bytes("b.txt", b"b")
    with pytest.raises(AlreadyExists):
        drive.copy("a.txt", "b.txt")
    drive.mkdir("folder")
    with pytest.raises(NetDriveError):
        drive.copy("a.txt", "folder", replace=True)
    assert (root / "b.txt").read_bytes() == b"b"
    drive.copy("a.txt", "b.txt", replace=True)
    assert (root / "b.txt").read_bytes() == b"a"
    assert temporaries(root) == []


# -- names, concurrency and left-overs -------------------------------------------------------------


def test_temporary_names_are_ours_and_unique():
    names = {atomic.new_name() for _ in range(10_000)}
    assert len(names) == 10_000
    assert all(atomic.is_temporary(name) and name.startswith(".") for name in names)
    for other in ("upload.tmp", ".~atrium-upload-xyz.tmp", "a.~atrium-upload-" + "0" * 32 + ".tmp"):
        assert not atomic.is_temporary(other)


def test_temporary_names_are_reserved(drive, root):
    """A file of the user's under such a name would be hidden, and removed as left behind."""
    drive.write_bytes("a.txt", b"a")
    name = atomic.new_name()
    for attempt in (
        lambda: drive.write_bytes(name, b"x"),
        lambda: drive.open_write(f"sub/{name}"),
        lambda: drive.mkdir(name),
        lambda: drive.rename("a.txt", name),
        lambda: drive.copy("a.txt", name),
    ):
        with pytest.raises(InvalidPath) as info:
            attempt()
        assert info.value.status == 400 and "reserved" in info.value.message
    assert sorted(p.name for p in root.iterdir()) == ["a.txt"]


def test_concurrent_writes_of_one_file_never_mix(samba, samba_folder, root):
    """Eight writers, each its own connection, replace one file at once: it ends up as one
    of their contents, whole."""
    payloads = [bytes([i]) * (2 * MiB + i) for i in range(8)]
    clients = [
        SMBClient(
            ShareAddress("127.0.0.1", "data", samba_folder, port=samba.port),
            Credentials(samba.user, samba.password),
        )
        for _ in payloads
    ]
    for client in clients:
        client.connect()
    try:
        with concurrent.futures.ThreadPoolExecutor(len(clients)) as pool:
            list(
                pool.map(
                    lambda pair: pair[0].write_bytes("shared.bin", pair[1]),
                    zip(clients, payloads, strict=True),
                )
            )
    finally:
        for client in clients:
            client.close()
    assert (root / "shared.bin").read_bytes() in payloads
    assert temporaries(root) == []


def test_left_overs_of_dead_writers_are_removed_when_stale_and_unused(
    samba, samba_folder, root, drive
):
    hour_ago = time.time() - atomic.STALE_AFTER.total_seconds() - 60
    (root / "sub").mkdir()
    dead_top, dead_sub, fresh = (atomic.new_name() for _ in range(3))
    for path in (root / dead_top, root / "sub" / dead_sub, root / fresh):
        path.write_bytes(b"left behind")
    for path in (root / dead_top, root / "sub" / dead_sub):
        os.utime(path, (hour_ago, hour_ago))
    # A writer (another process: its own connection) holding its temporary file open.
    other = SMBClient(
        ShareAddress("127.0.0.1", "data", samba_folder, port=samba.port),
        Credentials(samba.user, samba.password),
    )
    other.connect()
    try:
        handle = other.open_write("in-progress.bin")
        handle.write(b"x" * MiB)
        handle.flush()
        [held] = [n for n in temporaries(root) if n not in (dead_top, dead_sub, fresh)]
        os.utime(root / held, (hour_ago, hour_ago))
        samba.own(root)

        drive.connect()  # sweeps the drive's top folder
        assert sorted(temporaries(root)) == sorted([dead_sub, fresh, held])
        # Listing a folder sweeps it (what the drive browser does): not the held file.
        drive.sweep_temporaries("sub")
        drive.sweep_temporaries("")
        assert sorted(temporaries(root)) == sorted([fresh, held])
        handle.close()
        assert (root / "in-progress.bin").stat().st_size == MiB + 0
    finally:
        other.close()
    assert temporaries(root) == [fresh]  # not ours to judge yet: too recent


def test_a_drive_connected_read_only_removes_nothing(samba, samba_folder, root):
    hour_ago = time.time() - atomic.STALE_AFTER.total_seconds() - 60
    stale = atomic.new_name()
    (root / stale).write_bytes(b"left behind")
    os.utime(root / stale, (hour_ago, hour_ago))
    samba.own(root)
    reader = SMBClient(
        ShareAddress("127.0.0.1", "data", samba_folder, port=samba.port),
        Credentials(samba.user, samba.password),
        read_only=True,
    )
    reader.connect()
    reader.close()
    assert temporaries(root) == [stale]


# -- renames whose answer is lost ----------------------------------------------------------------


def make_source(root, kind: str) -> None:
    if kind == "file":
        (root / "src").write_bytes(b"x" * 1000)
    else:
        (root / "src").mkdir()
        (root / "src" / "inner.txt").write_bytes(b"inner")


@pytest.mark.parametrize("kind", ["file", "folder"])
def test_a_rename_cut_after_any_message_reports_what_the_share_did(
    cut_proxy, drive, root, samba, kind
):
    make_source(root, kind)
    samba.own(root)
    steps = frames_of(cut_proxy, lambda: drive.rename("src", "sub-dst"))
    drive.rename("sub-dst", "src")
    assert steps >= 4  # (a look-up,) the target probe, the open, the rename, the close
    renamed_despite_the_cut = 0
    for step in range(steps):
        drive.connect()  # the steps count from a connected client, as frames_of did
        cut_proxy.arm(after_frames=step, lose_reply=True)
        error = outcome(lambda: drive.rename("src", "sub-dst"))
        assert cut_proxy.cut.is_set(), step
        moved = (root / "sub-dst").exists()
        assert moved != (root / "src").exists(), step
        if moved:
            assert error is None, (step, error)
            if kind == "folder":
                assert (root / "sub-dst" / "inner.txt").read_bytes() == b"inner"
            drive.rename("sub-dst", "src")
            renamed_despite_the_cut += 1
        else:
            assert isinstance(error, Unreachable), (step, error)
    # The cut after the rename's own message: done on the share, its answer lost.
    assert renamed_despite_the_cut >= 1


def test_a_rename_cut_with_the_share_gone_keeps_its_error(cut_proxy, drive, root, samba):
    """Cut before anything reached Samba, and no new connection: nothing to confirm."""
    make_source(root, "file")
    samba.own(root)
    cut_proxy.refuse = True
    try:
        cut_proxy.arm(after_frames=0)
        error = outcome(lambda: drive.rename("src", "dst"))
    finally:
        cut_proxy.refuse = False
    assert isinstance(error, Unreachable), error
    assert (root / "src").exists()
