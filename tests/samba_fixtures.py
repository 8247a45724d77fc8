"""pytest fixtures around tests/samba_server.py (registered in tests/conftest.py).

- ``samba``: one SambaServer for the session; skips with the reason when smbd cannot run here.
- ``samba_folder``: a fresh, empty folder (name) in the ``data`` share, owned by the share user,
  removed afterwards.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from .samba_server import SambaServer, SambaUnavailable, unavailable_reason


@contextmanager
def started_samba(prefix: str = "atrium-samba-") -> Iterator[SambaServer]:
    """A test Samba server in a new temporary folder; skips where Samba cannot run here."""
    reason = unavailable_reason()
    if reason:
        pytest.skip(f"Samba tests skipped: {reason}")
    tmp = tempfile.mkdtemp(prefix=prefix)
    server = SambaServer(tmp)
    try:
        server.start()
    except SambaUnavailable as err:
        shutil.rmtree(tmp, ignore_errors=True)
        pytest.fail(f"could not start the test Samba server: {err}")
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="session")
def samba() -> Iterator[SambaServer]:
    with started_samba() as server:
        yield server


@pytest.fixture
def samba_folder(samba: SambaServer) -> Iterator[str]:
    name = f"t-{uuid.uuid4().hex[:10]}"
    path = samba.share_path("data") / name
    path.mkdir()
    samba.own(path)
    yield name
    shutil.rmtree(path, ignore_errors=True)
