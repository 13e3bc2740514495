"""`tuan report` opened in a real (headless) browser: the charts are drawn, nothing is fetched."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from tuan.cli import app
from tuan.db import Database

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
# No network, no first-run work, a throwaway profile: the page must stand on its own.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.skipif(BROWSER is None, reason="needs Chromium (apt-get install chromium)")


def _browse(page: Path, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert BROWSER is not None
    return subprocess.run(
        [BROWSER, *FLAGS, f"--user-data-dir={profile}", *args, page.as_uri()],
        capture_output=True, text=True, timeout=90, check=True,
    )  # fmt: skip


def test_the_report_draws_its_charts_in_a_browser(demo_db: Database, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["--db", demo_db.target, "report", "-o", str(page)])
    assert result.exit_code == 0, result.output

    dom = _browse(page, tmp_path / "profile-dom", "--dump-dom").stdout
    assert dom.count("<svg") == 8, "eight charts made it into the rendered page"
    assert "复购率" in dom and "直播转化率" in dom
    assert dom.count("<polyline") >= 6 and dom.count("<rect") >= 5, "lines and bars are drawn"

    shot = tmp_path / "report.png"
    _browse(page, tmp_path / "profile-shot", "--window-size=1200,1600", f"--screenshot={shot}")
    with Image.open(shot) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20) or []
    assert len(colours) > 50, "the screenshot shows a drawn page, not a blank one"
