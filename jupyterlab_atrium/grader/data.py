"""The grader's rule data (grader-rules.json), shared with the browser (src/grader/rules/)."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
RULES_FILE = HERE / "grader-rules.json"
SCHEMA_FILE = HERE / "grader-metadata.schema.json"

RULES: dict[str, Any] = json.loads(RULES_FILE.read_text(encoding="utf-8"))

METADATA_VERSION: int = RULES["metadataVersion"]
ROLES: tuple[str, ...] = tuple(RULES["roles"])
ANSWER_ROLES = frozenset(RULES["answerRoles"])
LOCKED_ROLES = frozenset(RULES["lockedRoles"])
LIMITS: dict[str, int] = RULES["limits"]
BINARY_MIME_TYPES = frozenset(RULES["binaryMimeTypes"])
CODE_STUBS: dict[str, list[str]] = RULES["codeStubs"]
TEXT_STUB: list[str] = RULES["textStub"]
FALLBACK_STUB: str = RULES["fallbackStub"]
DEFAULT_LANGUAGE: str = RULES["defaultLanguage"]

MARKER = re.compile(RULES["marker"])
LOOKALIKE = re.compile(RULES["lookalike"], re.IGNORECASE)
EXERCISE_ID = re.compile(RULES["exerciseId"])


def strip_whitespace(text: str) -> str:
    """Whitespace as the browser's twin strips it (str.strip() alone knows more characters)."""
    return text.strip(" \t\r\f\v\n")


def utf16_len(text: str) -> int:
    """Length as the browser counts it (UTF-16 code units), so limits agree on both sides."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def json_type(value: Any) -> str:
    """The JSON type name of a parsed value, as the browser's twin names it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def is_number(value: Any) -> bool:
    """A finite JSON number, as the browser sees it: NaN and infinities are not JSON (though
    Python's parser reads them), and an integer too large for a double is Infinity there."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        try:
            value = float(value)
        except OverflowError:
            return False
    return isinstance(value, float) and math.isfinite(value)


def is_integer(value: Any) -> bool:
    return is_number(value) and (isinstance(value, int) or value.is_integer())
