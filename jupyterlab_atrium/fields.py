"""The one rule set for values a request carries: text, whole numbers, choices.

Every endpoint names its fields and their limits; this module decides what a valid value is
and words the 400. A value that passes is safe for every backend: no string holds NUL
(PostgreSQL text refuses it) or a lone surrogate (not encodable as UTF-8, so no database,
JSON reply or log line can hold it), and every integer fits PostgreSQL's ``integer`` (SQLite
stops at 64 bits, PostgreSQL's columns at 32), whether it came from a path, a query string or
a JSON body.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any

from .errors import AtriumError

#: The largest integer any column or parameter takes (PostgreSQL ``integer``).
INT_MAX = 2**31 - 1
INT_MIN = -(2**31)

#: NUL and the surrogate range: text that no backend can store or encode.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
#: A whole number as a query string or path writes it: ASCII digits, an optional sign, and
#: no more digits than the range needs (``int()`` would also take "١٢", "1_000" or 4000 digits).
_DECIMAL = re.compile(r"[+-]?[0-9]{1,10}")


class FieldError(AtriumError):
    """A request value breaks its field's rule; the message names the field."""

    status = 400
    reason = "bad-request"


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def unstorable(value: str) -> str | None:
    """What in ``value`` no backend can store ("NUL characters", "unpaired surrogate
    characters"), or None: for checks that word their own refusal."""
    bad = _UNSTORABLE.search(value)
    if bad is None:
        return None
    return "NUL characters" if bad.group() == "\x00" else "unpaired surrogate characters"


def storable(value: str, name: str) -> str:
    """``value`` unchanged, or 400 if it holds NUL or a lone surrogate."""
    what = unstorable(value)
    if what is not None:
        raise FieldError(f"'{name}' must not contain {what}.")
    return value


def text(
    value: Any,
    name: str,
    *,
    max_len: int | None = None,
    required: bool = False,
    nonempty: bool = False,
    strip: bool = True,
) -> str | None:
    """A text field: None when absent (400 when ``required``), else a checked string.

    Surrounding white space is trimmed (``strip``); ``nonempty`` refuses what is left empty.
    """
    if value is None:
        if required:
            raise FieldError(f"'{name}' is required.")
        return None
    if not isinstance(value, str):
        raise FieldError(f"'{name}' must be text, not {_kind(value)}.")
    storable(value, name)
    if strip:
        value = value.strip()
    if (required or nonempty) and not value:
        raise FieldError(f"'{name}' must not be empty.")
    if max_len is not None and len(value) > max_len:
        raise FieldError(f"'{name}' is longer than {max_len} characters.")
    return value


def text_list(value: Any, name: str) -> list[str]:
    """A list of strings (each checked with :func:`storable`, not yet trimmed)."""
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise FieldError(f"'{name}' must be a list of strings.")
    return [storable(item, name) for item in value]


def choice(value: Any, name: str, choices: Sequence[str]) -> str:
    if not isinstance(value, str) or value not in choices:
        raise FieldError(f"'{name}' is one of: {', '.join(choices)}.")
    return value


def _range_error(name: str, minimum: int, maximum: int) -> FieldError:
    return FieldError(f"'{name}' must be a whole number from {minimum} to {maximum}.")


def integer(value: Any, name: str, *, minimum: int = 1, maximum: int = INT_MAX) -> int:
    """A whole number from a JSON body (true, 1.0 and "1" are not numbers here)."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise FieldError(f"'{name}' must be a whole number, not {_kind(value)}.")
    if not minimum <= value <= maximum:
        raise _range_error(name, minimum, maximum)
    return value


def decimal(
    raw: str | None,
    name: str,
    *,
    default: int | None = None,
    minimum: int = INT_MIN,
    maximum: int = INT_MAX,
) -> int | None:
    """A whole number written in a query string, path or header; ``default`` if absent/empty."""
    if raw is None or raw == "":
        return default
    if not _DECIMAL.fullmatch(raw):
        raise _range_error(name, minimum, maximum)
    value = int(raw)
    if not minimum <= value <= maximum:
        raise _range_error(name, minimum, maximum)
    return value


def timestamp(value: Any, name: str, *, required: bool = False) -> datetime | None:
    """An ISO 8601 date and time with a time zone (``2027-01-31T23:59:00Z``), in UTC; None
    when absent or null (400 when ``required``). Every instant it returns is one Python and
    the databases can hold: an offset that would move it before year 1 is refused."""
    raw = text(value, name, max_len=64, required=required)
    if raw is None:
        return None
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise FieldError(
            f"'{name}' must be an ISO 8601 date and time with a time zone, such as "
            "2027-01-31T23:59:00Z."
        )
    try:
        return moment.astimezone(timezone.utc)
    except OverflowError:  # 0001-01-01T00:00+05:00: before the first UTC instant
        raise FieldError(f"'{name}' is out of range.") from None
