"""FUSE mode: rclone's smb backend mounts a Samba share as a plain directory.

Skips cleanly where /dev/fuse is not usable (no device, no permission to mount, no rclone).
"""

from __future__ import annotations

import errno
import os
from types import SimpleNamespace

import pytest

from jupyterlab_atrium.netdrive import fuse
from jupyterlab_atrium.netdrive.errors import SMBFailure
from jupyterlab_atrium.netdrive.smb import Credentials, ShareAddress

pytestmark = pytest.mark.timeout(120)


@pytest.fixture(scope="module")
def fuse_ok():
    usable, reason = fuse.fuse_status(probe=True)
    if not usable:
        pytest.skip(f"FUSE mode not testable here: {reason}")


def address(samba, folder="", share="data"):
    return ShareAddress("127.0.0.1", share, folder, port=samba.port)


def test_fuse_status_reports_a_reason():
    usable, reason = fuse.fuse_status(probe=False)
    assert isinstance(usable, bool) and reason


def test_mount_read_write_unmount(fuse_ok, samba, samba_folder, tmp_path):
    share_dir = samba.share_path("data") / samba_folder
    (share_dir / "from-samba.txt").write_text("written on the server")
    samba.own(share_dir)

    mounted = fuse.mount(
        "proj",
        address(samba, samba_folder),
        Credentials(samba.user, samba.password),
        base_dir=tmp_path / "netdrives",
    )
    try:
        assert mounted.path == tmp_path / "netdrives" / "proj"
        assert mounted.mounted
        assert (mounted.path / "from-samba.txt").read_text() == "written on the server"
        (mounted.path / "results").mkdir()
        (mounted.path / "results" / "from-kernel.txt").write_text("written through FUSE")
        # A plain save is on the server as soon as the file is closed.
        assert (share_dir / "results" / "from-kernel.txt").read_text() == "written through FUSE"

        # The password never appears in the command line; the environment only carries
        # rclone's obscured form (and /proc/<pid>/environ is private to the user).
        cmdline = open(f"/proc/{mounted.pid}/cmdline", "rb").read()
        environ = open(f"/proc/{mounted.pid}/environ", "rb").read()
        assert samba.password.encode() not in cmdline
        assert b"RCLONE_CONFIG_ATRIUM_PASS" not in cmdline
        assert samba.password.encode() not in environ
        assert b"RCLONE_CONFIG_ATRIUM_PASS=" in environ
    finally:
        mounted.unmount()
    assert not os.path.ismount(tmp_path / "netdrives" / "proj")
    assert mounted.process.poll() is not None
    # rclone's write cache flushes on unmount at the latest.
    assert (share_dir / "results" / "from-kernel.txt").read_text() == "written through FUSE"


def test_read_only_mount_refuses_writes(fuse_ok, samba, samba_folder, tmp_path):
    (samba.share_path("data") / samba_folder / "fixed.txt").write_text("fixed")
    mounted = fuse.mount(
        "ro",
        address(samba, samba_folder),
        Credentials(samba.user, samba.password),
        read_only=True,
        base_dir=tmp_path,
    )
    try:
        assert (mounted.path / "fixed.txt").read_text() == "fixed"
        with pytest.raises(OSError) as info:
            (mounted.path / "new.txt").write_text("x")
        assert info.value.errno in (errno.EROFS, errno.EACCES, errno.EPERM)
    finally:
        mounted.unmount()


def test_wrong_password_fails_without_leaking_it(fuse_ok, samba, tmp_path):
    wrong = "Wrong-Passw0rd-Quokka"
    try:
        with pytest.raises(SMBFailure) as info:
            mounted = fuse.mount(
                "bad", address(samba), Credentials(samba.user, wrong), base_dir=tmp_path, timeout=10
            )
            mounted.unmount()  # only reached when the test fails
    finally:
        assert not os.path.ismount(tmp_path / "bad")
    assert wrong not in str(info.value)


def test_mount_drive_adapter_for_the_manager(fuse_ok, samba, samba_folder, tmp_path):
    drive = SimpleNamespace(
        name="dept",
        location=SimpleNamespace(
            server="127.0.0.1", share="data", folder=samba_folder, port=samba.port
        ),
        username=samba.user,
        domain="",
        password=samba.password,
        read_only=False,
    )
    manager = SimpleNamespace(config=SimpleNamespace(fuse_base_dir=str(tmp_path / "nd")))
    mounted = fuse.mount_drive(drive, manager)
    try:
        assert mounted.path == tmp_path / "nd" / "dept"
        assert os.path.ismount(mounted.path)
    finally:
        mounted.unmount()
    assert not mounted.path.exists()


def test_busy_mount_point_is_refused(fuse_ok, samba, tmp_path):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "something").write_text("user data")
    with pytest.raises(SMBFailure, match="already in use"):
        fuse.mount(
            "taken", address(samba), Credentials(samba.user, samba.password), base_dir=tmp_path
        )
    assert (tmp_path / "taken" / "something").read_text() == "user data"


@pytest.fixture
def rclone_tmp(tmp_path, monkeypatch):
    """Where mount() puts rclone's state folder (log, cache) for this test only."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setattr(fuse.tempfile, "tempdir", str(tmp))
    return tmp


def test_unmount_removes_rclone_state(fuse_ok, samba, samba_folder, tmp_path, rclone_tmp):
    mounted = fuse.mount(
        "tidy",
        address(samba, samba_folder),
        Credentials(samba.user, samba.password),
        base_dir=tmp_path / "nd",
    )
    try:
        (state,) = rclone_tmp.glob("atrium-rclone-tidy-*")
        assert mounted.log_file.parent == state
        (mounted.path / "note.txt").write_text("through FUSE")
    finally:
        mounted.unmount()
    assert list(rclone_tmp.iterdir()) == []
    assert (samba.share_path("data") / samba_folder / "note.txt").read_text() == "through FUSE"


def test_unmount_after_rclone_died_removes_rclone_state(fuse_ok, samba, tmp_path, rclone_tmp):
    mounted = fuse.mount(
        "gone", address(samba), Credentials(samba.user, samba.password), base_dir=tmp_path
    )
    mounted.process.kill()
    mounted.process.wait(timeout=30)
    mounted.unmount()
    assert list(rclone_tmp.iterdir()) == []
    # Not left as a dead mount either (stat would fail with ENOTCONN, exists() raise).
    assert not (tmp_path / "gone").exists()


def test_failed_mount_leaves_no_rclone_state(fuse_ok, samba, tmp_path, rclone_tmp):
    with pytest.raises(SMBFailure):
        fuse.mount(
            "bad",
            address(samba),
            Credentials(samba.user, "Wrong-Passw0rd-Wombat"),
            base_dir=tmp_path,
            timeout=10,
        )
    assert list(rclone_tmp.iterdir()) == []
