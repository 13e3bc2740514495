"""Who has paid: the payments an order received, and the one rule that makes `Order.paid`.

An order is paid when the payments recorded for it cover its amount (its lines' quantity × unit
price, less what was refunded on it and a redeemed coupon, never below 0: a refunded order is
not chased for money it no longer owes; `shared.coupons`). `settle_paid` is the one place that
writes `Order.paid`; everything that changes an order's payments or its lines calls it (placing
and changing orders, the chain import, setting the price of an item imported without one, marking
by hand on the pickup list, importing a bill, redeeming or giving back a coupon). A free order
(amount 0) owes nothing: it is paid. An order holding an item whose price is not known yet is not
paid: what it costs is not known.

Marking by hand (`mark_paid`) records a payment of what is still owed (source `manual`), and
taking the mark back removes the payments marked by hand; payments from an imported bill stay.
Every change says what it added and removed, so it can be undone (`undo_paid`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from tuan import clock
from tuan.domain.shared.coupons import due_cents, order_coupons
from tuan.domain.shared.errors import DomainError
from tuan.domain.shared.sql import CHUNK, id_chunks, int_sum
from tuan.domain.shared.states import PaymentMethod, PaymentSource
from tuan.i18n import N_
from tuan.models import ChainItem, Order, OrderLine, Payment, Refund


class PaymentError(DomainError, ValueError):
    """A payment was refused (no such order, an amount that is not positive, a bill payment
    that a mark by hand cannot take back)."""

    code = "payment.refused"
    field = "amount"


@dataclass(frozen=True)
class PaymentCopy:
    """A payment's values, to put it back when a change is undone."""

    order_id: int
    amount_cents: int
    method: str
    source: str
    paid_at: datetime
    trade_no: str | None
    part_of: int | None
    payer: str
    note: str
    created_at: datetime

    @classmethod
    def of(cls, payment: Payment) -> PaymentCopy:
        """The values of a stored payment."""
        return cls(
            payment.order_id, payment.amount_cents, payment.method, payment.source,
            payment.paid_at, payment.trade_no, payment.part_of, payment.payer, payment.note,
            payment.created_at,
        )  # fmt: skip


@dataclass(frozen=True)
class PaidChange:
    """One order's paid flag before and after a mark, and the payments the mark added/removed
    or lowered (payment id, cents taken off: `give_back_overpaid`)."""

    order_id: int
    before: bool
    after: bool
    added: tuple[int, ...] = ()
    removed: tuple[PaymentCopy, ...] = ()
    lowered: tuple[tuple[int, int], ...] = ()


def order_amounts(session: Session, order_ids: Iterable[int]) -> dict[int, int]:
    """Order id → what it owes (cents): the sum of its lines' quantity × unit price, less its
    refunds and the coupon redeemed against it, never below 0 (`coupons.due_cents`)."""
    found: dict[int, int] = {}
    for chunk in id_chunks(order_ids):
        found.update({order_id: 0 for order_id in chunk})
        stmt = (
            select(OrderLine.order_id, int_sum(OrderLine.qty * OrderLine.unit_price_cents))
            .where(col(OrderLine.order_id).in_(chunk))
            .group_by(col(OrderLine.order_id))
        )
        found.update({order_id: int(cents or 0) for order_id, cents in session.exec(stmt)})
    for order_id, cents in refunded_cents(session, found).items():
        found[order_id] = max(found[order_id] - cents, 0)
    for order_id, coupon in order_coupons(session, found).items():
        found[order_id] = due_cents(found[order_id], coupon)
    return found


def refunded_cents(session: Session, order_ids: Iterable[int]) -> dict[int, int]:
    """Order id → cents refunded on it (`shared.refunds`); orders without refunds are absent."""
    found: dict[int, int] = {}
    for chunk in id_chunks(order_ids):
        stmt = (
            select(Refund.order_id, int_sum(Refund.amount_cents))
            .where(col(Refund.order_id).in_(chunk))
            .group_by(col(Refund.order_id))
        )
        found.update({order_id: int(cents or 0) for order_id, cents in session.exec(stmt)})
    return found


def received_cents(session: Session, order_ids: Iterable[int]) -> dict[int, int]:
    """Order id → what its payments add up to (0 when it has none)."""
    found: dict[int, int] = {}
    for chunk in id_chunks(order_ids):
        found.update({order_id: 0 for order_id in chunk})
        stmt = (
            select(Payment.order_id, int_sum(Payment.amount_cents))
            .where(col(Payment.order_id).in_(chunk))
            .group_by(col(Payment.order_id))
        )
        found.update({order_id: int(cents or 0) for order_id, cents in session.exec(stmt)})
    return found


