"""The one price rule: what an item costs at a moment.

An item sells at its flash-sale (live-only) price while a flash sale for it is open and its cap is
not used up; otherwise at the chain price. A flash sale is open from its start (the moment the
leader started it, else the live's start plus `start_minute`) until its end (the moment it was
stopped, else start plus its planned length); start inclusive, end exclusive. When an order asks
for more than the cap has left, the rest is sold at the chain price.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from tuan.domain.shared.sql import int_sum
from tuan.domain.shared.states import LiveStatus, OrderStatus
from tuan.models import ChainItem, FlashSale, Livestream, Order, OrderLine


@dataclass(frozen=True)
class PricedQty:
    """Part of an order line: a quantity at one unit price."""

    qty: int
    unit_price_cents: int
    flash_sale_id: int | None = None


def flash_window(sale: FlashSale, live: Livestream) -> tuple[datetime | None, datetime | None]:
    """When a flash sale opens and closes (None: not started / no planned end)."""
    if sale.started_at is not None:
        start = sale.started_at
    elif live.started_at is not None:
        start = live.started_at + timedelta(minutes=sale.start_minute)
    else:
        return None, None
    if sale.stopped_at is not None:
        return start, sale.stopped_at
    if sale.end_minute is not None:
        return start, start + timedelta(minutes=max(sale.end_minute - sale.start_minute, 0))
    return start, live.ended_at


def is_open(sale: FlashSale, live: Livestream, moment: datetime) -> bool:
    """True while `moment` lies inside the sale's window."""
    start, end = flash_window(sale, live)
    if start is None or moment < start:
        return False
    return end is None or moment < end


def sold_at_flash(session: Session, flash_sale_id: int) -> int:
    """Units already sold at this flash sale's price (cancelled orders give theirs back)."""
    stmt = (
        select(func.coalesce(int_sum(OrderLine.qty), 0))
        .join(Order, col(Order.id) == col(OrderLine.order_id))
        .where(
            col(OrderLine.flash_sale_id) == flash_sale_id, col(Order.status) == OrderStatus.ACTIVE
        )
    )
    return int(session.exec(stmt).one())


def open_flash_sale(
    session: Session, item_id: int, moment: datetime
) -> tuple[FlashSale, Livestream] | None:
    """The flash sale open for `item_id` at `moment`, if any (only lives not ended)."""
    stmt = (
        select(FlashSale, Livestream)
        .join(Livestream, col(Livestream.id) == col(FlashSale.livestream_id))
        .where(col(FlashSale.item_id) == item_id, col(Livestream.status) == LiveStatus.LIVE)
    )
    for sale, live in session.exec(stmt):
        if is_open(sale, live, moment):
            return sale, live
    return None


def quote(session: Session, item: ChainItem, qty: int, moment: datetime) -> list[PricedQty]:
    """Price `qty` units of `item` at `moment`: flash price up to the cap, chain price after."""
    found = open_flash_sale(session, item.id or 0, moment)
    if found is None:
        return [PricedQty(qty, item.price_cents)]
    sale, _live = found
    left = qty if sale.cap is None else max(sale.cap - sold_at_flash(session, sale.id or 0), 0)
    at_flash = min(qty, left)
    parts = []
    if at_flash:
        parts.append(PricedQty(at_flash, sale.live_price_cents, sale.id))
    if qty - at_flash:
        parts.append(PricedQty(qty - at_flash, item.price_cents))
    return parts


def price_at(session: Session, item: ChainItem, moment: datetime) -> int:
    """The unit price of the next unit of `item` at `moment`."""
    return quote(session, item, 1, moment)[0].unit_price_cents


def gifts_given(session: Session, flash_sale_id: int) -> int:
    """How many orders got this flash sale's first-N gift."""
    stmt = (
        select(func.count(func.distinct(OrderLine.order_id)))
        .join(Order, col(Order.id) == col(OrderLine.order_id))
        .where(
            col(OrderLine.flash_sale_id) == flash_sale_id,
            col(OrderLine.gift) != "",
            col(Order.status) == OrderStatus.ACTIVE,
        )
    )
    return int(session.exec(stmt).one())
