"""Loading an admin's brand spec: read, validate, sanitise, resolve. Done once, at start-up.

:func:`load_brand` turns a JSON or YAML file into a :class:`Brand`: every string cleaned and the
Markdown tokenized, every file read from the spec's own folder and checked (SVGs sanitised),
colours derived for JupyterLab's light and dark themes, contrast checked. The JupyterLab page,
the Jupyter Server login page and the JupyterHub templates all consume that one result.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from jupyter_server.utils import url_path_join

from .colors import (
    NOTICE_DEFAULTS,
    Palette,
    normalize,
    notice_warnings,
    palette_warnings,
    resolve_palette,
)
from .files import FileRefused, checked_image, read_confined, read_limited, spec_folder
from .markdown import Token, clean_text, plain_text, tokenize
from .markdown import render_tokens_html as render_tokens_html  # re-exported: the API
from .schema import brand_schema, is_allowed_url

__all__ = [
    "ASSETS_PATH",
    "Asset",
    "Brand",
    "BrandSpecError",
    "Notice",
    "load_brand",
    "render_tokens_html",
]

# Where the server extension serves assets, relative to the server's base URL.
ASSETS_PATH = "atrium/branding/assets"

# Served with every asset: an SVG opened directly can neither run nor load anything.
ASSET_CSP = "default-src 'none'; style-src 'unsafe-inline'"
# The derived busy favicon embeds the idle icon as a data: image, and nothing else.
_DERIVED_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

_BUSY_DOT = "#f57c00"  # JupyterLab's --jp-warn-color1 in the light theme
_MAX_ERRORS = 5


class BrandSpecError(Exception):
    """The brand spec cannot be used. ``message`` names the spec and the field, no secrets.

    ``message`` is what every user may see (About, page config); ``detail`` is for the server
    log, and may add the parser's description of the problem — never the file's text.
    """

    def __init__(self, message: str, detail: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail or message


@dataclass(frozen=True)
class Asset:
    """A sanitised file, served from memory."""

    data: bytes
    content_type: str
    version: str  # content hash: the ?v= of immutable URLs
    csp: str = ASSET_CSP


@dataclass(frozen=True)
class Notice:
    id: str
    tokens: list[Token]
    plain: str
    level: str
    dismissible: bool
    position: list[str]
    colors: dict[str, str]

    def published(self) -> dict[str, Any]:
        """The ``IBrandNotice`` of ``src/branding/types.ts``."""
        return {
            "id": self.id,
            "tokens": self.tokens,
            "plain": self.plain,
            "level": self.level,
            "dismissible": self.dismissible,
            "position": list(self.position),
            "colors": dict(self.colors),
        }


@dataclass(frozen=True)
class Brand:
    """A validated, sanitised and resolved brand spec."""

    name: str
    assets: dict[str, Asset]
    logo_light: str | None
    logo_dark: str | None  # None: the light logo serves both
    logo_href: str | None
    favicon_idle: str | None
    favicon_busy: str | None
    css: dict[str, dict[str, str]]
    notice: Notice | None
    login_message: list[Token] | None
    terms_url: str | None
    terms_label: str
    warnings: list[str]
    palettes: dict[str, Palette] = field(default_factory=dict)
    source: str = ""

    def asset_path(self, name: str) -> str:
        """URL of an asset relative to the server's base URL, versioned for caching."""
        return f"{ASSETS_PATH}/{name}?v={self.assets[name].version}"

    def published(self, asset_url: Callable[[str], str] | None = None) -> dict[str, Any]:
        """The ``IBranding`` dict of ``src/branding/types.ts``.

        ``asset_url`` maps an asset name to its URL; default: :meth:`asset_path`.
        """
        url = asset_url or self.asset_path
        logo = None
        if self.logo_light:
            light = url(self.logo_light)
            dark = url(self.logo_dark) if self.logo_dark else light
            logo = {"light": light, "dark": dark, "href": self.logo_href}
        favicon = None
        if self.favicon_idle and self.favicon_busy:
            favicon = {"idle": url(self.favicon_idle), "busy": url(self.favicon_busy)}
        return {
            "name": self.name,
            "logo": logo,
            "favicon": favicon,
            "css": {theme: dict(self.css.get(theme, {})) for theme in ("light", "dark")},
            "notice": self.notice.published() if self.notice else None,
        }


