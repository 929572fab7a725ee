"""The house's shape (docs/architecture.md), as the suite checks it:

- import-linter's contracts (pyproject ``[tool.importlinter]``): core imports
  no app; inside every app nothing imports upward (``admin`` → ``desk | public
  | api | …`` → ``exports | reports`` → ``services`` → ``selectors`` →
  ``rules : workflow`` → ``models``), not even inside a function; apps reach
  each other only through ``<app>.selectors`` and ``<app>.services``;
- ruff's error rules (unused imports, undefined names) over apps, tests and
  benchmarks.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from zhonglou_hrss.siteconf import REPO_DIR

BIN = Path(sys.executable).parent


def run(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO_DIR / "apps")}
    return subprocess.run(args, cwd=REPO_DIR, env=env, capture_output=True, text=True, timeout=300)


def test_import_contracts_are_kept():
    result = run(str(BIN / "lint-imports"), "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_ruff_finds_no_errors():
    result = run(str(BIN / "ruff"), "check", "--no-cache", "apps", "tests", "benchmarks", "scripts")
    assert result.returncode == 0, result.stdout + result.stderr
