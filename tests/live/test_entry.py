"""One-line live order entry: member matching, items, bare quantities, prices and gifts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import col, select

from tests.live.helpers import GIFT, Shop, build_shop
from tuan import clock
from tuan.db import Database
from tuan.domain.live.entry import enter_line
from tuan.domain.live.session import next_segment, start_live
from tuan.models import Member, Order, OrderLine


@pytest.fixture
def on_air(db: Database) -> Shop:
    """The shop's live started ten minutes ago; the flash-sale segment started five minutes ago."""
    shop = build_shop(db)
    with db.transaction() as s:
        start_live(s, shop.live, clock.now() - timedelta(minutes=10))
        next_segment(s, shop.live, clock.now() - timedelta(minutes=5))
    return shop


def _lines(db: Database, order_id: int) -> list[tuple[int, int, int, str]]:
    with db.session() as s:
        rows = s.exec(select(OrderLine).where(OrderLine.order_id == order_id)).all()
        return [(r.item_id, r.qty, r.unit_price_cents, r.gift) for r in rows]


def test_bare_quantity_takes_the_featured_item_at_the_live_price(
    db: Database, on_air: Shop
) -> None:
    result = enter_line(db, on_air.live, "王阿姨 2")
    assert result.ok, result.message
    assert _lines(db, result.order_id or 0) == [(on_air.kit, 2, 19900, GIFT)]
    assert (
        result.message
        == "已记录 1. 王阿姨 1-302 健康厨房入门套装×2 ¥199（直播价） 合计¥398 赠《家庭用油指南》"
    )


def test_room_and_initials_name_the_member(db: Database, on_air: Shop) -> None:
    by_room = enter_line(db, on_air.live, "3-1202 套装2")
    by_initials = enter_line(db, on_air.live, "wy 亚麻1")
    by_bare_room = enter_line(db, on_air.live, "601 C1")
    with db.session() as s:
        orders = s.exec(select(Order).order_by(col(Order.id))).all()
        assert [o.member_id for o in orders] == [
            on_air.members["小李"],
            on_air.members["吴悦"],
            on_air.members["张姐"],
        ]
        assert {o.channel for o in orders} == {"live"}
        assert {o.livestream_id for o in orders} == {on_air.live}
    assert _lines(db, by_initials.order_id or 0) == [(on_air.linseed, 1, 6900, "")]
    assert _lines(db, by_bare_room.order_id or 0) == [(on_air.olive, 1, 8900, "")]
    assert by_room.gift == GIFT


def test_an_ambiguous_member_is_listed_and_nothing_is_written(db: Database, on_air: Shop) -> None:
    result = enter_line(db, on_air.live, "王 2")
    assert not result.ok
    assert result.candidates == ("王阿姨 1-302", "王姐 1-303")
    assert "对上了好几位团员" in result.message
    with db.session() as s:
        assert s.exec(select(Order)).all() == []


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("", "请输入一单"),
        ("王阿姨", "没写要几件"),
        ("李大爷 2", "找不到团员「李大爷」"),
        ("王阿姨 牛奶2", "接龙里没有「牛奶」"),
        ("王阿姨 套装9", "超出限购"),
    ],
)
def test_bad_lines_say_why(db: Database, on_air: Shop, line: str, reason: str) -> None:
    result = enter_line(db, on_air.live, line)
    assert not result.ok and reason in result.message


def test_a_negative_quantity_is_named_once(db: Database, on_air: Shop) -> None:
    result = enter_line(db, on_air.live, "王阿姨 套装-1")
    assert not result.ok
    assert "看不懂的数量：-1，" in result.message, result.message


def test_plus_adds_a_new_member_from_the_live(db: Database, on_air: Shop) -> None:
    result = enter_line(db, on_air.live, "+小周 5-302 套装1")
    assert result.ok, result.message
    assert "小周 5-302（新团员）" in result.message
    with db.session() as s:
        member = s.exec(select(Member).where(Member.nickname == "小周")).one()
        assert (member.building, member.room, member.source, member.initials) == (
            "5",
            "302",
            "live",
            "xz",
        )
    again = enter_line(db, on_air.live, "+小周 套装1")
    assert not again.ok and "已经有团员叫「小周」" in again.message


def test_a_planned_live_takes_no_orders(db: Database) -> None:
    shop = build_shop(db)
    result = enter_line(db, shop.live, "王阿姨 2")
    assert not result.ok and "开播后才能记直播订单" in result.message


def test_an_order_larger_than_the_cap_left_is_split(db: Database, on_air: Shop) -> None:
    first = enter_line(db, on_air.live, "王阿姨 2")
    second = enter_line(db, on_air.live, "小李 套装2")
    assert _lines(db, first.order_id or 0) == [(on_air.kit, 2, 19900, GIFT)]
    assert _lines(db, second.order_id or 0) == [
        (on_air.kit, 1, 19900, GIFT),
        (on_air.kit, 1, 25900, ""),
    ], "one unit left under the cap of 3 at the live price, the other at the chain price"
    assert "合计¥458" in second.message
