"""One SVG snapshot per area on demo data, with the clock frozen at 2026-11-26 10:00 (UTC+8)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tuan.tui.app import TuanApp
from tuan.tui.areas import AREAS


async def _settle(pilot) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


@pytest.mark.parametrize("area", AREAS, ids=[a.mode for a in AREAS])
def test_area_snapshot(area, demo_path: Path, snap_compare) -> None:
    async def visit(pilot) -> None:
        await _settle(pilot)
        await pilot.press(area.key)
        await _settle(pilot)

    app = TuanApp(str(demo_path), db_label="demo.db")
    assert snap_compare(app, terminal_size=(140, 40), run_before=visit)
