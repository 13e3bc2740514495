"""Lint and formatting are part of the test run, so CI holds the code to them."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("args", [["check", "."], ["format", "--check", "."]])
def test_ruff_is_clean(args: list[str]) -> None:
    ruff = shutil.which("ruff")
    assert ruff, "ruff is a dev dependency"
    result = subprocess.run([ruff, *args], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_domain_never_imports_textual() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "tuan" / "domain").rglob("*.py")
        if "import textual" in path.read_text(encoding="utf-8")
        or "from textual" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_app_module_does_not_load_the_orm_before_the_first_frame() -> None:
    import sys

    code = "import sys, tuan.tui.app\nassert 'sqlmodel' not in sys.modules\n"
    subprocess.run([sys.executable, "-c", code], check=True)
