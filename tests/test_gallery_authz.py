"""Authorization of the gallery API: a second user cannot read a private notebook of the
first, nor update or delete any of the first's notebooks; admins can. Also: concurrent
updates with the same If-Match, over real concurrent HTTP requests.
"""

# The tests take the imported ``api`` fixture as a parameter, which F811 misreads.
# ruff: noqa: F811

from __future__ import annotations

import asyncio

import pytest

from jupyterlab_atrium.gallery.content_hash import content_hash
from jupyterlab_atrium.service.gallery.store import GalleryUser

# ``api`` is the fixture of test_gallery_api (shared, so both files drive the server alike).
from .test_gallery_api import BASE, api, assert_error, notebook, publish  # noqa: F401

pytestmark = pytest.mark.usefixtures("gallery_users")


async def test_anonymous_requests_are_refused(jp_fetch):
    for path in (("policy",), ("notebooks",), ("tags",), ("change-requests",)):
        reply = await jp_fetch(*BASE, *path, headers={"Authorization": ""}, raise_error=False)
        assert reply.code == 403, path
    reply = await jp_fetch(
        *BASE,
        "notebooks",
        method="POST",
        body=b"{}",
        headers={"Authorization": ""},
        raise_error=False,
    )
    assert reply.code == 403


async def test_another_user_cannot_change_a_public_notebook(api):
    nb = await publish(api)
    nid = nb["id"]
    seen = (await api("GET", "notebooks", nid, user="bob")).json
    assert seen["canEdit"] is False and seen["title"] == nb["title"]
    assert (await api("GET", "notebooks", nid, "content", user="bob")).code == 200
    assert (await api("GET", "notebooks", nid, "versions", user="bob")).code == 200
    ifm = {"If-Match": '"v1"'}
    assert_error(
        await api(
            "PUT",
            "notebooks",
            nid,
            user="bob",
            headers=ifm,
            body={"notebook": notebook("hijacked()")},
        ),
        403,
        "forbidden",
    )
    assert_error(
        await api(
            "PATCH",
            "notebooks",
            nid,
            user="bob",
            headers=ifm,
            body={"title": "hijacked", "visibility": "private"},
        ),
        403,
        "forbidden",
    )
    assert_error(await api("DELETE", "notebooks", nid, user="bob"), 403, "forbidden")
    after = (await api("GET", "notebooks", nid)).json
    assert after["title"] == nb["title"] and after["version"] == 1
    assert after["visibility"] == "public"
    assert (await api("GET", "notebooks", nid, "content")).json == notebook(
        "import pandas as pd\ndf = pd.read_csv('sales.csv')"
    )


async def test_a_private_notebook_does_not_exist_for_others(api):
    nb = await publish(
        api,
        title="Payroll secrets",
        visibility="private",
        tags=["payroll"],
        notebook=notebook("salaries = load('hr.csv')"),
    )
    nid = nb["id"]
    ifm = {"If-Match": '"v1"'}
    for method, path, body in [
        ("GET", ("notebooks", nid), None),
        ("GET", ("notebooks", nid, "content"), None),
        ("GET", ("notebooks", nid, "versions"), None),
        ("PUT", ("notebooks", nid), {"notebook": notebook("x")}),
        ("PATCH", ("notebooks", nid), {"title": "x"}),
        ("DELETE", ("notebooks", nid), None),
        ("PUT", ("notebooks", nid, "star"), None),
        ("DELETE", ("notebooks", nid, "star"), None),
        (
            "POST",
            ("notebooks", nid, "change-requests"),
            {"notebook": notebook("x"), "comment": "", "baseVersion": 1},
        ),
    ]:
        reply = await api(method, *path, user="bob", body=body, headers=ifm)
        body_ = assert_error(reply, 404, "not-found")
        assert "Payroll" not in body_["message"], (method, path)
    for params in (
        {},
        {"q": "payroll"},
        {"q": "salaries"},
        {"tag": "payroll"},
        {"owner": "alice"},
        {"sort": "stars"},
    ):
        listing = (await api("GET", "notebooks", user="bob", params=params)).json
        assert listing["total"] == 0 and listing["items"] == [], params
    assert (await api("GET", "tags", user="bob")).json["items"] == []
    # A fork cannot name it as a parent either.
    assert_error(
        await api(
            "POST",
            "notebooks",
            user="bob",
            body={"title": "f", "notebook": notebook(), "parentId": nid},
        ),
        400,
        "bad-request",
    )
    # Still there, unchanged, for its owner.
    mine = (await api("GET", "notebooks", params={"q": "salaries"})).json
    assert [item["id"] for item in mine["items"]] == [nid]


