"""Write docs/api.md's endpoint tables from the OpenAPI document (jupyterlab_atrium/openapi.json).

Each table sits between ``<!-- openapi:TAGS -->`` and ``<!-- /openapi -->`` (TAGS: the
document's tags, comma separated) and is formatted as prettier formats Markdown tables, so
``jlpm prettier:check`` accepts it unchanged.

    python scripts/api_docs.py          # rewrite docs/api.md
    python scripts/api_docs.py --check  # exit 1 if docs/api.md is stale (tests/test_openapi.py)
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DOCUMENT = ROOT / "jupyterlab_atrium" / "openapi.json"
API_MD = ROOT / "docs" / "api.md"
PREFIX = "/atrium/api/"
METHODS = ("get", "post", "put", "patch", "delete")
SECTION = re.compile(r"(<!-- openapi:([\w,-]+) -->\n)(.*?)(<!-- /openapi -->)", re.S)


def _resolve(doc: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = doc
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _body(doc: dict[str, Any], operation: dict[str, Any]) -> str:
    body = operation.get("requestBody")
    if body is None:
        return ""
    content = _resolve(doc, body)["content"]
    if "application/json" not in content:
        return " (bytes)"
    schema = _resolve(doc, content["application/json"]["schema"])
    required = set(schema.get("required", []))
    fields = [name if name in required else f"{name}?" for name in schema.get("properties", {})]
    return " `{" + ", ".join(fields) + "}`" if fields else ""


def _request(doc: dict[str, Any], path: str, method: str, operation: dict[str, Any]) -> str:
    params = [_resolve(doc, p) for p in operation.get("parameters", [])]
    query = "&".join(f"{p['name']}=" for p in params if p["in"] == "query")
    text = f"`{method.upper()} {path.removeprefix(PREFIX)}{'?' + query if query else ''}`"
    headers = [p for p in params if p["in"] == "header" and p.get("required")]
    text += "".join(f" `{p['name']}`" for p in headers)
    return text + _body(doc, operation)


def _success(doc: dict[str, Any], operation: dict[str, Any]) -> str:
    parts = []
    for status, response in operation["responses"].items():
        if status[0] not in "23":
            continue
        response = _resolve(doc, response)
        headers = "".join(f", `{name}`" for name in response.get("headers", {}))
        parts.append(f"`{status}` {response['description']}{headers}")
    return "; ".join(parts)


def rows(doc: dict[str, Any], tags: set[str]) -> list[list[str]]:
    out = [["Request", "What", "Success", "Who"]]
    for path, item in doc["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None or not tags & set(operation.get("tags", [])):
                continue
            out.append(
                [
                    _request(doc, path, method, operation),
                    operation["summary"],
                    _success(doc, operation),
                    operation.get("x-atrium-who", ""),
                ]
            )
    return out


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def table(doc: dict[str, Any], tags: set[str]) -> str:
    """A Markdown table laid out as prettier lays it out."""
    cells = [[cell.replace("|", "\\|") for cell in row] for row in rows(doc, tags)]
    widths = [max(3, *(_width(row[i]) for row in cells)) for i in range(len(cells[0]))]

    def line(row: list[str]) -> str:
        padded = (c + " " * (w - _width(c)) for c, w in zip(row, widths, strict=True))
        return "| " + " | ".join(padded) + " |"

    divider = "| " + " | ".join("-" * w for w in widths) + " |"
    return "\n".join([line(cells[0]), divider, *(line(row) for row in cells[1:])]) + "\n"


def render(text: str, doc: dict[str, Any]) -> str:
    """``text`` (docs/api.md) with every marked section regenerated."""

    def section(match: re.Match[str]) -> str:
        tags = set(match.group(2).split(","))
        return f"{match.group(1)}\n{table(doc, tags)}\n{match.group(4)}"

    return SECTION.sub(section, text)


def main(argv: list[str]) -> int:
    doc = json.loads(DOCUMENT.read_text(encoding="utf-8"))
    text = API_MD.read_text(encoding="utf-8")
    fresh = render(text, doc)
    if "--check" in argv:
        if fresh != text:
            sys.stderr.write(f"{API_MD} is stale: run python scripts/api_docs.py\n")
            return 1
        return 0
    API_MD.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
