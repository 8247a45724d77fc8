"""Gallery search latency at 10k / 100k published notebooks, on SQLite and PostgreSQL.

    .venv/bin/python bench/gallery_search.py --backend sqlite --count 10000,100000
    .venv/bin/python bench/gallery_search.py --backend postgresql --count 10000,100000

Generates realistic notebooks (markdown and code cells of data-science work, titles,
descriptions, tags, owners, 10 % private, stars) straight into a fresh database migrated to
head (bulk INSERTs; the FTS5 triggers / generated tsvector index them as the service would),
then times a mix of queries through the real store layer (``GalleryStore.search``: the SQL,
the summaries and the snippets - everything but HTTP) and prints p50 / p95 per size. For
context it times a naive ``LIKE '%word%'`` scan over the same columns (the peer approach,
nbgallery-style) on a subset of the queries.

PostgreSQL runs on a throwaway cluster started like the test suite's (``tests/conftest.py``).

With ``--groups N`` (issue 17) the gallery is an institution's: N groups, 10 % of the
notebooks owned by a group, 10 % shared (visibility ``shared``, each with one to three
shares, mostly with groups, to read or edit) and 10 % private, and every query comes from a
user in 20 groups — so each search pays the permission filter (``gallery/access.py``):

    .venv/bin/python bench/gallery_search.py --backend sqlite --count 100000 --groups 1000
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import signal
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text

from jupyterlab_atrium.gallery.content_hash import content_hash
from jupyterlab_atrium.service.config import AtriumService
from jupyterlab_atrium.service.core import Service
from jupyterlab_atrium.service.gallery.search import SearchParams
from jupyterlab_atrium.service.gallery.store import GalleryUser, search_text

LIBRARIES = [
    "pandas",
    "numpy",
    "matplotlib",
    "seaborn",
    "sklearn",
    "scipy",
    "xgboost",
    "torch",
    "tensorflow",
    "statsmodels",
    "plotly",
    "requests",
    "sqlalchemy",
    "polars",
    "pyarrow",
    "networkx",
    "geopandas",
    "shapely",
    "dask",
    "lightgbm",
]
TOPICS = [
    "sales",
    "churn",
    "forecast",
    "revenue",
    "inventory",
    "sensor",
    "climate",
    "genome",
    "survey",
    "traffic",
    "energy",
    "retail",
    "marketing",
    "fraud",
    "credit",
    "housing",
    "weather",
    "covid",
    "airline",
    "supply",
    "pricing",
    "clickstream",
    "payroll",
    "soil",
    "protein",
    "satellite",
    "election",
    "crime",
    "tourism",
    "budget",
]
METHODS = [
    "regression",
    "classification",
    "clustering",
    "visualisation",
    "cleaning",
    "exploration",
    "anomaly",
    "timeseries",
    "dashboard",
    "etl",
    "sampling",
    "bootstrap",
    "embedding",
    "segmentation",
    "attribution",
    "backtest",
    "imputation",
    "ranking",
]
VERBS = [
    "load",
    "clean",
    "merge",
    "plot",
    "train",
    "evaluate",
    "export",
    "aggregate",
    "filter",
    "normalise",
    "resample",
    "validate",
    "compare",
    "summarise",
    "tune",
]
WORDS = (
    "the data is loaded from the warehouse and checked for missing values before we "
    "compute monthly aggregates per region and compare them with last year note that the "
    "figures are preliminary and may change after the audit we use a rolling window of "
    "twelve weeks to smooth seasonal effects and report confidence intervals"
).split()
USERS = [f"user{i:03d}" for i in range(500)]
TAGS = sorted(
    {
        *TOPICS,
        *METHODS,
        *LIBRARIES,
        *(f"team-{i}" for i in range(40)),
        *(f"project.{i}" for i in range(80)),
    }
)


def make_notebook(rnd: random.Random, serial: int) -> tuple[dict, str, str, list[str]]:
    topic = rnd.choice(TOPICS)
    method = rnd.choice(METHODS)
    libs = rnd.sample(LIBRARIES, rnd.randint(2, 5))
    title = f"{topic.capitalize()} {method} with {libs[0]} #{serial}"
    description = " ".join(rnd.choices(WORDS, k=rnd.randint(10, 40)))
    cells = [
        {
            "cell_type": "markdown",
            "id": "intro",
            "metadata": {},
            "source": f"# {title}\n\n" + " ".join(rnd.choices(WORDS, k=rnd.randint(20, 80))),
        }
    ]
    cells.append(
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "imports",
            "metadata": {},
            "outputs": [],
            "source": "\n".join(f"import {lib}" for lib in libs),
        }
    )
    for index in range(rnd.randint(6, 25)):
        verb = rnd.choice(VERBS)
        var = f"{topic}_{rnd.choice(['df', 'frame', 'table', 'series'])}"
        lines = [
            f"def {verb}_{topic}_{index}({var}, window={rnd.randint(2, 52)}):",
            f"    '''{verb.capitalize()} the {topic} data for {method}.'''",
            f"    result = {var}.groupby('{rnd.choice(['region', 'month', 'store', 'segment'])}')"
            f".agg({{'{rnd.choice(['amount', 'count', 'value'])}': 'sum'}})",
            f"    return result.rolling(window).mean()  # ref {rnd.getrandbits(40):010x}",
            f"{var} = {verb}_{topic}_{index}({var})",
        ]
        cells.append(
            {
                "cell_type": "code",
                "execution_count": None,
                "id": f"c{index}",
                "metadata": {},
                "outputs": [],
                "source": "\n".join(lines),
            }
        )
        if rnd.random() < 0.3:
            cells.append(
                {
                    "cell_type": "markdown",
                    "id": f"m{index}",
                    "metadata": {},
                    "source": " ".join(rnd.choices(WORDS, k=rnd.randint(8, 40))),
                }
            )
    nb = {
        "cells": cells,
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    }
    tags = sorted({topic, method, *rnd.sample(TAGS, rnd.randint(0, 4))})
    return nb, title, description, tags


GROUP_OF = 20  # groups the searching user is in (--groups)


def group_names(groups: int) -> list[str]:
    return [f"group{i:04d}" for i in range(groups)]


def sharing(srnd: random.Random, groups: list[str], owner: str) -> tuple[str, str, str, list]:
    """(owner kind, owner, visibility, shares) of one notebook in --groups mode."""
    kind = "user"
    if srnd.random() < 0.10:
        kind, owner = "group", srnd.choice(groups)
    roll = srnd.random()
    if roll < 0.10:
        shares: dict[tuple[str, str], str] = {}
        for _ in range(srnd.randint(1, 3)):
            share_kind = "group" if srnd.random() < 0.8 else "user"
            name = srnd.choice(groups) if share_kind == "group" else srnd.choice(USERS)
            shares[(share_kind, name)] = srnd.choice(["read", "edit"])
        return kind, owner, "shared", [(k, n, a) for (k, n), a in sorted(shares.items())]
    return kind, owner, "private" if roll < 0.20 else "public", []


def populate(service: Service, count: int, seed: int = 7, groups: int = 0) -> None:
    start = datetime(2025, 1, 1, tzinfo=timezone.utc)
    batch = 1000
    with service.database.engine.begin() as conn:
        base = conn.execute(text("SELECT count(*) FROM gallery_notebooks")).scalar_one()
    rnd = random.Random(seed * 1_000_003 + base)
    # A second stream, so the notebooks themselves are those of a run without --groups.
    srnd = random.Random(seed * 7_919 + base)
    names = group_names(groups)
    for first in range(base, count, batch):
        notebooks, tags, versions, shares = [], [], [], []
        for serial in range(first, min(count, first + batch)):
            nb, title, description, tag_list = make_notebook(rnd, serial)
            content = json.dumps(nb, separators=(",", ":"), ensure_ascii=False)
            when = start + timedelta(minutes=serial * 3 + rnd.randint(0, 2))
            pk = serial + 1
            digest = content_hash(nb)
            notebooks.append(
                {
                    "pk": pk,
                    "id": uuid.UUID(int=rnd.getrandbits(128)).hex,
                    "owner": rnd.choice(USERS),
                    "title": title,
                    "description": description,
                    "tags_text": " ".join(tag_list),
                    "visibility": "private" if rnd.random() < 0.1 else "public",
                    "version": 1,
                    "content_hash": digest,
                    "created_at": when,
                    "updated_at": when,
                    "stars": int(rnd.paretovariate(1.5)) - 1,
                    "search_body": search_text(nb),
                    "owner_kind": "user",
                }
            )
            if groups:
                row = notebooks[-1]
                kind, owner, visibility, shared = sharing(srnd, names, row["owner"])
                row.update(owner_kind=kind, owner=owner, visibility=visibility)
                shares.extend(
                    {"pk": pk, "kind": k, "name": n, "access": a, "when": when, "by": owner}
                    for k, n, a in shared
                )
            tags.extend({"pk": pk, "tag": tag} for tag in tag_list)
            versions.append(
                {
                    "pk": pk,
                    "author": notebooks[-1]["owner"],
                    "created_at": when,
                    "content_hash": digest,
                    "size": len(content.encode()),
                    "content": content,
                }
            )
        with service.database.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO gallery_notebooks (pk, id, owner, owner_kind, title, "
                    "description, tags_text, visibility, version, content_hash, created_at, "
                    "updated_at, stars, search_body) "
                    "VALUES (:pk, :id, :owner, :owner_kind, :title, :description, :tags_text, "
                    ":visibility, :version, :content_hash, :created_at, :updated_at, :stars, "
                    ":search_body)"
                ),
                notebooks,
            )
            conn.execute(
                text("INSERT INTO gallery_tags (notebook_pk, tag) VALUES (:pk, :tag)"), tags
            )
            if shares:
                conn.execute(
                    text(
                        "INSERT INTO gallery_shares (notebook_pk, kind, name, access, "
                        "created_at, created_by) VALUES (:pk, :kind, :name, :access, :when, :by)"
                    ),
                    shares,
                )
            conn.execute(
                text(
                    "INSERT INTO gallery_versions (notebook_pk, version, note, author, created_at, "
                    "content_hash, size, content) VALUES (:pk, 1, '', :author, :created_at, "
                    ":content_hash, :size, :content)"
                ),
                versions,
            )
    with service.database.engine.begin() as conn:
        if service.database.backend == "postgresql":
            conn.execute(
                text(
                    "SELECT setval(pg_get_serial_sequence('gallery_notebooks', 'pk'), "
                    "(SELECT max(pk) FROM gallery_notebooks))"
                )
            )
            conn.execute(text("ANALYZE"))
        else:
            conn.execute(text("INSERT INTO gallery_fts(gallery_fts) VALUES ('optimize')"))
            conn.execute(text("ANALYZE"))
    if service.database.backend == "postgresql":
        # What autovacuum does in a running deployment: merge the GIN indexes' pending lists.
        # Straight after a bulk load every full-text query would scan 100k pending entries.
        with service.database.engine.connect().execution_options(
            isolation_level="AUTOCOMMIT"
        ) as conn:
            conn.execute(text("VACUUM ANALYZE"))


def query_mix(rnd: random.Random, groups: int = 0) -> list[tuple[str, GalleryUser, SearchParams]]:
    """(label, user, params): what people type and click, weighted towards plain searches.
    With ``groups``, the user is in ``GROUP_OF`` of them."""
    mine = frozenset(rnd.sample(group_names(groups), GROUP_OF)) if groups else frozenset()
    user = GalleryUser(rnd.choice(USERS), groups=mine)
    mix = []
    for _ in range(6):
        mix.append(("common word", user, SearchParams(q=rnd.choice(LIBRARIES[:4]))))
        mix.append(("topic word", user, SearchParams(q=rnd.choice(TOPICS))))
        mix.append(
            ("two words", user, SearchParams(q=f"{rnd.choice(TOPICS)} {rnd.choice(METHODS)}"))
        )
        mix.append(("prefix", user, SearchParams(q=rnd.choice(TOPICS)[:4])))
        mix.append(
            ("identifier", user, SearchParams(q=f"{rnd.choice(VERBS)}_{rnd.choice(TOPICS)}"))
        )
        mix.append(("rare", user, SearchParams(q=f"#{rnd.randint(0, 9999)}")))
        mix.append(
            ("tag filter", user, SearchParams(q=rnd.choice(LIBRARIES), tag=rnd.choice(METHODS)))
        )
        mix.append(("owner filter", user, SearchParams(owner=rnd.choice(USERS))))
        mix.append(("mine", user, SearchParams(mine=True, q=rnd.choice(["", "plot"]))))
        mix.append(("starred", user, SearchParams(starred=True)))
        mix.append(("browse updated", user, SearchParams(sort="updated")))
        mix.append(("browse stars", user, SearchParams(sort="stars")))
        mix.append(("browse title p3", user, SearchParams(sort="title", page=3)))
        mix.append(("word, by stars", user, SearchParams(q=rnd.choice(TOPICS), sort="stars")))
        mix.append(("hostile", user, SearchParams(q='NEAR( "pandas* OR -')))
    return mix


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def time_store(service: Service, mix, rounds: int) -> dict[str, list[float]]:
    """Wall-clock ms per query, and (key ``cpu``) this thread's CPU ms: on a shared machine
    the CPU time shows the work a query costs without the wait for a core. (On PostgreSQL
    the work happens in the server process, so there the CPU figure is only the client's.)"""
    timings: dict[str, list[float]] = {"all": [], "cpu": []}
    for _ in range(rounds):
        for label, user, params in mix:
            begin, begin_cpu = time.perf_counter(), time.thread_time()
            service.gallery.search(user, params)
            elapsed = (time.perf_counter() - begin) * 1000
            timings["cpu"].append((time.thread_time() - begin_cpu) * 1000)
            timings["all"].append(elapsed)
            timings.setdefault(label, []).append(elapsed)
    return timings


def time_like(service: Service, words: list[str]) -> list[float]:
    """The peer figure: a LIKE scan over title, description, tags and sources, newest first."""
    out = []
    for word in words:
        pattern = f"%{word}%"
        begin = time.perf_counter()
        with service.database.engine.connect() as conn:
            like = (
                "(title LIKE :p OR description LIKE :p OR tags_text LIKE :p "
                "OR search_body LIKE :p) AND (visibility = 'public' OR owner = :me)"
            )
            conn.execute(
                text(
                    f"SELECT id FROM gallery_notebooks WHERE {like} "
                    "ORDER BY updated_at DESC LIMIT 20"
                ),
                {"p": pattern, "me": "u"},
            ).all()
            conn.execute(
                text(f"SELECT count(*) FROM gallery_notebooks WHERE {like}"),
                {"p": pattern, "me": "u"},
            ).scalar()
        out.append((time.perf_counter() - begin) * 1000)
    return out


def run(
    backend: str, counts: list[int], rounds: int, url: str, details: bool, groups: int = 0
) -> None:
    service = Service(AtriumService(database_url=url), mode="bench", log=logging.getLogger("bench"))
    service.database.migrate()
    rnd = random.Random(11)
    for count in counts:
        begin = time.perf_counter()
        populate(service, count, groups=groups)
        fill = time.perf_counter() - begin
        mix = query_mix(rnd, groups)
        time_store(service, mix[:15], 1)  # warm the caches
        timings = time_store(service, mix, rounds)
        like = time_like(service, [rnd.choice(TOPICS + LIBRARIES) for _ in range(10)])
        total, cpu = timings["all"], timings["cpu"]
        setting = f" ({groups} groups, user in {GROUP_OF})" if groups else ""
        print(
            f"{backend:10s} {count:>7d} notebooks{setting}  "
            f"search p50 {percentile(total, 50):6.1f} ms  "
            f"p95 {percentile(total, 95):6.1f} ms  max {max(total):6.1f} ms  "
            f"(n={len(total)}; client CPU p50 {percentile(cpu, 50):.1f} "
            f"p95 {percentile(cpu, 95):.1f} ms)  |  naive LIKE p50 "
            f"{statistics.median(like):7.1f} ms  p95 {percentile(like, 95):7.1f} ms  |  "
            f"filled in {fill:.0f} s  |  load average {os.getloadavg()[0]:.1f} on "
            f"{os.cpu_count()} CPUs",
            flush=True,
        )
        if details:
            for label, values in timings.items():
                if label not in ("all", "cpu"):
                    print(
                        f"    {label:18s} p50 {percentile(values, 50):6.1f}  "
                        f"p95 {percentile(values, 95):6.1f}  max {max(values):6.1f} ms"
                    )
    service.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument(
        "--count",
        default="10000,100000",
        help="comma-separated sizes, grown in place (default 10000,100000)",
    )
    parser.add_argument("--rounds", type=int, default=3, help="passes over the query mix")
    parser.add_argument("--details", action="store_true", help="p50/p95 per kind of query")
    parser.add_argument(
        "--groups",
        type=int,
        default=0,
        help="institution mode: this many groups, 10%% group-owned, 10%% shared, 10%% "
        "private, the searching user in 20 groups (default 0: owners are users only)",
    )
    parser.add_argument(
        "--database",
        help="SQLAlchemy URL of a database to fill (and keep) "
        "instead of a throwaway one; filling resumes where it stopped",
    )
    args = parser.parse_args()
    counts = sorted(int(c) for c in args.count.split(","))
    if args.database:
        run(args.backend, counts, args.rounds, args.database, args.details, args.groups)
        return
    if args.backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="atrium-bench-") as tmp:
            run(
                "sqlite",
                counts,
                args.rounds,
                f"sqlite:///{tmp}/bench.sqlite",
                args.details,
                args.groups,
            )
        return
    from tests.conftest import PostgresCluster

    cluster = PostgresCluster()
    # A terminated run still stops its cluster (SystemExit runs the finally below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    cluster.start()
    try:
        run(
            "postgresql",
            counts,
            args.rounds,
            cluster.create_database(),
            args.details,
            args.groups,
        )
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
