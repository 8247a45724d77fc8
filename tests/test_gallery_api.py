"""The gallery REST API through a real jupyter_server with the embedded service on SQLite.

Users are told apart by the ``gallery_users`` fixture (tests/conftest.py): the server's real
token authentication, then a header naming the user.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from jupyterlab_atrium.base import MAX_URL_BYTES
from jupyterlab_atrium.gallery.content_hash import content_hash

from .conftest import GALLERY_USER_HEADER

pytestmark = pytest.mark.usefixtures("gallery_users")

BASE = ("atrium", "api", "service", "gallery")


def notebook(
    *sources: str, markdown: str = "# Analysis", tags: dict[int, list[str]] | None = None
) -> dict[str, Any]:
    """A heading and code cells c0, c1, … (ids stable across versions); `tags` by index."""
    cells: list[dict[str, Any]] = [
        {"cell_type": "markdown", "id": "md0", "metadata": {}, "source": markdown}
    ]
    for index, source in enumerate(sources or ("print('hello')",)):
        cells.append(
            {
                "cell_type": "code",
                "execution_count": None,
                "id": f"c{index}",
                "metadata": {"tags": tags[index]} if tags and index in tags else {},
                "outputs": [],
                "source": source,
            }
        )
    return {
        "cells": cells,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


class Reply:
    def __init__(self, response) -> None:
        self.code = response.code
        self.headers = response.headers
        self.raw = response.body or b""

    @property
    def json(self) -> Any:
        return json.loads(self.raw)

    def __repr__(self) -> str:
        return f"<Reply {self.code} {self.raw[:300]!r}>"


def rest_client(jp_fetch, base: tuple[str, ...] = ()):
    """A REST caller of the test server acting as `user`; paths are below `base`."""

    async def call(
        method: str,
        *path: str,
        user: str = "alice",
        body: Any = None,
        raw: bytes | None = None,
        headers: dict[str, str] | None = None,
        params: dict[str, Any] | None = None,
    ) -> Reply:
        all_headers = {GALLERY_USER_HEADER: user, **(headers or {})}
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        if data is None and method in ("POST", "PUT", "PATCH"):
            data = b""
        response = await jp_fetch(
            *base,
            *path,
            method=method,
            body=data,
            headers=all_headers,
            params=params,
            raise_error=False,
            allow_nonstandard_methods=True,
        )
        return Reply(response)

    return call


@pytest.fixture
def api(jp_fetch):
    return rest_client(jp_fetch, BASE)


async def publish(api, user="alice", **fields) -> dict[str, Any]:
    body = {
        "title": "Sales analysis",
        "description": "Quarterly sales by region",
        "tags": ["sales", "pandas"],
        "visibility": "public",
        "notebook": notebook("import pandas as pd\ndf = pd.read_csv('sales.csv')"),
        **fields,
    }
    reply = await api("POST", "notebooks", user=user, body=body)
    assert reply.code == 201, reply
    return reply.json


def assert_error(reply: Reply, status: int, reason: str) -> dict[str, Any]:
    assert reply.code == status, reply
    assert reply.headers["Content-Type"].startswith("application/json")
    body = reply.json
    assert body["reason"] == reason, body
    assert isinstance(body["message"], str) and body["message"]
    return body


# --- policy -------------------------------------------------------------------------------


async def test_policy_reports_limits_and_the_user(api):
    policy = (await api("GET", "policy")).json
    assert policy == {
        "maxNotebookBytes": 16 * 1024 * 1024,
        "allowAttachments": False,
        "admin": False,
        "user": "alice",
        "apiVersion": 1,
        "reviewKinds": {},
        "reviewerOf": [],
    }
    assert (await api("GET", "policy", user="admin")).json["admin"] is True


# --- publish, read ------------------------------------------------------------------------


async def test_publish_returns_the_summary_and_stores_the_content(api):
    nb = notebook("x = 1")
    reply = await api(
        "POST",
        "notebooks",
        body={
            "title": "  <script>alert(1)</script> Title  ",
            "description": "d",
            "tags": ["Pandas", "ml.v2", "a+b", "x-y", "pandas"],
            "visibility": "private",
            "notebook": nb,
        },
    )
    assert reply.code == 201, reply
    summary = reply.json
    assert reply.headers["ETag"] == '"v1"'
    assert len(summary["id"]) == 32
    assert summary["title"] == "<script>alert(1)</script> Title"  # stored as text, as given
    assert summary["tags"] == ["pandas", "ml.v2", "a+b", "x-y"]
    assert summary["owner"] == "alice"
    assert summary["visibility"] == "private"
    assert summary["version"] == 1
    assert summary["contentHash"] == content_hash(nb)
    assert summary["stars"] == 0 and summary["starred"] is False
    assert summary["parentId"] is None
    assert summary["canEdit"] is True
    assert summary["health"]["label"] == "unknown" and summary["health"]["score"] is None
    assert summary["openChangeRequests"] == 0
    assert summary["createdAt"].endswith("Z") and summary["createdAt"] == summary["updatedAt"]
    assert "snippet" not in summary

    got = await api("GET", "notebooks", summary["id"])
    assert got.code == 200 and got.json == summary and got.headers["ETag"] == '"v1"'
    content = await api("GET", "notebooks", summary["id"], "content")
    assert content.code == 200 and content.headers["ETag"] == '"v1"'
    assert content.json == nb


async def test_fork_remembers_its_parent(api):
    parent = await publish(api)
    fork = await publish(api, user="bob", title="My fork", parentId=parent["id"])
    assert fork["parentId"] == parent["id"]
    reply = await api(
        "POST",
        "notebooks",
        user="bob",
        body={"title": "x", "notebook": notebook(), "parentId": "f" * 32},
    )
    assert_error(reply, 400, "bad-request")


@pytest.mark.parametrize(
    ("fields", "fragment"),
    [
        ({"title": ""}, "title"),
        ({"title": None}, "title"),
        ({"title": "t" * 201}, "title"),
        ({"title": 5}, "title"),
        ({"description": "d" * 5001}, "description"),
        ({"tags": ["has space"]}, "Tags"),
        ({"tags": ["x" * 41]}, "Tags"),
        ({"tags": [f"t{i}" for i in range(21)]}, "20 tags"),
        ({"tags": "pandas"}, "tags"),
        ({"tags": ["<b>"]}, "Tags"),
        ({"visibility": "secret"}, "visibility"),
        ({"notebook": None}, "notebook"),
    ],
)
async def test_publish_refuses_bad_fields(api, fields, fragment):
    body = {"title": "T", "visibility": "public", "notebook": notebook(), **fields}
    reply = await api("POST", "notebooks", body=body)
    assert fragment in assert_error(reply, 400, "bad-request")["message"]


@pytest.mark.parametrize(
    ("nb", "reason"),
    [
        ([], "not-a-notebook"),
        ({"cells": [], "metadata": {}}, "not-a-notebook"),
        ({"cells": [], "metadata": {}, "nbformat": 3, "nbformat_minor": 0}, "old-nbformat"),
        (
            {
                "cells": [{"cell_type": "bogus", "source": "", "metadata": {}}],
                "metadata": {},
                "nbformat": 4,
                "nbformat_minor": 5,
            },
            "not-a-notebook",
        ),
    ],
)
async def test_publish_refuses_what_is_not_a_notebook(api, nb, reason):
    reply = await api("POST", "notebooks", body={"title": "T", "notebook": nb})
    assert_error(reply, 400, reason)


async def test_publish_refuses_invalid_json_bodies(api):
    assert_error(await api("POST", "notebooks", raw=b"{not json"), 400, "invalid-json")
    assert_error(await api("POST", "notebooks", raw=b"[1, 2]"), 400, "bad-request")
    nan = b'{"title": "T", "notebook": {"cells": [], "metadata": {"x": NaN}}}'
    assert_error(await api("POST", "notebooks", raw=nan), 400, "invalid-json")
    assert_error(await api("POST", "notebooks", raw=b"\xff\xfe"), 400, "invalid-json")


async def test_publish_refuses_outputs_with_the_problems(api):
    nb = notebook("1 + 1")
    nb["cells"][1]["outputs"] = [
        {
            "output_type": "execute_result",
            "data": {"text/plain": "2"},
            "metadata": {},
            "execution_count": 1,
        }
    ]
    nb["cells"][1]["execution_count"] = 1
    nb["metadata"]["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    body = assert_error(
        await api("POST", "notebooks", body={"title": "T", "notebook": nb}), 422, "not-stripped"
    )
    kinds = {problem["kind"] for problem in body["problems"]}
    assert {"outputs", "executionCounts", "widgetState"} <= kinds
    assert all({"path", "kind", "message"} == set(p) for p in body["problems"])
    # Nothing was stored.
    assert (await api("GET", "notebooks")).json["total"] == 0


async def test_attachments_are_refused_unless_the_admin_allows_them(api):
    nb = notebook()
    nb["cells"][0]["attachments"] = {"a.png": {"image/png": "iVBORw0KGgo="}}
    reply = await api("POST", "notebooks", body={"title": "T", "notebook": nb})
    body = assert_error(reply, 422, "not-stripped")
    assert body["problems"][0]["kind"] == "attachments"


@pytest.fixture
def small_limit(gallery_users):
    gallery_users["AtriumGallery"].update(max_notebook_bytes=4000, allow_attachments=True)


@pytest.mark.usefixtures("small_limit")
async def test_the_admins_limits_apply(api):
    policy = (await api("GET", "policy")).json
    assert policy["maxNotebookBytes"] == 4000 and policy["allowAttachments"] is True
    nb = notebook()
    nb["cells"][0]["attachments"] = {"a.png": {"image/png": "iVBORw0KGgo="}}
    assert (await api("POST", "notebooks", body={"title": "T", "notebook": nb})).code == 201
    big = notebook("x = '" + "a" * 5000 + "'")
    reply = await api("POST", "notebooks", body={"title": "T", "notebook": big})
    assert_error(reply, 413, "too-large")
    # Far over the limit: refused before it is parsed.
    huge = b'{"title": "T", "notebook": "' + b"a" * 40000 + b'"}'
    assert_error(await api("POST", "notebooks", raw=huge), 413, "too-large")


async def test_unknown_notebooks_are_404(api):
    for path in (
        ("notebooks", "0" * 32),
        ("notebooks", "nope"),
        ("notebooks", "0" * 32, "content"),
        ("notebooks", "0" * 32, "versions"),
    ):
        assert_error(await api("GET", *path), 404, "not-found")
    assert_error(await api("PUT", "notebooks", "0" * 32, "star"), 404, "not-found")
    assert_error(await api("DELETE", "notebooks", "0" * 32), 404, "not-found")


# --- ETag, update, patch ------------------------------------------------------------------


async def test_if_none_match_gives_304_until_a_new_version(api):
    nb = await publish(api)
    same = await api("GET", "notebooks", nb["id"], headers={"If-None-Match": '"v1"'})
    assert same.code == 304 and same.raw == b"" and same.headers["ETag"] == '"v1"'
    weak = await api("GET", "notebooks", nb["id"], headers={"If-None-Match": 'W/"v0", W/"v1"'})
    assert weak.code == 304
    stale = await api("GET", "notebooks", nb["id"], headers={"If-None-Match": '"v0"'})
    assert stale.code == 200 and stale.json["version"] == 1
    # Even the cheap check does not reveal private notebooks of others.
    private = await publish(api, visibility="private")
    reply = await api(
        "GET", "notebooks", private["id"], user="bob", headers={"If-None-Match": '"v1"'}
    )
    assert_error(reply, 404, "not-found")


async def test_update_creates_versions_with_if_match(api):
    first = await publish(api)
    nid = first["id"]
    v2 = notebook("import pandas as pd\ndf = pd.read_parquet('sales.parquet')")
    assert_error(
        await api("PUT", "notebooks", nid, body={"notebook": v2}), 428, "precondition-required"
    )
    assert_error(
        await api("PUT", "notebooks", nid, body={"notebook": v2}, headers={"If-Match": "garbage"}),
        428,
        "precondition-required",
    )
    reply = await api(
        "PUT",
        "notebooks",
        nid,
        body={"notebook": v2, "note": "parquet"},
        headers={"If-Match": '"v1"'},
    )
    assert reply.code == 200, reply
    assert reply.headers["ETag"] == '"v2"'
    assert reply.json["version"] == 2 and reply.json["contentHash"] == content_hash(v2)
    assert reply.json["updatedAt"] >= first["updatedAt"]

    stale = await api(
        "PUT", "notebooks", nid, body={"notebook": notebook("y")}, headers={"If-Match": '"v1"'}
    )
    body = assert_error(stale, 409, "conflict")
    assert body["current"]["version"] == 2 and body["current"]["id"] == nid

    same = await api(
        "PUT", "notebooks", nid, body={"notebook": copy.deepcopy(v2)}, headers={"If-Match": '"v2"'}
    )
    assert same.code == 200 and same.json["version"] == 2

    versions = (await api("GET", "notebooks", nid, "versions")).json["items"]
    assert [v["version"] for v in versions] == [2, 1]
    assert versions[0]["note"] == "parquet" and versions[0]["author"] == "alice"
    assert versions[0]["contentHash"] == content_hash(v2)
    assert versions[0]["size"] > 0 and versions[0]["createdAt"].endswith("Z")

    old = await api("GET", "notebooks", nid, "content", params={"version": "1"})
    assert old.code == 200 and old.headers["ETag"] == '"v1"'
    assert "read_csv" in json.dumps(old.json)
    assert (await api("GET", "notebooks", nid, "content")).json == v2
    assert_error(
        await api("GET", "notebooks", nid, "content", params={"version": "9"}), 404, "not-found"
    )
    assert_error(
        await api("GET", "notebooks", nid, "content", params={"version": "x"}), 400, "bad-request"
    )

    dirty = notebook("z")
    dirty["cells"][1]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "z"}]
    assert_error(
        await api("PUT", "notebooks", nid, body={"notebook": dirty}, headers={"If-Match": '"v2"'}),
        422,
        "not-stripped",
    )


async def test_patch_changes_metadata_without_a_version(api):
    nb = await publish(api)
    nid = nb["id"]
    assert_error(
        await api("PATCH", "notebooks", nid, body={"title": "New"}), 428, "precondition-required"
    )
    reply = await api(
        "PATCH",
        "notebooks",
        nid,
        headers={"If-Match": '"v1"'},
        body={"title": "New title", "tags": ["ml"], "visibility": "private"},
    )
    assert reply.code == 200, reply
    # No new content version; the ETag counts the metadata edit (test_gallery_concurrency).
    assert reply.headers["ETag"] == '"v1.1"'
    assert reply.json["title"] == "New title" and reply.json["tags"] == ["ml"]
    assert reply.json["visibility"] == "private" and reply.json["version"] == 1
    assert reply.json["description"] == nb["description"]
    assert_error(
        await api("PATCH", "notebooks", nid, headers={"If-Match": '"v0"'}, body={"title": "x"}),
        409,
        "conflict",
    )
    assert_error(
        await api("PATCH", "notebooks", nid, headers={"If-Match": '"v1"'}, body={"title": ""}),
        400,
        "bad-request",
    )
    tags = (await api("GET", "tags")).json["items"]
    assert tags == [{"tag": "ml", "count": 1}]


async def test_delete(api):
    nb = await publish(api)
    assert_error(
        await api("DELETE", "notebooks", nb["id"], headers={"If-Match": '"v7"'}), 409, "conflict"
    )
    reply = await api("DELETE", "notebooks", nb["id"])
    assert reply.code == 204 and reply.raw == b""
    assert_error(await api("GET", "notebooks", nb["id"]), 404, "not-found")
    assert (await api("GET", "notebooks", params={"q": "sales"})).json["total"] == 0


# --- stars, tags, search ------------------------------------------------------------------


async def test_stars(api):
    nb = await publish(api)
    assert (await api("PUT", "notebooks", nb["id"], "star", user="bob")).json == {
        "stars": 1,
        "starred": True,
    }
    assert (await api("PUT", "notebooks", nb["id"], "star", user="bob")).json["stars"] == 1
    assert (await api("PUT", "notebooks", nb["id"], "star", user="carol")).json["stars"] == 2
    summary = (await api("GET", "notebooks", nb["id"], user="bob")).json
    assert summary["stars"] == 2 and summary["starred"] is True
    assert (await api("GET", "notebooks", nb["id"])).json["starred"] is False
    starred = (await api("GET", "notebooks", user="bob", params={"starred": "1"})).json
    assert [item["id"] for item in starred["items"]] == [nb["id"]]
    assert (await api("DELETE", "notebooks", nb["id"], "star", user="bob")).json == {
        "stars": 1,
        "starred": False,
    }
    assert (await api("GET", "notebooks", user="bob", params={"starred": "1"})).json["total"] == 0


async def test_tags_count_visible_notebooks(api):
    await publish(api, tags=["sales", "pandas"])
    await publish(api, tags=["pandas"])
    await publish(api, user="bob", tags=["secret"], visibility="private")
    assert (await api("GET", "tags")).json["items"] == [
        {"tag": "pandas", "count": 2},
        {"tag": "sales", "count": 1},
    ]
    bob = (await api("GET", "tags", user="bob")).json["items"]
    assert {"tag": "secret", "count": 1} in bob


async def test_search_over_http(api):
    a = await publish(
        api,
        title="Churn model",
        description="Gradient boosting on customers",
        tags=["ml"],
        notebook=notebook("import xgboost\nmodel = xgboost.XGBClassifier()"),
    )
    b = await publish(api, user="bob", title="Sales dashboard", tags=["sales"])
    listing = await api("GET", "notebooks")
    assert listing.code == 200
    body = listing.json
    assert body["total"] == 2 and body["page"] == 1 and body["perPage"] == 20
    assert [item["id"] for item in body["items"]] == [b["id"], a["id"]]  # newest first

    hit = (await api("GET", "notebooks", params={"q": "xgboost"})).json
    assert [item["id"] for item in hit["items"]] == [a["id"]]
    assert "xgboost" in hit["items"][0]["snippet"]
    assert (await api("GET", "notebooks", params={"q": "XGB"})).json["total"] == 1  # prefix
    assert (await api("GET", "notebooks", params={"q": "boosting customers"})).json["total"] == 1
    assert (await api("GET", "notebooks", params={"owner": "bob"})).json["items"][0]["id"] == b[
        "id"
    ]
    assert (await api("GET", "notebooks", params={"mine": "1"})).json["total"] == 1
    assert (await api("GET", "notebooks", params={"tag": "sales"})).json["total"] == 1
    by_title = (await api("GET", "notebooks", params={"sort": "title"})).json["items"]
    assert [item["title"] for item in by_title] == ["Churn model", "Sales dashboard"]
    paged = (await api("GET", "notebooks", params={"perPage": "1", "page": "2"})).json
    assert paged["total"] == 2 and paged["perPage"] == 1 and paged["items"][0]["id"] == a["id"]
    assert (await api("GET", "notebooks", params={"perPage": "1000"})).json["perPage"] == 100
    assert_error(await api("GET", "notebooks", params={"sort": "random"}), 400, "bad-request")
    assert_error(await api("GET", "notebooks", params={"page": "x"}), 400, "bad-request")
    assert_error(await api("GET", "notebooks", params={"page": "100000"}), 400, "bad-request")


HOSTILE = [
    '"',
    '""',
    "'",
    "*",
    "-",
    "NEAR(",
    "NEAR(a b",
    "a OR b",
    "OR",
    "AND NOT",
    "title:x",
    "{title}: x",
    "^x",
    "x:*",
    "!",
    "&|",
    "(((",
    "')--",
    "'; DROP TABLE gallery_notebooks; --",
    "%",
    "_",
    "\\",
    "\x00",
    "日本語",
    "🙂",
    "e\u0301",
    "a" * 5000,
    " ".join(["w"] * 500),
    "<script>alert(1)</script>",
]


@pytest.mark.parametrize("q", HOSTILE)
async def test_hostile_queries_never_fail(api, q):
    reply = await api("GET", "notebooks", params={"q": q, "tag": q, "owner": q})
    # Three times 5000 characters make a URL over the 8 KiB Atrium reads (test_gallery_limits).
    assert reply.code == (414 if len(q) * 3 > MAX_URL_BYTES else 200), reply
    reply = await api("GET", "notebooks", params={"q": q})
    assert reply.code == 200, reply


async def test_hostile_content_is_stored_and_found(api):
    title = "<img src=x onerror=alert(1)> 'quoted' \"NEAR(\" 日本語 🙂"
    nb = await publish(
        api,
        title=title,
        description="x" * 5000,
        tags=["a" * 40] * 1 + ["ü.ß"],
        notebook=notebook("s = 'OR AND NOT * \" NEAR('", markdown="Ünïcödé 🙂"),
    )
    got = (await api("GET", "notebooks", nb["id"])).json
    assert got["title"] == title and got["tags"] == ["a" * 40, "ü.ß"]
    assert (await api("GET", "notebooks", params={"q": "日本語"})).json["total"] == 1
    assert (await api("GET", "notebooks", params={"q": "ünïcödé"})).json["total"] == 1
    assert (await api("GET", "notebooks", params={"q": 'NEAR( "'})).json["total"] == 1


# --- change requests ----------------------------------------------------------------------


async def test_change_request_round_trip(api):
    nb = await publish(api)
    nid = nb["id"]
    proposal = notebook("import pandas as pd\ndf = pd.read_csv('sales.csv')\ndf.describe()")
    assert_error(
        await api(
            "POST",
            "notebooks",
            nid,
            "change-requests",
            body={"notebook": proposal, "comment": "mine", "baseVersion": 1},
        ),
        400,
        "own-notebook",
    )
    assert_error(
        await api(
            "POST",
            "notebooks",
            nid,
            "change-requests",
            user="bob",
            body={"notebook": proposal, "comment": "x", "baseVersion": 0},
        ),
        400,
        "bad-request",
    )
    reply = await api(
        "POST",
        "notebooks",
        nid,
        "change-requests",
        user="bob",
        body={"notebook": proposal, "comment": "Add describe()", "baseVersion": 1},
    )
    assert reply.code == 201, reply
    cr = reply.json
    assert cr["notebookId"] == nid and cr["notebookTitle"] == nb["title"]
    assert cr["author"] == "bob" and cr["status"] == "open" and cr["baseVersion"] == 1
    assert cr["decidedAt"] is None and cr["decidedBy"] is None and cr["resultVersion"] is None
    assert cr["decisionComment"] == ""

    assert (await api("GET", "notebooks", nid)).json["openChangeRequests"] == 1
    assert (await api("GET", "notebooks", nid, user="bob")).json["openChangeRequests"] == 0
    incoming = (await api("GET", "change-requests", params={"role": "incoming"})).json["items"]
    assert [item["id"] for item in incoming] == [cr["id"]]
    outgoing = (await api("GET", "change-requests", user="bob", params={"role": "outgoing"})).json[
        "items"
    ]
    assert [item["id"] for item in outgoing] == [cr["id"]]
    assert (await api("GET", "change-requests", user="bob", params={"role": "incoming"})).json[
        "items"
    ] == []
    assert_error(await api("GET", "change-requests", params={"role": "x"}), 400, "bad-request")

    full = (await api("GET", "change-requests", cr["id"])).json
    assert full["notebook"] == proposal and full["id"] == cr["id"]
    assert_error(await api("GET", "change-requests", cr["id"], user="carol"), 404, "not-found")
    assert_error(
        await api("POST", "change-requests", cr["id"], "accept", user="bob", body={}),
        403,
        "forbidden",
    )

    accepted = await api("POST", "change-requests", cr["id"], "accept", body={})
    assert accepted.code == 200, accepted
    result = accepted.json
    assert result["changeRequest"]["status"] == "accepted"
    assert result["changeRequest"]["decidedBy"] == "alice"
    assert result["changeRequest"]["resultVersion"] == 2
    assert result["notebook"]["version"] == 2
    assert result["notebook"]["contentHash"] == content_hash(proposal)
    assert result["notebook"]["openChangeRequests"] == 0
    versions = (await api("GET", "notebooks", nid, "versions", user="bob")).json["items"]
    assert versions[0]["author"] == "bob" and versions[0]["note"] == "Add describe()"
    assert (await api("GET", "notebooks", nid, "content", user="bob")).json == proposal
    assert_error(await api("POST", "change-requests", cr["id"], "accept", body={}), 409, "conflict")
    assert_error(
        await api("POST", "change-requests", cr["id"], "withdraw", user="bob"), 409, "conflict"
    )
    done = (
        await api(
            "GET", "change-requests", user="bob", params={"role": "outgoing", "status": "all"}
        )
    ).json["items"]
    assert done[0]["status"] == "accepted"
    assert (await api("GET", "change-requests", user="bob", params={"role": "outgoing"})).json[
        "items"
    ] == []


async def test_decline_and_withdraw(api):
    nb = await publish(api)
    body = {"notebook": notebook("other()"), "comment": "try this", "baseVersion": 1}
    first = (
        await api("POST", "notebooks", nb["id"], "change-requests", user="bob", body=body)
    ).json
    second = (
        await api("POST", "notebooks", nb["id"], "change-requests", user="bob", body=body)
    ).json
    declined = await api(
        "POST", "change-requests", first["id"], "decline", body={"comment": "not now"}
    )
    assert declined.code == 200, declined
    assert declined.json["status"] == "declined"
    assert declined.json["decisionComment"] == "not now"
    assert_error(await api("POST", "change-requests", second["id"], "withdraw"), 403, "forbidden")
    withdrawn = await api("POST", "change-requests", second["id"], "withdraw", user="bob")
    assert withdrawn.code == 200 and withdrawn.json["status"] == "withdrawn"
    assert (await api("GET", "notebooks", nb["id"])).json["version"] == 1
    assert_error(await api("GET", "change-requests", "0" * 32), 404, "not-found")
