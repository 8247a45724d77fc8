"""Review steps in the gallery inbox and the reviewer's queue (issue 17), on SQLite and
PostgreSQL through the real server.

A request reaches its kind's reviewer groups, a claim or decision the owner (a user, or the
owning group's members), a content change the reviewer who decided the old content; each
event is written with its step (a refused step writes none) and shown only while its
reader may read the notebook. The queue lists what a reviewer may take, unclaimed first.
A reviewer's read of a private notebook ends with their decision, and the decision's reply
says so.
"""

# The tests take imported fixtures as parameters, which F811 misreads.
# ruff: noqa: F811

from __future__ import annotations

from typing import Any

import pytest

from .test_gallery_api import api, assert_error, publish  # noqa: F401
from .test_gallery_reviews import (  # noqa: F401
    accept_change_by,
    approve,
    claim,
    decide,
    jp_server_config,
    new_version,
    request,
    review_config,
)

pytestmark = pytest.mark.usefixtures("review_config")


async def events(api, user: str, kind: str | None = None) -> list[dict[str, Any]]:
    reply = await api("GET", "inbox", user=user)
    assert reply.code == 200, reply
    return [e for e in reply.json["items"] if kind is None or e["kind"] == kind]


async def queue(api, user: str) -> list[dict[str, Any]]:
    reply = await api("GET", "reviews", user=user)
    assert reply.code == 200, reply
    return reply.json["items"]


async def test_a_request_reaches_its_reviewers_and_each_step_the_owner(api):
    nb = await publish(api, title="Ward census", visibility="private")
    nid = nb["id"]
    review = await request(api, nid, "technical", comment="please check the joins")
    rid = review.json["id"]
    # The technical reviewers, through their group; not compliance, not strangers, not
    # the requester, not an admin (who reads everything but is sent nothing).
    for reviewer in ("rita", "ron", "gina"):
        [event] = await events(api, reviewer)
        assert event["kind"] == "review-requested" and event["actor"] == "alice"
        assert event["via"] == {"kind": "group", "name": "tech"}
        assert event["notebookId"] == nid and event["notebookTitle"] == "Ward census"
        assert event["detail"] == {
            "reviewId": rid,
            "reviewKind": "technical",
            "version": 1,
            "comment": "please check the joins",
        }
    for other in ("cora", "bob", "alice", "admin"):
        assert await events(api, other) == [], other

    assert (await claim(api, rid, "rita")).code == 200
    # Ron may no longer read the private notebook: its request is gone from his inbox.
    assert await events(api, "ron") == []
    [claimed] = await events(api, "alice")
    assert claimed["kind"] == "review-claimed" and claimed["actor"] == "rita"
    assert claimed["via"] == {"kind": "user", "name": "alice"}
    assert claimed["detail"] == {"reviewId": rid, "reviewKind": "technical", "version": 1}

    done = await decide(api, rid, "rita", comment="joins are right", contentHash=nb["contentHash"])
    assert done.code == 200, done
    # Her read ended with her decision, and the reply says so (the page shows the decision).
    assert done.json["status"] == "approved" and done.json["readable"] is False
    assert_error(await api("GET", "notebooks", nid, user="rita"), 404, "not-found")
    assert await events(api, "rita") == []
    approved = (await events(api, "alice"))[0]
    assert approved["kind"] == "review-approved" and approved["actor"] == "rita"
    assert approved["detail"]["comment"] == "joins are right"
    assert [e["kind"] for e in await events(api, "alice")] == ["review-approved", "review-claimed"]


