"""The brand spec, without a server: validation, file confinement, SVG sanitising, the Markdown
subset and colours. The server side (policy, assets, login page) is test_branding_server.py."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import shutil
import time
from pathlib import Path

import defusedxml.ElementTree
import pytest

from jupyterlab_atrium.branding import colors
from jupyterlab_atrium.branding.files import FileRefused, read_confined
from jupyterlab_atrium.branding.markdown import clean_text, plain_text, tokenize
from jupyterlab_atrium.branding.spec import (
    ASSET_CSP,
    Brand,
    BrandSpecError,
    load_brand,
    render_tokens_html,
)
from jupyterlab_atrium.branding.svg import SvgError, sanitize_svg, sanitize_svg_report

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "demo" / "brand" / "brand.json"
FIXTURES = Path(__file__).parent / "fixtures" / "branding"
SVGS = FIXTURES / "svg"

NO_HUB: dict[str, str] = {}


def write_spec(folder: Path, spec: dict, name: str = "brand.json") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(spec), encoding="utf-8")
    return path


def demo_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "brand"
    shutil.copytree(DEMO.parent, folder)
    return folder / "brand.json"


def spec_error(path: Path) -> str:
    """What users see: About and the page config."""
    return spec_failure(path).message


def spec_failure(path: Path) -> BrandSpecError:
    with pytest.raises(BrandSpecError) as err:
        load_brand(path, environ=NO_HUB)
    assert str(err.value) == err.value.message
    return err.value


# --- the demo spec: the full shape of what is published -----------------------------------


def test_demo_spec_resolves_to_the_published_contract():
    brand = load_brand(DEMO, environ=NO_HUB)
    assert isinstance(brand, Brand)
    assert brand.name == "Northbridge Notebooks"
    assert brand.warnings == []
    assert set(brand.assets) == {
        "logo-light.svg",
        "logo-dark.svg",
        "favicon-idle.svg",
        "favicon-busy.svg",
    }
    published = brand.published()
    # Exactly the keys of IBranding / IBrandNotice in src/branding/types.ts.
    assert set(published) == {"name", "logo", "favicon", "css", "notice"}
    version = brand.assets["logo-light.svg"].version
    assert published["logo"] == {
        "light": f"atrium/branding/assets/logo-light.svg?v={version}",
        "dark": brand.asset_path("logo-dark.svg"),
        "href": None,
    }
    assert version == hashlib.sha256(brand.assets["logo-light.svg"].data).hexdigest()[:12]
    assert published["favicon"]["busy"].startswith("atrium/branding/assets/favicon-busy.svg?v=")
    assert set(published["css"]) == {"light", "dark"}
    assert published["css"]["light"]["--jp-brand-color1"] == "#0b5394"
    assert published["css"]["dark"]["--jp-brand-color1"] == "#6fa8dc"
    assert published["css"]["light"]["--jp-accent-color1"] == "#b45f06"
    assert published["css"]["light"][colors.ON_BRAND_VARIABLE] == "#ffffff"
    assert published["css"]["dark"][colors.ON_BRAND_VARIABLE] == "#000000"  # light blue: black
    notice = published["notice"]
    assert set(notice) == {"id", "tokens", "plain", "level", "dismissible", "position", "colors"}
    assert notice["plain"] == (
        "Restricted: pseudonymised patient data. Follow the data protection rules."
    )
    assert notice["tokens"][0] == {"t": "strong", "c": [{"t": "text", "v": "Restricted:"}]}
    assert notice["tokens"][2] == {
        "t": "link",
        "href": "https://example.org/northbridge/data-protection",
        "c": [{"t": "text", "v": "data protection rules"}],
    }
    assert notice["level"] == "warning"
    assert notice["dismissible"] is False
    assert notice["position"] == ["top", "bottom"]
    assert notice["colors"] == {"background": "#7a4b00", "text": "#ffffff"}
    assert brand.login_message and brand.login_message[1]["t"] == "strong"
    assert brand.terms_url == "https://example.org/northbridge/terms"
    assert brand.terms_label == "Terms of use"
    json.dumps(published)  # goes into page_config_data as JSON


def test_a_custom_asset_url_is_used_for_every_image():
    brand = load_brand(DEMO, environ=NO_HUB)
    published = brand.published(lambda name: f"/hub/static/brand/{name}")
    assert published["logo"]["light"] == "/hub/static/brand/logo-light.svg"
    assert published["favicon"]["idle"] == "/hub/static/brand/favicon-idle.svg"


def test_notice_id_is_a_hash_of_the_text(tmp_path):
    path = demo_copy(tmp_path)
    spec = json.loads(path.read_text())
    first = load_brand(path, environ=NO_HUB).notice
    assert first.id == hashlib.sha256(spec["notice"]["text"].encode()).hexdigest()[:16]
    spec["notice"]["level"] = "critical"  # same text, other presentation: same id
    write_spec(path.parent, spec)
    assert load_brand(path, environ=NO_HUB).notice.id == first.id
    spec["notice"]["text"] += " Updated."
    write_spec(path.parent, spec)
    assert load_brand(path, environ=NO_HUB).notice.id != first.id


def test_minimal_spec_has_no_images_no_css_no_notice(tmp_path):
    brand = load_brand(write_spec(tmp_path, {"name": "Plain"}), environ=NO_HUB)
    assert brand.published() == {
        "name": "Plain",
        "logo": None,
        "favicon": None,
        "css": {"light": {}, "dark": {}},
        "notice": None,
    }
    assert brand.login_message is None and brand.terms_url is None
    assert brand.assets == {}


def test_yaml_spec_with_a_png_favicon_gets_a_derived_busy_icon():
    brand = load_brand(FIXTURES / "yaml" / "brand.yaml", environ=NO_HUB)
    assert brand.name == "Northbridge Notebooks (YAML)"
    assert brand.favicon_idle == "favicon-idle.png"
    assert brand.assets["favicon-idle.png"].content_type == "image/png"
    busy = brand.assets[brand.favicon_busy]
    assert brand.favicon_busy == "favicon-busy.svg"
    assert busy.content_type == "image/svg+xml"
    assert b'href="data:image/png;base64,' in busy.data
    assert "img-src data:" in busy.csp  # the only asset allowed to embed anything
    assert brand.assets["logo-light.svg"].csp == ASSET_CSP
    assert brand.notice.tokens == [
        {"t": "text", "v": "Maintenance on "},
        {"t": "em", "c": [{"t": "text", "v": "Sunday"}]},
        {"t": "text", "v": "."},
    ]
    assert brand.notice.colors == colors.NOTICE_DEFAULTS["info"]
    assert brand.css["dark"] == {}  # no dark palette: JupyterLab's own dark colours


def test_logo_link_defaults_to_the_hub_home_behind_jupyterhub(tmp_path):
    path = write_spec(tmp_path, {"name": "X", "logo": {"light": "logo.svg"}})
    shutil.copy(DEMO.parent / "logo.svg", tmp_path / "logo.svg")
    assert load_brand(path, environ={}).logo_href is None
    hub = {"JUPYTERHUB_API_URL": "http://127.0.0.1:8081/hub/api"}
    assert load_brand(path, environ=hub).logo_href == "/hub/home"
    hub["JUPYTERHUB_BASE_URL"] = "/jupyter/"
    assert load_brand(path, environ=hub).logo_href == "/jupyter/hub/home"
    hub["JUPYTERHUB_HOST"] = "https://hub.example.org"
    assert load_brand(path, environ=hub).logo_href == "https://hub.example.org/jupyter/hub/home"
    prefix_only = {"JUPYTERHUB_SERVICE_PREFIX": "/user/ada/"}
    assert load_brand(path, environ=prefix_only).logo_href == "/hub/home"
    write_spec(tmp_path, {"name": "X", "logo": {"light": "logo.svg", "href": "/lab"}})
    assert load_brand(path, environ=hub).logo_href == "/lab"


# --- invalid specs: clear messages naming the spec and the field --------------------------


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (
            {"name": "X", "notice": {"text": "hi", "level": "urgent"}},
            "notice.level: 'urgent' is not one of ['info', 'warning', 'critical']",
        ),
        ({"notice": {"text": "hi"}}, "'name' is a required property"),
        ({"name": ""}, "name: '' should be non-empty"),
        ({"name": "X" * 81}, "name: is longer than 80 characters"),
        ({"name": "X", "colour": {}}, "unknown field(s) 'colour'"),
        (
            {"name": "X", "colors": {"light": {"brand": "blue"}}},
            "colors.light.brand: 'blue' is not allowed: A CSS hex colour",
        ),
        (
            {"name": "X", "logo": {"light": "l.svg", "href": "javascript:alert(1)"}},
            "logo.href: 'javascript:alert(1)' is not allowed: An https URL",
        ),
        (
            {"name": "X", "login": {"termsUrl": "http://example.org/terms"}},
            "login.termsUrl: 'http://example.org/terms' is not allowed",
        ),
        ({"name": "X", "logo": {"light": "/etc/logo.svg"}}, "logo.light: '/etc/logo.svg'"),
        ({"name": "X", "logo": {"light": "../logo.svg"}}, "logo.light: '../logo.svg'"),
        ({"name": "X", "logo": {"light": "logo.gif"}}, "logo.light: 'logo.gif'"),
        (
            {"name": "X", "notice": {"text": "hi", "position": ["top", "top"]}},
            "notice.position: ['top', 'top'] has non-unique elements",
        ),
        ({"name": "X", "version": 2}, "version: 1 was expected"),
    ],
)
def test_schema_violations_name_the_field_and_the_spec(tmp_path, spec, expected):
    """The log says the offending value; users get the field and the rule, never a value
    from the file (it may be something pasted by mistake)."""
    path = write_spec(tmp_path, spec)
    failure = spec_failure(path)
    assert failure.detail.startswith(f"Invalid brand spec {path}: ")
    assert expected in failure.detail
    assert failure.message.startswith(f"Invalid brand spec {path}: ")
    field, _, problem = expected.partition(": ")
    if problem:
        assert f"{field}: " in failure.message
    for value in re.findall(r"'[^']*'", expected):
        if value not in ("'info'", "'warning'", "'critical'", "'colour'", "'name'"):
            assert value not in failure.message, (value, failure.message)


def test_a_url_with_credentials_reaches_neither_users_nor_the_log(tmp_path):
    spec = {"name": "X", "login": {"termsUrl": "http://admin:hunter2@example.org/terms"}}
    failure = spec_failure(write_spec(tmp_path, spec))
    assert "login.termsUrl: is not allowed: An https URL" in failure.message
    assert "login.termsUrl: 'http://…@example.org/terms' is not allowed" in failure.detail
    assert "hunter2" not in failure.message + failure.detail


def test_every_schema_error_is_reported_up_to_a_limit(tmp_path):
    spec = {"name": 1, "logo": {}, "notice": {"text": ""}, "login": {"termsLabel": 2}, "x": 1}
    message = spec_error(write_spec(tmp_path, spec))
    for field in ("name:", "logo:", "notice.text:", "login.termsLabel:", "unknown field(s) 'x'"):
        assert field in message


def test_a_url_with_a_trailing_newline_is_refused(tmp_path):
    # JSON Schema's "pattern" uses search(), whose "$" matches before a final newline.
    spec = {"name": "X", "login": {"termsUrl": "https://example.org/\n"}}
    assert "login.termsUrl" in spec_error(write_spec(tmp_path, spec))


@pytest.mark.parametrize("url", ["//evil.example/", "/\\evil.example/"])
def test_protocol_relative_urls_are_refused(tmp_path, url):
    # Browsers leave the server for both; the schema and the code each refuse them.
    spec = {"name": "X", "logo": {"light": "logo.svg", "href": url}}
    shutil.copy(DEMO.parent / "logo.svg", tmp_path / "logo.svg")
    assert spec_error(write_spec(tmp_path, spec)).startswith(
        f"Invalid brand spec {tmp_path / 'brand.json'}: logo.href: "
    )


def test_unreadable_specs(tmp_path):
    missing = tmp_path / "nope.json"
    assert spec_error(missing) == f"Cannot read brand spec {missing}: the file does not exist"
    bad = tmp_path / "bad.json"
    bad.write_text('{"name": "X",\n "logo": }')
    assert spec_error(bad) == (f"Invalid brand spec {bad}: not valid JSON at line 2, column 10")
    with pytest.raises(BrandSpecError) as err:
        load_brand(bad, environ=NO_HUB)
    assert err.value.detail.endswith("line 2, column 10: Expecting value")
    latin = tmp_path / "latin.json"
    latin.write_bytes('{"name": "Z\u00fcrich"}'.encode("latin-1"))
    assert "not UTF-8" in spec_error(latin)
    folder = tmp_path / "dir.json"
    folder.mkdir()
    assert "is not a regular file" in spec_error(folder)
    big = tmp_path / "big.json"
    big.write_text('{"name": "X", "$schema": "' + "x" * (1024 * 1024) + '"}')
    assert "larger than 1 MiB" in spec_error(big)
    not_object = spec_failure(write_spec(tmp_path, ["not", "an", "object"]))
    assert not_object.message.endswith(": is not of type 'object'")
    assert not_object.detail.endswith("['not', 'an', 'object'] is not of type 'object'")


def test_yaml_errors_and_aliases(tmp_path):
    bad = tmp_path / "brand.yml"
    bad.write_text("name: [unclosed\n")
    assert "not valid YAML" in spec_error(bad)
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
        "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
        "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
        "name: *c\n"
    )
    assert spec_error(bomb).endswith("not valid YAML at line 2, column 8")
    with pytest.raises(BrandSpecError) as err:
        load_brand(bomb, environ=NO_HUB)
    assert err.value.detail.endswith("line 2, column 8: YAML aliases are not allowed")
    dated = tmp_path / "dated.yaml"
    dated.write_text("name: 2024-01-01\n")  # a date, not a string
    detail = spec_failure(dated).detail
    assert "name: datetime.date(2024, 1, 1) is not of type 'string'" in detail


# --- file confinement ---------------------------------------------------------------------


def test_a_symlink_out_of_the_spec_folder_is_refused(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copy(DEMO.parent / "logo.svg", outside / "logo.svg")
    folder = tmp_path / "brand"
    path = write_spec(folder, {"name": "X", "logo": {"light": "logo.svg"}})
    (folder / "logo.svg").symlink_to(outside / "logo.svg")
    message = spec_error(path)
    assert "logo.light: 'logo.svg' resolves outside the spec's folder" in message
    # A symlinked directory leading out is the same thing.
    (folder / "logo.svg").unlink()
    (folder / "images").symlink_to(outside)
    write_spec(folder, {"name": "X", "logo": {"light": "images/logo.svg"}})
    assert "resolves outside the spec's folder" in spec_error(path)


def test_symlinks_inside_the_folder_and_a_symlinked_spec_work(tmp_path):
    # Kubernetes ConfigMaps mount every file as a symlink into a hidden folder beside it.
    folder = tmp_path / "brand"
    data = folder / "..2024_01_01"
    data.mkdir(parents=True)
    shutil.copy(DEMO.parent / "logo.svg", data / "logo.svg")
    write_spec(data, {"name": "X", "logo": {"light": "logo.svg"}})
    (folder / "logo.svg").symlink_to(data / "logo.svg")
    (folder / "brand.json").symlink_to(data / "brand.json")
    brand = load_brand(folder / "brand.json", environ=NO_HUB)
    assert brand.assets["logo-light.svg"].content_type == "image/svg+xml"


@pytest.mark.parametrize(
    ("relative", "problem"),
    [
        ("../logo.svg", "without '..'"),
        ("a/../../logo.svg", "without '..'"),
        ("/etc/passwd", "without '..'"),
        ("a\\..\\logo.svg", "without '..'"),
        ("", "without '..'"),
        ("nested", "is not a regular file"),
        ("missing.svg", "does not exist"),
        ("huge.png", "larger than 1 MiB"),
    ],
)
def test_read_confined_refuses_what_the_schema_would_also_refuse(tmp_path, relative, problem):
    (tmp_path / "nested").mkdir()
    (tmp_path / "huge.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * (1024 * 1024))
    with pytest.raises(FileRefused, match=re.escape(problem)):
        read_confined(str(tmp_path), relative)


@pytest.mark.parametrize(
    ("file_name", "content", "problem"),
    [
        (
            "logo.png",
            b"<svg xmlns='http://www.w3.org/2000/svg'/>",
            "is named .png but is not a PNG",
        ),
        ("logo.ico", b"\x89PNG\r\n\x1a\n" + b"\0" * 40, "is named .ico but is not an ICO"),
        ("logo.svg", b"\x89PNG\r\n\x1a\n" + b"\0" * 40, "not well-formed XML"),
        ("logo.svg", (SVGS / "script-only.svg").read_bytes(), "nothing drawable is left"),
        ("logo.svg", (SVGS / "xxe.svg").read_bytes(), "declares entities"),
        ("logo.svg", (SVGS / "html-root.svg").read_bytes(), "root element is not <svg>"),
    ],
)
def test_file_content_must_match_its_type(tmp_path, file_name, content, problem):
    (tmp_path / file_name).write_bytes(content)
    path = write_spec(tmp_path, {"name": "X", "favicon": {"idle": file_name}})
    message = spec_error(path)
    assert f"favicon.idle: '{file_name}'" in message
    assert problem in message
    assert "root:" not in message and "/etc/passwd" not in message  # no file content leaks


def test_ico_favicon_is_accepted(tmp_path):
    header = b"\0\0\1\0\1\0" + bytes([16, 16, 0, 0, 1, 0, 32, 0]) + (40).to_bytes(4, "little")
    (tmp_path / "favicon.ico").write_bytes(header + (22).to_bytes(4, "little") + b"\0" * 40)
    brand = load_brand(write_spec(tmp_path, {"name": "X", "favicon": {"idle": "favicon.ico"}}))
    assert brand.assets["favicon-idle.ico"].content_type == "image/x-icon"


# --- SVG sanitiser ------------------------------------------------------------------------

ALLOWED_SVG_TAGS = {
    "svg",
    "g",
    "defs",
    "rect",
    "circle",
    "path",
    "use",
    "style",
    "text",
    "linearGradient",
    "stop",
}


def assert_safe_svg(data: bytes) -> defusedxml.ElementTree.Element:
    text = data.decode("utf-8")
    lowered = text.lower()
    for bad in (
        "script",
        "javascript",
        "evil.example",
        "foreignobject",
        "iframe",
        "@import",
        "expression",
        "<!doctype",
        "<!entity",
        "data:",
        "<image",
        "<a ",
        "<set",
        "<animate",
        "inkscape",
        "sodipodi",
        "metadata",
        "\\",
    ):
        assert bad not in lowered, (bad, text)
    root = defusedxml.ElementTree.fromstring(data)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    for element in root.iter():
        tag = element.tag.split("}", 1)[1]
        assert tag in ALLOWED_SVG_TAGS, tag
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), name
            assert not name.startswith("{"), name  # no xlink:, inkscape: ...
            if name == "href":
                assert value.startswith("#"), value
            if "url(" in value:
                assert re.fullmatch(r".*url\(#\w+\).*", value), value
    return root


@pytest.mark.parametrize(
    ("file_name", "kept"),
    [
        ("script.svg", ['fill="#0b5394"']),
        ("onload.svg", ["<rect"]),
        ("javascript-href.svg", ['<path d="M0 0 L10 10"']),
        ("external-image.svg", ["<rect"]),
        ("external-use.svg", ['<use href="#dot" x="5" y="5">', '<circle id="dot" r="3">']),
        (
            "style-url.svg",
            ["<style>.ok { fill: #0b5394 }</style>", 'stroke="url(#g)"', 'style="fill: url(#g)"'],
        ),
        ("foreign-object.svg", ["<circle"]),
        ("doctype-export.svg", ['<g><rect width="10" height="10" fill="#0b5394"></rect></g>']),
    ],
)
def test_hostile_svgs_keep_their_drawing_and_lose_the_rest(file_name, kept):
    clean = sanitize_svg((SVGS / file_name).read_bytes())
    assert_safe_svg(clean)
    for part in kept:
        assert part in clean.decode(), (part, clean)
    assert sanitize_svg(clean) == clean  # stable: sanitising twice changes nothing


@pytest.mark.parametrize(
    ("file_name", "problem"),
    [
        ("xxe.svg", "declares entities"),
        ("billion-laughs.svg", "declares entities"),
        ("html-root.svg", "root element is not <svg>"),
        ("script-only.svg", "nothing drawable is left"),
    ],
)
def test_svgs_that_cannot_be_made_safe_are_refused(file_name, problem):
    # CPU time of this thread, not wall time: on a machine whose cores are shared (CI), a
    # waiting thread's clock still runs. Entity expansion would take far more than this.
    started = time.thread_time()
    with pytest.raises(SvgError, match=re.escape(problem)):
        sanitize_svg((SVGS / file_name).read_bytes())
    assert time.thread_time() - started < 1  # no entity expansion happened


def test_sanitising_says_what_it_removed_and_when_the_drawing_is_gone():
    """The issue's logo: its drawing inside <a>, a background square left. The admin hears
    which elements went and that the image is nearly empty; never the file's text."""
    report = sanitize_svg_report((SVGS / "drawing-in-link.svg").read_bytes())
    assert report.removed_elements == {"a": 1}
    assert (report.drawing, report.lost_drawing) == (1, 3)
    warnings = report.warnings()
    assert len(warnings) == 2, warnings
    assert warnings[0].startswith("3 of its 4 shapes sat inside removed elements")
    assert warnings[1] == "sanitising removed elements: a (1)"
    assert "CANARY" not in "\n".join(warnings)


