"""Requests the drive API must answer precisely: undecodable paths, a rename into a missing
folder. Each error is a 4xx naming the right thing, and none leaves a traceback in the log.
"""

from __future__ import annotations

import json
import logging

import pytest
from tornado.httpclient import HTTPClientError

API = ("atrium", "api", "netdrive")


@pytest.fixture
def jp_server_config(jp_server_config):
    jp_server_config["AtriumNetDrive"] = {"connect_timeout": 3.0}
    return jp_server_config


async def connect(jp_fetch, samba, folder: str, name: str) -> None:
    body = {
        "share": f"smb://127.0.0.1:{samba.port}/data/{folder}",
        "domain": "",
        "username": samba.user,
        "password": samba.password,
        "displayName": "Data",
        "readOnly": False,
        "name": name,
    }
    reply = await jp_fetch(*API, "drives", method="POST", body=json.dumps(body))
    assert reply.code == 201


@pytest.fixture
def fetch_as_is(http_server_client, jp_auth_header, jp_base_url):
    """Send ``path`` exactly as given (jp_fetch would percent-encode a '%' itself)."""

    async def fetch(verb: str, path: str, body: bytes | None = None) -> tuple[int, dict]:
        url = jp_base_url.rstrip("/") + "/" + path
        try:
            reply = await http_server_client.fetch(
                url,
                method=verb,
                headers={**jp_auth_header, "Content-Type": "application/octet-stream"},
                body=body,
                allow_nonstandard_methods=True,
            )
        except HTTPClientError as err:
            return err.code, json.loads(err.response.body)
        return reply.code, json.loads(reply.body or b"{}")

    return fetch


def tracebacks(caplog) -> list[str]:
    return [
        f"{record.name}: {record.getMessage()}"
        for record in caplog.records
        if record.exc_info or "Traceback" in record.getMessage()
    ]


@pytest.mark.parametrize(
    ("verb", "where", "query"),
    [
        ("GET", "raw/d", ""),
        ("PUT", "raw/d", ""),
        ("PUT", "raw/d", "?chunk=1"),
        ("GET", "drives/d/contents", ""),
        ("PUT", "drives/d/contents", ""),
    ],
)
async def test_path_that_is_not_utf8_is_a_clean_400(
    jp_fetch, fetch_as_is, samba, samba_folder, caplog, verb, where, query
):
    caplog.set_level(logging.INFO)
    await connect(jp_fetch, samba, samba_folder, "d")
    body = b"x" * 1000 if verb == "PUT" else None
    # %FF and a lone continuation byte: no UTF-8 decoder accepts either.
    for path in ("%FF.txt", "sub/a%C3%28b", "%80"):
        code, reply = await fetch_as_is(verb, f"{'/'.join(API)}/{where}/{path}{query}", body)
        assert code == 400, (path, code, reply)
        assert reply == {"message": "The path is not valid UTF-8.", "reason": "invalid-path"}
    # The connection-close hook also runs for these requests: nothing may blow up there.
    code, _ = await fetch_as_is("GET", f"{'/'.join(API)}/drives")
    assert code == 200
    assert tracebacks(caplog) == []
    assert "AttributeError" not in caplog.text


async def test_rename_into_a_missing_folder_names_the_folder(jp_fetch, samba, samba_folder):
    await connect(jp_fetch, samba, samba_folder, "d")
    await jp_fetch(
        *API,
        "drives",
        "d",
        "contents",
        "hi.txt",
        method="PUT",
        body=json.dumps({"type": "file", "format": "text", "content": "hello"}),
    )

    async def refused_rename(old: str, new: str) -> tuple[int, dict]:
        with pytest.raises(HTTPClientError) as err:
            await jp_fetch(
                *API, "drives", "d", "contents", old, method="PATCH", body=json.dumps({"path": new})
            )
        return err.value.code, json.loads(err.value.response.body)

    code, reply = await refused_rename("hi.txt", "missing/deeper/hi.txt")
    assert (code, reply["reason"]) == (404, "not-found"), reply
    assert reply["message"] == "The folder 'missing/deeper' does not exist on the drive."
    # A missing source still names the source.
    code, reply = await refused_rename("nope.txt", "other.txt")
    assert code == 404 and "nope.txt" in reply["message"], reply
    # The file stayed where it was.
    listing = json.loads((await jp_fetch(*API, "drives", "d", "contents")).body)
    assert [item["name"] for item in listing["content"]] == ["hi.txt"]
