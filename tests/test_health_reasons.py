"""The health verdict's English wording, against the fixture the browser's wording is tested
with (src/gallery/__tests__/healthReason.spec.ts)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jupyterlab_atrium.service.health import formula

FIXTURE = Path(__file__).parent / "fixtures" / "health" / "reasons.json"
CASES = json.loads(FIXTURE.read_text(encoding="utf-8"))["cases"]


@pytest.mark.parametrize("case", CASES, ids=[c["english"][:40] for c in CASES])
def test_reason_text_words_the_terms_as_the_browser_does(case):
    assert formula.reason_text(case["explanation"]) == case["english"]


def test_the_formula_explains_what_it_computed():
    cells = [formula.CellCounts("a", passes=6), formula.CellCounts("b", passes=1, failures=5)]
    health = formula.compute(cells, [(1.0, 2), (0.5, 2)], 2)
    e = health.explanation
    assert e["kind"] == "scored"
    assert (e["runs"], e["sessions"], e["users"], e["failingCells"]) == (12, 4, 2, 1)
    assert e["passRate"] == pytest.approx(7 / 12)
    assert e["depth"] == pytest.approx(0.75)
    assert e["label"] == health.label
    assert e["score"] == health.score
    assert health.reason == formula.reason_text(e)
    json.dumps(e)  # stored as JSON: plain values only


def test_too_few_runs_is_explained():
    health = formula.compute([formula.CellCounts("a", passes=2)], [(1.0, 1)], 1)
    assert health.explanation == {
        "kind": "too-few-runs",
        "runs": 2,
        "minRuns": formula.MIN_RUNS,
        "windowDays": formula.WINDOW_DAYS,
    }
