"""The rules the browser and the service must agree on, held to the fixtures the jest tests
read too (src/telemetry/__tests__/contract.spec.ts)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jupyterlab_atrium.service.health.records import KEYS
from jupyterlab_atrium.service.health.store import source_sha256

FIXTURES = Path(__file__).parent / "fixtures" / "telemetry"
CASES = json.loads((FIXTURES / "fingerprints.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_the_service_fingerprints_a_source_as_the_browser_does(case):
    assert source_sha256(case["source"]) == case["sha256"]


def test_the_fixtures_cover_the_hard_cases():
    names = {case["name"] for case in CASES}
    assert {"lone surrogate", "astral", "empty", "list source"} <= names


def test_a_record_has_exactly_the_keys_the_browser_sends():
    assert list(KEYS) == json.loads((FIXTURES / "record-keys.json").read_text("utf-8"))
