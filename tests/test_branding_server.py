"""Branding in a real jupyter_server (auth and XSRF on): the published policy, the public asset
route, the branded login page (and that login still works), and the fallback to the stock
look when the spec is invalid."""

from __future__ import annotations

import base64
import copy
import json
import logging
import re
import shutil
from pathlib import Path
from urllib.parse import urlencode

import pytest
from jinja2 import ChoiceLoader
from jupyter_server.auth.security import passwd
from tornado.escape import url_escape
from tornado.httpclient import HTTPClientError

from jupyterlab_atrium.branding.schema import is_allowed_url
from jupyterlab_atrium.branding.spec import ASSET_CSP, load_brand

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "demo" / "brand" / "brand.json"
FIXTURES = Path(__file__).parent / "fixtures" / "branding"
HOSTILE = FIXTURES / "hostile" / "brand.json"
PASSWORD = "correct horse battery staple"

ANONYMOUS = {"Authorization": ""}


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def messages(self, level: int) -> list[str]:
        return [r.getMessage() for r in self.records if r.levelno == level]


@pytest.fixture(autouse=True)
def atrium_log(monkeypatch):
    """What Atrium logged. Its ExtensionApp logger neither propagates nor keeps handlers added
    before start-up (traitlets reconfigures it), so records are picked up where every logger
    hands them to its handlers."""
    handler = Records()
    original = logging.Logger.callHandlers

    def call_handlers(self: logging.Logger, record: logging.LogRecord) -> None:
        if record.name == "AtriumApp":
            handler.emit(record)
        original(self, record)

    monkeypatch.setattr(logging.Logger, "callHandlers", call_handlers)
    return handler


@pytest.fixture
def spec_path(request) -> Path | None:
    """The spec the server is configured with (tests override it by parametrizing)."""
    if "broken" in request.fixturenames:
        return request.getfixturevalue("broken")[0]
    for made in ("yaml_with_a_secret", "logo_in_a_link"):
        if made in request.fixturenames:
            return request.getfixturevalue(made)
    return DEMO


@pytest.fixture
def jp_server_config(jp_server_config, spec_path):
    config = copy.deepcopy(jp_server_config)
    if spec_path is not None:
        config["AtriumBranding"] = {"spec_path": str(spec_path)}
    # Token and password login both on, as on a standalone server.
    config["PasswordIdentityProvider"] = {"hashed_password": passwd(PASSWORD)}
    return config


async def policy_of(jp_fetch) -> dict:
    reply = await jp_fetch("atrium", "api", "info")
    return json.loads(reply.body)["branding"]


async def fetch_login(jp_fetch, **params):
    reply = await jp_fetch("login", headers=dict(ANONYMOUS), params=params or None)
    return reply, reply.body.decode()


def xsrf_of(reply, page: str) -> tuple[str, str]:
    """The _xsrf cookie and the form's hidden _xsrf value, as a browser would send them."""
    cookie = next(
        c.split(";", 1)[0] for c in reply.headers.get_list("Set-Cookie") if c.startswith("_xsrf=")
    )
    match = re.search(r'<input type="hidden" name="_xsrf" value="([^"]+)"', page)
    assert match, "the login form has no _xsrf field"
    return cookie, match.group(1)


async def post_login(jp_fetch, password: str, *, with_xsrf: bool = True, next_url: str = ""):
    reply, page = await fetch_login(jp_fetch)
    cookie, token = xsrf_of(reply, page)
    form = {"password": password}
    if with_xsrf:
        form["_xsrf"] = token
    return await jp_fetch(
        "login",
        method="POST",
        params={"next": next_url} if next_url else None,
        body=urlencode(form),
        headers={
            **ANONYMOUS,
            "Cookie": cookie,
            "Content-Type": "application/x-www-form-urlencoded",
        },
        follow_redirects=False,
        raise_error=False,
    )


# --- the policy in page_config_data -------------------------------------------------------


async def test_policy_publishes_the_resolved_brand(jp_fetch, jp_serverapp):
    policy = await policy_of(jp_fetch)
    expected = load_brand(DEMO, environ={}).published()
    assert policy == {"enabled": True, "branding": expected, "error": None, "warnings": []}
    page_config = jp_serverapp.web_app.settings["page_config_data"]["atrium"]["branding"]
    assert page_config == policy


