"""Request size limits of the Atrium endpoints: bodies are refused before they are held,
long URLs get an answer.

A body whose ``Content-Length`` is over an endpoint's limit is refused with a JSON 413 while
the client has sent nothing but headers; a chunked body is refused as soon as it passes the
limit, so the server never holds more than that; past the HTTP server's own body limit the
answer is the same JSON, not tornado's bare 400. A URL over 8 KiB gets a JSON 414, up to
100,000 characters and beyond (tornado alone closes the connection at 64 KiB). The last test
runs a real ``jupyter server`` and watches its memory while 200 MB bodies arrive.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from jupyterlab_atrium.base import MAX_URL_BYTES, allow_long_headers

from .real_server import running_server

GALLERY = "atrium/api/service/gallery"
MiB = 2**20


async def _read_answer(reader: asyncio.StreamReader) -> tuple[int, dict[str, str], bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").rstrip("\r\n").split("\r\n")
    assert lines[0].startswith("HTTP/1.1 "), head[:200]
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    body = await reader.readexactly(int(headers.get("content-length", "0")))
    return int(lines[0].split()[1]), headers, body


async def http(
    port: int,
    method: str,
    path: str,
    token: str,
    *,
    length: int | None = None,
    chunked_total: int = 0,
    piece: int = 256 * 1024,
) -> tuple[int, dict[str, str], bytes, int]:
    """One raw HTTP/1.1 request: (status, headers, body, body bytes the client got to send).

    With ``length`` the headers declare it and the client sends no body at all (the answer
    must come without it); with ``chunked_total`` the body is sent chunked, piece by piece,
    until the answer has arrived.
    """
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", f"Authorization: token {token}"]
    head.append("Content-Type: application/json")
    if length is not None:
        head.append(f"Content-Length: {length}")
    if chunked_total:
        head.append("Transfer-Encoding: chunked")
    writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
    answer = asyncio.ensure_future(_read_answer(reader))
    sent = 0
    frame = f"{piece:x}\r\n".encode() + b" " * piece + b"\r\n"
    try:
        while sent < chunked_total and not answer.done():
            writer.write(frame)
            await writer.drain()
            sent += piece
        if chunked_total and not answer.done():
            writer.write(b"0\r\n\r\n")
            await writer.drain()
    except (ConnectionError, OSError):
        pass  # the server closed; its answer came first
    try:
        return (*await asyncio.wait_for(answer, timeout=120), sent)
    finally:
        writer.close()


def json_error(status: int, headers: dict[str, str], body: bytes, expected: int) -> dict:
    assert status == expected, (status, body[:300])
    assert headers["content-type"].startswith("application/json"), headers
    error = json.loads(body)
    assert isinstance(error["message"], str) and error["message"]
    return error


@pytest.fixture
def small_notebooks(jp_server_config):
    """Notebooks up to 64 KiB: the gallery reads bodies up to 4 x 64 KiB + 64 KiB."""
    jp_server_config["AtriumGallery"] = {"max_notebook_bytes": 64 * 1024}
    return jp_server_config


@pytest.fixture
def server(jp_serverapp, http_server, http_server_port, jp_base_url):
    """(port, token, base URL) of the in-process test server."""
    return http_server_port[1], jp_serverapp.identity_provider.token, jp_base_url


@pytest.mark.usefixtures("small_notebooks")
@pytest.mark.parametrize(
    "method,path",
    [
        ("POST", f"{GALLERY}/notebooks"),
        ("PUT", f"{GALLERY}/notebooks/{'0' * 32}"),
        ("PATCH", f"{GALLERY}/notebooks/{'0' * 32}"),
        ("POST", f"{GALLERY}/notebooks/{'0' * 32}/change-requests"),
        ("POST", f"{GALLERY}/change-requests/{'0' * 32}/accept"),
        # Past the HTTP server's own limit (tornado's 100 MB in this test server) too:
        ("GET", "atrium/api/service/status"),
        ("POST", "atrium/api/netdrive/drives"),
    ],
)
async def test_a_declared_body_over_the_limit_is_refused_unsent(server, method, path):
    port, token, base = server
    status, headers, body, _ = await http(port, method, base + path, token, length=200 * MiB)
    error = json_error(status, headers, body, 413)
    assert error["reason"] == "too-large"


@pytest.mark.usefixtures("small_notebooks")
async def test_a_chunked_body_is_refused_once_it_passes_the_limit(server):
    port, token, base = server
    limit = 4 * 64 * 1024 + 64 * 1024
    status, headers, body, sent = await http(
        port, "POST", f"{base}{GALLERY}/notebooks", token, chunked_total=200 * MiB
    )
    error = json_error(status, headers, body, 413)
    assert error["reason"] == "too-large"
    # The server answered long before the client was through: it stopped reading at the
    # limit (what else was sent sat in socket buffers; no more than a few MiB on loopback).
    assert limit < sent < 64 * MiB, sent


@pytest.fixture
def big_notebooks(jp_server_config):
    """A notebook limit whose body ceiling (256 MiB) is above the HTTP server's own 100 MB."""
    jp_server_config["AtriumGallery"] = {"max_notebook_bytes": 64 * MiB}
    return jp_server_config


