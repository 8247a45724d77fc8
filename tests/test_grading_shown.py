"""Expected-output exercises in official grading, against real bubblewrap: the sandboxed
runner returns what an answer cell showed as plain data, and the worker compares it with the
expected output (which never enters the sandbox) by the practice check's own rule.

Exercise "mean" expects ``4.0``; exercise "cube" is answered honestly in every case and must
keep its points, whatever the "mean" answer does.
"""

from __future__ import annotations

import pandas as pd
import pytest

from jupyterlab_atrium.grading.grade import SHOWN_MESSAGE, GradedCell, grade
from jupyterlab_atrium.grading.rebuild import from_answers
from jupyterlab_atrium.grading.sandbox import Limits, Sandbox
from jupyterlab_atrium.grading.shown import (
    MAX_SHOWN_CHARS,
    Expected,
    compare_shown,
    expected_of,
    html_tables,
    shown_text,
)

CUBE = [
    GradedCell("answer", "def cube(x):\n    return x ** 3\n", "cube"),
    GradedCell("tests", "assert cube(2) == 8\n", "cube", 3),
]
MEAN = Expected("4.0", None, 1e-6)


@pytest.fixture(scope="module")
def sandbox() -> Sandbox:
    return Sandbox(Limits(cpu_seconds=5, step_seconds=30, run_seconds=120))


def notebook(answer: str, expected: Expected | None = MEAN) -> list[GradedCell]:
    return [
        GradedCell("setup", "data = [3, 4, 5]"),
        GradedCell("shown", answer, "mean", 2, expected=expected),
        *CUBE,
    ]


def run(sandbox: Sandbox, answer: str, expected: Expected | None = MEAN, cube: float = 3):
    result = grade(sandbox, notebook(answer, expected), budget_seconds=180)
    scores = {name: entry["score"] for name, entry in result.scores().items()}
    assert scores["cube"] == cube, result  # the honest exercise keeps its points
    return scores["mean"], result.tests[0]


HONEST = {
    "printed": "print(sum(data) / len(data))",
    "the cell's result": "sum(data) / len(data)",
    "displayed": "display(sum(data) / len(data))",
    "printed by a function defined and called here": (
        "def report():\n    print(sum(data) / len(data))\nreport()"
    ),
    "within the tolerance": "print(4.0000001)",
    "with other whitespace": "print('  4.0  \\n')",
}


@pytest.mark.parametrize("name", HONEST)
def test_what_the_cell_shows_is_graded(sandbox, name):
    score, test = run(sandbox, HONEST[name])
    assert score == 2, test


EXPLOITS = {
    "the expected text and a fake success line": (
        "print(sum(data) / len(data))\nprint('All tests passed!')"
    ),
    "a fake success line only": "print('All tests passed! 2/2 points')",
    "the result hidden by a trailing semicolon": "sum(data) / len(data);",
    "a repr returning a str whose methods lie": (
        "class Lying(str):\n"
        "    def split(self, *a): return ['4.0']\n"
        "    def __eq__(self, other): return True\n"
        "    def __len__(self): return 0\n"
        "class Value:\n"
        "    def __repr__(self): return Lying('7.5')\n"
        "Value()"
    ),
    "a repr that is not text": "class Value:\n    def __repr__(self): return 4.0\nValue()",
    "a mime bundle whose lookups lie": (
        "class Lying(dict):\n"
        "    def get(self, key, default=None): return '4.0'\n"
        "    def __getitem__(self, key): return '4.0'\n"
        "class Value:\n"
        "    def _repr_mimebundle_(self, include=None, exclude=None):\n"
        "        return Lying({'text/plain': '7.5'})\n"
        "Value()"
    ),
    "the right output, then an error": "print(4.0)\nraise ValueError('oops')",
    "the right output, then exit": "print(4.0)\nraise SystemExit(0)",
    "a flood of output": "while True:\n    print('4.0')",
    "more than the cap at once": f"print('4.0 ' * {MAX_SHOWN_CHARS})",
    "a flood of displays": "for _ in range(200_000):\n    display('4.0')",
    "a forged end on the channel": (
        "import os\n"
        "for fd in range(3, 64):\n"
        "    try:\n"
        '        os.write(fd, b\'{"end": 1, "ok": true, "value": {"outputs": [{"output_type":'
        ' "stream", "name": "stdout", "text": "4.0"}], "truncated": false}}\\n\')\n'
        "    except OSError:\n"
        "        pass\n"
    ),
}


