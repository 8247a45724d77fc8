"""The gallery store on real SQLite and a real PostgreSQL cluster: migration, full-text
search (FTS5 / tsvector + GIN), filters, sorting, paging, hostile queries, and concurrent
updates from real threads.
"""

from __future__ import annotations

import logging
import threading

import pytest
from sqlalchemy import event, text

from jupyterlab_atrium.errors import AtriumError
from jupyterlab_atrium.service.config import AtriumService
from jupyterlab_atrium.service.core import Service
from jupyterlab_atrium.service.db import head_revision
from jupyterlab_atrium.service.gallery import search as search_module
from jupyterlab_atrium.service.gallery.search import SearchParams, fts5_query, query_terms, tsquery
from jupyterlab_atrium.service.gallery.store import Conflict, ETag, GalleryUser

from .test_gallery_api import HOSTILE, notebook

ALICE = GalleryUser("alice")
BOB = GalleryUser("bob")
ADMIN = GalleryUser("root", admin=True)


@pytest.fixture
def service(database_url):
    service = Service(
        AtriumService(database_url=database_url), mode="test", log=logging.getLogger("test")
    )
    service.database.migrate()
    yield service
    service.close()


@pytest.fixture
def store(service):
    return service.gallery


def publish(store, user=ALICE, title="Notebook", source="print(1)", **fields):
    body = {
        "title": title,
        "description": "",
        "tags": [],
        "visibility": "public",
        "notebook": notebook(source),
        **fields,
    }
    return store.create(user, body)


def ids(result):
    return [item["id"] for item in result["items"]]


def test_migration_builds_the_search_index(service):
    assert service.database.revision() == head_revision()
    with service.database.engine.connect() as conn:
        if service.database.backend == "sqlite":
            names = conn.execute(text("SELECT name FROM sqlite_master")).scalars().all()
            assert "gallery_fts" in names
            assert {"gallery_fts_insert", "gallery_fts_update", "gallery_fts_delete"} <= set(names)
        else:
            index = conn.execute(
                text(
                    "SELECT indexdef FROM pg_indexes "
                    "WHERE indexname = 'ix_gallery_notebooks_search'"
                )
            ).scalar_one()
            assert "gin" in index.lower() and "search_vector" in index


def test_search_finds_title_description_tags_and_code(store):
    a = publish(
        store,
        title="Churn prediction",
        description="Gradient boosting on customers",
        tags=["ml", "churn-model"],
        source="import xgboost\nclf = xgboost.XGBClassifier()",
    )
    b = publish(
        store,
        BOB,
        title="Sales dashboard",
        description="Weekly revenue",
        tags=["sales"],
        source="import pandas as pd\ndf = pd.read_csv('revenue.csv')",
    )
    assert ids(store.search(BOB, SearchParams(q="churn"))) == [a["id"]]
    assert ids(store.search(BOB, SearchParams(q="customers"))) == [a["id"]]
    assert ids(store.search(BOB, SearchParams(q="ml"))) == [a["id"]]
    assert ids(store.search(BOB, SearchParams(q="XGBClassifier"))) == [a["id"]]
    assert ids(store.search(BOB, SearchParams(q="read_csv"))) == [b["id"]]
    assert ids(store.search(BOB, SearchParams(q="rev"))) == [b["id"]]  # prefix
    assert ids(store.search(BOB, SearchParams(q="sales revenue"))) == [b["id"]]
    assert ids(store.search(BOB, SearchParams(q="sales churn"))) == []  # all words must match
    hit = store.search(BOB, SearchParams(q="xgboost"))["items"][0]
    assert "xgboost" in hit["snippet"].lower()
    assert set(hit) >= {"id", "title", "tags", "version", "contentHash", "snippet", "canEdit"}


def test_title_matches_rank_above_code_matches(store):
    code = publish(store, title="Report", source="forecast = model.predict(x)")
    title = publish(store, title="Forecast", source="x = 1")
    assert ids(store.search(BOB, SearchParams(q="forecast")))[0] == title["id"]
    assert set(ids(store.search(BOB, SearchParams(q="forecast")))) == {code["id"], title["id"]}


