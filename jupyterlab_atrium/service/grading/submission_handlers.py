"""Submission endpoints (service API v1; docs/api.md, "Grading API"): submit, list one's own
(instructors: everyone's), read one with its grade as the reveal policy allows."""

from __future__ import annotations

from typing import Any

import tornado.web

from ...base import service_authorized
from ..gallery.handlers import ID
from .handlers import AssignmentEndpoint


class SubmissionsEndpoint(AssignmentEndpoint):
    """``GET/POST grading/assignments/{id}/submissions``"""

    @tornado.web.authenticated
    @service_authorized
    async def get(self: Any, assignment_id: str) -> None:
        items = await self.call(
            self.atrium_service.submissions.list, self.grader_user(), assignment_id
        )
        self.write_json({"items": items})

    @tornado.web.authenticated
    @service_authorized
    async def post(self: Any, assignment_id: str) -> None:
        user = self.grader_user()
        body = await self.body()
        receipt = await self.call(self.atrium_service.submissions.submit, user, assignment_id, body)
        self.atrium_service.local_grading.ensure_started()
        self.write_json(receipt, 202)


class SubmissionEndpoint(AssignmentEndpoint):
    """``GET grading/submissions/{id}``"""

    @tornado.web.authenticated
    @service_authorized
    async def get(self: Any, submission_id: str) -> None:
        self.set_header("Cache-Control", "no-store")
        self.write_json(
            await self.call(self.atrium_service.submissions.get, self.grader_user(), submission_id)
        )


SUBMISSION_ENDPOINTS: list[tuple[str, type]] = [
    (f"grading/assignments/{ID}/submissions", SubmissionsEndpoint),
    (f"grading/submissions/{ID}", SubmissionEndpoint),
]
