"""Fewer keys for the same order in live mode: products by initials or menu letter, a member
picked by one digit when a name fits several, and an order in 8 keys or fewer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import col, select
from textual.widgets import Input, Static

from tests.helpers import settle
from tests.live.helpers import Shop, build_shop
from tuan import clock
from tuan.db import Database
from tuan.domain.live.entry import enter_line
from tuan.domain.live.session import next_segment, start_live
from tuan.models import Order, OrderLine
from tuan.tui.app import TuanApp
from tuan.tui.live.mode import LiveModeScreen


@pytest.fixture
def on_air(db: Database) -> Shop:
    shop = build_shop(db)
    with db.transaction() as s:
        start_live(s, shop.live, clock.now() - timedelta(minutes=10))
        next_segment(s, shop.live, clock.now() - timedelta(minutes=5))
    return shop


def _orders(db: Database) -> list[tuple[int, int, int]]:
    """(member, item, qty) of every order line, in order."""
    with db.session() as s:
        rows = s.exec(
            select(Order.member_id, OrderLine.item_id, OrderLine.qty)
            .join(Order, col(Order.id) == col(OrderLine.order_id))
            .order_by(col(OrderLine.id))
        ).all()
        return [(m, i, q) for m, i, q in rows]


@pytest.mark.parametrize("line", ["wy tz2", "wy A2", "wy a2", "wy tzx2", "吴悦 rmtz2"])
def test_initials_and_menu_letters_name_the_product(db: Database, on_air: Shop, line: str) -> None:
    result = enter_line(db, on_air.live, line)
    assert result.ok, result.message
    kit_lines = [(m, q) for m, i, q in _orders(db) if i == on_air.kit]
    assert sum(q for _m, q in kit_lines) == 2
    assert {m for m, _q in kit_lines} == {on_air.members["吴悦"]}


def test_several_members_are_numbered_and_a_pick_keeps_the_line(db: Database, on_air: Shop) -> None:
    refused = enter_line(db, on_air.live, "w ym1")
    assert not refused.ok
    assert "1 王阿姨 1-302  2 吴悦 7-1503  3 王姐 1-303" in refused.message
    assert "按数字选一位" in refused.message
    assert refused.candidate_ids == (
        on_air.members["王阿姨"],
        on_air.members["吴悦"],
        on_air.members["王姐"],
    )
    picked = enter_line(db, on_air.live, "w ym1", member_id=refused.candidate_ids[2])
    assert picked.ok, picked.message
    assert _orders(db) == [(on_air.members["王姐"], on_air.linseed, 1)]


async def _open_live_mode(app: TuanApp, pilot) -> None:
    await settle(app, pilot)
    if not isinstance(app.screen, LiveModeScreen):  # a live on air opens at start
        await pilot.press("3")
        await settle(app, pilot)
    if not isinstance(app.screen, LiveModeScreen):
        await pilot.press("g")
        await settle(app, pilot)
    assert isinstance(app.screen, LiveModeScreen)
    assert app.focused is not None and app.focused.id == "entry"


async def test_a_known_members_order_takes_seven_keys(db: Database, on_air: Shop) -> None:
    app = TuanApp(db.target)
    async with app.run_test(size=(140, 40)) as pilot:
        await _open_live_mode(app, pilot)
        keys = ["w", "y", "space", "t", "z", "2", "enter"]  # wy tz2⏎
        await pilot.press(*keys)
        await settle(app, pilot)
        assert len(keys) <= 8
        assert _orders(db) == [(on_air.members["吴悦"], on_air.kit, 2)]
        assert app.screen.query_one("#entry", Input).value == ""


async def test_one_digit_picks_among_several_members(db: Database, on_air: Shop) -> None:
    app = TuanApp(db.target)
    async with app.run_test(size=(140, 40)) as pilot:
        await _open_live_mode(app, pilot)
        await pilot.press("w", "space", "y", "m", "1", "enter")  # w ym1⏎: three members fit
        await settle(app, pilot)
        shown = str(app.screen.query_one("#entry-result", Static).content)
        assert "1 王阿姨 1-302  2 吴悦 7-1503  3 王姐 1-303" in shown
        assert _orders(db) == []
        await pilot.press("2")  # one key: 吴悦, and the line is taken as typed
        await settle(app, pilot)
        assert _orders(db) == [(on_air.members["吴悦"], on_air.linseed, 1)]
        assert app.screen.query_one("#entry", Input).value == ""
        assert "已记录" in str(app.screen.query_one("#entry-result", Static).content)


async def test_a_digit_after_an_edit_is_typed_not_picked(db: Database, on_air: Shop) -> None:
    app = TuanApp(db.target)
    async with app.run_test(size=(140, 40)) as pilot:
        await _open_live_mode(app, pilot)
        await pilot.press("w", "space", "y", "m", "enter")  # refused: several members
        await settle(app, pilot)
        await pilot.press("backspace", "backspace", "t", "z", "1")  # edited: 1 is a quantity
        await settle(app, pilot)
        assert app.screen.query_one("#entry", Input).value == "w tz1"
        assert _orders(db) == []
