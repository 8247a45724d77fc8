"""Expected-output exercises: what an answer cell showed against what the instructor captured.

One rule for both checks of such an exercise — the practice check, where the student's
browser sends the text its cell showed (``service/grading/output_check.py``), and official
grading, where the sandboxed runner returns the cell's outputs as plain data and the worker
compares them in its own process (``grade.py``):

* the **text** a cell showed is what it printed to stdout and the ``text/plain`` form of what
  it displayed, in order (the twin of ``outputText`` in src/grader/check/output.ts); stderr
  and errors are left out;
* it is compared with the expected ``text/plain`` by ``compare.compare_text``: whitespace
  ignored, numbers within the exercise's relative tolerance, a table printed as text cell by
  cell;
* an expected output whose text is only an object's default repr (``<Styler at 0x…>``) but
  that shows an HTML table is compared as **tables**, cell by cell (each cell by the same
  text rule), from the ``<table>`` elements of the HTML — read here, never by a browser.

Nothing here runs in the sandbox or trusts it: outputs are read as JSON data, sizes are
bounded, and anything of the wrong shape is a failed check with a reason, never an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from .compare import DEFAULT_TOLERANCE, Verdict, compare_text

#: The longest output compared (characters of text and HTML together): longer fails (official
#: grading) or is refused (a practice check, 413). The runner stops capturing there.
MAX_SHOWN_CHARS = 100_000
#: Tables, rows and cells read from one output's HTML; past them the rest is left out.
MAX_TABLES = 20
MAX_CELLS = 20_000
_DEFAULT_REPR = re.compile(r"<[\w.]+(?: object)? at 0x[0-9a-fA-F]+>")

Table = list[list[str]]


@dataclass(frozen=True)
class Expected:
    """What the instructor captured for an exercise: its text, its HTML tables (only read
    when the text is an object's default repr), and the tolerance for numbers."""

    text: str | None
    tables: tuple[Table, ...] | None
    tolerance: float

    @property
    def checkable_as_text(self) -> bool:
        return self.text is not None and self.tables is None


def _joined(part: Any) -> str | None:
    if isinstance(part, str):
        return part
    if isinstance(part, list) and all(isinstance(item, str) for item in part):
        return "".join(part)
    return None


def expected_of(grader: dict[str, Any]) -> Expected | None:
    """The expected output of an expected-output cell's (valid) grader metadata; None when
    none was captured."""
    bundle = grader.get("expected")
    if not isinstance(bundle, dict):
        return None
    tolerance = grader.get("tolerance")
    if not isinstance(tolerance, (int, float)) or isinstance(tolerance, bool):
        tolerance = DEFAULT_TOLERANCE
    text = _joined(bundle.get("text/plain"))
    html = _joined(bundle.get("text/html"))
    tables = html_tables(html) if html is not None else []
    use_tables = bool(tables) and (text is None or _DEFAULT_REPR.fullmatch(text.strip()))
    return Expected(text, tuple(tables) if use_tables else None, float(tolerance))


# --- what a cell showed ---------------------------------------------------------------------


def shown_text(outputs: list[Any]) -> str:
    """The text a cell's outputs show (nbformat outputs, or the runner's): stdout and the
    text/plain of results and displays, each display ending a line."""
    out = []
    for output in outputs:
        if not isinstance(output, dict):
            continue
        kind = output.get("output_type")
        if kind == "stream":
            if output.get("name") == "stdout":
                out.append(_joined(output.get("text")) or "")
        elif kind in ("execute_result", "display_data"):
            data = output.get("data")
            shown = _joined(data.get("text/plain")) if isinstance(data, dict) else None
            if shown is not None:
                out.append(shown if shown.endswith("\n") else shown + "\n")
    return "".join(out)


def shown_tables(outputs: list[Any]) -> list[Table]:
    """The HTML tables of a cell's results and displays, in order."""
    tables: list[Table] = []
    for output in outputs:
        if not isinstance(output, dict):
            continue
        data = output.get("data")
        html = _joined(data.get("text/html")) if isinstance(data, dict) else None
        if html is not None:
            tables.extend(html_tables(html))
    return tables[:MAX_TABLES]


class _Tables(HTMLParser):
    """Rows of cell texts of each outermost ``<table>`` (a nested table's text is part of
    the cell holding it)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[Table] = []
        self.depth = 0
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.cells = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "table":
            self.depth += 1
            if self.depth == 1 and len(self.tables) < MAX_TABLES:
                self.tables.append([])
        elif self.depth == 1 and tag == "tr":
            self._end_row()
            self.row = []
        elif self.depth == 1 and tag in ("td", "th") and self.row is not None:
            self._end_cell()
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self.depth:
            if self.depth == 1:
                self._end_row()
            self.depth -= 1
        elif self.depth == 1 and tag == "tr":
            self._end_row()
        elif self.depth == 1 and tag in ("td", "th"):
            self._end_cell()

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)

    def _end_cell(self) -> None:
        if self.cell is not None and self.row is not None and self.cells < MAX_CELLS:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cells += 1
        self.cell = None

    def _end_row(self) -> None:
        self._end_cell()
        if self.row is not None and self.tables and len(self.tables) <= MAX_TABLES:
            self.tables[-1].append(self.row)
        self.row = None


def html_tables(html: str) -> list[Table]:
    """The tables of some HTML as rows of cell texts (whitespace collapsed)."""
    parser = _Tables()
    try:
        parser.feed(html[:MAX_SHOWN_CHARS])
        parser.close()
    except (AssertionError, ValueError):  # malformed markup: what was read so far
        pass
    return parser.tables[:MAX_TABLES]


# --- the comparison -----------------------------------------------------------------------


def compare_tables(expected: list[Table], actual: list[Table], tolerance: float) -> Verdict:
    if len(actual) != len(expected):
        return Verdict(False, f"expected {len(expected)} table(s), got {len(actual)}")
    for t, (want, got) in enumerate(zip(expected, actual, strict=True), 1):
        if len(got) != len(want):
            return Verdict(False, f"table {t}: expected {len(want)} rows, got {len(got)}")
        for r, (want_row, got_row) in enumerate(zip(want, got, strict=True), 1):
            if len(got_row) != len(want_row):
                return Verdict(
                    False, f"table {t}, row {r}: expected {len(want_row)} cells, got {len(got_row)}"
                )
            for c, (e, a) in enumerate(zip(want_row, got_row, strict=True), 1):
                verdict = compare_text(e, a, tolerance)
                if not verdict.passed:
                    return Verdict(False, f"table {t}, row {r}, cell {c}: {verdict.why}")
    return Verdict(True)


def compare_shown(expected: Expected, text: str, tables: list[Table] | None) -> Verdict:
    """The one comparison of an expected-output exercise. ``tables``: the shown tables
    (None where only the text is known: a practice check, which then needs
    ``expected.checkable_as_text``)."""
    if expected.tables is not None:
        if tables is None:
            return Verdict(False, "this output is compared as tables, and none were shown")
        return compare_tables(list(expected.tables), tables, expected.tolerance)
    if expected.text is None:
        return Verdict(False, "the instructor captured no text to compare with")
    return compare_text(expected.text, text, expected.tolerance)


def read_shown(value: Any) -> tuple[str, list[Table]] | str:
    """A runner's report of what a cell showed (``{"outputs": [...], "truncated": bool}``)
    as text and tables; a string saying why when it is not of that shape or too long."""
    if not isinstance(value, dict) or not isinstance(value.get("outputs"), list):
        return "the cell's output could not be read"
    if value.get("truncated") is not False:
        return f"the output is longer than {MAX_SHOWN_CHARS:,} characters"
    outputs = value["outputs"]
    size = 0
    for output in outputs:
        if not isinstance(output, dict):
            return "the cell's output could not be read"
        parts = [output.get("text")]
        data = output.get("data")
        if isinstance(data, dict):
            parts += list(data.values())
        size += sum(len(p) for p in parts if isinstance(p, str))
    if size > MAX_SHOWN_CHARS:
        return f"the output is longer than {MAX_SHOWN_CHARS:,} characters"
    return shown_text(outputs), shown_tables(outputs)
