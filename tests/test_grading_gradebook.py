"""The gradebook through a real jupyter_server with the embedded service, on SQLite and
PostgreSQL: instructors only; statistics on a known data set; marks (manual grades and
overrides) and what students see of them; the CSV export in nbgrader's layout, hostile
strings escaped; regrade (idempotent, keeping the earlier grade as superseded), once end to
end with the real sandbox.

Grades for the data-set tests are recorded through the submission store (the worker's own
call), with no grading worker running, so they are exact and quick.
"""

from __future__ import annotations

import ast
import asyncio
import csv
import io
import json
from typing import Any

import pytest
from sqlalchemy import select

from jupyterlab_atrium.grading.grade import Grade
from jupyterlab_atrium.grading.grade import TestResult as Result
from jupyterlab_atrium.service.db import Database
from jupyterlab_atrium.service.grading.assignments import AssignmentStore, GraderUser
from jupyterlab_atrium.service.grading.config import AtriumGrader
from jupyterlab_atrium.service.grading.queue import GradingQueue
from jupyterlab_atrium.service.grading.submissions import SubmissionStore
from jupyterlab_atrium.service.models import GradingJob, GradingSubmission

from .test_gallery_api import assert_error, rest_client
from .test_grader_interop_nbgrader import NBGRADER_BIN
from .test_grading_assignments import STUDENT, TEACHER
from .test_grading_submissions import RIGHT, WRONG, answered, graded, instructor_notebook

pytestmark = pytest.mark.usefixtures("gallery_users")

BASE = ("atrium", "api", "service", "grading")
#: nbgrader's CsvExportPlugin columns (nbgrader/plugins/export.py), in its order.
NBGRADER_COLUMNS = [
    "assignment",
    "duedate",
    "timestamp",
    "student_id",
    "last_name",
    "first_name",
    "email",
    "raw_score",
    "late_submission_penalty",
    "score",
    "max_score",
]
HOSTILE = "=cmd|' /C calc'!A0"
MESSAGE = "square(2) should be 4"


@pytest.fixture
def workers() -> int:
    """The service's own grading workers: none, so recorded grades stay as recorded."""
    return 0


@pytest.fixture
def jp_server_config(jp_server_config, database_url, workers):
    jp_server_config["AtriumService"] = {"database_url": database_url}
    jp_server_config["AtriumGrader"] = {
        "instructors": [TEACHER],
        "submissions_per_hour": 0,
        "local_workers": workers,
    }
    return jp_server_config


@pytest.fixture
def api(jp_fetch):
    return rest_client(jp_fetch, BASE)


@pytest.fixture
def store(database_url):
    """The server's stores on its database (which the server migrates: release first)."""
    db = Database(database_url)
    assignments = AssignmentStore(db)
    yield SubmissionStore(db, assignments, AtriumGrader(), GradingQueue(db))
    db.close()


async def release(api, **fields: Any) -> str:
    body = {"title": "Squares", "notebook": instructor_notebook(), **fields}
    reply = await api("POST", "assignments", user=TEACHER, body=body)
    assert reply.code == 201, reply
    return reply.json["id"]


async def rerelease(api, aid: str, **fields: Any) -> None:
    """Version 2 of the assignment (a correction)."""
    reply = await api(
        "PUT", "assignments", aid, user=TEACHER, headers={"If-Match": '"v1"'}, body=fields
    )
    assert reply.code == 200, reply


def q1(passed: list[bool]) -> Grade:
    """A grade of the fixture's q1: its tests cells are worth 2 (with MESSAGE) and 1."""
    return Grade(
        tests=[
            Result("q1", 2, passed[0], "" if passed[0] else MESSAGE),
            Result("q1", 1, passed[1]),
        ]
    )


def submit_graded(store, aid: str, user: str, passed: list[bool] | None, penalty=0.0) -> str:
    receipt = store.submit(GraderUser(user), aid, {"notebook": answered(RIGHT)})
    if passed is not None:
        store.record(receipt["id"], q1(passed), penalty, "test", [])
    return receipt["id"]


