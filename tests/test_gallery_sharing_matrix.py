"""The gallery's permission rule as a generated matrix, through the real server on SQLite and
PostgreSQL: owner kind (user, group) x viewer x visibility x every gallery endpoint.

One server per backend: the six notebooks (two owner kinds x three visibilities) are
published once, then every viewer asks every endpoint about every notebook, concurrently, and
each answer is checked against the rule written out below in plain Python (``expected``) —
a second statement of ``gallery/access.py``'s SQL, which is what makes the matrix a test. The
failures are collected and reported together, each named by its cell of the matrix.
"""

# The tests take the imported ``api`` fixture as a parameter, which F811 misreads.
# ruff: noqa: F811

from __future__ import annotations

import asyncio
from itertools import product
from typing import Any

import pytest

from .test_gallery_api import api, notebook, rest_client  # noqa: F401

pytestmark = pytest.mark.usefixtures("sharing_config")

OWNER_KINDS = ("user", "group")
VISIBILITIES = ("public", "shared", "private")

#: Who is who (``AtriumGallery.groups`` and ``group_roles`` below).
OWNER = "olga"  # owns the user-owned notebooks
MEMBER = "gina"  # in "team", which owns the group-owned notebooks (she publishes them)
MEMBER2 = "gus"  # also in "team"
SHARED_READ = "sam"  # the notebooks are shared with him (user share) to read
SHARED_EDIT = "eddie"  # in "editors", with which the notebooks are shared to edit
ROLE_EDITOR = "rolf"  # group_roles: may edit team's notebooks
ROLE_READER = "ruth"  # group_roles: in "auditors", who may read team's notebooks
STRANGER = "stan"
ADMIN = "admin"
SPARE = "zed"  # shared with and unshared again by those who manage

VIEWERS = {
    "owner": None,  # OWNER or MEMBER, by owner kind
    "group member": MEMBER2,
    "shared read": SHARED_READ,
    "shared edit": SHARED_EDIT,
    "role editor": ROLE_EDITOR,
    "role reader": ROLE_READER,
    "stranger": STRANGER,
    "admin": ADMIN,
}

GROUPS = {
    "team": [MEMBER, MEMBER2],
    "editors": [SHARED_EDIT],
    "auditors": [ROLE_READER],
    "others": [SPARE],
}
GROUP_ROLES = {"team": {"edit": [ROLE_EDITOR], "read": ["group:auditors"]}}


@pytest.fixture
def jp_server_config(jp_server_config, database_url):
    jp_server_config["AtriumService"] = {"database_url": database_url}
    return jp_server_config


@pytest.fixture
def sharing_config(gallery_users):
    """Several users on one server (``gallery_users``), in the groups and roles above."""
    gallery_users["AtriumGallery"].update(groups=GROUPS, group_roles=GROUP_ROLES)
    return gallery_users


def expected(owner_kind: str, viewer: str, visibility: str) -> dict[str, bool]:
    """The rule, per cell: may this viewer read, edit, manage the notebook?"""
    group_owned = owner_kind == "group"
    manage = viewer in ("owner", "admin") or (viewer == "group member" and group_owned)
    edit = (
        manage
        or (viewer == "role editor" and group_owned)
        or (viewer == "shared edit" and visibility != "private")
    )
    read = (
        edit
        or visibility == "public"
        or (viewer == "role reader" and group_owned)
        or (viewer in ("shared read", "shared edit") and visibility == "shared")
    )
    return {"read": read, "edit": edit, "manage": manage}


def word(owner_kind: str, visibility: str) -> str:
    return f"matrix{owner_kind}{visibility}"


async def _publish_all(api) -> dict[tuple[str, str], dict[str, Any]]:
    # Everyone who is shared with must be known to the gallery first (it refuses unknown
    # names); sam is named by no configuration, so he makes himself known.
    assert (await api("GET", "policy", user=SHARED_READ)).code == 200
    published = {}
    for owner_kind, visibility in product(OWNER_KINDS, VISIBILITIES):
        w = word(owner_kind, visibility)
        body: dict[str, Any] = {
            "title": f"Matrix {owner_kind} {visibility}",
            "tags": [w],
            "visibility": visibility,
            "notebook": notebook(f"{w} = 1"),
        }
        publisher = OWNER
        if owner_kind == "group":
            body.update(owner="team", ownerKind="group")
            publisher = MEMBER
        reply = await api("POST", "notebooks", user=publisher, body=body)
        assert reply.code == 201, reply
        nb = reply.json
        assert (nb["owner"], nb["ownerKind"]) == (
            (OWNER, "user") if owner_kind == "user" else ("team", "group")
        )
        nid = nb["id"]
        for share in (
            {"kind": "user", "name": SHARED_READ, "access": "read"},
            {"kind": "group", "name": "editors", "access": "edit"},
        ):
            reply = await api("PUT", "notebooks", nid, "shares", user=publisher, body=share)
            assert reply.code == 200, reply
        # A change request by someone who may read but not edit every public notebook.
        cr = await api(
            "POST",
            "notebooks",
            nid,
            "change-requests",
            user=SHARED_READ if visibility != "private" else publisher,
            body={"notebook": notebook("proposal()"), "comment": "c", "baseVersion": 1},
        )
        nb["cr"] = cr.json["id"] if cr.code == 201 else None
        nb["publisher"] = publisher
        published[(owner_kind, visibility)] = nb
    return published


