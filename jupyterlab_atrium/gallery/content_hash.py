"""The gallery's content hash: sha256 of a notebook's canonical JSON.

Python and TypeScript (``src/gallery/hash.ts``) compute the same hash and are both held to
``tests/fixtures/hash/cases.json``. The canonical form is:

* object keys sorted by Unicode code point (not by UTF-16 code unit: an astral key such as
  an emoji sorts after U+FFFF);
* no whitespace, ``,`` and ``:`` as separators;
* strings as ECMAScript's ``JSON.stringify`` writes them: non-ASCII raw, ``"`` and ``\\``
  escaped, ``\\b \\f \\n \\r \\t`` short, other control characters and lone surrogates as
  lower-case ``\\uXXXX``;
* numbers as ECMAScript's ``Number.prototype.toString`` writes them (``1.0`` -> ``1``,
  ``1e-7``, ``1e+21``, ``-0`` -> ``0``); integers are first rounded to the nearest double,
  as ``JSON.parse`` would, so ``2**53 + 1`` -> ``9007199254740992``.

The hash covers the notebook's diff view (``diff_view.py``): what a colleague would see in a
diff, without what JupyterLab or a kernel rewrites when a copy is opened (kernelspec,
language_info, nbformat_minor, cell ids, sources as lists of lines). The browser's diff
compares the same view, so the two agree. Callers hash the *stripped* notebook.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from typing import Any

from .diff_view import notebook_view

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _string(value: str) -> str:
    text = json.dumps(value, ensure_ascii=False)
    # json.dumps leaves lone surrogates raw (they cannot be encoded as UTF-8);
    # JSON.stringify escapes them (well-formed JSON.stringify, ES2019).
    return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def format_number(value: float | int) -> str:
    """``Number.prototype.toString(value)`` for the double nearest to ``value``."""
    try:
        number = float(value)
    except OverflowError:  # an integer beyond the double range is Infinity in JavaScript
        return "null"
    if not math.isfinite(number):
        return "null"  # JSON.stringify writes NaN and Infinity as null
    if number == 0:
        return "0"
    sign = "-" if number < 0 else ""
    # repr() gives the shortest digit string that round-trips, as ECMAScript requires.
    mantissa, _, exp = repr(abs(number)).partition("e")
    whole, _, frac = mantissa.partition(".")
    if frac == "0":
        frac = ""
    digits = (whole + frac).lstrip("0")
    # value = 0.<digits> * 10**n  (ECMAScript's n, with k = len(digits))
    n = len(whole) + (int(exp) if exp else 0)
    if whole == "0":
        n = -(len(frac) - len(frac.lstrip("0"))) + (int(exp) if exp else 0)
    digits = digits.rstrip("0")
    k = len(digits)
    if k <= n <= 21:
        text = digits + "0" * (n - k)
    elif 0 < n <= 21:
        text = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        text = "0." + "0" * (-n) + digits
    else:
        e = n - 1
        exp_text = ("+" if e >= 0 else "-") + str(abs(e))
        text = (digits if k == 1 else digits[0] + "." + digits[1:]) + "e" + exp_text
    return sign + text


def _write(value: Any, out: list[str]) -> None:
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, str):
        out.append(_string(value))
    elif isinstance(value, (int, float)):
        out.append(format_number(value))
    elif isinstance(value, dict):
        out.append("{")
        first = True
        # Python compares str by code point: exactly the order the contract asks for.
        for key in sorted(value):
            if not isinstance(key, str):
                raise TypeError("JSON object keys must be strings")
            if not first:
                out.append(",")
            first = False
            out.append(_string(key))
            out.append(":")
            _write(value[key], out)
        out.append("}")
    elif isinstance(value, (list, tuple)):
        out.append("[")
        for index, item in enumerate(value):
            if index:
                out.append(",")
            _write(item, out)
        out.append("]")
    else:
        raise TypeError(f"{type(value).__name__} is not a JSON value")


def canonical_json(value: Any) -> str:
    """The canonical JSON text of ``value`` (see the module docstring)."""
    out: list[str] = []
    _write(value, out)
    return "".join(out)


def content_hash(notebook: Any) -> str:
    """sha256 hex of the UTF-8 bytes of ``canonical_json(notebook_view(notebook))``."""
    return hashlib.sha256(canonical_json(notebook_view(notebook)).encode("utf-8")).hexdigest()
