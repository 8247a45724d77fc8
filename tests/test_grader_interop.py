"""Import and export of other graders' notebooks (jupyterlab_atrium/grader/interop_*.py).

The fixtures in tests/fixtures/grader/interop/ are written here in each tool's documented
format: an nbgrader source notebook (metadata schema 3, ``### BEGIN SOLUTION`` and
``### BEGIN HIDDEN TESTS``), an Otter Assign master notebook (raw-cell delimiters, a
``# BEGIN TEST CONFIG`` block) and an Ordo notebook (``ordo_solution`` on its answer cells).
Every solution, hidden test and expected answer in them carries the word CANARY, which must
not reach a student version. tests/test_grader_interop_nbgrader.py runs the real nbgrader on
the export; tests/test_grader_interop_api.py the service endpoints.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from jupyterlab_atrium.grader import lint, student_version
from jupyterlab_atrium.grader.__main__ import main as cli
from jupyterlab_atrium.grader.formats import UnknownFormat, export_notebook, import_notebook
from jupyterlab_atrium.grader.interop import InteropError
from jupyterlab_atrium.grader.interop_nbgrader import RELEASE_KEYS, compute_checksum

ROOT = Path(__file__).resolve().parents[1]
INTEROP = Path(__file__).parent / "fixtures" / "grader" / "interop"
ASSIGNMENT = Path(__file__).parent / "fixtures" / "grader" / "assignment.in.ipynb"
#: compute_checksum of the fixture's cells as nbgrader 0.9.6 (nbgrader.utils) computes them.
NBGRADER_CHECKSUMS = {
    "header": "303947eab7deb266f0ae6e65a04dcd89",
    "cubes": "1655beea3b23e7b58c2626cbba823158",
    "correct_cubes": "280ad95991e814dc26e5b192bdf89fca",
    "cubes_invalid": "fc347bab22e221b60e2fdf1a7fab85f9",
    "sum_of_cubes": "a1c0d343b3e5d3d8d51ffcc1a6c5474f",
    "correct_sum": "70310625394fd0f1b66f65b7e479c37d",
    "why_square": "d55046473b331ecfe9107bf712a8a5f8",
    "task_plot": "17ad04af2453dcb71e9d9346935bcac7",
}


def load(name: str) -> dict[str, Any]:
    return json.loads((INTEROP / name).read_text(encoding="utf-8"))


def graders(notebook: dict[str, Any]) -> dict[str, Any]:
    return {
        cell["id"]: cell["metadata"].get("atrium", {}).get("grader") for cell in notebook["cells"]
    }


def nbgrader_meta(notebook: dict[str, Any]) -> dict[str, Any]:
    """Each cell's nbgrader metadata without the release-only keys, by cell id."""
    found = {}
    for cell in notebook["cells"]:
        meta = cell["metadata"].get("nbgrader")
        if meta is not None:
            found[cell["id"]] = {k: v for k, v in meta.items() if k not in RELEASE_KEYS}
    return found


def refused(fmt: str, notebook: Any, verb: str = "import") -> InteropError:
    convert = import_notebook if verb == "import" else export_notebook
    with pytest.raises(InteropError) as raised:
        convert(fmt, notebook)
    assert 400 <= raised.value.status < 500
    return raised.value


# --- nbgrader --------------------------------------------------------------------------------