def hub_home_url(environ: Mapping[str, str]) -> str | None:
    """JupyterHub's home page when this server was spawned by a hub, else None."""
    if not (environ.get("JUPYTERHUB_API_URL") or environ.get("JUPYTERHUB_SERVICE_PREFIX")):
        return None
    base = environ.get("JUPYTERHUB_BASE_URL") or "/"
    # JUPYTERHUB_HOST is set (to the hub's origin) only when users' servers have subdomains.
    return environ.get("JUPYTERHUB_HOST", "") + url_path_join(base, "hub", "home")


# --- reading and validating -------------------------------------------------------------


class _NoAliasLoader(yaml.SafeLoader):
    """YAML without anchors/aliases: a brand spec needs none, and they allow 'billion laughs'."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "YAML aliases are not allowed", event.start_mark
            )
        return super().compose_node(parent, index)


# A quoted part of a parser's message is file text, unless it names a token ('<stream end>')
# or is one character (',' or '\t'): a pasted secret on the bad line must not reach the log.
_QUOTED = re.compile(r"'([^']*)'|\"([^\"]*)\"")


def _quoted_safe(match: re.Match[str]) -> str:
    inner = match.group(1) if match.group(1) is not None else match.group(2)
    if re.fullmatch(r"<[a-z ]+>", inner) or len(inner) <= 2:
        return match.group(0)
    return "'…'"


def _problem(text: str | None) -> str:
    """A parser's description of a problem without the file text it may quote."""
    if not text:
        return ""
    safe = _QUOTED.sub(_quoted_safe, " ".join(text.split()))
    return safe if len(safe) <= 120 else safe[:117] + "..."


def _syntax_error(
    path: str, kind: str, line: int | None, column: int | None, problem: str
) -> BrandSpecError:
    where = f" at line {line}, column {column}" if line is not None else ""
    # Users get the place only; the log also gets what the parser found wrong there.
    message = f"Invalid brand spec {path}: not valid {kind}{where}"
    detail = f"{message}: {problem}" if problem else message
    return BrandSpecError(message, detail)


def _parse(path: str, text: str) -> Any:
    if path.lower().endswith((".yaml", ".yml")):
        try:
            return yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 - a SafeLoader subclass
        except yaml.MarkedYAMLError as exc:
            # Never str(exc): PyYAML quotes the offending line as a snippet.
            mark = exc.problem_mark or exc.context_mark
            line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
            raise _syntax_error(path, "YAML", line, column, _problem(exc.problem)) from None
        except yaml.YAMLError:
            # A ReaderError (a character YAML refuses) names the character; say nothing more.
            problem = "a character YAML does not allow"
            raise _syntax_error(path, "YAML", None, None, problem) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise _syntax_error(path, "JSON", exc.lineno, exc.colno, _problem(exc.msg)) from None


def _field(error: ValidationError) -> str:
    parts: list[str] = []
    for part in error.absolute_path:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            parts.append(("." if parts else "") + str(part))
    return "".join(parts)


# user:password@ in a URL: the log gets the URL without it.
_USERINFO = re.compile(r"//[^/@\s]*@")


def _short(value: Any) -> str:
    text = _USERINFO.sub("//…@", repr(value))
    return text if len(text) <= 60 else text[:57] + "..."


# What users see instead of jsonschema's message, which starts with the value itself.
_RULES: dict[str, Callable[[Any], str]] = {
    "type": lambda expected: f"is not of type {expected!r}",
    "enum": lambda allowed: f"is not one of {allowed!r}",
    "const": lambda expected: f"must be {expected!r}",
    "minLength": lambda _: "is too short",
    "minItems": lambda _: "has too few items",
    "maxItems": lambda _: "has too many items",
    "uniqueItems": lambda _: "has non-unique elements",
}


