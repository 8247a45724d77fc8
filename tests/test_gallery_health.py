"""Health in the gallery, through a real jupyter_server on SQLite and PostgreSQL: every
summary carries the notebook's health, search filters by it and ranks healthy notebooks
first at equal relevance, the health sort, and the stored health staying what the health
endpoint computes (ingest, a new version, the window's daily move). Then, on the store
without HTTP: what a page of results costs in statements, concurrent ingest on two
replicas, and a failed health update after a committed version.
"""

# The tests take the imported ``api`` and ``service`` fixtures as parameters, which F811
# misreads.
# ruff: noqa: F811

from __future__ import annotations

import concurrent.futures
import threading
from functools import partial
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError

from jupyterlab_atrium.service.gallery.search import SearchParams
from jupyterlab_atrium.service.gallery.store import ETag, GalleryUser
from jupyterlab_atrium.service.health.state import StoredHealth

from .health_helpers import SERVICE, code_notebook, record, stamp
from .test_gallery_api import assert_error

# The health API tests' server (SQLite and PostgreSQL, telemetry on) and REST caller.
from .test_health_api import api, jp_server_config, service  # noqa: F401
from .test_health_concurrency import replica

pytestmark = pytest.mark.usefixtures("gallery_users")

SOURCES = ("import math", "x = math.sqrt(2)", "print(x)")
FRIENDS = ("bob", "carol", "dave", "erin", "frank")


async def publish(api, title: str, sources=SOURCES, **fields: Any) -> dict[str, Any]:
    body = {"title": title, "notebook": code_notebook(*sources), **fields}
    reply = await api("POST", *SERVICE, "gallery", "notebooks", body=body)
    assert reply.code == 201, reply
    return {**reply.json, "etag": reply.headers["ETag"]}


async def run(api, nid: str, sources=SOURCES, fail=(), user: str = "alice") -> None:
    records = [record(nid, i, s, i not in fail) for i, s in enumerate(sources)]
    reply = await api(
        "POST", *SERVICE, "health", "executions", user=user, body={"records": records}
    )
    assert reply.code == 200, reply


async def make_healthy(api, nid: str, sources=SOURCES) -> None:
    # One user, every cell passing twice (test_health_api: healthy).
    await run(api, nid, sources)
    await run(api, nid, sources)


async def make_unhealthy(api, nid: str) -> None:
    # Five users, two of three cells failing: score 1/3.
    for user in FRIENDS:
        await run(api, nid, fail=(1, 2), user=user)


async def search(api, **params: str) -> list[dict[str, Any]]:
    reply = await api("GET", *SERVICE, "gallery", "notebooks", params=params)
    assert reply.code == 200, reply
    return reply.json["items"]


BADGE_KEYS = ("label", "score", "reason", "explanation")


async def endpoint_health(api, nid: str) -> dict[str, Any]:
    reply = await api("GET", *SERVICE, "health", "notebooks", nid)
    assert reply.code == 200, reply
    return {key: reply.json[key] for key in BADGE_KEYS}


def by_id(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in items}


async def test_every_summary_carries_the_health_the_endpoint_computes(api):
    healthy = await publish(api, "Orbit healthy")
    sick = await publish(api, "Orbit sick")
    unknown = await publish(api, "Orbit unknown")
    assert unknown["health"] == {
        "label": "unknown",
        "score": None,
        "reason": "Too few runs to judge: 0 in the last 30 days (at least 5 are needed).",
        "explanation": {"kind": "too-few-runs", "runs": 0, "minRuns": 5, "windowDays": 30},
    }
    await make_healthy(api, healthy["id"])
    await make_unhealthy(api, sick["id"])
    for params in ({}, {"q": "orbit"}, {"q": "orbit", "sort": "title"}):
        items = by_id(await search(api, **params))
        for nid, label in (
            (healthy["id"], "healthy"),
            (sick["id"], "unhealthy"),
            (unknown["id"], "unknown"),
        ):
            assert items[nid]["health"]["label"] == label, params
            assert items[nid]["health"] == await endpoint_health(api, nid)
    assert items[sick["id"]]["health"]["score"] == pytest.approx(1 / 3)
    one = await api("GET", *SERVICE, "gallery", "notebooks", healthy["id"])
    assert one.json["health"] == await endpoint_health(api, healthy["id"])


async def test_search_filters_by_health(api):
    healthy = (await publish(api, "Tide healthy"))["id"]
    sick = (await publish(api, "Tide sick"))["id"]
    unknown = (await publish(api, "Tide unknown"))["id"]
    await make_healthy(api, healthy)
    await make_unhealthy(api, sick)
    cases = {
        "healthy": {healthy},
        "unhealthy": {sick},
        "unknown": {unknown},
        "healthy,unknown": {healthy, unknown},
        " Unknown , healthy,": {healthy, unknown},
        "healthy,unhealthy,unknown": {healthy, sick, unknown},
        "": {healthy, sick, unknown},
    }
    for value, expected in cases.items():
        for extra in ({}, {"q": "tide"}, {"q": "tide", "mine": "1"}, {"sort": "health"}):
            items = await search(api, health=value, **extra)
            assert {item["id"] for item in items} == expected, (value, extra)
    for bad in ("sick", "healthy,sick", "healthy;unknown", "1", "héalthy", "h" * 500):
        reply = await api("GET", *SERVICE, "gallery", "notebooks", params={"health": bad})
        body = assert_error(reply, 400, "bad-request")
        assert "health" in body["message"]


