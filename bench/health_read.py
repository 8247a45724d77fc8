"""A notebook's health read latency with 1M stored executions, on SQLite and PostgreSQL.

    .venv/bin/python bench/health_read.py --backend sqlite
    .venv/bin/python bench/health_read.py --backend postgresql

Fills a fresh database through the real ingest (``HealthStore.ingest``, batches of 500) with
``--executions`` records of one 20-cell notebook from 200 users over the last 30 days, then
times the reads through the store (everything but HTTP): the notebook's health, the per-cell
breakdown and the daily series, p50 / p95 over ``--reads`` calls each. Reads use the day
aggregates only, so their cost does not depend on the number of stored executions; the
figure at 10k is printed too for comparison. Target: health read <= 10 ms p95 at 1M.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from health_lib import database, publish, records, service, users


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def measure(svc, reader, nid: str, reads: int) -> dict[str, dict[str, float]]:
    out = {}
    for name in ("health", "cells", "daily"):
        fn = getattr(svc.health, name)
        fn(reader, nid)  # warm
        samples = []
        for _ in range(reads):
            start = time.perf_counter()
            fn(reader, nid)
            samples.append((time.perf_counter() - start) * 1000)
        out[name] = {
            "p50": statistics.median(samples),
            "p95": percentile(samples, 95),
        }
    return out


def run(backend: str, executions: int, reads: int) -> dict[str, object]:
    results: dict[str, object] = {}
    with database(backend) as url:
        svc = service(url)
        people = users(200)
        nid = publish(svc, people[0])
        stored = 0
        fill_seconds = 0.0
        for target in sorted({min(10_000, executions), executions}):
            start = time.perf_counter()
            while stored < target:
                size = min(500, target - stored)
                # One user's batch on one day, as the browser sends them; users and days vary.
                batch = stored // size
                chunk = records(nid, size, seed=stored, day=(batch + batch // 200) % 30)
                user = people[batch % len(people)]
                svc.health.ingest(user, {"records": chunk})
                stored += size
            fill_seconds += time.perf_counter() - start
            figures = measure(svc, people[1], nid, reads)
            results[str(target)] = figures
            print(
                f"{backend:10s} {target:>9,d} executions: "
                + "  ".join(
                    f"{name} p50 {f['p50']:.2f} p95 {f['p95']:.2f} ms"
                    for name, f in figures.items()
                ),
                flush=True,
            )
        results["fill_records_per_s"] = stored / fill_seconds
        print(f"filled {stored:,d} records at {stored / fill_seconds:,.0f} records/s")
        print(json.dumps(svc.health.health(people[1], nid)["counts"]))
        svc.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--executions", type=int, default=1_000_000)
    parser.add_argument("--reads", type=int, default=300)
    args = parser.parse_args()
    result = run(args.backend, args.executions, args.reads)
    print("RESULT " + json.dumps({"backend": args.backend, **result}))


if __name__ == "__main__":
    main()
