"""Health endpoints through a real jupyter_server (embedded service) on SQLite and PostgreSQL.

Users are told apart by the ``gallery_users`` fixture: the server's token authentication,
then a header naming the user (``admin`` is a gallery admin).
"""

# The tests take the imported ``api`` fixture as a parameter, which F811 misreads.

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
import sqlalchemy as sa

from .health_helpers import SERVICE, api_fixture, code_notebook, record, sha, stamp
from .test_gallery_api import assert_error

pytestmark = pytest.mark.usefixtures("gallery_users")

SOURCES = ("import math", "x = math.sqrt(2)", "print(x)")


@pytest.fixture
def jp_server_config(jp_server_config, database_url):
    jp_server_config["AtriumService"] = {"database_url": database_url}
    # This server's policy holds on its service path too (test_telemetry_api.py).
    jp_server_config["AtriumTelemetry"] = {"policy": "on"}
    return jp_server_config


@pytest.fixture
def api(jp_fetch):
    return api_fixture(jp_fetch)


@pytest.fixture
def service(jp_serverapp):
    return jp_serverapp.web_app.settings["atrium"].service


async def publish(api, *sources: str, user: str = "alice", **fields: Any) -> str:
    body = {"title": "Health", "notebook": code_notebook(*(sources or SOURCES)), **fields}
    reply = await api("POST", *SERVICE, "gallery", "notebooks", user=user, body=body)
    assert reply.code == 201, reply
    return reply.json["id"]


async def ingest(api, records: list[dict[str, Any]], user: str = "alice", status: int = 200):
    reply = await api(
        "POST", *SERVICE, "health", "executions", user=user, body={"records": records}
    )
    assert reply.code == status, reply
    return reply.json


async def health(api, nid: str, *rest: str, user: str = "alice") -> dict[str, Any]:
    reply = await api("GET", *SERVICE, "health", "notebooks", nid, *rest, user=user)
    assert reply.code == 200, reply
    return reply.json


def run_all(nid: str, sources=SOURCES, version: int = 1, fail: tuple[int, ...] = ()) -> list:
    return [
        record(nid, i, source, i not in fail, version=version) for i, source in enumerate(sources)
    ]


def stored_rows(service) -> list[tuple[str, tuple]]:
    """Every row of every table of the service database."""
    engine = service.database.engine
    meta = sa.MetaData()
    meta.reflect(engine)
    with engine.connect() as conn:
        return [
            (table.name, tuple(row))
            for table in meta.sorted_tables
            for row in conn.execute(table.select())
        ]


# --- ingest and read ------------------------------------------------------------------------


async def test_runs_make_a_notebook_healthy_within_one_request(api):
    nid = await publish(api)
    before = await health(api, nid)
    assert before["label"] == "unknown" and before["score"] is None
    assert before["counts"]["executions"] == 0
    assert await ingest(api, run_all(nid) + run_all(nid)) == {"accepted": 6, "duplicates": 0}
    after = await health(api, nid)
    # One user, 2 runs per cell: UF = 0.75 + 0.25 log40(2); pass 1, depth 1.
    assert after["label"] == "healthy"
    assert after["counts"]["executions"] == 6 and after["counts"]["users"] == 1
    assert after["counts"]["sessions"] == 1
    assert after["passRate"] == 1.0 and after["depth"] == 1.0
    assert "100% of 6 runs passed" in after["reason"]
    cells = (await health(api, nid, "cells"))["items"]
    assert [c["cellId"] for c in cells] == ["c0", "c1", "c2"]
    assert all(c["passes"] == 2 and c["label"] == "healthy" for c in cells)
    assert cells[0]["meanDurationMs"] == 12
    daily = (await health(api, nid, "daily"))["days"]
    assert len(daily) == 30
    assert daily[-1]["date"] == datetime.now(timezone.utc).date().isoformat()
    assert daily[-1]["passes"] == 6 and sum(d["passes"] for d in daily) == 6


async def test_failures_make_it_unhealthy_and_name_the_cells(api):
    nid = await publish(api)
    for user in ("bob", "carol", "dave", "erin", "frank"):
        await ingest(api, run_all(nid, fail=(1, 2)), user=user)
    result = await health(api, nid)
    # Five users: UF 1. Pass 1/3; the deepest cell that passed is the first: depth 1/3.
    assert result["score"] == pytest.approx(1 / 3)
    assert result["label"] == "unhealthy"
    assert result["counts"]["users"] == 5
    assert result["counts"]["unhealthyCells"] == 2
    assert "2 cells often fail" in result["reason"]


