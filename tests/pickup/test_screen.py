"""The pickup screen from the keyboard: search, marks, partial and household collection, undo."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console
from sqlmodel import col, select
from textual.widgets import DataTable, Input, RadioButton, Static

from tests.helpers import settle
from tests.pickup.test_checklist import pickup_path  # noqa: F401 (fixture)
from tuan.db import open_database
from tuan.models import Order, OrderLine
from tuan.tui.app import TuanApp
from tuan.tui.shared.key_bar import KeyBar


def _seqs(app: TuanApp) -> list[str]:
    table = app.screen.query_one("#checklist", DataTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


def _state(app: TuanApp, seq: int) -> str:
    table = app.screen.query_one("#checklist", DataTable)
    rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
    return next(row[6] for row in rows if row[0] == str(seq))


def _collected(path: Path) -> dict[int, tuple[int, int]]:
    """seq → (collected, ordered) pieces, read from the file."""
    database = open_database(path)
    with database.session() as s:
        rows = s.exec(
            select(Order.seq, OrderLine.collected_qty, OrderLine.qty).join(
                OrderLine, col(OrderLine.order_id) == col(Order.id)
            )
        ).all()
    database.close()
    found: dict[int, tuple[int, int]] = {}
    for seq, got, qty in rows:
        done, total = found.get(seq, (0, 0))
        found[seq] = (done + got, total + qty)
    return found


def _counts(app: TuanApp) -> str:
    return str(app.screen.query_one("#pickup-counts", Static).render())


async def _open(app: TuanApp, pilot) -> None:
    await settle(app, pilot)
    await pilot.press("4")
    await settle(app, pilot)


async def test_search_filters_as_you_type(pickup_path: Path) -> None:  # noqa: F811
    app = TuanApp(str(pickup_path))
    async with app.run_test(size=(140, 40)) as pilot:
        await _open(app, pilot)
        assert _seqs(app) == ["1", "3", "2", "4", "5"], "households together"
        await pilot.press("slash", "1", "2", "0", "2")
        assert _seqs(app) == ["1", "3", "4"]
        await pilot.press("backspace", "backspace", "backspace", "backspace", "3", "-")
        await pilot.press("1", "2", "0", "2")
        assert _seqs(app) == ["1", "3"]
        app.screen.query_one("#pickup-search", Input).value = ""
        await pilot.press("w", "y")
        assert _seqs(app) == ["1"]
        await pilot.press("escape")
        assert _seqs(app) == ["1", "3", "2", "4", "5"]
        await pilot.press("slash", "4", "enter")
        assert _seqs(app) == ["4"]
        assert app.screen.focused is app.screen.query_one("#checklist")


async def test_space_marks_collected_and_undo_takes_it_back(pickup_path: Path) -> None:  # noqa: F811
    app = TuanApp(str(pickup_path))
    async with app.run_test(size=(140, 40)) as pilot:
        await _open(app, pilot)
        assert "已领取 0/5 单" in _counts(app)
        await pilot.press("space")
        await settle(app, pilot)
        assert _state(app, 1) == "已领取"
        assert _collected(pickup_path)[1] == (3, 3)
        assert "已领取 1/5 单" in _counts(app)
        await pilot.press("u")
        await settle(app, pilot)
        assert _state(app, 1) == "未领取"
        assert _collected(pickup_path)[1] == (0, 3)
        assert "已领取 0/5 单" in _counts(app)


async def test_partial_collection_per_line(pickup_path: Path) -> None:  # noqa: F811
    app = TuanApp(str(pickup_path))
    async with app.run_test(size=(140, 40)) as pilot:
        await _open(app, pilot)
        await pilot.press("enter")  # order 1: 冷榨橄榄油×2, 五常大米×1
        await pilot.pause()
        assert type(app.screen).__name__ == "CollectLinesModal"
        await pilot.press("9", "enter")  # more than ordered: refused beside the field
        await pilot.pause()
        assert type(app.screen).__name__ == "CollectLinesModal"
        assert "请填 0 到 2" in str(app.screen.query(".field-error").first(Static).render())
        await pilot.press("backspace", "1", "enter")
        await settle(app, pilot)
        assert _state(app, 1) == "部分领取"
        assert _collected(pickup_path)[1] == (1, 3)
        assert "部分领取 1 单" in _counts(app)
        await pilot.press("u")
        await settle(app, pilot)
        assert _collected(pickup_path)[1] == (0, 3)


async def test_household_batch_then_undo(pickup_path: Path) -> None:  # noqa: F811
    app = TuanApp(str(pickup_path))
    async with app.run_test(size=(140, 40)) as pilot:
        await _open(app, pilot)
        await pilot.press("h")  # 3-1202: orders 1 and 3
        await settle(app, pilot)
        assert (_state(app, 1), _state(app, 3), _state(app, 2)) == ("已领取", "已领取", "未领取")
        assert "已领取 2/5 单" in _counts(app)
        await pilot.press("down", "space")  # then order 3 is handed back…
        await settle(app, pilot)
        assert _state(app, 3) == "未领取"
        await pilot.press("u", "u")  # …undo that, then undo the household mark
        await settle(app, pilot)
        assert _collected(pickup_path)[1] == (0, 3) and _collected(pickup_path)[3] == (0, 1)
        assert (_state(app, 1), _state(app, 3)) == ("未领取", "未领取")


async def test_paid_toggle_and_filters(pickup_path: Path) -> None:  # noqa: F811
    app = TuanApp(str(pickup_path))
    async with app.run_test(size=(140, 40)) as pilot:
        await _open(app, pilot)
        unpaid = str(app.screen.query_one("#pickup-unpaid", Static).render())
        assert "未付款 2 单 ¥296" in unpaid
        await pilot.press("n")
        assert _seqs(app) == ["2", "5"]
        await pilot.press("p")  # order 2 paid in WeChat
        await settle(app, pilot)
        assert "未付款 1 单 ¥89" in str(app.screen.query_one("#pickup-unpaid", Static).render())
        await pilot.press("n")  # all rows again, cursor still on 2
        await settle(app, pilot)
        table = app.screen.query_one("#checklist", DataTable)
        assert str(table.get_row_at(table.cursor_row)[0]) == "2"
        await pilot.press("space", "c")  # collect it, then only the uncollected
        await settle(app, pilot)
        assert _seqs(app) == ["1", "3", "4", "5"]


async def test_sorting_view_and_export_in_a_worker(
    pickup_path: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    app = TuanApp(str(pickup_path))
    async with app.run_test(size=(140, 40)) as pilot:
        await _open(app, pilot)
        await pilot.press("s")
        await pilot.pause()
        console = Console(width=120, record=True, file=io.StringIO())
        console.print(app.screen.query_one("#sorting-body", Static).content)
        body = console.export_text()
        assert "感谢卡：5 张" in body and "12号楼" in body
        await pilot.press("e")
        await pilot.pause()
        assert type(app.screen).__name__ == "ExportModal"
        target = tmp_path / "list.txt"
        app.screen.query_one("#export-format").query(RadioButton)[3].value = True
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "PickupScreen"
        assert "== 3号楼 ==" in target.read_text(encoding="utf-8")


async def test_reminders_for_uncollected_orders_once_the_window_ended(
    pickup_path: Path,  # noqa: F811
) -> None:
    from datetime import datetime

    from tuan import clock
    from tuan.domain.members.reminders import open_reminders

    app = TuanApp(str(pickup_path))
    async with app.run_test(size=(140, 40)) as pilot:
        await _open(app, pilot)
        assert app.screen.check_action("remind", ()) is False, "window still open at 10:00"
        clock.freeze(datetime.fromisoformat("2026-11-26T21:30:00+08:00"))
        await pilot.press("space")  # order 1 collected, the other four are not
        await settle(app, pilot)
        await pilot.press("t")
        await settle(app, pilot)
    database = open_database(pickup_path)
    with database.session() as s:
        reminders = [r for r in open_reminders(s) if r.kind == "uncollected"]
    database.close()
    assert len(reminders) == 4
    assert "您的冷榨橄榄油还在3号楼门口，记得来取哦" in {r.message for r in reminders}


async def test_empty_database_says_what_will_appear(tmp_path: Path) -> None:
    app = TuanApp(str(tmp_path / "new.db"))
    async with app.run_test(size=(140, 40)) as pilot:
        await _open(app, pilot)
        assert "还没有待自提的接龙" in str(app.screen.query_one("#pickup-title", Static).render())
        await pilot.press("space", "h", "u", "e")  # nothing to act on: nothing happens
        await settle(app, pilot)
        assert type(app.screen).__name__ == "PickupScreen"


async def test_a_tick_is_drawn_in_its_row_and_undo_appears_in_the_footer(
    pickup_path: Path,  # noqa: F811
) -> None:
    app = TuanApp(str(pickup_path))
    async with app.run_test(size=(140, 40)) as pilot:
        await _open(app, pilot)
        footer = app.screen.query_one(KeyBar)
        assert "undo" not in {k.action for k in footer.shown_keys()}
        before = app.export_screenshot().count("已领取")
        await pilot.press("space")
        await settle(app, pilot)
        # the row the leader looks at is redrawn (only it: the others are unchanged)
        assert app.export_screenshot().count("已领取") == before + 1
        assert "undo" in {k.action for k in footer.shown_keys()}
