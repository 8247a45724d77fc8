"""The real nbgrader (from PyPI) accepts Atrium's export.

nbgrader lives in a venv of its own (``make .venv/nbgrader/.installed``, the version range of
pyproject.toml's extra ``nbgrader-check``): installed in .venv, its JupyterLab and server
extensions would load into every server the UI tests and benches start. The test installs
nothing; it runs nbgrader's own commands in a temporary course directory, each with a deadline:

- ``generate_assignment`` on Atrium's nbgrader export of the Atrium assignment fixture, and
  the release nbgrader makes has the same nbgrader metadata, checksums included, as Atrium's
  ``nbgrader-release`` export;
- ``validate`` passes Atrium's release once the answers are filled in with the solutions;
- ``autograde`` gives that submission every automatically graded point.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from jupyterlab_atrium.grader.formats import export_notebook

ROOT = Path(__file__).resolve().parents[1]
NBGRADER_BIN = Path(os.environ.get("ATRIUM_NBGRADER_VENV", ROOT / ".venv" / "nbgrader")) / "bin"
ASSIGNMENT = Path(__file__).parent / "fixtures" / "grader" / "assignment.in.ipynb"
DEADLINE = 300  # seconds per nbgrader command; each starts a kernel or two

pytestmark = pytest.mark.skipif(
    not (NBGRADER_BIN / "nbgrader").exists(),
    reason=(
        f"the real nbgrader is not installed at {NBGRADER_BIN.parent}: run "
        "`make .venv/nbgrader/.installed` (a venv of its own, see the Makefile)"
    ),
)

SCORES = """
import json, sys
from nbgrader.api import Gradebook
with Gradebook(sys.argv[1]) as gb:
    nb = gb.find_submission_notebook("ps1", "ps1", "alice")
    print(json.dumps({g.name: [g.score, g.max_score, g.needs_manual_grade] for g in nb.grades}))
"""


def run(course: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(course / ".jupyter")}
    env["PATH"] = f"{NBGRADER_BIN}{os.pathsep}{env.get('PATH', '')}"
    env.pop("JUPYTER_PATH", None)
    result = subprocess.run(
        args, cwd=course, env=env, capture_output=True, text=True, timeout=DEADLINE, check=False
    )
    assert result.returncode == 0, f"{args}:\n{result.stdout}\n{result.stderr}"
    return result


def write(path: Path, notebook: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(notebook, indent=1), encoding="utf-8")


def nbgrader_cells(notebook: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        cell["metadata"]["nbgrader"]["grade_id"]: cell["metadata"]["nbgrader"]
        for cell in notebook["cells"]
        if "grade_id" in cell["metadata"].get("nbgrader", {})
    }


@pytest.fixture
def assignment() -> dict[str, Any]:
    notebook = json.loads(ASSIGNMENT.read_text(encoding="utf-8"))
    # The kernel nbgrader's venv has (the fixture names a generic "python").
    notebook["metadata"]["kernelspec"] = {
        "display_name": "Python 3",
        "language": "python",
        "name": "python3",
    }
    return notebook


def test_nbgrader_generates_validates_and_autogrades_atriums_export(tmp_path, assignment):
    course = tmp_path / "course"
    course.mkdir()
    (course / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.CourseDirectory.root = {str(course)!r}\n"
        "c.CourseDirectory.course_id = 'atrium'\n",
        encoding="utf-8",
    )
    write(course / "source" / "ps1" / "ps1.ipynb", export_notebook("nbgrader", assignment).notebook)
    run(course, "nbgrader", "generate_assignment", "ps1", "--force")

    # nbgrader's release and Atrium's agree on every graded cell, checksums included.
    theirs = json.loads((course / "release" / "ps1" / "ps1.ipynb").read_text(encoding="utf-8"))
    ours = export_notebook("nbgrader-release", assignment).notebook
    assert nbgrader_cells(ours) == nbgrader_cells(theirs)
    assert len(nbgrader_cells(ours)) == 7

    def sources(notebook: dict[str, Any]) -> list[str]:
        return ["".join(c["source"]) for c in notebook["cells"] if "nbgrader" in c["metadata"]]

    assert sources(ours) == sources(theirs)

    # The student's work: Atrium's release with every answer filled in with the solution.
    solutions = {cell["id"]: cell["source"] for cell in assignment["cells"]}
    filled = json.loads(json.dumps(ours))
    for cell in filled["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("solution"):
            cell["source"] = solutions[cell["id"]]
    submission = course / "submitted" / "alice" / "ps1" / "ps1.ipynb"
    write(submission, filled)

    validated = run(course, "nbgrader", "validate", str(submission))
    assert "Success! Your notebook passes all the tests." in validated.stdout, validated.stdout

    run(course, "nbgrader", "autograde", "ps1", "--create", "--force")
    scores = json.loads(
        run(
            course,
            str(NBGRADER_BIN / "python"),
            "-c",
            SCORES,
            f"sqlite:///{course / 'gradebook.db'}",
        ).stdout
    )
    automatic = {name: s for name, s in scores.items() if not s[2]}
    # q1-tests-2: the hidden tests cell (its grade id made from its exercise).
    assert automatic == {"q1-tests": [2.0, 2.0, False], "q1-tests-2": [1.0, 1.0, False]}
    manual = {name for name, s in scores.items() if s[2]}
    assert manual == {"q2", "q3"}


def test_an_unanswered_release_fails_nbgraders_validation(tmp_path, assignment):
    """The control: validate is not a rubber stamp on Atrium's release."""
    release = tmp_path / "ps1.ipynb"
    write(release, export_notebook("nbgrader-release", assignment).notebook)
    validated = run(tmp_path, "nbgrader", "validate", str(release))
    assert "Success!" not in validated.stdout
    assert "NotImplementedError" in validated.stdout, validated.stdout
    shutil.rmtree(tmp_path / ".jupyter", ignore_errors=True)
