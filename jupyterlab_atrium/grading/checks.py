"""Turn an instructor's test cell into what the sandbox computes and what the worker decides.

A test cell is Python written for people: ``assert square(2) == 4``. Run as written inside
the student's interpreter, its verdict would be the student's to forge (patch
``AssertionError``, an ``__eq__`` that always says yes, a trace function). So each statement
is read here, outside, and split:

* ``assert A <op> B`` (one comparison: ``==``, ``!=``, ``<``, ``<=``, ``>``, ``>=``, ``in``,
  ``not in``, ``is``, ``is not``): each side is a **probe** — an expression the sandbox
  evaluates and returns as plain data — unless it is a literal (``4``, ``[1, 2]``,
  ``"text"``), which never enters the sandbox at all: a hidden test's expected value stays
  in the worker. The comparison runs in the worker (``compare.py``).
* ``assert math.isclose(A, B, rel_tol=…)``, ``np.isclose``/``np.allclose`` and statements
  calling ``np.testing.assert_allclose`` / ``assert_array_equal`` / ``assert_equal`` /
  ``assert_almost_equal`` and ``pd.testing.assert_frame_equal`` / ``assert_series_equal``:
  the same, with the call's tolerance.
* ``assert A`` / ``assert not A``: a probe whose plain value must be truthy / falsy.
* Anything else (set-up lines, imports, calls of the instructor's own helpers) runs in the
  sandbox as written, as plain Python (no IPython transformers or hooks the student could
  have installed); only whether it raised counts. This is the one part a student's code
  could influence, and docs/grading.md says so: official checks belong in the forms above.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass
from typing import Any

from .compare import DEFAULT_TOLERANCE, Verdict, _float, compare_values

OPS: dict[type, str] = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.In: "in",
    ast.NotIn: "not in",
    ast.Is: "is",
    ast.IsNot: "is not",
}
#: Calls whose arguments are compared for equality (with the call's tolerance).
EQUAL_CALLS = {
    "assert_allclose",
    "assert_array_equal",
    "assert_equal",
    "assert_almost_equal",
    "assert_array_almost_equal",
    "assert_frame_equal",
    "assert_series_equal",
}
CLOSE_CALLS = {"isclose", "allclose"}


@dataclass(frozen=True)
class Literal:
    value: Any


@dataclass(frozen=True)
class Probe:
    expression: str


Side = Literal | Probe


@dataclass(frozen=True)
class Run:
    """Code that runs in the sandbox as written; it passes when it does not raise."""

    source: str
    line: int


@dataclass(frozen=True)
class Check:
    left: Side
    op: str
    right: Side
    line: int
    message: str | None = None
    tolerance: float = DEFAULT_TOLERANCE


@dataclass(frozen=True)
class Truth:
    subject: Probe
    expected: bool
    line: int
    message: str | None = None


Item = Run | Check | Truth


class PlanError(ValueError):
    """The test cell is not Python (a SyntaxError): the instructor's lint should have said."""


def _side(node: ast.expr, source: str) -> Side:
    try:
        return Literal(ast.literal_eval(node))
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        segment = ast.get_source_segment(source, node)
        return Probe(segment if segment is not None else ast.unparse(node))


def _message(node: ast.Assert) -> str | None:
    if node.msg is None:
        return None
    try:
        value = ast.literal_eval(node.msg)
    except (ValueError, TypeError, SyntaxError):
        return None
    return value if isinstance(value, str) else None


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def _tolerance(call: ast.Call) -> float:
    for keyword in call.keywords:
        if keyword.arg in ("rtol", "rel_tol"):
            try:
                value = ast.literal_eval(keyword.value)
            except (ValueError, TypeError, SyntaxError):
                continue
            if isinstance(value, (int, float)) and 0 <= value <= 1:
                return float(value)
    # The defaults of the functions named: numpy.testing.assert_allclose 1e-7,
    # math.isclose 1e-9, numpy.isclose and numpy.allclose 1e-5.
    name = _name(call.func)
    if name == "assert_allclose":
        return 1e-7
    if name in CLOSE_CALLS:
        owner = call.func.value if isinstance(call.func, ast.Attribute) else None
        return 1e-9 if isinstance(owner, ast.Name) and owner.id == "math" else 1e-5
    return DEFAULT_TOLERANCE


