"""Sharing, owners and groups in the gallery, beyond the matrix: bad input, nbgallery's
re-share bug (#258), ids that must not leak, the pickers' search, and hub groups."""

# The tests take the imported ``api`` fixture as a parameter, which F811 misreads.
# ruff: noqa: F811

from __future__ import annotations

from typing import Any

import pytest

from .hub_standin import hub_service
from .test_gallery_api import Reply, api, assert_error, notebook, publish  # noqa: F401

pytestmark = pytest.mark.usefixtures("sharing_config")

GROUPS = {"team": ["gina", "gus"], "editors": ["eddie"], "lab-%_": ["lara"]}
GROUP_ROLES = {"team": {"edit": ["rolf"], "read": ["group:editors"]}}


@pytest.fixture
def jp_server_config(jp_server_config, request):
    """SQLite in tmp_path, or the backend of a test that asks for ``database_url``."""
    if "database_url" in request.fixturenames:
        url = request.getfixturevalue("database_url")
        jp_server_config["AtriumService"] = {"database_url": url}
    return jp_server_config


@pytest.fixture
def sharing_config(gallery_users):
    gallery_users["AtriumGallery"].update(groups=GROUPS, group_roles=GROUP_ROLES)
    return gallery_users


async def share(api, nid, user="alice", **body) -> Reply:
    return await api("PUT", "notebooks", nid, "shares", user=user, body=body)


async def test_sharing_with_names_nobody_has_is_refused(api):
    nid = (await publish(api, visibility="shared"))["id"]
    body = assert_error(
        await share(api, nid, kind="user", name="nobody", access="read"), 400, "unknown-user"
    )
    assert "nobody" in body["message"]
    assert_error(
        await share(api, nid, kind="group", name="ghosts", access="edit"), 400, "unknown-group"
    )
    # A user named in no configuration becomes known by using the gallery.
    assert (await api("GET", "notebooks", user="newcomer")).code == 200
    assert (await share(api, nid, kind="user", name="newcomer", access="read")).code == 200
    assert (await api("GET", "notebooks", nid, user="newcomer")).code == 200
    assert (await api("GET", "notebooks", nid, user="nobody")).code == 404


HOSTILE_BODIES = [
    {"kind": "admin", "name": "gus", "access": "read"},
    {"kind": "user", "name": "gus", "access": "owner"},
    {"kind": "user", "name": "gus"},
    {"kind": "user", "access": "read"},
    {"kind": "user", "name": "", "access": "read"},
    {"kind": "user", "name": "g\x00us", "access": "read"},
    {"kind": "user", "name": "x" * 300, "access": "read"},
    {"kind": "user", "name": ["gus"], "access": "read"},
    {"kind": "user", "name": "\ud800", "access": "read"},
    {"kind": "user", "name": "' OR 1=1 --", "access": "read"},
    {"kind": "group", "name": "team' OR 'a'='a", "access": "edit"},
    {"kind": "user", "name": "alice", "access": "edit"},  # the owner herself
]


async def test_hostile_share_bodies_get_a_clear_400(api):
    nid = (await publish(api, visibility="shared"))["id"]
    for body in HOSTILE_BODIES:
        reply = await api("PUT", "notebooks", nid, "shares", body=body)
        assert reply.code == 400, (body, reply)
        assert reply.json["message"]
    shares = (await api("GET", "notebooks", nid, "shares")).json
    assert shares["items"] == []
    assert (await api("GET", "notebooks", nid, user="gus")).code == 404


async def test_hostile_raw_bodies_and_queries(api):
    nid = (await publish(api))["id"]
    for raw in (b"[]", b"not json", b'{"kind": NaN}'):
        reply = await api("PUT", "notebooks", nid, "shares", raw=raw)
        assert reply.code == 400, (raw, reply)
    for params in ({"kind": "user"}, {"kind": "robot", "name": "gus"}, {"name": "gus"}):
        reply = await api("DELETE", "notebooks", nid, "shares", params=params)
        assert reply.code == 400, (params, reply)
    for params in ({"q": "x" * 300}, {"kind": "robot"}, {"limit": "many"}):
        reply = await api("GET", "principals", params=params)
        assert reply.code == 400, (params, reply)