@pytest.mark.parametrize("spec_path", [None])
async def test_no_spec_means_no_branding_and_the_stock_login_page(jp_fetch, jp_serverapp):
    assert await policy_of(jp_fetch) == {
        "enabled": False,
        "branding": None,
        "error": None,
        "warnings": [],
    }
    env = jp_serverapp.web_app.settings["jinja2_env"]
    assert not isinstance(env.loader, ChoiceLoader)
    assert "atrium_brand" not in jp_serverapp.web_app.settings["jinja_template_vars"]
    _, page = await fetch_login(jp_fetch)
    assert "<title>Jupyter Server</title>" in page
    assert 'class="navbar-form pull-left"' in page  # the stock form markup
    assert "jp-Atrium-Branding" not in page
    with pytest.raises(HTTPClientError) as err:
        await jp_fetch("atrium", "branding", "assets", "logo-light.svg", headers=ANONYMOUS)
    assert err.value.code == 404


@pytest.mark.parametrize("spec_path", [HOSTILE])
async def test_lab_page_embeds_hostile_strings_only_as_json(jp_fetch, spec_path):
    """The policy reaches JupyterLab as JSON in a <script> element; nothing breaks out of it."""
    page = (await jp_fetch("lab")).body.decode()
    match = re.search(
        r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', page, re.S
    )
    assert match
    branding = json.loads(match.group(1))["atrium"]["branding"]
    assert branding["enabled"] is True
    assert branding["branding"]["name"] == load_brand(spec_path, environ={}).name
    assert "alert(" not in page.replace(match.group(1), "")  # only inside the JSON
    assert "<script>alert" not in page

    # The notice reaches the page as tokens only: text to be shown as text, safe links.
    def walk(tokens: list) -> None:
        for token in tokens:
            assert set(token) <= {"t", "v", "c", "href"}, token
            assert token["t"] in {"text", "strong", "em", "code", "link"}, token
            if token["t"] == "link":
                assert is_allowed_url(token["href"]), token
            walk(token.get("c", []))

    notice = branding["branding"]["notice"]
    walk(notice["tokens"])
    assert not any(t["t"] == "link" for t in notice["tokens"])  # both links were refused
    # The RTL override of the fixture is gone, raw or JSON-escaped.
    assert "\\u202e" not in json.dumps(branding)
    assert "\u202e" not in page and "\\u202e" not in page.lower()


# --- assets -------------------------------------------------------------------------------


async def test_assets_are_public_versioned_and_locked_down(jp_fetch, jp_serverapp):
    brand = load_brand(DEMO, environ={})
    asset = brand.assets["logo-light.svg"]
    for params, cache in (
        ({"v": asset.version}, "public, max-age=31536000, immutable"),
        ({"v": "stale"}, "no-cache"),
        (None, "no-cache"),
    ):
        reply = await jp_fetch(
            "atrium", "branding", "assets", "logo-light.svg", headers=ANONYMOUS, params=params
        )
        assert reply.code == 200
        assert reply.body == asset.data
        assert reply.headers["Content-Type"] == "image/svg+xml"
        assert reply.headers["Cache-Control"] == cache
        assert reply.headers["X-Content-Type-Options"] == "nosniff"
        assert reply.headers["Content-Security-Policy"] == ASSET_CSP


@pytest.mark.parametrize("spec_path", [FIXTURES / "yaml" / "brand.yaml"])
async def test_derived_busy_favicon_may_only_embed_its_idle_icon(jp_fetch):
    idle = await jp_fetch("atrium", "branding", "assets", "favicon-idle.png", headers=ANONYMOUS)
    assert idle.headers["Content-Type"] == "image/png"
    assert idle.headers["Content-Security-Policy"] == ASSET_CSP
    busy = await jp_fetch("atrium", "branding", "assets", "favicon-busy.svg", headers=ANONYMOUS)
    assert busy.headers["Content-Security-Policy"] == (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    )
    assert base64.b64encode(idle.body) in busy.body


