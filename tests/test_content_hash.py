"""The gallery content hash against the fixtures the TypeScript hash is held to as well."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from jupyterlab_atrium.gallery.content_hash import (
    canonical_json,
    content_hash,
    format_number,
)
from jupyterlab_atrium.gallery.diff_view import notebook_view

FIXTURES = Path(__file__).parent / "fixtures" / "hash"
CASES = json.loads((FIXTURES / "cases.json").read_text(encoding="utf-8"))


def test_the_fixtures_cover_the_hard_parts():
    names = {case["name"] for case in CASES}
    assert {"numbers", "non-ascii", "astral-plane-keys", "nested-metadata"} <= names
    raw = (FIXTURES / "cases.json").read_text(encoding="utf-8")
    # The literals themselves are in the file, so both JSON parsers meet them.
    for literal in ("1.0,", "1e-7", "1e21", "0.1,", "-0,", "12345678901234567890", "1.0e2"):
        assert literal in raw, literal
    assert all(set(case) == {"name", "sha256", "canonical", "notebook"} for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_fixture_hashes(case):
    assert canonical_json(notebook_view(case["notebook"])) == case["canonical"]
    assert content_hash(case["notebook"]) == case["sha256"]
    digest = hashlib.sha256(case["canonical"].encode("utf-8")).hexdigest()
    assert digest == case["sha256"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1.0, "1"),
        (100.0, "100"),
        (1e-7, "1e-7"),
        (1.5e-7, "1.5e-7"),
        (0.000001, "0.000001"),
        (1e21, "1e+21"),
        (1e20, "100000000000000000000"),
        (0.1, "0.1"),
        (-0.0, "0"),
        (0, "0"),
        (-1.5, "-1.5"),
        (0.30000000000000004, "0.30000000000000004"),
        (2**53 + 1, "9007199254740992"),
        (12345678901234567890, "12345678901234567000"),
        (10**21, "1e+21"),
        (123456789012345678901234567890, "1.2345678901234568e+29"),
        (5e-324, "5e-324"),
        (1.7976931348623157e308, "1.7976931348623157e+308"),
        (2.5e25, "2.5e+25"),
        (10**400, "null"),
        (float("nan"), "null"),
    ],
)
def test_numbers_follow_ecmascript(value, expected):
    assert format_number(value) == expected


def test_key_order_is_by_code_point_not_utf16():
    # UTF-16 order would put the emoji (a surrogate pair, 0xD83D...) before U+FF01.
    text = canonical_json({"\U0001f600": 1, "\uff01": 2, "b": 3, "a": 4})
    assert text == '{"a":4,"b":3,"\uff01":2,"\U0001f600":1}'


def test_strings_are_written_like_json_stringify():
    assert canonical_json('é\u2028\x01\t"\\/') == '"é\u2028\\u0001\\t\\"\\\\/"'
    assert canonical_json("\ud800") == '"\\ud800"'


def test_hash_ignores_key_order_and_whitespace_but_not_content():
    def nb(metadata):
        return {"cells": [], "metadata": metadata, "nbformat": 4}

    a = json.loads('{"b": [1.0, {"y": 1, "x": 2}], "a": "z"}')
    b = json.loads('{"a":"z","b":[1,{"x":2,"y":1}]}')
    assert content_hash(nb(a)) == content_hash(nb(b))
    assert content_hash(nb(a)) != content_hash(nb({"a": "z", "b": [1, {"x": 2, "y": 2}]}))


def test_non_json_values_are_refused():
    with pytest.raises(TypeError):
        canonical_json({"a": {1, 2}})
    with pytest.raises(TypeError):
        canonical_json({1: "a"})
