"""The published brand-spec schema, and the rules the code shares with it."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

SCHEMA_PATH = Path(__file__).with_name("brand-spec.schema.json")


@functools.cache
def brand_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@functools.cache
def url_rule() -> re.Pattern[str]:
    """The schema's URL rule, so Markdown links follow exactly what the spec's URLs follow."""
    return re.compile(brand_schema()["$defs"]["url"]["pattern"])


def is_allowed_url(url: str) -> bool:
    """The schema's rule, plus: "//host" and backslashes (browsers read "/\\host" as
    "//host") would leave this server although the rule's "/path" branch matches them."""
    return (
        len(url) <= brand_schema()["$defs"]["url"]["maxLength"]
        and bool(url_rule().fullmatch(url))
        and not url.startswith("//")
        and "\\" not in url
    )
