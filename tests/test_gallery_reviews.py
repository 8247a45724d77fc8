"""Reviews and verified notebooks (issue 17), on SQLite and PostgreSQL through the real server.

The flow (request, claim, approve or ask for changes, history), who may do each step
(authors never review their own notebooks), reviewers reading what they review through the
one read rule, verified kept by metadata edits (nbgallery #730) and lost by a content
change (which asks the previous reviewers again), the search filter and ranking, and
concurrent claims decided by the database.
"""

# The tests take the imported ``api`` fixture as a parameter, which F811 misreads.
# ruff: noqa: F811

from __future__ import annotations

import concurrent.futures
import logging
import threading
from typing import Any

import pytest
from traitlets import TraitError

from jupyterlab_atrium.errors import AtriumError
from jupyterlab_atrium.service.config import AtriumService
from jupyterlab_atrium.service.core import Service
from jupyterlab_atrium.service.gallery.config import AtriumGallery
from jupyterlab_atrium.service.gallery.search import SearchParams

from .test_gallery_api import Reply, api, assert_error, notebook, publish  # noqa: F401

REVIEW_KINDS = {"technical": ["tech"], "compliance": ["comp"]}
GROUPS = {
    "tech": ["rita", "ron", "gina"],
    "comp": ["cora"],
    "team": ["gina", "gus"],
}

pytestmark = pytest.mark.usefixtures("review_config")


@pytest.fixture
def jp_server_config(jp_server_config, database_url):
    jp_server_config["AtriumService"] = {"database_url": database_url}
    return jp_server_config


@pytest.fixture
def review_config(gallery_users):
    gallery_users["AtriumGallery"].update(groups=GROUPS, review_kinds=REVIEW_KINDS)
    return gallery_users


async def request(api, nid: str, kind: str, user: str = "alice", **body: Any) -> Reply:
    return await api("POST", "notebooks", nid, "reviews", user=user, body={"kind": kind, **body})


async def claim(api, rid: str, user: str) -> Reply:
    return await api("POST", "reviews", rid, "claim", user=user)


async def decide(api, rid: str, user: str, decision: str = "approve", **body: Any) -> Reply:
    return await api("POST", "reviews", rid, decision, user=user, body=body)


async def approve(api, nid: str, kind: str, reviewer: str) -> dict[str, Any]:
    """Request, claim and approve one kind for the notebook's current content."""
    review = await request(api, nid, kind)
    assert review.code == 201, review
    rid = review.json["id"]
    assert (await claim(api, rid, reviewer)).code == 200
    done = await decide(api, rid, reviewer, contentHash=review.json["contentHash"])
    assert done.code == 200, done
    return done.json


async def accept_change_by(api, nid: str, author: str) -> None:
    """``author``'s change request on version 1 of the notebook, accepted by its owner
    (alice): ``author`` then wrote its current version."""
    cr = await api(
        "POST",
        "notebooks",
        nid,
        "change-requests",
        user=author,
        body={"notebook": notebook(f"{author}_wrote_this()"), "baseVersion": 1},
    )
    assert cr.code == 201, cr
    assert (await api("POST", "change-requests", cr.json["id"], "accept", body={})).code == 200


async def new_version(api, nid: str, etag: str, content: Any = None) -> Reply:
    """PUT new content (a changed code cell unless ``content``) on the notebook at ``etag``."""
    body = {"notebook": content if content is not None else notebook("changed = True")}
    return await api("PUT", "notebooks", nid, headers={"If-Match": etag}, body=body)


async def summary(api, nid: str, user: str = "alice") -> dict[str, Any]:
    reply = await api("GET", "notebooks", nid, user=user)
    assert reply.code == 200, reply
    return reply.json


