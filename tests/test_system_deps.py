"""`make test` on a fresh machine: the Debian packages it needs are checked before any build."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "system-deps.sh"


def test_missing_packages_stop_with_the_one_install_command(tmp_path):
    # A PATH with nothing but bash on it: every command-checked package is missing.
    bindir = tmp_path / "bin"
    bindir.mkdir()
    (bindir / "bash").symlink_to(shutil.which("bash"))
    result = subprocess.run(
        [str(bindir / "bash"), str(SCRIPT), "--check"],
        env={"PATH": str(bindir), "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    install = [line for line in result.stderr.splitlines() if "apt-get install" in line]
    assert len(install) == 1
    for package in ("chromium", "samba", "smbclient", "rclone", "fuse3"):
        assert f" {package}" in install[0]


def test_present_packages_pass_quietly():
    # The suite itself runs on a machine that has them (make test got here through the check).
    result = subprocess.run(
        ["bash", str(SCRIPT), "--check"], capture_output=True, text=True, timeout=30
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_make_test_checks_before_it_builds():
    result = subprocess.run(
        ["make", "-n", "test"],
        cwd=ROOT,
        # As if typed at a shell: under make test-py, MAKELEVEL would add "Entering directory".
        env={k: v for k, v in os.environ.items() if k not in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS")},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    commands = [line for line in result.stdout.splitlines() if line.strip()]
    assert "scripts/system-deps.sh" in commands[0]


def test_ci_installs_through_make_test_only():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci
    assert "chromium" not in ci  # the package list lives in one place
