"""Types are part of the test run: mypy, as configured in pyproject.toml, finds nothing.

One test, in one process: mypy reads `tuan`, `tests` and `benchmarks` (`files` in
`[tool.mypy]`) and keeps its cache in `.mypy_cache`, so a run after a small change takes
seconds (under a minute cold).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.xdist_group("mypy")  # one mypy at a time over the shared cache
@pytest.mark.skipif(
    bool(os.environ.get("TUAN_TEST_DATABASE_URL")),
    reason="types do not depend on the database: checked in the SQLite run",
)
def test_mypy_finds_no_errors() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-pretty", "--no-error-summary"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert result.returncode == 0 and not errors, result.stdout + result.stderr
