"""The execution event: one JSON schema, registered with the server's ``EventLogger``.

Admins route these events anywhere ``logging`` reaches with ``c.EventLogger.handlers``
(docs/health.md). The event is the record without its fingerprint: nothing logged keeps a
hash of code, which a dictionary of common cell sources would reverse.
"""

from __future__ import annotations

import re
from typing import Any

from jupyter_events import EventLogger
from jupyter_events.schema import EventSchema

from ..errors import AtriumError

SCHEMA_ID = "https://events.jupyter.org/jupyterlab_atrium/execution/v1"
FINGERPRINT = re.compile(r"[0-9a-f]{64}")

SCHEMA: dict[str, Any] = {
    "$id": SCHEMA_ID,
    "version": "1",
    "title": "Atrium cell execution",
    "personal-data": True,
    "description": (
        "A code cell of a gallery notebook ran: whether it raised, and how long it took. "
        "No code, output, error text or source hash."
    ),
    "type": "object",
    "additionalProperties": False,
    "required": [
        "notebookId",
        "version",
        "cellId",
        "success",
        "durationMs",
        "timestamp",
        "eventId",
    ],
    "properties": {
        "notebookId": {"type": "string", "pattern": "^[0-9a-f]{32}$"},
        "version": {"type": "integer", "minimum": 1, "maximum": 2147483647},
        "cellId": {"type": "string", "pattern": "^[a-zA-Z0-9_-]{1,64}$"},
        "success": {"oneOf": [{"type": "boolean"}, {"const": "expected"}]},
        "durationMs": {"type": "integer", "minimum": 0, "maximum": 2147483647},
        "timestamp": {"type": "string", "maxLength": 40},
        "eventId": {"type": "string", "pattern": "^[A-Za-z0-9_-]{16,64}$"},
    },
}

_VALIDATOR = EventSchema(SCHEMA)


def register(logger: EventLogger | None) -> None:
    if logger is not None and SCHEMA_ID not in logger.schemas.schema_ids:
        logger.register_event_schema(SCHEMA)


def event_of(record: Any, index: int) -> dict[str, Any]:
    """The record's event (the record less its fingerprint), or a 400 naming the record."""
    try:
        if not isinstance(record, dict):
            raise ValueError("a record must be a JSON object")
        event = {key: value for key, value in record.items() if key != "fingerprint"}
        fingerprint = record.get("fingerprint")
        if not isinstance(fingerprint, str) or not FINGERPRINT.fullmatch(fingerprint):
            raise ValueError("'fingerprint' must be a SHA-256 in lower-case hex")
        _VALIDATOR.validate(event)
    except Exception as err:  # jsonschema's ValidationError or ours: both name the problem
        message = getattr(err, "message", None) or str(err)
        raise AtriumError(
            f"Record {index}: {message[:300]}. Nothing of this batch was stored.",
            status=400,
            reason="invalid-record",
        ) from None
    return event


def emit(logger: EventLogger | None, events: list[dict[str, Any]]) -> None:
    if logger is None:
        return
    for event in events:
        logger.emit(schema_id=SCHEMA_ID, data=event)