def _equal_call(call: ast.Call, source: str, line: int, message: str | None) -> Check | None:
    if len(call.args) < 2:
        return None
    return Check(
        _side(call.args[0], source),
        "==",
        _side(call.args[1], source),
        line,
        message,
        _tolerance(call),
    )


def _statement(node: ast.stmt, source: str) -> Item:
    line = node.lineno
    if isinstance(node, ast.Assert):
        message = _message(node)
        test = node.test
        if isinstance(test, ast.Compare) and len(test.ops) == 1 and type(test.ops[0]) in OPS:
            return Check(
                _side(test.left, source),
                OPS[type(test.ops[0])],
                _side(test.comparators[0], source),
                line,
                message,
            )
        if isinstance(test, ast.Call) and _name(test.func) in CLOSE_CALLS:
            found = _equal_call(test, source, line, message)
            if found is not None:
                return found
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            subject = _side(test.operand, source)
            if isinstance(subject, Probe):
                return Truth(subject, False, line, message)
        subject = _side(test, source)
        if isinstance(subject, Probe):
            return Truth(subject, True, line, message)
    if (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Call)
        and _name(node.value.func) in EQUAL_CALLS
    ):
        found = _equal_call(node.value, source, line, None)
        if found is not None:
            return found
    segment = ast.get_source_segment(source, node)
    return Run(segment if segment is not None else ast.unparse(node), line)


def plan(source: str) -> list[Item]:
    """The test cell's statements, in order, each as a check or as code to run."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError) as err:
        raise PlanError(f"the test cell is not valid Python: {err}") from None
    return [_statement(node, source) for node in tree.body]


def decide(check: Check | Truth, left: Any, right: Any = None) -> Verdict:
    """The verdict of one check from the plain values its probes returned."""
    if isinstance(check, Truth):
        truthy = _truthy(left)
        if truthy is None:
            return Verdict(False, "the value is not plain data")
        if truthy is check.expected:
            return Verdict(True)
        return Verdict(False, f"expected a {'true' if check.expected else 'false'} value")
    op = check.op
    verdict: Verdict
    if op in ("==", "!="):
        equal = compare_values(right, left, check.tolerance)
        passed = equal.passed if op == "==" else not equal.passed
        verdict = Verdict(passed, "" if passed else equal.why or "the values are equal")
    elif op in ("<", "<=", ">", ">="):
        a, b = _float(left), _float(right)
        if a is None or b is None or math.isnan(a) or math.isnan(b):
            verdict = Verdict(False, "only numbers can be ordered here")
        else:
            passed = {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]
            verdict = Verdict(passed, "" if passed else f"expected {a!r} {op} {b!r}")
    elif op in ("in", "not in"):
        found = _contains(right, left, check.tolerance)
        if found is None:
            verdict = Verdict(False, "the container is not plain data")
        else:
            passed = found if op == "in" else not found
            verdict = Verdict(passed, "" if passed else f"{left!r:.60} {op} the value failed")
    else:  # is / is not: only None, True and False have an identity worth testing
        same = left is right if right in (None, True, False) else None
        if same is None:
            verdict = Verdict(False, "'is' is only decided for None, True and False")
        else:
            passed = same if op == "is" else not same
            verdict = Verdict(passed, "" if passed else f"expected {op} {right!r}")
    return verdict


def _truthy(value: Any) -> bool | None:
    if type(value) is dict and set(value) == {"__float__"}:
        return True  # nan and infinities are truthy
    if type(value) is dict and "__ndarray__" in value:
        return None  # numpy refuses the truth of an array; so do we
    return bool(value)


def _contains(container: Any, item: Any, tolerance: float) -> bool | None:
    if type(container) is str:
        return type(item) is str and item in container
    if type(container) is list:
        return any(compare_values(member, item, tolerance).passed for member in container)
    if type(container) is dict and "__ndarray__" not in container and "__table__" not in container:
        return type(item) is str and item in container
    return None
