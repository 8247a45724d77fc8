"""Seed the demo's gallery with a few real-looking notebooks, and one graded assignment, once.

The notebooks in demo/gallery/ are stored straight through the service's own store (the same
validation, strip check and search index as an upload), owned by invented colleagues, plus one
of the demo user's own with an open change request, so every part of the panel has something
to show. The assignment in demo/grading/ is released by the demo user, whom the demo makes an
instructor, through the same release as the API (lint first; a lint error stops the demo).
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
from jupyterlab_atrium.service.gallery.store import GalleryStore, GalleryUser
from jupyterlab_atrium.service.grading.assignments import AssignmentStore, GraderUser

DEMO_USER = "demo"
HERE = Path(__file__).parent / "gallery"
ASSIGNMENT = Path(__file__).parent / "grading" / "length-of-stay.ipynb"


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
        gallery=AtriumGallery(),
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
    store = GalleryStore(service.database, service.gallery_config)
    if store.search(GalleryUser(DEMO_USER, admin=True), SearchParams())["total"]:
        return 0
    index = json.loads((HERE / "index.json").read_text())
    added = 0
    for entry in index:
        owner = GalleryUser(entry["owner"])
        summary = store.create(
            owner,
            {
                "title": entry["title"],
                "description": entry["description"],
                "tags": entry["tags"],
                "visibility": "public",
                "notebook": _notebook(entry["file"]),
            },
        )
        added += 1
        if entry.get("star"):
            store.star(GalleryUser(DEMO_USER), summary["id"], True)
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
    return added
