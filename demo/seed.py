"""Seed the demo's gallery with a few real-looking notebooks, and one graded assignment, once.

The notebooks in demo/gallery/ are stored straight through the service's own store (the same
validation, strip check and search index as an upload), owned by invented colleagues, plus one
of the demo user's own with an open change request, so every part of the panel has something
to show. Two groups (``GROUPS``, which demo/run.py also gives the server) own and share
some of the notebooks, and one of the group's older notebooks is deprecated in favour of its
successor, which IT security reviewed (``REVIEW_KINDS``): it is verified. The assignment in
demo/grading/ is released by the demo user, whom the demo makes an instructor, through the
same release as the API (lint first; a lint error stops the demo).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import nbformat

from jupyterlab_atrium.service.config import AtriumService
from jupyterlab_atrium.service.core import Service
from jupyterlab_atrium.service.gallery.config import AtriumGallery
from jupyterlab_atrium.service.gallery.search import SearchParams
from jupyterlab_atrium.service.gallery.store import ETag, GalleryStore, GalleryUser
from jupyterlab_atrium.service.grading.assignments import AssignmentStore, GraderUser

DEMO_USER = "demo"
HERE = Path(__file__).parent / "gallery"
ASSIGNMENT = Path(__file__).parent / "grading" / "length-of-stay.ipynb"
#: The demo's groups (``AtriumGallery.groups``): the demo user analyses ward data with two
#: colleagues; IT security shares its log triage notebook with them to read.
GROUPS = {"ward-analytics": ["demo", "maria", "lena"], "it-security": ["tomas"]}
#: The demo's review kinds (``AtriumGallery.review_kinds``): IT security reviews notebooks
#: technically; one of ward analytics' notebooks has their approval, so it is verified.
REVIEW_KINDS = {"technical": ["it-security"]}


def _notebook(name: str) -> dict:
    # nbformat.read joins line lists into strings, as JupyterLab holds them.
    return json.loads(json.dumps(nbformat.read(HERE / name, as_version=4)))


def seed(database_url: str) -> tuple[int, int]:
    """Publish the demo notebooks into an empty gallery and release the demo assignment when
    there is none; returns how many notebooks and assignments were added."""
    service = Service(
        AtriumService(database_url=database_url),
        mode="embedded",
        log=logging.getLogger("atrium-demo"),
        gallery=AtriumGallery(groups=GROUPS, review_kinds=REVIEW_KINDS),
    )
    try:
        service.database.migrate()
        return _seed_gallery(service), _seed_assignment(service)
    finally:
        service.close()


def _seed_assignment(service: Service) -> int:
    store = AssignmentStore(service.database)
    instructor = GraderUser(DEMO_USER, instructor=True)
    if store.list(instructor):
        return 0
    store.release(
        instructor,
        {
            "title": "Length of stay",
            "course": "Statistics for ward staff",
            "notebook": json.loads(ASSIGNMENT.read_text(encoding="utf-8")),
            "reveal": "message-only",
        },
    )
    return 1


def _seed_gallery(service: Service) -> int:
    config = service.gallery_config
    store = GalleryStore(service.database, config)
    if store.search(GalleryUser(DEMO_USER, admin=True), SearchParams())["total"]:
        return 0
    index = json.loads((HERE / "index.json").read_text())
    added = 0
    published = {}
    for entry in index:
        # A group's notebook is published by one of its members.
        owner = config.embedded_user(entry.get("publisher", entry["owner"]))
        body = {
            "title": entry["title"],
            "description": entry["description"],
            "tags": entry["tags"],
            "visibility": entry.get("visibility", "public"),
            "notebook": _notebook(entry["file"]),
        }
        if entry.get("ownerKind") == "group":
            body.update(owner=entry["owner"], ownerKind="group")
        summary = store.create(owner, body)
        published[entry["file"]] = summary
        for share in entry.get("shares", ()):
            store.share(owner, summary["id"], share)
        added += 1
        if entry.get("star"):
            store.star(config.embedded_user(DEMO_USER), summary["id"], True)
        if entry["owner"] == DEMO_USER:
            # A colleague suggests a change: the demo user's Inbox has something in it.
            suggestion = _notebook(entry["file"])
            suggestion["cells"].append(
                {
                    "cell_type": "markdown",
                    "id": "suggested-note",
                    "metadata": {},
                    "source": "**Tip:** `LEFT JOIN` also lists courses nobody takes yet.",
                }
            )
            store.create_change_request(
                GalleryUser("lena"),
                summary["id"],
                {
                    "notebook": suggestion,
                    "comment": "Added a note on LEFT JOIN for the exercise.",
                    "baseVersion": summary["version"],
                },
            )
    for entry in index:
        if "verified_by" in entry:
            _verify(store, config, entry, published[entry["file"]])
        if "deprecated" in entry:
            _deprecate(store, config.embedded_user(entry["publisher"]), entry, published)
    return added


def _verify(store: GalleryStore, config: AtriumGallery, entry: dict, summary: dict) -> None:
    """Its publisher asks for each review kind, the reviewer the entry names approves."""
    publisher = config.embedded_user(entry["publisher"])
    reviewer = config.embedded_user(entry["verified_by"])
    for kind in sorted(config.review_kinds):
        review = store.request_review(publisher, summary["id"], {"kind": kind})
        store.claim_review(reviewer, review["id"])
        store.decide_review(
            reviewer,
            review["id"],
            "approve",
            {"contentHash": summary["contentHash"], "comment": "Checked against the extract."},
        )


def _deprecate(store: GalleryStore, user: GalleryUser, entry: dict, published: dict) -> None:
    """Deprecate a seeded notebook in favour of the notebooks (files) its entry names."""
    summary = published[entry["file"]]
    store.deprecate(
        user,
        summary["id"],
        ETag(summary["version"], 0),
        {
            "reason": entry["deprecated"]["reason"],
            "alternatives": [published[f]["id"] for f in entry["deprecated"]["alternatives"]],
        },
    )
