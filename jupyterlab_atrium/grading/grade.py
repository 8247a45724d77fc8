"""Grade a rebuilt notebook: its cells in order, the student's answers run in the sandbox,
the instructor's checks decided here from plain values (``checks.py``).

The input is the notebook as the service rebuilt it from its own instructor copy — only
answer cells come from the submission — as a list of ``GradedCell``. Every test cell is
worth its points when all of its checks pass and none of its code raised; an exercise
scores the points of its passing test cells.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import checks
from .compare import Verdict
from .resilient import run_all
from .sandbox import Sandbox, Started, Step, StepResult
from .shown import Expected, compare_shown, read_shown

#: What a student reads when an expected-output answer fails (whatever the reveal policy):
#: the difference itself names the expected output, so it is only in ``detail``.
SHOWN_MESSAGE = "The output does not match the expected output."


@dataclass(frozen=True)
class GradedCell:
    #: "answer" (the student's) and "setup" (the instructor copy's instructions and
    #: ordinary code, which may hold magics), run through IPython as in a notebook; "code"
    #: (instructor code run as plain Python); "tests"; or "shown": the answer of an
    #: expected-output exercise, whose shown output is compared with ``expected`` here.
    kind: str
    source: str
    exercise: str | None = None
    points: float = 0.0
    #: A tests cell's message for students (its grader metadata's ``message``).
    message: str | None = None
    #: A "shown" cell's expected output (None: the instructor captured none). It stays in
    #: the worker: only the cell's source enters the sandbox.
    expected: Expected | None = None


@dataclass
class TestResult:
    exercise: str
    points: float
    passed: bool
    #: The tests cell's message for students (public in the student version).
    message: str = ""
    #: The failing check's own message and what differed (``expected 9, got 4``): they may
    #: quote a hidden test, so only a reveal policy that shows the tests shows them.
    detail: str = ""
    line: int | None = None


@dataclass
class Grade:
    tests: list[TestResult] = field(default_factory=list)
    status: str = "ok"
    seconds: float = 0.0

    def scores(self) -> dict[str, dict[str, float]]:
        out: dict[str, dict[str, float]] = {}
        for test in self.tests:
            entry = out.setdefault(test.exercise, {"score": 0.0, "points": 0.0})
            entry["points"] += test.points
            if test.passed:
                entry["score"] += test.points
        return out


@dataclass
class _Pending:
    """A test cell's items, with where each probe's value will be among the steps (or, for
    a "shown" cell, where its output will be)."""

    cell: GradedCell
    items: list[tuple[checks.Item, list[int]]]
    error: str | None = None
    shown: int | None = None


def _steps(cells: list[GradedCell]) -> tuple[list[Step], list[_Pending]]:
    steps: list[Step] = []
    pending: list[_Pending] = []
    for cell in cells:
        if cell.kind == "shown":
            pending.append(_Pending(cell, [], shown=len(steps)))
            steps.append(Step.show(cell.source))
            continue
        if cell.kind in ("answer", "setup"):
            steps.append(Step.cell(cell.source))
            continue
        if cell.kind == "code":
            steps.append(Step.code(cell.source))
            continue
        try:
            plan = checks.plan(cell.source)
        except checks.PlanError as err:
            pending.append(_Pending(cell, [], str(err)))
            continue
        items: list[tuple[checks.Item, list[int]]] = []
        for item in plan:
            where: list[int] = []
            if isinstance(item, checks.Run):
                where.append(len(steps))
                steps.append(Step.code(item.source))
            elif isinstance(item, checks.Truth):
                where.append(len(steps))
                steps.append(Step.probe(item.subject.expression))
            else:
                for side in (item.left, item.right):
                    if isinstance(side, checks.Probe):
                        where.append(len(steps))
                        steps.append(Step.probe(side.expression))
            items.append((item, where))
        pending.append(_Pending(cell, items))
    return steps, pending


def _verdict(item: checks.Item, where: list[int], results: list[StepResult | None]) -> Verdict:
    if isinstance(item, checks.Run):
        found = results[where[0]]
        if found is not None and found.ok:
            return Verdict(True)
        error = found.error if found is not None else "not run"
        return Verdict(False, f"line {item.line}: {error}")
    if isinstance(item, checks.Truth):
        found = results[where[0]]
        if found is None or not found.ok:
            return Verdict(False, f"line {item.line}: {found.error if found else 'not run'}")
        return checks.decide(item, found.value)
    slots = iter(where)
    values = []
    for side in (item.left, item.right):
        if isinstance(side, checks.Literal):
            values.append(side.value)
            continue
        found = results[next(slots)]
        if found is None or not found.ok:
            return Verdict(False, f"line {item.line}: {found.error if found else 'not run'}")
        values.append(found.value)
    return checks.decide(item, values[0], values[1])


def _shown_verdict(cell: GradedCell, found: StepResult | None) -> Verdict:
    """An expected-output answer: what the cell showed (plain data from the sandbox) against
    the expected output, by the practice check's own rule (``shown.compare_shown``)."""
    if cell.expected is None:
        return Verdict(False, "the instructor captured no expected output for this exercise")
    if found is None or not found.ok:
        return Verdict(False, f"the cell failed: {found.error if found else 'not run'}")
    read = read_shown(found.value)
    if isinstance(read, str):
        return Verdict(False, read)
    text, tables = read
    return compare_shown(cell.expected, text, tables)


def grade(
    sandbox: Sandbox,
    cells: list[GradedCell],
    *,
    budget_seconds: float,
    started: Started | None = None,
) -> Grade:
    """``started``: a warm runner (a pool's) for the first run; it is used or discarded."""
    steps, pending = _steps(cells)
    if not steps and started is not None:
        sandbox.discard(started)
    run = run_all(sandbox, steps, budget_seconds=budget_seconds, started=started) if steps else None
    results: list[StepResult | None] = list(run.steps) if run else []
    out = Grade(status=run.status if run else "ok", seconds=run.seconds if run else 0.0)
    for entry in pending:
        cell = entry.cell
        exercise = cell.exercise or ""
        if entry.error is not None:
            out.tests.append(TestResult(exercise, cell.points, False, detail=entry.error))
            continue
        if entry.shown is not None:
            verdict = _shown_verdict(cell, results[entry.shown])
            message = "" if verdict.passed else SHOWN_MESSAGE
            out.tests.append(
                TestResult(exercise, cell.points, verdict.passed, message, verdict.why)
            )
            continue
        failure: tuple[checks.Item, Verdict] | None = None
        for item, where in entry.items:
            verdict = _verdict(item, where, results)
            if not verdict.passed:
                failure = (item, verdict)
                break
        if failure is None:
            out.tests.append(TestResult(exercise, cell.points, True))
            continue
        item, verdict = failure
        own = getattr(item, "message", None)
        detail = f"{own}: {verdict.why}" if own else verdict.why
        out.tests.append(
            TestResult(exercise, cell.points, False, cell.message or "", detail, item.line)
        )
    return out
