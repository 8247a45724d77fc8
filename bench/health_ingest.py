"""Health ingest throughput, records per second, on SQLite and PostgreSQL.

    .venv/bin/python bench/health_ingest.py --backend sqlite
    .venv/bin/python bench/health_ingest.py --backend postgresql

Sends generated records (a 20-cell notebook, 50 users, 5 % failures) through the real store
(``HealthStore.ingest``: validation, keyed hashes, the raw insert and the aggregate upserts,
one transaction per batch; everything but HTTP) in batches of the client's size (50) and of
the largest allowed (500), one writer at a time. Target: >= 5,000 records/s on SQLite.
"""

from __future__ import annotations

import argparse
import json

from health_lib import database, publish, records, service, timed, users


def run(backend: str, total: int) -> dict[str, float]:
    results: dict[str, float] = {}
    with database(backend) as url:
        svc = service(url)
        people = users(50)
        nid = publish(svc, people[0])
        for size in (50, 500):
            batch_records = records(nid, total, days=1, seed=size)
            batches = [batch_records[i : i + size] for i in range(0, total, size)]
            # Warm-up: the key, the version's cells, the connection pool.
            svc.health.ingest(people[0], {"records": records(nid, size, seed=0)})

            def send(batches=batches) -> None:
                for index, batch in enumerate(batches):
                    svc.health.ingest(people[index % len(people)], {"records": batch})

            seconds = timed(send)
            results[f"batch{size}"] = total / seconds
            print(
                f"{backend:10s} batches of {size:3d}: {total / seconds:8.0f} records/s "
                f"({total} records in {seconds:.2f} s)"
            )
        svc.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--records", type=int, default=50_000)
    args = parser.parse_args()
    result = run(args.backend, args.records)
    print("RESULT " + json.dumps({"backend": args.backend, **result}))


if __name__ == "__main__":
    main()