def _describe(error: ValidationError) -> tuple[str, str]:
    """What every user may see (no value from the file) and what the log gets (with it)."""
    where = _field(error)
    if error.validator == "pattern":
        # The regex means nothing to an admin; the rule's description does.
        rule = next(
            (
                d["description"]
                for d in brand_schema()["$defs"].values()
                if d.get("pattern") == error.validator_value
            ),
            "not in the allowed format",
        )
        public = f"is not allowed: {rule}"
        detail = f"{_short(error.instance)} {public}"
    elif error.validator == "maxLength":
        public = detail = f"is longer than {error.validator_value} characters"
    elif error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = sorted(error.schema.get("properties", {}))
        unknown = sorted(set(error.instance) - set(allowed))
        public = detail = (
            f"unknown field(s) {', '.join(map(repr, unknown))}; allowed: {', '.join(allowed)}"
        )
    else:
        detail = error.message if len(error.message) <= 200 else error.message[:197] + "..."
        if error.validator == "required":
            public = detail  # names the missing field, from the schema
        else:
            rule = _RULES.get(str(error.validator))
            public = rule(error.validator_value) if rule else f"breaks the {error.validator} rule"
    if where:
        return f"{where}: {public}", f"{where}: {detail}"
    return public, detail


def _validate(path: str, data: Any) -> dict[str, Any]:
    validator = Draft202012Validator(brand_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    if errors:
        described = [_describe(e) for e in errors[:_MAX_ERRORS]]
        more = f" (and {len(errors) - _MAX_ERRORS} more)" if len(errors) > _MAX_ERRORS else ""
        prefix = f"Invalid brand spec {path}: "
        raise BrandSpecError(
            prefix + "; ".join(p for p, _ in described) + more,
            prefix + "; ".join(d for _, d in described) + more,
        )
    return data


# --- resolving ----------------------------------------------------------------------------


def _version(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


def _busy_favicon(idle: Asset, dot: str) -> Asset:
    """The idle icon with a dot, so JupyterLab's busy indicator still shows on a brand icon."""
    embedded = base64.b64encode(idle.data).decode("ascii")
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" width="32" height="32">'
        f'<image href="data:{idle.content_type};base64,{embedded}" '
        'x="0" y="0" width="32" height="32"/>'
        f'<circle cx="24" cy="24" r="7" fill="{dot}" stroke="#ffffff" stroke-width="2"/>'
        "</svg>"
    ).encode("ascii")
    return Asset(svg, "image/svg+xml", _version(svg), csp=_DERIVED_CSP)


class _Resolver:
    def __init__(self, path: str, spec: dict[str, Any]) -> None:
        self.path = path
        self.spec = spec
        self.folder = spec_folder(path)
        self.assets: dict[str, Asset] = {}
        self.warnings: list[str] = []

    def fail(self, where: str, message: str, detail: str | None = None) -> BrandSpecError:
        prefix = f"Invalid brand spec {self.path}: {where}: "
        return BrandSpecError(prefix + message, prefix + (detail or message))

    def image(self, where: str, relative: str | None, role: str) -> str | None:
        """Read, check and register one image; returns its public asset name."""
        if not relative:
            return None
        try:
            data, content_type, notes = checked_image(
                relative, read_confined(self.folder, relative)
            )
        except FileRefused as exc:
            raise self.fail(where, str(exc)) from None
        self.warnings.extend(f"{where}: {note}" for note in notes)
        # Public names say the role, never the admin's file layout.
        name = role + PurePosixPath(relative).suffix.lower()
        self.assets[name] = Asset(data, content_type, _version(data))
        return name

    def url(self, where: str, value: str | None) -> str | None:
        # fullmatch: the schema's "$" lets a trailing newline through.
        if value is not None and not is_allowed_url(value):
            problem = "is not an allowed URL"
            raise self.fail(where, problem, f"{_short(value)} {problem}")
        return value

    def notice(self) -> tuple[Notice | None, list[str]]:
        spec = self.spec.get("notice")
        if not spec:
            return None, []
        text = clean_text(spec["text"], multiline=False).strip()
        if not text:
            raise self.fail("notice.text", "is empty once control characters are removed")
        tokens = tokenize(text)
        level = spec.get("level", "info")
        if "colors" in spec:
            colors = {key: normalize(spec["colors"][key]) for key in ("background", "text")}
        else:
            colors = dict(NOTICE_DEFAULTS[level])
        notice = Notice(
            # Per text, so a changed notice shows again to users who closed the old one.
            id=hashlib.sha256(text.encode("utf-8")).hexdigest()[:16],
            tokens=tokens,
            plain=plain_text(tokens),
            level=level,
            dismissible=bool(spec.get("dismissible", True)),
            position=list(spec.get("position", ["top"])),
            colors=colors,
        )
        return notice, notice_warnings(colors)

    def brand(self, environ: Mapping[str, str]) -> Brand:
        spec = self.spec
        name = clean_text(spec["name"], multiline=False).strip()
        if not name:
            raise self.fail("name", "is empty once control characters are removed")

        logo = spec.get("logo") or {}
        logo_light = self.image("logo.light", logo.get("light"), "logo-light")
        logo_dark = self.image("logo.dark", logo.get("dark"), "logo-dark")
        logo_href = self.url("logo.href", logo.get("href"))
        if logo_href is None:
            logo_href = hub_home_url(environ)

        palettes = {
            theme: resolve_palette((spec.get("colors") or {}).get(theme))
            for theme in ("light", "dark")
        }
        warnings = [w for theme, p in palettes.items() for w in palette_warnings(theme, p)]

        favicon = spec.get("favicon") or {}
        favicon_idle = self.image("favicon.idle", favicon.get("idle"), "favicon-idle")
        favicon_busy = self.image("favicon.busy", favicon.get("busy"), "favicon-busy")
        if favicon_idle and not favicon_busy:
            dot = palettes["light"].accent or palettes["light"].brand or _BUSY_DOT
            favicon_busy = "favicon-busy.svg"
            self.assets[favicon_busy] = _busy_favicon(self.assets[favicon_idle], dot)

        notice, notice_problems = self.notice()
        warnings.extend(notice_problems)
        warnings.extend(self.warnings)

        login = spec.get("login") or {}
        message = clean_text(login.get("message", ""), multiline=True).strip()
        label = clean_text(login.get("termsLabel", ""), multiline=False).strip()
        return Brand(
            name=name,
            assets=self.assets,
            logo_light=logo_light,
            logo_dark=logo_dark,
            logo_href=logo_href,
            favicon_idle=favicon_idle,
            favicon_busy=favicon_busy,
            css={theme: p.css() for theme, p in palettes.items()},
            notice=notice,
            login_message=tokenize(message) if message else None,
            terms_url=self.url("login.termsUrl", login.get("termsUrl")),
            terms_label=label or "Terms of use",
            warnings=warnings,
            palettes=palettes,
            source=self.path,
        )


def load_brand(path: str | os.PathLike[str], *, environ: Mapping[str, str] | None = None) -> Brand:
    """Read, validate and resolve the brand spec at ``path`` (JSON, or YAML by extension).

    ``environ`` (default ``os.environ``) tells whether the server runs under JupyterHub, for
    the logo link's default. Raises :class:`BrandSpecError` with a message for the admin.
    """
    path = os.fspath(path)
    if not path:
        raise BrandSpecError("No brand spec configured")
    try:
        raw = read_limited(os.path.abspath(path), "the file")
    except FileRefused as exc:
        raise BrandSpecError(f"Cannot read brand spec {path}: {exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BrandSpecError(f"Invalid brand spec {path}: not UTF-8 text") from None
    spec = _validate(path, _parse(path, text))
    return _Resolver(path, spec).brand(os.environ if environ is None else environ)