async def test_healthy_notebooks_rank_first_at_equal_relevance(api):
    healthy = (await publish(api, "Rainfall study"))["id"]
    unknown = (await publish(api, "Rainfall study"))["id"]
    sick = (await publish(api, "Rainfall study"))["id"]
    # Healthy too, but "rainfall" is only in its code: less relevant than every title match.
    rain = ("rainfall = 3", "x = rainfall * 2", "print(x)")
    body_only = (await publish(api, "Weather", sources=rain))["id"]
    await make_healthy(api, healthy)
    await make_unhealthy(api, sick)
    await make_healthy(api, body_only, sources=rain)
    ranked = [item["id"] for item in await search(api, q="rainfall")]
    assert ranked == [healthy, unknown, sick, body_only]
    # Without health, the newest comes first: the sort by date is untouched.
    assert [item["id"] for item in await search(api, q="rainfall", sort="updated")] == [
        body_only,
        sick,
        unknown,
        healthy,
    ]


async def test_the_health_sort(api):
    sick = (await publish(api, "Comet a"))["id"]
    healthy = (await publish(api, "Comet b"))["id"]
    unknown = (await publish(api, "Comet c"))["id"]
    await make_unhealthy(api, sick)
    await make_healthy(api, healthy)
    for params in ({}, {"q": "comet"}):
        ranked = [item["id"] for item in await search(api, sort="health", **params)]
        assert ranked == [healthy, unknown, sick], params


async def test_a_new_version_has_the_health_of_its_own_cells(api):
    first = await publish(api, "Lens")
    await make_healthy(api, first["id"])
    assert (await search(api, health="healthy"))[0]["id"] == first["id"]
    changed = code_notebook("import cmath", "y = cmath.sqrt(-1)", "print(y)")
    reply = await api(
        "PUT",
        *SERVICE,
        "gallery",
        "notebooks",
        first["id"],
        body={"notebook": changed},
        headers={"If-Match": first["etag"]},
    )
    assert reply.code == 200, reply
    # No cell of version 2 has run: unknown at once, in the reply and in search.
    assert reply.json["health"]["label"] == "unknown"
    assert reply.json["health"] == await endpoint_health(api, first["id"])
    assert await search(api, health="healthy") == []
    assert [item["id"] for item in await search(api, health="unknown")] == [first["id"]]


async def test_runs_leaving_the_window_are_forgotten_the_next_day(api, service):
    nid = (await publish(api, "Old runs"))["id"]
    await make_healthy(api, nid)
    assert (await search(api))[0]["health"]["label"] == "healthy"
    # 31 days later: every count and the stored health are a month old.
    with service.database.engine.begin() as conn:
        for table, column in (
            ("health_cell_days", "day"),
            ("health_notebook_days", "day"),
            ("health_depth_days", "day"),
            ("health_notebook_users", "last_day"),
            ("health_notebook_state", "day"),
        ):
            conn.execute(text(f"UPDATE {table} SET {column} = {column} - 31"))
    service.health.stored._checked_day = None  # this process has not looked today
    summary = (await search(api))[0]
    assert summary["health"]["label"] == "unknown"
    assert summary["health"] == await endpoint_health(api, nid)
    assert [item["id"] for item in await search(api, health="unknown")] == [nid]


# --- cost: one page's health in a fixed number of statements -----------------------------


@pytest.fixture
def direct(database_url):
    """A service called without HTTP, on the test's database."""
    direct = replica(database_url)
    yield direct
    direct.close()