def unpriced_orders(session: Session, order_ids: Iterable[int]) -> set[int]:
    """The orders holding a line whose price is not known yet (an item imported without a
    price: its lines hold 0 cents until the leader sets it; a flash-sale line has its own)."""
    found: set[int] = set()
    for chunk in id_chunks(order_ids):
        stmt = (
            select(OrderLine.order_id)
            .join(ChainItem, col(ChainItem.id) == col(OrderLine.item_id))
            .where(
                col(OrderLine.order_id).in_(chunk),
                col(ChainItem.price_known).is_(False),
                col(OrderLine.flash_sale_id).is_(None),
            )
            .distinct()
        )
        found.update(session.exec(stmt))
    return found


def is_paid(amount_cents: int, received: int, *, unpriced: bool = False) -> bool:
    """The rule: paid once the payments cover the amount (never while a price is unknown)."""
    return not unpriced and received >= amount_cents


def settle_paid(session: Session, order_ids: Iterable[int]) -> list[int]:
    """Make `Order.paid` say whether each order's payments cover its amount.

    The one place `Order.paid` is written. Not committed: the caller's transaction decides.

    Returns:
        The orders whose flag changed.
    """
    ids = list(dict.fromkeys(order_ids))
    if not ids:
        return []
    session.flush()
    amounts = order_amounts(session, ids)
    received = received_cents(session, ids)
    unpriced = unpriced_orders(session, ids)
    flips: dict[bool, list[int]] = {True: [], False: []}
    for chunk in id_chunks(ids):
        # Two columns, not 1,000 ORM objects: most orders of an import keep their flag.
        stmt = select(Order.id, Order.paid).where(col(Order.id).in_(chunk))
        for order_id, stored in session.exec(stmt):
            oid = order_id or 0
            paid = is_paid(amounts.get(oid, 0), received.get(oid, 0), unpriced=oid in unpriced)
            if bool(stored) != paid:
                flips[paid].append(oid)
    now = clock.now()
    for paid, flipped in flips.items():
        for chunk in id_chunks(flipped):
            # The ORM-enabled UPDATE also refreshes orders already loaded in this session.
            session.execute(
                update(Order).where(col(Order.id).in_(chunk)).values(paid=paid, updated_at=now)
            )
    changed = set(flips[True] + flips[False])
    return [order_id for order_id in ids if order_id in changed]


def record_payment(
    session: Session,
    order_id: int,
    amount_cents: int,
    *,
    method: str = PaymentMethod.WECHAT,
    source: str = PaymentSource.MANUAL,
    paid_at: datetime | None = None,
    trade_no: str | None = None,
    part_of: int | None = None,
    payer: str = "",
    note: str = "",
) -> Payment:
    """Record money received for an order and settle its paid flag; returns the payment.

    Raises:
        PaymentError: no such order, or an amount that is not positive.
    """
    if session.get(Order, order_id) is None:
        raise PaymentError(N_("找不到订单 {id}"), "order", code="payment.order", id=order_id)
    if amount_cents <= 0:
        raise PaymentError(N_("付款金额必须大于 0"), code="payment.amount")
    payment = Payment(
        order_id=order_id,
        amount_cents=amount_cents,
        method=PaymentMethod(method),
        source=PaymentSource(source),
        paid_at=paid_at or clock.now(),
        trade_no=trade_no or None,
        part_of=part_of,
        payer=payer,
        note=note,
    )
    session.add(payment)
    session.flush()
    settle_paid(session, [order_id])
    return payment


def known_trade_nos(session: Session, trade_nos: Iterable[str]) -> set[str]:
    """Which of these 交易单号 are already recorded (a bill imported before)."""
    found: set[str] = set()
    wanted = [t for t in dict.fromkeys(trade_nos) if t]
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        stmt = select(Payment.trade_no).where(col(Payment.trade_no).in_(chunk))
        found.update(t for t in session.exec(stmt) if t)
    return found


