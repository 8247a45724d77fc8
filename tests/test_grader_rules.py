"""The grader's shared rules, Python side. The fixtures in tests/fixtures/grader are shared with
the jest tests (src/grader/__tests__/rules.spec.ts): both languages must give every
``<case>.in.ipynb`` the findings of ``<case>.lint.json`` and the student version of
``<case>.student.ipynb`` (or refuse it with the message of ``<case>.error.json``).

ATRIUM_REGEN_GRADER_FIXTURES=1 rewrites the expected files from this implementation; review
the diff before committing it, and the jest run then holds the browser to it."""

from __future__ import annotations

import copy
import json
import os
import random
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from jupyterlab_atrium.grader import (
    BLOCKING,
    METADATA_VERSION,
    SCHEMA_FILE,
    GraderError,
    lint,
    student_version,
    summary,
)
from jupyterlab_atrium.grader.analysis import too_deep
from jupyterlab_atrium.grader.data import LIMITS, RULES
from jupyterlab_atrium.grader.markers import parse, transform
from jupyterlab_atrium.grader.metadata import cell_problems, notebook_problems

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "grader"
CASES = sorted(path.name[: -len(".in.ipynb")] for path in FIXTURES.glob("*.in.ipynb"))
GENERATED = FIXTURES / "generated" / "random-notebooks.json"
REGEN = os.environ.get("ATRIUM_REGEN_GRADER_FIXTURES") == "1"
CANARY = "CANARY"
RULE_IDS = (
    "notebook-invalid",
    "cell-invalid",
    "metadata-invalid",
    "nested-marker",
    "unmatched-end",
    "unclosed-marker",
    "misplaced-marker",
    "marker-lookalike",
    "duplicate-exercise",
    "tests-without-points",
    "tests-without-answer",
    "answer-without-markers",
    "expected-output-missing",
    "solution-leak",
    "leak-check-limited",
)


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def dump(path: Path, value: Any) -> None:
    text = json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8")


def findings(nb: Any) -> list[dict[str, Any]]:
    return [finding.to_json() for finding in lint(nb)]


def expected_student(case: str) -> tuple[Any, str | None]:
    error = FIXTURES / f"{case}.error.json"
    if error.exists():
        return None, load(error)["error"]
    return load(FIXTURES / f"{case}.student.ipynb"), None


# --- generated notebooks: many random combinations, for both languages ------------------

LINES = [
    "### BEGIN SOLUTION",
    "### END SOLUTION",
    "### BEGIN HIDDEN TESTS",
    "### END HIDDEN TESTS",
    "    ### BEGIN SOLUTION  ",
    "    ### END SOLUTION\r",
    "# BEGIN SOLUTION",
    "// END SOLUTION",
    "<!-- BEGIN SOLUTION -->",
    "/* END HIDDEN TESTS */",
    "### begin solution",
    "s = '### BEGIN SOLUTION'",
    "x = compute_the_answer(42)  # CANARY",
    "    return sorted(values)[::-1]",
    "assert f(3) == 9",
    "print('résumé ✓ 😀 done')",
    "",
    "   ",
    "\t\tindented = True",
    "y = 1",
]
ROLE_SETS = [
    {"version": 1, "role": "answer", "exercise": "q1"},
    {"version": 1, "role": "answer", "exercise": "q2"},
    {"version": 1, "role": "tests", "exercise": "q1", "points": 1, "message": "m"},
    {"version": 1, "role": "tests", "exercise": "q2"},
    {"version": 1, "role": "tests", "exercise": "q1", "points": 2, "hidden": True},
    {"version": 1, "role": "instructions"},
    {"version": 1, "role": "notes"},
    {"version": 1, "role": "manual", "exercise": "q3", "points": 1},
    {"version": 1, "role": "expected-output", "exercise": "q4", "expected": {"text/plain": "4"}},
    None,
]
BAD_GRADERS = [
    {"version": 1, "role": "answer"},
    {"version": 2, "role": "answer", "exercise": "q1"},
    {"version": 1, "role": "tests", "exercise": "bad id", "points": "1"},
    "answer",
]


