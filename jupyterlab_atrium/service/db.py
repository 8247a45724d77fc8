"""Database access for the service: engine set-up, Alembic migrations and revision checks.

Everything here blocks; callers run it on the service's worker threads.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).parent / "migrations"
PASSWORD_ENV = "ATRIUM_DATABASE_PASSWORD"  # noqa: S105 - a variable name, not a secret
# Arbitrary constant: PostgreSQL advisory lock that serialises migrations across replicas.
MIGRATION_LOCK_KEY = 0x41545249554D
# Alembic's `context` and `op` are module-level proxies: two upgrades running at once in one
# process (a closing service's migration still on its worker thread while the next service
# starts, as in the tests) overwrite each other's and fail with KeyError('config').
_MIGRATING = threading.Lock()


def _alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str | None:
    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def resolve_url(url: str) -> URL:
    """Parse the configured URL, adding the password from the environment when given there."""
    parsed = make_url(url)
    password = os.environ.get(PASSWORD_ENV)
    if password and parsed.password is None and parsed.get_backend_name() != "sqlite":
        parsed = parsed.set(password=password)
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _on_sqlite_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    # WAL lets readers and one writer work at once; NORMAL is safe with WAL.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


class Database:
    """One engine and session factory for one database URL."""

    def __init__(self, url: str, *, pool_size: int = 5) -> None:
        self.url = resolve_url(url)
        self.backend = self.url.get_backend_name()
        if self.backend == "sqlite":
            if self.url.database and self.url.database != ":memory:":
                Path(self.url.database).parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            self.engine: Engine = create_engine(self.url, connect_args={"timeout": 30})
            event.listen(self.engine, "connect", _on_sqlite_connect)
        else:
            self.engine = create_engine(
                self.url, pool_size=pool_size, pool_pre_ping=True, hide_parameters=True
            )
        self.sessions: sessionmaker[Session] = sessionmaker(self.engine, expire_on_commit=False)

    def describe(self) -> str:
        """The URL as it may appear in logs and in the About dialog: never with a password."""
        return self.url.render_as_string(hide_password=True)

    def migrate(self) -> None:
        """Bring the schema to the newest revision; safe to call from several replicas."""
        with self.engine.begin() as conn:
            if self.backend == "postgresql":
                conn.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY}
                )
            cfg = _alembic_config()
            cfg.attributes["connection"] = conn
            with _MIGRATING:
                command.upgrade(cfg, "head")

    def revision(self) -> str | None:
        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def journal_mode(self) -> str | None:
        if self.backend != "sqlite":
            return None
        with self.engine.connect() as conn:
            return str(conn.execute(text("PRAGMA journal_mode")).scalar())

    def close(self) -> None:
        self.engine.dispose()