def test_updates_and_deletes_reach_the_index(store):
    nb = publish(store, source="alpha_function()")
    assert ids(store.search(BOB, SearchParams(q="alpha"))) == [nb["id"]]
    store.update(ALICE, nb["id"], ETag(1), {"notebook": notebook("beta_function()")})
    assert ids(store.search(BOB, SearchParams(q="alpha"))) == []
    assert ids(store.search(BOB, SearchParams(q="beta"))) == [nb["id"]]
    store.patch(ALICE, nb["id"], ETag(2), {"title": "Gamma", "tags": ["delta"]})
    assert ids(store.search(BOB, SearchParams(q="gamma delta beta"))) == [nb["id"]]
    store.star(BOB, nb["id"], True)  # a star does not disturb the index
    assert ids(store.search(BOB, SearchParams(q="gamma"))) == [nb["id"]]
    store.delete(ALICE, nb["id"], None)
    assert store.search(BOB, SearchParams(q="gamma"))["total"] == 0


def test_private_notebooks_are_searched_for_their_owner_and_admins_only(store):
    private = publish(store, title="Secret plan", visibility="private")
    public = publish(store, title="Open plan")
    assert ids(store.search(BOB, SearchParams(q="plan"))) == [public["id"]]
    assert set(ids(store.search(ALICE, SearchParams(q="plan")))) == {private["id"], public["id"]}
    assert set(ids(store.search(ADMIN, SearchParams(q="plan")))) == {private["id"], public["id"]}
    assert store.search(BOB, SearchParams())["total"] == 1
    assert store.search(BOB, SearchParams(owner="alice"))["total"] == 1
    with pytest.raises(AtriumError) as err:
        store.get(BOB, private["id"])
    assert err.value.status == 404


def test_filters_sorting_and_paging(store):
    made = []
    for index in range(7):
        made.append(
            publish(
                store,
                ALICE if index % 2 else BOB,
                title=f"Plot {chr(70 - index)}",
                tags=["even"] if index % 2 == 0 else ["odd"],
                source=f"plot({index})",
            )
        )
    store.star(BOB, made[3]["id"], True)
    store.star(ALICE, made[3]["id"], True)
    store.star(BOB, made[5]["id"], True)
    assert store.search(ALICE, SearchParams(mine=True))["total"] == 3
    assert store.search(ALICE, SearchParams(tag="EVEN"))["total"] == 4
    assert ids(store.search(BOB, SearchParams(starred=True, sort="stars"))) == [
        made[3]["id"],
        made[5]["id"],
    ]
    assert ids(store.search(BOB, SearchParams(q="plot", sort="stars")))[:2] == [
        made[3]["id"],
        made[5]["id"],
    ]
    titles = [item["title"] for item in store.search(BOB, SearchParams(sort="title"))["items"]]
    assert titles == sorted(titles)
    newest = ids(store.search(BOB, SearchParams(sort="updated")))
    assert newest == [nb["id"] for nb in reversed(made)]
    pages = [
        store.search(BOB, SearchParams(q="plot", sort="updated", page=p, per_page=3))
        for p in (1, 2, 3)
    ]
    assert [page["total"] for page in pages] == [7, 7, 7]
    assert all(page["totalExact"] for page in pages)
    assert [key for page in pages for key in ids(page)] == newest
    assert ids(store.search(BOB, SearchParams(q="plot", page=4, per_page=3))) == []


def test_search_window_bounds_the_count(store, monkeypatch):
    monkeypatch.setattr(search_module, "WINDOW", 3)
    for index in range(5):
        publish(store, title=f"Windowed {index}")
    result = store.search(BOB, SearchParams(q="windowed", per_page=2))
    assert result["total"] == 3 and result["totalExact"] is False
    assert store.search(BOB, SearchParams(per_page=2))["total"] == 3


def test_query_terms_cannot_inject_syntax():
    assert query_terms('NEAR("a" b*) OR c:* {title}: -d') == [
        "near",
        "a",
        "b",
        "or",
        "c",
        "title",
        "d",
    ]
    assert fts5_query(["a", "b"]) == '"a" AND "b"*'
    assert tsquery(["a", "b"]) == "'a' & 'b':*"
    assert query_terms("") == []
    assert len(query_terms(" ".join(f"w{i}" for i in range(50)))) == 16


@pytest.mark.parametrize("q", HOSTILE)
def test_hostile_queries(store, q):
    publish(store, title="Target", source="s = 'OR NEAR( \" *'")
    result = store.search(BOB, SearchParams(q=q, tag=q, owner=q))
    assert result["total"] == 0
    store.search(BOB, SearchParams(q=q))  # no exception


