"""Import and export endpoints (service API v1; docs/api.md, "Grading API").

``POST grading/import`` converts an nbgrader, otter-grader or Ordo notebook into an Atrium
instructor notebook (nothing is stored: the instructor reviews it, then releases it as usual);
``GET grading/assignments/{id}/export?format=nbgrader|nbgrader-release`` writes an assignment's
stored instructor copy for nbgrader. Both are for instructors only; the conversion runs on
the service's worker threads. Malformed notebooks get 422 with the cell and the reason.

The verbs are mixed into ``AssignmentEndpoint`` in handlers.py (its ``GRADING_ENDPOINTS``).
"""

from __future__ import annotations

import json
from typing import Any

import tornado.web

from ...base import query_text, service_authorized
from ...grader.formats import export_notebook, import_notebook
from ..gallery.store import bad_request


def _convert_import(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise bad_request("The body must be a JSON object {format, notebook}.")
    unknown = sorted(set(body) - {"format", "notebook"})
    if unknown:
        raise bad_request(f"Unknown field '{unknown[0]}': send only format and notebook.")
    if "notebook" not in body:
        raise bad_request("'notebook' is required.")
    converted = import_notebook(body.get("format"), body["notebook"])
    return {"format": body["format"], **converted.to_json()}


def _convert_export(fmt: str, content: str) -> dict[str, Any]:
    converted = export_notebook(fmt, json.loads(content))
    return {"format": fmt, **converted.to_json()}


class ImportVerbs:
    """``POST grading/import``: {format, notebook} → {format, notebook, findings}."""

    @tornado.web.authenticated
    @service_authorized
    async def post(self: Any) -> None:
        self.instructor()
        body = await self.body()
        result = await self.call(_convert_import, body)
        self.set_header("Cache-Control", "no-store")
        self.write_json(result)


class ExportVerbs:
    """``GET grading/assignments/{id}/export?format=``: the latest version, converted."""

    @tornado.web.authenticated
    @service_authorized
    async def get(self: Any, assignment_id: str) -> None:
        user = self.instructor()
        fmt = query_text(self, "format", "nbgrader")
        content, version = await self.call(
            self.assignments.notebook, user, assignment_id, "instructor"
        )
        result = await self.call(_convert_export, fmt, content)
        self.set_header("Cache-Control", "no-store")
        self.write_json({**result, "version": version})
