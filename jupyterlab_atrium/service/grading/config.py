"""The grader's settings, configured as ``c.AtriumGrader`` (embedded and hub-service mode)."""

from __future__ import annotations

from collections.abc import Iterable

from traitlets import Integer, Set, Unicode
from traitlets.config import LoggingConfigurable


class AtriumGrader(LoggingConfigurable):
    """Who may release assignments, and how large an instructor notebook may be."""

    instructors = Set(
        Unicode(),
        config=True,
        help=(
            "User names of instructors: they release, re-release and delete assignments and "
            "read the instructor copies (solutions, hidden tests). Everyone else is a student."
        ),
    )

    instructor_groups = Set(
        Unicode(),
        config=True,
        help=(
            "Hub-service mode: members of these JupyterHub groups are instructors too (the "
            "groups come from the user's hub identity)."
        ),
    )

    students = Set(
        Unicode(),
        config=True,
        help=(
            "The roster: user names of the students. The gradebook lists them all, those who "
            "have not submitted too. Empty (and no student_groups): it lists who submitted."
        ),
    )

    student_groups = Set(
        Unicode(),
        config=True,
        help=(
            "Hub-service mode: JupyterHub groups whose members are on the roster too, read "
            "from the hub's REST API with the service's token (it needs the read:groups "
            "scope). Their instructors are left out."
        ),
    )

    max_notebook_bytes = Integer(
        32 * 1024 * 1024,
        config=True,
        help=(
            "Largest request that releases an assignment, in bytes (the instructor notebook "
            "with its outputs, as JSON). Larger requests get 413."
        ),
    )

    max_submissions = Integer(
        0,
        min=0,
        config=True,
        help="Submissions a student may make per assignment (0: no limit). Every one is kept.",
    )

    submissions_per_hour = Integer(
        60,
        min=0,
        config=True,
        help="Submissions one user may make in an hour, over all assignments (0: no limit).",
    )

    grading_seconds = Integer(
        120,
        min=5,
        config=True,
        help=(
            "Time budget of one submission's official grading, in seconds: an answer that "
            "hangs fails its own tests, and the rest are graded within this budget."
        ),
    )

    local_workers = Integer(
        1,
        min=0,
        config=True,
        help=(
            "Grading workers the service starts itself (threads, each grading in a fresh "
            "sandbox), on the first submission. Hub-service deployments may set 0 and run "
            "`python -m jupyterlab_atrium.grading worker` processes instead."
        ),
    )

    output_checks_per_minute = Integer(
        20,
        min=0,
        config=True,
        help=(
            "Instant checks of expected-output exercises one user may make per assignment "
            "in a minute (0: no limit). Each says only pass or fail, and the limit keeps "
            "the expected output from being found by guessing. Counted per service process."
        ),
    )

    def is_instructor(self, name: str, groups: Iterable[str] = ()) -> bool:
        """The one rule: named in ``instructors`` or a member of an ``instructor_groups``."""
        return name in self.instructors or not self.instructor_groups.isdisjoint(groups)

    def policy(self, name: str, groups: Iterable[str] = ()) -> dict[str, object]:
        """What the frontend needs to know about the grader for one user."""
        return {
            "user": name,
            "instructor": self.is_instructor(name, groups),
            "maxNotebookBytes": self.max_notebook_bytes,
            "apiVersion": 1,
        }
