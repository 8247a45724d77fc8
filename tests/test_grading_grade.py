"""Official grading end to end against real bubblewrap: the exploit suite. Each hostile
answer targets exercise "square" and must score 0 there, while exercise "cube" (answered
honestly in every case) keeps its full points. Expected values are hidden-test literals:
they never enter the sandbox."""

from __future__ import annotations

import pytest

from jupyterlab_atrium.grading import checks
from jupyterlab_atrium.grading.grade import GradedCell, grade
from jupyterlab_atrium.grading.sandbox import Limits, Sandbox

SQUARE_TESTS = """
### BEGIN HIDDEN TESTS
assert square(3) == 9, "square(3) should be 9"
assert square(-4) == 16
assert isinstance(square(2), int)
### END HIDDEN TESTS
"""
CUBE_ANSWER = "def cube(x):\n    return x ** 3\n"
CUBE_TESTS = "import math\nassert cube(2) == 8\nassert math.isclose(cube(0.1), 0.001)\n"


@pytest.fixture(scope="module")
def sandbox() -> Sandbox:
    return Sandbox(Limits(cpu_seconds=5, step_seconds=30, run_seconds=120))


def notebook(square_answer: str) -> list[GradedCell]:
    return [
        GradedCell("code", "import math"),
        GradedCell("answer", square_answer, "square"),
        GradedCell("tests", SQUARE_TESTS, "square", 2),
        GradedCell("answer", CUBE_ANSWER, "cube"),
        GradedCell("tests", CUBE_TESTS, "cube", 3),
    ]


def scores(result) -> dict[str, float]:
    return {name: entry["score"] for name, entry in result.scores().items()}


def test_an_honest_answer_gets_every_point(sandbox):
    result = grade(sandbox, notebook("def square(x):\n    return x * x\n"), budget_seconds=120)
    assert scores(result) == {"square": 2, "cube": 3}
    assert all(test.passed for test in result.tests)


def test_a_wrong_answer_gets_none_and_the_message_says_why(sandbox):
    result = grade(sandbox, notebook("def square(x):\n    return x + x\n"), budget_seconds=120)
    assert scores(result) == {"square": 0, "cube": 3}
    assert result.tests[0].message == ""  # the cell has no message for students
    assert result.tests[0].detail == "square(3) should be 9: the value: expected 9, got 6"
    assert result.tests[0].line == 3


EXPLOITS = {
    "an __eq__ that always says yes": (
        "class Yes(int):\n    def __eq__(self, other): return True\n"
        "    __hash__ = int.__hash__\n"
        "def square(x):\n    return Yes(0)\n"
    ),
    "AssertionError made harmless": (
        "import builtins\n"
        "class Quiet(BaseException): pass\n"
        "builtins.AssertionError = Quiet\n"
        "def square(x):\n    return 0\n"
    ),
    "isinstance patched to say yes": (
        "import builtins\nbuiltins.isinstance = lambda *a: True\ndef square(x):\n    return 0\n"
    ),
    "a trace function": (
        "import sys\n"
        "def tracer(frame, event, arg):\n    return tracer\n"
        "sys.settrace(tracer)\n"
        "def square(x):\n    return 0\n"
    ),
    "an IPython input transformer that empties later cells": (
        "ip = get_ipython()\n"
        "ip.input_transformers_post.append(lambda lines: [])\n"
        "def square(x):\n    return 0\n"
    ),
    "an IPython event hook": (
        "get_ipython().events.register('pre_run_cell', lambda *a: None)\n"
        "def square(x):\n    return 0\n"
    ),
    "SystemExit before the tests": "def square(x):\n    return 0\nraise SystemExit(0)\n",
    "os._exit before the tests": "import os\ndef square(x):\n    return 0\nos._exit(0)\n",
    "a printed success message": "print('All tests passed!')\ndef square(x):\n    return 0\n",
    "reading the hidden test from memory": (
        "import gc\n"
        "seen = [v for o in gc.get_objects() if isinstance(o, dict) for v in list(o.values())"
        " if isinstance(v, str) and 'square(3)' in v and v.count('square') > 1]\n"
        "def square(x):\n    return {3: 9, -4: 16}.get(x, 0) if seen else 0\n"
    ),
    "an endless loop": "while True:\n    pass\n",
    "a memory bomb": "x = bytearray(8 * 1024**3)\ndef square(x):\n    return 0\n",
    "a fork bomb": (
        "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n"
    ),
    "a gigabyte of output": "while True:\n    print('x' * 100000)\n",
    # Every descriptor the process has, as a student would find them: a fixed range missed
    # the channel when the grading process itself had more than 64 files open.
    "writing a verdict to the channel": (
        "import os\n"
        "for fd in sorted(int(n) for n in os.listdir('/proc/self/fd')):\n"
        "    try:\n"
        '        os.write(fd, b\'{"end": 3, "ok": true, "value": 9}\\n\') if fd > 2 else None\n'
        "    except OSError:\n"
        "        pass\n"
        "def square(x):\n    return 0\n"
    ),
    "reading the service's database": (
        "import glob\nfound = glob.glob('/**/*.sqlite', recursive=True)\n"
        "def square(x):\n    return 9 if found else 0\n"
    ),
    "a network call to the service": (
        "import socket\n"
        "try:\n"
        "    socket.create_connection(('127.0.0.1', 8888), timeout=3)\n"
        "    reached = True\n"
        "except OSError:\n"
        "    reached = False\n"
        "def square(x):\n    return 9 if reached else 0\n"
    ),
}


