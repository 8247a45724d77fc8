"""scripts/tree-unchanged.sh, the guard CI wraps `make test` in (.ci/run): a test run that
writes into the repository fails the build (issue 12: the UI tests rewrote docs/images/*.png)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "tree-unchanged.sh"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q")
    (tmp_path / ".gitignore").write_text("test-results/\n")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "picture.png").write_bytes(b"as committed")
    git("add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "start")
    return tmp_path


def guard(repo: Path, command: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    return subprocess.run(
        ["bash", str(SCRIPT), "sh", "-c", command],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "command",
    [
        "printf retaken > docs/picture.png",  # a tracked file rewritten
        "rm docs/picture.png",
        "printf new > docs/new.png",  # a file git does not ignore
    ],
)
def test_a_command_that_changes_the_tree_fails(repo, command):
    result = guard(repo, command)
    assert result.returncode == 1, result.stderr
    assert "changed the work tree" in result.stderr


def test_ignored_output_and_work_in_progress_left_alone_pass(repo):
    # Someone's uncommitted edit is there before and after: not the command's doing.
    (repo / "docs" / "picture.png").write_bytes(b"edited, not committed")
    result = guard(repo, "mkdir -p test-results && printf x > test-results/shot.png")
    assert result.returncode == 0, result.stderr
    # ...but changing that edited file again is.
    assert guard(repo, "printf again > docs/picture.png").returncode == 1


def test_the_commands_own_failure_wins(repo):
    assert guard(repo, "exit 3").returncode == 3
