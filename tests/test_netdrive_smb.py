"""The SMB layer against a real Samba server (tests/samba_server.py)."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import time
import traceback
from pathlib import Path

import pytest

from jupyterlab_atrium.netdrive import smbwrite
from jupyterlab_atrium.netdrive.errors import (
    AccessDenied,
    AlreadyExists,
    BadCredentials,
    InvalidPath,
    IsADirectory,
    NotADirectory,
    PathNotFound,
    ShareNotFound,
    Unreachable,
)
from jupyterlab_atrium.netdrive.smb import Credentials, ShareAddress, SMBClient

from .blackhole import blackhole
from .samba_server import free_port

pytestmark = pytest.mark.timeout(120)


def make_client(samba, share="data", folder="", *, password=None, user=None, **kwargs):
    return SMBClient(
        ShareAddress("127.0.0.1", share, folder, port=samba.port),
        Credentials(user or samba.user, samba.password if password is None else password),
        **kwargs,
    )


@pytest.fixture
def client(samba, samba_folder):
    c = make_client(samba, folder=samba_folder)
    c.connect()
    yield c
    c.close()


def test_connect_lists_the_folder_and_encrypts(samba, samba_folder):
    (samba.share_path("data") / samba_folder / "hello.txt").write_text("hi")
    with make_client(samba, folder=samba_folder) as c:
        assert c.connected
        # Samba 4.17 negotiates SMB 3.1.1 with encryption support: we switch it on.
        assert c.encrypted is True
        [entry] = c.list("")
        assert (entry.name, entry.path, entry.is_dir, entry.size) == (
            "hello.txt",
            "hello.txt",
            False,
            2,
        )
        assert entry.modified.tzinfo is not None
        assert c.read_bytes("hello.txt") == b"hi"
    assert not c.connected


def test_wrong_password(samba):
    c = make_client(samba, password="not-the-password")
    with pytest.raises(BadCredentials) as info:
        c.connect()
    assert info.value.status == 401
    assert info.value.reason == "bad-credentials"
    assert "not-the-password" not in str(info.value)


def test_unknown_user(samba):
    with pytest.raises(BadCredentials):
        make_client(samba, user="nobody-here").connect()


def test_closed_port_is_unreachable_quickly(samba):
    c = SMBClient(ShareAddress("127.0.0.1", "data", port=free_port()), Credentials("u", "p"))
    started = time.monotonic()
    with pytest.raises(Unreachable) as info:
        c.connect()
    assert time.monotonic() - started < 5
    assert info.value.status == 504
    assert info.value.reason == "unreachable"


def test_blackhole_address_is_unreachable_at_its_deadline():
    with blackhole() as (host, port):
        c = SMBClient(ShareAddress(host, "data", port=port), Credentials("u", "p"), timeout=2.0)
        started = time.monotonic()
        with pytest.raises(Unreachable):
            c.connect()
        # The deadline fired, not the kernel's SYN retries (minutes); slack for a busy machine.
        assert 1.0 <= time.monotonic() - started < 15


def test_share_not_found(samba):
    with pytest.raises(ShareNotFound) as info:
        make_client(samba, share="no-such-share").connect()
    assert info.value.status == 404
    assert info.value.reason == "share-not-found"


def test_folder_not_found(samba):
    with pytest.raises(PathNotFound):
        make_client(samba, folder="does/not/exist").connect()


def test_readonly_share_denies_writes(samba):
    (samba.share_path("readonly") / "fixed.txt").write_text("constant")
    with make_client(samba, share="readonly") as c:
        assert c.read_bytes("fixed.txt") == b"constant"
        with pytest.raises(AccessDenied) as info:
            c.write_bytes("new.txt", b"x")
        assert info.value.status == 403
        assert info.value.reason == "access-denied"
        with pytest.raises(AccessDenied):
            c.mkdir("newdir")
        with pytest.raises(AccessDenied):
            c.remove("fixed.txt")
    assert (samba.share_path("readonly") / "fixed.txt").read_text() == "constant"


def test_list_1000_entries_in_one_query(samba, client, samba_folder):
    folder = samba.share_path("data") / samba_folder / "many"
    folder.mkdir()
    for i in range(1000):
        (folder / f"file-{i:04d}.csv").write_bytes(b"x" * i)
    (folder / "subdir").mkdir()

    connection = next(iter(client._cache.values()))
    sent = []
    original = connection.send

    def counting_send(message, *args, **kwargs):
        sent.append(type(message).__name__)
        return original(message, *args, **kwargs)

    connection.send = counting_send
    try:
        started = time.perf_counter()
        entries = client.list("many")
        elapsed = time.perf_counter() - started
    finally:
        del connection.send

    assert len(entries) == 1001
    by_name = {e.name: e for e in entries}
    assert by_name["file-0999.csv"].size == 999
    assert by_name["file-0999.csv"].path == "many/file-0999.csv"
    assert by_name["subdir"].is_dir and by_name["subdir"].size == 0
    # CREATE, one QUERY_DIRECTORY with all entries, one more answered "no more files", CLOSE:
    # nothing per entry.
    assert sent.count("SMB2QueryDirectoryRequest") <= 2, sent
    assert len(sent) <= 4, sent
    assert elapsed < 2.0


def test_large_file_round_trip(client, write_path):
    data = os.urandom(64 * 1024 * 1024)
    digest = hashlib.sha256(data).hexdigest()

    started = time.perf_counter()
    client.write_bytes("big.bin", data)
    written = time.perf_counter() - started
    assert client.stat("big.bin").size == len(data)

    started = time.perf_counter()
    assert hashlib.sha256(client.read_bytes("big.bin")).hexdigest() == digest
    read = time.perf_counter() - started
    # Loopback with encryption does this in ~1 s; a per-64-KiB-request client takes far longer.
    assert written < 15 and read < 15, (written, read)

    # Streaming in 1 MiB pieces, both ways.
    with client.open_write("streamed.bin") as out:
        for offset in range(0, len(data), 1 << 20):
            out.write(data[offset : offset + (1 << 20)])
    sha = hashlib.sha256()
    with client.open_read("streamed.bin") as stream:
        while chunk := stream.read(1 << 20):
            sha.update(chunk)
    assert sha.hexdigest() == digest


def test_mkdir_rename_copy_delete(samba, client, samba_folder, write_path):
    root = samba.share_path("data") / samba_folder
    client.mkdir("docs")
    with pytest.raises(AlreadyExists) as info:
        client.mkdir("docs")
    assert info.value.status == 409 and info.value.reason == "exists"
    client.write_bytes("docs/a.txt", b"alpha")
    client.mkdir("docs/inner")
    client.write_bytes("docs/inner/b.txt", b"beta")
    assert (root / "docs" / "a.txt").read_bytes() == b"alpha"

    client.rename("docs/a.txt", "docs/renamed.txt")
    assert not (root / "docs" / "a.txt").exists()
    assert (root / "docs" / "renamed.txt").read_bytes() == b"alpha"
    client.write_bytes("other.txt", b"other")
    with pytest.raises(AlreadyExists):
        client.rename("other.txt", "docs/renamed.txt")
    with pytest.raises(PathNotFound):
        client.rename("missing.txt", "x.txt")

    client.copy("docs/renamed.txt", "copy.txt")
    assert (root / "copy.txt").read_bytes() == b"alpha"
    with pytest.raises(AlreadyExists):
        client.copy("other.txt", "copy.txt")
    client.copy("docs", "docs-copy")
    assert (root / "docs-copy" / "inner" / "b.txt").read_bytes() == b"beta"

    client.rename("docs-copy", "moved")
    assert (root / "moved" / "renamed.txt").exists()

    with pytest.raises(NotADirectory):
        client.list("other.txt")
    with pytest.raises(IsADirectory):
        client.read_bytes("docs")
    with pytest.raises(PathNotFound) as info:
        client.stat("nothing/here.txt")
    assert info.value.status == 404 and info.value.reason == "not-found"

    client.remove("copy.txt")
    client.remove("docs")  # recursive
    assert not (root / "copy.txt").exists()
    assert not (root / "docs").exists()
    with pytest.raises(PathNotFound):
        client.remove("docs")
    assert sorted(e.name for e in client.list("")) == ["moved", "other.txt"]


@pytest.mark.parametrize(
    "path",
    ["../etc/passwd", "a/../../b", "a\\b", "C:x", "a\x00b", "new\nline", "tab\there", "*", "./a"],
)
def test_hostile_paths_are_refused_before_any_request(client, path):
    with pytest.raises(InvalidPath) as info:
        client.stat(path)
    assert info.value.status == 400 and info.value.reason == "invalid-path"
    with pytest.raises(InvalidPath):
        client.write_bytes(path, b"x")


def test_encryption_required_share(samba, write_path):
    (samba.share_path("secret") / "classified.txt").write_text("eyes only")
    samba.own(samba.share_path("secret") / "classified.txt")
    with make_client(samba, share="secret", require_encryption=True) as c:
        assert c.encrypted is True
        assert c.read_bytes("classified.txt") == b"eyes only"
        c.write_bytes("reply.txt", b"ack")
    assert (samba.share_path("secret") / "reply.txt").read_bytes() == b"ack"


def test_reconnects_after_server_restart(samba, samba_folder):
    (samba.share_path("data") / samba_folder / "kept.txt").write_text("still here")
    with make_client(samba, folder=samba_folder) as c:
        assert [e.name for e in c.list("")] == ["kept.txt"]
        samba.restart()
        # The old TCP connection is gone; the next call reconnects with the kept credentials.
        assert [e.name for e in c.list("")] == ["kept.txt"]
        assert c.read_bytes("kept.txt") == b"still here"
        assert c.encrypted is True
        samba.restart()
        c.write_bytes("after.txt", b"ok")
    assert (samba.share_path("data") / samba_folder / "after.txt").read_bytes() == b"ok"


def test_password_never_in_errors_reprs_or_logs(samba, samba_folder, caplog):
    secret = "S3cret-Pa55word-Zebra"
    samba.add_user("atriumpwtest", secret)
    samba.own(samba.share_path("data") / samba_folder, "atriumpwtest")
    caplog.set_level(logging.DEBUG)
    for name in ("smbprotocol", "spnego"):  # kept at INFO by smb.py unless asked for
        caplog.set_level(logging.DEBUG, logger=name)
    texts = []

    good = make_client(samba, folder=samba_folder, user="atriumpwtest", password=secret)
    good.connect()
    good.write_bytes("pw-probe.txt", b"x")
    good.list("")
    texts += [repr(good), str(good), repr(good._credentials)]
    for call in (lambda: good.stat("missing"), lambda: good.list("../x")):
        with pytest.raises(Exception) as info:
            call()
        texts += [
            str(info.value),
            repr(info.value),
            "".join(traceback.format_exception(info.value)),
        ]
    good.remove("pw-probe.txt")
    good.close()

    for bad in (
        make_client(samba, user="atriumpwtest", password=secret + "x"),
        make_client(samba, share="nope", user="atriumpwtest", password=secret),
        SMBClient(
            ShareAddress("127.0.0.1", "data", port=free_port()),
            Credentials("atriumpwtest", secret),
        ),
    ):
        with pytest.raises(Exception) as info:
            bad.connect()
        texts += [
            str(info.value),
            repr(info.value),
            "".join(traceback.format_exception(info.value)),
        ]
        texts.append(repr(bad))

    texts.append(caplog.text)
    texts += [r.getMessage() for r in caplog.records]
    assert caplog.records  # smbprotocol and we did log something at DEBUG
    for text in texts:
        assert secret not in text
        assert secret.encode("utf-16-le").decode("latin-1") not in text


def test_smbprotocol_packet_dumps_stay_out_of_a_debug_log():
    # Hex dumps of every packet would put file contents in the server log.
    assert logging.getLogger("smbprotocol").getEffectiveLevel() >= logging.INFO


def test_encrypted_writes_with_and_without_smbprotocols_copies(
    samba, client, samba_folder, write_path
):
    """Encrypted SMB 3.1.1 writes take the copy-free path (smbwrite); anything it does not
    cover takes smbprotocol's. Both must put the same bytes on the share."""
    root = samba.share_path("data") / samba_folder
    data = os.urandom(9 * 1024 * 1024 + 12345)
    with client.open_write("lean.bin") as handle:
        assert handle._inner.raw.lean is (write_path == "copy-free")
        # Pieces smaller and larger than one WRITE, of odd sizes, so that writes straddle.
        for start, end in ((0, 1), (1, 70_000), (70_000, 5_000_000), (5_000_000, len(data))):
            handle.write(data[start:end])
    assert (root / "lean.bin").read_bytes() == data
    assert client.stat("lean.bin").size == len(data)
    # The connection is still in step (message ids, credits) for whatever comes next.
    assert client.read_bytes("lean.bin") == data
    client.write_bytes("lean.bin", b"small")
    assert (root / "lean.bin").read_bytes() == b"small"


