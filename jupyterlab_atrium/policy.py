"""The read-only policy the server publishes to the frontend through ``page_config_data``.

Each feature adds its own section here; the frontend shows it but the server enforces it.
Nothing secret goes in: this dictionary is embedded in every JupyterLab page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import __version__
from .branding.config import BrandingState
from .service.proxy import redact_url
from .urls import API_VERSION

if TYPE_CHECKING:
    from .app import AtriumApp


def build_policy(app: AtriumApp) -> dict[str, Any]:
    service: dict[str, Any] = {"mode": app.mode}
    if app.service_url:
        service["url"] = redact_url(app.service_url)
    branding = getattr(app, "branding_state", None) or BrandingState()
    netdrive = getattr(app, "netdrive_config", None)
    telemetry = getattr(app, "telemetry", None)
    return {
        "version": __version__,
        "apiVersion": API_VERSION,
        "service": service,
        # c.AtriumApp.disabled_features: their plugins add no UI, their APIs answer 404.
        "disabledFeatures": list(app.disabled_features),
        "branding": branding.policy(),
        # INetDrivePolicy (c.AtriumNetDrive): what the connect dialog offers; enforced server-side.
        "netdrive": netdrive.policy() if netdrive is not None else None,
        # ITelemetryPolicy (c.AtriumTelemetry): whether and how execution health is reported.
        "telemetry": telemetry.config.state() if telemetry is not None else None,
    }
