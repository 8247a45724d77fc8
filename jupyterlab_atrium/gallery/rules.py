"""The strip rules and the secret patterns, loaded from the JSON files the browser shares."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
STRIP_RULES_FILE = HERE / "strip-rules.json"
SECRET_PATTERNS_FILE = HERE / "secret-patterns.json"

#: What the strip removes, one counter each in the report (same order as src/gallery/rules.ts).
STRIP_KINDS = (
    "outputs",
    "executionCounts",
    "widgetState",
    "timingMetadata",
    "attachments",
    "viewState",
    "galleryLink",
    "policyMetadata",
    "otherFields",
)

#: The kinds a metadata rule may have; ``policyMetadata`` is for rules a policy adds.
METADATA_KINDS = frozenset(
    {"widgetState", "timingMetadata", "viewState", "galleryLink", "policyMetadata"}
)

#: Deepest nesting a kept metadata value may have: far below Python's recursion limit, far
#: above real metadata. The browser uses the same limit.
MAX_DEPTH = 100


class RulesError(ValueError):
    """The rule data is malformed (a bad edit of one of the JSON files)."""


def empty_report() -> dict[str, int]:
    return dict.fromkeys(STRIP_KINDS, 0)


@dataclass(frozen=True)
class MetadataRule:
    path: tuple[str, ...]
    kind: str
    why: str = ""


@dataclass
class RuleNode:
    """A key in the metadata rule tree: it is removed, or rules apply inside it."""

    remove: str | None = None
    children: dict[str, RuleNode] = field(default_factory=dict)


@dataclass(frozen=True)
class StripRules:
    #: The one nbformat major version the contract is written for; others are refused.
    nbformat: int
    notebook_fields: frozenset[str]
    cell_fields: dict[str, frozenset[str]]
    notebook_metadata: tuple[MetadataRule, ...]
    cell_metadata: tuple[MetadataRule, ...]
    notebook_tree: dict[str, RuleNode]
    cell_tree: dict[str, RuleNode]

    def fields_for(self, cell_type: str) -> frozenset[str]:
        """The fields a cell of this type keeps (``*``: types nbformat 4 does not define)."""
        fields = self.cell_fields.get(cell_type)
        return fields if fields is not None else self.cell_fields["*"]


def _string_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _read_rules(raw: Any, where: str) -> tuple[MetadataRule, ...]:
    if not isinstance(raw, list):
        raise RulesError(f"strip rules: {where} must be a list")
    rules = []
    for index, rule in enumerate(raw):
        if (
            not isinstance(rule, dict)
            or not _string_list(rule.get("path"))
            or not rule["path"]
            or rule.get("kind") not in METADATA_KINDS
        ):
            raise RulesError(f"strip rules: {where}[{index}] is not a valid rule")
        why = rule.get("why")
        rules.append(
            MetadataRule(tuple(rule["path"]), rule["kind"], why if isinstance(why, str) else "")
        )
    return tuple(rules)


def _build_tree(rules: tuple[MetadataRule, ...]) -> dict[str, RuleNode]:
    root: dict[str, RuleNode] = {}
    for rule in rules:
        level = root
        for i, key in enumerate(rule.path):
            node = level.get(key)
            if i == len(rule.path) - 1:
                # Removing a key wins over rules for keys inside it.
                level[key] = RuleNode(remove=node.remove if node and node.remove else rule.kind)
            elif node is None:
                node = level[key] = RuleNode()
                level = node.children
            else:
                level = node.children
    return root


def compile_rules(raw: Any) -> StripRules:
    """Validate the rule data and index it; a malformed file raises instead of keeping data."""
    if (
        not isinstance(raw, dict)
        or not _string_list(raw.get("notebookFields"))
        or not isinstance(raw.get("cellFields"), dict)
    ):
        raise RulesError("strip rules: notebookFields and cellFields are required")
    nbformat = raw.get("nbformat")
    if not isinstance(nbformat, int) or isinstance(nbformat, bool):
        raise RulesError("strip rules: nbformat must be the major version the rules are for")
    cell_fields: dict[str, frozenset[str]] = {}
    for cell_type, fields in raw["cellFields"].items():
        if not _string_list(fields):
            raise RulesError(f"strip rules: cellFields.{cell_type} must list field names")
        cell_fields[cell_type] = frozenset(fields)
    if "*" not in cell_fields:
        raise RulesError('strip rules: cellFields needs a "*" entry')
    notebook_metadata = _read_rules(raw.get("notebookMetadata"), "notebookMetadata")
    cell_metadata = _read_rules(raw.get("cellMetadata"), "cellMetadata")
    return StripRules(
        nbformat=nbformat,
        notebook_fields=frozenset(raw["notebookFields"]),
        cell_fields=cell_fields,
        notebook_metadata=notebook_metadata,
        cell_metadata=cell_metadata,
        notebook_tree=_build_tree(notebook_metadata),
        cell_tree=_build_tree(cell_metadata),
    )


@dataclass(frozen=True)
class SecretPattern:
    kind: str
    label: str
    regex: re.Pattern[str]
    group: int
    mask: bool
    reveal: int
    placeholders: bool
    min_entropy: float


@dataclass(frozen=True)
class SecretRules:
    placeholder: re.Pattern[str]
    patterns: tuple[SecretPattern, ...]


def _flags(value: Any) -> int:
    if value in (None, ""):
        return 0
    if value == "i":
        return re.IGNORECASE
    raise RulesError(f"secret patterns: unsupported flags {value!r}")


def compile_secret_rules(raw: Any) -> SecretRules:
    """Validate and compile the secret patterns (the browser compiles the same file)."""
    if (
        not isinstance(raw, dict)
        or not isinstance(raw.get("placeholder"), str)
        or not isinstance(raw.get("patterns"), list)
    ):
        raise RulesError("secret patterns: placeholder and patterns are required")
    patterns = []
    for index, entry in enumerate(raw["patterns"]):
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("kind"), str)
            or not isinstance(entry.get("label"), str)
            or not isinstance(entry.get("regex"), str)
            or not isinstance(entry.get("group"), int)
        ):
            raise RulesError(f"secret patterns: patterns[{index}] is not valid")
        reveal = entry.get("reveal")
        min_entropy = entry.get("minEntropy")
        patterns.append(
            SecretPattern(
                kind=entry["kind"],
                label=entry["label"],
                regex=re.compile(entry["regex"], _flags(entry.get("flags"))),
                group=entry["group"],
                mask=entry.get("mask") is not False,
                reveal=reveal if isinstance(reveal, int) else 0,
                placeholders=entry.get("placeholders") is True,
                min_entropy=float(min_entropy) if isinstance(min_entropy, int | float) else 0.0,
            )
        )
    return SecretRules(
        placeholder=re.compile(raw["placeholder"], _flags(raw.get("placeholderFlags"))),
        patterns=tuple(patterns),
    )


def _load(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


STRIP_RULES = compile_rules(_load(STRIP_RULES_FILE))
SECRET_RULES = compile_secret_rules(_load(SECRET_PATTERNS_FILE))
