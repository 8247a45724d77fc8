"""Shared pieces of the health tests: a linked notebook, records, and a direct service."""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

from .test_gallery_api import notebook, rest_client

SERVICE = ("atrium", "api", "service")


def code_notebook(*sources: str, tags: dict[int, list[str]] | None = None) -> dict[str, Any]:
    """A notebook of code cells c0, c1, … (ids stable across versions) plus a heading."""
    return notebook(*sources, markdown="# Health", tags=tags)


def sha(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


def stamp(moment: datetime | None = None, **delta: float) -> str:
    moment = (moment or datetime.now(timezone.utc)) + timedelta(**delta)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def record(
    notebook_id: str,
    cell: int,
    source: str,
    success: Any = True,
    *,
    version: int = 1,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "notebookId": notebook_id,
        "version": version,
        "cellId": f"c{cell}",
        "fingerprint": sha(source),
        "success": success,
        "durationMs": 12,
        "timestamp": stamp(),
        "eventId": uuid.uuid4().hex,
        **extra,
    }


def api_fixture(jp_fetch):
    return rest_client(jp_fetch)