def test_nbgrader_cells_get_the_roles_their_flags_mean():
    source = load("nbgrader-source.ipynb")
    before = copy.deepcopy(source)
    imported = import_notebook("nbgrader", source)
    assert source == before, "the input must not change"
    roles = graders(imported.notebook)
    assert roles["header"] == {"version": 1, "role": "instructions"}
    assert roles["cubes"] == {"version": 1, "role": "answer", "exercise": "cubes"}
    # Tests join the answer above them; their nbgrader ids stay in their nbgrader metadata.
    assert roles["correct_cubes"]["exercise"] == roles["cubes_invalid"]["exercise"] == "cubes"
    assert roles["correct_cubes"]["points"] == 2
    assert roles["correct_sum"] == {
        "version": 1,
        "role": "tests",
        "exercise": "sum_of_cubes",
        "points": 1,
    }
    assert roles["why_square"] == {
        "version": 1,
        "role": "manual",
        "exercise": "why_square",
        "points": 2,
    }
    assert roles["task_plot"] == {"version": 1, "role": "instructions"}
    assert roles["plot"] is None and roles["scratch"] is None and roles["part-a"] is None
    converted = [f for f in imported.findings if f.rule == "converted"]
    assert [f.cell_id for f in converted] == ["task_plot"]
    assert not [f for f in lint(imported.notebook) if f.severity == "error"]
    assert "CANARY" not in json.dumps(student_version(imported.notebook))


def test_nbgrader_import_then_export_gives_back_the_same_nbgrader_metadata():
    source = load("nbgrader-source.ipynb")
    imported = import_notebook("nbgrader", source).notebook
    exported = export_notebook("nbgrader", imported).notebook
    assert nbgrader_meta(exported) == nbgrader_meta(source)
    # Sources, cell order and ids too; Atrium's own metadata is not written for nbgrader.
    assert [(c["id"], c["source"]) for c in exported["cells"]] == [
        (c["id"], "".join(c["source"])) for c in source["cells"]
    ]
    assert "atrium" not in json.dumps(exported)
    # And again: a second round trip changes nothing.
    again = export_notebook("nbgrader", import_notebook("nbgrader", exported).notebook).notebook
    assert again == exported


def test_an_edit_in_atrium_reaches_the_export():
    imported = import_notebook("nbgrader", load("nbgrader-source.ipynb")).notebook
    by_id = {cell["id"]: cell for cell in imported["cells"]}
    by_id["correct_cubes"]["metadata"]["atrium"]["grader"]["points"] = 5
    # An ungraded cell made a tests cell gets fresh nbgrader metadata with a free grade id.
    by_id["cubes-try"]["metadata"]["atrium"] = {
        "grader": {"version": 1, "role": "tests", "exercise": "cubes", "points": 1}
    }
    exported = nbgrader_meta(export_notebook("nbgrader", imported).notebook)
    assert exported["correct_cubes"]["points"] == 5
    assert exported["cubes-try"] == {
        "grade": True,
        "grade_id": "cubes-tests",
        "locked": True,
        "points": 1,
        "schema_version": 3,
        "solution": False,
    }


def test_checksums_are_nbgraders():
    source = load("nbgrader-source.ipynb")
    computed = {
        cell["metadata"]["nbgrader"]["grade_id"]: compute_checksum(cell)
        for cell in source["cells"]
        if "grade_id" in cell["metadata"].get("nbgrader", {})
    }
    assert computed == NBGRADER_CHECKSUMS


def test_the_release_is_the_student_version_with_nbgraders_checksums():
    imported = import_notebook("nbgrader", load("nbgrader-source.ipynb")).notebook
    release = export_notebook("nbgrader-release", imported).notebook
    assert "CANARY" not in json.dumps(release)
    by_id = {cell["id"]: cell for cell in release["cells"]}
    cubes = by_id["cubes"]
    assert "raise NotImplementedError()" in cubes["source"]
    meta = cubes["metadata"]["nbgrader"]
    assert meta["cell_type"] == "code" and meta["checksum"] == compute_checksum(cubes)
    assert cubes["metadata"]["deletable"] is False
    tests = by_id["correct_cubes"]
    assert "BEGIN HIDDEN" not in tests["source"]
    assert tests["metadata"]["nbgrader"]["checksum"] == compute_checksum(tests)
    assert tests["metadata"]["editable"] is False
    # Unchanged cells keep the checksum of the source: the header is the same in both.
    assert by_id["header"]["metadata"]["nbgrader"]["checksum"] == NBGRADER_CHECKSUMS["header"]