@pytest.mark.parametrize("name", ["logo.svg", "brand.json", "..%2Fbrand.json", "x"])
async def test_unknown_assets_are_json_404s(jp_fetch, name):
    with pytest.raises(HTTPClientError) as err:
        await jp_fetch("atrium", "branding", "assets", name, headers=ANONYMOUS)
    assert err.value.code == 404
    assert err.value.response.headers["Content-Type"].startswith("application/json")
    assert json.loads(err.value.response.body)["message"] == "No such brand asset"


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
async def test_assets_are_read_only(jp_fetch, method):
    with pytest.raises(HTTPClientError) as err:
        await jp_fetch(
            "atrium",
            "branding",
            "assets",
            "logo-light.svg",
            method=method,
            headers=ANONYMOUS,
            body=b"x" if method in ("POST", "PUT", "PATCH") else None,
            allow_nonstandard_methods=True,
        )
    assert err.value.code in (403, 405)


async def test_other_routes_still_refuse_anonymous_requests(jp_fetch):
    with pytest.raises(HTTPClientError) as err:
        await jp_fetch("atrium", "api", "info", headers=ANONYMOUS)
    assert err.value.code == 403


# --- the login page -----------------------------------------------------------------------


async def test_login_page_shows_the_brand(jp_fetch, jp_base_url):
    brand = load_brand(DEMO, environ={})
    reply, page = await fetch_login(jp_fetch, next=f"{jp_base_url}lab")
    assert reply.code == 200
    assert "<title>Northbridge Notebooks</title>" in page
    assert '<h1 class="jp-Atrium-Branding-name">Northbridge Notebooks</h1>' in page
    logo = f"{jp_base_url}{brand.asset_path('logo-light.svg')}"
    assert f'<img src="{logo}" alt="Northbridge Notebooks"' in page
    favicon = f"{jp_base_url}{brand.asset_path('favicon-idle.svg')}"
    assert f'<link id="favicon" rel="icon" type="image/svg+xml" href="{favicon}">' in page
    assert (
        '<div class="jp-Atrium-Branding-message">Sign in with your <strong>Northbridge</strong>'
        " account. Access is logged.</div>"
    ) in page
    assert (
        '<a href="https://example.org/northbridge/terms" rel="noopener noreferrer" '
        'target="_blank">Terms of use</a>'
    ) in page
    assert "background: #0b5394;" in page and "color: #ffffff;" in page
    # The classification banner, top and bottom, announced as a note.
    assert page.count('role="note" data-level="warning"') == 2
    assert "<strong>Restricted:</strong> pseudonymised patient data" in page
    # The stock form, intact.
    next_url = url_escape(f"{jp_base_url}lab")
    assert f'<form action="{jp_base_url}login?next={next_url}" method="post"' in page
    assert '<input type="password" name="password" id="password_input"' in page
    assert 'id="login_submit"' in page
    assert 'name="_xsrf"' in page
    assert "Password or token:" in page
    # The logo the page points at is reachable without logging in.
    asset = await jp_fetch(
        *brand.asset_path("logo-light.svg").split("?")[0].split("/"), headers=ANONYMOUS
    )
    assert asset.body == brand.assets["logo-light.svg"].data


async def test_branded_login_with_the_password_works(jp_fetch, jp_base_url):
    reply = await post_login(jp_fetch, PASSWORD, next_url=f"{jp_base_url}lab")
    assert reply.code == 302
    assert reply.headers["Location"] == f"{jp_base_url}lab"
    login_cookie = next(
        c.split(";", 1)[0]
        for c in reply.headers.get_list("Set-Cookie")
        if c.startswith("username-")
    )
    # The cookie alone (no token) now opens authenticated routes.
    info = await jp_fetch("atrium", "api", "info", headers={**ANONYMOUS, "Cookie": login_cookie})
    assert json.loads(info.body)["branding"]["enabled"] is True


async def test_branded_login_with_the_token_works(jp_fetch, jp_serverapp):
    reply = await post_login(jp_fetch, jp_serverapp.identity_provider.token)
    assert reply.code == 302


async def test_branded_login_refuses_a_wrong_password(jp_fetch):
    reply = await post_login(jp_fetch, "wrong")
    assert reply.code == 401
    page = reply.body.decode()
    assert "Invalid credentials" in page
    assert "jp-Atrium-Branding-name" in page  # still the branded page
    assert not any(c.startswith("username-") for c in reply.headers.get_list("Set-Cookie"))