def generated_notebook(rng: random.Random) -> dict[str, Any]:
    cells = []
    for index in range(rng.randint(0, 6)):
        lines = [rng.choice(LINES) for _ in range(rng.randint(0, 7))]
        source: Any = "\n".join(lines)
        if rng.random() < 0.2:
            source = [line + "\n" for line in lines]
        metadata: dict[str, Any] = {}
        grader = rng.choice(BAD_GRADERS if rng.random() < 0.04 else ROLE_SETS)
        if grader is not None:
            metadata["atrium"] = {"grader": copy.deepcopy(grader)}
        if rng.random() < 0.2:
            metadata["note"] = rng.choice(LINES)
        cell_type = rng.choice(["code", "code", "markdown", "raw"])
        cell: dict[str, Any] = {
            "cell_type": cell_type,
            "id": f"cell-{index}",
            "metadata": metadata,
            "source": source,
        }
        if cell_type == "code":
            text = rng.choice(LINES)
            cell["outputs"] = [{"name": "stdout", "output_type": "stream", "text": text}]
            cell["execution_count"] = index
        elif rng.random() < 0.3:
            cell["attachments"] = {"a.png": {"image/png": rng.choice(LINES)}}
        cells.append(cell)
    language = rng.choice(["python", "r", "javascript", "c++", None])
    metadata = {} if language is None else {"kernelspec": {"language": language}}
    if rng.random() < 0.3:
        metadata["atrium"] = {"grader": {"version": 1, "title": rng.choice(LINES)}}
    return {"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}


def generated_case(nb: dict[str, Any]) -> dict[str, Any]:
    case: dict[str, Any] = {"notebook": nb, "lint": findings(nb), "summary": summary(nb)}
    try:
        case["student"] = student_version(nb)
    except GraderError as error:
        case["error"] = error.message
    return case


if REGEN:
    _rng = random.Random(14)
    _cases = [generated_case(generated_notebook(_rng)) for _ in range(120)]
    _lines = (json.dumps(c, sort_keys=True, ensure_ascii=False) for c in _cases)
    GENERATED.write_text("[\n" + ",\n".join(_lines) + "\n]\n", encoding="utf-8")
    for _case in CASES:
        _nb = load(FIXTURES / f"{_case}.in.ipynb")
        dump(FIXTURES / f"{_case}.lint.json", findings(_nb))
        dump(FIXTURES / f"{_case}.summary.json", summary(_nb))
        for _suffix in ("error.json", "student.ipynb"):
            (FIXTURES / f"{_case}.{_suffix}").unlink(missing_ok=True)
        try:
            dump(FIXTURES / f"{_case}.student.ipynb", student_version(_nb))
        except GraderError as _error:
            dump(FIXTURES / f"{_case}.error.json", {"error": _error.message})


# --- the shared fixtures ----------------------------------------------------------------


def test_the_fixtures_cover_every_rule_failing_and_passing():
    assert len(CASES) >= 15
    seen = set()
    for case in CASES:
        assert (FIXTURES / f"{case}.lint.json").exists(), case
        assert (FIXTURES / f"{case}.summary.json").exists(), case
        student, error = expected_student(case)
        assert (student is None) != (error is None), case
        seen.update(finding["rule"] for finding in load(FIXTURES / f"{case}.lint.json"))
    assert seen == set(RULE_IDS)
    # The passing case of every rule: a complete assignment using every role and both marker
    # kinds lints clean, and so does a notebook without grader metadata.
    assert load(FIXTURES / "assignment.lint.json") == []
    assert load(FIXTURES / "ungraded.lint.json") == []


@pytest.mark.parametrize("case", CASES)
def test_lint_gives_the_expected_findings(case):
    nb = load(FIXTURES / f"{case}.in.ipynb")
    assert findings(nb) == load(FIXTURES / f"{case}.lint.json")


@pytest.mark.parametrize("case", CASES)
def test_summary_gives_the_expected_exercises_and_points(case):
    nb = load(FIXTURES / f"{case}.in.ipynb")
    assert summary(nb) == load(FIXTURES / f"{case}.summary.json")


@pytest.mark.parametrize("case", CASES)
def test_student_version_is_the_expected_one(case):
    nb = load(FIXTURES / f"{case}.in.ipynb")
    before = copy.deepcopy(nb)
    student, error = expected_student(case)
    if error is not None:
        with pytest.raises(GraderError) as raised:
            student_version(nb)
        assert raised.value.message == error
        assert raised.value.status == 400
    else:
        assert student_version(nb) == student
    assert nb == before, "the instructor notebook must not change"


@pytest.mark.parametrize("case", CASES)
def test_no_secret_reaches_the_student_version(case):
    """Every solution, hidden test, expected output and note in the fixtures carries a canary;
    only the leak fixture (whose leaks lint reports) may let one through."""
    nb = load(FIXTURES / f"{case}.in.ipynb")
    try:
        text = json.dumps(student_version(nb), ensure_ascii=False)
    except GraderError:
        return
    leaks = [f for f in findings(nb) if f["rule"] in ("solution-leak", "marker-lookalike")]
    if leaks:
        assert any(f["severity"] == "error" for f in leaks)
    else:
        assert CANARY not in text


def test_a_student_version_is_locked_and_keeps_cell_ids():
    nb = load(FIXTURES / "assignment.in.ipynb")
    student = student_version(nb)
    by_id = {cell["id"]: cell for cell in student["cells"]}
    assert "notes" not in by_id and "q1-hidden" not in by_id
    for cell_id in ("intro", "setup", "q1-tests"):
        assert by_id[cell_id]["metadata"]["editable"] is False
        assert by_id[cell_id]["metadata"]["deletable"] is False
    for cell_id in ("q1-answer", "q2-answer", "q3-answer"):
        assert by_id[cell_id]["metadata"]["editable"] is True
        assert by_id[cell_id]["metadata"]["deletable"] is False
    assert by_id["q1-answer"]["outputs"] == []
    assert "attachments" not in by_id["q2-answer"]
    assert "expected" not in by_id["q3-answer"]["metadata"]["atrium"]["grader"]
    assert student["metadata"]["atrium"]["grader"]["variant"] == "student"


def test_the_schema_accepts_exactly_what_the_rules_accept():
    schema = load(SCHEMA_FILE)
    jsonschema.Draft202012Validator.check_schema(schema)
    cell = jsonschema.Draft202012Validator({**schema, "$ref": "#/$defs/cell"})
    notebook = jsonschema.Draft202012Validator({**schema, "$ref": "#/$defs/notebook"})
    checked = 0
    for case in CASES:
        nb = load(FIXTURES / f"{case}.in.ipynb")
        values = []
        meta = nb.get("metadata") if isinstance(nb, dict) else None
        if isinstance(meta, dict) and isinstance(meta.get("atrium"), dict):
            if "grader" in meta["atrium"]:
                values.append((notebook, notebook_problems, meta["atrium"]["grader"]))
        for c in nb.get("cells", []) if isinstance(nb.get("cells"), list) else []:
            m = c.get("metadata") if isinstance(c, dict) else None
            if (
                isinstance(m, dict)
                and isinstance(m.get("atrium"), dict)
                and "grader" in m["atrium"]
            ):
                values.append((cell, cell_problems, m["atrium"]["grader"]))
        for validator, problems, value in values:
            checked += 1
            assert validator.is_valid(value) == (problems(value) == []), (case, value)
    assert checked >= 40


def test_the_published_schema_is_the_shipped_one():
    assert load(ROOT / "docs" / "grader-metadata.schema.json") == load(SCHEMA_FILE)
    assert load(SCHEMA_FILE)["$defs"]["cell"]["properties"]["version"]["const"] == METADATA_VERSION
    roles = load(SCHEMA_FILE)["$defs"]["cell"]["properties"]["role"]["enum"]
    assert roles == RULES["roles"]


def test_the_docs_name_every_rule():
    text = (ROOT / "docs" / "instructor.md").read_text(encoding="utf-8")
    for rule in RULE_IDS:
        assert f"`{rule}`" in text, rule


PAIRS = load(FIXTURES / "rule-pairs.json")


def test_every_rule_has_a_pair():
    assert sorted(pair["rule"] for pair in PAIRS) == sorted(RULE_IDS)


@pytest.mark.parametrize("pair", PAIRS, ids=[pair["rule"] for pair in PAIRS])
def test_each_rule_fails_its_broken_notebook_and_passes_the_fixed_one(pair):
    if "failingCase" in pair:
        failing = load(FIXTURES / f"{pair['failingCase']}.in.ipynb")
    else:
        failing = pair["failing"]
    assert pair["rule"] in {f["rule"] for f in findings(failing)}
    assert findings(pair["passing"]) == []
    student_version(pair["passing"])


def test_generated_notebooks_give_the_stored_results():
    """120 random notebooks (markers of every form, broken ones, look-alikes, roles valid and
    not, CRLF, astral characters); the jest twin must give the same results."""
    cases = load(GENERATED)
    assert len(cases) == 120
    kinds = {"error" in case for case in cases}
    assert kinds == {True, False}
    for number, case in enumerate(cases):
        assert generated_case(case["notebook"]) == case, number


# --- markers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "### BEGIN SOLUTION",
        "# BEGIN SOLUTION",
        "    ### BEGIN SOLUTION   ",
        "### BEGIN SOLUTION\r",
        "// BEGIN SOLUTION",
        "% BEGIN SOLUTION",
        "-- BEGIN SOLUTION",
        ";; BEGIN SOLUTION",
        "/* BEGIN SOLUTION */",
        "<!-- BEGIN SOLUTION -->",
        "\t#BEGIN SOLUTION",
    ],
)
def test_marker_lines(line):
    parsed = parse(line + "\nx = 'secret'\n### END SOLUTION")
    assert 0 in parsed.markers and not parsed.problems


