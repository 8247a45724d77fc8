"""Features an admin turns off for a whole deployment: ``c.AtriumApp.disabled_features``.

A feature turned off is not started and its REST handlers are not registered: every URL under
its prefixes answers ``404 {"reason": "feature-disabled"}`` (after the usual authentication),
whatever the frontend does. The page config lists it (``atrium.disabledFeatures``), so its
frontend plugin adds no UI and the About dialog says it is off on the server.
"""

from __future__ import annotations

import tornado.web

from .base import AtriumHandler, service_authorized
from .branding.spec import ASSETS_PATH
from .errors import AtriumError
from .urls import API_PREFIX, SERVICE_PREFIX

# Each feature's name, what it is called in messages, and the URL prefixes it owns. Telemetry
# is not here: its own switch is c.AtriumTelemetry.policy = "off".
FEATURES: dict[str, tuple[str, tuple[str, ...]]] = {
    "gallery": ("The gallery", (f"{SERVICE_PREFIX}/gallery",)),
    "netdrive": ("Network drives", (f"{API_PREFIX}/netdrive",)),
    "branding": ("Branding", (ASSETS_PATH,)),
    "grader": ("Exercise grading", (f"{SERVICE_PREFIX}/grading",)),
}


def check_features(names: list[str]) -> list[str]:
    """The names, each known and once; a clear error for anything else (refused at start-up)."""
    unknown = [name for name in names if name not in FEATURES]
    if "telemetry" in unknown:
        raise ValueError(
            "AtriumApp.disabled_features: turn execution reports off with "
            "c.AtriumTelemetry.policy = 'off', not here"
        )
    if unknown:
        raise ValueError(
            f"AtriumApp.disabled_features: unknown feature(s) {', '.join(map(repr, unknown))}; "
            f"known: {', '.join(FEATURES)}"
        )
    return list(dict.fromkeys(names))


class FeatureOffHandler(AtriumHandler):
    """Every URL of a feature that is turned off, for every verb: a JSON 404 saying so."""

    def initialize(self, feature: str) -> None:
        self.feature = feature

    @tornado.web.authenticated
    @service_authorized
    async def get(self, *args: str) -> None:
        label = FEATURES[self.feature][0]
        raise AtriumError(
            f"{label} is turned off on this server (c.AtriumApp.disabled_features).",
            status=404,
            reason="feature-disabled",
        )

    head = post = put = patch = delete = get


def without_disabled(routes: list, disabled: list[str]) -> list:
    """``routes`` minus those of the features turned off: their handlers are not registered."""
    prefixes = tuple(f"/{prefix}" for name in disabled for prefix in FEATURES[name][1])
    return [route for route in routes if not prefixes or not route[0].startswith(prefixes)]


def feature_off_routes(disabled: list[str]) -> list[tuple[str, type, dict[str, str]]]:
    """Routes that answer for the features turned off; mount them before any other route."""
    return [
        (rf"/{prefix}(?:/.*)?", FeatureOffHandler, {"feature": name})
        for name in disabled
        for prefix in FEATURES[name][1]
    ]
