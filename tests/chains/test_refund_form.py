"""The refund form (`f`) and the refund list (`F`) from a chain's entries, on the fruit shop:
three decimals, a negative or a too-large amount is refused beside its field with nothing saved;
a valid refund marks the row `退1` and lowers the chain's amount; the list takes it back."""

from __future__ import annotations

from sqlmodel import func, select
from textual.widgets import DataTable, Input

from tests.helpers import notes, settle
from tests.shared.refund_fixtures import make_fruit_shop
from tuan.db import Database
from tuan.models import Refund
from tuan.tui.app import TuanApp
from tuan.tui.shared.form import ProblemLine


def _refunds(db: Database) -> list[tuple[int, int, int, str]]:
    with db.session() as s:
        rows = s.exec(select(Refund.line_id, Refund.qty, Refund.amount_cents, Refund.reason))
        return [tuple(r) for r in rows]  # type: ignore[misc]


def _problem(app: TuanApp, name: str) -> str:
    return str(app.screen.query_one(f"#p-{name}", ProblemLine).render())


def _row(app: TuanApp) -> list[str]:
    table = app.screen.query_one("#entry-table", DataTable)
    return [str(c) for c in table.get_row_at(0)]


async def _type(app: TuanApp, pilot, name: str, text: str) -> None:
    app.screen.query_one(f"#f-{name}", Input).value = text
    await settle(app, pilot)


async def test_a_refund_from_the_entries_is_checked_saved_shown_and_taken_back(
    db: Database,
) -> None:
    make_fruit_shop(db)
    app = TuanApp(db.target)
    async with app.run_test(size=(140, 40), message_hook=notes(app)) as pilot:
        await settle(app, pilot, rounds=4)
        await pilot.press("2")
        await settle(app, pilot, rounds=4)
        await pilot.press("enter")  # 第80期 水果团's entries; the cursor on 王阿姨's
        await settle(app, pilot, rounds=4)
        assert _row(app)[1] == "王阿姨" and _row(app)[6] == "有效"
        await pilot.press("f")
        await settle(app, pilot, rounds=4)
        assert type(app.screen).__name__ == "RefundFormScreen"
        assert app.screen.query_one("#f-qty", Input).value == "1"
        assert app.screen.query_one("#f-amount", Input).value == "50", "1 × ¥50, prefilled"
        for text, words in (("1.234", "最多两位小数"), ("-5", "不能为负数"),
                            ("150.01", "最多还能退 ¥150")):  # fmt: skip
            await _type(app, pilot, "amount", text)
            await pilot.press("ctrl+s")
            await settle(app, pilot, rounds=4)
            assert type(app.screen).__name__ == "RefundFormScreen", "the form stays open"
            assert words in _problem(app, "amount")
            assert _refunds(db) == [], "nothing saved"
        assert any("最多还能退" in m for m in notes(app).errors())
        await _type(app, pilot, "qty", "2")
        await _type(app, pilot, "amount", "80")
        await pilot.press("ctrl+s")
        await settle(app, pilot, rounds=4)
        assert type(app.screen).__name__ == "ChainEntriesScreen"
        assert _refunds(db) == [(2, 2, 8000, "bad_fruit")]
        assert _row(app)[4] == "¥110" and _row(app)[6] == "有效 退2"
        await pilot.press("F")
        await settle(app, pilot, rounds=4)
        assert type(app.screen).__name__ == "RefundListScreen"
        table = app.screen.query_one(DataTable)
        assert [str(c) for c in table.get_row_at(0)][1:5] == ["橙子", "2", "¥80", "坏果"]
        await pilot.press("d")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot, rounds=4)
        assert _refunds(db) == []
        await pilot.press("escape")
        await settle(app, pilot, rounds=4)
        assert _row(app)[4] == "¥190" and _row(app)[6] == "有效"


async def test_too_many_pieces_are_refused_beside_the_quantity(db: Database) -> None:
    make_fruit_shop(db)
    app = TuanApp(db.target)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot, rounds=4)
        await pilot.press("2")
        await settle(app, pilot, rounds=4)
        await pilot.press("enter", "f")
        await settle(app, pilot, rounds=4)
        await _type(app, pilot, "qty", "4")
        assert app.screen.query_one("#f-amount", Input).value == "150", "capped at what is left"
        await pilot.press("ctrl+s")
        await settle(app, pilot, rounds=4)
        assert "最多还能退 3 件" in _problem(app, "qty")
        assert _refunds(db) == []
        with db.session() as s:
            assert s.exec(select(func.count()).select_from(Refund)).one() == 0
