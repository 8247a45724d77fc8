"""Gradebook endpoints (service API v1; docs/api.md, "Grading API"), all instructors only:
the gradebook with statistics, its CSV export, marks on a submission, regrade."""

from __future__ import annotations

from typing import Any

import tornado.web

from ...base import service_authorized
from ..gallery.handlers import ID
from .gradebook import GradebookStore
from .handlers import AssignmentEndpoint
from .marks import parse_condition, set_mark
from .regrade import regrade
from .roster import roster


class GradebookEndpoint(AssignmentEndpoint):
    @property
    def gradebook(self) -> GradebookStore:
        return GradebookStore(self.atrium_service.database, self.assignments)

    async def roster(self: Any) -> frozenset[str]:
        """The roster; hub-service mode reads its groups with the service's HubAuth."""
        return await roster(self.grader_config, self.settings.get("hub_auth"))


class GradebookJsonEndpoint(GradebookEndpoint):
    """``GET grading/assignments/{id}/gradebook``"""

    @tornado.web.authenticated
    @service_authorized
    async def get(self: Any, assignment_id: str) -> None:
        user = self.instructor()
        self.set_header("Cache-Control", "no-store")
        students = await self.roster()
        self.write_json(await self.call(self.gradebook.gradebook, user, assignment_id, students))


class GradebookCsvEndpoint(GradebookEndpoint):
    """``GET grading/assignments/{id}/gradebook/csv``: nbgrader's export layout."""

    @tornado.web.authenticated
    @service_authorized
    async def get(self: Any, assignment_id: str) -> None:
        user = self.instructor()
        students = await self.roster()
        chunks = await self.call(self.gradebook.csv, user, assignment_id, students)
        self.set_header("Content-Type", "text/csv; charset=UTF-8")
        self.set_header("Content-Disposition", 'attachment; filename="grades.csv"')
        self.set_header("Cache-Control", "no-store")
        for chunk in chunks:
            self.write(chunk)
            await self.flush()
        self.finish()


class MarksEndpoint(AssignmentEndpoint):
    """``PUT grading/submissions/{id}/marks``: an instructor's points and comment; with
    ``If-Match`` (the mark's ``etag``) or ``If-None-Match: *``, only over that mark."""

    @tornado.web.authenticated
    @service_authorized
    async def put(self: Any, submission_id: str) -> None:
        user = self.instructor()
        headers = self.request.headers
        expected = parse_condition(headers.get("If-Match"), headers.get("If-None-Match"))
        body = await self.body()
        database = self.atrium_service.database
        await self.call(set_mark, database, user, submission_id, body, expected)
        self.write_json(await self.call(self.atrium_service.submissions.get, user, submission_id))


class RegradeEndpoint(AssignmentEndpoint):
    """``POST grading/assignments/{id}/regrade``"""

    @tornado.web.authenticated
    @service_authorized
    async def post(self: Any, assignment_id: str) -> None:
        user = self.instructor()
        body = await self.body()
        service = self.atrium_service
        counts = await self.call(
            regrade, service.database, self.assignments, service.queue, user, assignment_id, body
        )
        if counts["queued"]:
            service.local_grading.ensure_started()
        self.write_json(counts, 202)


GRADEBOOK_ENDPOINTS: list[tuple[str, type]] = [
    (f"grading/assignments/{ID}/gradebook", GradebookJsonEndpoint),
    (f"grading/assignments/{ID}/gradebook/csv", GradebookCsvEndpoint),
    (f"grading/assignments/{ID}/regrade", RegradeEndpoint),
    (f"grading/submissions/{ID}/marks", MarksEndpoint),
]
