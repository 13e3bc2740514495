"""Coupons from the keyboard: issuing on the member page (`g`), using one in the chain entry
form and with `券` at the end of a live-mode line."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import col, select
from textual.widgets import DataTable, Input, Select

from tests.chains.fixtures import make_shop
from tests.chains.test_entry_keys import _keys, _open_form
from tests.helpers import notes, settle
from tests.live.helpers import build_shop
from tests.live.test_tui import _open_live_mode, _type
from tuan.db import Database, open_database
from tuan.domain.members.coupons import issue_coupon
from tuan.domain.shared.payments import order_amounts
from tuan.models import Coupon, Member, Order
from tuan.tui.app import TuanApp


async def _open_member(app: TuanApp, pilot, query: str) -> None:
    await pilot.press("5")
    await settle(app, pilot, rounds=4)
    await pilot.press("slash", *query, "enter")
    await settle(app, pilot, rounds=4)
    await pilot.press("enter")
    await settle(app, pilot, rounds=4)
    assert type(app.screen).__name__ == "MemberPageScreen"


def _coupon_rows(app: TuanApp) -> list[list[str]]:
    table = app.screen.query_one("#member-coupons", DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_issue_a_coupon_from_the_member_page(demo_path: Path) -> None:
    app = TuanApp(str(demo_path))
    async with app.run_test(size=(140, 40), message_hook=notes(app)) as pilot:
        await _open_member(app, pilot, "3-1202")  # 小李
        before = len(_coupon_rows(app))
        await pilot.press("g")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "CouponFormScreen"
        await pilot.press(*"19.999")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        problem = app.screen.query_one("#p-amount").render()
        assert "金额最多两位小数" in str(problem), "the refusal shows beside the amount"
        field = app.screen.query_one("#f-amount", Input)
        field.value = "20"
        app.screen.query_one("#f-min_spend", Input).value = "99"
        app.screen.query_one("#f-expires", Input).value = "2026-12-31"
        app.screen.query_one("#f-reason", Input).value = "少发补偿券"
        await pilot.press("ctrl+s")
        await settle(app, pilot, rounds=4)
        assert type(app.screen).__name__ == "MemberPageScreen"
        assert any("已发券" in m and "满¥99减¥20券，12月31日前下单可用" in m
                   for m in notes(app).messages())  # fmt: skip
        rows = _coupon_rows(app)
        assert len(rows) == before + 1
        assert any(r[1] == "¥20" and r[2] == "满¥99" and r[3] == "2026-12-31" and r[4] == "可用"
                   and "少发补偿券" in r[6] for r in rows)  # fmt: skip
    database = open_database(demo_path)
    with database.session() as s:
        coupon = s.exec(select(Coupon).where(col(Coupon.reason) == "少发补偿券")).one()
        member = s.get(Member, coupon.member_id)
        assert member is not None and member.nickname == "小李" and coupon.amount_cents == 2000
    database.close()


async def test_the_entry_form_offers_and_uses_a_coupon(db: Database) -> None:
    shop = make_shop(db)
    li = shop.members["小李5-601"]
    with db.transaction() as s:
        small = issue_coupon(s, li, 1000).id
        big = issue_coupon(s, li, 3000, min_spend_cents=50000).id  # too much for this order
    app = TuanApp(db.target)
    async with app.run_test(size=(140, 40), message_hook=notes(app)) as pilot:
        await _open_form(app, pilot)
        await _keys(app, pilot, ["x", "l", "enter", "t", "z", "1"])  # 小李, 套装 ×1 (¥259)
        await settle(app, pilot)
        choice = app.screen.query_one("#coupon", Select)
        assert choice.display and choice.parent is not None
        choice.value = str(big)
        await pilot.press("ctrl+s")
        await settle(app, pilot, rounds=4)
        assert type(app.screen).__name__ == "EntryFormScreen", "refused: stays open"
        assert "不够券" in str(app.screen.query_one("#entry-error").render())
        with db.session() as s:
            assert s.exec(select(Order)).first() is None, "nothing kept"
        choice.value = str(small)
        await pilot.press("ctrl+s")
        await settle(app, pilot, rounds=4)
        assert type(app.screen).__name__ == "ChainEntriesScreen"
    with db.session() as s:
        order = s.exec(select(Order)).one()
        coupon = s.get(Coupon, small)
        assert coupon is not None and coupon.order_id == order.id
        assert order_amounts(s, [order.id or 0]) == {order.id: 24900}


async def test_live_mode_uses_the_best_coupon_with_the_word_quan(db: Database) -> None:
    shop = build_shop(db, tied=False)
    wang = shop.members["王阿姨"]
    with db.transaction() as s:
        issue_coupon(s, wang, 2000)
    app = TuanApp(db.target)
    async with app.run_test(size=(140, 40)) as pilot:
        await _open_live_mode(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await _type(app, pilot, "张姐 套装1 券")
        result = str(app.screen.query_one("#entry-result").render())
        assert "张姐没有可用的券" in result
        await _type(app, pilot, "王阿姨 套装1 券")
        result = str(app.screen.query_one("#entry-result").render())
        assert "用券 #1 抵¥20，应付¥239" in result
    with db.session() as s:
        orders = s.exec(select(Order)).all()
        assert [o.member_id for o in orders] == [wang], "the refused line kept nothing"
        assert order_amounts(s, [orders[0].id or 0]) == {orders[0].id: 23900}


async def test_the_wake_up_rule_form_sets_its_coupon(db: Database) -> None:
    from tuan.domain.members.rule_coupons import CouponTerms, rule_terms

    app = TuanApp(db.target)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("5")
        await settle(app, pilot, rounds=4)
        await pilot.press("g")
        await settle(app, pilot, rounds=4)
        table = app.screen.query_one("#reminder-rules", DataTable)
        table.focus()
        table.move_cursor(row=2)  # the rules of migration 0002: the dormant one is third
        await pilot.press("e")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "ReminderRuleFormScreen"
        amount = app.screen.query_one("#f-coupon_amount", Input)
        assert amount.value == "10" and amount.display, "the default wake-up coupon: ¥10"
        amount.value = "15.555"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "金额最多两位小数" in str(app.screen.query_one("#p-coupon_amount").render())
        amount.value = "15"
        app.screen.query_one("#f-coupon_min", Input).value = "59"
        app.screen.query_one("#f-coupon_days", Input).value = "7"
        await pilot.press("ctrl+s")
        await settle(app, pilot, rounds=4)
        assert type(app.screen).__name__ == "RulesScreen"
    with db.session() as s:
        assert rule_terms(s, 3, "dormant") == CouponTerms(1500, 5900, 7)
