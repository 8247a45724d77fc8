"""Likely secrets in notebook sources, by the pattern table the browser uses too.

The publish dialog warns with ``findLikelySecrets`` (``src/gallery/secrets.ts``) before
anything is sent; this is the same scan for server-side uses such as bulk import. Both
produce the same findings for the same notebook (the fixtures hold them to it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .rules import SECRET_RULES, SecretPattern, SecretRules

#: Characters of context shown on each side of a secret.
CONTEXT = 40
_MASK = "****"


@dataclass(frozen=True)
class SecretFinding:
    """A likely secret: cell index and id, 1-based line, kind, and a masked excerpt."""

    cell: int
    cell_id: str | None
    line: int
    kind: str
    label: str
    excerpt: str

    def to_json(self) -> dict[str, Any]:
        return {
            "cell": self.cell,
            "cellId": self.cell_id,
            "line": self.line,
            "kind": self.kind,
            "label": self.label,
            "excerpt": self.excerpt,
        }


def entropy(text: str) -> float:
    """Shannon entropy in bits per character."""
    counts: dict[str, int] = {}
    for char in text:
        counts[char] = counts.get(char, 0) + 1
    bits = 0.0
    for count in counts.values():
        p = count / len(text)
        bits -= p * math.log2(p)
    return bits


def mask_secret(secret: str, reveal: int) -> str:
    """At most ``reveal`` leading characters, never more than a quarter, then a fixed mask."""
    return secret[: min(reveal, len(secret) // 4)] + _MASK


@dataclass
class _Span:
    start: int
    end: int
    pattern: SecretPattern
    secret: str


def _line_spans(line: str, rules: SecretRules) -> list[_Span]:
    spans: list[_Span] = []
    for pattern in rules.patterns:
        for match in pattern.regex.finditer(line):
            start, end = match.span(pattern.group)
            if start < 0:
                continue
            secret = line[start:end]
            if pattern.placeholders and rules.placeholder.search(secret):
                continue
            if pattern.min_entropy and entropy(secret) < pattern.min_entropy:
                continue
            if any(s.start < end and start < s.end for s in spans):
                continue
            spans.append(_Span(start, end, pattern, secret))
    return sorted(spans, key=lambda span: span.start)


def _excerpt(line: str, spans: list[_Span], focus: _Span) -> str:
    before = after = shown = ""
    position = 0
    in_focus = False
    for span in spans:
        text = line[position : span.start]
        masked = mask_secret(span.secret, span.pattern.reveal) if span.pattern.mask else span.secret
        if span is focus:
            before += text
            shown = masked
            in_focus = True
        elif in_focus:
            after += text + masked
        else:
            before += text + masked
        position = span.end
    after += line[position:]
    left = "…" + before[-CONTEXT:] if len(before) > CONTEXT else before.lstrip(" \t")
    right = after[:CONTEXT] + "…" if len(after) > CONTEXT else after
    return left + shown + right


def scan_source(source: str, rules: SecretRules = SECRET_RULES) -> list[dict[str, Any]]:
    """Likely secrets in one source text: ``line`` (1-based), ``kind``, ``label``, ``excerpt``."""
    found = []
    for index, raw in enumerate(source.split("\n")):
        line = raw[:-1] if raw.endswith("\r") else raw
        spans = _line_spans(line, rules)
        for span in spans:
            found.append(
                {
                    "line": index + 1,
                    "kind": span.pattern.kind,
                    "label": span.pattern.label,
                    "excerpt": _excerpt(line, spans, span),
                }
            )
    return found


def _source_text(source: Any) -> str:
    if isinstance(source, str):
        return source
    if isinstance(source, list):
        return "".join(part for part in source if isinstance(part, str))
    return ""


def find_likely_secrets(
    nb: dict[str, Any], rules: SecretRules = SECRET_RULES
) -> list[SecretFinding]:
    """Likely secrets (tokens, passwords, private keys) in every cell's source."""
    findings = []
    cells = nb.get("cells")
    for index, cell in enumerate(cells if isinstance(cells, list) else []):
        if not isinstance(cell, dict):
            continue
        cell_id = cell.get("id") if isinstance(cell.get("id"), str) else None
        for finding in scan_source(_source_text(cell.get("source")), rules):
            findings.append(SecretFinding(cell=index, cell_id=cell_id, **finding))
    return findings
