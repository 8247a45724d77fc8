"""Deprecating gallery notebooks through the real server on SQLite and PostgreSQL: reasons and
alternatives (never the notebook itself, nbgallery #958; never one the viewer cannot read),
the freeze the server enforces (nbgallery froze only buttons), search that leaves deprecated
notebooks out but says when they were all it found (nbgallery #487), and who may deprecate,
as a generated matrix."""

# The tests take the imported fixtures as parameters, which F811 misreads.
# ruff: noqa: F811

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from .test_gallery_api import Reply, api, assert_error, notebook, publish  # noqa: F401
from .test_gallery_sharing_matrix import (  # noqa: F401
    ADMIN,
    SHARED_EDIT,
    SHARED_READ,
    STRANGER,
    VIEWERS,
    _publish_all,
    expected,
    jp_server_config,
    sharing_config,
)

pytestmark = pytest.mark.usefixtures("sharing_config")


async def etag_of(api, nid: str) -> str:
    return (await api("GET", "notebooks", nid, user=ADMIN)).headers["ETag"]


async def deprecate(api, nid: str, user: str = "alice", etag: str | None = None, **body) -> Reply:
    body.setdefault("reason", "Superseded by the new pipeline.")
    headers = {"If-Match": etag or await etag_of(api, nid)}
    return await api("PUT", "notebooks", nid, "deprecation", user=user, headers=headers, body=body)


async def undeprecate(api, nid: str, user: str = "alice", etag: str | None = None) -> Reply:
    headers = {"If-Match": etag or await etag_of(api, nid)}
    return await api("DELETE", "notebooks", nid, "deprecation", user=user, headers=headers)


async def search(api, user: str = "alice", **params) -> dict[str, Any]:
    reply = await api("GET", "notebooks", user=user, params=params)
    assert reply.code == 200, reply
    return reply.json


def ids(listing: dict[str, Any]) -> list[str]:
    return [item["id"] for item in listing["items"]]


async def test_deprecate_with_an_alternative_then_undeprecate(api):
    old = await publish(api, title="Old churn model", notebook=notebook("churnold = 1"))
    new = await publish(api, title="Churn model", notebook=notebook("churnnew = 1"))
    assert old["deprecation"] is None
    before = (await api("GET", "notebooks", old["id"])).headers["ETag"]

    reply = await deprecate(
        api, old["id"], reason="Uses the retired warehouse.", alternatives=[new["id"]]
    )
    assert reply.code == 200, reply
    summary = reply.json
    deprecation = summary["deprecation"]
    assert deprecation["reason"] == "Uses the retired warehouse."
    assert deprecation["frozen"] is False
    assert deprecation["deprecatedBy"] == "alice"
    assert deprecation["deprecatedAt"]
    assert deprecation["alternatives"] == [{"id": new["id"], "title": "Churn model"}]
    # Metadata: the content and its version stay, the ETag moves (caches see the banner).
    assert summary["contentHash"] == old["contentHash"]
    assert summary["version"] == old["version"]
    assert reply.headers["ETag"] != before
    # Every reader sees it, in the summary and in search results that include it.
    assert (await api("GET", "notebooks", old["id"], user="bob")).json["deprecation"] == deprecation
    # A stale ETag changes nothing.
    assert_error(await undeprecate(api, old["id"], etag=before), 409, "conflict")

    reply = await undeprecate(api, old["id"], etag=reply.headers["ETag"])
    assert reply.code == 200, reply
    assert reply.json["deprecation"] is None
    assert reply.json["contentHash"] == old["contentHash"]
    assert old["id"] in ids(await search(api, q="churnold"))
    # Undeprecating a live notebook is harmless.
    assert (await undeprecate(api, old["id"])).code == 200


async def test_bad_deprecations_are_refused_and_store_nothing(api):
    nb = await publish(api, notebook=notebook("selfalt = 1"))
    nid = nb["id"]
    hidden = await publish(api, user="bob", visibility="private")
    cases = [
        ({"alternatives": [nid]}, "self-alternative"),  # nbgallery #958
        ({"alternatives": ["0" * 32]}, "unknown-alternative"),
        ({"alternatives": ["not-an-id"]}, "unknown-alternative"),
        ({"alternatives": [hidden["id"]]}, "unknown-alternative"),  # exists, but not for alice
        ({"alternatives": "abc"}, "bad-request"),
        ({"alternatives": [1]}, "bad-request"),
        ({"alternatives": [f"{i:032x}" for i in range(11)]}, "bad-request"),
        ({"reason": ""}, "bad-request"),
        ({"reason": None}, "bad-request"),
        ({"reason": "x" * 2001}, "bad-request"),
        ({"reason": "a\x00b"}, "bad-request"),
        ({"freeze": "yes"}, "bad-request"),
    ]
    for body, reason in cases:
        assert_error(await deprecate(api, nid, **body), 400, reason)
    reply = await api("PUT", "notebooks", nid, "deprecation", body={"reason": "r"})
    assert_error(reply, 428, "precondition-required")  # no If-Match
    reply = await api(
        "PUT", "notebooks", nid, "deprecation", raw=b"[]", headers={"If-Match": '"v1"'}
    )
    assert reply.code == 400, reply
    missing = await api(
        "PUT",
        "notebooks",
        "f" * 32,
        "deprecation",
        headers={"If-Match": '"v1"'},
        body={"reason": "r"},
    )
    assert_error(missing, 404, "not-found")
    assert (await api("GET", "notebooks", nid)).json["deprecation"] is None
    assert nid in ids(await search(api, q="selfalt"))