@pytest.mark.parametrize(
    "line",
    [
        "print('### BEGIN SOLUTION')",
        "### begin solution",
        "### BEGIN SOLUTION please",
        "### BEGIN  SOLUTION",
        "BEGIN SOLUTION",
        "x = 1  ### BEGIN SOLUTION",
    ],
)
def test_lines_that_are_not_markers_are_lookalikes(line):
    parsed = parse(line)
    assert parsed.markers == {} and parsed.lookalikes == [0]


def test_a_stub_keeps_the_begin_lines_indent_and_line_end():
    parsed = parse("def f():\r\n    ### BEGIN SOLUTION\r\n    return 1\r\n    ### END SOLUTION\r\n")
    source, solution = transform(parsed, ["# YOUR CODE HERE", "raise NotImplementedError()"])
    assert source == "def f():\r\n    # YOUR CODE HERE\r\n    raise NotImplementedError()\r\n"
    assert solution == [(2, "    return 1\r")]


# --- hostile input ------------------------------------------------------------------------


def cell(source: Any, **metadata: Any) -> dict[str, Any]:
    return {"cell_type": "code", "id": "c", "metadata": metadata, "outputs": [], "source": source}


def test_a_huge_cell_is_refused_with_a_clear_error():
    nb = {"cells": [cell("x" * (LIMITS["cellChars"] + 1))], "metadata": {}}
    [finding] = lint(nb)
    assert finding.rule == "cell-invalid" and finding.cell == 0
    assert str(LIMITS["cellChars"]) in finding.message
    with pytest.raises(GraderError, match="more than"):
        student_version(nb)
    # At the limit it is fine.
    assert lint({"cells": [cell("x" * LIMITS["cellChars"])], "metadata": {}}) == []


