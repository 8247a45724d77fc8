"""The branded Jupyter Server login page (standalone servers; behind JupyterHub see hub.py).

jupyter_server renders ``login.html`` from its one Jinja environment. When a brand is loaded we
put a loader in front of that environment's loader which knows only our ``login.html`` (it
extends the stock ``page.html``), and hand the template its data through
``jinja_template_vars``. The stock handler, form fields, XSRF and login logic are unchanged.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import jupyter_server
from jinja2 import BaseLoader, ChoiceLoader, Environment, FileSystemLoader, TemplateNotFound

from .colors import WHITE, contrast_ratio, shades
from .markdown import render_tokens_html
from .spec import Brand

TEMPLATES = Path(__file__).with_name("templates")
BRANDED_PAGES = frozenset({"login.html"})

_STOCK_LOGIN = os.path.realpath(
    os.path.join(os.path.dirname(jupyter_server.__file__), "templates", "login.html")
)


class _BrandedPagesLoader(FileSystemLoader):
    """Our templates folder, limited to the pages we brand: every other name (``page.html``
    above all) still comes from jupyter_server or the admin's own template paths."""

    def get_source(self, environment: Environment, template: str) -> Any:
        if template not in BRANDED_PAGES:
            raise TemplateNotFound(template)
        return super().get_source(environment, template)

    def list_templates(self) -> list[str]:
        return sorted(BRANDED_PAGES)


def _text_color(brand: str) -> str | None:
    """The brand colour, or its darker shade, if readable as text on white; else None."""
    for candidate in (brand, shades(brand)[0]):
        if contrast_ratio(candidate, WHITE) >= 4.5:
            return candidate
    return None


def login_context(brand: Brand) -> dict[str, Any]:
    """What ``templates/login.html`` shows, all strings plain (Jinja escapes them) or Markup
    built by :func:`render_tokens_html`. The login page has a light background, so it uses the
    light palette."""
    palette = brand.palettes.get("light")
    colors: dict[str, str] = {}
    if palette and palette.brand:
        colors["brand"] = palette.brand
        colors["on_brand"] = palette.on_brand or WHITE
        text = _text_color(palette.brand)
        if text:
            colors["text"] = text
    favicon = brand.favicon_idle
    notice = brand.notice
    return {
        "name": brand.name,
        "logo": brand.asset_path(brand.logo_light) if brand.logo_light else None,
        "favicon": brand.asset_path(favicon) if favicon else None,
        "favicon_type": brand.assets[favicon].content_type if favicon else None,
        "colors": colors,
        "message": render_tokens_html(brand.login_message) if brand.login_message else None,
        "terms_url": brand.terms_url,
        "terms_label": brand.terms_label,
        "notice": {
            "html": render_tokens_html(notice.tokens),
            "plain": notice.plain,
            "level": notice.level,
            "background": notice.colors["background"],
            "text": notice.colors["text"],
            "top": "top" in notice.position,
            "bottom": "bottom" in notice.position,
        }
        if notice
        else None,
    }


def _stock_login_in_use(env: Environment, loader: BaseLoader) -> bool:
    try:
        _, filename, _ = loader.get_source(env, "login.html")
    except TemplateNotFound:
        return True
    return filename is not None and os.path.realpath(filename) == _STOCK_LOGIN


def install_login_page(settings: dict[str, Any], brand: Brand, log: logging.Logger) -> bool:
    """Serve the branded login page from ``settings["jinja2_env"]``; False if not installed.

    An admin's own ``login.html`` (``ServerApp.extra_template_paths``) wins: it is left alone.
    """
    env: Environment | None = settings.get("jinja2_env")
    if env is None or env.loader is None:
        log.warning("Atrium branding: no Jinja environment; the login page stays stock")
        return False
    if not _stock_login_in_use(env, env.loader):
        log.warning(
            "Atrium branding: a custom login.html is configured (extra_template_paths); "
            "it is kept and the branded login page is not used"
        )
        return False
    env.loader = ChoiceLoader([_BrandedPagesLoader(str(TEMPLATES)), env.loader])
    settings["jinja_template_vars"] = {
        **settings.get("jinja_template_vars", {}),
        "atrium_brand": login_context(brand),
    }
    return True
