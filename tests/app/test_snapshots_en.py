"""The English interface on demo data: one SVG snapshot per area (the Chinese ones stay too).

The language is switched before the app is made; key descriptions and area names are
translated when shown, so screens imported earlier in Chinese still show English here.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import settle
from tuan.i18n import set_language
from tuan.tui.app import TuanApp
from tuan.tui.areas import AREAS


@pytest.fixture
def english() -> Iterator[None]:
    set_language("en")
    try:
        yield
    finally:
        set_language("zh")


@pytest.mark.parametrize("area", AREAS, ids=[a.mode for a in AREAS])
def test_area_snapshot_in_english(area, demo_path: Path, english: None, snap_compare) -> None:
    async def visit(pilot) -> None:
        await settle(pilot.app, pilot)
        await pilot.press(area.key)
        await settle(pilot.app, pilot)

    app = TuanApp(str(demo_path), db_label="demo.db")
    assert snap_compare(app, terminal_size=(140, 40), run_before=visit)