@pytest.mark.parametrize(
    ("file_name", "removed"),
    [
        ("script.svg", "elements: script (2)"),
        ("onload.svg", "attributes: onclick (1), onload (1), onmouseover (1)"),
        ("doctype-export.svg", "elements: metadata (1), other namespace (1)"),
    ],
)
def test_every_removal_is_named_and_counted(file_name, removed):
    warnings = sanitize_svg_report((SVGS / file_name).read_bytes()).warnings()
    assert len(warnings) == 1 and removed in warnings[0], warnings


def test_a_clean_logo_gives_no_warning():
    report = sanitize_svg_report((DEMO.parent / "logo.svg").read_bytes())
    assert report.warnings() == []


def test_a_logo_that_lost_its_drawing_is_a_brand_warning(tmp_path):
    folder = tmp_path / "brand"
    folder.mkdir()
    shutil.copy(SVGS / "drawing-in-link.svg", folder / "logo.svg")
    brand = load_brand(
        write_spec(folder, {"name": "X", "logo": {"light": "logo.svg"}}), environ=NO_HUB
    )
    assert [w.split(": ", 2)[:2] for w in brand.warnings] == [
        ["logo.light", "'logo.svg'"],
        ["logo.light", "'logo.svg'"],
    ]
    assert "3 of its 4 shapes" in brand.warnings[0]


