"""The assignment endpoints (service API v1; see docs/api.md, "Grading API").

Mixed with the deployment mode's handler base by ``service.handlers.build_routes`` like the
gallery's: the base authenticates and says who is asking (``atrium_user``) and in which hub
groups (``atrium_groups``); ``AtriumGrader.is_instructor`` decides the role. Instructor-only
verbs refuse students (403) before reading the body.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import tornado.web

from ...base import service_authorized
from ...errors import AtriumError
from ..gallery.handlers import ID, GalleryEndpoint
from ..gallery.store import etag
from .assignments import GraderUser, require_instructor
from .interop_handlers import ExportVerbs, ImportVerbs

if TYPE_CHECKING:
    from .assignments import AssignmentStore
    from .config import AtriumGrader


class AssignmentEndpoint(GalleryEndpoint):
    """The gallery's body parsing, JSON errors and conflict replies, for assignments."""

    @property
    def assignments(self) -> AssignmentStore:
        return self.atrium_service.assignments

    @property
    def grader_config(self) -> AtriumGrader:
        return self.atrium_service.grader_config

    def grader_user(self: Any) -> GraderUser:
        name = self.atrium_user().name
        return GraderUser(name, self.grader_config.is_instructor(name, self.atrium_groups()))

    def instructor(self: Any) -> GraderUser:
        user = self.grader_user()
        require_instructor(user)
        return user

    def body_limit(self) -> int:
        return self.grader_config.max_notebook_bytes

    def body_too_large(self, size: int | None, limit: int) -> AtriumError:
        told = f"The request is {size / 2**20:.1f} MiB; " if size is not None else ""
        return AtriumError(
            f"{told}Assignments are released in requests of up to {limit / 2**20:.1f} MiB "
            "(c.AtriumGrader.max_notebook_bytes).",
            status=413,
            reason="too-large",
        )

    if_match_hint = (
        "Send the ETag of the assignment version you are replacing in an If-Match "
        'header ("v<version>", as the service sent it).'
    )

    def write_release(self: Any, summary: Any, findings: list[Any], status: int) -> None:
        """A release's summary with lint's warnings (instructors only get here)."""
        self.set_header("ETag", summary.etag)
        self.write_json({**summary, "findings": findings}, status)


class GradingPolicyEndpoint(AssignmentEndpoint):
    """``GET grading/policy``: the requester's role and the limits."""

    @tornado.web.authenticated
    @service_authorized
    async def get(self: Any) -> None:
        user = self.atrium_user()
        self.write_json(self.grader_config.policy(user.name, self.atrium_groups()))


class AssignmentsEndpoint(AssignmentEndpoint):
    """``GET grading/assignments`` (everyone) and ``POST grading/assignments`` (release)."""

    @tornado.web.authenticated
    @service_authorized
    async def get(self: Any) -> None:
        items = await self.call(self.assignments.list, self.grader_user())
        self.write_json({"items": items})

    @tornado.web.authenticated
    @service_authorized
    async def post(self: Any) -> None:
        user = self.instructor()
        body = await self.body()
        summary, findings = await self.call(self.assignments.release, user, body)
        self.write_release(summary, findings, 201)


class AssignmentItemEndpoint(AssignmentEndpoint):
    """``GET/PUT/DELETE grading/assignments/{id}``"""

    @tornado.web.authenticated
    @service_authorized
    async def get(self: Any, assignment_id: str) -> None:
        summary = await self.call(self.assignments.get, self.grader_user(), assignment_id)
        self.write_summary(summary)

    @tornado.web.authenticated
    @service_authorized
    async def put(self: Any, assignment_id: str) -> None:
        user = self.instructor()
        expected = self.if_match()
        body = await self.body()
        summary, findings = await self.call(
            self.assignments.rerelease, user, assignment_id, expected, body
        )
        self.write_release(summary, findings, 200)

    @tornado.web.authenticated
    @service_authorized
    async def delete(self: Any, assignment_id: str) -> None:
        user = self.instructor()
        expected = self.if_match(required=False)
        await self.call(self.assignments.delete, user, assignment_id, expected)
        self.set_status(204)
        self.finish()


class AssignmentCopyEndpoint(AssignmentEndpoint):
    """``GET grading/assignments/{id}/student`` and ``.../instructor``: a notebook."""

    copy = "student"

    @tornado.web.authenticated
    @service_authorized
    async def get(self: Any, assignment_id: str) -> None:
        user = self.instructor() if self.copy == "instructor" else self.grader_user()
        content, version = await self.call(
            self.assignments.notebook, user, assignment_id, self.copy
        )
        self.set_header("ETag", etag(version))
        self.set_header("Content-Type", "application/json; charset=UTF-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(content)


class StudentCopyEndpoint(AssignmentCopyEndpoint):
    copy = "student"


class InstructorCopyEndpoint(AssignmentCopyEndpoint):
    copy = "instructor"


class OutputCheckEndpoint(AssignmentEndpoint):
    """``POST grading/assignments/{id}/output-check``: an expected-output exercise checked
    without the answer leaving the service (output_check.py)."""

    @tornado.web.authenticated
    @service_authorized
    async def post(self: Any, assignment_id: str) -> None:
        user = self.grader_user()
        body = await self.body()
        result = await self.call(self.atrium_service.output_checks.check, user, assignment_id, body)
        self.set_header("Cache-Control", "no-store")
        self.write_json(result)


class ImportEndpoint(ImportVerbs, AssignmentEndpoint):
    """``POST grading/import`` (interop_handlers.py)"""


class ExportEndpoint(ExportVerbs, AssignmentEndpoint):
    """``GET grading/assignments/{id}/export`` (interop_handlers.py)"""


GRADING_ENDPOINTS: list[tuple[str, type]] = [
    ("grading/policy", GradingPolicyEndpoint),
    ("grading/assignments", AssignmentsEndpoint),
    (f"grading/assignments/{ID}", AssignmentItemEndpoint),
    (f"grading/assignments/{ID}/student", StudentCopyEndpoint),
    (f"grading/assignments/{ID}/instructor", InstructorCopyEndpoint),
    (f"grading/assignments/{ID}/output-check", OutputCheckEndpoint),
    ("grading/import", ImportEndpoint),
    (f"grading/assignments/{ID}/export", ExportEndpoint),
]
