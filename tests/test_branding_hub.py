"""JupyterHub branded by ``configure_hub``: a real JupyterHub, its login page and a real login.

Two real hubs (with configurable-http-proxy from tests/hub/) start once for the module, in
parallel: one configured with the demo brand (and an admin's own template folder), and one
whose configure_hub gets an invalid spec, which must start with the stock look. The unit
tests below them need no hub.
"""

from __future__ import annotations

import base64
import copy
import logging
import os
import re
import stat
import textwrap
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
import requests
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PrefixLoader
from traitlets.config import Config

from jupyterlab_atrium.branding.hub import HUB_TEMPLATES, TEMPLATE_VAR, configure_hub
from jupyterlab_atrium.branding.spec import load_brand, render_tokens_html

from .hub_harness import Hub, HubSetup, hub_config, launch_hub, stop_hub, wait_ready

REPO = Path(__file__).resolve().parents[1]
DEMO_SPEC = REPO / "demo" / "brand" / "brand.json"
CHP = REPO / "tests" / "hub" / "node_modules" / ".bin" / "configurable-http-proxy"
USER = "alice"
ADMIN_404_MARKER = "admin-404-marker"
# Unit tests log here, not to whatever Jupyter application another test left behind.
LOG = logging.getLogger("atrium-test-hub")

BRANDED = """
from jupyterlab_atrium.branding.hub import configure_hub

c.JupyterHub.template_paths = [{admin_templates!r}]
configure_hub(c, {spec!r}, cache_dir={cache!r})
"""

# Valid JSON, but not a valid spec: the hub must start anyway, unbranded.
INVALID_SPEC = '{"name": "Broken Brand", "colors": {"light": {"brand": "blue"}}}'


def _start_hub(tmp: Path, *, spec: Path) -> Hub:
    setup = HubSetup(tmp)
    config = hub_config(setup, users={USER})
    if spec == DEMO_SPEC:
        admin_templates = tmp / "admin-templates"
        admin_templates.mkdir()
        # An admin's own template, which must keep working under Atrium's (and get the brand).
        (admin_templates / "404.html").write_text(
            '{% extends "error.html" %}{% block error_detail %}'
            f'<p id="{ADMIN_404_MARKER}">Nothing here.</p>{{% endblock %}}'
        )
        config += BRANDED.format(
            admin_templates=str(admin_templates), spec=str(spec), cache=str(tmp / "cache")
        )
    else:
        config += "from jupyterlab_atrium.branding.hub import configure_hub\n"
        config += f"configure_hub(c, {str(spec)!r}, cache_dir={str(tmp / 'cache')!r})\n"
    return launch_hub(setup, config)


@pytest.fixture(scope="module")
def hubs(tmp_path_factory) -> Iterator[dict[str, Hub]]:
    root = tmp_path_factory.mktemp("hubs")
    started: dict[str, Hub] = {}
    try:
        invalid = root / "invalid-brand" / "brand.json"
        invalid.parent.mkdir()
        invalid.write_text(INVALID_SPEC)
        started["branded"] = _start_hub(root / "branded", spec=DEMO_SPEC)
        started["fallback"] = _start_hub(root / "fallback", spec=invalid)
        for hub in started.values():
            wait_ready(hub)
        yield started
    finally:
        for hub in started.values():
            stop_hub(hub)


@pytest.fixture(scope="module")
def hub(hubs) -> Hub:
    return hubs["branded"]


@pytest.fixture(scope="module")
def brand():
    return load_brand(DEMO_SPEC)


def _xsrf(html: str) -> str:
    match = re.search(r'name="_xsrf" value="([^"]+)"', html)
    assert match, "the login form has no _xsrf field"
    return match.group(1)


def _login(hub: Hub, password: str, *, with_xsrf: bool = True):
    session = requests.Session()
    page = session.get(f"{hub.url}/hub/login", timeout=10)
    page.raise_for_status()
    form = {"username": USER, "password": password}
    if with_xsrf:
        form["_xsrf"] = _xsrf(page.text)
    response = session.post(f"{hub.url}/hub/login", data=form, allow_redirects=False, timeout=10)
    return session, response


# --- a real JupyterHub -------------------------------------------------------------------


