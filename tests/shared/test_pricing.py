"""The price rule: flash price inside the window while the cap lasts, chain price otherwise."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import col, select

from tuan import clock
from tuan.db import Database
from tuan.domain.shared.orders import LineRequest, place_order
from tuan.domain.shared.pricing import price_at, quote
from tuan.models import Chain, ChainItem, FlashSale, Livestream, Member, OrderLine


@pytest.fixture
def live_shop(db: Database) -> dict[str, int]:
    start = clock.now()
    with db.transaction() as s:
        chain = Chain(title="直播专场", status="open", deadline=start + timedelta(days=1))
        s.add(chain)
        s.flush()
        assert chain.id is not None
        kit = ChainItem(chain_id=chain.id, name="健康厨房入门套装", price_cents=25900)
        live = Livestream(theme="食用油的选择", status="live", chain_id=chain.id, started_at=start)
        s.add_all([kit, live])
        s.flush()
        assert live.id is not None and kit.id is not None
        sale = FlashSale(
            livestream_id=live.id,
            item_id=kit.id,
            live_price_cents=19900,
            start_minute=10,
            end_minute=20,
            cap=3,
            gift_name="《家庭用油指南》",
            gift_count=2,
        )
        s.add(sale)
        s.add_all([Member(id=i, nickname=f"邻居{i}", initials=f"lj{i}") for i in range(1, 7)])
        s.flush()
        assert sale.id is not None
        return {"chain": chain.id, "kit": kit.id, "sale": sale.id}


def _price(db: Database, item_id: int, minutes: float) -> int:
    with db.session() as s:
        item = s.get(ChainItem, item_id)
        assert item is not None
        return price_at(s, item, clock.now() + timedelta(minutes=minutes))


def test_window_edges(db: Database, live_shop: dict[str, int]) -> None:
    kit = live_shop["kit"]
    assert _price(db, kit, 9.99) == 25900, "before the window: chain price"
    assert _price(db, kit, 10) == 19900, "the start is inside"
    assert _price(db, kit, 19.99) == 19900
    assert _price(db, kit, 20) == 25900, "the end is outside"


def test_cap_exhaustion_splits_an_order_and_then_ends_the_flash_price(
    db: Database, live_shop: dict[str, int]
) -> None:
    at = clock.now() + timedelta(minutes=12)
    with db.transaction() as s:
        place_order(s, live_shop["chain"], 1, [LineRequest(live_shop["kit"], 2)], moment=at)
        place_order(s, live_shop["chain"], 2, [LineRequest(live_shop["kit"], 2)], moment=at)
        place_order(s, live_shop["chain"], 3, [LineRequest(live_shop["kit"], 1)], moment=at)
    with db.session() as s:
        lines = s.exec(select(OrderLine).order_by(col(OrderLine.id))).all()
        assert [(ln.qty, ln.unit_price_cents) for ln in lines] == [
            (2, 19900),
            (1, 19900),
            (1, 25900),
            (1, 25900),
        ]
        assert [ln.gift for ln in lines] == ["《家庭用油指南》", "《家庭用油指南》", "", ""]
        item = s.get(ChainItem, live_shop["kit"])
        assert item is not None
        assert quote(s, item, 1, at)[0].unit_price_cents == 25900


def test_a_stopped_sale_ends_at_the_stop(db: Database, live_shop: dict[str, int]) -> None:
    with db.transaction() as s:
        sale = s.get(FlashSale, live_shop["sale"])
        assert sale is not None
        sale.started_at = clock.now() + timedelta(minutes=2)
        sale.stopped_at = clock.now() + timedelta(minutes=5)
        s.add(sale)
    assert _price(db, live_shop["kit"], 3) == 19900, "started early by the leader"
    assert _price(db, live_shop["kit"], 5) == 25900, "stopped"
    assert _price(db, live_shop["kit"], 12) == 25900, "the planned window no longer applies"


def test_no_flash_price_outside_a_running_live(db: Database, live_shop: dict[str, int]) -> None:
    with db.transaction() as s:
        live = s.exec(select(Livestream)).one()
        live.status = "ended"
        s.add(live)
    assert _price(db, live_shop["kit"], 12) == 25900