def test_an_atrium_notebook_exports_what_nbgrader_has_and_says_what_it_has_not():
    assignment = json.loads(ASSIGNMENT.read_text(encoding="utf-8"))
    exported = export_notebook("nbgrader", assignment)
    cells = {cell["id"]: cell for cell in exported.notebook["cells"]}
    assert "notes" not in cells
    hidden = cells["q1-hidden"]
    assert hidden["source"].startswith("### BEGIN HIDDEN TESTS\n")
    assert hidden["source"].endswith("\n### END HIDDEN TESTS")
    assert nbgrader_meta(exported.notebook)["q3-answer"] == {
        "grade": True,
        "grade_id": "q3",
        "locked": False,
        "points": 1,
        "schema_version": 3,
        "solution": True,
    }
    said = {(f.cell_id, f.rule) for f in exported.findings}
    assert said == {("q3-answer", "converted"), ("notes", "converted")}
    ids = [m["grade_id"] for m in nbgrader_meta(exported.notebook).values()]
    assert len(ids) == len(set(ids))
    release = export_notebook("nbgrader-release", assignment).notebook
    assert "CANARY" not in json.dumps(release)
    # The hidden tests cell stays in the release, emptied, as nbgrader's own release has it.
    assert {c["id"]: c["source"] for c in release["cells"]}["q1-hidden"] == ""


def test_an_export_of_a_notebook_with_lint_errors_is_refused():
    assignment = json.loads(ASSIGNMENT.read_text(encoding="utf-8"))
    assignment["cells"][2]["source"] = assignment["cells"][2]["source"].replace(
        "    ### END SOLUTION\n", ""
    )
    error = refused("nbgrader", assignment, "export")
    assert error.reason == "export-invalid" and error.cell == 2
    assert "unclosed-marker" in error.message


def nbgrader_cell(meta: Any, source: str = "x = 1", cell_type: str = "code") -> dict[str, Any]:
    cell = {"cell_type": cell_type, "id": "c", "metadata": {"nbgrader": meta}, "source": source}
    if cell_type == "code":
        cell.update(outputs=[], execution_count=None)
    return cell