def test_login_page_shows_the_brand(hub, brand):
    page = requests.get(f"{hub.url}/hub/login", timeout=10)
    assert page.status_code == 200
    html = page.text

    assert "<title>Northbridge Notebooks</title>" in html
    assert '<div class="atrium-login-name">Northbridge Notebooks</div>' in html
    # The logo: the hub's /hub/logo (the sanitised copy) and the dark variant inline.
    assert re.search(r'<img src="/hub/logo"\s+alt="Northbridge Notebooks"', html)
    dark = base64.b64encode(brand.assets[brand.logo_dark].data).decode()
    assert f'src="data:image/svg+xml;base64,{dark}"' in html
    favicon = base64.b64encode(brand.assets[brand.favicon_idle].data).decode()
    assert f'<link rel="icon" href="data:image/svg+xml;base64,{favicon}">' in html

    # The login message, as the server's Markdown subset rendered with escaping.
    message = str(render_tokens_html(brand.login_message))
    assert "<strong>Northbridge</strong>" in message
    assert f'<p class="atrium-login-message">{message}</p>' in html
    assert "**Northbridge**" not in html

    terms = re.search(r'<p class="atrium-login-terms">\s*<a href="([^"]+)"[^>]*>([^<]+)</a>', html)
    assert terms and terms.groups() == ("https://example.org/northbridge/terms", "Terms of use")

    # The notice at the top and the bottom, once each (not repeated as the stock announcement).
    notice = str(render_tokens_html(brand.notice.tokens))
    assert "<strong>Restricted:</strong>" in notice
    assert html.count(notice) == 2
    assert 'class="atrium-notice atrium-notice-top atrium-notice-warning"' in html
    assert 'class="atrium-notice atrium-notice-bottom atrium-notice-warning"' in html
    assert "background: #7a4b00; color: #ffffff;" in html
    assert "announcement alert" not in html
    assert 'class="atrium-notice-close"' not in html  # the demo notice is not dismissible

    # The brand's colours for both of the hub's themes.
    css = re.search(r'<style id="atrium-brand-css">(.*?)</style>', html, re.S)
    assert css
    light, dark_css = css.group(1).split('[data-bs-theme="dark"]', 1)
    assert "--jp-brand-color1: #0b5394;" in light
    assert "--jp-brand-color1: #6fa8dc;" in dark_css

    # The authenticator's own form is still there, with its XSRF field.
    assert 'id="password_input"' in html
    assert _xsrf(html)


def test_logo_is_the_sanitised_copy(hub, brand):
    logo = requests.get(f"{hub.url}/hub/logo", timeout=10)
    assert logo.status_code == 200
    assert logo.headers["Content-Type"].startswith("image/svg+xml")
    assert logo.content == brand.assets[brand.logo_light].data
    # Served from the private cache, not from the admin's folder.
    cached = hub.log.parent / "cache" / "logo.svg"
    assert cached.read_bytes() == logo.content
    assert stat.S_IMODE(cached.parent.stat().st_mode) == 0o700


def test_login_with_the_password_works(hub):
    session, response = _login(hub, hub.password)
    assert response.status_code == 302, response.text
    assert response.headers["Location"].startswith("/hub/")
    assert "jupyterhub-hub-login" in session.cookies

    home = session.get(f"{hub.url}/hub/home", allow_redirects=False, timeout=10)
    assert home.status_code == 200
    assert f'<span class="me-1">{USER}</span>' in home.text
    # The hub's other pages carry the brand too.
    assert "<title>Northbridge Notebooks</title>" in home.text
    assert 'class="atrium-notice atrium-notice-top atrium-notice-warning"' in home.text


def test_wrong_password_does_not_log_in(hub):
    session, response = _login(hub, hub.password + "-wrong")
    assert response.status_code == 403
    assert "jupyterhub-hub-login" not in session.cookies
    assert "Invalid username or password" in response.text
    assert '<div class="atrium-login-name">Northbridge Notebooks</div>' in response.text


def test_login_without_xsrf_is_refused(hub):
    session, response = _login(hub, hub.password, with_xsrf=False)
    assert response.status_code == 403
    assert "jupyterhub-hub-login" not in session.cookies


def test_admin_templates_still_apply_under_the_brand(hub):
    page = requests.get(f"{hub.url}/hub/no-such-page", timeout=10)
    assert page.status_code == 404
    assert f'id="{ADMIN_404_MARKER}"' in page.text
    assert "<title>Northbridge Notebooks</title>" in page.text


