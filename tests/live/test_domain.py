"""Livestreams in the domain: the run-of-show, flash-sale rules and running a live."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import col, select

from tests.live.helpers import GIFT, Shop, build_shop
from tuan import clock
from tuan.db import Database
from tuan.domain.live.flash import (
    FlashDraft,
    add_flash_sale,
    delete_flash_sale,
    list_flash_sales,
    parse_gift,
    update_flash_sale,
)
from tuan.domain.live.session import (
    end_live,
    next_segment,
    previous_segment,
    set_viewers,
    start_flash,
    start_live,
    stop_flash,
    toggle_flash,
    undo_last_order,
)
from tuan.domain.live.shows import (
    LiveDraft,
    LiveError,
    SegmentDraft,
    add_segment,
    delete_segment,
    move_segment,
    run_of_show,
    update_livestream,
    update_segment,
)
from tuan.domain.live.state import load_live_state
from tuan.domain.shared.orders import LineRequest, place_order
from tuan.domain.shared.pricing import price_at
from tuan.models import ChainItem, FlashSale, Livestream, Order, Segment


@pytest.fixture
def shop(db: Database) -> Shop:
    return build_shop(db)


def _titles(db: Database, live_id: int) -> list[str]:
    with db.session() as s:
        return [row.title for row in run_of_show(s, live_id)]


def _sale(db: Database, sale_id: int) -> FlashSale:
    with db.session() as s:
        sale = s.get(FlashSale, sale_id)
        assert sale is not None
        return sale


def test_segments_reorder_and_tied_sale_follows(db: Database, shop: Shop) -> None:
    with db.transaction() as s:
        assert move_segment(s, shop.segments[1], -1) == 0
    assert _titles(db, shop.live) == ["秒杀：入门套装", "开场：厨房里的油", "答疑与收尾"]
    sale = _sale(db, shop.sale)
    assert (sale.start_minute, sale.end_minute) == (0, 10), "a tied sale follows its segment"
    with db.transaction() as s:
        assert move_segment(s, shop.segments[1], -1) == 0, "already first: stays"
        add_segment(s, shop.live, SegmentDraft("抽奖", 3), position=0)
        update_segment(s, shop.segments[1], SegmentDraft("秒杀：入门套装", 8, "", shop.kit))
    assert _titles(db, shop.live)[:2] == ["抽奖", "秒杀：入门套装"]
    sale = _sale(db, shop.sale)
    assert (sale.start_minute, sale.end_minute) == (3, 11)
    with db.transaction() as s:
        delete_segment(s, shop.segments[0])
    with db.session() as s:
        assert [r.position for r in run_of_show(s, shop.live)] == [0, 1, 2]
        assert sum(r.planned_minutes for r in run_of_show(s, shop.live)) == 16


def test_segment_needs_a_title_and_an_item_of_the_chain(db: Database, shop: Shop) -> None:
    with pytest.raises(LiveError, match="环节标题不能为空") as bad, db.transaction() as s:
        add_segment(s, shop.live, SegmentDraft("  ", 5))
    assert bad.value.field == "title"
    other_shop = build_shop(db)
    other = other_shop.olive
    with pytest.raises(LiveError, match="主推商品要在这场直播关联的接龙里"), db.transaction() as s:
        add_segment(s, shop.live, SegmentDraft("别的", 5, "", other))


def test_live_price_above_the_chain_price_is_refused(db: Database, shop: Shop) -> None:
    draft = FlashDraft(item_id=shop.linseed, live_price_cents=7900, start_minute=16, end_minute=20)
    refused = pytest.raises(LiveError, match="直播价 ¥79 比接龙价 ¥69 还高")
    with refused as bad, db.transaction() as s:
        add_flash_sale(s, shop.live, draft)
    assert bad.value.field == "live_price"


def test_overlapping_windows_for_one_item_are_refused(db: Database, shop: Shop) -> None:
    # The kit is on sale in minutes 5-15 (tied to segment 2).
    overlapping = FlashDraft(
        item_id=shop.kit, live_price_cents=20900, start_minute=14, end_minute=18
    )
    with pytest.raises(LiveError, match="两个秒杀时间重叠"), db.transaction() as s:
        add_flash_sale(s, shop.live, overlapping)
    touching = FlashDraft(item_id=shop.kit, live_price_cents=20900, start_minute=15, end_minute=18)
    other_item = FlashDraft(item_id=shop.olive, live_price_cents=6900, start_minute=5)
    with db.transaction() as s:
        add_flash_sale(s, shop.live, touching)
        add_flash_sale(s, shop.live, other_item)
    assert len(list_flash_sales(db.session(), shop.live)) == 3


def test_a_reorder_that_would_overlap_is_refused(db: Database, shop: Shop) -> None:
    with db.transaction() as s:
        # An untied kit sale in minutes 0-5; moving the tied segment first would collide.
        add_flash_sale(s, shop.live, FlashDraft(shop.kit, 22900, start_minute=0, end_minute=5))
    with pytest.raises(LiveError, match="重叠"), db.transaction() as s:
        move_segment(s, shop.segments[1], -1)
    assert _titles(db, shop.live)[0] == "开场：厨房里的油", "the refused move changed nothing"


def test_cap_above_stock_and_gift_rules(db: Database, shop: Shop) -> None:
    draft = FlashDraft(shop.kit, 19900, segment_id=shop.segments[1], cap=101)
    refused = pytest.raises(LiveError, match="限量 101 件超过了 健康厨房入门套装 的库存 100 件")
    with refused, db.transaction() as s:
        update_flash_sale(s, shop.sale, draft)
    draft = FlashDraft(
        shop.kit, 19900, segment_id=shop.segments[1], cap=3, gift_count=5, gift_name="书"
    )
    with pytest.raises(LiveError, match="赠品名额 5 比限量 3 还多"), db.transaction() as s:
        update_flash_sale(s, shop.sale, draft)
    assert parse_gift("前20名赠《健康食谱手册》") == (20, "《健康食谱手册》")
    assert parse_gift("前二十名送 小米试吃装") == (20, "小米试吃装")
    assert parse_gift("《家庭用油指南》") == (0, "《家庭用油指南》")


def test_the_chain_cannot_change_while_its_items_are_used(db: Database, shop: Shop) -> None:
    draft = LiveDraft(theme="食用油的选择", chain_id=None)
    with pytest.raises(LiveError, match="用到了原接龙的商品"), db.transaction() as s:
        update_livestream(s, shop.live, draft)


def _at(minutes: float):
    return clock.now() + timedelta(minutes=minutes)


def _kit_price(db: Database, shop: Shop, minutes: float) -> int:
    with db.session() as s:
        item = s.get(ChainItem, shop.kit)
        assert item is not None
        return price_at(s, item, _at(minutes))


def test_tied_sale_opens_with_its_segment_and_closes_when_it_ends(db: Database, shop: Shop) -> None:
    with db.transaction() as s:
        start_live(s, shop.live, _at(0))
    assert _kit_price(db, shop, 4) == 25900
    with db.transaction() as s:
        next_segment(s, shop.live, _at(7))  # two minutes late
    assert _kit_price(db, shop, 6.99) == 25900, "the planned minute 5 no longer applies"
    assert _kit_price(db, shop, 7) == 19900, "opens with its segment"
    with db.session() as s:
        state = load_live_state(s, shop.live)
        assert state.schedule_delta(_at(7)) == 120, "two minutes behind"
        assert state.schedule_delta(_at(19)) == 120 + 120, "the segment overran by two"
        assert state.active_sale(_at(8)) is not None
    with db.transaction() as s:
        next_segment(s, shop.live, _at(12))
    assert _kit_price(db, shop, 12) == 25900, "closed when its segment ended"
    with db.transaction() as s:
        previous_segment(s, shop.live, _at(13))
    assert _kit_price(db, shop, 13) == 19900, "going back reopens the segment's sale"
    with db.session() as s:
        segs = s.exec(select(Segment).order_by(col(Segment.position))).all()
        assert segs[1].started_at == _at(7) and segs[1].ended_at is None
        assert segs[2].started_at is None


def test_manual_start_stop_and_toggle(db: Database, shop: Shop) -> None:
    with db.transaction() as s:
        start_live(s, shop.live, _at(0))
        start_flash(s, shop.sale, _at(1))
    assert _kit_price(db, shop, 1) == 19900
    with pytest.raises(LiveError, match="已经在进行中"), db.transaction() as s:
        start_flash(s, shop.sale, _at(2))
    with db.transaction() as s:
        stop_flash(s, shop.sale, _at(3))
    assert _kit_price(db, shop, 3) == 25900
    with db.transaction() as s:
        sale, started = toggle_flash(s, shop.live, _at(4))
        assert started and sale.id == shop.sale
        sale, started = toggle_flash(s, shop.live, _at(5))
        assert not started


def test_viewers_peak_undo_and_end(db: Database, shop: Shop) -> None:
    with db.transaction() as s:
        start_live(s, shop.live, _at(0))
        set_viewers(s, shop.live, 120)
        set_viewers(s, shop.live, 90)
        next_segment(s, shop.live, _at(5))
        for minute, name in enumerate(["王阿姨", "小李", "张姐"], start=6):
            member = shop.members[name]
            place_order(
                s, shop.chain, member, [LineRequest(shop.kit, 1)],
                channel="live", livestream_id=shop.live, moment=_at(minute),
            )  # fmt: skip
    with db.transaction() as s:
        order, nickname = undo_last_order(s, shop.live)
        assert nickname == "张姐" and order.status == "cancelled"
    with db.transaction() as s:
        summary = end_live(s, shop.live, _at(21))
    assert summary.as_dict() == {
        "peak_viewers": 120,
        "buyers": 2,
        "orders": 2,
        "conversion": round(2 / 120, 4),
        "gmv_cents": 2 * 19900,
        "gifts_given": 2,
        "new_members": 2,
        "teams_formed": 0,
        "teams_unfilled": 0,
    }
    with db.session() as s:
        live = s.get(Livestream, shop.live)
        assert live is not None and live.status == "ended" and live.summary_json
        sale = load_live_state(s, shop.live).sales[0]
        assert sale.closes_at == _at(15), "its planned ten minutes from the segment's start"
        with pytest.raises(LiveError, match="已经结束"):
            next_segment(s, shop.live, _at(22))


def test_a_flash_sale_with_orders_cannot_be_deleted(db: Database, shop: Shop) -> None:
    with db.transaction() as s:
        start_live(s, shop.live, _at(0))
        next_segment(s, shop.live, _at(5))
        place_order(
            s, shop.chain, shop.members["王阿姨"], [LineRequest(shop.kit, 1)],
            channel="live", livestream_id=shop.live, moment=_at(6),
        )  # fmt: skip
    with pytest.raises(LiveError, match="不能删除"), db.transaction() as s:
        delete_flash_sale(s, shop.sale)
    with db.session() as s:
        assert s.exec(select(Order)).one().livestream_id == shop.live


def test_only_one_live_at_a_time(db: Database, shop: Shop) -> None:
    other = build_shop(db)
    with db.transaction() as s:
        start_live(s, shop.live, _at(0))
    with pytest.raises(LiveError, match="正在直播"), db.transaction() as s:
        start_live(s, other.live, _at(1))
    assert GIFT  # the shared fixture's gift name is used by other tests


@pytest.mark.parametrize(
    ("minute", "price"), [(4.99, 25900), (5, 19900), (14.99, 19900), (15, 25900)]
)
def test_planned_window_edges_of_a_live(db: Database, minute: float, price: int) -> None:
    shop = build_shop(db, tied=False)  # minutes 5-15 into the live
    with db.transaction() as s:
        start_live(s, shop.live, _at(0))
    assert _kit_price(db, shop, minute) == price