async def test_the_same_batch_twice_is_stored_once(api, service):
    nid = await publish(api)
    batch = run_all(nid)
    assert await ingest(api, batch) == {"accepted": 3, "duplicates": 0}
    assert await ingest(api, batch) == {"accepted": 0, "duplicates": 3}
    # A repeat inside one batch too.
    assert await ingest(api, [batch[0], batch[0]]) == {"accepted": 0, "duplicates": 2}
    assert (await health(api, nid))["counts"]["executions"] == 3
    with service.database.engine.connect() as conn:
        assert conn.scalar(sa.text("SELECT count(*) FROM health_executions")) == 3


# --- bad input: the whole batch refused, nothing stored -------------------------------------


def _bad(nid: str) -> dict[str, tuple[Any, int, str]]:
    good = record(nid, 0, SOURCES[0])
    now = datetime.now(timezone.utc)
    return {
        "extra key": ({**good, "error": "Traceback"}, 400, "invalid-record"),
        "missing key": (
            {k: v for k, v in good.items() if k != "durationMs"},
            400,
            "invalid-record",
        ),
        "user in the record": ({**good, "user": "bob"}, 400, "invalid-record"),
        "success as text": ({**good, "success": "yes"}, 400, "invalid-record"),
        "version as text": ({**good, "version": "1"}, 400, "invalid-record"),
        "negative duration": ({**good, "durationMs": -1}, 400, "invalid-record"),
        "duration as float": ({**good, "durationMs": 1.5}, 400, "invalid-record"),
        "future timestamp": ({**good, "timestamp": stamp(now, hours=1)}, 400, "invalid-record"),
        "ancient timestamp": ({**good, "timestamp": stamp(now, days=-31)}, 400, "invalid-record"),
        "timestamp without zone": (
            {**good, "timestamp": "2026-12-06T10:00:00"},
            400,
            "invalid-record",
        ),
        "timestamp as number": ({**good, "timestamp": 1765000000000}, 400, "invalid-record"),
        "timestamp before year 1 in UTC": (
            {**good, "timestamp": "0001-01-01T00:00:00+05:00"},
            400,
            "invalid-record",
        ),
        "fingerprint not hex": ({**good, "fingerprint": "print(x)"}, 400, "invalid-record"),
        "cell id with a slash": ({**good, "cellId": "a/b"}, 400, "invalid-record"),
        "short event id": ({**good, "eventId": "1"}, 400, "invalid-record"),
        "record not an object": ([good], 400, "invalid-record"),
        "unknown notebook": ({**good, "notebookId": "0" * 32}, 422, "unknown-notebook"),
        "unknown version": ({**good, "version": 2}, 422, "unknown-version"),
        "huge version": ({**good, "version": 2**40}, 400, "invalid-record"),
    }


@pytest.mark.parametrize("case", list(_bad("0" * 32)))
async def test_a_bad_record_refuses_the_whole_batch(api, service, case):
    nid = await publish(api)
    bad, status, reason = _bad(nid)[case]
    reply = await api(
        "POST",
        *SERVICE,
        "health",
        "executions",
        body={"records": [record(nid, 1, SOURCES[1]), bad]},
    )
    body = assert_error(reply, status, reason)
    assert body["message"].startswith("Record 1: ")
    assert "Nothing of this batch was stored" in body["message"]
    assert (await health(api, nid))["counts"]["executions"] == 0
    assert [row for row in stored_rows(service) if row[0].startswith("health_")] == []


@pytest.mark.parametrize(
    ("body", "status", "reason"),
    [
        (b"not json", 400, "invalid-json"),
        (b"[]", 400, "bad-request"),
        (b'{"records": {}}', 400, "invalid-record"),
        (b'{"records": [], "user": "bob"}', 400, "invalid-record"),
    ],
)
async def test_bad_bodies_are_refused(api, body, status, reason):
    assert_error(await api("POST", *SERVICE, "health", "executions", raw=body), status, reason)


async def test_ten_thousand_records_are_refused_before_anything_is_read(api, service):
    nid = await publish(api)
    batch = [record(nid, 0, SOURCES[0]) for _ in range(10_000)]
    reply = await api("POST", *SERVICE, "health", "executions", body={"records": batch})
    assert reply.code == 413, reply
    # Just over the record limit, small enough to be read: refused by count.
    over = [record(nid, 0, SOURCES[0]) for _ in range(501)]
    assert_error(
        await api("POST", *SERVICE, "health", "executions", body={"records": over}),
        413,
        "too-many-records",
    )
    assert (await health(api, nid))["counts"]["executions"] == 0
    # The server is still up and takes a good batch.
    assert await ingest(api, run_all(nid)) == {"accepted": 3, "duplicates": 0}


async def test_users_report_only_as_themselves(api, service):
    private = await publish(api, user="bob", visibility="private")
    # Alice cannot see Bob's private notebook, so she cannot report runs of it.
    reply = await api("POST", *SERVICE, "health", "executions", body={"records": run_all(private)})
    assert_error(reply, 422, "unknown-notebook")
    assert_error(await api("GET", *SERVICE, "health", "notebooks", private), 404, "not-found")
    # Bob's own runs are stored under Bob's keyed name, from the request.
    await ingest(api, run_all(private), user="bob")
    with service.database.engine.connect() as conn:
        hashes = set(conn.scalars(sa.text("SELECT user_hash FROM health_executions")))
    assert hashes == {service.health.user_hash("bob")}


