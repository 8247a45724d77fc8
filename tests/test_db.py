"""The database layer on real SQLite and a real PostgreSQL cluster."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from jupyterlab_atrium.service.db import PASSWORD_ENV, Database, head_revision, resolve_url
from jupyterlab_atrium.service.models import Installation

MIGRATIONS = Path(__file__).parents[1] / "jupyterlab_atrium" / "service" / "migrations" / "versions"


def newest_revision_file() -> str:
    """The revision id of the highest-numbered migration file (files are named NNNN_*.py)."""
    return max(p.name.split("_")[0] for p in MIGRATIONS.glob("[0-9]*_*.py"))


def test_migrate_brings_a_new_database_to_head(database_url):
    db = Database(database_url)
    assert db.revision() is None
    db.migrate()
    assert db.revision() == head_revision() == newest_revision_file()
    with db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Installation)) == 1
    db.close()


def test_migrate_is_idempotent_and_keeps_the_installation(database_url):
    db = Database(database_url)
    db.migrate()
    with db.sessions() as session:
        first = session.scalar(select(Installation.id))
    db.migrate()
    with db.sessions() as session:
        assert session.scalars(select(Installation.id)).all() == [first]
    db.close()


def test_concurrent_replicas_migrate_once(database_url):
    """Several service replicas starting together must not race the migration."""
    if database_url.startswith("sqlite"):
        pytest.skip("replicas share a database only on PostgreSQL")
    replicas = [Database(database_url) for _ in range(4)]
    errors: list[BaseException] = []

    def run(db: Database) -> None:
        try:
            db.migrate()
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(db,)) for db in replicas]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    with replicas[0].sessions() as session:
        assert session.scalar(select(func.count()).select_from(Installation)) == 1
    for db in replicas:
        db.close()


def test_databases_migrate_at_the_same_time_in_one_process(tmp_path):
    """Alembic's context is process-global: a service still migrating on its worker thread
    while the next one starts (the tests do this) must not break either migration."""
    databases = [Database(f"sqlite:///{tmp_path / f'db{i}.sqlite'}") for i in range(6)]
    start = threading.Barrier(len(databases))
    errors: list[BaseException] = []

    def migrate(db: Database) -> None:
        start.wait()
        try:
            db.migrate()
        except BaseException as error:  # reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=migrate, args=(db,)) for db in databases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert [db.revision() for db in databases] == [head_revision()] * len(databases)
    for db in databases:
        db.close()


def test_sqlite_runs_in_wal_mode(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'nested' / 'dir' / 'a.sqlite'}")
    db.migrate()
    assert db.journal_mode() == "wal"
    assert (tmp_path / "nested" / "dir").stat().st_mode & 0o077 == 0
    db.close()


def test_password_comes_from_the_environment_and_is_never_shown(monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, "s3cret!")
    url = resolve_url("postgresql://atrium@db.example/atrium")
    assert url.password == "s3cret!"
    assert url.drivername == "postgresql+psycopg"
    db = Database("postgresql://atrium@db.example/atrium")
    assert "s3cret" not in db.describe()
    assert "***" in db.describe()
    db.close()


def test_postgres_database_is_used_for_real(postgres):
    url = postgres.create_database()
    db = Database(url)
    db.migrate()
    assert db.backend == "postgresql"
    with db.engine.connect() as conn:
        version = conn.exec_driver_sql("SHOW server_version").scalar()
    assert version and int(version.split(".")[0]) >= 13
    db.close()


#: Search objects the migrations create in SQL of their own (full-text tables, search
#: indexes, PostgreSQL's generated text-search columns), which the models do not declare.
MIGRATION_ONLY = re.compile(r"(gallery_fts\w*|ix_gallery_\w+|head_vector|search_vector)")


def test_the_migrations_build_the_schema_the_models_describe(database_url):
    """A model changed without its migration (or the reverse) passes every test that creates
    tables from the migrations, and breaks only on a deployed database: compare them."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from jupyterlab_atrium.service.models import Base

    db = Database(database_url)
    db.migrate()
    with db.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    db.close()

    def expected(diff) -> bool:
        if isinstance(diff, list) or not diff[0].startswith("remove_"):
            return False
        thing = diff[-1] if diff[0] == "remove_column" else diff[1]
        return MIGRATION_ONLY.fullmatch(thing.name) is not None

    assert [diff for diff in differences if not expected(diff)] == []
