"""Configuration of the Atrium service, identical in embedded and hub-service mode."""

from __future__ import annotations

from pathlib import Path

from jupyter_core.paths import jupyter_data_dir
from traitlets import Integer, Unicode, default
from traitlets.config import LoggingConfigurable


class AtriumService(LoggingConfigurable):
    """Settings of the shared service, configured as ``c.AtriumService``."""

    database_url = Unicode(
        config=True,
        help=(
            "SQLAlchemy URL of the service database. Default: a SQLite file "
            "'atrium/atrium.sqlite' under the Jupyter data dir. For PostgreSQL use "
            "'postgresql+psycopg://user@host/dbname' and put the password in the "
            "ATRIUM_DATABASE_PASSWORD environment variable or a ~/.pgpass file, never here."
        ),
    )

    @default("database_url")
    def _default_database_url(self) -> str:
        path = Path(jupyter_data_dir()) / "atrium" / "atrium.sqlite"
        return f"sqlite:///{path}"

    worker_threads = Integer(
        4,
        config=True,
        help="Threads that run database work off the event loop.",
    )

    pool_size = Integer(
        5,
        config=True,
        help="Connections kept open per service process (PostgreSQL only).",
    )
