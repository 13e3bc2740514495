"""Driving the app from the keyboard: every area shows the demo's real data."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console
from textual.widgets import DataTable, Static

from tests.helpers import settle
from tuan.tui.app import TuanApp


def _text(app: TuanApp, selector: str) -> str:
    """What a Static shows, as plain text (whatever rich renderable it holds)."""
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(app.screen.query_one(selector, Static).content)
    return console.export_text()


def _cells(app: TuanApp, selector: str) -> list[list[str]]:
    table = app.screen.query_one(selector, DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_visits_all_six_areas_on_demo_data(demo_path: Path) -> None:
    app = TuanApp(str(demo_path))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        assert "逾期" in _text(app, "#reminders")
        assert "第72期" in _text(app, "#chains")
        assert "食用油的选择" in _text(app, "#live")
        assert "已取" in _text(app, "#pickups")

        await pilot.press("2")
        await settle(app, pilot)
        rows = _cells(app, "#chain-table")
        assert len(rows) == 72 and rows[0][2] == "进行中"
        assert "健康厨房入门套装" in _text(app, "#chain-detail")

        await pilot.press("3")
        await settle(app, pilot)
        assert next(r[3] for r in _cells(app, "#live-table")) == "食用油的选择"
        assert "秒杀：健康厨房入门套装" in _text(app, "#live-detail")

        await pilot.press("4")
        await settle(app, pilot)
        checklist = _cells(app, "#checklist")
        assert len(checklist) > 20
        buildings = [int(r[2].split("-")[0]) for r in checklist]
        assert buildings == sorted(buildings), "households sorted by building"

        await pilot.press("5")
        await settle(app, pilot)
        assert "共 300 人" in _text(app, "#member-count")

        await pilot.press("6")
        await settle(app, pilot)
        assert [r[5] for r in _cells(app, "#partner-table")] == [
            "YD01",
            "LX02",
            "TG03",
            "QY04",
            "CG05",
        ]

        await pilot.press("1")
        await settle(app, pilot)
        assert app.current_mode == "dashboard"


async def test_member_search_by_pinyin_initials_and_room(demo_path: Path) -> None:
    app = TuanApp(str(demo_path))
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("5")
        await settle(app, pilot)
        await pilot.press("slash", "3", "-", "1", "2", "0", "2")
        await settle(app, pilot)
        assert [r[1] for r in _cells(app, "#member-table")] == ["小李"]
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("slash", "w", "a", "y")
        await settle(app, pilot)
        assert "王阿姨" in [r[1] for r in _cells(app, "#member-table")]


async def test_empty_database_greets_the_leader(tmp_path: Path) -> None:
    app = TuanApp(str(tmp_path / "new.db"))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        welcome = app.screen.query_one("#welcome", Static)
        assert welcome.display
        assert "tuan demo" in str(welcome.render())


async def test_help_shows_the_areas_keys(demo_path: Path) -> None:
    app = TuanApp(str(demo_path))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "DashboardScreen"


async def test_command_palette_goes_to_an_area(demo_path: Path) -> None:
    app = TuanApp(str(demo_path))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"前往: 团员")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.current_mode == "members"


async def test_dashboard_r_opens_the_reminder_inbox(demo_path: Path) -> None:
    app = TuanApp(str(demo_path))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("r")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "ReminderInboxScreen"
        await pilot.press("escape")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "DashboardScreen"