def test_absurdly_nested_svgs_are_refused():
    nested = "<g>" * 5000 + '<rect width="1" height="1"/>' + "</g>" * 5000
    svg = f'<svg xmlns="http://www.w3.org/2000/svg">{nested}</svg>'.encode()
    with pytest.raises(SvgError, match="nested more than 64 deep"):
        sanitize_svg(svg)


def test_the_demo_logo_survives_sanitising_unchanged_in_substance():
    clean = sanitize_svg((DEMO.parent / "logo.svg").read_bytes()).decode()
    assert 'aria-label="Northbridge Institute of Health Data"' in clean
    assert ">Northbridge</text>" in clean
    assert clean.count("<text") == 2 and clean.count("<rect") == 1


# --- the Markdown subset ------------------------------------------------------------------


def text(v: str) -> dict:
    return {"t": "text", "v": v}


@pytest.mark.parametrize(
    ("source", "tokens"),
    [
        ("plain", [text("plain")]),
        (
            "**b** *i* `c`",
            [
                {"t": "strong", "c": [text("b")]},
                text(" "),
                {"t": "em", "c": [text("i")]},
                text(" "),
                {"t": "code", "v": "c"},
            ],
        ),
        (
            "**bold *and italic***",
            [
                {"t": "strong", "c": [text("bold "), {"t": "em", "c": [text("and italic")]}]},
            ],
        ),
        (
            "[a](https://x.org/p?q=1&r=2)",
            [
                {"t": "link", "href": "https://x.org/p?q=1&r=2", "c": [text("a")]},
            ],
        ),
        (
            "[local](/hub/home) [dev](http://localhost:8888/lab)",
            [
                {"t": "link", "href": "/hub/home", "c": [text("local")]},
                text(" "),
                {"t": "link", "href": "http://localhost:8888/lab", "c": [text("dev")]},
            ],
        ),
        (
            "[**b**](https://x.org)",
            [
                {"t": "link", "href": "https://x.org", "c": [{"t": "strong", "c": [text("b")]}]},
            ],
        ),
        (
            "[a [nested] label](https://x.org)",
            [
                {"t": "link", "href": "https://x.org", "c": [text("a [nested] label")]},
            ],
        ),
        (
            "[[x](https://in.org)](https://out.org)",
            [
                {"t": "link", "href": "https://out.org", "c": [text("[x](https://in.org)")]},
            ],
        ),
        ("[x](javascript:alert(1))", [text("[x](javascript:alert(1))")]),
        ("[x](JAVASCRIPT:alert(1))", [text("[x](JAVASCRIPT:alert(1))")]),
        ("[x](http://example.org)", [text("[x](http://example.org)")]),
        ("[x](//evil.example/)", [text("[x](//evil.example/)")]),
        ("[x](/\\evil.example/)", [text("[x](/\\evil.example/)")]),
        ("[x](data:text/html,hi)", [text("[x](data:text/html,hi)")]),
        ('[x](https://a.org/"onclick="y)', [text('[x](https://a.org/"onclick="y)')]),
        ("[x] (https://a.org)", [text("[x] (https://a.org)")]),
        ("<script>alert(1)</script>", [text("<script>alert(1)</script>")]),
        ("**unclosed *open `tick [bracket](", [text("**unclosed *open `tick [bracket](")]),
        ("** not bold ** and * not em *", [text("** not bold ** and * not em *")]),
        (
            "\\*\\*literal\\*\\* \\`x\\` \\[y\\](https://a.org)",
            [
                text("**literal** `x` [y](https://a.org)"),
            ],
        ),
        ("snake_case_name", [text("snake_case_name")]),
        ("``", [text("``")]),
        ("`<b>` ok", [{"t": "code", "v": "<b>"}, text(" ok")]),
    ],
)
def test_markdown_subset(source, tokens):
    assert tokenize(source) == tokens