async def test_request_claim_approve_and_changes_make_a_notebook_verified(api):
    nb = await publish(api, visibility="private")
    nid = nb["id"]
    assert nb["verified"] is False
    review = await request(api, nid, "technical", comment="please check the joins")
    assert review.code == 201, review
    rid = review.json["id"]
    assert review.json["status"] == "requested" and review.json["requestedBy"] == "alice"
    # Every reviewer of the kind may read the private notebook to decide whether to claim.
    for reviewer in ("rita", "ron"):
        assert (await api("GET", "notebooks", nid, "content", user=reviewer)).code == 200
    assert_error(await api("GET", "notebooks", nid, user="cora"), 404, "not-found")
    assert_error(await api("GET", "notebooks", nid, user="bob"), 404, "not-found")

    claimed = await claim(api, rid, "rita")
    assert claimed.code == 200 and claimed.json["claimedBy"] == "rita", claimed
    assert_error(await claim(api, rid, "ron"), 404, "not-found")  # no longer his to read
    assert (await summary(api, nid, "rita"))["id"] == nid

    assert_error(await decide(api, rid, "rita"), 400, "bad-request")  # no contentHash
    approved = await decide(api, rid, "rita", comment="fine", contentHash=nb["contentHash"])
    assert approved.code == 200, approved
    assert approved.json["status"] == "approved" and approved.json["current"] is True
    # Decided: the reviewer's read ends with the review.
    assert_error(await api("GET", "notebooks", nid, user="rita"), 404, "not-found")
    # One kind of two: not yet verified.
    assert (await summary(api, nid))["verified"] is False

    compliance = (await request(api, nid, "compliance")).json
    assert (await claim(api, compliance["id"], "cora")).code == 200
    no_comment = await decide(
        api, compliance["id"], "cora", "request-changes", contentHash=nb["contentHash"]
    )
    assert_error(no_comment, 400, "bad-request")
    changes = await decide(
        api,
        compliance["id"],
        "cora",
        "request-changes",
        comment="name the data source",
        contentHash=nb["contentHash"],
    )
    assert changes.code == 200 and changes.json["status"] == "changes-requested"
    assert (await summary(api, nid))["verified"] is False

    await approve(api, nid, "compliance", "cora")
    assert (await summary(api, nid))["verified"] is True
    listed = (await api("GET", "notebooks", nid, "reviews")).json
    assert listed["verified"] is True and listed["kinds"] == ["compliance", "technical"]
    assert listed["canRequest"] is True
    first = next(item for item in listed["items"] if item["id"] == rid)
    steps = [(step["action"], step["by"]) for step in first["history"]]
    assert steps == [("requested", "alice"), ("claimed", "rita"), ("approved", "rita")]
    assert first["history"][0]["comment"] == "please check the joins"
    assert all(step["at"].endswith("Z") for step in first["history"])


async def test_a_metadata_edit_keeps_verified_730(api):
    """nbgallery lost verification on a public/private toggle (its #730)."""
    nb = await publish(api)
    nid = nb["id"]
    await approve(api, nid, "technical", "rita")
    await approve(api, nid, "compliance", "cora")
    etag = (await api("GET", "notebooks", nid)).headers["ETag"]
    for body in (
        {"title": "Renamed", "tags": ["other"]},
        {"visibility": "private"},
        {"visibility": "public", "description": "new words"},
    ):
        edited = await api("PATCH", "notebooks", nid, headers={"If-Match": etag}, body=body)
        assert edited.code == 200, edited
        assert edited.json["verified"] is True, body
        etag = edited.headers["ETag"]
    # Sharing is metadata too.
    await api("GET", "notebooks", user="bob")
    shared = await api(
        "PUT", "notebooks", nid, "shares", body={"kind": "user", "name": "bob", "access": "read"}
    )
    assert shared.code == 200
    assert (await summary(api, nid))["verified"] is True