def test_a_huge_notebook_is_refused_with_a_clear_error():
    size = LIMITS["cellChars"]
    cells = [cell("x" * size) for _ in range(LIMITS["notebookChars"] // size - 1)]
    assert [f.rule for f in lint({"cells": cells, "metadata": {}})] == []
    cells.append(cell("y" * size))
    [finding] = lint({"cells": cells, "metadata": {}})
    assert finding.rule == "notebook-invalid" and str(LIMITS["notebookChars"]) in finding.message
    with pytest.raises(GraderError, match="characters of text"):
        student_version({"cells": cells, "metadata": {}})


def test_astral_characters_count_as_the_browser_counts_them():
    # An emoji is one code point in Python but two UTF-16 units, as in JavaScript.
    nb = {"cells": [cell("😀" * (LIMITS["cellChars"] // 2 + 1))], "metadata": {}}
    assert [f.rule for f in lint(nb)] == ["cell-invalid"]


def test_too_many_cells_is_refused():
    nb = {"cells": [cell("x")] * (LIMITS["cells"] + 1), "metadata": {}}
    assert [f.rule for f in lint(nb)] == ["notebook-invalid"]


def test_deep_nesting_is_a_finding_not_a_recursion_error():
    deep: Any = "x"
    for _ in range(5000):
        deep = [deep]
    nb = {"cells": [cell("x", saved=deep)], "metadata": {"deep": deep}}
    rules = [f.rule for f in lint(nb)]
    assert rules == ["notebook-invalid", "cell-invalid"]
    with pytest.raises(GraderError):
        student_version(nb)
    assert too_deep(deep, 100) and not too_deep([[1]], 3)


@pytest.mark.parametrize(
    "value",
    [None, 1, "notebook", [], {"cells": None}, {"cells": [None]}, {"cells": [], "metadata": 3}],
)
def test_anything_that_is_not_a_notebook_gets_findings(value):
    result = lint(value)
    assert result and all(f.rule in BLOCKING for f in result)
    with pytest.raises(GraderError, match="cannot make the student version"):
        student_version(value)


@pytest.mark.parametrize(
    "grader",
    [
        float("nan"),
        {"version": float("nan"), "role": "answer"},
        {"version": 1, "role": "tests", "exercise": "q", "points": float("inf")},
        {"version": True, "role": "answer", "exercise": "q"},
        {"version": 1, "role": ["answer"], "exercise": "q"},
        {"version": 1, "role": "answer", "exercise": "q\n"},
    ],
)
def test_values_json_cannot_hold_are_invalid_metadata(grader):
    nb = {"cells": [cell("x", atrium={"grader": grader})], "metadata": {}}
    assert {f.rule for f in lint(nb)} == {"metadata-invalid"}


def test_every_rule_id_in_a_finding_is_documented():
    assert set(RULE_IDS) >= BLOCKING
