"""The server extension's REST API, through a real jupyter_server with auth and XSRF on."""

from __future__ import annotations

import json
import re

import pytest
from tornado.httpclient import HTTPClientError

from jupyterlab_atrium import __version__
from jupyterlab_atrium.service.db import head_revision


async def get_json(jp_fetch, *parts, **kwargs):
    reply = await jp_fetch(*parts, **kwargs)
    assert reply.headers["Content-Type"].startswith("application/json")
    return json.loads(reply.body)


async def test_info_is_the_version_handshake(jp_fetch):
    info = await get_json(jp_fetch, "atrium", "api", "info")
    assert info["version"] == __version__
    assert info["apiVersion"] == 1
    assert info["service"] == {"mode": "embedded"}


async def test_status_reports_the_embedded_database(jp_fetch, tmp_path):
    status = await get_json(jp_fetch, "atrium", "api", "service", "status")
    assert status["ok"] is True
    assert status["version"] == __version__
    assert status["mode"] == "embedded"
    db = status["database"]
    assert db["backend"] == "sqlite"
    assert db["revision"] == head_revision() == db["head"]
    assert db["upToDate"] is True
    assert re.fullmatch(r"[0-9a-f-]{36}", db["installation"])
    assert (tmp_path / "db" / "atrium.sqlite").exists()
    again = await get_json(jp_fetch, "atrium", "api", "service", "status")
    assert again["database"]["installation"] == db["installation"]


async def test_default_database_lives_under_the_jupyter_data_dir(
    jp_fetch, jp_serverapp, jp_data_dir
):
    from jupyterlab_atrium.service.config import AtriumService

    config = AtriumService()
    assert config.database_url == f"sqlite:///{jp_data_dir / 'atrium' / 'atrium.sqlite'}"


def atrium_rules(jp_serverapp) -> list[tuple[re.Pattern, type]]:
    """Every route Atrium mounted (URL regex and handler class), in tornado's matching order."""
    rules = []

    def walk(router) -> None:
        for rule in getattr(router, "rules", []):
            regex = getattr(rule.matcher, "regex", None)
            if regex is not None and "/atrium/api/" in regex.pattern:
                rules.append((regex, rule.target))
            walk(rule.target)

    walk(jp_serverapp.web_app.default_router)
    return rules


def atrium_routes(jp_serverapp) -> list[str]:
    """Every URL pattern Atrium mounted, so no new handler escapes the auth test."""
    return [regex.pattern for regex, _handler in atrium_rules(jp_serverapp)]


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE"])
async def test_every_route_refuses_anonymous_requests(jp_fetch, jp_serverapp, method):
    patterns = atrium_routes(jp_serverapp)
    assert any(p.endswith("/atrium/api/info$") for p in patterns), patterns
    assert any(p.endswith("/atrium/api/service/status$") for p in patterns), patterns
    for pattern in patterns:
        path = pattern.split("/atrium/api/", 1)[1].rstrip("$").replace("(.*)", "status")
        with pytest.raises(HTTPClientError) as err:
            await jp_fetch(
                "atrium",
                "api",
                *path.split("/"),
                method=method,
                headers={"Authorization": ""},
                body=b"{}" if method in ("POST", "PUT", "PATCH") else None,
                allow_nonstandard_methods=True,
            )
        # Anonymous GETs are refused with 403; writes without XSRF too (or 405 when the
        # route has no such verb) - never a 2xx.
        assert err.value.code in (403, 405), (pattern, method, err.value.code)


async def test_lab_page_publishes_the_policy(jp_fetch):
    page = (await jp_fetch("lab")).body.decode()
    match = re.search(
        r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', page, re.S
    )
    assert match, "JupyterLab page config missing"
    config = json.loads(match.group(1))
    assert config["atrium"]["version"] == __version__
    assert config["atrium"]["service"]["mode"] == "embedded"


@pytest.fixture
def unreachable_db_config(jp_server_config):
    # Port 9 on loopback: nothing listens, so the connection is refused at once.
    url = "postgresql+psycopg://atrium:hunter2-secret@127.0.0.1:9/atrium"
    jp_server_config["AtriumService"] = {"database_url": url}
    return jp_server_config


async def test_unreachable_database_gives_503_without_secrets(
    unreachable_db_config, jp_fetch, caplog
):
    with pytest.raises(HTTPClientError) as err:
        await jp_fetch("atrium", "api", "service", "status")
    assert err.value.code == 503
    body = json.loads(err.value.response.body)
    assert body["reason"] == "service-unavailable"
    assert "database is not available" in body["message"]
    assert "hunter2" not in err.value.response.body.decode()
    assert "hunter2" not in caplog.text
    # The failure is not cached: the next request tries again (and fails again, cleanly).
    with pytest.raises(HTTPClientError) as again:
        await jp_fetch("atrium", "api", "service", "status")
    assert again.value.code == 503