async def data_set(api, store) -> tuple[str, dict[str, str]]:
    """alice: two submissions, the latest with q1 = 1; bob: q1 = 3 and q2 marked 2.5;
    HOSTILE: q1 = 1, late, penalty 0.5; dave: queued only."""
    aid = await release(api)
    submit_graded(store, aid, "alice", [True, True])
    ids = {
        "alice": submit_graded(store, aid, "alice", [False, True]),
        "bob": submit_graded(store, aid, "bob", [True, True]),
        HOSTILE: submit_graded(store, aid, HOSTILE, [False, True], penalty=0.5),
        "dave": submit_graded(store, aid, "dave", None),
    }
    with store.database.sessions() as session:
        session.scalar(
            select(GradingSubmission).where(GradingSubmission.id == ids[HOSTILE])
        ).late = True
        session.commit()
    reply = await api(
        "PUT",
        "submissions",
        ids["bob"],
        "marks",
        user=TEACHER,
        body={"exercise": "q2", "points": 2.5, "comment": "Good, but say why."},
    )
    assert reply.code == 200, reply
    return aid, ids


def buckets(width: float, counts: dict[int, int]) -> list[dict[str, float]]:
    return [
        {"from": round(i * width, 6), "to": round((i + 1) * width, 6), "count": counts.get(i, 0)}
        for i in range(10)
    ]


# --- roles ---------------------------------------------------------------------------------


async def test_students_cannot_read_the_gradebook_set_points_or_regrade(api, store):
    aid = await release(api)
    sid = submit_graded(store, aid, STUDENT, [True, True])
    for reply in (
        await api("GET", "assignments", aid, "gradebook"),
        await api("GET", "assignments", aid, "gradebook", "csv"),
        await api("POST", "assignments", aid, "regrade", body={}),
        await api("PUT", "submissions", sid, "marks", body={"exercise": "q2", "points": 3}),
    ):
        assert_error(reply, 403, "forbidden")
    mine = (await api("GET", "submissions", sid)).json
    assert mine["exercises"] == {"q1": {"score": 3, "points": 3}}
    assert_error(
        await api("GET", "assignments", "f" * 32, "gradebook", user=TEACHER), 404, "not-found"
    )


# --- the gradebook and its statistics ------------------------------------------------------


async def test_gradebook_and_statistics_of_a_known_data_set(api, store):
    aid, ids = await data_set(api, store)
    book = (await api("GET", "assignments", aid, "gradebook", user=TEACHER)).json
    assert book["assignment"]["points"] == 7
    assert [(e["id"], e["points"], e["kind"]) for e in book["assignment"]["exercises"]] == [
        ("q1", 3, "autograded"),
        ("q2", 3, "manual"),
        ("q3", 1, "autograded"),
    ]
    students = {entry["user"]: entry for entry in book["students"]}
    assert sorted(students) == sorted([HOSTILE, "alice", "bob", "dave"])
    alice = students["alice"]
    assert (alice["submission"], alice["submissions"], alice["late"]) == (ids["alice"], 2, False)
    assert (alice["rawScore"], alice["penalty"], alice["score"]) == (1, 0, 1)
    assert alice["exercises"]["q1"] == {"score": 1, "points": 3}
    assert alice["exercises"]["q2"] == {"score": None, "points": 3}
    bob = students["bob"]
    assert bob["exercises"]["q2"]["score"] == 2.5
    assert bob["exercises"]["q2"]["mark"]["comment"] == "Good, but say why."
    assert bob["exercises"]["q2"]["mark"]["by"] == TEACHER
    assert (bob["rawScore"], bob["score"]) == (5.5, 5.5)
    hostile = students[HOSTILE]
    assert (hostile["late"], hostile["rawScore"], hostile["penalty"], hostile["score"]) == (
        True,
        1,
        0.5,
        0.5,
    )
    dave = students["dave"]
    assert (dave["state"], dave["score"], dave["exercises"]) == ("queued", None, {})

    stats = book["statistics"]
    first = stats["exercises"]["q1"]
    assert {k: first[k] for k in ("graded", "mean", "median", "fullPoints")} == {
        "graded": 3,
        "mean": 1.666667,
        "median": 1,
        "fullPoints": 1,
    }
    assert first["buckets"] == buckets(0.3, {3: 2, 9: 1})
    assert first["mostCommonFailure"] == {"test": 1, "message": MESSAGE, "count": 2}
    second = stats["exercises"]["q2"]
    assert (second["graded"], second["mean"], second["median"], second["fullPoints"]) == (
        1,
        2.5,
        2.5,
        0,
    )
    assert second["buckets"] == buckets(0.3, {8: 1})
    third = stats["exercises"]["q3"]
    assert (third["graded"], third["mean"], third["median"]) == (0, None, None)
    assert stats["total"]["mean"] == 2.333333 and stats["total"]["median"] == 1
    assert stats["total"]["buckets"] == buckets(0.7, {0: 1, 1: 1, 7: 1})
    assert stats["medianSubmissions"] == 1


