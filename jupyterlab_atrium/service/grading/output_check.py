"""Instant checks of expected-output exercises (Ordo-style) without giving the answer away.

The expected output lives only in the instructor version the service holds; a student's
copy never has it (Ordo kept it in the student's notebook). The student's browser sends
what the answer cell printed, the service compares it by the rule official grading uses
(``grading.shown.compare_shown``: whitespace ignored, numbers within the exercise's
tolerance) and answers pass or fail — never the
difference, which would show the expected value. Checks are limited per user and
assignment (``c.AtriumGrader.output_checks_per_minute``) so the answer cannot be found by
asking many times.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from ...errors import AtriumError
from ...grader.analysis import analyse
from ...grader.data import EXERCISE_ID
from ...grading.shown import MAX_SHOWN_CHARS, Expected, compare_shown, expected_of
from ..gallery.store import bad_request, not_found
from .assignments import AssignmentStore, GraderUser, _check_fields
from .config import AtriumGrader

#: The longest output a check compares (characters); longer is refused, not truncated.
MAX_OUTPUT_CHARS = MAX_SHOWN_CHARS
WINDOW_SECONDS = 60.0


def expected_output(notebook: Any, exercise: str) -> Expected:
    """The expected output of ``exercise``'s expected-output cell, checkable from the text
    a browser sends; else 404 (no such exercise) or 409."""
    for info in analyse(notebook).cells:
        grader = info.grader
        if not info.grader_valid or grader is None or info.exercise != exercise:
            continue
        if info.role != "expected-output":
            continue
        expected = expected_of(grader)
        if expected is None or not expected.checkable_as_text:
            # Captured as an image or an HTML table only: the browser sends text.
            raise AtriumError(
                "This exercise's expected output has no text to compare with; "
                "it is graded when you submit.",
                status=409,
                reason="not-checkable",
            )
        return expected
    raise not_found("expected-output exercise")


def _request(body: dict[str, Any]) -> tuple[str, str]:
    _check_fields(body, ("exercise", "output"))
    exercise = body.get("exercise")
    if not isinstance(exercise, str) or not EXERCISE_ID.fullmatch(exercise):
        raise bad_request("'exercise' must be an exercise id (1 to 64 letters, digits, _ or -).")
    output = body.get("output")
    if not isinstance(output, str):
        raise bad_request("'output' must be the text the answer cell printed or displayed.")
    if len(output) > MAX_OUTPUT_CHARS:
        raise AtriumError(
            f"The output is {len(output):,} characters; a check compares at most "
            f"{MAX_OUTPUT_CHARS:,}.",
            status=413,
            reason="too-large",
        )
    return exercise, output


class OutputChecks:
    def __init__(
        self,
        assignments: AssignmentStore,
        config: AtriumGrader,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.assignments = assignments
        self.config = config
        self._clock = clock
        self._lock = threading.Lock()
        self._recent: dict[tuple[str, str], deque[float]] = {}

    def _admit(self, user: str, assignment_id: str) -> int:
        """Count this check, or refuse it (429); returns the checks left in the window."""
        limit = self.config.output_checks_per_minute
        if not limit:
            return -1
        moment = self._clock()
        with self._lock:
            times = self._recent.setdefault((user, assignment_id), deque())
            while times and times[0] <= moment - WINDOW_SECONDS:
                times.popleft()
            if len(times) >= limit:
                wait = max(1, int(times[0] + WINDOW_SECONDS - moment) + 1)
                error = AtriumError(
                    f"More than {limit} output checks of this assignment in a minute; "
                    f"try again in {wait} s (c.AtriumGrader.output_checks_per_minute).",
                    status=429,
                    reason="too-many-checks",
                )
                error.payload = {"retryAfter": wait}
                raise error
            times.append(moment)
            if len(self._recent) > 10_000:
                # Bounded memory: forget users whose windows have passed.
                for key in [k for k, v in self._recent.items() if not v or v[-1] <= moment - 60]:
                    del self._recent[key]
            return limit - len(times)

    def check(self, user: GraderUser, assignment_id: str, body: dict[str, Any]) -> dict[str, Any]:
        exercise, output = _request(body)
        content, version = self.assignments.answer_key(user, assignment_id)
        expected = expected_output(json.loads(content), exercise)
        left = self._admit(user.name, assignment_id)
        verdict = compare_shown(expected, output, None)
        # Only the verdict: its ``why`` names the expected value.
        result: dict[str, Any] = {
            "exercise": exercise,
            "passed": verdict.passed,
            "version": version,
        }
        if left >= 0:
            result["checksLeft"] = left
        return result
