"""Rebuilding the graded notebook from the instructor copy and hostile submissions: only
answers come from the submission, and nothing it holds crashes the rebuild. The last test
grades rebuilt notebooks for real, in the sandbox."""

from __future__ import annotations

import copy

import pytest

from jupyterlab_atrium.grader.student import student_version
from jupyterlab_atrium.grading.grade import grade
from jupyterlab_atrium.grading.rebuild import MAX_ANSWER_CHARS, rebuild
from jupyterlab_atrium.grading.sandbox import Limits, Sandbox


def cell(source: str, grader: dict | None = None, kind: str = "code") -> dict:
    metadata = {"atrium": {"grader": {"version": 1, **grader}}} if grader else {}
    out = {"cell_type": kind, "metadata": metadata, "source": source}
    if kind == "code":
        out.update(outputs=[], execution_count=None)
    return out


INSTRUCTOR = {
    "nbformat": 4,
    "nbformat_minor": 5,
    "metadata": {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
    },
    "cells": [
        cell("# Squares", kind="markdown"),
        cell("import math", {"role": "instructions"}),
        cell(
            "def square(x):\n    ### BEGIN SOLUTION\n    return x * x\n    ### END SOLUTION\n",
            {"role": "answer", "exercise": "q1"},
        ),
        cell(
            "assert square(2) == 4\n"
            "### BEGIN HIDDEN TESTS\n"
            "assert square(-3) == 9\n"
            "### END HIDDEN TESTS\n",
            {"role": "tests", "exercise": "q1", "points": 2},
        ),
        cell("TEACHER-NOTE", {"role": "notes"}),
        cell(
            "def cube(x):\n    ### BEGIN SOLUTION\n    return x ** 3\n    ### END SOLUTION\n",
            {"role": "answer", "exercise": "q2"},
        ),
        cell("assert cube(2) == 8", {"role": "tests", "exercise": "q2", "points": 3}),
    ],
}
STUDENT = student_version(INSTRUCTOR)


def submission(q1: str | None = "def square(x):\n    return x * x\n", q2: str | None = None):
    sub = copy.deepcopy(STUDENT)
    for c in sub["cells"]:
        grader = c["metadata"].get("atrium", {}).get("grader", {})
        if grader.get("exercise") == "q1" and grader.get("role") == "answer" and q1 is not None:
            c["source"] = q1
        if grader.get("exercise") == "q2" and grader.get("role") == "answer" and q2 is not None:
            c["source"] = q2
    return sub


def kinds(rebuilt) -> list[tuple[str, str | None]]:
    return [(c.kind, c.exercise) for c in rebuilt.cells]


def test_the_instructor_copy_gives_everything_but_the_answers():
    rebuilt = rebuild(INSTRUCTOR, STUDENT, submission())
    assert kinds(rebuilt) == [
        ("setup", None),
        ("answer", "q1"),
        ("tests", "q1"),
        ("answer", "q2"),
        ("tests", "q2"),
    ]
    assert "square(-3) == 9" in rebuilt.cells[2].source  # hidden tests come from the store
    assert rebuilt.cells[1].source == "def square(x):\n    return x * x\n"
    assert "raise NotImplementedError" in rebuilt.cells[3].source  # q2 left as its stub
    assert all("TEACHER-NOTE" not in c.source for c in rebuilt.cells)
    assert rebuilt.cells[2].points == 2


def test_the_submissions_tests_are_never_used():
    sub = submission()
    for c in sub["cells"]:
        if c["metadata"].get("atrium", {}).get("grader", {}).get("role") == "tests":
            c["source"] = "pass"
            c["metadata"]["atrium"]["grader"]["points"] = 100
    rebuilt = rebuild(INSTRUCTOR, STUDENT, sub)
    tests = [c for c in rebuilt.cells if c.kind == "tests"]
    assert [t.source.split("\n")[0] for t in tests] == [
        "assert square(2) == 4",
        "assert cube(2) == 8",
    ]
    assert [t.points for t in tests] == [2, 3]


HOSTILE = {
    "not a notebook": "just text",
    "cells not a list": {"cells": {"0": {}}},
    "cells not objects": {"cells": [1, None, "x", []]},
    "answer deleted": {"cells": []},
    "answer turned into markdown": {
        "cells": [
            cell("def square(x): return x*x", {"role": "answer", "exercise": "q1"}, "markdown")
        ]
    },
    "grader metadata removed": {"cells": [cell("def square(x): return x*x")]},
    "source not text": {
        "cells": [cell("x", {"role": "answer", "exercise": "q1"}) | {"source": 42}]
    },
    "exercise id not text": {"cells": [cell("x", {"role": "answer", "exercise": ["q1"]})]},
    "metadata not an object": {
        "cells": [{"cell_type": "code", "metadata": "atrium", "source": "x"}]
    },
    "huge answer": {
        "cells": [cell("#" * (MAX_ANSWER_CHARS + 1), {"role": "answer", "exercise": "q1"})]
    },
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_submissions_get_stubs_and_notes(name):
    rebuilt = rebuild(INSTRUCTOR, STUDENT, HOSTILE[name])
    assert kinds(rebuilt) == kinds(rebuild(INSTRUCTOR, STUDENT, submission()))
    q1 = rebuilt.cells[1]
    assert "raise NotImplementedError" in q1.source
    assert rebuilt.notes


def test_reordered_and_duplicated_answers():
    sub = submission(
        q1="def square(x):\n    return x * x\n", q2="def cube(x):\n    return x ** 3\n"
    )
    answers = [
        c
        for c in sub["cells"]
        if c["metadata"].get("atrium", {}).get("grader", {}).get("role") == "answer"
    ]
    duplicate = copy.deepcopy(answers[0])
    duplicate["source"] = "def square(x):\n    return 0\n"
    sub["cells"] = [answers[1], answers[0], duplicate, cell("print('scratch')")]
    rebuilt = rebuild(INSTRUCTOR, STUDENT, sub)
    assert rebuilt.cells[1].source == "def square(x):\n    return x * x\n"
    assert rebuilt.cells[3].source == "def cube(x):\n    return x ** 3\n"
    assert any("another answer cell" in note for note in rebuilt.notes)
    assert all("scratch" not in c.source for c in rebuilt.cells)


def test_rebuilt_submissions_are_graded_in_the_sandbox():
    sandbox = Sandbox(Limits(step_seconds=30, run_seconds=120))
    full = rebuild(INSTRUCTOR, STUDENT, submission(q2="def cube(x):\n    return x ** 3\n"))
    assert grade(sandbox, full.cells, budget_seconds=120).scores() == {
        "q1": {"score": 2, "points": 2},
        "q2": {"score": 3, "points": 3},
    }
    empty = rebuild(INSTRUCTOR, STUDENT, {"cells": []})
    assert grade(sandbox, empty.cells, budget_seconds=120).scores() == {
        "q1": {"score": 0, "points": 2},
        "q2": {"score": 0, "points": 3},
    }