async def test_alternatives_the_viewer_cannot_read_are_never_shown(api, database_url):
    old = await publish(api, title="Old", notebook=notebook("altold = 1"))
    public = await publish(api, title="Public alternative")
    team = await publish(api, title="Team alternative", visibility="shared")
    assert (
        await api(
            "PUT",
            "notebooks",
            team["id"],
            "shares",
            body={"kind": "group", "name": "team", "access": "read"},
        )
    ).code == 200
    reply = await deprecate(api, old["id"], alternatives=[team["id"], public["id"]])
    assert reply.code == 200, reply
    both = [
        {"id": team["id"], "title": "Team alternative"},
        {"id": public["id"], "title": "Public alternative"},
    ]
    assert reply.json["deprecation"]["alternatives"] == both
    assert (await api("GET", "notebooks", old["id"], user="gina")).json["deprecation"][
        "alternatives"
    ] == both
    for user in ("stan", "bob"):
        seen = (await api("GET", "notebooks", old["id"], user=user)).json["deprecation"]
        assert seen["alternatives"] == [both[1]], user
        found = await search(api, user=user, q="altold", deprecated="include")
        assert found["items"][0]["deprecation"]["alternatives"] == [both[1]]
    # A deleted alternative drops out for everyone.
    assert (await api("DELETE", "notebooks", public["id"])).code == 204
    seen = (await api("GET", "notebooks", old["id"], user="stan")).json["deprecation"]
    assert seen["alternatives"] == []


async def test_a_frozen_notebook_refuses_copies_downloads_and_versions(api, database_url):
    nb = await publish(api, visibility="shared", notebook=notebook("frozen = 1"))
    nid = nb["id"]
    assert (await api("GET", "policy", user="bob")).code == 200  # bob becomes known
    for share in (
        {"kind": "user", "name": "bob", "access": "read"},
        {"kind": "group", "name": "editors", "access": "edit"},
    ):
        assert (await api("PUT", "notebooks", nid, "shares", body=share)).code == 200
    # A change request filed before the freeze cannot be accepted after it.
    cr = await api(
        "POST",
        "notebooks",
        nid,
        "change-requests",
        user="bob",
        body={"notebook": notebook("better = 1"), "comment": "", "baseVersion": 1},
    )
    assert cr.code == 201, cr
    reply = await deprecate(api, nid, freeze=True)
    assert reply.code == 200 and reply.json["deprecation"]["frozen"] is True, reply
    etag = reply.headers["ETag"]

    # Readers: no content (Open a copy, download, diff), no change requests.
    for params in (None, {"version": "1"}):
        assert_error(
            await api("GET", "notebooks", nid, "content", user="bob", params=params),
            423,
            "frozen",
        )
    filed = await api(
        "POST",
        "notebooks",
        nid,
        "change-requests",
        user="bob",
        body={"notebook": notebook("x = 1"), "comment": "", "baseVersion": 1},
    )
    assert_error(filed, 423, "frozen")
    # The summary, its versions and the deprecation stay readable.
    assert (await api("GET", "notebooks", nid, user="bob")).json["deprecation"]["frozen"]
    assert (await api("GET", "notebooks", nid, "versions", user="bob")).code == 200
    # Editors read the content (to decide on undeprecating) but publish nothing new.
    assert (await api("GET", "notebooks", nid, "content")).code == 200
    assert (await api("GET", "notebooks", nid, "content", user="eddie")).code == 200
    for user in ("alice", "eddie", ADMIN):
        put = await api(
            "PUT",
            "notebooks",
            nid,
            user=user,
            headers={"If-Match": etag},
            body={"notebook": notebook("new = 2")},
        )
        assert_error(put, 423, "frozen")
    assert_error(
        await api("POST", "change-requests", cr.json["id"], "accept", body={}), 423, "frozen"
    )
    assert (await api("GET", "notebooks", nid)).json["version"] == 1

    # Undeprecating lifts the freeze.
    reply = await undeprecate(api, nid, etag=etag)
    assert reply.code == 200, reply
    assert (await api("GET", "notebooks", nid, "content", user="bob")).code == 200
    accepted = await api("POST", "change-requests", cr.json["id"], "accept", body={})
    assert accepted.code == 200, accepted
    assert accepted.json["notebook"]["version"] == 2


async def test_deprecated_without_freeze_keeps_content_open(api):
    nb = await publish(api, notebook=notebook("unfrozen = 1"))
    assert (await deprecate(api, nb["id"])).code == 200
    assert (await api("GET", "notebooks", nb["id"], "content", user="bob")).code == 200