async def test_a_content_change_makes_approvals_stale_and_asks_the_reviewers_again(api):
    nb = await publish(api)
    nid = nb["id"]
    await approve(api, nid, "technical", "rita")
    await approve(api, nid, "compliance", "cora")
    assert (await summary(api, nid))["verified"] is True
    put = await new_version(api, nid, '"v1"')
    assert put.code == 200, put
    assert put.json["verified"] is False
    listed = (await api("GET", "notebooks", nid, "reviews")).json
    assert listed["verified"] is False
    again = {item["kind"]: item for item in listed["items"] if item["status"] == "requested"}
    assert {kind: item["requestedFrom"] for kind, item in again.items()} == {
        "technical": "rita",
        "compliance": "cora",
    }
    for item in again.values():
        assert item["version"] == 2 and item["current"] is True
        assert item["history"][0]["action"] == "re-requested"
    stale = [item for item in listed["items"] if item["status"] == "approved"]
    assert len(stale) == 2 and not any(item["current"] for item in stale)
    # The previous reviewers find them in their queue and approve the new content.
    queue = (await api("GET", "reviews", user="rita")).json["items"]
    assert [item["id"] for item in queue] == [again["technical"]["id"]]
    for kind, reviewer in (("technical", "rita"), ("compliance", "cora")):
        rid = again[kind]["id"]
        assert (await claim(api, rid, reviewer)).code == 200
        done = await decide(api, rid, reviewer, contentHash=put.json["contentHash"])
        assert done.code == 200, done
    assert (await summary(api, nid))["verified"] is True


async def test_restoring_approved_content_is_verified_again_without_asking(api):
    nb = await publish(api)
    nid = nb["id"]
    await approve(api, nid, "technical", "rita")
    await approve(api, nid, "compliance", "cora")
    changed = await new_version(api, nid, '"v1"')
    assert changed.json["verified"] is False
    # The reviewers approve version 2 too (asked again, they claim what they were asked).
    for item in (await api("GET", "notebooks", nid, "reviews")).json["items"]:
        if item["status"] == "requested":
            reviewer = item["requestedFrom"]
            assert (await claim(api, item["id"], reviewer)).code == 200
            hash2 = changed.json["contentHash"]
            assert (await decide(api, item["id"], reviewer, contentHash=hash2)).code == 200
    # Version 3 is version 1 again: the reviewed content, so its approvals count.
    original = (await api("GET", "notebooks", nid, "content", params={"version": "1"})).json
    restored = await new_version(api, nid, '"v2"', original)
    assert restored.code == 200, restored
    assert restored.json["version"] == 3 and restored.json["verified"] is True
    # Nobody is asked to review what they approved already.
    listed = (await api("GET", "notebooks", nid, "reviews")).json
    assert [i for i in listed["items"] if i["status"] == "requested"] == []


async def test_an_open_review_follows_the_content_and_a_stale_read_cannot_approve(api):
    nb = await publish(api)
    nid = nb["id"]
    rid = (await request(api, nid, "technical")).json["id"]
    assert (await claim(api, rid, "rita")).code == 200
    put = await new_version(api, nid, '"v1"')
    assert put.code == 200
    # Rita read version 1: her approval would be about other content.
    stale = await decide(api, rid, "rita", contentHash=nb["contentHash"])
    assert_error(stale, 409, "content-changed")
    review = (await api("GET", "notebooks", nid, "reviews")).json["items"][0]
    assert review["status"] == "claimed" and review["version"] == 2
    assert review["history"][-1]["action"] == "content-changed"
    done = await decide(api, rid, "rita", contentHash=put.json["contentHash"])
    assert done.code == 200 and done.json["status"] == "approved"


