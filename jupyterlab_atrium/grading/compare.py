"""Pass or fail, decided in the worker's own process from plain data (never inside the
sandbox, where the student's code could change what ``==`` means).

Two comparisons, both with a relative tolerance for numbers:

* ``compare_values``: what a probe returned (``runner.plain``: JSON data, with NumPy arrays,
  pandas tables and non-finite floats in tagged objects) against the expected value;
* ``compare_text``: printed or displayed text against the expected output (Ordo-style):
  whitespace is ignored, numbers match within the tolerance, everything else exactly — so a
  table printed as text is compared cell by cell.

Each gives a ``Verdict`` whose ``why`` names the first difference (``[2]['a']: expected 3,
got 3.5``); whether a student sees it is the assignment's reveal policy, not this module's.
The cases in tests/fixtures/compare/cases.json are the rule; a browser twin for instant
checks must pass them too.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

DEFAULT_TOLERANCE = 1e-9
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_SHOWN = 60


@dataclass(frozen=True)
class Verdict:
    passed: bool
    why: str = ""


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def _float(value: Any) -> float | None:
    """A number of plain data (bools are not numbers here), or None."""
    if type(value) in (int, float):
        return float(value)
    if type(value) is dict and set(value) == {"__float__"}:
        try:
            return float(value["__float__"])
        except (TypeError, ValueError):
            return None
    return None


def close(expected: float, actual: float, tolerance: float) -> bool:
    if math.isnan(expected) or math.isnan(actual):
        return math.isnan(expected) and math.isnan(actual)
    if math.isinf(expected) or math.isinf(actual):
        return expected == actual
    return math.isclose(expected, actual, rel_tol=tolerance, abs_tol=tolerance * 1e-3)


def compare_values(expected: Any, actual: Any, tolerance: float = DEFAULT_TOLERANCE) -> Verdict:
    why = _difference(expected, actual, tolerance, "", 0)
    return Verdict(why is None, why or "")


def _difference(expected: Any, actual: Any, tol: float, path: str, depth: int) -> str | None:
    where = path or "the value"
    if depth > 64:
        return f"{where}: nested too deeply to compare"
    e_num, a_num = _float(expected), _float(actual)
    if e_num is not None or a_num is not None:
        if e_num is None or a_num is None:
            return f"{where}: expected {_show(expected)}, got {_show(actual)}"
        if close(e_num, a_num, tol):
            return None
        return f"{where}: expected {_show(expected)}, got {_show(actual)}"
    if type(expected) is not type(actual):
        return f"{where}: expected {_show(expected)}, got {_show(actual)}"
    if type(expected) is list:
        if len(expected) != len(actual):
            return f"{where}: expected {len(expected)} items, got {len(actual)}"
        for index, (e, a) in enumerate(zip(expected, actual, strict=True)):
            found = _difference(e, a, tol, f"{path}[{index}]", depth + 1)
            if found:
                return found
        return None
    if type(expected) is dict and "__ndarray__" in expected and "__ndarray__" in actual:
        # The values, not the storage type: int32 against int64 is the same answer.
        return _difference(expected["__ndarray__"], actual["__ndarray__"], tol, path, depth + 1)
    if type(expected) is dict:
        if set(expected) != set(actual):
            missing = sorted(set(expected) - set(actual))
            extra = sorted(set(actual) - set(expected))
            if missing:
                return f"{where}: missing {_show(missing[0])}"
            return f"{where}: unexpected {_show(extra[0])}"
        for key in expected:
            found = _difference(expected[key], actual[key], tol, f"{path}[{key!r}]", depth + 1)
            if found:
                return found
        return None
    if expected == actual:
        return None
    return f"{where}: expected {_show(expected)}, got {_show(actual)}"


def _tokens(text: str) -> list[str]:
    return text.split()


def compare_text(expected: str, actual: str, tolerance: float = DEFAULT_TOLERANCE) -> Verdict:
    want, got = _tokens(expected), _tokens(actual)
    for index, (e, a) in enumerate(zip(want, got, strict=False)):
        if e == a:
            continue
        if _NUMBER.fullmatch(e) and _NUMBER.fullmatch(a) and close(float(e), float(a), tolerance):
            continue
        return Verdict(False, f"word {index + 1}: expected {_show(e)}, got {_show(a)}")
    if len(want) != len(got):
        if len(got) < len(want):
            return Verdict(False, f"the output ends early: {_show(want[len(got)])} is missing")
        return Verdict(False, f"the output goes on: {_show(got[len(want)])} was not expected")
    return Verdict(True)
