"""Import and export through a real jupyter_server with the embedded service (SQLite and
PostgreSQL): ``POST grading/import`` and ``GET grading/assignments/{id}/export``, instructors
only, malformed notebooks refused with the cell and the reason (never a 500)."""

# The tests take the imported ``api`` fixture as a parameter, which F811 misreads.
# ruff: noqa: F811

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from jupyterlab_atrium.grader.formats import export_notebook
from jupyterlab_atrium.grader.interop_nbgrader import RELEASE_KEYS

from .test_gallery_api import assert_error

# The grading tests' server (an instructor "teacher", SQLite and PostgreSQL) and client.
from .test_grading_assignments import STUDENT, TEACHER, api, jp_server_config  # noqa: F401

pytestmark = pytest.mark.usefixtures("gallery_users")

FIXTURES = Path(__file__).parent / "fixtures" / "grader"


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def nbgrader_meta(notebook: dict[str, Any]) -> dict[str, Any]:
    return {
        cell["id"]: {k: v for k, v in cell["metadata"]["nbgrader"].items() if k not in RELEASE_KEYS}
        for cell in notebook["cells"]
        if "nbgrader" in cell["metadata"]
    }


async def test_an_instructor_imports_an_nbgrader_notebook_and_nothing_is_stored(api):
    source = load(FIXTURES / "interop" / "nbgrader-source.ipynb")
    reply = await api(
        "POST", "import", user=TEACHER, body={"format": "nbgrader", "notebook": source}
    )
    assert reply.code == 200, reply
    assert reply.headers["Cache-Control"] == "no-store"
    body = reply.json
    assert body["format"] == "nbgrader"
    cells = {cell["id"]: cell for cell in body["notebook"]["cells"]}
    assert cells["cubes"]["metadata"]["atrium"]["grader"]["role"] == "answer"
    assert {(f["rule"], f["cellId"]) for f in body["findings"]} >= {("converted", "task_plot")}
    assert (await api("GET", "assignments", user=TEACHER)).json["items"] == []


@pytest.mark.parametrize("fmt", ["otter", "ordo"])
async def test_otter_and_ordo_imports(api, fmt):
    name = {"otter": "otter-master.ipynb", "ordo": "ordo.ipynb"}[fmt]
    body = {"format": fmt, "notebook": load(FIXTURES / "interop" / name)}
    reply = await api("POST", "import", user=TEACHER, body=body)
    assert reply.code == 200, reply
    roles = {
        c["metadata"]["atrium"]["grader"]["role"]
        for c in reply.json["notebook"]["cells"]
        if "atrium" in c["metadata"]
    }
    expected = {"expected-output"} if fmt == "ordo" else {"answer", "tests", "manual"}
    assert expected <= roles


async def test_students_may_neither_import_nor_export(api):
    source = load(FIXTURES / "interop" / "nbgrader-source.ipynb")
    refused = [
        await api("POST", "import", user=STUDENT, body={"format": "nbgrader", "notebook": source}),
        # The role is checked before the body or the id is looked at.
        await api("POST", "import", user=STUDENT, raw=b"{not json"),
        await api("GET", "assignments", "0" * 32, "export", user=STUDENT),
    ]
    for reply in refused:
        assert_error(reply, 403, "forbidden")


@pytest.mark.parametrize(
    ("body", "status", "reason", "says"),
    [
        ({"format": "nbgrader", "notebook": {"cells": {}}}, 422, "import-invalid", "cells"),
        ({"format": "otter", "notebook": {"cells": [{"cell_type": "raw", "id": "a",
          "metadata": {}, "source": "# END QUESTION"}]}}, 422, "import-invalid", "cell 1"),
        ({"format": "moodle", "notebook": {"cells": []}}, 400, "bad-format", "nbgrader, otter"),
        ({"format": "nbgrader"}, 400, "bad-request", "'notebook' is required"),
        ({"format": "nbgrader", "notebook": {}, "extra": 1}, 400, "bad-request", "extra"),
        ([], 400, "bad-request", "object"),
    ],
)  # fmt: skip
async def test_bad_imports_are_4xx_with_a_reason(api, body, status, reason, says):
    reply = await api("POST", "import", user=TEACHER, body=body)
    error = assert_error(reply, status, reason)
    assert says in error["message"]


async def test_a_malformed_import_names_the_cell_and_the_reason(api):
    source = load(FIXTURES / "interop" / "nbgrader-source.ipynb")
    source["cells"][4]["metadata"]["nbgrader"]["schema_version"] = 4
    reply = await api(
        "POST", "import", user=TEACHER, body={"format": "nbgrader", "notebook": source}
    )
    error = assert_error(reply, 422, "import-invalid")
    assert error["cell"] == 4
    assert error["problem"].startswith("metadata.nbgrader.schema_version is 4, not 3")
    assert error["message"].startswith("cannot import this nbgrader notebook: cell 5: ")


async def test_a_body_over_the_limit_is_413(api):
    big = {"format": "nbgrader", "notebook": {"cells": [], "pad": "x" * (600 * 1024)}}
    assert_error(await api("POST", "import", user=TEACHER, body=big), 413, "too-large")


async def release(api, notebook: dict[str, Any]) -> str:
    body = {"title": "Cubes", "notebook": notebook}
    reply = await api("POST", "assignments", user=TEACHER, body=body)
    assert reply.code == 201, reply
    return reply.json["id"]


async def test_an_assignment_exports_for_nbgrader(api):
    notebook = load(FIXTURES / "assignment.in.ipynb")
    aid = await release(api, notebook)
    reply = await api("GET", "assignments", aid, "export", user=TEACHER)
    assert reply.code == 200, reply
    body = reply.json
    assert body["format"] == "nbgrader" and body["version"] == 1
    assert body["notebook"] == export_notebook("nbgrader", notebook).notebook
    release_reply = await api(
        "GET", "assignments", aid, "export", user=TEACHER, params={"format": "nbgrader-release"}
    )
    assert release_reply.code == 200, release_reply
    assert b"CANARY" not in release_reply.raw
    assert all(
        len(meta["checksum"]) == 32
        for meta in (c["metadata"].get("nbgrader") for c in release_reply.json["notebook"]["cells"])
        if meta and (meta["grade"] or meta["solution"] or meta["locked"])
    )
    bad = await api("GET", "assignments", aid, "export", user=TEACHER, params={"format": "otter"})
    assert_error(bad, 400, "bad-format")
    assert_error(
        await api("GET", "assignments", "0" * 32, "export", user=TEACHER), 404, "not-found"
    )


async def test_import_release_export_gives_back_the_nbgrader_metadata(api):
    source = load(FIXTURES / "interop" / "nbgrader-source.ipynb")
    imported = await api(
        "POST", "import", user=TEACHER, body={"format": "nbgrader", "notebook": source}
    )
    aid = await release(api, imported.json["notebook"])
    exported = (await api("GET", "assignments", aid, "export", user=TEACHER)).json["notebook"]
    assert nbgrader_meta(exported) == nbgrader_meta(source)