def test_markdown_never_produces_html_and_renders_escaped():
    hostile = (
        "<img src=x onerror=alert(1)> \"quoted\" 'single' & **<b>bold</b>** "
        "[<script>x</script>](https://a.org/?a=1&b=2) `</code><script>`"
    )
    tokens = tokenize(hostile)
    html = str(render_tokens_html(tokens))
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&#34;quoted&#34; &#39;single&#39; &amp;" in html
    assert "<strong>&lt;b&gt;bold&lt;/b&gt;</strong>" in html
    assert (
        '<a href="https://a.org/?a=1&amp;b=2" rel="noopener noreferrer" target="_blank">'
        "&lt;script&gt;x&lt;/script&gt;</a>"
    ) in html
    assert "<code>&lt;/code&gt;&lt;script&gt;</code>" in html
    assert plain_text(tokens).startswith('<img src=x onerror=alert(1)> "quoted"')


def test_rendering_rechecks_link_targets():
    tokens = [
        {"t": "link", "href": "javascript:alert(1)", "c": [text("bad")]},
        {"t": "link", "href": 'https://a.org/" onmouseover="x', "c": [text("quote")]},
        {"t": "nonsense", "v": "<i>"},
    ]
    html = str(render_tokens_html(tokens))
    assert html == "badquote&lt;i&gt;"


