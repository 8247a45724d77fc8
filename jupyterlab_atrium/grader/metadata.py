"""The ``metadata.atrium.grader`` model: validation and the public part a student may see.

Hand-written rather than run through jsonschema so that the browser's twin
(src/grader/rules/metadata.ts) gives the same messages; tests/test_grader_rules.py checks
that grader-metadata.schema.json accepts exactly what this accepts on every fixture.
"""

from __future__ import annotations

import copy
from typing import Any

from .data import (
    ANSWER_ROLES,
    EXERCISE_ID,
    LIMITS,
    METADATA_VERSION,
    ROLES,
    is_integer,
    is_number,
    json_type,
    utf16_len,
)

CELL_FIELDS = (
    "version",
    "role",
    "exercise",
    "points",
    "message",
    "hidden",
    "expected",
    "tolerance",
)
NOTEBOOK_FIELDS = ("version", "variant", "title", "exercises")
EXERCISE_FIELDS = ("title",)
#: Which roles may carry each role-specific field.
FIELD_ROLES = {
    "points": ("tests", "expected-output", "manual"),
    "message": ("tests",),
    "hidden": ("tests",),
    "expected": ("expected-output",),
    "tolerance": ("expected-output",),
}
#: What a student version keeps of a cell's grader metadata.
PUBLIC_CELL_FIELDS = ("version", "role", "exercise", "points", "message", "tolerance")
PUBLIC_NOTEBOOK_FIELDS = ("version", "title", "exercises")

GRADER = "atrium.grader"


def _roles_text(roles: tuple[str, ...]) -> str:
    return ", ".join(roles)


def _version_problem(value: Any, where: str) -> str | None:
    if value is None:
        return f"{where}.version is missing (this Atrium writes version {METADATA_VERSION})"
    if not is_integer(value):
        return f"{where}.version must be an integer, not {json_type(value)}"
    if value > METADATA_VERSION:
        return (
            f"{where}.version is newer than this Atrium reads (version {METADATA_VERSION}): "
            "the notebook was written by a newer Atrium"
        )
    if value < METADATA_VERSION:
        return f"{where}.version must be {METADATA_VERSION}"
    return None


def _unknown_fields(value: dict[str, Any], known: tuple[str, ...], where: str) -> list[str]:
    return [f'{where} has an unknown field "{key}"' for key in sorted(value) if key not in known]


def _text_problem(value: Any, where: str, limit: int) -> str | None:
    if not isinstance(value, str):
        return f"{where} must be a string, not {json_type(value)}"
    if utf16_len(value) > limit:
        return f"{where} is longer than {limit} characters"
    return None


def _optional_text(owner: dict[str, Any], key: str, where: str, limit: int) -> list[str]:
    if key not in owner:
        return []
    problem = _text_problem(owner[key], f"{where}.{key}", limit)
    return [] if problem is None else [problem]


def _head(grader: Any, fields: tuple[str, ...]) -> tuple[list[str], bool]:
    """The checks every grader object starts with; True when the rest cannot be read."""
    if not isinstance(grader, dict):
        return [f"{GRADER} must be an object, not {json_type(grader)}"], True
    version = _version_problem(grader.get("version"), GRADER)
    if version is not None:
        return [version], True
    return _unknown_fields(grader, fields, GRADER), False


def _expected_problem(value: Any, where: str) -> str | None:
    if not isinstance(value, dict) or not value:
        return f'{where} must be a non-empty MIME bundle (an object such as {{"text/plain": ...}})'
    for mime in sorted(value):
        item = value[mime]
        if isinstance(item, (str, dict)):
            continue
        if isinstance(item, list) and all(isinstance(part, str) for part in item):
            continue
        return f'{where}["{mime}"] must be a string, a list of strings or an object'
    return None


def cell_problems(grader: Any) -> list[str]:
    """What is wrong with a cell's ``atrium.grader`` value; empty when it is valid."""
    where = GRADER
    problems, stop = _head(grader, CELL_FIELDS)
    if stop:
        return problems
    role = grader.get("role")
    if role not in ROLES:
        problems.append(f"{where}.role must be one of {_roles_text(ROLES)}")
        role = None
    if "exercise" in grader:
        exercise = grader["exercise"]
        if not isinstance(exercise, str) or not EXERCISE_ID.fullmatch(exercise):
            problems.append(
                f"{where}.exercise must be 1 to 64 letters, digits, _ or - "
                "(nbgrader's grade id rule)"
            )
    elif role is not None and (role in ANSWER_ROLES or role == "tests"):
        problems.append(f"{where}.exercise is required for a cell of role {role}")
    if "points" in grader:
        points = grader["points"]
        if not is_number(points) or points < 0 or points > LIMITS["points"]:
            problems.append(f"{where}.points must be a number from 0 to {LIMITS['points']}")
    problems.extend(_optional_text(grader, "message", where, LIMITS["messageChars"]))
    if "hidden" in grader and not isinstance(grader["hidden"], bool):
        problems.append(f"{where}.hidden must be true or false, not {json_type(grader['hidden'])}")
    if "expected" in grader:
        expected = _expected_problem(grader["expected"], f"{where}.expected")
        if expected is not None:
            problems.append(expected)
    if "tolerance" in grader:
        tolerance = grader["tolerance"]
        if not is_number(tolerance) or tolerance < 0 or tolerance > 1:
            problems.append(f"{where}.tolerance must be a number from 0 to 1 (relative)")
    if role is not None:
        for field, roles in FIELD_ROLES.items():
            if field in grader and role not in roles:
                problems.append(
                    f"{where}.{field} has no meaning for a cell of role {role} "
                    f"(only {_roles_text(roles)})"
                )
    return problems


def notebook_problems(grader: Any) -> list[str]:
    """What is wrong with the notebook's ``atrium.grader`` value; empty when it is valid."""
    where = GRADER
    problems, stop = _head(grader, NOTEBOOK_FIELDS)
    if stop:
        return problems
    if "variant" in grader and grader["variant"] not in ("instructor", "student"):
        problems.append(f"{where}.variant must be instructor or student")
    problems.extend(_optional_text(grader, "title", where, LIMITS["titleChars"]))
    if "exercises" in grader:
        exercises = grader["exercises"]
        if not isinstance(exercises, dict):
            problems.append(f"{where}.exercises must be an object, not {json_type(exercises)}")
        else:
            for key in sorted(exercises):
                item = f'{where}.exercises["{key}"]'
                if not EXERCISE_ID.fullmatch(key):
                    problems.append(f"{item}: an exercise id is 1 to 64 letters, digits, _ or -")
                    continue
                value = exercises[key]
                if not isinstance(value, dict):
                    problems.append(f"{item} must be an object, not {json_type(value)}")
                    continue
                problems.extend(_unknown_fields(value, EXERCISE_FIELDS, item))
                problems.extend(_optional_text(value, "title", item, LIMITS["titleChars"]))
    return problems


def public_cell(grader: dict[str, Any]) -> dict[str, Any]:
    """The part of a valid cell's grader metadata that the student version keeps."""
    return {key: copy.deepcopy(grader[key]) for key in PUBLIC_CELL_FIELDS if key in grader}


def public_notebook(grader: dict[str, Any] | None) -> dict[str, Any]:
    """The student version's notebook grader metadata."""
    source = grader or {}
    kept = {key: copy.deepcopy(source[key]) for key in PUBLIC_NOTEBOOK_FIELDS if key in source}
    kept["version"] = METADATA_VERSION
    kept["variant"] = "student"
    return kept
