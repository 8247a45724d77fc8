"""Configuration of the Atrium service, identical in embedded and hub-service mode."""

from __future__ import annotations

from pathlib import Path

from jupyter_core.paths import jupyter_data_dir
from traitlets import Integer, Unicode, default, validate
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

    server_owner = Unicode(
        config=True,
        help=(
            "Embedded mode: the user name recorded for everything done on a server without "
            "real user identity (a plain `jupyter lab` with a token or password, where "
            "jupyter_server makes up a random anonymous user per browser and per token "
            "request). Every such request is this server's one owner. Default: the name of "
            "the OS user running the server. Not used for users with a real identity "
            "(JupyterHub, a configured identity provider)."
        ),
    )

    @default("server_owner")
    def _default_server_owner(self) -> str:
        from ..identity import os_user

        return os_user()

    @validate("server_owner")
    def _validate_server_owner(self, proposal: dict) -> str:
        from .. import fields

        try:
            name = fields.text(proposal["value"], "server_owner", max_len=255, nonempty=True)
        except fields.FieldError as err:
            raise ValueError(f"AtriumService.server_owner: {err.message}") from None
        assert name is not None
        return name
