"""One SVG snapshot per area on demo data, with the clock frozen at 2026-11-26 10:00 (UTC+8)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import settle
from tuan.tui.app import TuanApp
from tuan.tui.areas import AREAS


@pytest.mark.parametrize("area", AREAS, ids=[a.mode for a in AREAS])
def test_area_snapshot(area, demo_path: Path, snap_compare) -> None:
    async def visit(pilot) -> None:
        await settle(pilot.app, pilot)
        await pilot.press(area.key)
        await settle(pilot.app, pilot)

    app = TuanApp(str(demo_path), db_label="demo.db")
    assert snap_compare(app, terminal_size=(140, 40), run_before=visit)