#: Tampering with the channel fails every step after it (test_grading_grade.py's rule).
CUBE_LOST = {"a forged end on the channel"}


@pytest.mark.parametrize("name", EXPLOITS)
def test_every_exploit_scores_zero_and_the_rest_is_graded(sandbox, name):
    score, test = run(sandbox, EXPLOITS[name], cube=0 if name in CUBE_LOST else 3)
    assert score == 0, test
    assert test.message == SHOWN_MESSAGE


def test_a_failure_says_what_differed_only_in_the_detail(sandbox):
    score, test = run(sandbox, "print(sum(data) / len(data))\nprint('All tests passed!')")
    assert score == 0
    assert "4.0" not in test.message
    assert test.detail == "the output goes on: 'All' was not expected"


def test_tables_are_compared_cell_by_cell(sandbox):
    frame = "pd.DataFrame({'a': [1.0, 2.5], 'b': ['x', 'y']})"
    shown = pd.DataFrame({"a": [1.0, 2.5], "b": ["x", "y"]})  # what `frame` makes
    as_text = Expected(repr(shown), None, 1e-6)
    styled = expected_of(
        {
            "expected": {
                "text/plain": "<pandas.io.formats.style.Styler at 0x7f0011223344>",
                "text/html": shown.style.to_html(),
            },
            "tolerance": 1e-3,
        }
    )
    assert styled is not None and styled.tables is not None
    assert styled.tables[0][1:] == ([["0", "1.000000", "x"], ["1", "2.500000", "y"]]), styled.tables
    setup = "import pandas as pd"
    for answer, expected, points in (
        (frame, as_text, 2),
        (frame.replace("2.5", "2.6"), as_text, 0),
        (f"{frame}.style", styled, 2),
        (f"{frame}.style".replace("2.5", "2.5001"), styled, 2),  # within 1e-3
        (f"{frame}.style".replace("'y'", "'z'"), styled, 0),
        (f"print({frame})", styled, 0),  # compared as tables, and none was shown
    ):
        cells = [GradedCell("setup", setup), *notebook(answer, expected)[1:]]
        result = grade(sandbox, cells, budget_seconds=180)
        assert result.scores()["mean"]["score"] == points, (answer, result.tests[0])


def test_an_exercise_without_a_captured_output_fails_with_a_reason(sandbox):
    score, test = run(sandbox, "print(4.0)", expected=None)
    assert score == 0 and "captured no expected output" in test.detail


def test_the_rebuilt_notebook_grades_expected_output_answers_on_what_they_show():
    """The service's rebuild turns an expected-output exercise into a "shown" cell with the
    instructor copy's expected output and points (it was an ordinary answer, never graded)."""
    from .test_grading_submissions import answered, instructor_notebook

    student = answered("")
    cells = from_answers(instructor_notebook(), student, {"q3": "print(144)"}, []).cells
    shown = [cell for cell in cells if cell.exercise == "q3"]
    assert len(shown) == 1 and shown[0].kind == "shown" and shown[0].points == 1
    assert shown[0].source == "print(144)"
    assert shown[0].expected == Expected("144 ATRIUM-EXPECTED-CANARY", None, 0.001)


def test_the_practice_and_official_comparisons_are_one_rule():
    expected = Expected("144 ATRIUM-EXPECTED-CANARY", None, 0.001)
    outputs = [
        {"output_type": "stream", "name": "stdout", "text": ["144 "]},
        {"output_type": "stream", "name": "stderr", "text": "a warning\n"},
        {"output_type": "display_data", "data": {"text/plain": "ATRIUM-EXPECTED-CANARY"}},
    ]
    text = shown_text(outputs)
    assert text == "144 ATRIUM-EXPECTED-CANARY\n"
    assert compare_shown(expected, text, None).passed
    assert not compare_shown(expected, "145 ATRIUM-EXPECTED-CANARY", None).passed


def test_hostile_html_gives_tables_or_nothing_never_an_error():
    assert html_tables("<table><tr><td>1<td>2</tr><tr><td>3</table>") == [[["1", "2"], ["3"]]]
    assert html_tables("<table><tr><td><table><tr><td>in</table> out</td></tr></table>") == [
        [["in out"]]
    ]
    for hostile in ("<table", "</table></table><tr><td>x", "<![CDATA[", "<table>" * 10_000):
        assert isinstance(html_tables(hostile), list)