def test_invalid_spec_keeps_the_stock_look_and_logs_why(hubs):
    hub = hubs["fallback"]
    html = requests.get(f"{hub.url}/hub/login", timeout=10).text
    assert "<title>JupyterHub</title>" in html
    assert 'alt="JupyterHub logo"' in html
    assert "Broken Brand" not in html
    assert "atrium" not in html.lower()
    # The stock logo, not a cached copy.
    logo = requests.get(f"{hub.url}/hub/logo", timeout=10)
    assert logo.headers["Content-Type"] == "image/png"
    # The reason is in the hub's own log, as an error naming the spec and the field.
    errors = [line for line in hub.log.read_text().splitlines() if "Atrium branding" in line]
    assert len(errors) == 1
    assert errors[0].startswith("[E ") and "JupyterHub keeps its stock look" in errors[0]
    assert "colors.light.brand" in errors[0] and "invalid-brand/brand.json" in errors[0]
    # And it still logs people in.
    session, response = _login(hub, hub.password)
    assert response.status_code == 302 and "jupyterhub-hub-login" in session.cookies


# --- configure_hub without a hub ---------------------------------------------------------


def _admin_config() -> Config:
    c = Config()
    c.JupyterHub.template_paths = ["/srv/admin-templates"]
    c.JupyterHub.template_vars = {"org": "Northbridge", "announcement_login": "Maintenance"}
    c.JupyterHub.logo_file = "/srv/admin-logo.png"
    return c


@pytest.mark.parametrize(
    ("spec", "files", "expected"),
    [
        ({"name": ""}, {}, "name"),
        ({"name": "X", "colors": {"light": {"brand": "red"}}}, {}, "brand"),
        ({"name": "X", "logo": {"light": "../outside.svg"}}, {}, "logo"),
        ({"name": "X", "logo": {"light": "missing.svg"}}, {}, "missing.svg"),
        ({"name": "X", "surprise": True}, {}, "surprise"),
    ],
)
def test_invalid_spec_leaves_config_untouched(tmp_path, caplog, spec, files, expected):
    import json

    (tmp_path / "brand.json").write_text(json.dumps(spec))
    c = _admin_config()
    before = copy.deepcopy(c)
    with caplog.at_level(logging.ERROR):
        result = configure_hub(c, tmp_path / "brand.json", cache_dir=tmp_path / "cache", log=LOG)
    assert result is None
    assert c == before
    assert not (tmp_path / "cache").exists()
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    text = errors[0].getMessage()
    assert "stock look" in text and str(tmp_path / "brand.json") in text and expected in text


def test_a_yaml_error_is_logged_with_its_place_and_problem_but_not_the_line(tmp_path, caplog):
    canary = "hunter2-CANARY-hub-41b7"
    spec = tmp_path / "brand.yaml"
    spec.write_text(f"name: Acme\nsmtp_password: {canary}: oops\n")
    with caplog.at_level(logging.ERROR):
        assert configure_hub(Config(), spec, cache_dir=tmp_path / "cache", log=LOG) is None
    assert "line 2, column 39: mapping values are not allowed here" in caplog.text
    assert canary not in caplog.text and "smtp_password" not in caplog.text


def test_missing_spec_file_is_an_error_not_a_crash(tmp_path, caplog):
    c = Config()
    with caplog.at_level(logging.ERROR):
        assert configure_hub(c, tmp_path / "nowhere.json", log=LOG) is None
    assert c == Config()
    assert "nowhere.json" in caplog.text


def test_configure_hub_keeps_the_admins_settings(tmp_path, brand):
    c = _admin_config()
    assert configure_hub(c, DEMO_SPEC, cache_dir=tmp_path / "cache") is not None
    assert c.JupyterHub.template_paths == [HUB_TEMPLATES, "/srv/admin-templates"]
    template_vars = c.JupyterHub.template_vars
    assert template_vars["org"] == "Northbridge"
    assert template_vars["announcement_login"] == "Maintenance"
    assert template_vars[TEMPLATE_VAR]["name"] == "Northbridge Notebooks"
    # No announcement of the admin's own: the notice fills in for templates that are not ours.
    assert template_vars["announcement"] == render_tokens_html(brand.notice.tokens)

    # Calling it twice (a config file included twice) does not stack our templates.
    configure_hub(c, DEMO_SPEC, cache_dir=tmp_path / "cache")
    assert c.JupyterHub.template_paths == [HUB_TEMPLATES, "/srv/admin-templates"]


