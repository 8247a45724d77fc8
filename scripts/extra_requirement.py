"""Print the requirements of one of pyproject.toml's extras, one a line, so the Makefile
installs what pyproject.toml names (the separate nbgrader venv). Reads a one-line extra
(``name = ["req", ...]``): tomllib is not in Python 3.10, which Atrium still supports."""

import json
import re
import sys
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"

name = re.escape(sys.argv[1])
match = re.search(rf"^{name} = (\[.*\])$", PYPROJECT.read_text(encoding="utf-8"), re.MULTILINE)
if match is None:
    sys.exit(f"pyproject.toml has no one-line extra {sys.argv[1]!r}")
sys.stdout.write("\n".join(json.loads(match.group(1))) + "\n")