async def test_a_request_does_not_ask_reviewers_who_may_not_review_it(api):
    async def asks(user: str) -> list[dict[str, Any]]:
        return await events(api, user, "review-requested")

    # Gina reviews technical notebooks and is in the team that owns this one: she may not
    # claim it, so she is not asked (nor counted unread); the other reviewers are.
    team = await publish(api, user="gus", owner="team", ownerKind="group", visibility="private")
    rid = (await request(api, team["id"], "technical", user="gus")).json["id"]
    for reviewer in ("rita", "ron"):
        assert [e["detail"]["reviewId"] for e in await asks(reviewer)] == [rid], reviewer
    reply = await api("GET", "inbox", user="gina")
    assert reply.code == 200 and reply.json["items"] == [] and reply.json["unread"] == 0
    assert_error(await claim(api, rid, "gina"), 403, "own-notebook")
    # Ron wrote the current version through an accepted change request: not asked either.
    nb = await publish(api, title="Ron's change")
    await accept_change_by(api, nb["id"], "ron")
    asked = (await request(api, nb["id"], "technical")).json["id"]
    assert [e["detail"]["reviewId"] for e in await asks("ron")] == [rid]
    assert [e["detail"]["reviewId"] for e in await asks("rita")] == [asked, rid]
    # Gina may review Ron's change, and is asked.
    assert [e["detail"]["reviewId"] for e in await asks("gina")] == [asked]


async def test_a_public_notebook_stays_readable_after_the_decision(api):
    nb = await publish(api)
    rid = (await request(api, nb["id"], "compliance")).json["id"]
    assert (await claim(api, rid, "cora")).code == 200
    changes = await decide(
        api, rid, "cora", "request-changes", comment="x" * 600, contentHash=nb["contentHash"]
    )
    assert changes.code == 200 and changes.json["readable"] is True
    [event] = await events(api, "alice", "review-changes-requested")
    # The event repeats the start of the comment; the page shows it whole.
    assert event["detail"]["comment"] == "x" * 280
    assert changes.json["comment"] == "x" * 600


async def test_a_group_owned_notebook_tells_the_groups_members(api):
    nb = await publish(api, user="gus", owner="team", ownerKind="group", visibility="private")
    rid = (await request(api, nb["id"], "technical", user="gus")).json["id"]
    assert (await claim(api, rid, "rita")).code == 200
    done = await decide(
        api,
        rid,
        "rita",
        "request-changes",
        comment="name the source",
        contentHash=nb["contentHash"],
    )
    assert done.code == 200
    for member in ("gina", "gus"):
        told = await events(api, member, "review-changes-requested")
        assert [e["via"] for e in told] == [{"kind": "group", "name": "team"}], member
        assert told[0]["detail"]["comment"] == "name the source"
        assert len(await events(api, member, "review-claimed")) == 1
    assert await events(api, "bob") == []


async def test_a_content_change_asks_the_previous_reviewers_again(api):
    nb = await publish(api, visibility="private")
    nid = nb["id"]
    await approve(api, nid, "technical", "rita")
    await approve(api, nid, "compliance", "cora")
    assert await events(api, "rita") == []  # decided: the private notebook is not hers
    put = await new_version(api, nid, '"v1"')
    assert put.code == 200, put
    for reviewer, kind in (("rita", "technical"), ("cora", "compliance")):
        [event] = await events(api, reviewer, "review-re-requested")
        assert event["actor"] == "alice"
        assert event["via"] == {"kind": "user", "name": reviewer}
        detail = event["detail"]
        assert detail["reviewKind"] == kind and detail["version"] == 2
        assert detail["previousVersion"] == 1 and detail["previousStatus"] == "approved"
        # A request they can act on: first in their queue, asked of them, readable again.
        first = (await queue(api, reviewer))[0]
        assert first["id"] == detail["reviewId"] and first["requestedFrom"] == reviewer
        assert (await api("GET", "notebooks", nid, "content", user=reviewer)).code == 200
        assert (await claim(api, detail["reviewId"], reviewer)).code == 200
        approved = await decide(
            api, detail["reviewId"], reviewer, contentHash=put.json["contentHash"]
        )
        assert approved.code == 200, approved
    # Ron reviews technical notebooks but did not decide this one: not asked by name.
    assert await events(api, "ron", "review-re-requested") == []
    assert (await api("GET", "notebooks", nid)).json["verified"] is True


