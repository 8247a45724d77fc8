"""The PostgreSQL plan of a word search with a tag filter (issue 17): the search vectors are
tested through their GIN indexes only, never row by row (each row's search_vector is TOASTed:
reading it for every notebook with the tag cost ~7 pages a row, 2-3x the whole search)."""

from __future__ import annotations

import json
import logging
import random
import sys
from pathlib import Path

import pytest
from sqlalchemy import event

from jupyterlab_atrium.service.config import AtriumService
from jupyterlab_atrium.service.core import Service
from jupyterlab_atrium.service.gallery import search as search_module
from jupyterlab_atrium.service.gallery.search import SearchParams
from jupyterlab_atrium.service.gallery.store import GalleryUser

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import gallery_search as bench


def _nodes(plan):
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


@pytest.fixture
def gallery(postgres):
    service = Service(
        AtriumService(database_url=postgres.create_database()),
        mode="test",
        log=logging.getLogger("test"),
    )
    service.database.migrate()
    bench.populate(service, 4000, groups=100)  # ends with VACUUM ANALYZE
    yield service
    service.close()


@pytest.mark.parametrize("q", ["pandas", "sales"])
def test_tag_filter_never_reads_search_vectors_row_by_row(gallery, q):
    groups = frozenset(random.Random(3).sample(bench.group_names(100), bench.GROUP_OF))
    user = GalleryUser("user001", groups=groups)
    statements = []

    def grab(conn, cursor, statement, params, context, many):
        if "search_vector" in statement:
            statements.append((statement, params))

    event.listen(gallery.database.engine, "before_cursor_execute", grab)
    try:
        found = gallery.gallery.search(user, SearchParams(q=q, tag="regression"))
    finally:
        event.remove(gallery.database.engine, "before_cursor_execute", grab)
    assert found["total"] > 0
    statement, params = statements[-1]
    raw = gallery.database.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("EXPLAIN (FORMAT JSON) " + statement, params)
        plan = cursor.fetchone()[0]
    finally:
        raw.close()
    plan = plan if isinstance(plan, list) else json.loads(plan)
    per_row = [
        node["Node Type"]
        for node in _nodes(plan[0]["Plan"])
        if "search_vector" in node.get("Filter", "")
    ]
    assert per_row == [], json.dumps(plan, indent=1)


def _explain(gallery, statement, params):
    raw = gallery.database.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + statement, params)
        plan = cursor.fetchone()[0]
    finally:
        raw.close()
    return plan if isinstance(plan, list) else json.loads(plan)


@pytest.mark.parametrize("q", ["#8", "p"])
def test_a_prefix_of_most_notebooks_walks_only_the_newest(gallery, monkeypatch, q):
    # "#8" is the prefix '8':*, in ~95 % of the bench's notebooks (and every word of the
    # index starting with 8): the GIN bitmap read all of those rows and every such word
    # (76,590 rows, ~105 ms at 100k) to keep the newest window. Walking the primary key
    # reads about a window. A window of 100 stands for 1,000 at 100k notebooks.
    monkeypatch.setattr(search_module, "WINDOW", 100)
    user = GalleryUser("user001", groups=frozenset(bench.group_names(100)[:20]))
    statements = []

    def grab(conn, cursor, statement, params, context, many):
        if statement.startswith("WITH w"):
            statements.append((statement, params))

    event.listen(gallery.database.engine, "before_cursor_execute", grab)
    try:
        found = gallery.gallery.search(user, SearchParams(q=q))
    finally:
        event.remove(gallery.database.engine, "before_cursor_execute", grab)
    assert found["total"] == 100 and found["totalExact"] is False
    assert len(statements) == 1  # the walk filled the window: no second try
    plan = _explain(gallery, *statements[0])
    # Every read of the notebooks, the candidates' titles and tags (relevance) included: for
    # "p" the title matches once took a sequential scan of every notebook's head_vector.
    whole = plan[0]["Plan"]
    scans = [node for node in _nodes(whole) if node.get("Relation Name") == "gallery_notebooks"]
    read = sum(node["Actual Rows"] + node.get("Rows Removed by Filter", 0) for node in scans)
    assert read <= 3 * 101, json.dumps(whole, indent=1)
    assert not [n for n in _nodes(whole) if n.get("Index Name") == "ix_gallery_notebooks_search"]