async def test_csv_export_has_nbgraders_columns_and_escapes_formulas(api, store):
    aid, _ids = await data_set(api, store)
    await rerelease(api, aid, title="+SUM(A1:A9)", notebook=instructor_notebook())
    reply = await api("GET", "assignments", aid, "gradebook", "csv", user=TEACHER)
    assert reply.code == 200, reply
    assert reply.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(reply.raw.decode("utf-8"))))
    assert list(rows[0]) == NBGRADER_COLUMNS
    by_student = {row["student_id"]: row for row in rows}
    assert sorted(by_student) == sorted(["'" + HOSTILE, "alice", "bob", "dave"])
    hostile = by_student["'" + HOSTILE]
    assert hostile["assignment"] == "'+SUM(A1:A9)"
    assert [float(hostile[k]) for k in NBGRADER_COLUMNS[7:]] == [1.0, 0.5, 0.5, 7.0]
    assert float(by_student["bob"]["score"]) == 5.5
    assert by_student["dave"]["score"] == "0.0" and by_student["dave"]["timestamp"]
    assert all(not row[k] for row in rows for k in ("last_name", "first_name", "email"))
    for row in rows:
        assert not any(value.startswith(("=", "+", "-", "@")) for value in row.values())


def nbgrader_csv_columns() -> list[str] | None:
    """The columns the real nbgrader's CSV export writes, read from its source in the venv
    of its own (``make .venv/nbgrader/.installed``); None where that is not built."""
    found = sorted(NBGRADER_BIN.parent.glob("lib/python*/site-packages/nbgrader"))
    if not found:
        return None
    tree = ast.parse((found[0] / "plugins" / "export.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "keys" for t in node.targets)
            and isinstance(node.value, ast.List)
        ):
            return [ast.literal_eval(item) for item in node.value.elts]
    raise AssertionError("nbgrader's CsvExportPlugin no longer names its columns `keys`")


def test_the_csv_columns_are_the_real_nbgraders():
    columns = nbgrader_csv_columns()
    if columns is None:
        pytest.skip("nbgrader's venv is not built (make .venv/nbgrader/.installed)")
    assert columns == NBGRADER_COLUMNS


async def test_the_gradebook_counts_the_latest_or_the_best_graded_submission(api, store):
    """alice scores 3, then 1, then has one waiting; carol's only submission waits."""
    scores = {}
    for counted in ("latest", "best"):
        aid = await release(api, counted=counted)
        submit_graded(store, aid, "alice", [True, True])
        submit_graded(store, aid, "alice", [False, True])
        submit_graded(store, aid, "alice", None)
        submit_graded(store, aid, "carol", None)
        summary = await api("GET", "assignments", aid, user=STUDENT)
        assert summary.json["counted"] == counted
        reply = await api("GET", "assignments", aid, "gradebook", user=TEACHER)
        assert reply.code == 200, reply
        book = reply.json
        assert book["assignment"]["counted"] == counted
        rows = {row["user"]: row for row in book["students"]}
        assert rows["alice"]["submissions"] == 3
        assert rows["carol"]["score"] is None and rows["carol"]["state"] == "queued"
        scores[counted] = rows["alice"]["exercises"]["q1"]["score"]
        csv_rows = await api("GET", "assignments", aid, "gradebook", "csv", user=TEACHER)
        alice = next(
            row
            for row in csv.DictReader(io.StringIO(csv_rows.raw.decode("utf-8")))
            if row["student_id"] == "alice"
        )
        assert float(alice["raw_score"]) == rows["alice"]["rawScore"]
    assert scores == {"latest": 1, "best": 3}


async def test_counted_is_a_policy_kept_on_rerelease_and_checked(api):
    aid = await release(api, counted="best")
    await rerelease(api, aid, title="Squares, corrected", notebook=instructor_notebook())
    assert (await api("GET", "assignments", aid, user=TEACHER)).json["counted"] == "best"
    for bad in ("first", 1, ["best"]):
        reply = await api(
            "POST",
            "assignments",
            user=TEACHER,
            body={"title": "Bad", "notebook": instructor_notebook(), "counted": bad},
        )
        assert reply.code == 400, reply
        assert "counted" in reply.json["message"]


# --- marks ---------------------------------------------------------------------------------


async def mark(api, sid: str, **body: Any) -> dict[str, Any]:
    reply = await api("PUT", "submissions", sid, "marks", user=TEACHER, body=body)
    assert reply.code == 200, reply
    return reply.json


async def test_marks_are_bounded_override_autogrades_and_follow_the_reveal_policy(api, store):
    for reveal, comment_shown in (("message-only", True), ("score-only", False)):
        aid = await release(api, reveal=reveal)
        sid = submit_graded(store, aid, STUDENT, [False, True])

        for bad in (
            {"exercise": "q2", "points": 3.5},
            {"exercise": "q2", "points": -1},
            {"exercise": "q2", "points": True},
            {"exercise": "q2", "points": "3"},
            {"exercise": "q9", "points": 1},
            {"exercise": "q2"},
            {"exercise": "q2", "points": 1, "grade": 1},
        ):
            assert_error(
                await api("PUT", "submissions", sid, "marks", user=TEACHER, body=bad),
                400,
                "bad-request",
            )
        assert_error(
            await api(
                "PUT",
                "submissions",
                "0" * 32,
                "marks",
                user=TEACHER,
                body={"exercise": "q2", "points": 1},
            ),
            404,
            "not-found",
        )
        await mark(api, sid, exercise="q2", points=1, comment="first")
        view = await mark(api, sid, exercise="q2", points=3, comment="Clear.")
        assert view["exercises"]["q2"]["score"] == 3
        assert view["exercises"]["q2"]["override"] is False
        assert view["answers"]["q1"] == RIGHT  # what a manual grader reads
        view = await mark(api, sid, exercise="q1", points=2.5, comment="Partly right.")
        q1_view = view["exercises"]["q1"]
        assert (q1_view["score"], q1_view["override"], q1_view["autograde"]) == (2.5, True, 1)
        assert q1_view["mark"]["by"] == TEACHER and q1_view["mark"]["at"]
        assert view["score"] == 5.5

        student = (await api("GET", "submissions", sid)).json
        assert student["score"] == 5.5
        assert student["exercises"]["q1"]["score"] == 2.5
        assert "autograde" not in student["exercises"]["q1"]
        assert "answers" not in student
        assert "mark" not in student["exercises"]["q2"]
        assert ("comment" in student["exercises"]["q2"]) is comment_shown
        if comment_shown:
            assert student["exercises"]["q2"]["comment"] == "Clear."

        view = await mark(api, sid, exercise="q1", points=None)
        assert view["exercises"]["q1"] == {"score": 1, "points": 3}
        assert view["score"] == 4


# --- regrade -------------------------------------------------------------------------------


def jobs_of(store, submission_id: str) -> list[tuple[str, dict]]:
    with store.database.sessions() as session:
        rows = session.execute(select(GradingJob.state, GradingJob.payload)).all()
    return [
        (state, json.loads(payload))
        for state, payload in rows
        if json.loads(payload)["submission"] == submission_id
    ]


async def test_regrade_twice_queues_one_job_per_submission_and_keeps_the_old_grade(api, store):
    aid, ids = await data_set(api, store)
    await rerelease(api, aid, notebook=instructor_notebook())
    first = await api("POST", "assignments", aid, "regrade", user=TEACHER, body={})
    assert (first.code, first.json) == (202, {"queued": 4, "unchanged": 0}), first
    again = await api("POST", "assignments", aid, "regrade", user=TEACHER, body={})
    assert again.json == {"queued": 0, "unchanged": 4}
    one = await api("POST", "assignments", aid, "regrade", user=TEACHER, body={"user": "bob"})
    assert one.json == {"queued": 0, "unchanged": 1}
    assert_error(
        await api("POST", "assignments", aid, "regrade", user=TEACHER, body={"users": []}),
        400,
        "bad-request",
    )
    for user in ("alice", "bob", HOSTILE, "dave"):
        queued = [payload for state, payload in jobs_of(store, ids[user]) if state == "queued"]
        assert queued == [{"submission": ids[user], "version": 2}], (user, queued)

    # Until the new grade is recorded, the old one counts.
    book = (await api("GET", "assignments", aid, "gradebook", user=TEACHER)).json
    bob = next(entry for entry in book["students"] if entry["user"] == "bob")
    assert (bob["state"], bob["score"]) == ("queued", 5.5)

    # The earlier job, finishing late, records nothing; the regrade's job records the new
    # grade, the old one kept as superseded, the mark kept.
    with store.database.sessions() as session:
        job_id = session.scalar(
            select(GradingSubmission.job_id).where(GradingSubmission.id == ids["bob"])
        )
    stale = store.record(ids["bob"], q1([False, False]), 0, "stale", [], job_id="0" * 32)
    assert stale == {"submission": ids["bob"], "superseded": True}
    store.record(ids["bob"], q1([False, True]), 0, "test", [], job_id=job_id, version=2)
    view = (await api("GET", "submissions", ids["bob"], user=TEACHER)).json
    assert (view["state"], view["gradedVersion"], view["score"]) == ("graded", 2, 3.5)
    assert view["exercises"]["q2"]["score"] == 2.5
    assert [(old["score"], old["version"]) for old in view["superseded"]] == [(3, 1)]
    student = (await api("GET", "submissions", ids["bob"], user="bob")).json
    assert student["superseded"][0]["score"] == 3


@pytest.mark.parametrize("workers", [1])
async def test_regrade_end_to_end_with_the_real_sandbox(api, store, workers):
    aid = await release(api)
    reply = await api("POST", "assignments", aid, "submissions", body={"notebook": answered(WRONG)})
    assert reply.code == 202, reply
    sid = reply.json["id"]
    before = await graded(api, sid)
    assert before["exercises"]["q1"]["score"] == 1  # the hidden square(-3) == 9 fails
    # The correction: the test cell without its hidden region (WRONG passes what is left).
    notebook = instructor_notebook()
    cell = notebook["cells"][3]
    cell["source"] = "assert square(2) == 4, 'square(2) should be 4'\n"
    await rerelease(api, aid, notebook=notebook)
    reply = await api("POST", "assignments", aid, "regrade", user=TEACHER, body={})
    assert reply.json == {"queued": 1, "unchanged": 0}
    after = await graded(api, sid, user=TEACHER)
    assert after["gradedVersion"] == 2, after
    assert after["exercises"]["q1"]["score"] == 3
    assert [(old["score"], old["version"]) for old in after["superseded"]] == [(1, 1)]
    assert len(jobs_of(store, sid)) == 2


async def test_regrades_at_once_queue_each_submission_once(api, store):
    """Four instructors' regrades race: the conditional switch of the submission's job lets
    one of them queue it; the others' jobs are dropped in their own transactions."""
    import threading

    from jupyterlab_atrium.service.grading.regrade import regrade

    aid = await release(api)
    ids = [submit_graded(store, aid, user, [True, True]) for user in ("ann", "ben", "cid")]
    await rerelease(api, aid, notebook=instructor_notebook())
    teacher = GraderUser(TEACHER, True)
    start = threading.Barrier(4)
    counts: list[dict[str, int]] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait(timeout=30)
            counts.append(regrade(store.database, store.assignments, store.queue, teacher, aid, {}))
        except BaseException as err:  # asserted below
            errors.append(err)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert sum(count["queued"] for count in counts) == 3, counts
    for sid in ids:
        queued = [payload for state, payload in jobs_of(store, sid) if state == "queued"]
        assert queued == [{"submission": sid, "version": 2}], queued


async def test_the_gradebook_reads_the_same_few_queries_for_any_number_of_students(api, store):
    from sqlalchemy import event

    from jupyterlab_atrium.service.grading.gradebook import GradebookStore

    aid = await release(api)
    book = GradebookStore(store.database, store.assignments)
    teacher = GraderUser(TEACHER, True)
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    def queries() -> int:
        statements.clear()
        event.listen(store.database.engine, "before_cursor_execute", count)
        try:
            book.gradebook(teacher, aid)
        finally:
            event.remove(store.database.engine, "before_cursor_execute", count)
        return len(statements)

    submit_graded(store, aid, "s0", [True, True])
    few = queries()
    for index in range(1, 8):
        submit_graded(store, aid, f"s{index}", [index % 2 == 0, True])
        submit_graded(store, aid, f"s{index}", [True, True])
    assert queries() == few <= 4, statements


# --- the manual grading view: written answers, concurrent marks ----------------------------

WRITTEN = "Because $(-x)(-x) = x^2$: **the sign cancels**.\n\n<img src=x onerror=alert(1)>"


def answered_in_writing(code: str, text: str) -> dict[str, Any]:
    """The student version with q1's code and q2's written (Markdown) answer."""
    notebook = answered(code)
    for cell in notebook["cells"]:
        grader = cell.get("metadata", {}).get("atrium", {}).get("grader", {})
        if grader.get("exercise") == "q2" and grader.get("role") == "manual":
            cell["source"] = text
    return notebook


async def test_a_written_answer_is_kept_for_the_instructor_who_grades_it(api, store):
    aid = await release(api)
    notebook = answered_in_writing(RIGHT, WRITTEN)
    # A Markdown cell that claims to answer the code exercise q1 is not an answer.
    notebook["cells"].append(
        {
            "cell_type": "markdown",
            "metadata": {"atrium": {"grader": {"exercise": "q1", "role": "manual"}}},
            "source": "not code",
        }
    )
    reply = await api("POST", "assignments", aid, "submissions", body={"notebook": notebook})
    assert reply.code == 202, reply
    sid = reply.json["id"]
    view = (await api("GET", "submissions", sid, user=TEACHER)).json
    assert view["answers"]["q2"] == WRITTEN
    assert view["answers"]["q1"] == RIGHT
    assert "answers" not in (await api("GET", "submissions", sid)).json
    # The worker's notebook takes code answers only: the text is never run.
    rebuilt, _penalty = store.rebuilt(sid)
    assert all(WRITTEN not in cell.source for cell in rebuilt.cells)
    book = (await api("GET", "assignments", aid, "gradebook", user=TEACHER)).json
    formats = {e["id"]: e.get("answerFormat") for e in book["assignment"]["exercises"]}
    assert formats == {"q1": None, "q2": "markdown", "q3": None}


async def test_a_mark_changed_meanwhile_is_not_overwritten(api, store):
    aid = await release(api)
    sid = submit_graded(store, aid, STUDENT, [True, True])

    async def put(points, header: dict[str, str], comment: str = ""):
        body = {"exercise": "q2", "points": points, "comment": comment}
        return await api(
            "PUT", "submissions", sid, "marks", user=TEACHER, body=body, headers=header
        )

    first = await put(2, {"If-None-Match": "*"}, "first")
    assert first.code == 200, first
    tag = first.json["exercises"]["q2"]["mark"]["etag"]
    # A second instructor who also saw no mark: refused, and told what is there now.
    late = assert_error(await put(3, {"If-None-Match": "*"}), 409, "conflict")
    assert late["current"]["mark"]["points"] == 2 and late["current"]["mark"]["etag"] == tag
    assert "Another instructor" in late["message"]
    # Both start from the first mark: the first to save wins, the other gets 409.
    replies = await asyncio.gather(put(1, {"If-Match": tag}, "a"), put(3, {"If-Match": tag}, "b"))
    assert sorted(reply.code for reply in replies) == [200, 409], replies
    winner = next(reply for reply in replies if reply.code == 200).json["exercises"]["q2"]
    loser = next(reply for reply in replies if reply.code == 409).json
    assert loser["current"]["mark"] == winner["mark"]
    assert_error(await put(2, {"If-Match": tag}), 409, "conflict")
    for bad in ({"If-Match": '"v1"'}, {"If-Match": "m0"}, {"If-None-Match": tag}):
        assert_error(await put(2, bad), 400, "bad-request")
    # Removing names the mark too; no mark left to remove is no conflict.
    removed = await put(None, {"If-Match": winner["mark"]["etag"]})
    assert removed.code == 200 and removed.json["exercises"].get("q2") is None, removed
    assert (await put(None, {"If-None-Match": "*"})).code == 200
    # Without a condition, a write replaces whatever is there (as before).
    assert (await put(1, {})).code == 200 and (await put(2, {})).code == 200


async def test_median_attempts_count_submissions_up_to_the_first_with_full_points(api, store):
    aid = await release(api)
    submit_graded(store, aid, "ann", [True, True])  # 1
    submit_graded(store, aid, "ben", [True, True])  # 1
    submit_graded(store, aid, "ben", [False, True])  # later ones do not count
    for passed in ([False, True], None, [True, True]):  # 3: an ungraded one counts too
        submit_graded(store, aid, "cid", passed)
    for passed in ([False, True], [True, True]):  # 2
        submit_graded(store, aid, "dan", passed)
    submit_graded(store, aid, "eve", [False, False])  # never: not in the median
    book = (await api("GET", "assignments", aid, "gradebook", user=TEACHER)).json
    attempts = {
        exercise: stats["medianAttempts"]
        for exercise, stats in book["statistics"]["exercises"].items()
    }
    assert attempts == {"q1": 1.5, "q2": None, "q3": None}
    assert "medianAttempts" not in book["statistics"]["total"]
