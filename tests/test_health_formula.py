"""The health formula (service/health/formula.py) with hand-computed cases at the thresholds."""

from __future__ import annotations

import math

import pytest

from jupyterlab_atrium.service.health.formula import (
    CellCounts,
    compute,
    label_of,
    session_depth,
    usage_factor,
)

# Five users: 10 * (5 - 1) = 40 units, log40(40) = 1, so UF = 0.75 + 0.25 = 1 (capped).
MANY = 5


def cells(*counts: tuple[int, int], optional: tuple[int, ...] = ()) -> list[CellCounts]:
    return [
        CellCounts(f"c{i}", passes=p, failures=f, optional=i in optional)
        for i, (p, f) in enumerate(counts)
    ]


def test_usage_factor_by_hand():
    # One user who ran each cell once: units = max(1, 3 / 3) = 1, log40(1) = 0.
    assert usage_factor(1, 3, 3) == 0.75
    # Two users, no runs yet: units = 10 + 1 = 11; 0.75 + 0.25 * ln 11 / ln 40 = 0.912508...
    assert usage_factor(2, 0, 3) == pytest.approx(0.75 + 0.25 * math.log(11) / math.log(40))
    assert usage_factor(2, 0, 3) == pytest.approx(0.912508, abs=1e-6)
    # One user, 40 runs per cell: exactly 1; more users or runs stay capped at 1.
    assert usage_factor(1, 120, 3) == pytest.approx(1.0)
    assert usage_factor(MANY, 10_000, 3) == 1.0
    # A notebook without code cells does not divide by zero.
    assert usage_factor(1, 0, 0) == 0.75


def test_thresholds_are_inclusive():
    assert label_of(0.625) == "healthy"
    assert label_of(0.6249) == "unknown"
    assert label_of(0.375) == "unhealthy"
    assert label_of(0.3751) == "unknown"


def test_healthy_at_exactly_0_625():
    # Pass rate 1/4, every session went through the whole notebook: 1 * (0.25 + 1) / 2.
    health = compute(cells((1, 3), (1, 3)), [(1.0, 4)], MANY)
    assert health.pass_rate == 0.25 and health.depth == 1.0
    assert health.score == 0.625
    assert health.label == "healthy"


def test_unhealthy_at_exactly_0_375():
    # Pass rate 1/2, sessions got a quarter of the way on average: (0.5 + 0.25) / 2.
    health = compute(cells((2, 2), (2, 2)), [(0.0, 3), (1.0, 1)], MANY)
    assert health.depth == 0.25
    assert health.score == 0.375
    assert health.label == "unhealthy"


def test_between_the_thresholds_is_unknown_with_the_score_in_words():
    health = compute(cells((2, 2), (2, 2)), [(0.5, 2)], MANY)
    assert health.score == 0.5
    assert health.label == "unknown"
    assert "between 0.375 and 0.625" in health.reason


def test_usage_factor_scales_a_perfect_notebook_run_once_by_one_user():
    # 5 cells run once each, all passed, one session through all of them: UF 0.75, score 0.75.
    health = compute(cells(*[(1, 0)] * 5), [(1.0, 1)], 1)
    assert health.usage_factor == 0.75
    assert health.score == 0.75 and health.label == "healthy"
    assert "100% of 5 runs passed" in health.reason


def test_cell_threshold_0_75():
    health = compute(cells((3, 1), (74, 26), (1, 0)), [(1.0, 1)], MANY)
    by_id = {cell.cell_id: cell for cell in health.cells}
    assert by_id["c0"].score == 0.75 and by_id["c0"].label == "healthy"
    assert by_id["c1"].score == 0.74 and by_id["c1"].label == "unhealthy"
    # One user, one run: UF 0.75 * pass 1.0 = 0.75, just healthy.
    alone = compute(cells((1, 0)), [(1.0, 1)], 1)
    assert alone.cells[0].score == 0.75 and alone.cells[0].label == "healthy"


def test_too_few_runs_is_unknown():
    health = compute(cells((2, 0), (2, 0)), [(1.0, 1)], 1)
    assert health.executions == 4
    assert health.score is None and health.label == "unknown"
    assert "Too few runs" in health.reason
    # Runs, but no session with a depth: unknown as well.
    assert compute(cells((5, 0)), [], 1).label == "unknown"


def test_expected_failures_count_neither_way():
    raising = CellCounts("c0", passes=0, failures=0, expected=50)
    plain = CellCounts("c1", passes=5, failures=0)
    health = compute([raising, plain], [(1.0, 1)], MANY)
    assert health.executions == 5
    assert health.pass_rate == 1.0
    assert health.cells[0].label == "unknown"  # it only ever failed as it should
    # Four passes and many expected failures: still too few runs.
    assert compute([raising, CellCounts("c1", passes=4)], [(1.0, 1)], MANY).label == "unknown"


def test_session_depth_counts_only_required_cells():
    # Cells: c0, c1 (optional), c2 -> required positions c0=0, c2=1. Reaching c2 is all.
    assert session_depth(1, 2) == 1.0
    assert session_depth(0, 2) == 0.5
    assert session_depth(-1, 2) == 0.0
    # Every cell optional: nothing can be missed.
    assert session_depth(-1, 0) == 1.0


def test_weighted_sessions():
    # 3 sessions at depth 1 and one at 0: mean 0.75; pass rate 1 -> (1 + 0.75) / 2 = 0.875.
    health = compute(cells((10, 0)), [(1.0, 3), (0.0, 1)], MANY)
    assert health.sessions == 4
    assert health.depth == 0.75
    assert health.score == 0.875
