"""The health formula: pure arithmetic on counts, no database (docs/health.md explains it).

Baseline: nbgallery's model (30-day window). A usage factor ``UF`` grows with distinct users
and runs per cell and scales two rates: the pass rate of the notebook's cells and the mean
execution depth of its sessions (one session = one user on one day)::

    UF     = min(1, 0.75 + 0.25 * log40(10 * (users - 1) + max(1, executions / cells)))
    health = UF * (pass_rate + depth) / 2     healthy >= 0.625, unhealthy <= 0.375
    cell healthy at UF * cell_pass_rate >= 0.75

Atrium's changes, all decided before the numbers reach this module: only the current
version's cells count, each with the history of its id and fingerprint (so unchanged cells
carry over across versions); expected failures (cells tagged ``raises-exception``, or
reported as expected) count neither as a pass nor as a failure; cells tagged ``optional``
are left out of depth (neither the position reached nor the number of cells counts them).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

WINDOW_DAYS = 30
HEALTHY = 0.625
UNHEALTHY = 0.375
CELL_HEALTHY = 0.75
#: Fewer counted runs (passes + failures) than this over the window: too few to judge.
MIN_RUNS = 5
LABELS = ("healthy", "unhealthy", "unknown")


@dataclass(frozen=True)
class CellCounts:
    """One cell of the current version with its runs over the window."""

    cell_id: str
    passes: int = 0
    failures: int = 0
    expected: int = 0
    duration_ms: int = 0
    optional: bool = False

    @property
    def runs(self) -> int:
        """Runs that count for the pass rate (expected failures do not)."""
        return self.passes + self.failures


@dataclass(frozen=True)
class CellHealth:
    cell_id: str
    label: str
    pass_rate: float | None
    score: float | None


@dataclass(frozen=True)
class Health:
    score: float | None
    label: str
    #: The verdict's terms: what the browser puts into the user's language
    #: (src/gallery/healthReason.ts), and what ``reason`` says in English.
    explanation: dict[str, Any]
    usage_factor: float
    pass_rate: float | None
    depth: float | None
    users: int
    executions: int
    sessions: int
    cells: list[CellHealth] = field(default_factory=list)

    @property
    def reason(self) -> str:
        return reason_text(self.explanation)


def usage_factor(users: int, executions: int, cells: int) -> float:
    """nbgallery's UF: 0.75 for one user who ran each cell about once, 1 from 40 "units" of use
    (ten per extra user, one per run of each cell)."""
    per_cell = executions / cells if cells else 0.0
    units = 10 * max(0, users - 1) + max(1.0, per_cell)
    return min(1.0, 0.75 + 0.25 * math.log(units, 40))


def _cell(cell: CellCounts, uf: float) -> CellHealth:
    if cell.runs == 0:
        return CellHealth(cell.cell_id, "unknown", None, None)
    rate = cell.passes / cell.runs
    score = uf * rate
    return CellHealth(
        cell.cell_id, "healthy" if score >= CELL_HEALTHY else "unhealthy", rate, score
    )


def label_of(score: float) -> str:
    if score >= HEALTHY:
        return "healthy"
    if score <= UNHEALTHY:
        return "unhealthy"
    return "unknown"


def compute(cells: Sequence[CellCounts], depths: Sequence[tuple[float, int]], users: int) -> Health:
    """Health from the current version's cells, the sessions as (depth 0..1, how many
    sessions reached it) and the number of distinct users."""
    sessions = sum(count for _depth, count in depths)
    mean_depth = sum(d * count for d, count in depths) / sessions if sessions else None
    passes = sum(cell.passes for cell in cells)
    runs = sum(cell.runs for cell in cells)
    uf = usage_factor(users, runs, len(cells))
    per_cell = [_cell(cell, uf) for cell in cells]
    if runs < MIN_RUNS or mean_depth is None:
        explanation = {
            "kind": "too-few-runs",
            "runs": runs,
            "minRuns": MIN_RUNS,
            "windowDays": WINDOW_DAYS,
        }
        return Health(
            None,
            "unknown",
            explanation,
            uf,
            passes / runs if runs else None,
            mean_depth,
            users,
            runs,
            sessions,
            per_cell,
        )
    rate = passes / runs
    depth = mean_depth
    score = uf * (rate + depth) / 2
    label = label_of(score)
    explanation = {
        "kind": "scored",
        "passRate": rate,
        "runs": runs,
        "depth": depth,
        "sessions": sessions,
        "users": users,
        "failingCells": sum(1 for cell in per_cell if cell.label == "unhealthy"),
        "score": score,
        "label": label,
        "unhealthyAtMost": UNHEALTHY,
        "healthyFrom": HEALTHY,
    }
    return Health(score, label, explanation, uf, rate, depth, users, runs, sessions, per_cell)


def _plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


def reason_text(explanation: dict[str, Any]) -> str:
    """The verdict in English, for API clients and logs. The browser words the same terms in
    the user's language; both are tested against tests/fixtures/health/reasons.json."""
    if explanation.get("kind") == "too-few-runs":
        return (
            f"Too few runs to judge: {explanation['runs']} in the last "
            f"{explanation['windowDays']} days (at least {explanation['minRuns']} are needed)."
        )
    users = int(explanation["users"])
    sessions = int(explanation["sessions"])
    failing = int(explanation["failingCells"])
    words = (
        f"{explanation['passRate']:.0%} of {explanation['runs']} runs passed; sessions got "
        f"through {explanation['depth']:.0%} of the notebook on average "
        f"({sessions} {_plural(sessions, 'session', 'sessions')}, "
        f"{users} {_plural(users, 'user', 'users')})"
    )
    if failing:
        words += f"; {failing} {_plural(failing, 'cell often fails', 'cells often fail')}"
    if explanation["label"] == "unknown":
        words += (
            f". The score {explanation['score']:.2f} lies between "
            f"{explanation['unhealthyAtMost']} and {explanation['healthyFrom']}."
        )
    else:
        words += "."
    return words


def session_depth(reached: int, required: int) -> float:
    """Depth of one session: ``reached`` is the 0-based position of the deepest required cell
    that ran as intended (-1: none), among ``required`` cells not tagged optional."""
    if required <= 0:
        return 1.0
    return min(1.0, max(0, reached + 1) / required)
