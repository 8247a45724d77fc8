"""Official grading: submit to result, throughput against the real ``nbgrader autograde``.

    nice .venv/bin/python bench/grading_official.py            # everything, one run
    nice .venv/bin/python bench/grading_official.py --skip-nbgrader --rounds 10

One 20-cell exercise notebook (10 exercises, each an answer cell and a tests cell with a
public and a hidden assert) is released to the embedded service on SQLite, exactly as the
server extension runs it (``Service`` with its own local grading workers and their warm pool
of bubblewrap sandboxes; everything but HTTP). Every submission answers every exercise right
and must score every point (checked).

* **submit to result**: one submission at a time with a warm runner waiting (as when
  submissions arrive apart), from ``SubmissionStore.submit`` to the grade readable with
  ``SubmissionStore.get``; p50/p95 over ``--rounds``. Target p95 <= 2 s. Its parts: the time
  in the sandbox (the grade's own ``seconds``) and the rest — queue, rebuild, record — as
  **per-submission overhead**.
* **over HTTP** (``--http``): the same through a real ``jupyter server`` with Atrium
  (tests/real_server.py; token auth, the server's own embedded service and worker): POST the
  submission, then read it every 10 ms until it is graded; and when the student's browser
  **shows** it, on the Submit dialog's poll schedule (src/grader/student/poll.ts: first read
  after 400 ms, then x1.6, at most 5 s), plus one read's time.
* **sandbox start (warm pool refill)**: a cold run of a one-probe job minus a warm one (the
  interpreter and IPython loaded before the job), medians.
* **throughput**: ``--count`` submissions at once, first submit to last grade, with 1 and 2
  local workers; against ``nbgrader autograde`` (nbgrader's own venv, ``.venv/nbgrader``, made
  by ``make .venv/nbgrader/.installed``) on the same assignment (Atrium's nbgrader export,
  through ``generate_assignment``) with the same answers, in the same run. Target >= 3x.
"""

from __future__ import annotations

import argparse
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
from jupyterlab_atrium.grading.sandbox import Limits, Sandbox, Step  # noqa: E402
from jupyterlab_atrium.service.config import AtriumService  # noqa: E402
from jupyterlab_atrium.service.core import Service  # noqa: E402
from jupyterlab_atrium.service.grading.assignments import GraderUser  # noqa: E402
from jupyterlab_atrium.service.grading.config import AtriumGrader  # noqa: E402

EXERCISES = 10
TEACHER = GraderUser("teacher", True)
NBGRADER_BIN = Path(os.environ.get("ATRIUM_NBGRADER_VENV", ROOT / ".venv" / "nbgrader")) / "bin"


def _cell(cid: str, source: str, grader: dict[str, Any]) -> dict[str, Any]:
    return {
        "cell_type": "code",
        "execution_count": None,
        "id": cid,
        "metadata": {"atrium": {"grader": {"version": 1, **grader}}},
        "outputs": [],
        "source": source,
    }


def solution(k: int) -> str:
    return f"def f{k}(xs):\n    return sorted(x * {k} for x in xs if x % 2 == 0)\n"


