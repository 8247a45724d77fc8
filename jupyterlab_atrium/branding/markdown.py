"""The safe inline Markdown subset of notices and login messages, as tokens (never HTML).

Supported: ``**bold**``, ``*italic*``, ```code``` and ``[text](url)`` where the URL follows the
spec's URL rule (https, http on localhost, or a path on this server); a backslash escapes a
marker. Everything else, including any HTML, stays literal text. The tokens are the
``InlineToken`` type of ``src/branding/types.ts``; the frontend turns them into DOM nodes and
:func:`render_tokens_html` into escaped HTML for the login pages.
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup, escape

from .schema import is_allowed_url

Token = dict[str, Any]

_ESCAPABLE = frozenset("\\*`[]()_#")
# Nesting beyond this is shown literally: keeps the parser's work bounded and linear-ish.
_MAX_DEPTH = 3

# Bidi embeddings, overrides and isolates can make text read differently from what it is
# (a link label spoofing its target); control characters have no business in a banner.
_INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile("\r\n|[\r\u2028\u2029\x85]")


def clean_text(value: str, *, multiline: bool) -> str:
    """Drop bidi overrides and control characters; tabs become spaces."""
    value = _LINE_BREAKS.sub("\n", value).replace("\t", " ")
    value = _INVISIBLE.sub("", value)
    if not multiline:
        value = " ".join(value.split("\n"))
    return value


def _matching_brackets(text: str) -> dict[int, int]:
    """Position of each ``[`` -> its matching ``]`` (nested pairs allowed), in one pass."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            stack.append(i)
        elif c == "]" and stack:
            pairs[stack.pop()] = i
        i += 1
    return pairs


def _flanked(content: str) -> bool:
    """Emphasis needs content that neither starts nor ends with whitespace (as in CommonMark)."""
    return bool(content) and not content[0].isspace() and not content[-1].isspace()


def _parse(text: str, depth: int, links: bool) -> list[Token]:
    out: list[Token] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            out.append({"t": "text", "v": "".join(buf)})
            buf.clear()

    brackets = _matching_brackets(text) if links else {}
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n and text[i + 1] in _ESCAPABLE:
            buf.append(text[i + 1])
            i += 2
            continue
        if c == "`":
            end = text.find("`", i + 1)
            if end > i + 1:
                flush()
                out.append({"t": "code", "v": text[i + 1 : end]})
                i = end + 1
                continue
        elif c == "*" and depth < _MAX_DEPTH:
            if text.startswith("**", i):
                end = text.find("**", i + 2)
                # "**bold *italic***": the strong closes with the run's last two asterisks.
                if text.startswith("*", end + 2) and text.count("*", i + 2, end) % 2:
                    end += 1
                if end > i + 2 and _flanked(text[i + 2 : end]):
                    flush()
                    out.append({"t": "strong", "c": _parse(text[i + 2 : end], depth + 1, links)})
                    i = end + 2
                    continue
                buf.append("**")
                i += 2
                continue
            end = text.find("*", i + 1)
            if end > i + 1 and _flanked(text[i + 1 : end]) and not text.startswith("**", end):
                flush()
                out.append({"t": "em", "c": _parse(text[i + 1 : end], depth + 1, links)})
                i = end + 1
                continue
        elif c == "[" and i in brackets and depth < _MAX_DEPTH:
            close = brackets[i]
            if close > i + 1 and text.startswith("(", close + 1):
                end = text.find(")", close + 2)
                href = text[close + 2 : end] if end != -1 else ""
                if href and is_allowed_url(href):
                    flush()
                    label = _parse(text[i + 1 : close], depth + 1, links=False)
                    out.append({"t": "link", "href": href, "c": label})
                    i = end + 1
                    continue
        buf.append(c)
        i += 1
    flush()
    return out


def tokenize(text: str) -> list[Token]:
    """The InlineToken list of ``text`` (already cleaned with :func:`clean_text`)."""
    return _parse(text, 0, links=True)


def plain_text(tokens: list[Token]) -> str:
    """What the tokens read as: for screen readers and ``title`` attributes."""
    parts: list[str] = []
    for token in tokens:
        if "v" in token:
            parts.append(str(token["v"]))
        else:
            parts.append(plain_text(token.get("c", [])))
    return "".join(parts)


_TAGS = {"strong": "strong", "em": "em"}


def render_tokens_html(tokens: list[Token]) -> Markup:
    """Escaped HTML for Jinja templates; every text and attribute goes through ``escape``."""
    html: list[str] = []
    for token in tokens:
        kind = token.get("t")
        if kind == "text":
            html.append(str(escape(token["v"])))
        elif kind == "code":
            html.append(f"<code>{escape(token['v'])}</code>")
        elif kind in _TAGS:
            tag = _TAGS[kind]
            html.append(f"<{tag}>{render_tokens_html(token['c'])}</{tag}>")
        elif kind == "link":
            label = render_tokens_html(token["c"])
            href = token.get("href", "")
            # Re-checked here too: tokens might not come from tokenize().
            if isinstance(href, str) and is_allowed_url(href):
                html.append(
                    f'<a href="{escape(href)}" rel="noopener noreferrer" target="_blank">'
                    f"{label}</a>"
                )
            else:
                html.append(str(label))
        elif isinstance(token.get("v"), str):
            html.append(str(escape(token["v"])))
    return Markup("".join(html))  # noqa: S704 - built only from escaped parts above
