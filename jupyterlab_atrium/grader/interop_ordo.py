"""Ordo's cell metadata: ``ordo_solution`` (the expected first output, a MIME bundle) with
optional ``ordo_success`` / ``ordo_failure`` messages, becomes an Atrium expected-output
exercise. Ordo shows the expected answer to anyone who opens the notebook; Atrium keeps it in
the instructor copy only, so the keys are removed from the imported cell.

Importing is done by interop_nbgrader's cell walk (Ordo notebooks often carry nbgrader
metadata too); format ``ordo`` only names the tool in messages.
"""

from __future__ import annotations

from typing import Any

from .data import json_type

ORDO_KEYS = ("ordo_solution", "ordo_success", "ordo_failure", "ordo_verify")


def is_ordo(cell: dict[str, Any]) -> bool:
    return "ordo_solution" in cell["metadata"]


def ordo_problem(cell: dict[str, Any]) -> str | None:
    """Why an Ordo cell cannot become an expected-output exercise; None when it can."""
    metadata = cell["metadata"]
    if cell["cell_type"] != "code":
        return "ordo_solution is on a cell that is not a code cell"
    solution = metadata["ordo_solution"]
    if not isinstance(solution, dict) or not solution:
        return f"ordo_solution must be a MIME bundle (an object), not {json_type(solution)}"
    if "python" in solution:
        return (
            "ordo_solution.python (an answer computed by code in the browser) has no Atrium "
            "equivalent: capture the expected output instead"
        )
    for mime, value in solution.items():
        if not isinstance(value, str) and not (
            isinstance(value, list) and all(isinstance(part, str) for part in value)
        ):
            return f'ordo_solution["{mime}"] must be text, not {json_type(value)}'
    for key in ("ordo_success", "ordo_failure"):
        if key in metadata and not isinstance(metadata[key], str):
            return f"{key} must be a string, not {json_type(metadata[key])}"
    if "ordo_verify" in metadata:
        return "ordo_verify (a JavaScript check) has no Atrium equivalent"
    return None


def take_ordo(cell: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Remove Ordo's keys from the cell: (the expected output, messages that were dropped)."""
    metadata = cell["metadata"]
    expected = metadata["ordo_solution"]
    dropped = [key for key in ("ordo_success", "ordo_failure") if key in metadata]
    for key in ORDO_KEYS:
        metadata.pop(key, None)
    return expected, dropped
