"""Pickup opened the moment the app starts: one reading, and no ORM import on the main thread."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable

from tests.helpers import settle
from tests.members.test_opened_at_once import main_thread_imports, orm_imports
from tuan.tui.app import TuanApp
from tuan.tui.pickup.screen import PickupScreen


async def test_pickup_opened_at_once_reads_once_without_the_orm_on_the_main_thread(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    readings: list[int] = []
    fetch = PickupScreen.fetch

    def counted(self: PickupScreen) -> object:
        readings.append(1)
        return fetch(self)

    monkeypatch.setattr(PickupScreen, "fetch", counted)
    before_data: list[str] = []
    show = PickupScreen.show

    def first_data(self: PickupScreen, data: object) -> None:
        if not before_data:
            before_data.extend(asked or ["(nothing)"])
        show(self, data)  # type: ignore[arg-type]

    monkeypatch.setattr(PickupScreen, "show", first_data)
    app = TuanApp(str(demo_path))
    async with app.run_test(size=(140, 40)) as pilot:
        with main_thread_imports() as asked:
            await pilot.press("4")
            await settle(app, pilot, rounds=4)
        screen = app.screen
        assert isinstance(screen, PickupScreen)
        assert orm_imports(before_data) == set()
        assert readings == [1], "one reading for one opening"
        assert screen.query_one("#pickup-chains", DataTable).row_count > 0
        assert screen.query_one("#checklist", DataTable).row_count > 0
