"""Branding for JupyterHub's own pages, from the same brand spec as JupyterLab.

Behind a hub the user's server never shows a login page: the hub's login, home and spawn
pages are JupyterHub's Jinja templates. ``configure_hub`` points JupyterHub at Atrium's
templates (which only override blocks of the stock ones, so every authenticator keeps its
login form) and hands them the brand, already validated and sanitised by ``load_brand``::

    # jupyterhub_config.py
    from jupyterlab_atrium.branding.hub import configure_hub
    configure_hub(c, "/etc/atrium/brand/brand.json")

A broken spec must never keep the hub from starting: it is logged and the hub keeps its
stock look.
"""

from __future__ import annotations

import atexit
import base64
import logging
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .spec import BrandSpecError, load_brand, render_tokens_html

if TYPE_CHECKING:
    from traitlets.config import Config

    from .spec import Brand

#: Atrium's JupyterHub templates: ``page.html`` and ``login.html`` extending the stock ones.
HUB_TEMPLATES = str(Path(__file__).with_name("hub_templates"))

#: The key under which the templates find the brand in ``c.JupyterHub.template_vars``.
TEMPLATE_VAR = "atrium_brand"

# The dark logo and the favicon reach the hub's pages inline (the hub has no place to serve
# extra files from); past this size they would bloat every page, so they are left out.
MAX_INLINE_BYTES = 64 * 1024

_EXTENSIONS = {
    "image/svg+xml": ".svg",
    "image/png": ".png",
    "image/x-icon": ".ico",
    "image/vnd.microsoft.icon": ".ico",
}

# Defence in depth for values that end up inside <style> and style="" (where HTML escaping
# does not protect): the spec only allows hex colours, so anything else is a bug upstream.
_CSS_NAME = re.compile(r"--[A-Za-z0-9-]{1,64}")
_CSS_VALUE = re.compile(r"#[0-9A-Fa-f]{3,8}|[a-z]+\([0-9., %]{1,40}\)")


def configure_hub(
    c: Config,
    spec_path: str | os.PathLike[str],
    *,
    cache_dir: str | os.PathLike[str] | None = None,
    log: logging.Logger | None = None,
) -> Brand | None:
    """Brand JupyterHub's pages from the brand spec at ``spec_path``.

    Call it at the end of ``jupyterhub_config.py`` (after any ``template_paths`` or
    ``template_vars`` of your own, which are kept). It prepends Atrium's templates to
    ``c.JupyterHub.template_paths``, adds the brand to ``c.JupyterHub.template_vars``,
    sets ``c.JupyterHub.logo_file`` to a sanitised copy of the logo and, unless you set one,
    the notice as ``announcement``.

    ``cache_dir`` receives the logo copy (created private, mode 0700); by default a fresh
    private temporary folder that is removed when the hub exits.

    Returns the loaded brand, or ``None`` when the spec is invalid: then the error is logged
    and ``c`` is left exactly as it was, so the hub starts with its stock look.
    """
    log = log or _hub_log()
    try:
        # The hub's own pages: the logo links to the hub (the template's default), whatever
        # JUPYTERHUB_* variables this process happens to see.
        brand = load_brand(spec_path, environ={})
        values = template_values(brand, log)
        logo_file = _write_logo(brand, cache_dir) if brand.logo_light else None
    except BrandSpecError as err:
        log.error("Atrium branding: %s. JupyterHub keeps its stock look.", err.detail)
        return None
    except Exception:
        # A bug or an unwritable cache dir must not take the hub down with it.
        log.exception(
            "Atrium branding: could not apply the brand spec %s, JupyterHub keeps its stock look",
            spec_path,
        )
        return None

    hub = c.JupyterHub
    _prepend_template_path(hub)
    template_vars = _existing_template_vars(hub)
    template_vars[TEMPLATE_VAR] = values
    # Stock templates (and any an admin adds later in template_paths) show `announcement`;
    # ours show the notice themselves and skip the announcement when it is this same text.
    if values["notice"] and "announcement" not in template_vars:
        template_vars["announcement"] = values["notice"]["html"]
    hub.template_vars = template_vars
    if logo_file:
        hub.logo_file = logo_file

    for warning in brand.warnings:
        log.warning("Atrium branding: %s", warning)
    log.info("Atrium branding: JupyterHub pages branded as %r from %s", brand.name, spec_path)
    return brand


