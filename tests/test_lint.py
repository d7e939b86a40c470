"""The code keeps to the lint rules in pyproject.toml (ruff: pyflakes, pycodestyle, isort, bugbear,
pyupgrade, simplify), so a careless import or a swallowed error fails the test run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_finds_nothing() -> None:
    found = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise",
         "skillsdesk", "tests", "packaging"],
        cwd=ROOT, capture_output=True, text=True, check=False)
    assert found.returncode == 0, found.stdout + found.stderr
