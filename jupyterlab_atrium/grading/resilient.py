"""Grade every step a submission's time budget allows, whatever one step does.

A sandboxed run stops at the first step that hangs, exhausts a limit or ends the process.
The steps after it still deserve a grade, so the run starts again in a fresh sandbox
without that step (the cells before it run again to rebuild the state the later steps
need) — until every step has a result, or the submission's budget is spent. A run whose
channel was tampered with is not given another: the remaining steps fail.
"""

from __future__ import annotations

import time
from dataclasses import replace

from .sandbox import RunResult, Sandbox, Started, Step, StepResult

#: Statuses that fail one step and let the others be graded in another run.
ONE_STEP = ("timeout", "cpu", "exited", "output")


def run_all(
    sandbox: Sandbox,
    steps: list[Step],
    *,
    budget_seconds: float,
    ipython: bool = True,
    started: Started | None = None,
) -> RunResult:
    """``started``: a warm runner for the first run (later runs start fresh ones)."""
    results: list[StepResult | None] = [None] * len(steps)
    skipped: set[int] = set()
    output: list[str] = []
    notes: list[str] = []
    status = "ok"
    begun = time.monotonic()
    while any(result is None for result in results):
        left = budget_seconds - (time.monotonic() - begun)
        if left <= 0:
            status = "timeout"
            notes.append("the submission's time budget ran out")
            break
        kept = [i for i in range(len(steps)) if i not in skipped]
        runner = Sandbox(
            replace(sandbox.limits, run_seconds=min(sandbox.limits.run_seconds, left)),
            python=sandbox.python,
            read_only=sandbox.read_only,
            bwrap=sandbox.bwrap,
        )
        run = runner.run([steps[i] for i in kept], ipython=ipython, started=started)
        started = None
        output.append(run.output)
        notes.extend(run.notes)
        culprit = None
        for position, index in enumerate(kept):
            found = run.steps[position]
            if found is not None and results[index] is None:
                results[index] = found
            if found is not None and not found.ok and found.error == run.status:
                culprit = index
        if run.status == "ok":
            break
        status = run.status
        if run.status not in ONE_STEP or culprit is None:
            break
        skipped.add(culprit)
    if started is not None:  # never used (no budget left): not kept running either
        sandbox.discard(started)
    for index, result in enumerate(results):
        if result is None:
            results[index] = StepResult(False, error=status)
    return RunResult(
        steps=list(results),
        status=status,
        output="".join(output)[: sandbox.limits.output_bytes],
        seconds=time.monotonic() - begun,
        notes=notes,
    )
