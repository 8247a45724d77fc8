"""SVG sanitiser: only drawing survives; no scripts, event handlers or external references.

The logo is shown on login pages and inside JupyterLab and may be copied to JupyterHub's
static files, where Atrium's Content-Security-Policy does not protect it, so the sanitised
bytes must be safe on their own. The input is parsed with defusedxml (no DTD, no entities),
then rebuilt from an allow-list of SVG elements and attributes. References may only point into
the same document (``#id``, ``url(#id)``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from xml.etree.ElementTree import Element
from xml.sax.saxutils import escape, quoteattr

import defusedxml
import defusedxml.ElementTree

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"


class SvgError(ValueError):
    """The SVG cannot be made safe (or there is nothing left to show)."""


# Elements that draw, group or define paint. Not here, so removed with their content:
# script, foreignObject, image (external or data: rasters), a, animate*/set (they can rewrite
# attributes such as href), iframe, video/audio, metadata, and anything in other namespaces.
_ELEMENTS = frozenset(
    """svg g defs symbol use title desc style path rect circle ellipse line polyline polygon
    text tspan textPath linearGradient radialGradient stop clipPath mask pattern marker
    filter feBlend feColorMatrix feComponentTransfer feComposite feDropShadow feFlood
    feFuncA feFuncB feFuncG feFuncR feGaussianBlur feMerge feMergeNode feMorphology feOffset
    feTile""".split()
)
_DRAWING = frozenset("path rect circle ellipse line polyline polygon text use".split())
_TEXT_ELEMENTS = frozenset("text tspan textPath title desc style".split())

_ATTRIBUTES = frozenset(
    """id class x y x1 y1 x2 y2 cx cy r rx ry fx fy fr width height d points viewBox
    preserveAspectRatio transform version fill fill-opacity fill-rule stroke stroke-width
    stroke-linecap stroke-linejoin stroke-miterlimit stroke-dasharray stroke-dashoffset
    stroke-opacity opacity color display visibility overflow clip-path clip-rule
    clipPathUnits mask maskUnits maskContentUnits pattern patternUnits patternContentUnits
    patternTransform filter filterUnits primitiveUnits marker-start marker-mid marker-end
    markerWidth markerHeight markerUnits refX refY orient font-family font-size font-weight
    font-style font-variant font-stretch text-anchor dominant-baseline alignment-baseline
    baseline-shift letter-spacing word-spacing text-decoration textLength lengthAdjust
    startOffset writing-mode direction unicode-bidi rotate offset stop-color stop-opacity
    gradientUnits gradientTransform spreadMethod in in2 result stdDeviation dx dy mode
    operator k1 k2 k3 k4 values type tableValues slope intercept amplitude exponent
    flood-color flood-opacity lighting-color radius color-interpolation
    color-interpolation-filters vector-effect shape-rendering text-rendering paint-order
    image-rendering role aria-label aria-labelledby aria-describedby aria-hidden focusable
    style href""".split()
)

# Plain text or geometry, never interpreted as CSS: "R&D" in a label is fine.
_NOT_CSS = frozenset(
    "id class d points viewBox role aria-label aria-labelledby aria-describedby".split()
)

_FRAGMENT = r"#[A-Za-z_][\w.:-]*"
_LOCAL_HREF = re.compile(_FRAGMENT)
_LOCAL_URL = re.compile(r"url\(\s*(['\"]?)" + _FRAGMENT + r"\1\s*\)", re.IGNORECASE)
# After removing same-document url(#id): anything that could load, run or hide something.
_CSS_FORBIDDEN = re.compile(
    r"url\(|@|expression|javascript:|vbscript:|behavior|binding|image\(|image-set|cross-fade"
    r"|element\(|src\(|\\|<|&",
    re.IGNORECASE,
)


# Logos are shallow; this keeps the rebuild's recursion far from Python's limit.
_MAX_DEPTH = 64


def _local(tag: str) -> str | None:
    """The local name of an SVG-namespace (or un-namespaced) element; None otherwise."""
    if tag.startswith("{"):
        ns, _, name = tag[1:].partition("}")
        return name if ns == SVG_NS else None
    return tag


def _safe_css(value: str) -> bool:
    return not _CSS_FORBIDDEN.search(_LOCAL_URL.sub("", value))


_NAME = re.compile(r"[A-Za-z_][\w.-]{0,31}")


def _reported(tag: str) -> str:
    """A name as the admin is told it: a name, never a namespace URI or other file text."""
    if tag.startswith("{"):
        ns, _, name = tag[1:].partition("}")
        if ns != SVG_NS:
            return "other namespace"  # an editor's own data, most often
        tag = name
    return tag if _NAME.fullmatch(tag) else "unusual name"


def _clean_attributes(element: Element, removed: Counter[str]) -> dict[str, str]:
    kept: dict[str, str] = {}
    for raw_name, value in element.attrib.items():
        if raw_name == f"{{{XLINK_NS}}}href":
            name = "href"
        elif raw_name == f"{{{XML_NS}}}space":
            name = "xml:space"
        elif raw_name == f"{{{XML_NS}}}lang":
            name = "lang"
        elif raw_name.startswith("{") or raw_name not in _ATTRIBUTES:
            # on* handlers and anything unknown by name; editors' own namespaces as one lot.
            removed[_reported(raw_name)] += 1
            continue
        else:
            name = raw_name
        if name == "href":
            if not _LOCAL_HREF.fullmatch(value.strip()):
                removed["href"] += 1
                continue
            value = value.strip()
        elif name not in _NOT_CSS and not _safe_css(value):
            # Presentation attributes are CSS values too: fill="url(http://…)" loads.
            removed[name] += 1
            continue
        kept[name] = value
    return kept


def _counted(removed: Counter[str]) -> str:
    return ", ".join(f"{name} ({count})" for name, count in sorted(removed.items()))


@dataclass(frozen=True)
class SanitizedSvg:
    """The safe bytes, and what was taken out (names and counts only, never content)."""

    data: bytes
    removed_elements: dict[str, int]
    removed_attributes: dict[str, int]
    drawing: int  # drawing elements kept
    lost_drawing: int  # drawing elements that were inside removed elements

    def warnings(self) -> list[str]:
        """What an admin should hear about: a logo that lost its drawing, or any removal."""
        notes: list[str] = []
        if self.lost_drawing and self.lost_drawing >= self.drawing:
            notes.append(
                f"{self.lost_drawing} of its {self.lost_drawing + self.drawing} shapes sat "
                "inside removed elements, so the image may show as empty or as a plain "
                "shape: move the drawing out of <a>, <switch> and similar elements"
            )
        removed = []
        if self.removed_elements:
            removed.append(f"elements: {_counted(Counter(self.removed_elements))}")
        if self.removed_attributes:
            removed.append(f"attributes: {_counted(Counter(self.removed_attributes))}")
        if removed:
            notes.append("sanitising removed " + "; ".join(removed))
        return notes


class _Writer:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.drawing = 0
        self.lost_drawing = 0
        self.removed_elements: Counter[str] = Counter()
        self.removed_attributes: Counter[str] = Counter()

    def remove(self, element: Element, name: str) -> None:
        self.removed_elements[name] += 1
        self.lost_drawing += sum(
            1
            for inner in element.iter()
            if isinstance(inner.tag, str) and _local(inner.tag) in _DRAWING
        )

    def element(self, element: Element, name: str, depth: int = 0) -> None:
        if depth > _MAX_DEPTH:
            raise SvgError(f"elements are nested more than {_MAX_DEPTH} deep")
        attributes = _clean_attributes(element, self.removed_attributes)
        if name == "use" and "href" not in attributes:
            # An external <use> with its reference removed draws nothing.
            self.remove(element, "use")
            return
        text = element.text or ""
        if name == "style" and not _safe_css(text):
            self.remove(element, "style")
            return
        if name in _DRAWING:
            self.drawing += 1
        if depth == 0:
            attributes = {"xmlns": SVG_NS, **attributes}
        attrs = "".join(f" {key}={quoteattr(value)}" for key, value in attributes.items())
        self.parts.append(f"<{name}{attrs}>")
        if name in _TEXT_ELEMENTS or text.strip() == "":
            self.parts.append(escape(text))
        for child in element:
            child_name = _local(child.tag) if isinstance(child.tag, str) else None
            if child_name in _ELEMENTS:
                self.element(child, child_name, depth + 1)
            elif isinstance(child.tag, str):
                self.remove(child, _reported(child.tag))
            # The tail belongs to the parent's content, so it stays even if the child went.
            tail = child.tail or ""
            if name in _TEXT_ELEMENTS or tail.strip() == "":
                self.parts.append(escape(tail))
        self.parts.append(f"</{name}>")


def sanitize_svg(data: bytes) -> bytes:
    """Safe SVG bytes (UTF-8, no XML declaration) rebuilt from ``data``; SvgError if impossible."""
    return sanitize_svg_report(data).data


def sanitize_svg_report(data: bytes) -> SanitizedSvg:
    """:func:`sanitize_svg`, and what it removed."""
    try:
        # A bare <!DOCTYPE svg PUBLIC …> is in most editors' exports and harmless (it is never
        # fetched and is dropped from the output); entity declarations are what XXE and
        # "billion laughs" need, and those are refused.
        root = defusedxml.ElementTree.fromstring(
            data, forbid_dtd=False, forbid_entities=True, forbid_external=True
        )
    except defusedxml.DefusedXmlException as exc:
        raise SvgError("the SVG declares entities (<!ENTITY …>), which are not allowed") from exc
    except Exception as exc:  # ParseError and friends: the detail is enough for the admin
        raise SvgError(f"the file is not well-formed XML ({exc})") from exc
    if _local(root.tag) != "svg":
        raise SvgError("the file's root element is not <svg>")
    writer = _Writer()
    writer.element(root, "svg")
    if not writer.drawing:
        raise SvgError("nothing drawable is left after removing unsafe content")
    return SanitizedSvg(
        data="".join(writer.parts).encode("utf-8"),
        removed_elements=dict(writer.removed_elements),
        removed_attributes=dict(writer.removed_attributes),
        drawing=writer.drawing,
        lost_drawing=writer.lost_drawing,
    )
