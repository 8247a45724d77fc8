"""The REST API as an OpenAPI 3.1 document, served at ``/atrium/api/openapi.json``.

``openapi.json`` next to this module is the one description of the API: docs/api.md's
endpoint tables are generated from it (``scripts/api_docs.py``), tests/test_openapi.py holds it
to the routes the server really registers, and tests/test_openapi_fuzz.py fuzzes a real
server against it with schemathesis.
"""

from __future__ import annotations

import copy
import functools
import json
from importlib.resources import files
from typing import Any

import tornado.web

from . import __version__
from .base import AtriumHandler, service_authorized


@functools.cache
def _load() -> dict[str, Any]:
    return json.loads(files(__package__).joinpath("openapi.json").read_text(encoding="utf-8"))


def load_document() -> dict[str, Any]:
    """The document as shipped (a fresh copy: callers may change it)."""
    return copy.deepcopy(_load())


def served_document(base_url: str) -> dict[str, Any]:
    """The document for one server: its base URL and this package's version."""
    doc = load_document()
    doc["info"]["version"] = __version__
    # Paths start with '/atrium/api/': the server URL ends without a slash.
    doc["servers"] = [{"url": base_url.rstrip("/") or "/"}]
    return doc


class OpenAPIHandler(AtriumHandler):
    """``GET /atrium/api/openapi.json``"""

    @tornado.web.authenticated
    @service_authorized
    async def get(self) -> None:
        self.write_json(served_document(self.base_url))