async def test_search_leaves_deprecated_out_and_says_when_they_were_all_it_found_487(
    api, database_url
):
    old = await publish(api, title="Legacy ledger", notebook=notebook("ledgerx = 1"))
    live = await publish(api, title="Ledger", notebook=notebook("ledgery = 1"))
    secret = await publish(api, user="bob", visibility="private", notebook=notebook("ledgerx()"))
    assert (await deprecate(api, old["id"])).code == 200
    assert (await deprecate(api, secret["id"], user="bob")).code == 200

    # Only deprecated matches: nothing listed, but how many there are (nbgallery #487).
    found = await search(api, q="ledgerx")
    assert found["items"] == [] and found["total"] == 0
    assert found["deprecatedMatches"] == 1  # bob's private one is not counted for alice
    assert (await search(api, user="bob", q="ledgerx"))["deprecatedMatches"] == 2
    shown = await search(api, q="ledgerx", deprecated="include")
    assert ids(shown) == [old["id"]] and shown["deprecatedMatches"] == 0
    assert shown["items"][0]["deprecation"]["reason"]
    assert ids(await search(api, q="ledgerx", deprecated="only")) == [old["id"]]
    # Live matches: the deprecated one is left out, and nothing more is said.
    found = await search(api, q="ledger")
    assert ids(found) == [live["id"]] and found["deprecatedMatches"] == 0
    # Listings without words too; one's own and starred notebooks keep them.
    assert old["id"] not in ids(await search(api, perPage=100))
    assert old["id"] in ids(await search(api, mine="1", perPage=100))
    assert old["id"] not in ids(await search(api, mine="1", deprecated="exclude"))
    assert (await api("PUT", "notebooks", old["id"], "star", user="carol")).code == 200
    assert old["id"] in ids(await search(api, user="carol", starred="1"))
    assert_error(
        await api("GET", "notebooks", params={"deprecated": "sometimes"}), 400, "bad-request"
    )
    # Undeprecated, it is found again.
    assert (await undeprecate(api, old["id"])).code == 200
    assert old["id"] in ids(await search(api, q="ledgerx"))


def may_curate(owner_kind: str, viewer: str) -> bool:
    """Owners, members of the owning group, group_roles editors and admins — not users or
    groups the notebook is merely shared with for edit."""
    group_owned = owner_kind == "group"
    return viewer in ("owner", "admin") or (
        group_owned and viewer in ("group member", "role editor")
    )


async def _probe(api, nb, owner_kind, visibility, viewer, user) -> list[str]:
    rule = expected(owner_kind, viewer, visibility)
    curate = may_curate(owner_kind, viewer)
    want = 200 if curate else 403 if rule["read"] else 404
    label = f"{owner_kind}-owned {visibility}, {viewer} ({user})"
    wrong = []
    seen = await api("GET", "notebooks", nb["id"], user=user)
    if seen.code == 200 and seen.json["canDeprecate"] is not curate:
        wrong.append(f"{label}: canDeprecate: got {seen.json['canDeprecate']}, want {curate}")
    reply = await deprecate(api, nb["id"], user=user, freeze=True)
    if reply.code != want:
        wrong.append(f"{label}: deprecate: got {reply.code}, want {want}")
    if reply.code == 200:
        reply = await undeprecate(api, nb["id"], user=user, etag=reply.headers["ETag"])
        if reply.code != 200:
            wrong.append(f"{label}: undeprecate: got {reply.code}")
    return wrong


async def test_who_may_deprecate_the_matrix(api):
    published = await _publish_all(api)
    wrong: list[str] = []
    for viewer, user in VIEWERS.items():
        batch = [
            (nb, owner_kind, visibility, viewer, user or nb["publisher"])
            for (owner_kind, visibility), nb in published.items()
        ]
        for found in await asyncio.gather(*(_probe(api, *case) for case in batch)):
            wrong.extend(found)
    assert not wrong, f"{len(wrong)} cells wrong:\n" + "\n".join(wrong)
    # Someone who may not deprecate cannot undeprecate either.
    nb = published[("user", "shared")]
    reply = await deprecate(api, nb["id"], user=nb["publisher"])
    assert reply.code == 200, reply
    for user in (SHARED_EDIT, SHARED_READ):
        assert_error(await undeprecate(api, nb["id"], user=user), 403, "forbidden")
    assert_error(await undeprecate(api, nb["id"], user=STRANGER), 404, "not-found")
    # Alternatives: each viewer sees exactly the ones they may read.
    public = published[("user", "public")]
    everything = [n["id"] for key, n in published.items() if n is not public]
    reply = await deprecate(api, public["id"], user=ADMIN, alternatives=everything)
    assert reply.code == 200, reply
    for viewer, user in VIEWERS.items():
        user = user or public["publisher"]
        seen = (await api("GET", "notebooks", public["id"], user=user)).json
        shown = {alt["id"] for alt in seen["deprecation"]["alternatives"]}
        readable = set()
        for (owner_kind, visibility), n in published.items():
            # The "owner" viewer (olga) owns the user-owned notebooks only.
            role = "stranger" if viewer == "owner" and owner_kind == "group" else viewer
            if n is not public and expected(owner_kind, role, visibility)["read"]:
                readable.add(n["id"])
        assert shown == readable, (viewer, user)
