"""Solution and hidden-test markers in a cell's source, and what a student sees in their place.

A marker is a line of its own: a comment opener (``#``, ``//``, ``%``, ``--``, ``;``, ``/*``
or ``<!--``), then ``BEGIN SOLUTION``, ``END SOLUTION``, ``BEGIN HIDDEN TESTS`` or
``END HIDDEN TESTS`` in capitals, then only a comment closer and whitespace. Regions nest as a
stack and an END closes only the innermost region of its own kind: when markers are broken,
the student version removes more, never less (lint reports what is broken).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .data import FALLBACK_STUB, LOOKALIKE, MARKER

SOLUTION = "SOLUTION"
HIDDEN = "HIDDEN TESTS"


@dataclass(frozen=True)
class Marker:
    line: int  # 0-based
    begin: bool
    kind: str
    indent: str
    opener: str
    cr: bool  # the line ends in "\r" (a CRLF source)


@dataclass(frozen=True)
class Problem:
    rule: str
    line: int  # 0-based
    message: str


@dataclass
class Region:
    kind: str
    begin: Marker
    end: int | None = None  # 0-based line of the END marker; None when never closed


@dataclass
class Parsed:
    lines: list[str]
    markers: dict[int, Marker] = field(default_factory=dict)
    regions: list[Region] = field(default_factory=list)  # outermost regions only
    problems: list[Problem] = field(default_factory=list)
    lookalikes: list[int] = field(default_factory=list)

    def first_marker(self, kind: str) -> Marker | None:
        found = [m for m in self.markers.values() if m.kind == kind]
        return min(found, key=lambda m: m.line) if found else None


def has_solution(parsed: Parsed) -> bool:
    return any(region.kind == SOLUTION for region in parsed.regions)


def _marker(index: int, line: str) -> Marker | None:
    match = MARKER.match(line)
    if match is None:
        return None
    indent, opener, verb, kind = match.group(1, 2, 3, 4)
    return Marker(index, verb == "BEGIN", kind, indent, opener, line.endswith("\r"))


def parse(source: str) -> Parsed:
    """Find the markers and regions of a source (``\\n``-separated; ``\\r`` kept on lines)."""
    parsed = Parsed(source.split("\n"))
    stack: list[Region] = []
    for index, line in enumerate(parsed.lines):
        marker = _marker(index, line)
        if marker is None:
            if LOOKALIKE.search(line):
                parsed.lookalikes.append(index)
            continue
        parsed.markers[index] = marker
        if marker.begin:
            region = Region(marker.kind, marker)
            if stack:
                outer = stack[-1]
                parsed.problems.append(
                    Problem(
                        "nested-marker",
                        index,
                        f"BEGIN {marker.kind} inside the {outer.kind} region opened on line "
                        f"{outer.begin.line + 1}; regions cannot nest",
                    )
                )
            else:
                parsed.regions.append(region)
            stack.append(region)
        elif stack and stack[-1].kind == marker.kind:
            stack.pop().end = index
        elif stack:
            outer = stack[-1]
            parsed.problems.append(
                Problem(
                    "unmatched-end",
                    index,
                    f"END {marker.kind} while the {outer.kind} region opened on line "
                    f"{outer.begin.line + 1} is still open",
                )
            )
        else:
            parsed.problems.append(
                Problem("unmatched-end", index, f"END {marker.kind} without a BEGIN {marker.kind}")
            )
    for region in stack:
        parsed.problems.append(
            Problem(
                "unclosed-marker",
                region.begin.line,
                f"BEGIN {region.kind} is never closed: add END {region.kind} "
                "(the student version removes everything after it)",
            )
        )
    parsed.problems.sort(key=lambda problem: problem.line)
    return parsed


def removed_lines(parsed: Parsed) -> dict[int, Region]:
    """Every line inside an outermost region (markers included), mapped to its region."""
    inside: dict[int, Region] = {}
    last = len(parsed.lines) - 1
    for region in parsed.regions:
        end = region.end if region.end is not None else last
        for index in range(region.begin.line, end + 1):
            inside[index] = region
    return inside


def stub_for_opener(opener: str) -> str:
    """A one-line stub in the comment syntax of the marker, for languages without a stub."""
    if opener == "/*":
        return f"/* {FALLBACK_STUB} */"
    if opener == "<!--":
        return f"<!-- {FALLBACK_STUB} -->"
    return f"{opener} {FALLBACK_STUB}"


def transform(parsed: Parsed, stub: list[str] | None) -> tuple[str, list[tuple[int, str]]]:
    """The student's source and the solution lines removed from it (0-based line, text).

    Solution regions become ``stub`` (or, when None, a one-line comment in the marker's own
    syntax), indented like the BEGIN line; hidden-test regions and stray markers vanish.
    """
    inside = removed_lines(parsed)
    out: list[str] = []
    solution: list[tuple[int, str]] = []
    for index, line in enumerate(parsed.lines):
        region = inside.get(index)
        if region is None:
            if index not in parsed.markers:
                out.append(line)
            continue
        if index == region.begin.line and region.kind == SOLUTION:
            begin = region.begin
            lines = stub if stub is not None else [stub_for_opener(begin.opener)]
            eol = "\r" if begin.cr else ""
            out.extend(begin.indent + stub_line + eol for stub_line in lines)
        if region.kind == SOLUTION and index not in parsed.markers:
            solution.append((index, line))
    return "\n".join(out), solution