def test_markdown_is_fast_on_long_and_pathological_input():
    for source in (
        "[" * 50_000 + "]" * 50_000,
        "*a" * 50_000,
        "**" * 50_000,
        "`" * 100_000,
        "[x](" * 25_000,
        "\\" * 100_000,
        "**a *b [c](https://x.org) d* e**" * 3_000,
    ):
        # CPU time, not wall time (see above): backtracking or quadratic scans on 100,000
        # characters would take minutes of it.
        started = time.thread_time()
        tokens = tokenize(source)
        render_tokens_html(tokens)
        assert time.thread_time() - started < 2, source[:20]
        assert plain_text(tokens)


def test_clean_text_drops_bidi_overrides_and_control_characters():
    assert clean_text("a\u202eevil\u202c b\u2066c\u2069\x00\x07\x1b[31m", multiline=False) == (
        "aevil bc[31m"
    )
    assert clean_text("one\r\ntwo\u2028three\tfour", multiline=True) == "one\ntwo\nthree four"
    assert clean_text("one\ntwo", multiline=False) == "one two"
    # Right-to-left text itself is fine, as are its marks.
    assert clean_text("\u05e9\u05dc\u05d5\u05dd \u200fok", multiline=False) == (
        "\u05e9\u05dc\u05d5\u05dd \u200fok"
    )