@pytest.mark.usefixtures("big_notebooks")
async def test_past_the_http_servers_own_limit_the_answer_is_json(server):
    port, token, base = server
    status, headers, body, _ = await http(
        port, "POST", f"{base}{GALLERY}/notebooks", token, length=150 * MiB
    )
    assert json_error(status, headers, body, 413)["reason"] == "too-large"


async def test_a_body_under_the_limit_is_read_whole(server, jp_fetch):
    nb = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {},
        "cells": [{"id": "a", "cell_type": "markdown", "metadata": {}, "source": "x" * MiB}],
    }
    reply = await jp_fetch(
        *GALLERY.split("/"),
        "notebooks",
        method="POST",
        body=json.dumps({"title": "Big", "notebook": nb}),
        raise_error=False,
    )
    assert reply.code == 201, reply.body[:300]


@pytest.mark.parametrize("length", [MAX_URL_BYTES + 1, 20_000, 100_000])
async def test_a_long_url_gets_414(server, http_server, length):
    allow_long_headers(http_server)  # as the extension does for jupyter_server's own server
    port, token, base = server
    path = f"{base}{GALLERY}/notebooks?q="
    path += "a" * (length - len(path))
    status, headers, body, _ = await http(port, "GET", path, token)
    assert json_error(status, headers, body, 414)["reason"] == "uri-too-long"


async def test_a_url_at_the_limit_is_answered(server):
    port, token, base = server
    path = f"{base}{GALLERY}/notebooks?q="
    path += "a" * (MAX_URL_BYTES - len(path))
    status, _, body, _ = await http(port, "GET", path, token)
    assert status == 200, body[:300]


# --- a real server ------------------------------------------------------------------------


def _rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


@pytest.fixture
def real_server(tmp_path):
    """``jupyter server`` from this source tree with its default identity provider and a token;
    1 MiB notebooks, so the gallery's bodies stop at 4 MiB + 64 KiB."""
    with running_server(tmp_path, {"AtriumGallery": {"max_notebook_bytes": MiB}}) as server:
        yield server


async def test_a_real_server_holds_no_oversized_body_and_answers_long_urls(real_server):
    port, token = real_server.port, real_server.token
    publish = f"/{GALLERY}/notebooks"
    # Warm up the paths measured below, so their one-time allocations are not counted.
    await http(port, "POST", publish, token, chunked_total=8 * MiB)
    await http(port, "POST", publish, token, length=200 * MiB)
    before = _rss(real_server.proc.pid)

    status, headers, body, _ = await http(port, "POST", publish, token, length=200 * MiB)
    assert json_error(status, headers, body, 413)["reason"] == "too-large"
    status, headers, body, _ = await http(port, "POST", publish, token, chunked_total=200 * MiB)
    assert json_error(status, headers, body, 413)["reason"] == "too-large"
    grown = _rss(real_server.proc.pid) - before
    assert grown < 48 * MiB, f"the server grew by {grown / MiB:.0f} MiB"

    # tornado's own header limit (64 KiB) is raised by the extension: a JSON 414, not silence.
    path = f"/{GALLERY}/notebooks?q=" + "a" * 100_000
    status, headers, body, _ = await http(port, "GET", path, token)
    assert json_error(status, headers, body, 414)["reason"] == "uri-too-long"