def test_concurrent_updates_from_threads_have_one_winner(store):
    nb = publish(store)
    workers = 6
    for round_ in range(4):
        expected = store.get(ALICE, nb["id"])["version"]
        barrier = threading.Barrier(workers)
        outcomes: list[object] = [None] * workers

        def write(
            slot: int,
            expected: int = expected,
            round_: int = round_,
            barrier: threading.Barrier = barrier,
            outcomes: list[object] = outcomes,
        ) -> None:
            body = {"notebook": notebook(f"writer({round_}, {slot})")}
            barrier.wait()
            try:
                outcomes[slot] = store.update(ALICE, nb["id"], ETag(expected), body)
            except Exception as exc:  # collected and asserted below
                outcomes[slot] = exc

        threads = [threading.Thread(target=write, args=(slot,)) for slot in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        winners = [o for o in outcomes if isinstance(o, dict)]
        losers = [o for o in outcomes if isinstance(o, Conflict)]
        assert len(winners) == 1 and len(losers) == workers - 1, outcomes
        assert winners[0]["version"] == expected + 1
        assert all(loser.payload["current"]["version"] == expected + 1 for loser in losers)
    assert [v["version"] for v in store.versions(ALICE, nb["id"])] == [5, 4, 3, 2, 1]


def test_concurrent_stars_are_counted_once_each(store):
    nb = publish(store)
    users = [GalleryUser(f"u{i}") for i in range(8)]
    barrier = threading.Barrier(len(users) * 2)
    errors: list[BaseException] = []

    def star(user: GalleryUser) -> None:
        barrier.wait()
        try:
            store.star(user, nb["id"], True)
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=star, args=(u,)) for u in users + users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert store.get(BOB, nb["id"])["stars"] == len(users)


def test_accepting_a_change_request_races_with_an_update(store):
    nb = publish(store)
    cr = store.create_change_request(
        BOB, nb["id"], {"notebook": notebook("bob()"), "comment": "c", "baseVersion": 1}
    )
    store.update(ALICE, nb["id"], ETag(1), {"notebook": notebook("alice()")})
    result = store.accept_change_request(ALICE, cr["id"], {})
    assert result["notebook"]["version"] == 3
    assert result["changeRequest"]["resultVersion"] == 3
    with pytest.raises(Conflict):
        store.accept_change_request(ALICE, cr["id"], {})


@pytest.mark.parametrize(
    "tag", ["3.11", "machine-learning", "c++", "x_y", "2024", "café", "stats.v2-beta"]
)
def test_tag_filter_with_words_finds_tags_of_any_shape(store, tag):
    # Word searches narrow a tag filter by the tag's words in the tags column (a superset
    # confirmed by the tags table): a tag with punctuation, digits or non-ASCII letters must
    # still be found, and the tag's words in a title alone are not the tag.
    tagged = publish(store, ALICE, title="Tagged", source="common_word = 1", tags=[tag, "other"])
    publish(store, ALICE, title=f"Untagged {tag}", source="common_word = 2", tags=["other"])
    publish(store, ALICE, title="Word missing", source="print(3)", tags=[tag])
    for q in ("common_word", "common", "comm"):
        result = store.search(BOB, SearchParams(q=q, tag=tag.upper()))
        assert ids(result) == [tagged["id"]], (q, tag)
        assert result["total"] == 1


@pytest.mark.parametrize("filters", [{"mine": True}, {"owner": "alice"}, {"tag": "rare"}])
def test_filters_apply_before_the_match_window(store, monkeypatch, filters):
    # A common word matched by more notebooks than the window holds must still find the
    # filtered user's older notebook, and count it exactly.
    monkeypatch.setattr(search_module, "WINDOW", 3)
    mine = publish(store, ALICE, title="Alice's", source="shared_word = 1", tags=["rare"])
    for n in range(5):
        publish(store, BOB, title=f"Bob {n}", source="shared_word = 2")
    result = store.search(ALICE, SearchParams(q="shared_word", **filters))
    assert ids(result) == [mine["id"]]
    assert result["total"] == 1


def test_short_queries_digits_hashes_and_non_ascii(store):
    # Search as you type: one or two characters are a prefix like any last word (the walk of
    # the newest notebooks for very common words must not change what they find).
    seven = publish(store, title="Plot 7 regions", source="x = 7")
    seventy = publish(store, title="Sales report", source="window = 72")
    french = publish(store, title="Études de prix", source="résumé = 'жизнь'")
    publish(store, title="Other", source="y = 1")
    cases = {
        "7": {seven["id"], seventy["id"]},
        "#7": {seven["id"], seventy["id"]},
        "72": {seventy["id"]},
        "#72": {seventy["id"]},
        "#720": set(),
        "x": {seven["id"]},
        "pl": {seven["id"]},
        "w": {seventy["id"]},
        "ét": {french["id"]},
        "é": {french["id"]},
        "rés": {french["id"]},
        "ж": {french["id"]},
        "жи": {french["id"]},
        "sales 7": {seventy["id"]},
        "7 x": {seven["id"]},
    }
    for q, expected in cases.items():
        result = store.search(BOB, SearchParams(q=q))
        assert set(ids(result)) == expected, q
        assert result["total"] == len(expected), q
    # Relevance: the title's "7" first, then the newest.
    assert ids(store.search(BOB, SearchParams(q="7"))) == [seven["id"], seventy["id"]]


