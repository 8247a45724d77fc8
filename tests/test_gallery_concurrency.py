"""PATCH honours If-Match as PUT does, and change requests follow the read rule.

On SQLite and PostgreSQL, through real concurrent HTTP requests and, for the database's own
say, through concurrent threads that call the store at once: of several metadata edits from
the same ETag exactly one wins, and a later edit sent with a stale ETag never overwrites an
earlier one.
"""

# The tests take the imported ``api`` fixture as a parameter, which F811 misreads.
# ruff: noqa: F811

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading

import pytest

from jupyterlab_atrium.service.config import AtriumService
from jupyterlab_atrium.service.core import Service
from jupyterlab_atrium.service.gallery.store import Conflict, GalleryUser, parse_etag

from .test_gallery_api import api, assert_error, notebook, publish  # noqa: F401

pytestmark = pytest.mark.usefixtures("gallery_users")


@pytest.fixture
def jp_server_config(jp_server_config, database_url):
    jp_server_config["AtriumService"] = {"database_url": database_url}
    return jp_server_config


async def test_concurrent_patches_from_one_etag_have_one_winner(api):
    nb = await publish(api)
    nid = nb["id"]
    etag = '"v1"'
    for round_ in range(3):
        replies = await asyncio.gather(
            *(
                api(
                    "PATCH",
                    "notebooks",
                    nid,
                    headers={"If-Match": etag},
                    body={"description": f"writer {round_}.{i}"},
                )
                for i in range(20)
            )
        )
        codes = sorted(reply.code for reply in replies)
        assert codes == [200] + [409] * 19, replies
        winner = next(reply for reply in replies if reply.code == 200)
        assert winner.headers["ETag"] != etag
        for loser in (reply for reply in replies if reply.code == 409):
            assert loser.json["current"]["description"] == winner.json["description"]
            # A loser can retry at once: the conflict names the current ETag.
            assert loser.headers["ETag"] == winner.headers["ETag"]
        current = await api("GET", "notebooks", nid)
        assert current.json["description"] == winner.json["description"]
        assert current.headers["ETag"] == winner.headers["ETag"]
        etag = winner.headers["ETag"]
    # Metadata edits make no new version of the content.
    assert current.json["version"] == 1
    assert len((await api("GET", "notebooks", nid, "versions")).json["items"]) == 1


async def test_a_stale_patch_does_not_overwrite_an_admins_edit(api):
    nb = await publish(api)
    nid = nb["id"]
    admin = await api(
        "PATCH",
        "notebooks",
        nid,
        user="admin",
        headers={"If-Match": '"v1"'},
        body={"description": "Checked by the admin"},
    )
    assert admin.code == 200, admin
    stale = await api(
        "PATCH",
        "notebooks",
        nid,
        headers={"If-Match": '"v1"'},
        body={"description": "The owner's older text", "title": "Renamed"},
    )
    body = assert_error(stale, 409, "conflict")
    assert body["current"]["description"] == "Checked by the admin"
    got = (await api("GET", "notebooks", nid)).json
    assert got["description"] == "Checked by the admin" and got["title"] == nb["title"]
    # With the ETag the admin's edit produced, the owner's edit goes through.
    retry = await api(
        "PATCH",
        "notebooks",
        nid,
        headers={"If-Match": admin.headers["ETag"]},
        body={"title": "Renamed"},
    )
    assert retry.code == 200, retry
    assert retry.json["description"] == "Checked by the admin"


async def test_a_metadata_edit_changes_the_etag_that_if_none_match_compares(api):
    nb = await publish(api)
    nid = nb["id"]
    first = await api("GET", "notebooks", nid)
    assert first.headers["ETag"] == '"v1"'
    edited = await api(
        "PATCH", "notebooks", nid, headers={"If-Match": '"v1"'}, body={"title": "New title"}
    )
    assert edited.code == 200
    again = await api("GET", "notebooks", nid, headers={"If-None-Match": '"v1"'})
    assert again.code == 200 and again.json["title"] == "New title"
    same = await api("GET", "notebooks", nid, headers={"If-None-Match": edited.headers["ETag"]})
    assert same.code == 304


async def test_new_content_needs_only_the_content_version(api):
    """PUT replaces the content and keeps the metadata, so a metadata edit made meanwhile
    loses nothing: the frontend's "vN" (the version its notebook is based on) still works."""
    nb = await publish(api)
    nid = nb["id"]
    edited = await api(
        "PATCH",
        "notebooks",
        nid,
        user="admin",
        headers={"If-Match": '"v1"'},
        body={"description": "Admin text"},
    )
    assert edited.code == 200
    reply = await api(
        "PUT", "notebooks", nid, headers={"If-Match": '"v1"'}, body={"notebook": notebook("v2()")}
    )
    assert reply.code == 200, reply
    assert reply.json["version"] == 2 and reply.json["description"] == "Admin text"
    assert reply.headers["ETag"] == '"v2"'
    # The full ETag of an older state is stale for PUT too.
    stale = await api(
        "PUT",
        "notebooks",
        nid,
        headers={"If-Match": edited.headers["ETag"]},
        body={"notebook": notebook("v3()")},
    )
    assert_error(stale, 409, "conflict")
    # …and for DELETE.
    assert_error(
        await api("DELETE", "notebooks", nid, headers={"If-Match": edited.headers["ETag"]}),
        409,
        "conflict",
    )