async def test_an_editor_who_does_not_own_cannot_reshare_258(api):
    """nbgallery let anyone with edit rights re-share (its #258): here an editor edits but
    cannot share, unshare, change visibility or owner, or delete."""
    nb = await publish(api, visibility="shared")
    nid = nb["id"]
    assert (await share(api, nid, kind="group", name="editors", access="edit")).code == 200
    eddie = (await api("GET", "notebooks", nid, user="eddie")).json
    assert eddie["canEdit"] is True and eddie["canManage"] is False
    etag = (await api("GET", "notebooks", nid)).headers["ETag"]
    edited = await api(
        "PATCH",
        "notebooks",
        nid,
        user="eddie",
        headers={"If-Match": etag},
        body={"title": "Better"},
    )
    assert edited.code == 200, edited
    etag = edited.headers["ETag"]
    for reply in (
        await share(api, nid, user="eddie", kind="user", name="gus", access="edit"),
        await api(
            "DELETE",
            "notebooks",
            nid,
            "shares",
            user="eddie",
            params={"kind": "group", "name": "editors"},
        ),
        await api(
            "PATCH",
            "notebooks",
            nid,
            user="eddie",
            headers={"If-Match": etag},
            body={"visibility": "public"},
        ),
        await api(
            "PATCH",
            "notebooks",
            nid,
            user="eddie",
            headers={"If-Match": etag},
            body={"owner": "eddie", "ownerKind": "user"},
        ),
        await api("DELETE", "notebooks", nid, user="eddie", headers={"If-Match": etag}),
    ):
        body = assert_error(reply, 403, "forbidden")
        assert "owner" in body["message"]
    after = (await api("GET", "notebooks", nid, "shares")).json
    assert after["visibility"] == "shared" and after["owner"] == "alice"
    assert after["items"] == [{"kind": "group", "name": "editors", "access": "edit"}]
    assert (await api("GET", "notebooks", nid, user="gus")).code == 404


async def test_simultaneous_shares_of_one_name_leave_one_share(api, database_url):
    """Two owners' dialogs saving at once: every request succeeds (no 500 from the primary
    key), one share remains, with one of the requested rights."""
    import asyncio

    nid = (await publish(api, visibility="shared", owner="team", ownerKind="group", user="gina"))[
        "id"
    ]
    replies = await asyncio.gather(
        *(
            share(
                api,
                nid,
                user=("gina", "gus")[i % 2],
                kind="user",
                name="eddie",
                access=("read", "edit")[i % 2],
            )
            for i in range(12)
        )
    )
    assert [reply.code for reply in replies] == [200] * 12, replies
    items = (await api("GET", "notebooks", nid, "shares", user="gus")).json["items"]
    assert len(items) == 1 and items[0]["name"] == "eddie"
    assert items[0]["access"] in ("read", "edit")


async def test_private_turns_shares_off_and_shared_turns_them_back_on(api):
    nb = await publish(api, visibility="shared")
    nid = nb["id"]
    await share(api, nid, kind="user", name="gus", access="edit")
    assert (await api("GET", "notebooks", nid, user="gus")).json["canEdit"] is True
    etag = (await api("GET", "notebooks", nid)).headers["ETag"]
    reply = await api(
        "PATCH", "notebooks", nid, headers={"If-Match": etag}, body={"visibility": "private"}
    )
    assert reply.code == 200
    assert_error(await api("GET", "notebooks", nid, user="gus"), 404, "not-found")
    reply = await api(
        "PATCH",
        "notebooks",
        nid,
        headers={"If-Match": reply.headers["ETag"]},
        body={"visibility": "shared"},
    )
    assert reply.code == 200
    assert (await api("GET", "notebooks", nid, user="gus")).json["canEdit"] is True


async def test_owners_give_notebooks_to_their_groups_only(api):
    nb = await publish(api, user="gina")
    nid = nb["id"]
    etag = (await api("GET", "notebooks", nid)).headers["ETag"]
    # Not to a group she is not in, nor to nobody.
    assert_error(
        await api(
            "PATCH",
            "notebooks",
            nid,
            user="gina",
            headers={"If-Match": etag},
            body={"owner": "editors", "ownerKind": "group"},
        ),
        403,
        "forbidden",
    )
    assert_error(
        await api(
            "PATCH",
            "notebooks",
            nid,
            user="gina",
            headers={"If-Match": etag},
            body={"owner": "nobody", "ownerKind": "user"},
        ),
        400,
        "unknown-user",
    )
    assert_error(
        await api(
            "POST",
            "notebooks",
            user="alice",
            body={"title": "t", "notebook": notebook(), "owner": "team", "ownerKind": "group"},
        ),
        403,
        "forbidden",
    )
    given = await api(
        "PATCH",
        "notebooks",
        nid,
        user="gina",
        headers={"If-Match": etag},
        body={"owner": "team", "ownerKind": "group", "visibility": "private"},
    )
    assert given.code == 200, given
    assert (given.json["owner"], given.json["ownerKind"]) == ("team", "group")
    # Every member manages it now; the role editor edits; the role readers read.
    assert (await api("GET", "notebooks", nid, user="gus")).json["canManage"] is True
    rolf = (await api("GET", "notebooks", nid, user="rolf")).json
    assert (rolf["canEdit"], rolf["canManage"]) == (True, False)
    eddie = (await api("GET", "notebooks", nid, user="eddie")).json
    assert (eddie["canEdit"], eddie["canManage"]) == (False, False)
    assert_error(await api("GET", "notebooks", nid, user="alice"), 404, "not-found")
    assert (await api("DELETE", "notebooks", nid, user="gus")).code == 204