#: Exploits after which exercise "cube" rightly scores 0 too: tampering with the channel
#: fails everything after it, and a transformer that empties later cells empties the
#: student's own cube answer (the tests run as plain Python, untouched by it).
CUBE_LOST = {
    "writing a verdict to the channel",
    "an IPython input transformer that empties later cells",
}


@pytest.mark.parametrize("name", EXPLOITS)
def test_every_exploit_scores_zero_and_the_rest_is_graded(sandbox, name):
    result = grade(sandbox, notebook(EXPLOITS[name]), budget_seconds=180)
    got = scores(result)
    assert got["square"] == 0, result
    assert got["cube"] == (0 if name in CUBE_LOST else 3), result


def test_literals_stay_out_and_expressions_go_in():
    plan = checks.plan(SQUARE_TESTS)
    first = plan[0]
    assert isinstance(first, checks.Check)
    assert first.left == checks.Probe("square(3)")
    assert first.right == checks.Literal(9)
    assert first.message == "square(3) should be 9"
    assert isinstance(plan[2], checks.Truth)


def test_numpy_and_pandas_testing_calls_are_decided_outside():
    plan = checks.plan(
        "np.testing.assert_allclose(f(x), [1.0, 2.0], rtol=0.01)\n"
        "pd.testing.assert_frame_equal(df, expected_df)\n"
        "helper(x)\n"
    )
    assert isinstance(plan[0], checks.Check) and plan[0].tolerance == 0.01
    assert plan[0].right == checks.Literal([1.0, 2.0])
    assert isinstance(plan[1], checks.Check)
    assert isinstance(plan[2], checks.Run)


def test_a_test_cell_that_is_not_python_fails_with_a_reason(sandbox):
    cells = [GradedCell("answer", "x = 1", "e"), GradedCell("tests", "assert x ==", "e", 1)]
    result = grade(sandbox, cells, budget_seconds=60)
    assert not result.tests[0].passed
    assert "not valid Python" in result.tests[0].detail


def test_probes_and_instructor_code_use_the_builtins_from_before_the_students_code(sandbox):
    answer = (
        "import builtins\n"
        "builtins.isinstance = lambda *a: True\n"
        "builtins.len = lambda x: 3\n"
        "sorted = lambda x: [1, 2, 3]\n"
        "value = 'abcdef'\n"
    )
    cells = [
        GradedCell("answer", answer, "e"),
        GradedCell("tests", "assert isinstance(value, int)", "e", 1),
        GradedCell("tests", "assert len(value) == 3", "e", 1),
        GradedCell("tests", "assert sorted(value) == [1, 2, 3]", "e", 1),
        GradedCell("tests", "n = len(value)\nassert n == 6", "e", 1),
    ]
    result = grade(sandbox, cells, budget_seconds=60)
    assert [test.passed for test in result.tests] == [False, False, False, True]


def test_official_grading_uses_the_warm_runner_it_takes_and_leaves_nothing_behind(sandbox):
    """A runner taken from the pool must run the submission, then be gone with its cgroups
    (a warm runner nobody used had stayed alive, and its cgroups with it)."""
    from pathlib import Path

    from jupyterlab_atrium.grading.pool import WarmPool

    groups = Path("/sys/fs/cgroup/pids")

    def ours() -> set[str]:
        return {p.name for p in groups.glob("atrium-*")} if groups.exists() else set()

    before = ours()
    pool = WarmPool(sandbox, size=1)
    try:
        runner = pool.take()
        result = grade(
            sandbox,
            notebook("def square(x):\n    return x * x\n"),
            budget_seconds=120,
            started=runner,
        )
        assert scores(result) == {"square": 2, "cube": 3}
        assert runner.closed and runner.proc.poll() is not None
    finally:
        pool.close()
    assert ours() <= before


def test_a_grading_handler_warms_its_pool_before_its_first_job():
    """The first submission a worker grades must not pay the sandbox's start either: the
    pool filled only after its first take, so every worker's first grade started cold."""
    import time

    from jupyterlab_atrium.grading.official import SubmissionGrader
    from jupyterlab_atrium.service.grading.config import AtriumGrader

    handler = SubmissionGrader(None, AtriumGrader(), "warm-test")  # type: ignore[arg-type]
    try:
        deadline = time.monotonic() + 120
        while handler.pool.ready < 1:
            assert time.monotonic() < deadline, "the pool never filled"
            time.sleep(0.05)
    finally:
        handler.close()