async def test_branded_login_keeps_xsrf_protection(jp_fetch):
    reply = await post_login(jp_fetch, PASSWORD, with_xsrf=False)
    assert reply.code == 403


@pytest.mark.parametrize("spec_path", [HOSTILE])
async def test_hostile_strings_are_escaped_on_the_login_page(jp_fetch, atrium_log):
    _, page = await fetch_login(jp_fetch)
    head, body = page.split("<body", 1)
    assert "<script>" not in page  # page.html's own script tag has attributes
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "\u202e" not in page
    assert (
        "<title>Évil &#34;Corp&#34; &lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt; "
        "TXT.EXE</title>"
    ) in head
    assert 'alt="Évil &#34;Corp&#34; &lt;script&gt;' in body
    assert "Hello &#34;friend&#34; &amp; &lt;img src=x onerror=alert(&#39;login&#39;)&gt;" in body
    assert "<em>welcome</em>" in body
    assert '<a href="/hub/home" rel="noopener noreferrer" target="_blank">home</a>' in body
    assert "[bad](data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;)" in body
    assert "[click](javascript:alert(1))" in body  # literal text, not a link
    assert 'href="javascript' not in page
    assert (
        '<a href="https://example.org/terms?a=1&amp;b=2" rel="noopener noreferrer" '
        'target="_blank">Terms &#34;&amp;&#34; &lt;conditions&gt;</a>'
    ) in body
    # Only the bottom banner was asked for.
    assert 'jp-Atrium-Branding-notice-bottom" role="note" data-level="critical"' in body
    assert "jp-Atrium-Branding-notice-top" not in body
    # The hostile logo was sanitised before it was ever served.
    logo = await jp_fetch("atrium", "branding", "assets", "logo-light.svg", headers=ANONYMOUS)
    assert b"onload" not in logo.body and b"onclick" not in logo.body and b"<set" not in logo.body
    # Its unreadable colours were reported to the admin.
    warnings = atrium_log.messages(logging.WARNING)
    assert any(w.startswith("Atrium branding: notice.colors: text #eeeeee") for w in warnings)


@pytest.fixture
def custom_login_config(jp_server_config, tmp_path):
    templates = tmp_path / "my-templates"
    templates.mkdir()
    (templates / "login.html").write_text("ADMIN'S OWN LOGIN PAGE {{ xsrf_form_html() }}")
    jp_server_config["ServerApp"]["extra_template_paths"] = [str(templates)]
    return jp_server_config


async def test_an_admins_own_login_template_wins(custom_login_config, jp_fetch, atrium_log):
    _, page = await fetch_login(jp_fetch)
    assert page.startswith("ADMIN'S OWN LOGIN PAGE")
    assert any(
        "a custom login.html is configured" in w for w in atrium_log.messages(logging.WARNING)
    )
    assert (await policy_of(jp_fetch))["enabled"] is True  # JupyterLab is still branded


# --- invalid specs: the server starts, stock look, clear error ----------------------------


BROKEN_SPECS = {
    "missing": (lambda d: d / "missing.json", "the file does not exist"),
    "bad-json": (lambda d: write(d / "brand.json", '{"name": "X",'), "not valid JSON"),
    "schema": (
        lambda d: write(d / "brand.json", '{"name": "X", "notice": {"text": "t", "level": 3}}'),
        "notice.level: is not one of ['info', 'warning', 'critical']",
    ),
    "outside-folder": (lambda d: outside_folder(d), "resolves outside the spec's folder"),
    "svg-nothing-left": (
        lambda d: with_logo(d, (FIXTURES / "svg" / "script-only.svg").read_bytes()),
        "nothing drawable is left",
    ),
    "svg-entities": (
        lambda d: with_logo(d, (FIXTURES / "svg" / "billion-laughs.svg").read_bytes()),
        "declares entities",
    ),
}


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def with_logo(folder: Path, svg: bytes) -> Path:
    (folder / "logo.svg").write_bytes(svg)
    return write(folder / "brand.json", '{"name": "X", "logo": {"light": "logo.svg"}}')