def test_configure_hub_keeps_an_admins_announcement_and_lazy_settings(tmp_path):
    c = Config()
    c.JupyterHub.template_paths.append("/srv/extra")
    c.JupyterHub.template_vars.update({"announcement": "Planned downtime on Friday"})
    configure_hub(c, DEMO_SPEC, cache_dir=tmp_path / "cache")
    # Applied to JupyterHub's default list, as the hub will.
    assert c.JupyterHub.template_paths.get_value(["/stock"]) == [
        HUB_TEMPLATES,
        "/stock",
        "/srv/extra",
    ]
    assert c.JupyterHub.template_vars["announcement"] == "Planned downtime on Friday"
    assert c.JupyterHub.template_vars[TEMPLATE_VAR]["notice"] is not None


def test_logo_file_is_a_private_sanitised_copy(tmp_path):
    brand_dir = tmp_path / "brand"
    brand_dir.mkdir()
    (brand_dir / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" onload="alert(1)">'
        '<script>alert(2)</script><rect width="10" height="10" fill="#0b5394"/></svg>'
    )
    (brand_dir / "brand.json").write_text('{"name": "Hostile", "logo": {"light": "logo.svg"}}')
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o755)  # an existing folder is made private too
    c = Config()
    brand = configure_hub(c, brand_dir / "brand.json", cache_dir=cache)
    assert brand is not None
    logo_file = Path(c.JupyterHub.logo_file)
    assert logo_file.parent == cache
    assert logo_file.suffix == ".svg"
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    data = logo_file.read_bytes()
    assert data == brand.assets[brand.logo_light].data
    assert b"<script" not in data and b"onload" not in data and b"<rect" in data


def test_default_cache_dir_is_private(tmp_path):
    c = Config()
    configure_hub(c, DEMO_SPEC)
    folder = Path(c.JupyterHub.logo_file).parent
    assert folder.name.startswith("atrium-hub-brand-")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


# --- the templates, rendered as JupyterHub renders them ----------------------------------


def _render(template: str, template_vars: dict, **ns) -> str:
    """Render one of our templates through JupyterHub's own loader set-up and stock files."""
    from jupyterhub._data import DATA_FILES_PATH

    stock = os.path.join(DATA_FILES_PATH, "templates")
    env = Environment(
        loader=ChoiceLoader(
            [
                PrefixLoader({"templates": FileSystemLoader([stock])}, "/"),
                FileSystemLoader([HUB_TEMPLATES, stock]),
            ]
        ),
        autoescape=True,
    )
    namespace = {
        "base_url": "/hub/",
        "static_url": lambda path, **kw: f"/hub/static/{path}",
        "authenticator": SimpleNamespace(request_otp=False),
        "authenticator_login_url": "/hub/login",
        "xsrf": "xsrf-token",
        **template_vars,
        **ns,
    }
    return env.get_template(template).render(**namespace)


def test_templates_escape_every_value_from_the_spec(tmp_path):
    hostile = "<img src=x onerror=alert(1)>"
    (tmp_path / "brand.json").write_text(
        textwrap.dedent(
            """\
            {
              "name": "<img src=x onerror=alert(1)>",
              "notice": {"text": "<script>alert(2)</script> **bold**", "dismissible": true},
              "login": {"message": "<b onmouseover=alert(3)>hi</b>",
                        "termsUrl": "https://example.org/t?a=1&b=2",
                        "termsLabel": "</a><script>alert(4)</script>"}
            }
            """
        )
    )
    c = Config()
    assert configure_hub(c, tmp_path / "brand.json", cache_dir=tmp_path / "cache") is not None
    html = _render("login.html", c.JupyterHub.template_vars)
    assert hostile not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script>alert" not in html
    assert "<b onmouseover" not in html
    assert "&lt;/a&gt;&lt;script&gt;alert(4)&lt;/script&gt;" in html
    assert "<strong>bold</strong>" in html
    assert 'href="https://example.org/t?a=1&amp;b=2"' in html
    # A dismissible notice gets its close button; no logo, so the stock one stays.
    assert 'class="atrium-notice-close"' in html
    assert 'alt="JupyterHub logo"' in html


def test_templates_without_brand_are_the_stock_ones():
    html = _render("login.html", {})
    assert "atrium" not in html.lower()
    assert "<title>JupyterHub</title>" in html
