"""otter-grader master notebooks (Otter Assign's format with raw-cell delimiters) in.

Raw cells delimit the parts: ``# ASSIGNMENT CONFIG`` (YAML), ``# BEGIN QUESTION`` (YAML:
``name``, ``points``, ``manual``) … ``# END QUESTION``, and inside a question
``# BEGIN SOLUTION`` / ``# END SOLUTION``, ``# BEGIN TESTS`` / ``# END TESTS`` and
``# BEGIN PROMPT`` / ``# END PROMPT``. The delimiter cells are dropped; a question becomes an
exercise: its prompt instructions, its first solution cell the answer (``manual``: a manually
graded answer), each test cell a tests cell with its points and ``hidden`` flag (from its
``# BEGIN TEST CONFIG`` block in triple quotes). Otter compares a test's output with the
one saved in the master notebook; Atrium tests pass when they run without an error, so a test
whose saved output is a value becomes an ``assert repr(...) == ...``.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import yaml

from .data import EXERCISE_ID, LIMITS, METADATA_VERSION, is_number, json_type
from .interop import Converted, InteropError, finish_import, import_error, read_notebook, set_grader

DELIMITER = re.compile(
    r"#\s*(ASSIGNMENT CONFIG|BEGIN QUESTION|END QUESTION|BEGIN SOLUTION|END SOLUTION"
    r"|BEGIN TESTS|END TESTS|BEGIN PROMPT|END PROMPT)(\s+NO PROMPT)?\s*"
)
PARTS = ("SOLUTION", "TESTS", "PROMPT")
TEST_CONFIG = re.compile(r'\s*(?:"""|\'\'\')\s*#\s*BEGIN TEST CONFIG\s*')
TEST_CONFIG_END = re.compile(r'\s*(?:"""|\'\'\')\s*#\s*END TEST CONFIG\s*')
#: A solution line in otter's inline form: ``x = 2  # SOLUTION``.
INLINE_SOLUTION = re.compile(r"^(\s*)(.*?)\s*#\s*SOLUTION\s*$")


def _refuse(cell: int | None, problem: str) -> InteropError:
    return import_error("otter", cell, problem)


