"""``python -m jupyterlab_atrium.grader import|export --format F IN OUT``

Converts a notebook file; OUT is written under a temporary name and renamed into place, so
an interrupted run never leaves half a notebook. Findings go to stderr; a refused notebook
exits 2 with the cell and the reason, a missing or unreadable file 1.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from .formats import EXPORTERS, IMPORTERS, export_notebook, import_notebook
from .interop import InteropError


def write_atomically(target: Path, notebook: dict[str, Any]) -> None:
    """Write ``notebook`` as nbformat writes it (indent 1, keys sorted) to a temporary file
    beside ``target`` and rename it over ``target``."""
    text = json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _say(text: str) -> None:
    sys.stderr.write(text + "\n")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m jupyterlab_atrium.grader",
        description="Import other graders' notebooks into Atrium, or export Atrium's.",
    )
    verbs = parser.add_subparsers(dest="verb", required=True)
    for verb, table, what in (
        ("import", IMPORTERS, "the format of IN"),
        ("export", EXPORTERS, "the format to write"),
    ):
        sub = verbs.add_parser(verb, help=f"{verb} a notebook")
        sub.add_argument("--format", required=True, choices=list(table), help=what)
        sub.add_argument("source", type=Path, metavar="IN")
        sub.add_argument("target", type=Path, metavar="OUT")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        notebook = json.loads(args.source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        _say(f"cannot read {args.source}: {error}")
        return 1
    convert = import_notebook if args.verb == "import" else export_notebook
    try:
        converted = convert(args.format, notebook)
    except InteropError as error:
        _say(error.message)
        return 2
    for finding in converted.findings:
        _say(f"{finding.severity}: {finding.describe()} [{finding.rule}]")
    try:
        write_atomically(args.target, converted.notebook)
    except OSError as error:
        _say(f"cannot write {args.target}: {error}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
