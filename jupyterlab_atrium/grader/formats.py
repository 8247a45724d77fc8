"""The import and export formats by name: what the CLI (``python -m jupyterlab_atrium.grader``)
and the service (``POST grading/import``, ``GET grading/assignments/{id}/export``) offer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import AtriumError
from .interop import Converted
from .interop_nbgrader import export_nbgrader, export_nbgrader_release, import_nbgrader
from .interop_otter import import_otter

IMPORTERS: dict[str, Callable[[Any], Converted]] = {
    "nbgrader": import_nbgrader,
    "otter": import_otter,
    "ordo": lambda notebook: import_nbgrader(notebook, "ordo"),
}
EXPORTERS: dict[str, Callable[[Any], Converted]] = {
    "nbgrader": export_nbgrader,
    "nbgrader-release": export_nbgrader_release,
}


class UnknownFormat(AtriumError):
    status = 400
    reason = "bad-format"


def _pick(table: dict[str, Callable[[Any], Converted]], fmt: Any, verb: str) -> Callable:
    if not isinstance(fmt, str) or fmt not in table:
        known = ", ".join(table)
        raise UnknownFormat(f"'format' must be one of {known}: the formats Atrium can {verb}.")
    return table[fmt]


def import_notebook(fmt: Any, notebook: Any) -> Converted:
    """An Atrium instructor notebook from one in ``fmt``, with the conversion's and lint's
    findings; raises InteropError (422) with the cell and the reason for malformed input."""
    return _pick(IMPORTERS, fmt, "import")(notebook)


def export_notebook(fmt: Any, notebook: Any) -> Converted:
    """An Atrium instructor notebook written for ``fmt``; raises InteropError (422)."""
    return _pick(EXPORTERS, fmt, "export")(notebook)
