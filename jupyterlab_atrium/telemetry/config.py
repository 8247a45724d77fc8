"""Telemetry settings of the user's server, configured as ``c.AtriumTelemetry``."""

from __future__ import annotations

from pathlib import Path

from jupyter_core.paths import jupyter_data_dir
from traitlets import Enum, Float, Integer, Unicode, default
from traitlets.config import LoggingConfigurable

POLICIES = ("off", "opt_in", "opt_out", "on")


class AtriumTelemetry(LoggingConfigurable):
    """Whether this server accepts execution records, and how it keeps them while the
    service is away. The policy is the server's: the frontend can only say no where the
    policy lets users choose."""

    policy = Enum(
        POLICIES,
        default_value="off",
        config=True,
        help=(
            "off: nothing is reported (the endpoint answers 403, the hook does not run). "
            "opt_in: reported only for users who turn it on in the settings. opt_out: "
            "reported unless the user turns it off. on: always reported."
        ),
    )

    spool_dir = Unicode(
        config=True,
        help=(
            "Where batches wait (files 0600) while the Atrium service cannot be reached. "
            "Default: 'atrium/telemetry-spool' under the Jupyter data dir."
        ),
    )

    @default("spool_dir")
    def _default_spool_dir(self) -> str:
        return str(Path(jupyter_data_dir()) / "atrium" / "telemetry-spool")

    spool_max_bytes = Integer(
        8 * 2**20,
        config=True,
        help="Most bytes the spool holds; past it the oldest batches are dropped (and counted).",
    )

    max_batch_records = Integer(
        500, config=True, help="Most records one request may carry (the service's limit too)."
    )

    service_timeout = Float(
        10.0, config=True, help="Seconds a call to the service may take before it counts as away."
    )

    replay_interval = Float(
        15.0, config=True, help="Seconds between attempts to send spooled batches."
    )

    def state(self) -> dict[str, object]:
        """``ITelemetryPolicy``: what the frontend may do (enforced here, not there)."""
        return {
            "policy": self.policy,
            "enabled": self.policy != "off",
            "userChoice": self.policy in ("opt_in", "opt_out"),
            "defaultOn": self.policy in ("opt_out", "on"),
        }
