"""The pass/fail rules, against the shared fixture (tests/fixtures/compare/cases.json), and
against values as they really come out of the sandbox's runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jupyterlab_atrium.grading.compare import DEFAULT_TOLERANCE, compare_text, compare_values

CASES = json.loads((Path(__file__).parent / "fixtures" / "compare" / "cases.json").read_text())


def _id(case: dict) -> str:
    return f"{case['expected']!r:.30} vs {case['actual']!r:.30}"


@pytest.mark.parametrize("case", CASES["values"], ids=_id)
def test_values(case):
    verdict = compare_values(
        case["expected"], case["actual"], case.get("tolerance", DEFAULT_TOLERANCE)
    )
    assert verdict.passed is case["passed"], verdict
    assert verdict.why.startswith(case.get("why", ""))
    assert bool(verdict.why) is not case["passed"]


@pytest.mark.parametrize("case", CASES["text"], ids=_id)
def test_text(case):
    verdict = compare_text(
        case["expected"], case["actual"], case.get("tolerance", DEFAULT_TOLERANCE)
    )
    assert verdict.passed is case["passed"], verdict
    assert verdict.why.startswith(case.get("why", ""))


def test_what_the_runner_sends_compares_as_the_values_it_came_from():
    from jupyterlab_atrium.grading.runner import plain

    np = pytest.importorskip("numpy")
    pd = pytest.importorskip("pandas")
    sent = json.loads(json.dumps(plain([np.arange(3) / 3, pd.DataFrame({"a": [0.1]}), 7])))
    expected = json.loads(
        json.dumps(plain([np.array([0, 1, 2]) / 3, pd.DataFrame({"a": [0.1]}), 7]))
    )
    assert compare_values(expected, sent).passed
    assert not compare_values(expected, sent[:2]).passed


def test_hostile_sizes_give_a_verdict_not_a_crash():
    deep: list = []
    node = deep
    for _ in range(200):
        node.append([])
        node = node[0]
    verdict = compare_values(deep, deep)
    assert not verdict.passed and "deeply" in verdict.why
    long = "x" * 10_000
    assert len(compare_values(long, long + "y").why) < 200