# --- colours ------------------------------------------------------------------------------


def test_contrast_ratio_follows_wcag():
    assert colors.contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert colors.contrast_ratio("#fff", "#ffffff") == pytest.approx(1)
    assert colors.contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert colors.contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert colors.best_text_on("#0b5394") == "#ffffff"
    assert colors.best_text_on("#ffd966") == "#000000"
    with pytest.raises(ValueError):
        colors.parse_hex("#fff\n")
    with pytest.raises(ValueError):
        colors.parse_hex("red")


def test_shades_darken_colour_0_and_lighten_2_to_4():
    base = "#1976d2"  # JupyterLab's light-theme brand-color1 (Material blue 700)
    derived = colors.shades(base)
    assert derived[1] == base
    lum = [colors.relative_luminance(c) for c in derived]
    assert lum[0] < lum[1] < lum[2] < lum[3] < lum[4] < 1
    # Close to the Material shades JupyterLab uses (blue 900, 300, 100, 50).
    for ours, stock in zip(
        derived, ["#0d47a1", base, "#64b5f6", "#bbdefb", "#e3f2fd"], strict=True
    ):
        assert colors.contrast_ratio(ours, stock) < 1.35, (ours, stock)
    assert colors.shades("#ABC") == colors.shades("#aabbcc")


