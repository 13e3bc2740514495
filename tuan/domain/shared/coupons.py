"""What a redeemed coupon (券) does to an order, for every area: the one rule of what is owed.

An order owes its lines (quantity × unit price) less the coupon redeemed against it, never below
0 (`due_cents`). `shared.payments` settles `Order.paid` against that, so the 催款 message and the
bill matching ask for what the member really owes. Cancelling an order gives its coupon back
(`release_orders`), so the member can use it again while it lasts; so does editing it below the
coupon's minimum spend (`release_below_minimum`).

A coupon's state is read from the day, never stored: redeemed once it holds an order, expired
after its last day (`expires_on`), else usable — expiry needs no chore to run.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlmodel import Session, col, select

from tuan.domain.shared.money import format_money
from tuan.domain.shared.sql import id_chunks, int_sum
from tuan.domain.shared.states import CouponStatus
from tuan.domain.shared.timefmt import zh_date
from tuan.models import Coupon, OrderLine


def coupon_status(order_id: int | None, expires_on: date, today: date) -> CouponStatus:
    """Usable, redeemed or expired on `today` (the last day `expires_on` is still usable)."""
    if order_id is not None:
        return CouponStatus.REDEEMED
    return CouponStatus.EXPIRED if expires_on < today else CouponStatus.USABLE


def due_cents(lines_cents: int, coupon_cents: int) -> int:
    """What an order owes: its lines less its coupon, never below zero."""
    return max(lines_cents - coupon_cents, 0)


def order_coupons(session: Session, order_ids: Iterable[int]) -> dict[int, int]:
    """Order id → the amount of the coupon redeemed against it (orders without one left out)."""
    found: dict[int, int] = {}
    for chunk in id_chunks(order_ids):
        stmt = select(Coupon.order_id, Coupon.amount_cents).where(col(Coupon.order_id).in_(chunk))
        for order_id, cents in session.exec(stmt):
            if order_id is not None:
                found[order_id] = found.get(order_id, 0) + int(cents)
    return found


def release_orders(session: Session, order_ids: Iterable[int]) -> int:
    """Give back the coupons redeemed against these orders (they were cancelled); how many."""
    released = 0
    for chunk in id_chunks(order_ids):
        stmt = select(Coupon).where(col(Coupon.order_id).in_(chunk))
        for coupon in session.exec(stmt).all():
            coupon.order_id, coupon.redeemed_at = None, None
            session.add(coupon)
            released += 1
    if released:
        session.flush()
    return released


def lines_cents(session: Session, order_id: int) -> int:
    """What an order's lines come to before refunds and coupon: what a minimum spend is
    measured against."""
    stmt = select(int_sum(OrderLine.qty * OrderLine.unit_price_cents)).where(
        col(OrderLine.order_id) == order_id
    )
    return int(session.exec(stmt).one() or 0)


def release_below_minimum(session: Session, order_id: int) -> int:
    """Give back the order's coupon when its lines no longer reach the coupon's minimum spend
    (the order was edited down); how many were given back (0 or 1)."""
    coupon = session.exec(select(Coupon).where(col(Coupon.order_id) == order_id)).first()
    if coupon is None or coupon.min_spend_cents <= 0:
        return 0
    if lines_cents(session, order_id) >= coupon.min_spend_cents:
        return 0
    coupon.order_id, coupon.redeemed_at = None, None
    session.add(coupon)
    session.flush()
    return 1


def coupon_words(amount_cents: int, min_spend_cents: int) -> str:
    """`¥20 无门槛券` or `满¥99减¥20券`, in every language (text neighbours read)."""
    if min_spend_cents <= 0:
        return f"{format_money(amount_cents)} 无门槛券"  # i18n-keep: text neighbours read
    # i18n-keep: text neighbours read
    return f"满{format_money(min_spend_cents)}减{format_money(amount_cents)}券"


def coupon_offer(amount_cents: int, min_spend_cents: int, expires_on: date) -> str:
    """`¥20 无门槛券，12月31日前下单可用`: the coupon as a message to a neighbour names it."""
    words = coupon_words(amount_cents, min_spend_cents)
    return f"{words}，{zh_date(expires_on)}前下单可用"  # i18n-keep: text neighbours read
