"""What one execution record is, checked before anything of its batch is stored.

A batch is refused whole (4xx, nothing stored) at its first bad record; the message names the
record's position and the field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ... import fields
from ...errors import AtriumError
from .formula import WINDOW_DAYS

#: The keys of a record, all required, no others (the frontend's schema/telemetry wire type).
KEYS = (
    "notebookId",
    "version",
    "cellId",
    "fingerprint",
    "success",
    "durationMs",
    "timestamp",
    "eventId",
)
OUTCOMES: dict[Any, int] = {True: 1, False: 0, "expected": 2}
PASSED, FAILED, EXPECTED = 1, 0, 2
#: A client clock ahead of the service by more than this is refused ("in the future").
CLOCK_SKEW = timedelta(minutes=5)
_NOTEBOOK_ID = re.compile(r"[0-9a-f]{32}")
#: nbformat 4.5's cell id.
CELL_ID = re.compile(r"[a-zA-Z0-9_-]{1,64}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_EVENT_ID = re.compile(r"[A-Za-z0-9_-]{16,64}")
_MAX_DURATION = 7 * 24 * 3600 * 1000


@dataclass(frozen=True)
class Record:
    notebook_id: str
    version: int
    cell_id: str
    #: The client's SHA-256 of the cell source (hex); keyed before it is stored.
    source_sha256: str
    outcome: int
    duration_ms: int
    client_at: datetime
    event_id: str

    @property
    def day(self) -> int:
        return day_of(self.client_at)


def day_of(moment: datetime) -> int:
    """Whole days since 1970-01-01 UTC."""
    return int(moment.timestamp() // 86400)


def invalid(message: str, status: int = 400, reason: str = "invalid-record") -> AtriumError:
    return AtriumError(message, status=status, reason=reason)


def _pattern(value: Any, name: str, pattern: re.Pattern[str], what: str) -> str:
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise fields.FieldError(f"'{name}' must be {what}.")
    return value


def _timestamp(value: Any, now: datetime) -> datetime:
    # One rule for times with a zone (fields.timestamp), then the window's own bounds.
    if isinstance(value, str) and len(value) > 40:
        raise fields.FieldError("'timestamp' must be at most 40 characters.")
    moment = fields.timestamp(value, "timestamp", required=True)
    assert moment is not None
    if moment > now + CLOCK_SKEW:
        raise fields.FieldError("'timestamp' is in the future (check the computer's clock).")
    if moment < now - timedelta(days=WINDOW_DAYS):
        raise fields.FieldError(f"'timestamp' is older than the {WINDOW_DAYS}-day window.")
    return moment


def parse_record(value: Any, now: datetime) -> Record:
    if not isinstance(value, dict):
        raise fields.FieldError("a record must be a JSON object.")
    extra = sorted(set(value) - set(KEYS))
    if extra:
        raise fields.FieldError(
            f"unexpected key {extra[0][:40]!r}: a record holds only {', '.join(KEYS)}."
        )
    missing = [key for key in KEYS if key not in value]
    if missing:
        raise fields.FieldError(f"'{missing[0]}' is required.")
    success = value["success"]
    if not (isinstance(success, bool) or success == "expected"):
        raise fields.FieldError("'success' is true, false or \"expected\".")
    return Record(
        notebook_id=_pattern(value["notebookId"], "notebookId", _NOTEBOOK_ID, "a gallery id"),
        version=fields.integer(value["version"], "version"),
        cell_id=_pattern(value["cellId"], "cellId", CELL_ID, "an nbformat cell id"),
        source_sha256=_pattern(
            value["fingerprint"], "fingerprint", _SHA256, "a SHA-256 in lower-case hex"
        ),
        outcome=OUTCOMES[success],
        # A cell left running for days is capped, not refused.
        duration_ms=min(
            _MAX_DURATION, fields.integer(value["durationMs"], "durationMs", minimum=0)
        ),
        client_at=_timestamp(value["timestamp"], now),
        event_id=_pattern(
            value["eventId"], "eventId", _EVENT_ID, "16 to 64 letters, digits, - or _"
        ),
    )


def parse_batch(body: dict[str, Any], max_records: int, now: datetime) -> list[Record]:
    """The records of an ingest body ``{"records": [...]}``, or a 4xx for the whole batch."""
    extra = sorted(set(body) - {"records"})
    if extra:
        raise invalid(f'Unexpected key {extra[0][:40]!r}: the body is {{"records": [...]}}.')
    records = body.get("records")
    if not isinstance(records, list):
        raise invalid("'records' must be a list of execution records.")
    if len(records) > max_records:
        raise invalid(
            f"A batch holds at most {max_records} records (this one has {len(records)}); "
            "send several.",
            status=413,
            reason="too-many-records",
        )
    out = []
    for index, value in enumerate(records):
        try:
            out.append(parse_record(value, now))
        except fields.FieldError as err:
            raise invalid(
                f"Record {index}: {err.message} Nothing of this batch was stored."
            ) from None
    return out
