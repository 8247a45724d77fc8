"""Brand colours: hex parsing, JupyterLab shade derivation and WCAG 2.x contrast checks.

The server derives every colour once; the frontend and both login pages only apply the result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

RGB = tuple[int, int, int]

_HEX = re.compile(r"^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")

WHITE = "#ffffff"
BLACK = "#000000"

# The page background the brand colour sits on: --jp-layout-color0 of JupyterLab's stock
# light (white) and dark (#111) themes.
THEME_BACKGROUND = {"light": WHITE, "dark": "#111111"}

# WCAG 2.x AA: 4.5:1 for normal text, 3:1 for user-interface components (SC 1.4.11).
TEXT_CONTRAST = 4.5
UI_CONTRAST = 3.0

# How far each shade moves from the given colour, mirroring the Material shades JupyterLab's
# themes use (brand-color0 = blue-900 for blue-700, 2..4 = blue-300, -100, -50): colour 0 is
# darker, 1 is the admin's colour, 2..4 are progressively lighter, in both light and dark themes.
_DARKEN_0 = 0.3
_LIGHTEN = (0.4, 0.7, 0.88)

# Text on the brand colour (buttons, banner); not a JupyterLab variable, so Atrium's own name.
ON_BRAND_VARIABLE = "--jp-atrium-on-brand-color"

# Notice colours when the spec gives none; each pair is at least 4.5:1 (tested).
NOTICE_DEFAULTS: dict[str, dict[str, str]] = {
    "info": {"background": "#1565c0", "text": WHITE},
    "warning": {"background": "#ffb300", "text": BLACK},
    "critical": {"background": "#b71c1c", "text": WHITE},
}


def parse_hex(value: str) -> RGB:
    """``#rgb`` or ``#rrggbb`` as an (r, g, b) tuple; ValueError for anything else."""
    match = _HEX.fullmatch(value)  # fullmatch: "$" alone would accept a trailing newline
    if not match:
        raise ValueError(f"not a hex colour: {value!r}")
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))


def to_hex(rgb: RGB) -> str:
    return "#{:02x}{:02x}{:02x}".format(*(max(0, min(255, round(c))) for c in rgb))


def normalize(value: str) -> str:
    """The canonical ``#rrggbb`` lower-case form, so published CSS is uniform."""
    return to_hex(parse_hex(value))


def mix(color: str, other: str, amount: float) -> str:
    """Move ``color`` towards ``other`` by ``amount`` (0..1), in sRGB."""
    a, b = parse_hex(color), parse_hex(other)
    return to_hex(tuple(x + (y - x) * amount for x, y in zip(a, b, strict=True)))  # type: ignore[arg-type]


def shades(color: str) -> list[str]:
    """The five shades 0..4 of a JupyterLab colour family from its colour 1."""
    base = normalize(color)
    return [mix(base, BLACK, _DARKEN_0), base, *(mix(base, WHITE, t) for t in _LIGHTEN)]


def relative_luminance(color: str) -> float:
    """WCAG 2.x relative luminance."""

    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in parse_hex(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2.x contrast ratio, 1..21."""
    la, lb = relative_luminance(a), relative_luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def best_text_on(background: str) -> str:
    """White or black, whichever contrasts more with ``background``."""
    return (
        WHITE if contrast_ratio(WHITE, background) >= contrast_ratio(BLACK, background) else BLACK
    )


@dataclass(frozen=True)
class Palette:
    """One theme kind's resolved colours (``None`` where the spec leaves JupyterLab's own)."""

    brand: str | None
    accent: str | None
    on_brand: str | None

    def css(self) -> dict[str, str]:
        variables: dict[str, str] = {}
        if self.brand:
            for i, shade in enumerate(shades(self.brand)):
                variables[f"--jp-brand-color{i}"] = shade
        if self.accent:
            for i, shade in enumerate(shades(self.accent)):
                variables[f"--jp-accent-color{i}"] = shade
        if self.on_brand:
            variables[ON_BRAND_VARIABLE] = self.on_brand
        return variables


def resolve_palette(spec: dict[str, str] | None) -> Palette:
    spec = spec or {}
    brand = normalize(spec["brand"]) if spec.get("brand") else None
    accent = normalize(spec["accent"]) if spec.get("accent") else None
    if spec.get("onBrand"):
        on_brand: str | None = normalize(spec["onBrand"])
    else:
        on_brand = best_text_on(brand) if brand else None
    return Palette(brand=brand, accent=accent, on_brand=on_brand)


def _ratio(value: float) -> str:
    return f"{value:.2f}:1"


def palette_warnings(theme: str, palette: Palette) -> list[str]:
    """WCAG AA problems of one theme's palette, phrased for the admin."""
    warnings: list[str] = []
    where = f"colors.{theme}"
    if palette.brand and palette.on_brand:
        ratio = contrast_ratio(palette.on_brand, palette.brand)
        if ratio < TEXT_CONTRAST:
            warnings.append(
                f"{where}: text colour {palette.on_brand} on brand colour {palette.brand} has "
                f"contrast {_ratio(ratio)}, below the WCAG AA minimum of 4.5:1 for text."
            )
    if palette.brand:
        background = THEME_BACKGROUND[theme]
        ratio = contrast_ratio(palette.brand, background)
        if ratio < UI_CONTRAST:
            warnings.append(
                f"{where}: brand colour {palette.brand} on the {theme} theme's background "
                f"{background} has contrast {_ratio(ratio)}, below the WCAG AA minimum of 3:1 "
                "for user-interface components."
            )
    return warnings


def notice_warnings(colors: dict[str, str]) -> list[str]:
    ratio = contrast_ratio(colors["text"], colors["background"])
    if ratio >= TEXT_CONTRAST:
        return []
    return [
        f"notice.colors: text {colors['text']} on background {colors['background']} has "
        f"contrast {_ratio(ratio)}, below the WCAG AA minimum of 4.5:1 for text."
    ]
