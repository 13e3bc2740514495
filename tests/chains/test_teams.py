"""拼团 (team buy): joining, filling in order, the team price once full, leaving on cancel
(a formed team that drops below its size opens again), and settling unfilled teams."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlmodel import func, select

from tests.chains.team_fixtures import TeamShop, line_prices, make_team_shop, order
from tuan import clock
from tuan.db import Database
from tuan.domain.chains.entries import chain_view
from tuan.domain.shared.orders import LineRequest, cancel_order, update_order
from tuan.domain.shared.team_words import TeamRef
from tuan.domain.shared.teams import TeamError, chain_teams, settle_teams
from tuan.models import Order, Team, TeamMember

RICE, TEAM_RICE = 8900, 7900


def _teams(db: Database, shop: TeamShop) -> list[tuple[str, str, tuple[str, ...]]]:
    with db.session() as s:
        return [(t.name, t.status, t.members) for t in chain_teams(s, shop.chain)]


def _gmv(db: Database, shop: TeamShop) -> int:
    with db.session() as s:
        view = chain_view(s, shop.chain)
        assert view is not None
        return view.gmv_cents


@pytest.fixture
def shop(db: Database) -> TeamShop:
    return make_team_shop(db)


def test_first_order_opens_a_team_named_after_the_member(db: Database, shop: TeamShop) -> None:
    with db.transaction() as s:
        first = order(s, shop, "王阿姨", {shop.rice: 1})
        prices = line_prices(s, first.id or 0)
    assert _teams(db, shop) == [("王阿姨的团", "open", ("王阿姨",))]
    assert prices == {shop.rice: RICE}  # 待成团: the normal price until the team is full


def test_orders_fill_the_oldest_open_team_and_the_third_forms_it(
    db: Database, shop: TeamShop
) -> None:
    with db.transaction() as s:
        a = order(s, shop, "王阿姨", {shop.rice: 1}).id or 0
        b = order(s, shop, "李叔", {shop.rice: 2, shop.eggs: 1}).id or 0
        assert line_prices(s, b) == {shop.rice: RICE, shop.eggs: 2000}
        c = order(s, shop, "小周", {shop.rice: 1}).id or 0
        prices = [line_prices(s, o) for o in (a, b, c)]
    assert _teams(db, shop) == [("王阿姨的团", "formed", ("王阿姨", "李叔", "小周"))]
    # Everyone in the full team pays ¥79 a bag; eggs are not a team item.
    assert prices == [{shop.rice: TEAM_RICE}, {shop.rice: TEAM_RICE, shop.eggs: 2000},
                      {shop.rice: TEAM_RICE}]  # fmt: skip
    assert _gmv(db, shop) == 4 * 7900 + 2000  # 33,600 cents
    with db.transaction() as s:  # a fourth neighbour starts the next team
        order(s, shop, "陈晨", {shop.rice: 1})
    assert [t[:2] for t in _teams(db, shop)] == [("王阿姨的团", "formed"), ("陈晨的团", "open")]


def test_a_named_team_is_joined_even_when_an_older_one_is_open(
    db: Database, shop: TeamShop
) -> None:
    with db.transaction() as s:
        order(s, shop, "王阿姨", {shop.rice: 1})
        order(s, shop, "陈晨", {shop.rice: 1}, TeamRef(new=True))  # `开团`
        order(s, shop, "李叔", {shop.rice: 1}, TeamRef("陈晨"))  # `跟陈晨的团`
    assert _teams(db, shop) == [
        ("王阿姨的团", "open", ("王阿姨",)),
        ("陈晨的团", "open", ("陈晨", "李叔")),
    ]


def test_cancelling_leaves_the_team_and_reopens_a_formed_one(db: Database, shop: TeamShop) -> None:
    with db.transaction() as s:
        a = order(s, shop, "王阿姨", {shop.rice: 1}).id or 0
        b = order(s, shop, "李叔", {shop.rice: 1}).id or 0
        order(s, shop, "小周", {shop.rice: 1})
    with db.transaction() as s:
        cancel_order(s, b)
        after = line_prices(s, a)
    # Reopened: two of three, so back to ¥89, and the next order fills it first.
    assert _teams(db, shop) == [("王阿姨的团", "open", ("王阿姨", "小周"))]
    assert after == {shop.rice: RICE}
    assert _gmv(db, shop) == 2 * RICE
    with db.transaction() as s:
        order(s, shop, "张姐", {shop.rice: 1})
    assert _teams(db, shop) == [("王阿姨的团", "formed", ("王阿姨", "小周", "张姐"))]
    assert _gmv(db, shop) == 3 * TEAM_RICE


def test_editing_the_team_item_out_of_an_order_leaves_its_team(
    db: Database, shop: TeamShop
) -> None:
    with db.transaction() as s:
        order(s, shop, "王阿姨", {shop.rice: 1})
        b = order(s, shop, "李叔", {shop.rice: 1}).id or 0
        update_order(s, b, [LineRequest(shop.eggs, 2)])
    assert _teams(db, shop) == [("王阿姨的团", "open", ("王阿姨",))]


def test_an_order_with_two_team_items_is_in_one_team_of_each(db: Database, shop: TeamShop) -> None:
    with db.transaction() as s:
        order(s, shop, "王阿姨", {shop.rice: 1, shop.oil: 1})
        b = order(s, shop, "李叔", {shop.oil: 1}).id or 0
        prices = line_prices(s, b)
    assert _teams(db, shop) == [
        ("王阿姨的团", "open", ("王阿姨",)),
        ("王阿姨的团2", "formed", ("王阿姨", "李叔")),
    ]
    assert prices == {shop.oil: 4900}


def _count(db: Database, model: type) -> int:
    with db.session() as s:
        return int(s.exec(select(func.count()).select_from(model)).one())


@pytest.mark.parametrize(
    ("setup", "ref", "lines", "code", "words"),
    [
        ("full", TeamRef("王阿姨"), "rice", "team.full", "「王阿姨的团」已经满 3 人成团了"),
        ("oil", TeamRef("李叔"), "rice", "team.other_item", "「李叔的团」是「花生油」的团"),
        ("full", TeamRef("老赵"), "rice", "team.unknown", "没有叫「老赵的团」的团"),
    ],
)
def test_joining_a_team_that_cannot_take_it_is_refused_and_changes_nothing(
    db: Database, shop: TeamShop, setup: str, ref: TeamRef, lines: str, code: str, words: str
) -> None:
    with db.transaction() as s:
        if setup == "full":
            for who in ("王阿姨", "李叔", "小周"):
                order(s, shop, who, {shop.rice: 1})
        else:
            order(s, shop, "李叔", {shop.oil: 1})
    before = (_count(db, Order), _count(db, Team), _count(db, TeamMember), _teams(db, shop))
    with pytest.raises(TeamError) as caught, db.transaction() as s:
        order(s, shop, "张姐", {shop.rice: 1}, ref)
    assert caught.value.code == code
    assert words in str(caught.value)
    assert (_count(db, Order), _count(db, Team), _count(db, TeamMember), _teams(db, shop)) == before


def _past_deadline() -> None:
    clock.freeze(datetime.fromisoformat("2026-11-28T21:00:00+08:00"))


def _unfilled(db: Database, shop: TeamShop) -> tuple[int, int]:
    with db.transaction() as s:
        a = order(s, shop, "王阿姨", {shop.rice: 1}).id or 0
        b = order(s, shop, "李叔", {shop.rice: 1, shop.eggs: 1}, TeamRef("王阿姨")).id or 0
        for who in ("小周", "陈晨"):  # a second team, of two, formed
            order(s, shop, who, {shop.oil: 1})
        paid = s.get(Order, a)
        assert paid is not None
        from tuan.domain.shared.payments import record_payment

        record_payment(s, a, RICE)
    return a, b


def test_settling_before_the_deadline_is_refused(db: Database, shop: TeamShop) -> None:
    _unfilled(db, shop)
    with pytest.raises(TeamError, match="接龙还没截止"), db.transaction() as s:
        settle_teams(s, shop.chain, "normal")


def test_settling_at_the_normal_price_keeps_the_orders(db: Database, shop: TeamShop) -> None:
    a, b = _unfilled(db, shop)
    _past_deadline()
    with db.transaction() as s:
        done = settle_teams(s, shop.chain, "normal")
        prices = (line_prices(s, a), line_prices(s, b))
    assert done.teams == ("王阿姨的团",) and done.orders == 2 and done.cancelled_orders == 0
    assert prices == ({shop.rice: RICE}, {shop.rice: RICE, shop.eggs: 2000})
    assert [t[:2] for t in _teams(db, shop)] == [("王阿姨的团", "normal"), ("小周的团", "formed")]
    assert _gmv(db, shop) == 2 * RICE + 2000 + 2 * 4900


def test_settling_by_cancelling_takes_the_item_out_and_lists_money_to_return(
    db: Database, shop: TeamShop
) -> None:
    a, b = _unfilled(db, shop)
    _past_deadline()
    with db.transaction() as s:
        done = settle_teams(s, shop.chain, "cancel")
        first, second = s.get(Order, a), s.get(Order, b)
        assert first is not None and second is not None
        states = (first.status, second.status, line_prices(s, b))
    assert done.cancelled_orders == 1 and done.paid_orders == (("王阿姨", RICE),)
    # 王阿姨 had only rice: her order is cancelled; 李叔 keeps his eggs.
    assert states == ("cancelled", "active", {shop.eggs: 2000})
    assert _gmv(db, shop) == 2000 + 2 * 4900
    assert _teams(db, shop)[0][:2] == ("王阿姨的团", "cancelled")


def test_a_team_whose_last_member_leaves_is_gone(db: Database, shop: TeamShop) -> None:
    with db.transaction() as s:
        a = order(s, shop, "王阿姨", {shop.rice: 1}).id or 0
        order(s, shop, "陈晨", {shop.rice: 1}, TeamRef(new=True))
    with db.transaction() as s:
        cancel_order(s, a)
    assert _teams(db, shop) == [("陈晨的团", "open", ("陈晨",))]
    with db.transaction() as s:  # her order back: it fills the open team
        update_order(s, a, [LineRequest(shop.rice, 1)])
    ((name, status, members),) = _teams(db, shop)
    assert (name, status, set(members)) == ("陈晨的团", "open", {"陈晨", "王阿姨"})