def test_default_notice_colours_meet_wcag_aa():
    for level, pair in colors.NOTICE_DEFAULTS.items():
        assert colors.contrast_ratio(pair["text"], pair["background"]) >= 4.5, level


def test_low_contrast_colours_give_warnings(tmp_path):
    spec = {
        "name": "X",
        "colors": {
            "light": {"brand": "#ffd966", "onBrand": "#ffffff"},
            "dark": {"brand": "#1a1a1a"},
        },
        "notice": {"text": "hi", "colors": {"background": "#ffffff", "text": "#eeeeee"}},
    }
    brand = load_brand(write_spec(tmp_path, spec), environ=NO_HUB)
    assert len(brand.warnings) == 4, brand.warnings
    joined = "\n".join(brand.warnings)
    assert "colors.light: text colour #ffffff on brand colour #ffd966 has contrast 1.37:1" in joined
    assert "colors.light: brand colour #ffd966 on the light theme's background #ffffff" in joined
    assert "colors.dark: brand colour #1a1a1a on the dark theme's background #111111" in joined
    assert "notice.colors: text #eeeeee on background #ffffff has contrast 1.16:1" in joined
    # onBrand defaulted for the dark palette: the better of white and black, so no warning.
    assert brand.css["dark"][colors.ON_BRAND_VARIABLE] == "#ffffff"


