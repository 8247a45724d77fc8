"""The diff view of a notebook: what a colleague would see in a diff.

The content hash is the hash of this view (``content_hash.py``), and the browser's diff
compares the same view, so the sync status says "Local changes" exactly when the diff shows
a change. The rules are data (``diff-view.json``), read here and by ``src/gallery/view.ts``;
both are held to ``tests/fixtures/diffview/``.

The view keeps the notebook's ``nbformat``, its metadata without the rule paths, and for each
cell its type, its source as one string, its metadata without the rule paths and its
attachments when there are any. Metadata objects that a removal leaves empty go too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .rules import RulesError

VIEW_RULES_FILE = Path(__file__).parent / "diff-view.json"

#: A path tree: ``None`` leaves the key out, a dict applies inside it.
PathTree = dict[str, "PathTree | None"]


def _tree(raw: Any, where: str) -> PathTree:
    if not isinstance(raw, list):
        raise RulesError(f"diff view: {where} must be a list")
    root: PathTree = {}
    for index, rule in enumerate(raw):
        path = rule.get("path") if isinstance(rule, dict) else None
        if not isinstance(path, list) or not path or not all(isinstance(k, str) for k in path):
            raise RulesError(f"diff view: {where}[{index}] has no valid path")
        level: PathTree | None = root
        for i, key in enumerate(path):
            assert level is not None
            if i == len(path) - 1:
                level[key] = None
                break
            if key in level and level[key] is None:
                break  # the whole key is already left out
            level = level.setdefault(key, {})
    return root


@dataclass(frozen=True)
class ViewRules:
    notebook_metadata: PathTree
    cell_metadata: PathTree


def compile_view_rules(raw: Any) -> ViewRules:
    if not isinstance(raw, dict):
        raise RulesError("diff view: the rules must be an object")
    return ViewRules(
        _tree(raw.get("notebookMetadata"), "notebookMetadata"),
        _tree(raw.get("cellMetadata"), "cellMetadata"),
    )


VIEW_RULES = compile_view_rules(json.loads(VIEW_RULES_FILE.read_text(encoding="utf-8")))


def _metadata_view(metadata: dict[str, Any], tree: PathTree) -> dict[str, Any]:
    kept: dict[str, Any] = {}
    for key, value in metadata.items():
        if key in tree:
            rule = tree[key]
            if rule is None:
                continue
            if isinstance(value, dict):
                inner = _metadata_view(value, rule)
                if inner:
                    kept[key] = inner
                continue
        kept[key] = value
    return kept


def source_text(source: Any) -> str:
    if isinstance(source, str):
        return source
    if isinstance(source, list):
        return "".join(part for part in source if isinstance(part, str))
    return ""


def cell_view(cell: dict[str, Any], rules: ViewRules = VIEW_RULES) -> dict[str, Any]:
    # An absent key stays absent (as undefined does in the browser's canonical JSON).
    view: dict[str, Any] = {k: cell[k] for k in ("cell_type",) if k in cell}
    view["source"] = source_text(cell.get("source"))
    metadata = cell.get("metadata")
    if isinstance(metadata, dict):
        kept = _metadata_view(metadata, rules.cell_metadata)
        if kept:
            view["metadata"] = kept
    attachments = cell.get("attachments")
    if isinstance(attachments, dict) and attachments:
        view["attachments"] = attachments
    return view


def notebook_view(notebook: Any, rules: ViewRules = VIEW_RULES) -> Any:
    """The diff view of a notebook; anything but a JSON object is its own view."""
    if not isinstance(notebook, dict):
        return notebook
    view: dict[str, Any] = {k: notebook[k] for k in ("nbformat",) if k in notebook}
    metadata = notebook.get("metadata")
    if isinstance(metadata, dict):
        kept = _metadata_view(metadata, rules.notebook_metadata)
        if kept:
            view["metadata"] = kept
    cells = notebook.get("cells")
    view["cells"] = [
        cell_view(cell, rules) if isinstance(cell, dict) else cell
        for cell in (cells if isinstance(cells, list) else [])
    ]
    return view
