"""One rule per connect-form field, in two languages, held to the fixtures the frontend runs.

- ``tests/fixtures/netdrive/connect-fields.json``: domain, user name (``DOMAIN\\user``,
  ``user@realm``), display name and password, with their lengths and hostile strings. Read by
  ``src/netdrive/__tests__/fields.spec.ts`` and here, against ``fields.py`` directly and
  through ``POST drives`` of a real server.
- ``tests/fixtures/netdrive/allowed-servers.json``: ``allowed_servers`` patterns (with
  ``host:port``) against a server and port, as ``share.ts``'s ``serverAllowed`` reads them.

The share address has its own fixture (``shares.json``, ``test_netdrive_share_fixture.py``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from tornado.httpclient import HTTPClientError

from jupyterlab_atrium import fields as common_fields
from jupyterlab_atrium.netdrive.config import AtriumNetDrive
from jupyterlab_atrium.netdrive.fields import check_connect_fields
from jupyterlab_atrium.netdrive.share import FieldError

API = ("atrium", "api", "netdrive")
FIXTURES = Path(__file__).parent / "fixtures" / "netdrive"
FIELDS = json.loads((FIXTURES / "connect-fields.json").read_text(encoding="utf-8"))
SERVERS = json.loads((FIXTURES / "allowed-servers.json").read_text(encoding="utf-8"))
LABELS = {
    "domain": "Domain",
    "username": "User name",
    "displayName": "Display name",
    "password": "Password",
}


def _label(case: dict) -> str:
    return json.dumps([case["fields"], case.get("defaultDomain", "")], ensure_ascii=True)[:70]


def body_of(case: dict) -> dict:
    return {**FIELDS["base"], **case["fields"], "readOnly": False}


def test_fixture_covers_every_field_both_ways():
    cases = FIELDS["cases"]
    for field in LABELS:
        assert any(field in c["fields"] and c["valid"] for c in cases), field
        assert any(c.get("field") == field for c in cases if not c["valid"]), field
    codes = {c["error"] for c in cases if not c["valid"]}
    assert codes == {
        "required",
        "too-long",
        "control-char",
        "forbidden-char",
        "dot-dot",
        "leading-dash",
        "spaces",
        "domain-chars",
        "realm",
        "two-domains",
        "user-domain",
    }


@pytest.mark.parametrize("case", [c for c in FIELDS["cases"] if c["valid"]], ids=_label)
def test_valid_fields_sign_in_like_the_frontend(case):
    fields = check_connect_fields(body_of(case), case.get("defaultDomain", ""))
    assert (fields.domain, fields.username) == (case["domain"], case["username"])
    assert fields.password == body_of(case)["password"]
    assert fields.display_name == case["displayName"]


@pytest.mark.parametrize("case", [c for c in FIELDS["cases"] if not c["valid"]], ids=_label)
def test_invalid_field_is_refused_like_the_frontend(case):
    with pytest.raises(FieldError) as err:
        check_connect_fields(body_of(case), case.get("defaultDomain", ""))
    got = (err.value.field, err.value.code, err.value.detail)
    assert got == (case["field"], case["error"], case.get("detail")), err.value.message
    assert err.value.status == 400 and err.value.reason == "invalid-field"
    assert err.value.message.startswith(LABELS[case["field"]] + ": ")


@pytest.fixture
def nothing_allowed(jp_server_config, request):
    # Valid fields then stop at the server policy (403 not-allowed) without dialling anything.
    jp_server_config["AtriumNetDrive"] = {
        "allowed_servers": ["nothing.example"],
        "default_domain": request.param,
    }
    return request.param


@pytest.mark.parametrize("nothing_allowed", ["", "UNI", "KLINIK"], indirect=True)
async def test_the_server_answers_every_fixture_case_as_the_rule_says(nothing_allowed, jp_fetch):
    wrong = []
    for case in FIELDS["cases"]:
        if case.get("defaultDomain", "") != nothing_allowed:
            continue
        with pytest.raises(HTTPClientError) as err:
            await jp_fetch(*API, "drives", method="POST", body=json.dumps(body_of(case)))
        reply = json.loads(err.value.response.body)
        want = (400, "invalid-field", case.get("field"))
        if case["valid"]:
            want = (403, "not-allowed", None)
        got = (err.value.code, reply["reason"], reply.get("field"))
        if got != want:
            wrong.append((_label(case), got, reply["message"]))
    assert wrong == []
    assert json.loads((await jp_fetch(*API, "drives")).body) == {"items": []}


# -- allowed_servers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "case", SERVERS["cases"], ids=lambda c: f"{c['patterns']}-{c['server']}:{c['port']}"
)
def test_allowed_servers_match_like_the_frontend(case):
    config = AtriumNetDrive(allowed_servers=case["patterns"])
    assert config.server_allowed(case["server"], case["port"]) is case["allowed"]


def test_allowed_servers_are_normalised():
    config = AtriumNetDrive(allowed_servers=[" Files.Uni.Example ", "", "FS:44*"])
    assert config.allowed_servers == ["files.uni.example", "fs:44*"]
    assert config.policy()["allowedServers"] == ["files.uni.example", "fs:44*"]


@pytest.mark.parametrize("pattern", SERVERS["refused"])
def test_a_pattern_the_frontend_could_not_read_stops_the_server(pattern):
    with pytest.raises(ValueError, match="is not a server pattern"):
        AtriumNetDrive(allowed_servers=["fileserver", pattern])


def test_default_domain_follows_the_domain_rule():
    assert AtriumNetDrive(default_domain="UNI").default_domain == "UNI"
    with pytest.raises(ValueError, match="default_domain may only contain"):
        AtriumNetDrive(default_domain="UNI DOMAIN")


# -- against a real Samba -------------------------------------------------------------------------


@pytest.fixture
def host_port_policy(jp_server_config, samba):
    jp_server_config["AtriumNetDrive"] = {
        "allowed_servers": [f"127.0.0.1:{samba.port}"],
        "default_domain": "UNI",
        "connect_timeout": 3.0,
    }
    return jp_server_config


async def test_host_port_policy_and_domain_in_the_user_name(host_port_policy, jp_fetch, samba):
    # What the dialog sends for "//127.0.0.1:<port>/data", user "UNI\<user>" and the Domain
    # field pre-filled with the admin's default.
    body = {
        "share": f"smb://127.0.0.1:{samba.port}/data",
        "domain": "UNI",
        "username": f"UNI\\{samba.user}",
        "password": samba.password,
        "displayName": "",
        "readOnly": False,
    }
    reply = await jp_fetch(*API, "drives", method="POST", body=json.dumps(body))
    drive = json.loads(reply.body)
    assert reply.code == 201 and drive["state"] == "connected"
    assert (drive["domain"], drive["username"]) == ("UNI", samba.user)
    assert (drive["server"], drive["shareName"]) == ("127.0.0.1", "data")
    # The same server on another port is not allowed, and the message names what is.
    body["share"] = f"//127.0.0.1:{samba.port + 1}/data"
    with pytest.raises(HTTPClientError) as err:
        await jp_fetch(*API, "drives", method="POST", body=json.dumps(body))
    reply = json.loads(err.value.response.body)
    assert (err.value.code, reply["reason"]) == (403, "not-allowed")
    assert f"127.0.0.1:{samba.port}" in reply["message"]


def test_the_password_refuses_what_the_one_text_rule_refuses(monkeypatch):
    """NUL and lone surrogates: jupyterlab_atrium/fields.py's rule, not a copy of it."""
    body = {**FIELDS["base"], "readOnly": False}
    for value in ("a\x00b", "a\ud800b", "a\udfffb", "\U0001f511\ud83d"):
        assert common_fields.unstorable(value)
        with pytest.raises(FieldError) as err:
            check_connect_fields({**body, "password": value})
        assert (err.value.field, err.value.code) == ("password", "control-char")
    assert check_connect_fields({**body, "password": "\U0001f511~"}).password == "\U0001f511~"
    # Whatever that rule refuses, the password refuses.
    monkeypatch.setattr(common_fields, "_UNSTORABLE", re.compile("[\x00\ud800-\udfff~]"))
    with pytest.raises(FieldError) as err:
        check_connect_fields({**body, "password": "\U0001f511~"})
    assert (err.value.field, err.value.code) == ("password", "control-char")