@pytest.mark.parametrize("q", ["7", "#7", "x 7", "common"])
def test_walking_the_newest_notebooks_finds_what_the_index_finds(store, monkeypatch, q):
    # PostgreSQL walks the primary key for words in most notebooks; a walk limited to the
    # newest notebooks that finds less than a window falls back to the GIN bitmap. Every
    # way must give the same pages and counts, private notebooks of others left out.
    if store.database.backend != "postgresql":
        pytest.skip("the walk is PostgreSQL's plan")
    monkeypatch.setattr(search_module, "WINDOW", 4)
    for n in range(12):
        user = BOB if n % 3 == 0 else ALICE
        publish(
            store,
            user,
            title=f"Notebook {n} {'7' if n % 4 == 0 else 'seven'}",
            source=f"x = 7\ncommon = {n}",
            visibility="private" if n % 5 == 0 else "public",
        )
    publish(store, ALICE, title="Unrelated", source="y = 1")
    walks = []

    def grab(conn, cursor, statement, params, context, many):
        if "search_vector" in statement and "WITH" in statement:
            walks.append("max(pk)" in statement)

    def pages(span):
        monkeypatch.setattr(search_module, "_walk_span", lambda *args: span)
        walks.clear()
        found = []
        for sort in ("relevance", "updated", "title", "stars"):
            for page in (1, 2, 3):
                result = store.search(ALICE, SearchParams(q=q, sort=sort, page=page, per_page=2))
                found.append((sort, page, ids(result), result["total"], result["totalExact"]))
        return found, set(walks)

    event.listen(store.database.engine, "before_cursor_execute", grab)
    try:
        bitmap, bitmap_plans = pages(None)
        walked, walked_plans = pages(1000)
        narrow, narrow_plans = pages(3)  # too few notebooks for a window: the bitmap after
    finally:
        event.remove(store.database.engine, "before_cursor_execute", grab)
    assert bitmap_plans == {False} and walked_plans == {True} and narrow_plans == {True, False}
    assert walked == bitmap and narrow == bitmap
    assert bitmap[0][3] == 4 and bitmap[0][4] is False  # the window is full: the walk counts


def test_only_words_in_most_notebooks_walk(store, monkeypatch):
    if store.database.backend != "postgresql":
        pytest.skip("the walk is PostgreSQL's plan")
    monkeypatch.setattr(search_module, "WINDOW", 4)
    # PostgreSQL estimates prefixes from its statistics' most common words only when it
    # keeps 100 of them or more (else it assumes 2 %, and the search takes the bitmap).
    words = " ".join(f"word{i}" for i in range(120))
    for n in range(80):
        publish(
            store, ALICE, title=f"Notebook {n}", source=f"x = 7\nvalue_{n} = {n % 9}\n# {words}"
        )
    with store.database.engine.begin() as conn:
        conn.execute(text("ANALYZE gallery_notebooks"))
    statements = []

    def grab(conn, cursor, statement, params, context, many):
        if statement.startswith("WITH"):
            statements.append(statement)

    event.listen(store.database.engine, "before_cursor_execute", grab)
    try:
        walked = {}
        for params in (
            SearchParams(q="7"),  # every notebook
            SearchParams(q="#7"),
            SearchParams(q="v"),  # a prefix of every notebook's words
            SearchParams(q="value_12"),  # one notebook
            SearchParams(q="value"),  # every notebook, but a long word: one word's list
            SearchParams(q="7", tag="python"),  # a filter of its own: the bitmap
            SearchParams(q="7", mine=True),
        ):
            statements.clear()
            result = store.search(ALICE, params)
            walked[(params.q, params.tag, params.mine)] = "max(pk)" in statements[0]
            assert result["total"] == (0 if params.tag else 1 if params.q == "value_12" else 4)
    finally:
        event.remove(store.database.engine, "before_cursor_execute", grab)
    assert walked == {
        ("7", None, False): True,
        ("#7", None, False): True,
        ("v", None, False): True,
        ("value_12", None, False): False,
        ("value", None, False): False,
        ("7", "python", False): False,
        ("7", None, True): False,
    }
