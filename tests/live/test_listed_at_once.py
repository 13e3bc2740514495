"""An order typed in live mode shows in 最新订单 with its answer, before the live is read again."""

from __future__ import annotations

from textual.widgets import Input

from tests.helpers import settle
from tests.live.helpers import build_shop
from tests.live.test_tui import _open_live_mode, _text
from tuan.db import Database
from tuan.tui.app import TuanApp
from tuan.tui.live.mode import LiveModeScreen


async def test_the_order_typed_is_listed_with_its_answer(db: Database) -> None:
    build_shop(db)
    app = TuanApp(db.target)
    async with app.run_test(size=(140, 40)) as pilot:
        await _open_live_mode(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, LiveModeScreen)
        readings: list[object] = []
        # Count the readings of the whole live from here on, and hold them back: what the
        # leader sees right after Enter must come from the entry itself.
        screen.reload = lambda: readings.append(1)  # type: ignore[method-assign]
        entry = screen.query_one("#entry", Input)
        entry.value = "小李 套装1"
        await pilot.press("enter")
        await settle(app, pilot)
        assert "已记录" in _text(app, "#entry-result")
        orders = _text(app, "#orders")
        assert "小李" in orders and "3-1202" in orders, orders
        assert "入门套装×1" in orders, orders
        assert readings, "the totals are still read again after the order"
        entry.value = "张姐 套装2"
        await pilot.press("enter")
        await settle(app, pilot)
        rows = [line for line in _text(app, "#orders").splitlines() if "×" in line]
        assert "张姐" in rows[0] and "小李" in rows[1], "newest first, the earlier one kept"