def test_hostile_spec_is_escaped_cleaned_and_tokenized():
    brand = load_brand(FIXTURES / "hostile" / "brand.json", environ=NO_HUB)
    assert "\u202e" not in brand.name and "\u202c" not in brand.name
    assert brand.name == "Évil \"Corp\" <script>alert('name')</script> TXT.EXE"
    notice = brand.notice
    assert all(t["t"] != "link" for t in notice.tokens)  # javascript: and quoted URLs refused
    assert "\n" not in notice.plain  # a banner is one line
    assert "<script>alert('notice')</script>" in notice.plain  # as text, to be shown as text
    html = str(render_tokens_html(brand.login_message))
    assert "<img" not in html and "<script>" not in html
    assert '<a href="/hub/home" rel="noopener noreferrer" target="_blank">home</a>' in html
    assert "[bad](data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;)" in html
    assert brand.warnings  # the fixture's colours are unreadable on purpose
    for asset in brand.assets.values():
        if asset.content_type == "image/svg+xml" and asset.csp == ASSET_CSP:
            assert_safe_svg(asset.data)


# --- the setting: loading never raises ----------------------------------------------------


def test_unexpected_errors_become_a_generic_message(monkeypatch, caplog):
    from jupyterlab_atrium.branding import config

    def explode(path):
        raise RuntimeError("connection to secret-host:5432 failed")

    monkeypatch.setattr(config, "load_brand", explode)
    branding = config.AtriumBranding(spec_path="/etc/atrium/brand.json")
    with caplog.at_level(logging.ERROR):
        state = branding.load()
    assert state.policy() == {
        "enabled": False,
        "branding": None,
        "error": (
            "The brand spec /etc/atrium/brand.json could not be loaded because of an internal "
            "error; the server log has details."
        ),
        "warnings": [],
    }
    assert "secret-host" in caplog.text  # the log has the details, the page does not


def test_no_spec_configured_is_the_stock_look():
    from jupyterlab_atrium.branding.config import AtriumBranding

    state = AtriumBranding().load()
    assert state.policy() == {"enabled": False, "branding": None, "error": None, "warnings": []}
