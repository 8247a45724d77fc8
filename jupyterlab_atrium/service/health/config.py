"""Health settings, configured as ``c.AtriumHealth`` (embedded and hub-service mode)."""

from __future__ import annotations

import os

from traitlets import Integer, Unicode, default
from traitlets.config import LoggingConfigurable

SECRET_ENV = "ATRIUM_HEALTH_SECRET"  # noqa: S105 - a variable name, not a secret


class AtriumHealth(LoggingConfigurable):
    """Keys and limits of execution health."""

    secret = Unicode(
        config=True,
        help=(
            "Key of the keyed hashes (HMAC-SHA256) that replace user names and cell "
            "fingerprints before anything is stored. Hub-service mode: set it (at least 32 "
            f"characters) through the {SECRET_ENV} environment variable, the same for every "
            "replica. Empty: the service generates one once and keeps it in its database. "
            "Changing it starts every cell's history afresh."
        ),
    ).tag(sensitive=True)

    @default("secret")
    def _default_secret(self) -> str:
        return os.environ.get(SECRET_ENV, "")

    max_batch_records = Integer(
        500,
        config=True,
        help="Most records one ingest request may carry; a larger batch is refused whole (413).",
    )

    overview_limit = Integer(
        200, config=True, help="Notebooks listed by the admin overview (least healthy first)."
    )