def nb_of(*cells: dict[str, Any]) -> dict[str, Any]:
    return {"cells": list(cells), "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def flags(**changes: Any) -> dict[str, Any]:
    meta = {"grade": False, "grade_id": "a", "locked": False, "schema_version": 3}
    meta["solution"] = True
    meta.update(changes)
    return {k: v for k, v in meta.items() if v is not None}


PLAIN = {"cell_type": "markdown", "id": "p", "metadata": {}, "source": "intro"}

MALFORMED_NBGRADER = [
    ("not a notebook", [], None, "must be a JSON object"),
    ("cells not a list", {"cells": {}, "metadata": {}}, None, "cells must be a list"),
    ("cell not an object", nb_of(PLAIN, "cell"), 1, "a cell must be an object"),
    ("unknown schema version", nb_of(nbgrader_cell(flags(schema_version=4))), 0, "4, not 3"),
    ("no schema version", nb_of(nbgrader_cell(flags(schema_version=None))), 0, "missing"),
    ("flag of the wrong type", nb_of(nbgrader_cell(flags(grade="yes"))), 0, "grade must be"),
    ("metadata not an object", nb_of(nbgrader_cell([1])), 0, "must be an object"),
    ("unknown field", nb_of(nbgrader_cell(flags(pts=1))), 0, 'unknown field "pts"'),
    ("points of the wrong type", nb_of(nbgrader_cell(flags(grade=True, points="2"))), 0, "points"),
    ("grade without points", nb_of(nbgrader_cell(flags(grade=True))), 0, "has no"),
    ("empty grade id", nb_of(nbgrader_cell(flags(grade_id=""))), 0, "grade_id is missing"),
    ("bad grade id", nb_of(nbgrader_cell(flags(grade_id="a b"))), 0, "letters, digits"),
    (
        "duplicate grade id",
        nb_of(nbgrader_cell(flags()), PLAIN, nbgrader_cell(flags())),
        2,
        "also the id of cell 1",
    ),
    (
        "Markdown grade cell that is not a solution",
        nb_of(nbgrader_cell(flags(grade=True, solution=False, points=1), "t", "markdown")),
        0,
        "both a grade and a solution",
    ),
    (
        "task in a code cell",
        nb_of(nbgrader_cell(flags(task=True, solution=False))),
        0,
        "task cell must be a Markdown",
    ),
    (
        "unclosed solution",
        nb_of(nbgrader_cell(flags(), "### BEGIN SOLUTION\nx = 1")),
        0,
        "line 1: BEGIN SOLUTION is never closed",
    ),
    (
        "nested regions",
        nb_of(nbgrader_cell(flags(), "### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION")),
        0,
        "line 2: BEGIN SOLUTION inside the SOLUTION region opened on line 1",
    ),
    (
        "a marker nbgrader sees but Atrium would not",
        nb_of(nbgrader_cell(flags(), "x = 1  ### BEGIN SOLUTION\ny = 2\n### END SOLUTION")),
        0,
        'line 1: nbgrader reads this line as a marker (it contains "BEGIN SOLUTION")',
    ),
    (
        "solution region outside a solution cell",
        nb_of(nbgrader_cell(flags(solution=False), "### BEGIN SOLUTION\nx\n### END SOLUTION")),
        0,
        "not a solution cell",
    ),
    (
        "hidden tests outside a grade cell",
        nb_of(nbgrader_cell(flags(), "### BEGIN HIDDEN TESTS\nx\n### END HIDDEN TESTS")),
        0,
        "not a grade cell",
    ),
]


@pytest.mark.parametrize(
    ("notebook", "cell", "reason"),
    [case[1:] for case in MALFORMED_NBGRADER],
    ids=[case[0] for case in MALFORMED_NBGRADER],
)
def test_a_malformed_nbgrader_notebook_is_refused_with_the_cell_and_the_reason(
    notebook, cell, reason
):
    error = refused("nbgrader", notebook)
    assert error.status == 422 and error.reason == "import-invalid"
    assert error.cell == cell
    assert reason in error.message
    where = "the notebook" if cell is None else f"cell {cell + 1}"
    assert error.message.startswith(f"cannot import this nbgrader notebook: {where}: ")
    assert error.payload == {"cell": cell, "problem": error.problem}


def test_deep_nesting_is_refused_not_a_crash():
    deep: Any = 1
    for _ in range(5000):
        deep = [deep]
    error = refused("nbgrader", nb_of(nbgrader_cell(flags(), "x")) | {"metadata": {"x": deep}})
    assert "nested" in error.message


# --- Ordo --------------------------------------------------------------------------------------


def test_ordo_solutions_become_expected_output_exercises_that_students_never_see():
    source = load("ordo.ipynb")
    imported = import_notebook("ordo", source)
    roles = graders(imported.notebook)
    assert roles["area"] == {
        "version": 1,
        "role": "expected-output",
        "exercise": "area",
        "expected": {"text/plain": "925"},
    }
    assert roles["perimeter"]["exercise"] == "ordo-2"
    assert roles["perimeter"]["expected"] == {"text/plain": ["124"]}
    area = next(c for c in imported.notebook["cells"] if c["id"] == "area")
    assert not [key for key in area["metadata"] if key.startswith("ordo_")]
    assert [f.cell_id for f in imported.findings if f.rule == "converted"] == ["area"]
    student = json.dumps(student_version(imported.notebook))
    assert "925" not in student and "CANARY" not in student


@pytest.mark.parametrize(
    ("solution", "reason"),
    [
        ("925", "must be a MIME bundle"),
        ({}, "must be a MIME bundle"),
        ({"python": "def f(x): ..."}, "no Atrium equivalent"),
        ({"text/plain": 925}, 'ordo_solution["text/plain"] must be text'),
    ],
)
def test_a_malformed_ordo_cell_is_refused(solution, reason):
    cell = {"cell_type": "code", "id": "a", "metadata": {"ordo_solution": solution}}
    cell.update(source="25 * 37", outputs=[], execution_count=None)
    error = refused("ordo", nb_of(PLAIN, cell))
    assert error.cell == 1 and reason in error.message
    assert error.message.startswith("cannot import this Ordo notebook: cell 2: ")


# --- otter-grader ------------------------------------------------------------------------------


def test_an_otter_master_notebook_becomes_exercises():
    source = load("otter-master.ipynb")
    imported = import_notebook("otter", source)
    notebook = imported.notebook
    assert all(cell["cell_type"] != "raw" for cell in notebook["cells"])
    roles = graders(notebook)
    assert roles["q1-prompt"] == {"version": 1, "role": "instructions", "exercise": "q1"}
    assert roles["q1-solution"] == {"version": 1, "role": "answer", "exercise": "q1"}
    # Question points (3) shared by the tests without their own; the hidden test has 1.
    assert [roles[f"q1-t{n}"]["points"] for n in (1, 2, 3)] == [1, 1, 1]
    assert roles["q1-t3"]["hidden"] is True
    assert roles["q1-t3"]["message"] == "square(0) is wrong"
    assert roles["q2-solution"] == {
        "version": 1,
        "role": "manual",
        "exercise": "q2",
        "points": 2,
    }
    assert roles["q3-t1"]["points"] == 1  # a question without points is worth 1, as in otter
    cells = {cell["id"]: cell for cell in notebook["cells"]}
    assert "TEST CONFIG" not in cells["q1-t3"]["source"]
    # A test otter compares by its saved output becomes an assert on that value.
    assert cells["q1-t2"]["source"] == "assert repr(square(-3)) == '9', 'expected 9'"
    # otter's inline "# SOLUTION" line becomes a solution region.
    assert "# BEGIN SOLUTION\ntotal = " in cells["q3-solution"]["source"]
    assert notebook["metadata"]["atrium"]["grader"] == {"version": 1, "title": "hw01"}
    assert not [f for f in imported.findings if f.severity == "error"]
    student = json.dumps(student_version(notebook))
    assert "CANARY" not in student and "total = square" not in student


def test_the_converted_tests_pass_on_the_solution_and_fail_on_the_stub():
    notebook = import_notebook("otter", load("otter-master.ipynb")).notebook
    cells = {cell["id"]: cell["source"] for cell in notebook["cells"]}
    scope: dict[str, Any] = {}
    exec(cells["q1-solution"], scope)
    for test in ("q1-t1", "q1-t2", "q1-t3"):
        exec(cells[test], scope)
    scope["square"] = lambda x: x + x
    with pytest.raises(AssertionError):
        exec(cells["q1-t2"], scope)


def raw(source: str) -> dict[str, Any]:
    return {"cell_type": "raw", "id": "r", "metadata": {}, "source": source}


def code(source: str) -> dict[str, Any]:
    return {"cell_type": "code", "id": "c", "metadata": {}, "source": source, "outputs": []}


Q1 = raw("# BEGIN QUESTION\nname: q1")
END = raw("# END QUESTION")
MALFORMED_OTTER = [
    ("question without a name", [raw("# BEGIN QUESTION\npoints: 1"), END], 0, "name must be"),
    ("bad YAML", [raw("# BEGIN QUESTION\nname: [q1"), END], 0, "not valid YAML"),
    ("YAML not a mapping", [raw("# BEGIN QUESTION\n- q1"), END], 0, "keys and values"),
    ("points of the wrong type", [raw("# BEGIN QUESTION\nname: q\npoints: x"), END], 0, "points"),
    ("manual not a boolean", [raw("# BEGIN QUESTION\nname: q\nmanual: 2"), END], 0, "manual"),
    ("nested question", [Q1, Q1, END, END], 1, "still open"),
    ("question never closed", [Q1, code("x = 1")], 0, "no # END QUESTION"),
    ("end without a question", [END], 0, "outside a question"),
    ("solution outside a question", [raw("# BEGIN SOLUTION")], 0, "outside a question"),
    (
        "end of the wrong part",
        [Q1, raw("# BEGIN SOLUTION"), raw("# END TESTS"), END],
        2,
        "END TESTS without BEGIN TESTS",
    ),
    (
        "question closed with a part open",
        [Q1, raw("# BEGIN TESTS"), END],
        2,
        "BEGIN TESTS (cell 2) is open",
    ),
    (
        "duplicate question name",
        [Q1, END, Q1, END],
        2,
        'question "q1" is also in cell 1',
    ),
    (
        "hidden of the wrong type",
        [
            Q1,
            raw("# BEGIN TESTS"),
            code('""" # BEGIN TEST CONFIG\nhidden: 3\n""" # END TEST CONFIG\nassert True'),
            raw("# END TESTS"),
            END,
        ],
        2,
        "hidden must be true or false",
    ),
    (
        "test config never closed",
        [Q1, raw("# BEGIN TESTS"), code('""" # BEGIN TEST CONFIG\nhidden: true'), END],
        2,
        "without its END TEST CONFIG",
    ),
    (
        "a test compared by printed output",
        [
            Q1,
            raw("# BEGIN TESTS"),
            code("print(1)") | {"outputs": [{"output_type": "stream", "name": "o", "text": "1"}]},
            raw("# END TESTS"),
            END,
        ],
        2,
        "a stream output",
    ),
    (
        "points list of the wrong length",
        [
            raw("# BEGIN QUESTION\nname: q\npoints: [1, 2]"),
            raw("# BEGIN TESTS"),
            code("assert True"),
            raw("# END TESTS"),
            END,
        ],
        0,
        "2 values for 1 test cells",
    ),
]


@pytest.mark.parametrize(
    ("cells", "cell", "reason"),
    [case[1:] for case in MALFORMED_OTTER],
    ids=[case[0] for case in MALFORMED_OTTER],
)
def test_a_malformed_otter_notebook_is_refused_with_the_cell_and_the_reason(cells, cell, reason):
    error = refused("otter", nb_of(*copy.deepcopy(cells)))
    assert error.cell == cell, error.message
    assert reason in error.message
    assert error.message.startswith(f"cannot import this otter-grader notebook: cell {cell + 1}: ")


def test_an_unknown_format_is_a_400():
    for convert in (import_notebook, export_notebook):
        with pytest.raises(UnknownFormat) as raised:
            convert("jupyter-book", nb_of())
        assert raised.value.status == 400 and "must be one of" in raised.value.message


# --- the CLI -------------------------------------------------------------------------------------


def test_the_cli_imports_and_exports_and_writes_atomically(tmp_path, capsys):
    atrium = tmp_path / "atrium.ipynb"
    assert (
        cli(["import", "--format", "nbgrader", str(INTEROP / "nbgrader-source.ipynb"), str(atrium)])
        == 0
    )
    assert "task_plot" in capsys.readouterr().err
    back = tmp_path / "back.ipynb"
    assert cli(["export", "--format", "nbgrader", str(atrium), str(back)]) == 0
    assert nbgrader_meta(json.loads(back.read_text())) == nbgrader_meta(
        load("nbgrader-source.ipynb")
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["atrium.ipynb", "back.ipynb"]


def test_the_cli_leaves_the_target_alone_when_it_refuses_or_cannot_write(
    tmp_path, capsys, monkeypatch
):
    target = tmp_path / "out.ipynb"
    target.write_text("before")
    broken = tmp_path / "broken.ipynb"
    broken.write_text(json.dumps(nb_of(nbgrader_cell(flags(schema_version=1)))))
    assert cli(["import", "--format", "nbgrader", str(broken), str(target)]) == 2
    assert "cell 1: metadata.nbgrader.schema_version is 1" in capsys.readouterr().err
    assert target.read_text() == "before"
    missing = tmp_path / "missing.ipynb"
    assert cli(["import", "--format", "otter", str(missing), str(target)]) == 1
    assert target.read_text() == "before"

    # A write cut off before the rename leaves the old file and no temporary file.
    def cut_off(*_: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", cut_off)
    source = str(INTEROP / "ordo.ipynb")
    assert cli(["import", "--format", "ordo", source, str(target)]) == 1
    assert "cannot write" in capsys.readouterr().err
    assert target.read_text() == "before"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.ipynb", "out.ipynb"]


def test_the_cli_runs_as_a_module(tmp_path):
    out = tmp_path / "otter.ipynb"
    result = subprocess.run(
        [
            *(sys.executable, "-m", "jupyterlab_atrium.grader", "import", "--format", "otter"),
            *(str(INTEROP / "otter-master.ipynb"), str(out)),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert graders(json.loads(out.read_text()))["q1-solution"]["role"] == "answer"


def test_a_stale_checksum_on_an_atrium_cell_is_not_exported():
    """nbgrader's schema wants 32 hex digits; a source notebook carries none (the release
    gets fresh ones)."""
    assignment = json.loads(ASSIGNMENT.read_text(encoding="utf-8"))
    assert assignment["cells"][2]["metadata"]["nbgrader"]["checksum"] == "abc"
    exported = nbgrader_meta(export_notebook("nbgrader", assignment).notebook)
    cells = export_notebook("nbgrader", assignment).notebook["cells"]
    assert all("checksum" not in c["metadata"].get("nbgrader", {}) for c in cells)
    assert exported["q1-answer"]["grade_id"] == "q1-answer"


# --- hostile input: anything but a conversion or a refusal is a bug (a 500) -----------------

ODD_VALUES: list[Any] = [None, 0, -1, 1.5, True, "", "x", [], ["x"], {}, {"a": 1}, [[]], "#"]


def mutations(value: Any, rng: Any, count: int) -> list[Any]:
    """``count`` copies of ``value``, each with one value somewhere replaced by an odd one."""
    paths: list[tuple[Any, ...]] = []
    stack: list[tuple[tuple[Any, ...], Any]] = [((), value)]
    while stack:
        path, item = stack.pop()
        paths.append(path)
        if isinstance(item, dict):
            stack.extend(((*path, key), child) for key, child in item.items())
        elif isinstance(item, list):
            stack.extend(((*path, key), child) for key, child in enumerate(item))
    out = []
    for _ in range(count):
        copied = copy.deepcopy(value)
        path = rng.choice(paths[1:])
        parent = copied
        for key in path[:-1]:
            parent = parent[key]
        parent[path[-1]] = copy.deepcopy(rng.choice(ODD_VALUES))
        out.append(copied)
    return out


CONVERTIBLE = [
    ("nbgrader", "nbgrader-source.ipynb"),
    ("otter", "otter-master.ipynb"),
    ("ordo", "ordo.ipynb"),
]


@pytest.mark.parametrize(("fmt", "name"), CONVERTIBLE)
def test_mutated_notebooks_are_converted_or_refused_never_crash(fmt, name):
    import random

    rng = random.Random(14)
    outcomes = set()
    for notebook in mutations(load(name), rng, 400):
        try:
            converted = import_notebook(fmt, notebook)
        except InteropError as error:
            assert error.status == 422 and error.problem
            outcomes.add("refused")
            continue
        outcomes.add("converted")
        if not [f for f in converted.findings if f.severity == "error"]:
            export_notebook("nbgrader", converted.notebook)
    assert outcomes == {"refused", "converted"}