def mark_paid(
    session: Session,
    order_ids: Iterable[int],
    paid: bool,
    *,
    method: str = PaymentMethod.OTHER,
) -> list[PaidChange]:
    """The leader says these orders are paid (or not, after all).

    Paid: a payment of what each order still owes, marked by hand. Not paid: the payments
    marked by hand are removed; an order whose payments from an imported bill still cover it
    stays paid (PaymentError when that is the only order asked about).
    """
    ids = list(dict.fromkeys(order_ids))
    orders = {o.id: o for o in session.exec(select(Order).where(col(Order.id).in_(ids)))}
    amounts = order_amounts(session, ids)
    received = received_cents(session, ids)
    changes = []
    for order_id in ids:
        order = orders.get(order_id)
        if order is None or bool(order.paid) == paid:
            continue
        before = bool(order.paid)
        if paid and order_id in unpriced_orders(session, [order_id]):
            if len(ids) == 1:
                raise PaymentError(
                    N_("这一单有价格待定的商品：先在接龙里填好价格，再记付款"),
                    code="payment.unpriced",
                )
            continue
        if paid:
            owed = amounts.get(order_id, 0) - received.get(order_id, 0)
            added: tuple[int, ...] = ()
            if owed > 0:
                payment = record_payment(
                    session, order_id, owed, method=method, source=PaymentSource.MANUAL
                )
                added = (payment.id or 0,)
            settle_paid(session, [order_id])
            changes.append(PaidChange(order_id, before, bool(order.paid), added=added))
            continue
        manual = session.exec(
            select(Payment).where(
                col(Payment.order_id) == order_id, col(Payment.source) == PaymentSource.MANUAL
            )
        ).all()
        removed = tuple(PaymentCopy.of(p) for p in manual)
        for payment in manual:
            session.delete(payment)
        session.flush()
        settle_paid(session, [order_id])
        if order.paid and len(ids) == 1:
            raise PaymentError(
                N_(
                    "这一单的付款来自导入的账单，要改成未付，请先删除那笔付款（tuan pay list 查看）"
                ),
                code="payment.from_bill",
            )
        if removed or bool(order.paid) != before:
            changes.append(PaidChange(order_id, before, bool(order.paid), removed=removed))
    return changes


def undo_paid(session: Session, change: PaidChange) -> bool:
    """Take one mark back where the order still is as the mark left it; False when it is not."""
    order = session.get(Order, change.order_id)
    if order is None or bool(order.paid) != change.after:
        return False
    for payment_id in change.added:
        payment = session.get(Payment, payment_id)
        if payment is not None:
            session.delete(payment)
    for copy in change.removed:
        session.add(Payment(**copy.__dict__))
    for payment_id, cents in change.lowered:
        payment = session.get(Payment, payment_id)
        if payment is not None:
            payment.amount_cents += cents
            session.add(payment)
    session.flush()
    settle_paid(session, [change.order_id])
    return True


def overpaid_cents(received: int, refunded: int, due: int) -> int:
    """What came in beyond what is due. Money refunded went back to her already: it is not
    counted again (a refund lowers what is due and what was kept alike)."""
    return max(received - refunded - due, 0)


def give_back_overpaid(session: Session, order_id: int) -> PaidChange | None:
    """The leader gave back what an order was paid beyond its due (a 拼团 formed after she
    paid the normal price, a coupon redeemed after she paid): its payments are lowered by as
    much, those marked by hand first, the newest first. None when nothing was overpaid.

    A payment is lowered, never deleted: one transfer that paid a household's orders is one row
    per order, the others pointing at the first (`Payment.part_of`), and goes with it.

    Raises:
        PaymentError: no such order.
    """
    order = session.get(Order, order_id)
    if order is None:
        raise PaymentError(N_("找不到订单 {id}"), "order", code="payment.order", id=order_id)
    extra = overpaid_cents(
        received_cents(session, [order_id])[order_id],
        refunded_cents(session, [order_id]).get(order_id, 0),
        order_amounts(session, [order_id])[order_id],
    )
    if extra == 0:
        return None
    before = bool(order.paid)
    payments = session.exec(select(Payment).where(col(Payment.order_id) == order_id)).all()
    lowered = []
    for payment in sorted(payments, key=lambda p: (p.source != PaymentSource.MANUAL, -(p.id or 0))):
        cut = min(extra, payment.amount_cents - 1)  # a payment keeps at least a cent (> 0)
        if cut <= 0:
            continue
        payment.amount_cents -= cut
        session.add(payment)
        lowered.append((payment.id or 0, cut))
        extra -= cut
        if extra == 0:
            break
    session.flush()
    settle_paid(session, [order_id])
    return PaidChange(order_id, before, bool(order.paid), lowered=tuple(lowered))
