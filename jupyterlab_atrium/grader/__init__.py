"""The grader's shared rules: the ``metadata.atrium.grader`` model, solution and hidden-test
markers, student-version generation, lint and the exercise summary. Pure logic, no server
code; the browser's twin is src/grader/rules/, and both are tested on tests/fixtures/grader/."""

from .analysis import BLOCKING, Finding, GraderError
from .data import METADATA_VERSION, RULES_FILE, SCHEMA_FILE
from .lint import lint
from .student import student_version
from .summary import summary

__all__ = [
    "BLOCKING",
    "METADATA_VERSION",
    "RULES_FILE",
    "SCHEMA_FILE",
    "Finding",
    "GraderError",
    "lint",
    "student_version",
    "summary",
]
