"""拼团 in the app: setting a team item in the chain form, a team-buy entry (`跟王阿姨的团`),
and settling the unfilled teams with `t` on the chains screen."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from tests.chains.team_fixtures import make_team_shop, order
from tests.helpers import Notes, settle
from tuan import clock
from tuan.db import Database
from tuan.domain.shared.payments import record_payment
from tuan.domain.shared.team_words import TeamRef
from tuan.domain.shared.teams import chain_teams
from tuan.models import ChainItem, Order
from tuan.tui.app import TuanApp


def _teams(db: Database, chain: int) -> list[tuple[str, str, tuple[str, ...]]]:
    with db.session() as s:
        return [(t.name, t.status, t.members) for t in chain_teams(s, chain)]


async def test_the_form_makes_an_item_a_team_item_warns_and_refuses(db: Database) -> None:
    shop = make_team_shop(db)
    app = TuanApp(db.target)
    async with app.run_test(size=(160, 44)) as pilot:
        await settle(app, pilot, rounds=4)
        await pilot.press("2")
        await settle(app, pilot, rounds=4)
        await pilot.press("e")
        await settle(app, pilot, rounds=4)
        eggs = app.screen.query(".item-team_size")[2]
        assert isinstance(eggs, Input)
        price = app.screen.query(".item-team_price")[2]
        assert isinstance(price, Input)
        eggs.value, price.value = "1", "18"
        await pilot.press("ctrl+s")
        await settle(app, pilot, rounds=4)
        assert type(app.screen).__name__ == "ChainFormScreen", "a team of one is refused"
        said = str(app.screen.query(".row-error")[2].render())
        assert "成团人数至少 2 人" in said and eggs.has_class("-invalid")
        eggs.value, price.value = "4", "25"  # ¥25 is not below ¥20: warned, saved anyway
        await settle(app, pilot, rounds=4)
        warning = app.screen.query(".row-warning")[2]
        assert isinstance(warning, Static)
        assert "不比单买价 ¥20 便宜" in str(warning.render())
        price.value = "18"
        await settle(app, pilot, rounds=4)
        assert warning.has_class("-empty")
        await pilot.press("ctrl+s")
        await settle(app, pilot, rounds=4)
        assert type(app.screen).__name__ == "ChainsScreen"
        detail = str(app.screen.query_one("#chain-detail", Static).render())
        assert "鸡蛋 ¥20，4人成团 ¥18" in detail
    with db.session() as s:
        item = s.get(ChainItem, shop.eggs)
        assert item is not None and (item.team_size, item.team_price_cents) == (4, 1800)


async def _entry_form(app: TuanApp, pilot: Pilot[None]) -> None:
    await settle(app, pilot, rounds=4)
    await pilot.press("2")
    await settle(app, pilot, rounds=4)
    await pilot.press("enter")
    await settle(app, pilot, rounds=4)
    await pilot.press("a")
    await settle(app, pilot, rounds=4)


async def test_a_team_buy_entry_joins_the_named_team(db: Database) -> None:
    shop = make_team_shop(db)
    with db.transaction() as s:  # three open teams: the line picks 王阿姨's
        order(s, shop, "王阿姨", {shop.rice: 1})
        order(s, shop, "陈晨", {shop.rice: 1}, TeamRef(new=True))
        order(s, shop, "小周", {shop.rice: 1}, TeamRef(new=True))
    app = TuanApp(db.target)
    async with app.run_test(size=(160, 44)) as pilot:
        await _entry_form(app, pilot)
        for key in [*"5-302", "enter"]:
            await pilot.press(key)
            await settle(app, pilot)
        items = app.screen.query_one("#items", Input)
        items.value = "大米1 跟老赵的团"
        await settle(app, pilot, rounds=4)
        error = str(app.screen.query_one("#entry-error", Static).render())
        assert "没有叫「老赵的团」的团" in error
        items.value = "大米1 跟王阿姨的团"
        await settle(app, pilot, rounds=4)
        reading = str(app.screen.query_one("#items-reading", Static).render())
        assert "大米×1" in reading and "跟王阿姨的团" in reading
        await pilot.press("ctrl+s")
        await settle(app, pilot, rounds=4)
        assert type(app.screen).__name__ == "ChainEntriesScreen"
        table = app.screen.query_one("#entry-table", DataTable)
        cells = [str(c) for row in range(table.row_count) for c in table.get_row_at(row)]
        assert "王阿姨的团 待成团（差1人）" in cells
    assert _teams(db, shop.chain)[0] == ("王阿姨的团", "open", ("王阿姨", "李叔"))


async def test_t_settles_the_unfilled_teams_as_the_leader_chooses(db: Database) -> None:
    shop = make_team_shop(db)
    with db.transaction() as s:
        first = order(s, shop, "王阿姨", {shop.rice: 1})
        record_payment(s, first.id or 0, 8900)
        order(s, shop, "李叔", {shop.rice: 1, shop.eggs: 1})
    notes = Notes()
    app = TuanApp(db.target)
    async with app.run_test(size=(160, 44), message_hook=notes) as pilot:
        await settle(app, pilot, rounds=4)
        await pilot.press("2")
        await settle(app, pilot, rounds=4)
        await pilot.press("t")  # before the deadline: said, nothing asked
        await settle(app, pilot, rounds=4)
        assert any("接龙还没截止" in m for m in notes.messages())
        assert type(app.screen).__name__ == "ChainsScreen"
        clock.freeze(datetime.fromisoformat("2026-11-29T09:00:00+08:00"))
        await pilot.press("t")
        await settle(app, pilot, rounds=4)
        assert type(app.screen).__name__ == "SettleTeamsScreen"
        shown = str(app.screen.query_one("#settle-teams", Static).render())
        assert "王阿姨的团（大米）还差 1 人：王阿姨、李叔" in shown
        await pilot.press("2")
        await settle(app, pilot, rounds=4)
        assert type(app.screen).__name__ == "ChainsScreen"
        said = notes.messages()[-1]
        assert "1 个没成团的团已取消：王阿姨的团，取消了 1 单" in said
        assert "王阿姨 ¥89" in said
    with db.session() as s:
        statuses = s.exec(
            select(Order.status).where(col(Order.chain_id) == shop.chain).order_by(col(Order.seq))
        ).all()
    assert list(statuses) == ["cancelled", "active"]  # 李叔 keeps his eggs
    assert _teams(db, shop.chain)[0][:2] == ("王阿姨的团", "cancelled")