def instructor_notebook() -> dict[str, Any]:
    cells = []
    for k in range(1, EXERCISES + 1):
        body = f"    return sorted(x * {k} for x in xs if x % 2 == 0)\n"
        cells.append(
            _cell(
                f"e{k}-answer",
                f"def f{k}(xs):\n    ### BEGIN SOLUTION\n{body}    ### END SOLUTION\n",
                {"role": "answer", "exercise": f"e{k}"},
            )
        )
        cells.append(
            _cell(
                f"e{k}-tests",
                f"assert f{k}([3, 2, 1, 4]) == [{2 * k}, {4 * k}]\n"
                "### BEGIN HIDDEN TESTS\n"
                f"assert f{k}([]) == []\nassert f{k}([-2, 5]) == [{-2 * k}]\n"
                "### END HIDDEN TESTS\n",
                {"role": "tests", "exercise": f"e{k}", "points": 1},
            )
        )
    return {
        "cells": cells,
        "metadata": {
            "atrium": {"grader": {"version": 1, "title": "Bench"}},
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def answered(notebook: dict[str, Any]) -> dict[str, Any]:
    """The student version with every answer right."""
    out = student_version(notebook)
    for cell in out["cells"]:
        grader = cell.get("metadata", {}).get("atrium", {}).get("grader", {})
        if grader.get("role") == "answer":
            cell["source"] = solution(int(grader["exercise"][1:]))
    return out


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


# --- Atrium ---------------------------------------------------------------------------------


def service(url: str, workers: int) -> Service:
    grader = AtriumGrader(instructors={TEACHER.name}, submissions_per_hour=0, local_workers=workers)
    svc = Service(
        AtriumService(database_url=url),
        mode="embedded",
        log=__import__("logging").getLogger(),
        grader=grader,
    )
    svc.database.migrate()
    return svc


def wait_graded(svc: Service, ids: list[str], deadline: float) -> list[dict[str, Any]]:
    views: dict[str, dict[str, Any]] = {}
    while len(views) < len(ids):
        if time.monotonic() > deadline:
            raise SystemExit(f"not graded in time: {len(views)}/{len(ids)}")
        for sid in ids:
            if sid not in views:
                view = svc.submissions.get(TEACHER, sid)
                if view["state"] != "queued":
                    views[sid] = view
        time.sleep(0.01)
    return [views[sid] for sid in ids]


def check(view: dict[str, Any]) -> None:
    if view["state"] != "graded" or view["score"] != EXERCISES:
        raise SystemExit(f"a right submission was not graded right: {json.dumps(view)[:800]}")


def sandbox_start(rounds: int) -> dict[str, float]:
    sandbox = Sandbox(Limits())
    cold, warm = [], []
    for _ in range(rounds):
        began = time.monotonic()
        sandbox.run([Step.probe("1")])
        cold.append(time.monotonic() - began)
        started = sandbox.start()
        time.sleep(3)  # loaded and waiting, as in the pool
        began = time.monotonic()
        sandbox.run([Step.probe("1")], started=started)
        warm.append(time.monotonic() - began)
    return {
        "cold_median": statistics.median(cold),
        "warm_median": statistics.median(warm),
        "start_median": statistics.median(cold) - statistics.median(warm),
    }


def latency(tmp: Path, rounds: int) -> dict[str, Any]:
    svc = service(f"sqlite:///{tmp}/latency.sqlite", 1)
    try:
        summary, _ = svc.assignments.release(
            TEACHER, {"title": "Bench", "notebook": instructor_notebook()}
        )
        body = {"notebook": answered(instructor_notebook())}
        svc.local_grading.ensure_started()
        pool = svc.local_grading._workers[0][2].pool
        totals, inside = [], []
        for index in range(rounds + 3):
            deadline = time.monotonic() + 60
            while pool.ready < 1:  # a warm runner waiting, as between submissions
                if time.monotonic() > deadline:
                    raise SystemExit("the warm pool did not refill in 60 s")
                time.sleep(0.02)
            began = time.monotonic()
            receipt = svc.submissions.submit(GraderUser(f"s{index}"), summary["id"], body)
            svc.local_grading.ensure_started()
            (view,) = wait_graded(svc, [receipt["id"]], began + 120)
            total = time.monotonic() - began
            check(view)
            if index >= 3:  # the first ones warm the database and the interpreter's caches
                totals.append(total)
                inside.append(view["seconds"])
        overhead = [t - s for t, s in zip(totals, inside, strict=True)]
        return {
            "rounds": rounds,
            "p50": pct(totals, 0.5),
            "p95": pct(totals, 0.95),
            "max": max(totals),
            "sandbox_p50": pct(inside, 0.5),
            "overhead_p50": pct(overhead, 0.5),
            "overhead_p95": pct(overhead, 0.95),
        }
    finally:
        svc.close()


def throughput(tmp: Path, count: int, workers: int) -> dict[str, float]:
    svc = service(f"sqlite:///{tmp}/throughput{workers}.sqlite", workers)
    try:
        summary, _ = svc.assignments.release(
            TEACHER, {"title": "Bench", "notebook": instructor_notebook()}
        )
        body = {"notebook": answered(instructor_notebook())}
        svc.local_grading.ensure_started()
        time.sleep(5)  # the pools filled, as on a running service
        began = time.monotonic()
        ids = [
            svc.submissions.submit(GraderUser(f"t{i}"), summary["id"], body)["id"]
            for i in range(count)
        ]
        svc.local_grading.ensure_started()
        views = wait_graded(svc, ids, began + 3600)
        seconds = time.monotonic() - began
        for view in views:
            check(view)
        return {"count": count, "seconds": seconds, "per_minute": count / seconds * 60}
    finally:
        svc.close()


#: The Submit dialog's poll (src/grader/student/poll.ts): first wait, factor, longest wait.
POLL_MS = (400, 1.6, 5000)


def shown_after(graded: float) -> float:
    """When the dialog's poll first reads a grade that became readable ``graded`` s after
    the submission's POST returned."""
    first, factor, longest = POLL_MS
    at, wait = 0.0, float(first)
    while True:
        at += wait / 1000
        if at >= graded:
            return at
        wait = min(longest, round(wait * factor))


def http_latency(tmp: Path, rounds: int) -> dict[str, Any]:
    from tests.real_server import running_server

    config = {
        "AtriumService": {"server_owner": TEACHER.name},
        "AtriumGrader": {"instructors": [TEACHER.name], "submissions_per_hour": 0},
    }
    (tmp / "server").mkdir()
    with running_server(tmp / "server", config) as server:
        grading = "service/grading"
        body = {"title": "Bench", "notebook": instructor_notebook()}
        aid = server.call("POST", f"{grading}/assignments", json=body).json()["id"]
        answers = {"notebook": answered(instructor_notebook())}
        graded, shown, reads = [], [], []
        for index in range(rounds + 3):
            time.sleep(1.5)  # submissions apart: the worker's pool has refilled
            began = time.monotonic()
            url = f"{grading}/assignments/{aid}/submissions"
            sid = server.call("POST", url, json=answers).json()["id"]
            posted = time.monotonic()
            while True:
                before = time.monotonic()
                view = server.call("GET", f"{grading}/submissions/{sid}").json()
                reads.append(time.monotonic() - before)
                if view["state"] != "queued":
                    break
                if time.monotonic() > began + 120:
                    raise SystemExit("not graded in 120 s over HTTP")
                time.sleep(0.01)
            ready = time.monotonic()
            check(view)
            if index >= 3:
                graded.append(ready - began)
                shown.append(
                    posted - began + shown_after(ready - posted) + statistics.median(reads)
                )
        return {
            "rounds": rounds,
            "graded_p50": pct(graded, 0.5),
            "graded_p95": pct(graded, 0.95),
            "shown_p50": pct(shown, 0.5),
            "shown_p95": pct(shown, 0.95),
            "read_p50": pct(reads, 0.5),
        }


# --- nbgrader -------------------------------------------------------------------------------

SCORES = """
import json, sys
from nbgrader.api import Gradebook
with Gradebook(sys.argv[1]) as gb:
    print(json.dumps([gb.find_submission("ps1", s.id).score for s in gb.students]))
"""


def nbgrader(tmp: Path, count: int) -> dict[str, float]:
    course = tmp / "course"
    course.mkdir()
    (course / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.CourseDirectory.root = {str(course)!r}\n"
        "c.CourseDirectory.course_id = 'bench'\n",
        encoding="utf-8",
    )
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(course / ".jupyter")}
    env["PATH"] = f"{NBGRADER_BIN}{os.pathsep}{env.get('PATH', '')}"
    env.pop("JUPYTER_PATH", None)

    def run(*args: str) -> str:
        done = subprocess.run(
            args, cwd=course, env=env, capture_output=True, text=True, timeout=7200, check=False
        )
        if done.returncode:
            raise SystemExit(f"{args} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
        return done.stdout

    source = course / "source" / "ps1" / "ps1.ipynb"
    source.parent.mkdir(parents=True)
    source.write_text(json.dumps(export_notebook("nbgrader", instructor_notebook()).notebook))
    run("nbgrader", "generate_assignment", "ps1", "--force")
    release = json.loads((course / "release" / "ps1" / "ps1.ipynb").read_text())
    for cell in release["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("solution"):
            cell["source"] = solution(int(meta["grade_id"].split("-")[0][1:]))
    for index in range(count):
        path = course / "submitted" / f"t{index}" / "ps1" / "ps1.ipynb"
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps(release))
    began = time.monotonic()
    run("nbgrader", "autograde", "ps1", "--create", "--force")
    seconds = time.monotonic() - began
    scores = json.loads(
        run(str(NBGRADER_BIN / "python"), "-c", SCORES, f"sqlite:///{course / 'gradebook.db'}")
    )
    if len(scores) != count or any(score != EXERCISES for score in scores):
        raise SystemExit(f"nbgrader did not give every point: {sorted(set(scores))}")
    return {"count": count, "seconds": seconds, "per_minute": count / seconds * 60}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--start-rounds", type=int, default=8)
    parser.add_argument("--skip-nbgrader", action="store_true")
    parser.add_argument("--http", action="store_true", help="only the HTTP latency")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    out: dict[str, Any] = {"load_before": load}
    with tempfile.TemporaryDirectory(prefix="atrium-grading-bench-") as name:
        tmp = Path(name)
        if args.http:
            out["http"] = http_latency(tmp, args.rounds)
            out["load_after"] = os.getloadavg()[0]
            print(json.dumps(out, indent=1))
            return
        out["sandbox_start"] = sandbox_start(args.start_rounds)
        print("sandbox start:", json.dumps(out["sandbox_start"]), flush=True)
        out["latency"] = latency(tmp, args.rounds)
        print("submit to result:", json.dumps(out["latency"]), flush=True)
        for workers in (1, 2):
            out[f"atrium_{workers}"] = throughput(tmp, args.count, workers)
            print(f"atrium, {workers} worker(s):", json.dumps(out[f"atrium_{workers}"]), flush=True)
        if not args.skip_nbgrader:
            out["nbgrader"] = nbgrader(tmp, args.count)
            print("nbgrader autograde:", json.dumps(out["nbgrader"]), flush=True)
            for workers in (1, 2):
                ratio = out[f"atrium_{workers}"]["per_minute"] / out["nbgrader"]["per_minute"]
                out[f"ratio_{workers}"] = ratio
    out["load_after"] = os.getloadavg()[0]
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
