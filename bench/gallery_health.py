"""What health costs a gallery search page: statements and time for 50 results, all with runs.

    .venv/bin/python bench/gallery_health.py --backend sqlite
    .venv/bin/python bench/gallery_health.py --backend postgresql

Publishes ``--notebooks`` notebooks, each with two batches of runs (so each has a stored
health; one in three is healthy), and times ``GalleryStore.search`` (SQL, summaries with
health, snippets; everything but HTTP) for a page of 50, with and without words, three
ways: the gallery without health (the summaries as before issue 13), with the stored health
(one query per page), and, for comparison, with health computed per result (what an N+1
design would cost). Counts the SQL statements of one search with an engine event. Then the
health sort and filter (stored health only), which look the stored health up for every
visible notebook (a listing) or every candidate (words).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from typing import Any

from health_lib import database, service
from sqlalchemy import event

from jupyterlab_atrium.service.gallery.search import SearchParams
from jupyterlab_atrium.service.gallery.store import GalleryStore, GalleryUser, now
from tests.health_helpers import code_notebook, record

SOURCES = ("import math", "x = math.sqrt(2)", "print(x)")
ROUNDS = 50


class PerResult:
    """Health computed for each result in turn: the design the stored health avoids."""

    def __init__(self, health: Any) -> None:
        self.health = health

    def keep_current(self) -> None:
        pass

    def read(self, session: Any, rows: Any) -> dict[int, dict[str, Any]]:
        out = {}
        for row in rows:
            result, _current, _counts = self.health._compute(session, row, now())
            out[row.pk] = {"label": result.label, "score": result.score, "reason": result.reason}
        return out


def statements(svc: Any, fn: Any) -> int:
    seen: list[int] = []

    def count(*_args: Any) -> None:
        seen.append(1)

    event.listen(svc.database.engine, "before_cursor_execute", count)
    try:
        fn()
    finally:
        event.remove(svc.database.engine, "before_cursor_execute", count)
    return len(seen)


def run(backend: str, notebooks: int) -> list[dict[str, Any]]:
    results = []
    with database(backend) as url:
        svc = service(url)
        alice = GalleryUser("alice")
        for index in range(notebooks):
            nid = svc.gallery.create(
                alice, {"title": f"Quasar {index}", "notebook": code_notebook(*SOURCES)}
            )["id"]
            for _batch in range(2):
                runs = [
                    record(nid, i, source, i != 2 or index % 3 > 0)
                    for i, source in enumerate(SOURCES)
                ]
                svc.health.ingest(alice, {"records": runs})
        svc.health.stored.keep_current()
        stores = {
            "without health": GalleryStore(svc.database, svc.gallery_config),
            "stored health": svc.gallery,
            "per result (N+1)": GalleryStore(
                svc.database, svc.gallery_config, PerResult(svc.health)
            ),
        }
        stored = {"stored health": svc.gallery}
        cases = [
            ("(listing)", SearchParams(per_page=50), stores),
            ("quasar", SearchParams(q="quasar", per_page=50), stores),
            # Only the stored health can sort and filter: the other designs have no column.
            ("sort=health", SearchParams(sort="health", per_page=50), stored),
            (
                "quasar sort=health",
                SearchParams(q="quasar", sort="health", per_page=50),
                stored,
            ),
            (
                "health=healthy",
                SearchParams(health=("healthy",), per_page=50),
                stored,
            ),
        ]
        for label, params, designs in cases:
            for name, store in designs.items():

                def search(store: GalleryStore = store, params: SearchParams = params) -> None:
                    assert store.search(alice, params)["items"]

                search()  # warm-up
                count = statements(svc, search)
                times = []
                for _ in range(ROUNDS):
                    started = time.perf_counter()
                    search()
                    times.append((time.perf_counter() - started) * 1000)
                times.sort()
                row = {
                    "backend": backend,
                    "query": label,
                    "design": name,
                    "statements": count,
                    "p50_ms": round(statistics.median(times), 2),
                    "p95_ms": round(times[int(0.95 * ROUNDS) - 1], 2),
                }
                results.append(row)
                print(
                    f"{backend:10s} {row['query']:18s} {name:18s} {count:3d} statements  "
                    f"p50 {row['p50_ms']:6.2f} ms  p95 {row['p95_ms']:6.2f} ms"
                )
        svc.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--notebooks", type=int, default=200)
    args = parser.parse_args()
    print("RESULT " + json.dumps(run(args.backend, args.notebooks)))


if __name__ == "__main__":
    main()