# --- the formula's improvements, end to end -------------------------------------------------


async def test_unchanged_cells_keep_their_history_in_a_new_version(api):
    nid = await publish(api)
    for user in ("bob", "carol", "dave", "erin", "frank"):
        await ingest(api, run_all(nid), user=user)
    new_sources = (SOURCES[0], SOURCES[1], "print(round(x, 3))")
    reply = await api(
        "PUT",
        *SERVICE,
        "gallery",
        "notebooks",
        nid,
        headers={"If-Match": '"v1"'},
        body={"notebook": code_notebook(*new_sources)},
    )
    assert reply.code == 200, reply
    result = await health(api, nid)
    assert result["version"] == 2
    cells = {c["cellId"]: c for c in (await health(api, nid, "cells"))["items"]}
    assert cells["c0"]["passes"] == 5 and cells["c1"]["passes"] == 5
    assert cells["c2"]["passes"] == 0 and cells["c2"]["label"] == "unknown"
    # v1 sessions reached c2 (changed since): they count as deep as they got then (3/3).
    assert result["depth"] == 1.0
    assert result["counts"]["executions"] == 10
    assert result["label"] == "healthy"
    # The new version's runs of the changed cell count from here.
    await ingest(api, run_all(nid, new_sources, version=2), user="bob")
    cells = {c["cellId"]: c for c in (await health(api, nid, "cells"))["items"]}
    assert cells["c2"]["passes"] == 1 and cells["c0"]["passes"] == 6


async def test_a_session_of_an_old_version_is_placed_where_its_cell_now_stands(api):
    nid = await publish(api)
    # Everyone stopped at c1 (c2 failed).
    for user in ("bob", "carol", "dave", "erin", "frank"):
        await ingest(api, run_all(nid, fail=(2,)), user=user)
    assert (await health(api, nid))["depth"] == pytest.approx(2 / 3)
    # v2 inserts two cells before c1: c1 (unchanged) is now the 4th of 5.
    sources = (SOURCES[0], "y = 1", "z = 2", SOURCES[1], SOURCES[2])
    nb = code_notebook(*sources)
    ids = ["c0", "n1", "n2", "c1", "c2"]
    for cell, cell_id in zip(nb["cells"][1:], ids, strict=True):
        cell["id"] = cell_id
    reply = await api(
        "PUT",
        *SERVICE,
        "gallery",
        "notebooks",
        nid,
        headers={"If-Match": '"v1"'},
        body={"notebook": nb},
    )
    assert reply.code == 200, reply
    assert (await health(api, nid))["depth"] == pytest.approx(4 / 5)


async def test_expected_failures_and_optional_cells(api):
    tags = {1: ["raises-exception"], 2: ["optional"]}
    sources = ("import math", "1 / 0", "download_big_file()", "print(1)")
    reply = await api(
        "POST",
        *SERVICE,
        "gallery",
        "notebooks",
        body={"title": "Teaching", "notebook": code_notebook(*sources, tags=tags)},
    )
    nid = reply.json["id"]
    for user in ("bob", "carol", "dave", "erin", "frank"):
        batch = [
            record(nid, 0, sources[0]),
            # The client reports a plain failure: the stored tag makes it expected.
            record(nid, 1, sources[1], False),
            record(nid, 3, sources[3]),
        ]
        await ingest(api, batch, user=user)
    result = await health(api, nid)
    # The optional cell never ran: depth still 1; the raising cell is not a failure.
    assert result["passRate"] == 1.0 and result["depth"] == 1.0
    assert result["counts"]["failures"] == 0 and result["counts"]["expected"] == 5
    assert result["score"] == 1.0 and result["label"] == "healthy"
    cells = {c["cellId"]: c for c in (await health(api, nid, "cells"))["items"]}
    assert cells["c1"]["raisesException"] and cells["c1"]["expected"] == 5
    assert cells["c2"]["optional"] and cells["c2"]["label"] == "unknown"


# --- admin: overview, erase, retention ------------------------------------------------------


async def test_overview_is_for_admins_least_healthy_first(api):
    good = await publish(api, title="Good")
    bad = await publish(api, title="Bad")
    await publish(api, title="Never run")
    for user in ("bob", "carol", "dave", "erin", "frank"):
        await ingest(api, run_all(good) + run_all(bad, fail=(0, 1, 2)), user=user)
    assert_error(await api("GET", *SERVICE, "health", "overview"), 403, "forbidden")
    overview = (await api("GET", *SERVICE, "health", "overview", user="admin")).json
    assert [item["title"] for item in overview["items"]] == ["Bad", "Good"]
    assert overview["items"][0]["label"] == "unhealthy"
    assert overview["items"][1]["label"] == "healthy"
    assert overview["total"] == 2


