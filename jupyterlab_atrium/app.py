"""The per-user server extension: mounts Atrium's REST API and publishes the server policy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jupyter_server.extension.application import ExtensionApp
from traitlets import List, Unicode, default, validate

from . import __version__
from .branding.assets import ASSET_ROUTE, BrandAssetHandler
from .branding.config import AtriumBranding, BrandingState
from .branding.login import install_login_page
from .features import check_features, feature_off_routes, without_disabled
from .handlers import InfoHandler
from .netdrive.config import AtriumNetDrive
from .openapi import OpenAPIHandler
from .policy import build_policy
from .service.config import AtriumService
from .service.core import Service
from .service.gallery.config import AtriumGallery
from .service.grading.config import AtriumGrader
from .service.handlers import embedded_routes
from .service.health.config import AtriumHealth
from .service.proxy import ServiceProxyHandler, redact_url
from .telemetry.config import AtriumTelemetry
from .urls import API_PREFIX, SERVICE_PREFIX

# The page config key of the remembered drives' names (src/netdrive/restore.ts).
PAGE_CONFIG_DRIVES = "atriumDrives"


class AtriumApp(ExtensionApp):
    """Atrium's server extension, configured as ``c.AtriumApp``."""

    name = "jupyterlab_atrium"
    description = "Atrium server extension: gallery, health, grading, branding and drives."
    load_other_extensions = True
    classes = [
        AtriumService,
        AtriumGallery,
        AtriumHealth,
        AtriumGrader,
        AtriumTelemetry,
        AtriumBranding,
        AtriumNetDrive,
    ]

    service_url = Unicode(
        "",
        config=True,
        help=(
            "URL of a shared Atrium service running as a JupyterHub service, for example "
            "'http://atrium:10101/services/atrium/'. Empty (the default) runs the embedded "
            "service inside this Jupyter server, storing in SQLite under the Jupyter data dir. "
            "Credentials in the URL are refused: the user's JupyterHub token authenticates."
        ),
    )

    service_token = Unicode(
        config=True,
        help=(
            "Token sent to the hub service. Defaults to this server's JUPYTERHUB_API_TOKEN, "
            "which identifies the user; set it only for tests."
        ),
    )

    disabled_features = List(
        Unicode(),
        config=True,
        help=(
            "Atrium features turned off for this server, for every user: any of 'gallery', "
            "'netdrive', 'branding'. A feature turned off is not started, its REST API answers "
            "404 (JSON, reason 'feature-disabled'), its frontend plugin adds no UI and About "
            "says it is off. Execution reports have their own switch: "
            "c.AtriumTelemetry.policy = 'off'. Unknown names are refused at start-up."
        ),
    )

    @validate("disabled_features")
    def _validate_disabled_features(self, proposal: dict) -> list[str]:
        return check_features(list(proposal["value"]))

    def feature_on(self, name: str) -> bool:
        return name not in self.disabled_features

    @default("service_token")
    def _default_service_token(self) -> str:
        import os

        return os.environ.get("JUPYTERHUB_API_TOKEN", "")

    @validate("service_url")
    def _validate_service_url(self, proposal: dict) -> str:
        url: str = proposal["value"].strip()
        if not url:
            return ""
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"AtriumApp.service_url must be an http(s) URL, got {redact_url(url)}")
        if parts.username or parts.password:
            raise ValueError("AtriumApp.service_url must not carry credentials")
        return url if url.endswith("/") else url + "/"

    @property
    def mode(self) -> str:
        return "hub-service" if self.service_url else "embedded"

    def initialize_settings(self) -> None:
        self.service: Service | None = None
        if self.mode == "embedded":
            config = AtriumService(parent=self)
            self.service = Service(
                config,
                mode="embedded",
                log=self.log,
                gallery=AtriumGallery(parent=self),
                health=AtriumHealth(parent=self),
                grader=AtriumGrader(parent=self),
            )
            # Migrations run on a worker thread so neither start-up nor the event loop waits.
            self.service.start()
            self.log.info("Atrium: embedded service on %s", self.service.database.describe())
        else:
            self.log.info("Atrium: using the hub service at %s", redact_url(self.service_url))
        # Loaded once; a bad spec is logged and leaves the stock look, never a failed start.
        self.branding = AtriumBranding(parent=self)
        self.branding_state: BrandingState = (
            self.branding.load() if self.feature_on("branding") else BrandingState()
        )
        if self.branding_state.brand is not None:
            install_login_page(self.settings, self.branding_state.brand, self.log)
        self.settings["atrium"] = self
        from .telemetry.handlers import setup as setup_telemetry

        # Execution records: validated, logged as events, sent on or spooled (c.AtriumTelemetry).
        self.telemetry = setup_telemetry(self)
        page_config = self.serverapp.web_app.settings.setdefault("page_config_data", {})
        if self.feature_on("netdrive"):
            self._start_netdrives(page_config)
        page_config["atrium"] = build_policy(self)

    def _start_netdrives(self, page_config: dict[str, Any]) -> None:
        """Network drives: this user's SMB connections; passwords only in this process's memory.

        The remembered drives' names go into every page's config (``atriumDrives``), kept
        current as drives are added and forgotten: a page registers them before it restores
        documents open on drives, without a request on its way to the first screen.
        """
        import os

        from .netdrive.broker import leases_file_path
        from .netdrive.manager import DriveManager

        self.netdrive_config = AtriumNetDrive(parent=self)
        state_file = self.netdrive_config.state_file
        self.netdrives = DriveManager(
            self.netdrive_config,
            state_file=Path(state_file).expanduser() if state_file else None,
            leases_file=leases_file_path(self.serverapp.runtime_dir, os.getpid()),
            log=self.log,
            on_names=lambda names: page_config.__setitem__(PAGE_CONFIG_DRIVES, names),
        )
        self.settings["atrium_netdrive"] = self.netdrives
        self._write_broker_file()

    def initialize_handlers(self) -> None:
        self._add_handlers()
        kept = without_disabled(self.handlers, self.disabled_features)
        # First: a feature turned off answers 404 on all its URLs (the proxy's included).
        self.handlers[:] = [*feature_off_routes(self.disabled_features), *kept]

    def _add_handlers(self) -> None:
        self.handlers.append((rf"/{API_PREFIX}/info", InfoHandler))
        self.handlers.append((rf"/{API_PREFIX}/openapi.json", OpenAPIHandler))
        from .telemetry.handlers import TelemetryHandler

        self.handlers.append((rf"/{API_PREFIX}/telemetry", TelemetryHandler))
        # Public: the login page shows these before anyone is logged in.
        self.handlers.append((ASSET_ROUTE, BrandAssetHandler, {"brand": self.branding_state.brand}))
        if self.service is not None:
            self.handlers.extend(embedded_routes(rf"/{SERVICE_PREFIX}"))
        else:
            self.handlers.append((rf"/{SERVICE_PREFIX}/(.*)", ServiceProxyHandler))
        from .netdrive.handlers import netdrive_routes

        self.handlers.extend(netdrive_routes())

    def _write_broker_file(self) -> None:
        """Tell this server's kernels where to ask for drive credentials (0600, no password)."""
        import os
        import secrets
        from urllib.parse import urlsplit

        from jupyter_server.serverapp import WILDCARD_IPS

        from .netdrive import broker

        token = self.settings.get("atrium_broker_token") or secrets.token_urlsafe(32)
        url = self.serverapp.connection_url
        if (not self.serverapp.ip or self.serverapp.ip in WILDCARD_IPS) and not self.serverapp.sock:
            # Kernels run next to the server: loopback works where the host name may not resolve.
            url = urlsplit(url)._replace(netloc=f"127.0.0.1:{self.serverapp.port}").geturl()
        try:
            broker.write_broker_file(self.serverapp.runtime_dir, os.getpid(), url, token)
        except OSError as err:
            self.log.warning("Atrium: cannot write the netdrive broker file: %s", err.strerror)
        self.settings["atrium_broker_token"] = token
        self.serverapp.web_app.settings["atrium_broker_token"] = token

    async def _start_jupyter_server_extension(self, serverapp: object) -> None:
        # The port is final only once the server is bound (port_retries): write it again.
        if self.feature_on("netdrive"):
            self._write_broker_file()
        # Long URLs get a JSON 414 from Atrium instead of a closed connection from tornado.
        from .base import allow_long_headers

        allow_long_headers(getattr(serverapp, "http_server", None))
        # Batches spooled while the service was away (also by an earlier run) go out again.
        self.telemetry.start()

    async def stop_extension(self) -> None:
        import os

        from .netdrive import broker

        broker.remove_broker_file(self.serverapp.runtime_dir, os.getpid())
        telemetry = getattr(self, "telemetry", None)
        if telemetry is not None:
            telemetry.stop()
        netdrives = getattr(self, "netdrives", None)
        if netdrives is not None:
            await netdrives.close_all()  # also unmounts FUSE mounts
        if self.service is not None:
            self.service.close()

    @property
    def version(self) -> str:  # shown by `jupyter server extension list`
        return __version__