async def test_a_fork_does_not_name_a_parent_its_reader_cannot_see(api):
    parent = await publish(api, title="Original")
    fork = (
        await api(
            "POST",
            "notebooks",
            user="bob",
            body={"title": "Fork", "notebook": notebook(), "parentId": parent["id"]},
        )
    ).json
    assert fork["parentId"] == parent["id"]
    etag = (await api("GET", "notebooks", parent["id"])).headers["ETag"]
    reply = await api(
        "PATCH",
        "notebooks",
        parent["id"],
        headers={"If-Match": etag},
        body={"visibility": "private"},
    )
    assert reply.code == 200
    assert (await api("GET", "notebooks", fork["id"], user="bob")).json["parentId"] is None
    listed = (await api("GET", "notebooks", user="bob", params={"q": "fork"})).json["items"]
    assert [item["parentId"] for item in listed] == [None]
    assert (await api("GET", "notebooks", fork["id"], user="alice")).json["parentId"] == parent[
        "id"
    ]


async def test_the_pickers_search_as_you_type_within_bounds(api):
    for name in ("maria", "mario", "marion", "anna-maria"):
        assert (await api("GET", "policy", user=name)).code == 200
    found = (await api("GET", "principals", params={"q": "mar", "kind": "user"})).json["items"]
    names = [item["name"] for item in found]
    # Names starting with the text first, shortest first; a match inside a name after.
    assert names == ["maria", "mario", "marion", "anna-maria"]
    # SQL wildcards are just text.
    wild = (await api("GET", "principals", params={"q": "%"})).json["items"]
    assert wild == [{"kind": "group", "name": "lab-%_"}]
    groups = (await api("GET", "principals", params={"q": "_", "kind": "group"})).json["items"]
    assert groups == [{"kind": "group", "name": "lab-%_"}]
    for i in range(40):
        await api("GET", "policy", user=f"user{i:02d}")
    many = (await api("GET", "principals", params={"q": "user", "limit": 1000})).json["items"]
    assert len(many) == 20
    both = (await api("GET", "principals", params={"q": "e"})).json["items"]
    assert {"kind": "group", "name": "team"} in both and {"kind": "user", "name": "eddie"} in both


async def test_groups_lists_the_callers_groups_and_roles(api):
    assert (await api("GET", "groups", user="gina")).json["items"] == [
        {"name": "team", "role": "member"}
    ]
    assert (await api("GET", "groups", user="eddie")).json["items"] == [
        {"name": "editors", "role": "member"},
        {"name": "team", "role": "reader"},
    ]
    assert (await api("GET", "groups", user="rolf")).json["items"] == [
        {"name": "team", "role": "editor"}
    ]
    assert (await api("GET", "groups", user="stan")).json["items"] == []


# --- hub-service mode ----------------------------------------------------------------------


async def test_hub_groups_own_and_share_notebooks(database_url):
    """The real hub service with JupyterHub's user API stood in for: the groups come from
    each user's hub identity (the one reading ``hub_groups`` that admin and instructor
    groups use too)."""
    groups = {
        "hana": ["radiology", "staff"],
        "hugo": ["radiology"],
        "ivan": ["staff"],
        "jo": [],
    }
    async with hub_service(database_url, groups) as hub_call:

        async def call(method: str, path: str, user: str, body: Any = None, **headers) -> Reply:
            return await hub_call(method, f"gallery/{path}", user, body, **headers)

        created = await call(
            "POST",
            "notebooks",
            "hana",
            {
                "title": "Scan triage",
                "notebook": notebook(),
                "visibility": "private",
                "owner": "radiology",
                "ownerKind": "group",
            },
        )
        assert created.code == 201, created
        nid = created.json["id"]
        assert (await call("GET", f"notebooks/{nid}", "hugo")).json["canManage"] is True
        assert_error(await call("GET", f"notebooks/{nid}", "ivan"), 404, "not-found")
        # Shared with a hub group hana's identity named ("staff"), to read.
        etag = created.headers["ETag"]
        reply = await call(
            "PATCH", f"notebooks/{nid}", "hugo", {"visibility": "shared"}, **{"If-Match": etag}
        )
        assert reply.code == 200, reply
        reply = await call(
            "PUT",
            f"notebooks/{nid}/shares",
            "hugo",
            {"kind": "group", "name": "staff", "access": "read"},
        )
        assert reply.code == 200, reply
        ivan = await call("GET", f"notebooks/{nid}", "ivan")
        assert ivan.code == 200 and ivan.json["canEdit"] is False
        assert_error(await call("GET", f"notebooks/{nid}", "jo"), 404, "not-found")
        found = await call("GET", "notebooks?q=triage", "jo")
        assert found.json["total"] == 0
        assert (await call("GET", "notebooks?q=triage", "ivan")).json["total"] == 1
        assert (await call("GET", "groups", "hana")).json["items"] == [
            {"name": "radiology", "role": "member"},
            {"name": "staff", "role": "member"},
        ]
        assert_error(
            await call(
                "PUT",
                f"notebooks/{nid}/shares",
                "hugo",
                {"kind": "group", "name": "cardiology", "access": "read"},
            ),
            400,
            "unknown-group",
        )