def _yaml(text: str, index: int, what: str) -> dict[str, Any]:
    try:
        value = yaml.safe_load(text) if text.strip() else {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        raise _refuse(index, f"the {what} is not valid YAML{where}") from None
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _refuse(index, f"the {what} must be YAML keys and values, not {json_type(value)}")
    return value


def _delimiter(cell: dict[str, Any]) -> tuple[str, str] | None:
    """(delimiter, the YAML after it) of a raw delimiter cell."""
    if cell["cell_type"] != "raw":
        return None
    first, _, rest = cell["source"].lstrip("\n").partition("\n")
    match = DELIMITER.fullmatch(first.strip())
    return None if match is None else (match.group(1), rest)


def _points(value: Any, index: int, where: str) -> float | None:
    if value is None:
        return None
    if not is_number(value) or value < 0 or value > LIMITS["points"]:
        raise _refuse(index, f"{where} must be a number from 0 to {LIMITS['points']}")
    return value


class _Question:
    def __init__(self, index: int, config: dict[str, Any]) -> None:
        name = config.get("name")
        if not isinstance(name, str) or not EXERCISE_ID.fullmatch(name):
            raise _refuse(
                index, "the question's name must be 1 to 64 letters, digits, _ or - (name: q1)"
            )
        manual = config.get("manual", False)
        if not isinstance(manual, bool):
            raise _refuse(index, f"manual must be true or false, not {json_type(manual)}")
        points = config.get("points")
        if isinstance(points, list):
            self.points: Any = [_points(p, index, "each of points") for p in points]
        else:
            self.points = _points(points, index, "points")
        self.index = index
        self.name = name
        self.manual = manual
        self.part: tuple[str, int] | None = None  # (part, the cell that opened it)
        self.answers: list[tuple[int, dict[str, Any]]] = []
        self.tests: list[tuple[int, dict[str, Any], float | None]] = []


def _inline_solutions(source: str) -> str:
    """otter's ``... # SOLUTION`` lines as Atrium solution regions of one line each."""
    out = []
    for line in source.split("\n"):
        match = INLINE_SOLUTION.match(line)
        if match is None or not match.group(2):
            out.append(line)
            continue
        indent, code = match.group(1), match.group(2)
        out += [f"{indent}# BEGIN SOLUTION", f"{indent}{code}", f"{indent}# END SOLUTION"]
    return "\n".join(out)


def _test_config(cell: dict[str, Any], index: int) -> dict[str, Any]:
    """The test's config block, removed from its source (``# HIDDEN`` too, otter's old form)."""
    lines = cell["source"].split("\n")
    config: dict[str, Any] = {}
    if lines and TEST_CONFIG.fullmatch(lines[0]):
        end = next((n for n, line in enumerate(lines) if TEST_CONFIG_END.fullmatch(line)), None)
        if end is None:
            raise _refuse(index, "BEGIN TEST CONFIG without its END TEST CONFIG line")
        config = _yaml("\n".join(lines[1:end]), index, "test config")
        lines = lines[end + 1 :]
    elif lines and lines[0].strip() == "# HIDDEN":
        config = {"hidden": True}
        lines = lines[1:]
    hidden = config.get("hidden", False)
    if not isinstance(hidden, bool):
        raise _refuse(index, f"hidden must be true or false, not {json_type(hidden)}")
    message = config.get("failure_message")
    if message is not None and (
        not isinstance(message, str) or len(message) > LIMITS["messageChars"]
    ):
        raise _refuse(index, f"failure_message must be text of at most {LIMITS['messageChars']}")
    cell["source"] = "\n".join(lines)
    return config


def _expected_value(cell: dict[str, Any], index: int) -> str | None:
    """The text/plain value otter would compare the test's last expression with, if any."""
    values = []
    outputs = cell.get("outputs") or []
    if not isinstance(outputs, list):
        raise _refuse(index, f"outputs must be a list, not {json_type(outputs)}")
    for output in outputs:
        kind = output.get("output_type") if isinstance(output, dict) else None
        if kind == "execute_result":
            data = output.get("data")
            text = data.get("text/plain") if isinstance(data, dict) else None
            if isinstance(text, list) and all(isinstance(part, str) for part in text):
                text = "".join(text)
            values.append(text)
        elif kind is not None:
            raise _refuse(
                index,
                f"this test's saved output is a {kind} output: otter compares printed output, "
                "Atrium tests pass when they run without an error; rewrite it as an assert",
            )
    if not values:
        return None
    if len(values) > 1 or not isinstance(values[0], str):
        raise _refuse(index, "this test has more than one saved value: rewrite it as asserts")
    return values[0]


def _as_assert(source: str, expected: str, index: int) -> str:
    lines = source.rstrip("\n").split("\n")
    last = lines[-1] if lines else ""
    if not last.strip() or last.startswith((" ", "\t")) or last.lstrip().startswith("#"):
        raise _refuse(index, "this test's saved value does not follow a last-line expression")
    lines[-1] = f"assert repr({last.strip()}) == {expected!r}, {f'expected {expected}'!r}"
    return "\n".join(lines)


def _close(question: _Question, converted: Converted) -> None:
    for number, (index, cell) in enumerate(question.answers):
        exercise = question.name if number == 0 else f"{question.name}-{number + 1}"
        role = "manual" if question.manual or cell["cell_type"] != "code" else "answer"
        grader: dict[str, Any] = {"role": role, "exercise": exercise}
        if role == "manual" and number == 0:
            grader["points"] = question.points if is_number(question.points) else 1
        if number:
            converted.note(
                index,
                cell,
                f'question "{question.name}" has more than one solution cell: this one is '
                f'exercise "{exercise}" (Atrium exercises have one answer cell)',
            )
        set_grader(cell, grader, index, _refuse)
    tests = question.tests
    if isinstance(question.points, list) and len(question.points) != len(tests):
        raise _refuse(
            question.index,
            f"points lists {len(question.points)} values for {len(tests)} test cells",
        )
    unset = [n for n, (_, _, points) in enumerate(tests) if points is None]
    total = question.points if is_number(question.points) else 1 if not question.manual else 0
    given = sum(points for _, _, points in tests if points is not None)
    share = max(total - given, 0) / len(unset) if unset else 0
    for number, (_, cell, points) in enumerate(tests):
        if isinstance(question.points, list):
            points = question.points[number]
        elif points is None:
            points = share
        cell["metadata"]["atrium"]["grader"]["points"] = points


def _test_cell(question: _Question, index: int, cell: dict[str, Any]) -> None:
    if cell["cell_type"] != "code":
        raise _refuse(index, "a test inside BEGIN TESTS must be a code cell")
    config = _test_config(cell, index)
    expected = _expected_value(cell, index)
    if expected is not None:
        cell["source"] = _as_assert(cell["source"], expected, index)
        cell["outputs"] = []
    grader: dict[str, Any] = {"role": "tests", "exercise": question.name}
    if config.get("hidden"):
        grader["hidden"] = True
    if config.get("failure_message"):
        grader["message"] = config["failure_message"]
    set_grader(cell, grader, index, _refuse)
    question.tests.append((index, cell, _points(config.get("points"), index, "points")))


def import_otter(value: Any) -> Converted:
    """An Otter Assign master notebook as an Atrium instructor notebook."""
    notebook = read_notebook(value, _refuse)
    converted = Converted(notebook)
    question: _Question | None = None
    names: dict[str, int] = {}
    dropped: set[int] = set()
    title = None
    for index, cell in enumerate(notebook["cells"]):
        found = _delimiter(cell)
        if found is None:
            if question is None:
                continue
            part = question.part[0] if question.part else None
            if part == "SOLUTION":
                cell["source"] = _inline_solutions(cell["source"])
                question.answers.append((index, cell))
            elif part == "TESTS":
                _test_cell(question, index, cell)
            elif cell["cell_type"] != "raw":
                prompt = {"role": "instructions", "exercise": question.name}
                set_grader(cell, prompt, index, _refuse)
            continue
        dropped.add(index)
        word, rest = found
        if word == "ASSIGNMENT CONFIG":
            if question is not None:
                raise _refuse(index, f'ASSIGNMENT CONFIG inside question "{question.name}"')
            config = _yaml(rest, index, "assignment config")
            if isinstance(config.get("name"), str):
                title = config["name"][: LIMITS["titleChars"]]
        elif word == "BEGIN QUESTION":
            if question is not None:
                raise _refuse(
                    index,
                    f'BEGIN QUESTION while question "{question.name}" (cell {question.index + 1}) '
                    "is still open: add # END QUESTION",
                )
            question = _Question(index, _yaml(rest, index, "question config"))
            first = names.setdefault(question.name, index)
            if first != index:
                raise _refuse(index, f'question "{question.name}" is also in cell {first + 1}')
        elif question is None:
            raise _refuse(index, f"{word} outside a question (no # BEGIN QUESTION before it)")
        elif word == "END QUESTION":
            if question.part is not None:
                part, opened = question.part
                raise _refuse(index, f"END QUESTION while BEGIN {part} (cell {opened + 1}) is open")
            _close(question, converted)
            question = None
        else:
            verb, part = word.split(" ", 1)
            if verb == "BEGIN":
                if question.part is not None:
                    raise _refuse(
                        index,
                        f"BEGIN {part} while BEGIN {question.part[0]} (cell "
                        f"{question.part[1] + 1}) is still open",
                    )
                question.part = (part, index)
            elif question.part is None or question.part[0] != part:
                raise _refuse(index, f"END {part} without BEGIN {part}")
            else:
                question.part = None
    if question is not None:
        raise _refuse(question.index, f'question "{question.name}" has no # END QUESTION')
    kept = [index for index in range(len(notebook["cells"])) if index not in dropped]
    notebook["cells"] = [notebook["cells"][index] for index in kept]
    # The notes name cells of the imported notebook, where the delimiter cells are gone.
    position = {old: new for new, old in enumerate(kept)}
    converted.findings = [replace(f, cell=position.get(f.cell, f.cell)) for f in converted.findings]
    atrium = notebook["metadata"].setdefault("atrium", {})
    if title is not None and isinstance(atrium, dict) and "grader" not in atrium:
        atrium["grader"] = {"version": METADATA_VERSION, "title": title}
    elif not atrium:
        notebook["metadata"].pop("atrium")
    return finish_import(converted)