def outside_folder(folder: Path) -> Path:
    brand = folder / "brand"
    brand.mkdir()
    shutil.copy(DEMO.parent / "logo.svg", folder / "logo.svg")
    (brand / "logo.svg").symlink_to(folder / "logo.svg")
    return write(brand / "brand.json", '{"name": "X", "logo": {"light": "logo.svg"}}')


@pytest.fixture
def broken(request, tmp_path):
    make, expected = BROKEN_SPECS[request.param]
    folder = tmp_path / "spec"
    folder.mkdir()
    return make(folder), expected


@pytest.mark.parametrize("broken", list(BROKEN_SPECS), indirect=True)
async def test_invalid_spec_falls_back_to_the_stock_look(
    broken, jp_server_config, jp_fetch, jp_serverapp, atrium_log
):
    path, expected = broken
    # The server is up (jp_fetch answered), unbranded, and says why.
    policy = await policy_of(jp_fetch)
    assert policy["enabled"] is False
    assert policy["branding"] is None
    assert policy["warnings"] == []
    assert expected in policy["error"]
    assert str(path) in policy["error"]
    errors = atrium_log.messages(logging.ERROR)
    # The log line says the same, and may add the offending value or the parser's problem.
    head, field = policy["error"].split(": ")[:2]
    assert any(e.startswith(f"Atrium branding is off: {head}: {field}") for e in errors), errors
    _, page = await fetch_login(jp_fetch)
    assert "<title>Jupyter Server</title>" in page and "jp-Atrium-Branding" not in page


CANARY = "hunter2-CANARY-7f3a9c"


@pytest.fixture
def yaml_with_a_secret(tmp_path) -> Path:
    """A YAML syntax error on the line where an admin pasted a password."""
    return write(tmp_path / "brand.yaml", f"name: Acme\nsmtp_password: {CANARY}: oops\n")


async def test_a_yaml_error_shows_its_place_but_never_the_line(
    yaml_with_a_secret, jp_server_config, jp_fetch, jp_serverapp, atrium_log
):
    """Users learn the brand could not be loaded and where; the log adds what the parser
    found; the text of the bad line (here a password) reaches neither."""
    policy = await policy_of(jp_fetch)
    assert policy["enabled"] is False
    assert policy["error"] == (
        f"Invalid brand spec {yaml_with_a_secret}: not valid YAML at line 2, column 37"
    )
    page_config = jp_serverapp.web_app.settings["page_config_data"]["atrium"]
    lab_page = (await jp_fetch("lab")).body.decode()
    info = (await jp_fetch("atrium", "api", "info")).body.decode()
    logged = [r.getMessage() for r in atrium_log.records]
    errors = atrium_log.messages(logging.ERROR)
    assert any(
        "line 2, column 37" in e and e.endswith("mapping values are not allowed here")
        for e in errors
    ), errors
    for where, text in {
        "page_config": json.dumps(page_config),
        "lab page": lab_page,
        "api/info": info,
        "log": "\n".join(logged),
    }.items():
        assert CANARY not in text, where
        assert "smtp_password" not in text, where


@pytest.fixture
def logo_in_a_link(tmp_path) -> Path:
    """A logo whose drawing sits inside <a>: sanitised, only its black background is left."""
    return with_logo(tmp_path, (FIXTURES / "svg" / "drawing-in-link.svg").read_bytes())


async def test_a_logo_emptied_by_sanitising_is_a_published_and_logged_warning(
    logo_in_a_link, jp_fetch, jp_serverapp, atrium_log
):
    policy = await policy_of(jp_fetch)
    assert policy["enabled"] is True  # still applied: the admin decides
    assert policy == jp_serverapp.web_app.settings["page_config_data"]["atrium"]["branding"]
    assert len(policy["warnings"]) == 2, policy["warnings"]
    assert policy["warnings"][0].startswith("logo.light: 'logo.svg': 3 of its 4 shapes sat inside")
    assert policy["warnings"][1] == "logo.light: 'logo.svg': sanitising removed elements: a (1)"
    logged = atrium_log.messages(logging.WARNING)
    for warning in policy["warnings"]:
        assert f"Atrium branding: {warning}" in logged, logged
    everything = json.dumps(policy) + "\n".join(r.getMessage() for r in atrium_log.records)
    assert "CANARY" not in everything