async def _probe(api, service, nb, owner_kind, visibility, viewer, user) -> list[str]:
    """Every endpoint, as ``user``, about ``nb``: the cells of the matrix that went wrong."""
    rule = expected(owner_kind, viewer, visibility)
    nid, w = nb["id"], word(owner_kind, visibility)
    label = f"{owner_kind}-owned {visibility}, {viewer} ({user})"
    wrong: list[str] = []

    def check(what: str, got: Any, want: Any) -> None:
        if got != want:
            wrong.append(f"{label}: {what}: got {got!r}, want {want!r}")

    read_code = 200 if rule["read"] else 404

    got = await api("GET", "notebooks", nid, user=user)
    check("GET notebook", got.code, read_code)
    if got.code == 200:
        check("canEdit", got.json["canEdit"], rule["edit"])
        check("canManage", got.json["canManage"], rule["manage"])
    check("content", (await api("GET", "notebooks", nid, "content", user=user)).code, read_code)
    check("versions", (await api("GET", "notebooks", nid, "versions", user=user)).code, read_code)
    for params in ({"q": w}, {"tag": w}, {"owner": nb["owner"], "perPage": 100}):
        listing = (await api("GET", "notebooks", user=user, params=params)).json
        ids = [item["id"] for item in listing["items"]]
        check(f"search {params}", nid in ids, rule["read"])
        if "q" in params:
            check(f"search {params} total", listing["total"], int(rule["read"]))
    tags = [t["tag"] for t in (await api("GET", "tags", user=user)).json["items"]]
    check("tags", w in tags, rule["read"])
    check("star", (await api("PUT", "notebooks", nid, "star", user=user)).code, read_code)
    check("unstar", (await api("DELETE", "notebooks", nid, "star", user=user)).code, read_code)
    health = await service("GET", "health", "notebooks", nid, user=user)
    check("health", health.code, read_code)
    cr = await api(
        "POST",
        "notebooks",
        nid,
        "change-requests",
        user=user,
        body={"notebook": notebook("x()"), "comment": "", "baseVersion": 1},
    )
    check(
        "file change request",
        cr.code,
        404 if not rule["read"] else 400 if rule["edit"] else 201,
    )
    if cr.code == 201:
        withdrawn = await api("POST", "change-requests", cr.json["id"], "withdraw", user=user)
        check("withdraw own request", withdrawn.code, 200)
    if nb["cr"] is not None and user != SHARED_READ:
        incoming = await api("GET", "change-requests", user=user, params={"role": "incoming"})
        ids = [item["id"] for item in incoming.json["items"]]
        # An admin's inbox is that of the notebooks they edit as a user (none here).
        check("incoming change requests", nb["cr"] in ids, rule["edit"] and user != ADMIN)
        seen = await api("GET", "change-requests", nb["cr"], user=user)
        check("GET change request", seen.code, 200 if rule["edit"] else 404)
        if not rule["edit"]:
            decline = await api("POST", "change-requests", nb["cr"], "decline", user=user, body={})
            check("decline", decline.code, 404)
    shares = await api("GET", "notebooks", nid, "shares", user=user)
    check("GET shares", shares.code, 200 if rule["edit"] else 403 if rule["read"] else 404)
    edit_code = 200 if rule["edit"] else 403 if rule["read"] else 404
    manage_code = 200 if rule["manage"] else 403 if rule["read"] else 404

    # Writes last: each leaves the notebook as every other viewer expects it.
    current = (await api("GET", "notebooks", nid, user=ADMIN)).headers["ETag"]
    patched = await api(
        "PATCH",
        "notebooks",
        nid,
        user=user,
        headers={"If-Match": current},
        body={"description": f"edited by {user}"},
    )
    check("PATCH description", patched.code, edit_code)
    current = patched.headers.get("ETag", current) if patched.code == 200 else current
    patched = await api(
        "PATCH",
        "notebooks",
        nid,
        user=user,
        headers={"If-Match": current},
        body={"visibility": visibility},
    )
    check("PATCH visibility", patched.code, manage_code)
    shared = await api(
        "PUT",
        "notebooks",
        nid,
        "shares",
        user=user,
        body={"kind": "user", "name": SPARE, "access": "read"},
    )
    check("PUT share", shared.code, manage_code)
    unshared = await api(
        "DELETE", "notebooks", nid, "shares", user=user, params={"kind": "user", "name": SPARE}
    )
    check("DELETE share", unshared.code, manage_code)
    # A stale If-Match: whoever may delete gets 409 (and deletes nothing), others 403/404.
    deleted = await api("DELETE", "notebooks", nid, user=user, headers={"If-Match": '"v99"'})
    check("DELETE notebook", deleted.code, 409 if rule["manage"] else manage_code)
    return wrong


async def test_the_permission_matrix(api, jp_fetch):
    service = rest_client(jp_fetch, ("atrium", "api", "service"))
    published = await _publish_all(api)
    cases = []
    for (owner_kind, visibility), nb in published.items():
        for viewer, user in VIEWERS.items():
            user = user or nb["publisher"]
            cases.append((nb, owner_kind, visibility, viewer, user))
    # Viewers one after another (their writes must not overlap on one notebook), notebooks
    # at the same time.
    wrong: list[str] = []
    for viewer in VIEWERS:
        batch = [case for case in cases if case[3] == viewer]
        for found in await asyncio.gather(
            *(_probe(api, service, nb, ok, vis, vw, user) for nb, ok, vis, vw, user in batch)
        ):
            wrong.extend(found)
    assert not wrong, f"{len(wrong)} cells wrong:\n" + "\n".join(wrong)
    # Nothing was lost on the way: every notebook is still there, with its two shares.
    for nb in published.values():
        shares = (await api("GET", "notebooks", nb["id"], "shares", user=ADMIN)).json
        assert {(s["kind"], s["name"], s["access"]) for s in shares["items"]} == {
            ("user", SHARED_READ, "read"),
            ("group", "editors", "edit"),
        }
