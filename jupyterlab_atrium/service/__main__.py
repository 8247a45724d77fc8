"""``python -m jupyterlab_atrium.service``: run the Atrium service as a JupyterHub service."""

from __future__ import annotations

import asyncio
import os
import signal
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from traitlets import Bool, Integer, Unicode, default
from traitlets.config import Application

from .. import __version__
from .config import AtriumService
from .gallery.config import AtriumGallery
from .grading.config import AtriumGrader
from .health.config import AtriumHealth

if TYPE_CHECKING:
    from .core import Service

DESCRIPTION = """
Run the shared Atrium service as a JupyterHub-managed service.

By default every user's Jupyter server embeds its own Atrium service in SQLite. For a
team or an institution, run one service for everybody instead: JupyterHub starts it,
users authenticate with their JupyterHub tokens, and the state lives in PostgreSQL.

In jupyterhub_config.py:

    c.JupyterHub.services = [{
        "name": "atrium",
        "url": "http://127.0.0.1:10101",
        "command": ["python", "-m", "jupyterlab_atrium.service",
                    "--AtriumService.database_url=postgresql+psycopg://atrium@db/atrium"],
        "environment": {"ATRIUM_DATABASE_PASSWORD": os.environ["ATRIUM_DATABASE_PASSWORD"],
                        "ATRIUM_HEALTH_SECRET": os.environ["ATRIUM_HEALTH_SECRET"]},
    }]
    c.Spawner.args = ["--AtriumApp.service_url=http://127.0.0.1:10101/services/atrium/"]

The service reads JUPYTERHUB_API_TOKEN, JUPYTERHUB_SERVICE_URL and
JUPYTERHUB_SERVICE_PREFIX from the environment JupyterHub gives it. Database passwords
belong in ATRIUM_DATABASE_PASSWORD or ~/.pgpass, never on the command line; so does the key
that hashes user names and cell fingerprints for execution health (ATRIUM_HEALTH_SECRET, the
same for every replica; without it the service generates one and keeps it in the database).
"""


class AtriumServiceApp(Application):
    name = "atrium-service"
    version = __version__
    description = DESCRIPTION
    classes = [AtriumService, AtriumGallery, AtriumHealth, AtriumGrader]

    aliases = {
        "ip": "AtriumServiceApp.ip",
        "port": "AtriumServiceApp.port",
        "database-url": "AtriumService.database_url",
        "config": "AtriumServiceApp.config_file",
        "log-level": "Application.log_level",
    }
    flags = {
        "upgrade-db": (
            {"AtriumServiceApp": {"upgrade_db_only": True}},
            "Upgrade the database schema to this version, then exit.",
        ),
    }

    config_file = Unicode("", config=True, help="A Python config file to load.")
    ip = Unicode(config=True, help="Interface to listen on (default: from JUPYTERHUB_SERVICE_URL).")
    port = Integer(config=True, help="Port to listen on (default: from JUPYTERHUB_SERVICE_URL).")
    prefix = Unicode(config=True, help="URL prefix (default: JUPYTERHUB_SERVICE_PREFIX).")
    upgrade_db_only = Bool(False, config=True, help="Upgrade the schema and exit.")

    @default("ip")
    def _default_ip(self) -> str:
        return urlsplit(os.environ.get("JUPYTERHUB_SERVICE_URL", "")).hostname or "127.0.0.1"

    @default("port")
    def _default_port(self) -> int:
        return urlsplit(os.environ.get("JUPYTERHUB_SERVICE_URL", "")).port or 10101

    @default("prefix")
    def _default_prefix(self) -> str:
        return os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/services/atrium/")

    def initialize(self, argv: list[str] | None = None) -> None:
        super().initialize(argv)
        if self.config_file:
            self.load_config_file(self.config_file)

    def start(self) -> None:
        from .core import Service

        service = Service(
            AtriumService(parent=self),
            mode="hub-service",
            log=self.log,
            gallery=AtriumGallery(parent=self),
            health=AtriumHealth(parent=self),
            grader=AtriumGrader(parent=self),
        )
        if self.upgrade_db_only:
            service.database.migrate()
            self.log.info(
                "Atrium: %s is at revision %s",
                service.database.describe(),
                service.database.revision(),
            )
            service.close()
            return
        if not os.environ.get("JUPYTERHUB_API_TOKEN"):
            self.exit("atrium-service runs as a JupyterHub service: JUPYTERHUB_API_TOKEN is unset.")
        asyncio.run(self._serve(service))

    async def _serve(self, service: Service) -> None:
        from jupyterhub.services.auth import HubAuth

        from ..base import MAX_HEADER_BYTES
        from .hub import make_app

        await service.ready()
        app = make_app(service, HubAuth(), self.prefix)
        server = app.listen(self.port, self.ip, xheaders=True, max_header_size=MAX_HEADER_BYTES)
        self.log.info(
            "Atrium service %s on http://%s:%s%s (%s)",
            __version__,
            self.ip,
            self.port,
            self.prefix,
            service.database.describe(),
        )
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await stop.wait()
        server.stop()
        service.close()


main = AtriumServiceApp.launch_instance

if __name__ == "__main__":
    main()
