"""pytest fixtures for the network-drive write tests (registered in tests/conftest.py).

- ``write_path``: runs a test twice, once per way an encrypted SMB 3.1.1 write can go: the
  copy-free path (``smbwrite``, which leans on smbprotocol internals) and smbprotocol's own.
  The test compares the bytes on the share, so that an smbprotocol upgrade that breaks the
  copy-free path fails here instead of corrupting files. Each run checks that its path was
  the one taken.
- ``cut_proxy``: a ``CutProxy`` in front of the test Samba (tests/cut_proxy.py).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from jupyterlab_atrium.netdrive import smbwrite

from .cut_proxy import CutProxy


@pytest.fixture(params=["copy-free", "smbprotocol"])
def write_path(request, monkeypatch) -> Iterator[str]:
    real = smbwrite.can_send_lean
    taken: list[bool] = []

    def can_send_lean(open_) -> bool:
        lean = request.param == "copy-free" and real(open_)
        taken.append(lean)
        return lean

    monkeypatch.setattr(smbwrite, "can_send_lean", can_send_lean)
    yield request.param
    assert taken, "no SMB write was made"
    if request.param == "copy-free":
        assert all(taken), "a write left the copy-free path"
    else:
        assert not any(taken)


@pytest.fixture
def cut_proxy(samba) -> Iterator[CutProxy]:
    proxy = CutProxy(samba.port)
    yield proxy
    proxy.close()
