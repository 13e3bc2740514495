"""Pickup opened the moment the app starts: one reading, and no ORM import on the main thread."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable

from tests.helpers import count_fetch, settle
from tests.members.test_opened_at_once import main_thread_imports, orm_imports
from tuan.tui.app import TuanApp
from tuan.tui.pickup.screen import PickupScreen


async def test_pickup_opened_at_once_reads_once_without_the_orm_on_the_main_thread(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    readings = count_fetch(monkeypatch, PickupScreen)
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


async def test_what_is_built_after_the_first_frame_works_as_before(demo_path: Path) -> None:
    """The sorting list and the progress bar are built after the area's first frame: the bar
    then shows the chain's progress, and `s` pressed before the list is built builds it."""
    import io

    from rich.console import Console
    from textual.widgets import ContentSwitcher, ProgressBar, Static

    from tuan.domain.pickup.checklist import progress
    from tuan.tui.pickup.sorting import SortingView

    app = TuanApp(str(demo_path))
    app.PREBUILD_AFTER = None
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("4")
        await settle(app, pilot, rounds=4)
        screen = app.screen
        assert isinstance(screen, PickupScreen)
        assert not screen.query("#pickup-progress-soon"), "the bar replaced its placeholder"
        bar = screen.query_one("#pickup-progress", ProgressBar)
        shown = progress(screen.rows)
        assert shown.orders > 0 and (bar.progress, bar.total) == (shown.collected, shown.orders)
        # `s` while the sorting list is not built yet (a chain shown within the first frame)
        await screen.query_one(SortingView).remove()
        await pilot.press("s")
        await settle(app, pilot)
        assert len(screen.query(SortingView)) == 1
        assert screen.query_one(ContentSwitcher).current == "sorting"
        assert screen.query_one(SortingView).display
        console = Console(width=120, record=True, file=io.StringIO())
        console.print(screen.query_one("#sorting-body", Static).content)
        body = console.export_text()
        assert "分拣单" in body and "感谢卡" in body
        await pilot.press("s")
        await settle(app, pilot)
        assert screen.query_one(ContentSwitcher).current == "checklist"
        assert not screen.query_one(SortingView).display
