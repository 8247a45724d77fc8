"""The gallery inbox: a share tells the people it concerns, each sees only their own events,
never one about a notebook they can no longer read, and a read mark that only moves
forward. On SQLite and PostgreSQL, through the real server."""

# The tests take imported fixtures as parameters, which F811 misreads.
# ruff: noqa: F811

from __future__ import annotations

from typing import Any

import pytest

from .test_gallery_api import api, assert_error, publish  # noqa: F401
from .test_gallery_sharing import jp_server_config, share, sharing_config  # noqa: F401

pytestmark = pytest.mark.usefixtures("sharing_config", "database_url")


async def inbox(api, user: str, **params: Any) -> dict[str, Any]:
    reply = await api("GET", "inbox", user=user, params=params or None)
    assert reply.code == 200, reply
    return reply.json


async def set_visibility(api, nid: str, visibility: str) -> None:
    etag = (await api("GET", "notebooks", nid)).headers["ETag"]
    reply = await api(
        "PATCH", "notebooks", nid, headers={"If-Match": etag}, body={"visibility": visibility}
    )
    assert reply.code == 200, reply


async def test_a_share_reaches_the_user_and_only_them(api):
    nid = (await publish(api, visibility="shared", title="Ward census"))["id"]
    assert (await share(api, nid, kind="user", name="gus", access="read")).code == 200
    gus = await inbox(api, "gus")
    assert gus["unread"] == 1 and gus["readUpTo"] == 0 and gus["nextBefore"] is None
    [event] = gus["items"]
    assert event["kind"] == "share" and event["actor"] == "alice"
    assert event["notebookId"] == nid and event["notebookTitle"] == "Ward census"
    assert event["detail"] == {"access": "read"} and event["read"] is False
    assert event["via"] == {"kind": "user", "name": "gus"}
    assert event["createdAt"].endswith("Z")
    # Not the actor, not a stranger, not a gallery admin.
    for other in ("alice", "eddie", "admin"):
        assert (await inbox(api, other))["items"] == [], other


async def test_a_group_share_reaches_every_member_at_read_time(api):
    nid = (await publish(api, visibility="shared"))["id"]
    assert (await share(api, nid, kind="group", name="team", access="edit")).code == 200
    for member in ("gina", "gus"):
        [event] = (await inbox(api, member))["items"]
        assert event["via"] == {"kind": "group", "name": "team"}
        assert event["detail"] == {"access": "edit"}
    assert (await inbox(api, "eddie"))["items"] == []
    # A member acting on the group's notebook is not told of their own action.
    owned = await publish(api, visibility="shared", owner="team", ownerKind="group", user="gina")
    reply = await share(api, owned["id"], user="gina", kind="group", name="editors", access="read")
    assert reply.code == 200
    assert [e["notebookId"] for e in (await inbox(api, "gina"))["items"]] == [nid]
    assert [e["notebookId"] for e in (await inbox(api, "eddie"))["items"]] == [owned["id"]]


async def test_only_changes_make_events_and_refused_shares_make_none(api):
    nid = (await publish(api, visibility="shared"))["id"]
    await share(api, nid, kind="user", name="gus", access="read")
    await share(api, nid, kind="user", name="gus", access="read")  # nothing changed
    assert_error(
        await share(api, nid, kind="user", name="nobody", access="read"), 400, "unknown-user"
    )
    assert_error(
        await share(api, nid, user="gus", kind="user", name="gina", access="read"), 403, "forbidden"
    )
    await share(api, nid, kind="user", name="gus", access="edit")  # read -> edit is news
    items = (await inbox(api, "gus"))["items"]
    assert [e["detail"]["access"] for e in items] == ["edit", "read"]
    assert (await inbox(api, "gina"))["items"] == []


async def test_events_never_name_a_notebook_the_reader_cannot_read(api):
    kept = (await publish(api, visibility="shared", title="Kept"))["id"]
    unshared = (await publish(api, visibility="shared", title="Unshared"))["id"]
    hidden = (await publish(api, visibility="shared", title="Made private"))["id"]
    deleted = (await publish(api, visibility="shared", title="Deleted"))["id"]
    for nid in (kept, unshared, hidden, deleted):
        await share(api, nid, kind="user", name="gus", access="read")
    assert len((await inbox(api, "gus"))["items"]) == 4
    reply = await api(
        "DELETE", "notebooks", unshared, "shares", params={"kind": "user", "name": "gus"}
    )
    assert reply.code == 200
    await set_visibility(api, hidden, "private")
    assert (await api("DELETE", "notebooks", deleted)).code == 204
    gus = await inbox(api, "gus")
    assert [e["notebookTitle"] for e in gus["items"]] == ["Kept"]
    assert gus["unread"] == 1
    # Readable again: the event is back (it was hidden, not lost).
    await set_visibility(api, hidden, "shared")
    titles = [e["notebookTitle"] for e in (await inbox(api, "gus"))["items"]]
    assert titles == ["Made private", "Kept"]


async def test_pages_newest_first(api):
    ids = []
    for index in range(5):
        nid = (await publish(api, visibility="shared", title=f"N{index}"))["id"]
        await share(api, nid, kind="user", name="gus", access="read")
        ids.append(nid)
    first = await inbox(api, "gus", limit=2)
    assert [e["notebookTitle"] for e in first["items"]] == ["N4", "N3"]
    second = await inbox(api, "gus", limit=2, before=first["nextBefore"])
    assert [e["notebookTitle"] for e in second["items"]] == ["N2", "N1"]
    third = await inbox(api, "gus", limit=2, before=second["nextBefore"])
    assert [e["notebookTitle"] for e in third["items"]] == ["N0"]
    assert third["nextBefore"] is None
    for params in ({"limit": "0"}, {"limit": "x"}, {"before": "0"}, {"before": "9" * 12}):
        assert (await api("GET", "inbox", user="gus", params=params)).code == 400, params


async def test_the_read_mark_moves_forward_only_and_not_past_the_newest(api):
    for _ in range(3):
        nid = (await publish(api, visibility="shared"))["id"]
        await share(api, nid, kind="user", name="gus", access="read")
    items = (await inbox(api, "gus"))["items"]
    newest, middle = items[0]["id"], items[1]["id"]
    reply = await api("POST", "inbox", "read", user="gus", body={"upTo": middle})
    assert reply.code == 200, reply
    assert reply.json == {"readUpTo": middle, "unread": 1}
    # An older mark from another tab does not move it back.
    reply = await api("POST", "inbox", "read", user="gus", body={"upTo": items[2]["id"]})
    assert reply.json == {"readUpTo": middle, "unread": 1}
    listed = await inbox(api, "gus")
    assert [e["read"] for e in listed["items"]] == [False, True, True]
    # A mark beyond every event stops at the newest: what comes later is unread.
    reply = await api("POST", "inbox", "read", user="gus", body={"upTo": 2**31 - 1})
    assert reply.json == {"readUpTo": newest, "unread": 0}
    nid = (await publish(api, visibility="shared"))["id"]
    await share(api, nid, kind="user", name="gus", access="edit")
    assert (await inbox(api, "gus"))["unread"] == 1
    # Marks are per user.
    assert (await inbox(api, "gina"))["readUpTo"] == 0
    for body in ({}, {"upTo": "3"}, {"upTo": -1}, {"upTo": 2**31}, {"upTo": True}):
        assert_error(await api("POST", "inbox", "read", user="gus", body=body), 400, "bad-request")