def test_copy_free_path_only_on_the_tested_smbprotocol_releases(client, monkeypatch):
    """The copy-free path leans on smbprotocol internals: pyproject.toml pins smbprotocol to
    the releases it was tested with, and any other release (installed against the pin)
    writes through smbprotocol's own path."""
    pyproject = (Path(__file__).parents[1] / "pyproject.toml").read_text()
    [pin] = re.findall(r'"(smbprotocol[^"]*)"', pyproject)
    (low_major, low_minor), (high_major, high_minor) = smbwrite.TESTED
    assert pin == f"smbprotocol>={low_major}.{low_minor},<{high_major}.{high_minor}"
    assert smbwrite.tested_release()  # the one installed here
    releases = {
        f"{low_major}.{low_minor - 1}.9": False,
        f"{low_major}.{low_minor}.0": True,
        f"{high_major}.{high_minor - 1}.5": True,
        f"{high_major}.{high_minor}.0": False,
        f"{high_major + 1}.0.0": False,
        "unknown": False,
    }
    try:
        for release, lean in releases.items():
            monkeypatch.setattr(smbwrite, "version", lambda _name, release=release: release)
            smbwrite.tested_release.cache_clear()
            with client.open_write("release.bin") as handle:
                assert handle._inner.raw.lean is lean, release
                handle.write(release.encode())
            assert client.read_bytes("release.bin") == release.encode()
    finally:
        smbwrite.tested_release.cache_clear()