async def test_an_admin_erases_one_users_records(api, service):
    nid = await publish(api)
    await ingest(api, run_all(nid), user="bob")
    await ingest(api, run_all(nid), user="carol")
    path = (*SERVICE, "health", "erase")
    assert_error(await api("POST", *path, body={"user": "bob"}), 403, "forbidden")
    assert_error(
        await api("POST", *path, user="admin", body={"name": "bob"}), 400, "invalid-record"
    )
    reply = await api("POST", *path, user="admin", body={"user": "bob"})
    assert reply.code == 200, reply
    assert reply.json == {"executions": 3, "sessions": 1}
    bob, carol = service.health.user_hash("bob"), service.health.user_hash("carol")
    with service.database.engine.connect() as conn:
        left = set(conn.scalars(sa.text("SELECT user_hash FROM health_executions")))
        sessions = set(conn.scalars(sa.text("SELECT user_hash FROM health_sessions")))
    assert left == {carol} and sessions == {carol}
    assert bob not in {value for _t, row in stored_rows(service) for value in row}


async def test_a_user_sees_their_own_records_as_the_service_holds_them(api):
    nid = await publish(api)
    sent = run_all(nid, fail=(1,))
    sent[2]["success"] = "expected"
    for i, item in enumerate(sent):
        item["timestamp"] = stamp(seconds=i - len(sent))
    await ingest(api, sent)
    await ingest(api, run_all(nid), user="bob")
    path = (*SERVICE, "health", "executions")

    reply = await api("GET", *path)
    assert reply.code == 200, reply
    assert reply.json["total"] == 3 and reply.json["windowDays"] == 30
    mine = reply.json["items"]
    # Newest first, only alice's, and nothing more than the record minus its fingerprint.
    assert [item["eventId"] for item in mine] == [r["eventId"] for r in reversed(sent)]
    for item, original in zip(mine, reversed(sent), strict=True):
        assert set(item) == {
            "notebookId", "version", "cellId", "success", "durationMs",
            "timestamp", "receivedAt", "eventId",
        }  # fmt: skip
        assert item["success"] == original["success"]
        assert (item["notebookId"], item["cellId"]) == (nid, original["cellId"])

    one = await api("GET", *path, params={"limit": "1"})
    assert [item["eventId"] for item in one.json["items"]] == [sent[2]["eventId"]]
    for bad in ("0", "201", "-1", "x", "1e3"):
        assert_error(await api("GET", *path, params={"limit": bad}), 400, "bad-request")
    carol = await api("GET", *path, user="carol")
    assert carol.json == {"total": 0, "windowDays": 30, "items": []}

    erased = await api("POST", *SERVICE, "health", "erase", user="admin", body={"user": "alice"})
    assert erased.code == 200, erased
    assert (await api("GET", *path)).json["total"] == 0
    assert (await api("GET", *path, user="bob")).json["total"] == 3


async def test_raw_records_leave_with_the_window_and_the_counts_stay(api, service):
    nid = await publish(api)
    old = [record(nid, i, s, timestamp=stamp(days=-29)) for i, s in enumerate(SOURCES)]
    await ingest(api, old + run_all(nid))
    pruned = await service.run(service.health.prune, datetime.now(timezone.utc) + timedelta(days=2))
    assert pruned == {"executions": 3, "sessions": 1}
    with service.database.engine.connect() as conn:
        assert conn.scalar(sa.text("SELECT count(*) FROM health_executions")) == 3
        assert conn.scalar(sa.text("SELECT sum(passes) FROM health_cell_days")) == 6


# --- privacy --------------------------------------------------------------------------------


async def test_no_name_source_or_bare_hash_is_stored(api, service):
    canary = "CANARY-7f3a"
    sources = (f"raise ValueError('{canary}')", f"s = '{canary}'")
    nid = await publish(api, *sources)
    user = f"user-{canary}"
    batch = [record(nid, 0, sources[0], False), record(nid, 1, sources[1])]
    await ingest(api, batch, user=user)
    # A record that tries to carry the error is refused whole.
    leaky = {**record(nid, 0, sources[0], False), "error": f"ValueError: {canary}"}
    assert_error(
        await api("POST", *SERVICE, "health", "executions", user=user, body={"records": [leaky]}),
        400,
        "invalid-record",
    )
    bare = {sha(source) for source in sources}
    health_rows = [row for row in stored_rows(service) if row[0].startswith("health_")]
    assert health_rows
    for table, row in health_rows:
        for value in row:
            text = str(value)
            assert canary not in text, (table, row)
            assert text not in bare, (table, row)