async def test_the_queue_lists_what_the_reviewer_may_take_unclaimed_first(api):
    first = await publish(api, title="First")
    mine = await publish(api, title="Mine")
    later = await publish(api, title="Later", visibility="private")
    own = await publish(api, user="rita", title="Rita's own")
    comp = await publish(api, title="Compliance only")
    r_first = (await request(api, first["id"], "technical")).json["id"]
    r_mine = (await request(api, mine["id"], "technical")).json["id"]
    r_later = (await request(api, later["id"], "technical")).json["id"]
    r_own = (await request(api, own["id"], "technical", user="rita")).json["id"]
    r_comp = (await request(api, comp["id"], "compliance")).json["id"]
    assert (await claim(api, r_mine, "rita")).code == 200
    listed = await queue(api, "rita")
    # Unclaimed oldest first, then hers; never her own notebook, never another kind.
    assert [i["id"] for i in listed] == [r_first, r_later, r_mine]
    assert [i["notebookTitle"] for i in listed] == ["First", "Later", "Mine"]
    assert listed[0]["requestedBy"] == "alice" and listed[0]["kind"] == "technical"
    assert listed[2]["status"] == "claimed" and listed[2]["claimedBy"] == "rita"
    # Ron may take Rita's notebook, not what she claimed.
    assert [i["id"] for i in await queue(api, "ron")] == [r_first, r_later, r_own]
    assert [i["id"] for i in await queue(api, "cora")] == [r_comp]
    assert await queue(api, "bob") == []
    assert await queue(api, "admin") == []  # an admin is no reviewer
    # Claimed by Ron: gone from Rita's queue.
    assert (await claim(api, r_later, "ron")).code == 200
    assert [i["id"] for i in await queue(api, "rita")] == [r_first, r_mine]
    # Claiming in a kind one does not review: refused, and nothing is recorded.
    assert_error(await claim(api, r_comp, "rita"), 403, "not-a-reviewer")
    assert_error(await claim(api, r_own, "rita"), 403, "own-notebook")
    assert await events(api, "alice", "review-claimed") != []
    claims = [e["detail"]["reviewId"] for e in await events(api, "alice", "review-claimed")]
    assert sorted(claims) == sorted([r_mine, r_later])
    assert await events(api, "rita", "review-claimed") == []


async def test_refused_steps_write_no_event(api):
    nb = await publish(api)
    rid = (await request(api, nb["id"], "technical")).json["id"]
    assert_error(await request(api, nb["id"], "technical"), 409, "review-open")
    assert len(await events(api, "ron", "review-requested")) == 1
    assert (await claim(api, rid, "rita")).code == 200
    assert_error(await claim(api, rid, "ron"), 409, "already-claimed")
    assert_error(await decide(api, rid, "rita", contentHash="0" * 64), 409, "content-changed")
    assert [e["kind"] for e in await events(api, "alice")] == ["review-claimed"]


async def test_each_user_sees_only_their_own_events(api):
    nb = await publish(api, visibility="private")
    rid = (await request(api, nb["id"], "technical")).json["id"]
    assert (await claim(api, rid, "rita")).code == 200
    alice = await events(api, "alice")
    assert [e["kind"] for e in alice] == ["review-claimed"]
    # Rita's request event and Alice's claim event are theirs only.
    for other in ("bob", "cora", "admin"):
        assert await events(api, other) == [], other
    # Marking another's event id read moves only one's own mark.
    reply = await api("POST", "inbox", "read", user="bob", body={"upTo": alice[0]["id"]})
    assert reply.code == 200 and reply.json["unread"] == 0
    assert (await api("GET", "inbox")).json["unread"] == 1
    # A deleted notebook takes its events with it.
    assert (await api("DELETE", "notebooks", nb["id"])).code == 204
    assert await events(api, "alice") == []
    assert await events(api, "rita") == []
