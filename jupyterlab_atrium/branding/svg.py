"""SVG sanitiser: only drawing survives; no scripts, event handlers or external references.

The logo is shown on login pages and inside JupyterLab and may be copied to JupyterHub's
static files, where Atrium's Content-Security-Policy does not protect it, so the sanitised
bytes must be safe on their own. The input is parsed with defusedxml (no DTD, no entities),
then rebuilt from an allow-list of SVG elements and attributes. References may only point into
the same document (``#id``, ``url(#id)``).
"""

from __future__ import annotations

import re
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


def _clean_attributes(element: Element) -> dict[str, str]:
    kept: dict[str, str] = {}
    for raw_name, value in element.attrib.items():
        if raw_name == f"{{{XLINK_NS}}}href":
            name = "href"
        elif raw_name == f"{{{XML_NS}}}space":
            name = "xml:space"
        elif raw_name == f"{{{XML_NS}}}lang":
            name = "lang"
        elif raw_name.startswith("{") or raw_name not in _ATTRIBUTES:
            continue  # on* handlers, foreign namespaces, anything unknown
        else:
            name = raw_name
        if name == "href":
            if not _LOCAL_HREF.fullmatch(value.strip()):
                continue
            value = value.strip()
        elif name not in _NOT_CSS and not _safe_css(value):
            # Presentation attributes are CSS values too: fill="url(http://…)" loads.
            continue
        kept[name] = value
    return kept


class _Writer:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.drawing = 0

    def element(self, element: Element, name: str, depth: int = 0) -> None:
        if depth > _MAX_DEPTH:
            raise SvgError(f"elements are nested more than {_MAX_DEPTH} deep")
        attributes = _clean_attributes(element)
        if name == "use" and "href" not in attributes:
            return  # an external <use> with its reference removed draws nothing
        text = element.text or ""
        if name == "style" and not _safe_css(text):
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
            # The tail belongs to the parent's content, so it stays even if the child went.
            tail = child.tail or ""
            if name in _TEXT_ELEMENTS or tail.strip() == "":
                self.parts.append(escape(tail))
        self.parts.append(f"</{name}>")


def sanitize_svg(data: bytes) -> bytes:
    """Safe SVG bytes (UTF-8, no XML declaration) rebuilt from ``data``; SvgError if impossible."""
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
    return "".join(writer.parts).encode("utf-8")
