"""Student-version generation of a 200-cell instructor notebook (issue 14: ≤ 20 ms).

Times ``jupyterlab_atrium.grader.student_version`` (the service's copy of the rules) and, in
the same run, nbgrader's own ``ClearSolutions`` preprocessor on the same notebook (exported
for nbgrader), run by the real nbgrader in its venv (``make .venv/nbgrader/.installed``), and
prints both with their ratio. bench/grader_student.bench.js times the browser's twin on the
notebook this script writes with ``--write``.

    .venv/bin/python bench/grader_student.py [--runs 300] [--cells 200]
    .venv/bin/python bench/grader_student.py --write /tmp/nb.ipynb   # the notebook only
    .venv/bin/python bench/grader_student.py --nbgrader /tmp/nb.ipynb --runs 300  # JSON
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from jupyterlab_atrium.grader import student_version  # noqa: E402
from jupyterlab_atrium.grader.formats import export_notebook  # noqa: E402

NBGRADER_PYTHON = ROOT / ".venv" / "nbgrader" / "bin" / "python"
DEADLINE = 600  # seconds for nbgrader's whole timing run

#: Runs inside nbgrader's venv: ClearSolutions on a fresh copy of the notebook each time.
NBGRADER_TIMING = """
import copy, json, sys, time
import nbformat
from nbgrader.preprocessors import ClearSolutions
nb = nbformat.read(sys.argv[1], as_version=4)
runs = int(sys.argv[2])
pre = ClearSolutions()
times = []
for _ in range(runs + 5):
    fresh = copy.deepcopy(nb)
    start = time.perf_counter()
    pre.preprocess(fresh, {})
    times.append((time.perf_counter() - start) * 1000)
print(json.dumps(times[5:]))
"""


def _grader(role: str, exercise: str | None = None, **more: Any) -> dict[str, Any]:
    grader: dict[str, Any] = {"version": 1, "role": role, **more}
    if exercise is not None:
        grader["exercise"] = exercise
    return {"atrium": {"grader": grader}}


def instructor_notebook(cells: int = 200) -> dict[str, Any]:
    """An assignment of ``cells`` cells: per exercise an instruction, an answer with a
    solution region, a tests cell with a hidden region, and a worked example with output."""
    out: list[dict[str, Any]] = []
    number = 0
    while len(out) < cells:
        number += 1
        q = f"q{number}"
        body = "\n".join(f"    total += values[{i}] * {i}  # step {i}" for i in range(12))
        out += [
            {
                "cell_type": "markdown",
                "id": f"{q}-intro",
                "metadata": _grader("instructions"),
                "source": f"## Exercise {number}\n\nWrite `f{number}(values)`: "
                "the weighted sum of the first twelve values.\n" * 3,
            },
            {
                "cell_type": "code",
                "execution_count": number,
                "id": f"{q}-answer",
                "metadata": _grader("answer", q),
                "outputs": [],
                "source": f'def f{number}(values):\n    """Weighted sum."""\n'
                f"    ### BEGIN SOLUTION\n    total = 0\n{body}\n    return total\n"
                "    ### END SOLUTION\n",
            },
            {
                "cell_type": "code",
                "execution_count": number,
                "id": f"{q}-tests",
                "metadata": _grader("tests", q, points=2, message=f"f{number} is wrong"),
                "outputs": [],
                "source": f"assert f{number}([0] * 12) == 0\n"
                "### BEGIN HIDDEN TESTS\n"
                f"assert f{number}(list(range(12))) == sum(i * i for i in range(12))\n"
                "### END HIDDEN TESTS\n",
            },
            {
                "cell_type": "code",
                "execution_count": number,
                "id": f"{q}-example",
                "metadata": {"tags": ["example"]},
                "outputs": [{"name": "stdout", "output_type": "stream", "text": "x" * 400}],
                "source": f"print(sorted(range({number}))[::-1])\n" * 4,
            },
        ]
    return {
        "cells": out[:cells],
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "atrium": {"grader": {"version": 1, "title": "Bench"}},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def percentiles(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "p50": statistics.median(ordered),
        "p95": ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))],
        "runs": len(ordered),
    }


def atrium_times(notebook: dict[str, Any], runs: int) -> list[float]:
    times = []
    for _ in range(runs + 5):
        start = time.perf_counter()
        student_version(notebook)
        times.append((time.perf_counter() - start) * 1000)
    return times[5:]


def nbgrader_times(path: Path, runs: int) -> list[float] | None:
    """ClearSolutions on the notebook at ``path`` (an nbgrader export), None without nbgrader."""
    if not NBGRADER_PYTHON.exists():
        return None
    result = subprocess.run(
        [str(NBGRADER_PYTHON), "-c", NBGRADER_TIMING, str(path), str(runs)],
        capture_output=True,
        text=True,
        timeout=DEADLINE,
        check=True,
    )
    return json.loads(result.stdout)


def write(path: Path, notebook: dict[str, Any]) -> None:
    path.write_text(json.dumps(notebook), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--cells", type=int, default=200)
    parser.add_argument("--write", type=Path, help="write the instructor notebook and stop")
    parser.add_argument("--nbgrader", type=Path, help="time ClearSolutions on an Atrium notebook")
    args = parser.parse_args()
    notebook = instructor_notebook(args.cells)
    if args.write:
        write(args.write, notebook)
        return
    with tempfile.TemporaryDirectory() as folder:
        exported = Path(folder) / "nbgrader.ipynb"
        source = notebook if args.nbgrader is None else json.loads(args.nbgrader.read_text())
        write(exported, export_notebook("nbgrader", copy.deepcopy(source)).notebook)
        theirs = nbgrader_times(exported, args.runs)
    if args.nbgrader is not None:
        sys.stdout.write(json.dumps(None if theirs is None else percentiles(theirs)) + "\n")
        return
    ours = percentiles(atrium_times(notebook, args.runs))
    lines = [
        f"load before: {os.getloadavg()[0]:.2f}",
        f"{args.cells}-cell notebook, {args.runs} runs each",
        f"Atrium student_version (Python): p50 {ours['p50']:.2f} ms, p95 {ours['p95']:.2f} ms "
        f"(target p95 <= 20 ms: {'met' if ours['p95'] <= 20 else 'NOT met'})",
    ]
    if theirs is None:
        lines.append("nbgrader ClearSolutions: not measured (make .venv/nbgrader/.installed)")
    else:
        nb = percentiles(theirs)
        lines.append(
            f"nbgrader ClearSolutions alone: p50 {nb['p50']:.2f} ms, p95 {nb['p95']:.2f} ms; "
            f"ratio Atrium/nbgrader p50 {ours['p50'] / nb['p50']:.2f}, "
            f"p95 {ours['p95'] / nb['p95']:.2f}"
        )
    lines.append(f"load after: {os.getloadavg()[0]:.2f}")
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
