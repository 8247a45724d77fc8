"""A rename whose answer is lost is reported as what happened on the share.

The connection is cut for real (tests/cut_proxy.py) after each SMB message of a rename has
reached Samba, in place of its answer: when the share shows the rename done (the source gone,
the target the same file), the rename succeeded; when it does not, the error stands and
nothing moved.
"""

from __future__ import annotations

import pytest

from jupyterlab_atrium.netdrive.errors import Unreachable

from .test_netdrive_atomic import client_through, frames_of, outcome

pytestmark = pytest.mark.timeout(300)


@pytest.fixture
def root(samba, samba_folder):
    return samba.share_path("data") / samba_folder


@pytest.fixture
def drive(cut_proxy, samba, samba_folder):
    client = client_through(cut_proxy, samba, samba_folder)
    client.connect()
    yield client
    client.close()


def make(root, kind: str) -> None:
    if kind == "file":
        (root / "src").write_bytes(b"x" * 1000)
    else:
        (root / "src").mkdir()
        (root / "src" / "inner.txt").write_bytes(b"inner")


@pytest.mark.parametrize("kind", ["file", "folder"])
def test_a_rename_cut_after_any_message_reports_what_the_share_did(
    cut_proxy, drive, root, samba, kind
):
    make(root, kind)
    samba.own(root)
    steps = frames_of(cut_proxy, lambda: drive.rename("src", "sub-dst"))
    drive.rename("sub-dst", "src")
    assert steps >= 4  # the target probe, the source's open, the rename, the close
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
    make(root, "file")
    samba.own(root)
    cut_proxy.refuse = True
    try:
        cut_proxy.arm(after_frames=0)
        error = outcome(lambda: drive.rename("src", "dst"))
    finally:
        cut_proxy.refuse = False
    assert isinstance(error, Unreachable), error
    assert (root / "src").exists()
