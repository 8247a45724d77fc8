"""One share rule in two languages: ``share.py`` against the fixture the frontend also runs.

``tests/fixtures/netdrive/shares.json`` is read by ``src/netdrive/__tests__/share.spec.ts``
(``parseShare``) and here (``parse_share``): a valid case must give the same server, port,
share and folder on both sides, an invalid one must be refused by both.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jupyterlab_atrium.netdrive.share import ShareError, parse_share

FIXTURE = Path(__file__).parent / "fixtures" / "netdrive" / "shares.json"
CASES = json.loads(FIXTURE.read_text(encoding="utf-8"))


def _label(case: dict) -> str:
    return json.dumps(case["input"], ensure_ascii=True)[:70]


def test_fixture_has_both_kinds():
    assert sum(case["valid"] for case in CASES) >= 20
    assert sum(not case["valid"] for case in CASES) >= 60
    inputs = [case["input"] for case in CASES]
    assert len(inputs) == len(set(inputs)), "duplicate fixture inputs"


@pytest.mark.parametrize("case", [c for c in CASES if c["valid"]], ids=_label)
def test_valid_share_parses_like_the_frontend(case):
    location = parse_share(case["input"])
    got = (location.server, location.port, location.share, location.folder)
    assert got == (case["server"], case.get("port", 445), case["share"], case["folder"])
    # The normalised form the server shows and stores parses back to the same address.
    assert parse_share(location.unc) == location


@pytest.mark.parametrize("case", [c for c in CASES if not c["valid"]], ids=_label)
def test_invalid_share_is_refused(case):
    with pytest.raises(ShareError) as err:
        parse_share(case["input"])
    assert err.value.status == 400
    assert err.value.reason == "invalid-share"
    assert err.value.field == "share"
    assert err.value.message.startswith("Share: ")