async def test_authors_cannot_review_their_own_notebooks(api):
    # Rita reviews technical notebooks, but not her own.
    own = await publish(api, user="rita")
    rid = (await request(api, own["id"], "technical", user="rita")).json["id"]
    body = assert_error(await claim(api, rid, "rita"), 403, "own-notebook")
    assert "someone else" in body["message"]
    # Gina reviews technical notebooks and is in the team that owns this one.
    team = await publish(api, user="gus", owner="team", ownerKind="group")
    rid = (await request(api, team["id"], "technical", user="gus")).json["id"]
    assert_error(await claim(api, rid, "gina"), 403, "own-notebook")
    # Ron wrote the current version through an accepted change request.
    nb = await publish(api)
    await accept_change_by(api, nb["id"], "ron")
    rid = (await request(api, nb["id"], "technical")).json["id"]
    assert_error(await claim(api, rid, "ron"), 403, "own-notebook")
    assert (await claim(api, rid, "rita")).code == 200
    # An admin is no reviewer unless in a reviewer group; a reviewer of another kind neither.
    assert_error(await claim(api, rid, "admin"), 403, "not-a-reviewer")
    comp = (await request(api, nb["id"], "compliance")).json["id"]
    assert_error(await claim(api, comp, "rita"), 403, "not-a-reviewer")


async def test_who_may_request_a_review(api):
    public = await publish(api)
    # A reader of a public notebook, and an editor through a share of a user's notebook.
    assert_error(await request(api, public["id"], "technical", user="bob"), 403, "forbidden")
    await api("GET", "notebooks", user="eddie")
    shared = await api(
        "PUT",
        "notebooks",
        public["id"],
        "shares",
        body={"kind": "user", "name": "eddie", "access": "edit"},
    )
    assert shared.code == 200
    assert_error(await request(api, public["id"], "technical", user="eddie"), 403, "forbidden")
    listed = (await api("GET", "notebooks", public["id"], "reviews", user="bob")).json
    assert listed["canRequest"] is False
    # Any editor of a group's notebook may.
    team = await publish(api, user="gus", owner="team", ownerKind="group")
    assert (await request(api, team["id"], "technical", user="gina")).code == 201
    # Private notebooks of others do not exist.
    private = await publish(api, visibility="private")
    assert_error(await request(api, private["id"], "technical", user="bob"), 404, "not-found")


async def test_bad_review_input_gets_a_clear_4xx(api):
    nb = await publish(api)
    nid = nb["id"]
    for body in (
        {"kind": "legal"},
        {},
        {"kind": ["technical"]},
        {"kind": "technical", "comment": 5},
    ):
        reply = await api("POST", "notebooks", nid, "reviews", body=body)
        assert reply.code == 400, (body, reply)
        assert reply.json["message"]
    for raw in (b"[]", b"not json"):
        assert (await api("POST", "notebooks", nid, "reviews", raw=raw)).code == 400
    rid = (await request(api, nid, "technical")).json["id"]
    assert_error(await request(api, nid, "technical"), 409, "review-open")
    assert_error(await decide(api, rid, "rita", contentHash=nb["contentHash"]), 409, "not-claimed")
    assert (await claim(api, rid, "rita")).code == 200
    assert_error(await claim(api, rid, "rita"), 409, "already-claimed")
    assert_error(await decide(api, rid, "rita", contentHash=["x"]), 400, "bad-request")
    assert_error(await decide(api, rid, "rita", contentHash="0" * 64), 409, "content-changed")
    assert (await decide(api, rid, "rita", contentHash=nb["contentHash"])).code == 200
    assert_error(await request(api, nid, "technical"), 409, "already-approved")
    for bad in ("nope", "0" * 32, "' OR 1=1 --"):
        assert_error(await claim(api, bad, "rita"), 404, "not-found")
    assert_error(await api("GET", "notebooks", "0" * 32, "reviews"), 404, "not-found")


async def test_policy_names_the_review_kinds_and_the_callers(api):
    policy = (await api("GET", "policy", user="rita")).json
    assert policy["reviewKinds"] == {"compliance": ["comp"], "technical": ["tech"]}
    assert policy["reviewerOf"] == ["technical"]
    assert (await api("GET", "policy", user="bob")).json["reviewerOf"] == []


