"""Orders: stock and per-person limits hold, sequence numbers stay, prices are captured."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from tuan import clock
from tuan.db import Database
from tuan.domain.shared.orders import (
    LineRequest,
    OrderError,
    cancel_order,
    place_order,
    update_order,
)
from tuan.models import Chain, ChainItem, Member, Order, OrderLine


@pytest.fixture
def shop(db: Database) -> dict[str, int]:
    with db.transaction() as s:
        chain = Chain(title="第1期", status="open", deadline=clock.now() + timedelta(days=2))
        s.add(chain)
        s.flush()
        assert chain.id is not None
        oil = ChainItem(
            chain_id=chain.id, name="冷榨橄榄油", price_cents=8900, stock=5, limit_per_person=2
        )
        rice = ChainItem(chain_id=chain.id, name="五常大米", price_cents=8900)
        wang = Member(nickname="王阿姨", initials="way")
        li = Member(nickname="小李", initials="xl")
        s.add_all([oil, rice, wang, li])
        s.flush()
        ids = {"chain": chain.id, "oil": oil.id, "rice": rice.id, "wang": wang.id, "li": li.id}
        return {name: row_id for name, row_id in ids.items() if row_id is not None}


def _lines(db: Database, order_id: int) -> list[tuple[int, int, int]]:
    with db.session() as s:
        rows = s.exec(select(OrderLine).where(OrderLine.order_id == order_id)).all()
        return sorted((r.item_id, r.qty, r.unit_price_cents) for r in rows)


def test_orders_get_consecutive_sequence_numbers(db: Database, shop: dict[str, int]) -> None:
    with db.transaction() as s:
        first = place_order(s, shop["chain"], shop["wang"], [LineRequest(shop["oil"], 1)])
        second = place_order(s, shop["chain"], shop["li"], [LineRequest(shop["rice"], 3)])
    assert (first.seq, second.seq) == (1, 2)
    assert _lines(db, second.id or 0) == [(shop["rice"], 3, 8900)]


def test_stock_is_never_oversold(db: Database, shop: dict[str, int]) -> None:
    with db.transaction() as s:
        place_order(s, shop["chain"], shop["wang"], [LineRequest(shop["oil"], 2)])
        place_order(s, shop["chain"], shop["li"], [LineRequest(shop["oil"], 2)])
    with db.transaction() as s:
        s.add(Member(id=99, nickname="张姐", initials="zj"))
    with pytest.raises(OrderError, match="库存不足：冷榨橄榄油 只剩 1 件"), db.transaction() as s:
        place_order(s, shop["chain"], 99, [LineRequest(shop["oil"], 2)])
    with db.session() as s:
        assert len(s.exec(select(Order)).all()) == 2, "the refused order left nothing behind"


def test_per_person_limit_counts_earlier_orders(db: Database, shop: dict[str, int]) -> None:
    with db.transaction() as s:
        place_order(s, shop["chain"], shop["wang"], [LineRequest(shop["oil"], 1)])
    with pytest.raises(OrderError, match="每人限 2 件，王阿姨 已有 1 件"), db.transaction() as s:
        place_order(s, shop["chain"], shop["wang"], [LineRequest(shop["oil"], 2)])


@pytest.mark.parametrize("qty", [0, -1])
def test_quantity_must_be_positive(db: Database, shop: dict[str, int], qty: int) -> None:
    with pytest.raises(OrderError, match="数量必须是"), db.transaction() as s:
        place_order(s, shop["chain"], shop["wang"], [LineRequest(shop["rice"], qty)])


def test_empty_order_is_refused(db: Database, shop: dict[str, int]) -> None:
    with pytest.raises(OrderError, match="没有商品"), db.transaction() as s:
        place_order(s, shop["chain"], shop["wang"], [])


def test_cancel_gives_stock_back_and_keeps_the_number(db: Database, shop: dict[str, int]) -> None:
    with db.transaction() as s:
        order = place_order(s, shop["chain"], shop["wang"], [LineRequest(shop["oil"], 2)])
        place_order(s, shop["chain"], shop["li"], [LineRequest(shop["oil"], 2)])
    with db.transaction() as s:
        cancel_order(s, order.id or 0)
    with db.transaction() as s:
        s.add(Member(id=99, nickname="张姐", initials="zj"))
        later = place_order(s, shop["chain"], 99, [LineRequest(shop["oil"], 2)])
    assert later.seq == 3, "a cancelled entry keeps its number; new ones do not reuse it"


def test_update_keeps_captured_prices_and_checks_limits(db: Database, shop: dict[str, int]) -> None:
    with db.transaction() as s:
        order = place_order(s, shop["chain"], shop["wang"], [LineRequest(shop["oil"], 1)])
    with db.transaction() as s:
        item = s.get(ChainItem, shop["oil"])
        assert item is not None
        item.price_cents = 9900  # the leader raises the price later
        s.add(item)
    with db.transaction() as s:
        update_order(s, order.id or 0, [LineRequest(shop["oil"], 2), LineRequest(shop["rice"], 1)])
    assert _lines(db, order.id or 0) == sorted(
        [(shop["oil"], 1, 8900), (shop["oil"], 1, 9900), (shop["rice"], 1, 8900)]
    )
    with pytest.raises(OrderError, match="超出限购"), db.transaction() as s:
        update_order(s, order.id or 0, [LineRequest(shop["oil"], 3)])


def test_a_finished_chain_takes_no_orders(db: Database, shop: dict[str, int]) -> None:
    with db.transaction() as s:
        chain = s.get(Chain, shop["chain"])
        assert chain is not None
        chain.status = "done"
        s.add(chain)
    with pytest.raises(OrderError, match="已经完成"), db.transaction() as s:
        place_order(s, shop["chain"], shop["wang"], [LineRequest(shop["rice"], 1)])