def test_the_database_decides_between_simultaneous_patches(database_url):
    """Many threads PATCH from the same ETag at the same instant, straight into the store."""
    service = Service(
        AtriumService(database_url=database_url, worker_threads=2, pool_size=10),
        mode="test",
        log=logging.getLogger("test"),
    )
    try:
        service.database.migrate()
        store = service.gallery
        alice = GalleryUser("alice")
        nb = store.create(alice, {"title": "T", "notebook": notebook()})
        writers = 12
        barrier = threading.Barrier(writers, timeout=60)

        def edit(i: int) -> str:
            barrier.wait()
            try:
                store.patch(alice, nb["id"], parse_etag('"v1"'), {"description": f"writer {i}"})
            except Conflict:
                return "conflict"
            return f"writer {i}"

        with concurrent.futures.ThreadPoolExecutor(writers) as pool:
            outcomes = list(pool.map(edit, range(writers)))
        winners = [outcome for outcome in outcomes if outcome != "conflict"]
        assert len(winners) == 1, outcomes
        assert store.get(alice, nb["id"])["description"] == winners[0]
    finally:
        service.close()


async def test_a_change_request_shows_a_private_notebook_only_as_filed(api):
    nb = await publish(api, title="Public title")
    nid = nb["id"]
    cr = await api(
        "POST",
        "notebooks",
        nid,
        "change-requests",
        user="bob",
        body={"notebook": notebook("other()"), "comment": "try", "baseVersion": 1},
    )
    assert cr.code == 201 and cr.json["notebookTitle"] == "Public title"
    crid = cr.json["id"]
    hidden = await api(
        "PATCH",
        "notebooks",
        nid,
        headers={"If-Match": '"v1"'},
        body={"title": "Secret new name", "visibility": "private"},
    )
    assert hidden.code == 200
    assert_error(await api("GET", "notebooks", nid, user="bob"), 404, "not-found")

    seen = [
        (await api("GET", "change-requests", crid, user="bob")).json,
        *(
            await api(
                "GET", "change-requests", user="bob", params={"role": "outgoing", "status": "all"}
            )
        ).json["items"],
        (await api("POST", "change-requests", crid, "withdraw", user="bob")).json,
    ]
    for item in seen:
        assert item["id"] == crid
        assert item["notebookTitle"] == "Public title", item
        assert "Secret" not in str(item)
    # The owner (and an admin) see the notebook as it is.
    for user in ("alice", "admin"):
        mine = (await api("GET", "change-requests", crid, user=user)).json
        assert mine["notebookTitle"] == "Secret new name"


def test_migration_0003_keeps_only_public_titles_for_older_change_requests(database_url):
    from alembic import command
    from sqlalchemy import text

    from jupyterlab_atrium.service.db import Database, _alembic_config

    db = Database(database_url)
    try:
        with db.engine.begin() as conn:
            cfg = _alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0002")
            for pk, visibility in ((1, "public"), (2, "private")):
                conn.execute(
                    text(
                        "INSERT INTO gallery_notebooks (pk, id, owner, title, description, "
                        "tags_text, visibility, version, content_hash, created_at, updated_at, "
                        "stars, search_body) VALUES (:pk, :id, 'alice', :title, '', '', :vis, 1, "
                        "'h', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 0, '')"
                    ),
                    {
                        "pk": pk,
                        "id": f"{pk:032x}",
                        "title": f"{visibility} title",
                        "vis": visibility,
                    },
                )
                conn.execute(
                    text(
                        "INSERT INTO gallery_change_requests (id, notebook_pk, author, comment, "
                        "base_version, status, created_at, decision_comment, content_hash, size, "
                        "content) VALUES (:id, :pk, 'bob', '', 1, 'open', CURRENT_TIMESTAMP, '', "
                        "'h', 2, '{}')"
                    ),
                    {"id": f"{pk:032x}", "pk": pk},
                )
        db.migrate()
        with db.engine.connect() as conn:
            titles = dict(
                conn.execute(
                    text("SELECT notebook_pk, notebook_title FROM gallery_change_requests")
                ).all()
            )
            edits = conn.execute(text("SELECT DISTINCT edits FROM gallery_notebooks")).all()
        assert titles == {1: "public title", 2: ""}
        assert edits == [(0,)]
    finally:
        db.close()
