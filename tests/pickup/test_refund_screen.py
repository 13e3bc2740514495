"""The refund form (`f`) and list (`F`) from the pickup checklist, on the fruit shop: a too-large
quantity is refused beside its field with nothing saved; a refund leaves the refunded pieces out
of the row (marked `退1`), and taking it back puts them in again."""

from __future__ import annotations

from sqlmodel import select
from textual.widgets import DataTable, Input

from tests.helpers import notes, settle
from tests.shared.refund_fixtures import make_fruit_shop
from tuan.db import Database
from tuan.models import Refund
from tuan.tui.app import TuanApp
from tuan.tui.shared.form import ProblemLine


def _rows(app: TuanApp) -> list[list[str]]:
    table = app.screen.query_one("#checklist", DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def _refunds(db: Database) -> list[tuple[int, int, int]]:
    with db.session() as s:
        return [(r.line_id, r.qty, r.amount_cents) for r in s.exec(select(Refund))]


async def test_a_refund_from_the_checklist_leaves_its_pieces_out(db: Database) -> None:
    make_fruit_shop(db)
    app = TuanApp(db.target)
    async with app.run_test(size=(140, 40), message_hook=notes(app)) as pilot:
        await settle(app, pilot, rounds=4)
        await pilot.press("4")
        await settle(app, pilot, rounds=4)
        first = _rows(app)[0]
        assert (first[1], first[3], first[4]) == ("王阿姨", "橙子×3 苹果×1", "¥190")
        await pilot.press("f")
        await settle(app, pilot, rounds=4)
        assert type(app.screen).__name__ == "RefundFormScreen"
        app.screen.query_one("#f-qty", Input).value = "-1"
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot, rounds=4)
        problem = str(app.screen.query_one("#p-qty", ProblemLine).render())
        assert "不能为负数" in problem and _refunds(db) == []
        app.screen.query_one("#f-qty", Input).value = "5"
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot, rounds=4)
        problem = str(app.screen.query_one("#p-qty", ProblemLine).render())
        assert "最多还能退 3 件" in problem and _refunds(db) == []
        app.screen.query_one("#f-qty", Input).value = "1"
        await settle(app, pilot)
        assert app.screen.query_one("#f-amount", Input).value == "50"
        await pilot.press("ctrl+s")
        await settle(app, pilot, rounds=4)
        assert type(app.screen).__name__ == "PickupScreen"
        assert _refunds(db) == [(2, 1, 5000)]
        assert any("已退款" in m for m in notes(app).messages())
        first = _rows(app)[0]
        assert (first[3], first[4]) == ("橙子×2 苹果×1  退1", "¥140")
        await pilot.press("F")
        await settle(app, pilot, rounds=4)
        assert type(app.screen).__name__ == "RefundListScreen"
        await pilot.press("d")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot, rounds=4)
        await pilot.press("escape")
        await settle(app, pilot, rounds=4)
        assert _refunds(db) == []
        first = _rows(app)[0]
        assert (first[3], first[4]) == ("橙子×3 苹果×1", "¥190")