async def test_search_filters_verified_and_ranks_it_first_at_equal_relevance(api):
    older = await publish(api, title="Churn model", description="churn")
    newer = await publish(api, title="Churn model two", description="churn")
    await approve(api, older["id"], "technical", "rita")
    await approve(api, older["id"], "compliance", "cora")

    def ids(reply: Reply) -> list[str]:
        assert reply.code == 200, reply
        return [item["id"] for item in reply.json["items"]]

    # Same tier (both titles hold the word): verified first although older.
    ranked = ids(await api("GET", "notebooks", params={"q": "churn"}))
    assert ranked == [older["id"], newer["id"]]
    # Without the review the newer one comes first.
    assert (
        ids(await api("GET", "notebooks", params={"q": "churn", "sort": "updated"}))[0]
        == (newer["id"])
    )
    only = ids(await api("GET", "notebooks", params={"q": "churn", "verified": "1"}))
    assert only == [older["id"]]
    listing = await api("GET", "notebooks", params={"verified": "1"})
    assert ids(listing) == [older["id"]] and listing.json["items"][0]["verified"] is True


async def test_a_reviewer_finds_what_they_may_review_in_search(api):
    private = await publish(api, title="Hidden ledger", visibility="private")
    assert (await api("GET", "notebooks", user="ron", params={"q": "ledger"})).json["total"] == 0
    await request(api, private["id"], "technical")
    found = (await api("GET", "notebooks", user="ron", params={"q": "ledger"})).json
    assert [item["id"] for item in found["items"]] == [private["id"]]
    assert (await api("GET", "notebooks", user="bob", params={"q": "ledger"})).json["total"] == 0


def test_concurrent_claims_have_one_winner(database_url):
    """Reviewers claim the same review at the same instant, straight into the store: the
    conditional UPDATE lets exactly one through."""
    config = AtriumGallery(
        review_kinds={"technical": ["tech"]},
        groups={"tech": [f"r{i}" for i in range(10)]},
    )
    service = Service(
        AtriumService(database_url=database_url, worker_threads=2, pool_size=12),
        mode="test",
        log=logging.getLogger("test"),
        gallery=config,
    )
    try:
        service.database.migrate()
        store = service.gallery
        alice = config.embedded_user("alice")
        nb = store.create(alice, {"title": "T", "notebook": notebook()})
        for _round in range(3):
            rid = store.request_review(alice, nb["id"], {"kind": "technical"})["id"]
            reviewers = [config.embedded_user(f"r{i}") for i in range(10)]
            barrier = threading.Barrier(len(reviewers), timeout=60)

            def take(user: Any, rid: str = rid, barrier: threading.Barrier = barrier) -> str:
                barrier.wait()
                try:
                    store.claim_review(user, rid)
                except AtriumError as exc:
                    assert exc.status == 409 and exc.reason == "already-claimed", exc
                    return "lost"
                return user.name

            with concurrent.futures.ThreadPoolExecutor(len(reviewers)) as pool:
                outcomes = list(pool.map(take, reviewers))
            winners = [name for name in outcomes if name != "lost"]
            assert len(winners) == 1, outcomes
            review = store.notebook_reviews(alice, nb["id"])["items"][0]
            assert review["claimedBy"] == winners[0]
            assert [step["action"] for step in review["history"]] == ["requested", "claimed"]
            winner = config.embedded_user(winners[0])
            store.decide_review(
                winner,
                rid,
                "request-changes",
                {"comment": "again", "contentHash": nb["contentHash"]},
            )
        # Reviews off: nothing is verified and a search for verified finds nothing.
        assert store.search(alice, SearchParams(verified=True))["items"] == []
    finally:
        service.close()


def test_review_kinds_are_checked_when_configured():
    for bad in (
        {"Technical": ["tech"]},
        {"technical": "tech"},
        {"technical": []},
        {"technical": [""]},
        {"a b": ["tech"]},
    ):
        with pytest.raises(TraitError):
            AtriumGallery(review_kinds=bad)
    config = AtriumGallery(review_kinds={"technical": ["tech", "leads"]})
    assert config.reviewer_of(["leads"]) == frozenset({"technical"})
    assert config.policy("x", False)["reviewKinds"] == {"technical": ["leads", "tech"]}