def count_statements(engine, fn):

    seen: list[str] = []

    def before(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        result = fn()
    finally:
        event.remove(engine, "before_cursor_execute", before)
    return result, len(seen)


def test_a_page_of_health_costs_the_same_statements_for_5_or_50_results(direct):

    alice = GalleryUser("alice")
    for index in range(60):
        nid = direct.gallery.create(
            alice, {"title": f"Quasar {index}", "notebook": code_notebook(*SOURCES)}
        )["id"]
        for _twice in range(2):
            runs = [record(nid, i, s, i != 2 or index % 3 > 0) for i, s in enumerate(SOURCES)]
            direct.health.ingest(alice, {"records": runs})
    direct.health.stored.keep_current()  # once a day: not part of what a page costs
    counts = {}
    for params in ({}, {"q": "quasar"}, {"q": "quasar", "sort": "health"}):
        for per_page in (5, 50):
            page = SearchParams(per_page=per_page, **params)
            found, counts[per_page] = count_statements(
                direct.database.engine, partial(direct.gallery.search, alice, page)
            )
            assert len(found["items"]) == per_page
            # Every result has runs: a score (healthy, or between the thresholds).
            assert all(item["health"]["score"] is not None for item in found["items"])
        assert counts[50] == counts[5], params


def test_concurrent_batches_leave_the_stored_health_the_endpoint_computes(database_url):
    """Two replicas ingest batches for one notebook at once: the stored health (what search
    ranks and filters by) must end as the health computed from every batch, not from the
    snapshot of a batch that committed before another."""

    replicas = [replica(database_url), replica(database_url)]
    try:
        owner = GalleryUser("owner")
        nid = replicas[0].gallery.create(
            owner, {"title": "Busy", "notebook": code_notebook(*SOURCES)}
        )["id"]
        jobs = []
        for index in range(16):
            # Each batch its own user and day: no aggregate row is shared, so nothing but
            # the notebook's lock orders the batches' health computations.
            user = GalleryUser(f"user{index}")
            when = stamp(hours=-24 * index - 1)
            batch = [
                record(nid, i, SOURCES[i], success=(index + i) % 4 != 0, timestamp=when)
                for i in range(3)
            ]
            jobs.append((replicas[index % 2], user, batch))
        barrier = threading.Barrier(len(jobs))

        def send(job):
            service, user, batch = job
            barrier.wait(timeout=60)
            return service.health.ingest(user, {"records": batch})

        with concurrent.futures.ThreadPoolExecutor(len(jobs)) as pool:
            assert sum(r["accepted"] for r in pool.map(send, jobs)) == 16 * 3
        computed = replicas[1].health.health(owner, nid)
        stored = replicas[1].gallery.get(owner, nid)["health"]
        assert stored == {key: computed[key] for key in BADGE_KEYS}
        assert computed["counts"]["executions"] == 16 * 3
    finally:
        for service in replicas:
            service.close()


def test_a_failed_health_update_does_not_fail_the_committed_version(direct, monkeypatch):
    """The new version is committed before its health is stored: if storing fails (the
    database busy), the update still succeeds and its summary computes the new version's
    health; the daily check, failing too, leaves search working."""

    alice = GalleryUser("alice")
    nid = direct.gallery.create(alice, {"title": "Flaky", "notebook": code_notebook(*SOURCES)})[
        "id"
    ]
    for _twice in range(2):
        runs = [record(nid, i, s) for i, s in enumerate(SOURCES)]
        direct.health.ingest(alice, {"records": runs})
    assert direct.gallery.get(alice, nid)["health"]["label"] == "healthy"

    def busy(self, pks):
        raise OperationalError("UPDATE", {}, Exception("database is locked"))

    monkeypatch.setattr(StoredHealth, "refresh", busy)
    direct.health.stored._checked_day = None
    changed = code_notebook("import cmath", "y = cmath.sqrt(-1)", "print(y)")
    summary = direct.gallery.update(alice, nid, ETag(1, None), {"notebook": changed})
    assert summary["version"] == 2
    # Computed from version 2's cells (none has run), not the stored version 1 health.
    assert summary["health"]["label"] == "unknown"
    assert summary["health"] == {key: direct.health.health(alice, nid)[key] for key in BADGE_KEYS}
    found = direct.gallery.search(alice, SearchParams())
    assert [item["health"]["label"] for item in found["items"]] == ["unknown"]


def test_an_accepted_change_and_an_erased_user_update_the_stored_health(direct):
    alice, bob, admin = GalleryUser("alice"), GalleryUser("bob"), GalleryUser("root", admin=True)
    nid = direct.gallery.create(alice, {"title": "Shared", "notebook": code_notebook(*SOURCES)})[
        "id"
    ]
    for user in (alice, bob):
        runs = [record(nid, i, s) for i, s in enumerate(SOURCES)]
        direct.health.ingest(user, {"records": runs + runs[:1]})

    def stored_matches_computed(expected_label: str) -> None:
        badge = direct.gallery.get(alice, nid)["health"]
        computed = direct.health.health(alice, nid)
        assert badge == {key: computed[key] for key in BADGE_KEYS}
        assert badge["label"] == expected_label
        labels = {
            item["health"]["label"]
            for item in direct.gallery.search(alice, SearchParams(health=(expected_label,)))[
                "items"
            ]
        }
        assert labels == {expected_label}

    stored_matches_computed("healthy")
    assert "2 users" in direct.gallery.get(alice, nid)["health"]["reason"]
    # Bob's runs are erased: one user fewer, a lower usage factor, another reason.
    direct.health.erase_user(admin, {"user": "bob"})
    stored_matches_computed("healthy")
    assert "1 user)" in direct.gallery.get(alice, nid)["health"]["reason"]
    # Bob's change to every cell is accepted: version 2 has not run.
    changed = code_notebook("import cmath", "y = cmath.sqrt(-1)", "print(y)")
    request = direct.gallery.create_change_request(
        bob, nid, {"notebook": changed, "comment": "", "baseVersion": 1}
    )
    direct.gallery.accept_change_request(alice, request["id"], {})
    stored_matches_computed("unknown")