def template_values(brand: Brand, log: logging.Logger | None = None) -> dict[str, Any]:
    """What the hub templates need, as plain values; HTML only from ``render_tokens_html``."""
    log = log or _hub_log()
    notice = None
    if brand.notice is not None:
        colors = brand.notice.colors
        notice = {
            "id": brand.notice.id,
            "html": render_tokens_html(brand.notice.tokens),
            "plain": brand.notice.plain,
            "level": brand.notice.level,
            "dismissible": brand.notice.dismissible,
            "top": "top" in brand.notice.position,
            "bottom": "bottom" in brand.notice.position,
            "background": _css_value(colors["background"]),
            "text": _css_value(colors["text"]),
        }
    logo_dark = None
    if brand.logo_dark and brand.logo_dark != brand.logo_light:
        logo_dark = _data_uri(brand, brand.logo_dark, log)
    favicon = _data_uri(brand, brand.favicon_idle, log) if brand.favicon_idle else None
    return {
        "name": brand.name,
        "logo": bool(brand.logo_light),
        "logo_dark": logo_dark,
        "logo_href": brand.logo_href,
        "favicon": favicon,
        "css": {kind: _css_declarations(brand.css.get(kind, {})) for kind in ("light", "dark")},
        "notice": notice,
        "login_message": render_tokens_html(brand.login_message) if brand.login_message else None,
        "terms_url": brand.terms_url,
        "terms_label": brand.terms_label,
    }


def _hub_log() -> logging.Logger:
    """The JupyterHub application's log while its config file runs, else its logger name."""
    from traitlets.config import Application

    if Application.initialized():
        return Application.instance().log
    return logging.getLogger("JupyterHub")


def _prepend_template_path(hub: Config) -> None:
    existing = hub.get("template_paths") if "template_paths" in hub else None
    if existing is None:
        hub.template_paths = [HUB_TEMPLATES]
    elif isinstance(existing, list):
        hub.template_paths = [HUB_TEMPLATES, *(p for p in existing if p != HUB_TEMPLATES)]
    else:
        # `c.JupyterHub.template_paths.append(...)` earlier: a LazyConfigValue applied later
        # to the default list; prepending keeps the admin's entries in their place.
        existing.prepend([HUB_TEMPLATES])


def _existing_template_vars(hub: Config) -> dict[str, Any]:
    existing = hub.get("template_vars") if "template_vars" in hub else None
    if existing is None:
        return {}
    if isinstance(existing, dict):
        return dict(existing)
    # `c.JupyterHub.template_vars.update(...)` earlier: the default is an empty dict.
    return dict(existing.get_value({}))


def _write_logo(brand: Brand, cache_dir: str | os.PathLike[str] | None) -> str:
    """Write the sanitised logo where JupyterHub's ``/hub/logo`` can serve it from.

    Never the admin's own file: for an SVG that would serve unsanitised markup on the
    hub's origin.
    """
    assert brand.logo_light is not None
    asset = brand.assets[brand.logo_light]
    folder = _private_dir(cache_dir)
    target = folder / f"logo{_EXTENSIONS.get(asset.content_type, '')}"
    # Write then rename, so a hub restarting over an existing cache never serves half a file.
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".logo-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(asset.data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return str(target)


def _private_dir(cache_dir: str | os.PathLike[str] | None) -> Path:
    if cache_dir is None:
        folder = Path(tempfile.mkdtemp(prefix="atrium-hub-brand-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        return folder
    folder = Path(cache_dir)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    # mkdir's mode does not apply to a folder that already existed.
    folder.chmod(0o700)
    return folder


def _data_uri(brand: Brand, name: str, log: logging.Logger) -> str | None:
    asset = brand.assets[name]
    if len(asset.data) > MAX_INLINE_BYTES:
        log.warning(
            "Atrium branding: %s is larger than %d KiB and is left out of JupyterHub's pages",
            name,
            MAX_INLINE_BYTES // 1024,
        )
        return None
    return f"data:{asset.content_type};base64,{base64.b64encode(asset.data).decode('ascii')}"


def _css_value(value: str) -> str:
    if not _CSS_VALUE.fullmatch(value):
        raise ValueError(f"unexpected CSS value {value!r}")
    return value


def _css_declarations(variables: dict[str, str]) -> list[tuple[str, str]]:
    declarations = []
    for name, value in variables.items():
        if not _CSS_NAME.fullmatch(name):
            raise ValueError(f"unexpected CSS variable name {name!r}")
        declarations.append((name, _css_value(value)))
    return declarations