async def test_admins_see_and_edit_everything(api):
    nb = await publish(api, visibility="private", title="Private work")
    nid = nb["id"]
    assert (await api("GET", "notebooks", params={"q": "private"}, user="admin")).json["total"] == 1
    seen = (await api("GET", "notebooks", nid, user="admin")).json
    assert seen["canEdit"] is True
    reply = await api(
        "PATCH",
        "notebooks",
        nid,
        user="admin",
        headers={"If-Match": '"v1"'},
        body={"title": "Reviewed"},
    )
    assert reply.code == 200 and reply.json["title"] == "Reviewed"
    reply = await api(
        "PUT",
        "notebooks",
        nid,
        user="admin",
        headers={"If-Match": '"v1"'},
        body={"notebook": notebook("fixed()"), "note": "admin fix"},
    )
    assert reply.code == 200 and reply.json["version"] == 2
    versions = (await api("GET", "notebooks", nid, "versions")).json["items"]
    assert versions[0]["author"] == "admin"
    assert (await api("DELETE", "notebooks", nid, user="admin")).code == 204
    assert_error(await api("GET", "notebooks", nid), 404, "not-found")


async def test_change_requests_are_visible_to_author_owner_and_admins_only(api):
    nb = await publish(api)
    cr = (
        await api(
            "POST",
            "notebooks",
            nb["id"],
            "change-requests",
            user="bob",
            body={"notebook": notebook("b()"), "comment": "c", "baseVersion": 1},
        )
    ).json
    for user in ("alice", "bob", "admin"):
        assert (await api("GET", "change-requests", cr["id"], user=user)).code == 200
    assert_error(await api("GET", "change-requests", cr["id"], user="carol"), 404, "not-found")
    for action in ("accept", "decline", "withdraw"):
        assert_error(
            await api("POST", "change-requests", cr["id"], action, user="carol", body={}),
            404,
            "not-found",
        )
    assert_error(
        await api("POST", "change-requests", cr["id"], "decline", user="bob", body={}),
        403,
        "forbidden",
    )
    # Admins may decide on any notebook's requests.
    reply = await api("POST", "change-requests", cr["id"], "decline", user="admin", body={})
    assert reply.code == 200 and reply.json["decidedBy"] == "admin"


async def test_concurrent_updates_with_the_same_if_match_have_one_winner(api):
    nb = await publish(api)
    nid = nb["id"]
    for round_ in range(3):
        version = (await api("GET", "notebooks", nid)).json["version"]
        replies = await asyncio.gather(
            *(
                api(
                    "PUT",
                    "notebooks",
                    nid,
                    headers={"If-Match": f'"v{version}"'},
                    body={"notebook": notebook(f"writer({round_}, {i})"), "note": f"w{i}"},
                )
                for i in range(6)
            )
        )
        codes = sorted(reply.code for reply in replies)
        assert codes == [200] + [409] * 5, replies
        winner = next(reply for reply in replies if reply.code == 200).json
        assert winner["version"] == version + 1
        for loser in (reply for reply in replies if reply.code == 409):
            assert loser.json["current"]["version"] == version + 1
        stored = await api("GET", "notebooks", nid, "content")
        assert stored.headers["ETag"] == f'"v{version + 1}"'
        assert content_hash(stored.json) == winner["contentHash"]
    versions = (await api("GET", "notebooks", nid, "versions")).json["items"]
    assert [v["version"] for v in versions] == [4, 3, 2, 1]


def test_hub_identity_admins_come_from_the_hub_and_the_gallery_config():
    """Hub-service mode: the hub user is the gallery user; admin if a hub admin, in
    ``admin_users`` or in one of ``admin_groups``. (The end-to-end hub test drives the API.)"""
    from types import SimpleNamespace

    from jupyterlab_atrium.service.gallery.config import AtriumGallery
    from jupyterlab_atrium.service.hub import HubServiceHandler

    config = AtriumGallery(admin_users={"carol"}, admin_groups={"gallery-admins"})

    def user(model):
        handler = SimpleNamespace(
            current_user=model, atrium_service=SimpleNamespace(gallery_config=config)
        )
        return HubServiceHandler.atrium_user(handler)

    assert user({"name": "alice", "admin": False, "groups": []}) == GalleryUser("alice", False)
    assert user({"name": "bob", "admin": True}).admin is True
    assert user({"name": "carol"}).admin is True
    assert user({"name": "dave", "groups": ["staff", "gallery-admins"]}).admin is True
    assert user({"name": "erin", "groups": ["staff"]}).admin is False
