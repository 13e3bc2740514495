"""The payments recorded: the list (newest first, optionally of one chain) and taking one back.

A transfer that paid several orders (a household's) is one row per order; the rows after the
first point at it (`part_of`) and show its 交易单号. Deleting any of them deletes the whole
transfer, and every order it paid is settled again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from tuan.domain.shared.errors import DomainError
from tuan.domain.shared.groups import order_number
from tuan.domain.shared.payments import settle_paid
from tuan.domain.shared.sql import select_columns
from tuan.domain.shared.states import PaymentMethod, PaymentSource
from tuan.i18n import N_, _
from tuan.models import Chain, Member, Order, Payment

METHOD_LABELS = {
    PaymentMethod.WECHAT: N_("微信"),
    PaymentMethod.ALIPAY: N_("支付宝"),
    PaymentMethod.CASH: N_("现金"),
    PaymentMethod.OTHER: N_("其他"),
}


def method_text(method: str, source: str) -> str:
    """How it was paid, in words: `微信`, `支付宝`, `现金`, `其他`, or `手动标记` for a payment the
    leader marked by hand without saying how."""
    if source == PaymentSource.MANUAL and method == PaymentMethod.OTHER:
        return _("手动标记")
    label = METHOD_LABELS.get(PaymentMethod(method)) if method in set(PaymentMethod) else None
    return _(label) if label else method


class PaymentNotFound(DomainError, LookupError):
    """No payment has this id."""

    code = "payment.not_found"
    field = "payment"


@dataclass(frozen=True)
class PaymentLine:
    """One payment as the list shows it."""

    id: int
    paid_at: datetime
    method: str
    source: str
    amount_cents: int
    payer: str
    trade_no: str
    part_of: int | None
    note: str
    order_id: int
    chain_id: int
    chain_title: str
    number: str
    nickname: str

    def as_dict(self) -> dict[str, object]:
        """The JSON object of `tuan pay list --json` (documented in the README)."""
        return {
            "id": self.id,
            "paid_at": self.paid_at.isoformat(),
            "method": self.method,
            "source": self.source,
            "amount_cents": self.amount_cents,
            "payer": self.payer,
            "trade_no": self.trade_no or None,
            "part_of": self.part_of,
            "note": self.note,
            "order": {
                "id": self.order_id,
                "chain_id": self.chain_id,
                "chain": self.chain_title,
                "number": self.number,
                "member": self.nickname,
            },
        }


def list_payments(session: Session, chain_id: int | None = None) -> list[PaymentLine]:
    """Every payment (of one chain's orders), newest first."""
    parent = aliased(Payment)
    stmt = (
        select_columns(
            Payment.id, Payment.paid_at, Payment.method, Payment.source, Payment.amount_cents,
            Payment.payer, Payment.trade_no, parent.trade_no, Payment.part_of, Payment.note,
            Order.id, Order.chain_id, Chain.title, Order.seq, Order.group_name, Order.group_seq,
            Member.nickname,
        )
        .join(Order, col(Order.id) == col(Payment.order_id))
        .join(Chain, col(Chain.id) == col(Order.chain_id))
        .join(Member, col(Member.id) == col(Order.member_id))
        .outerjoin(parent, col(parent.id) == col(Payment.part_of))
        .order_by(col(Payment.paid_at).desc(), col(Payment.id).desc())
    )  # fmt: skip
    if chain_id is not None:
        stmt = stmt.where(col(Order.chain_id) == chain_id)
    return [
        PaymentLine(
            pid, paid_at, method, source, cents, payer, own or shared or "", part_of, note,
            order_id, chain, title, order_number(group, group_seq, seq), nickname,
        )
        for (pid, paid_at, method, source, cents, payer, own, shared, part_of, note, order_id,
             chain, title, seq, group, group_seq, nickname) in session.exec(stmt)
    ]  # fmt: skip


def delete_payment(session: Session, payment_id: int) -> list[int]:
    """Take back a payment: the whole transfer it belongs to. Returns the orders it paid (each
    settled again: paid only if other payments still cover it).

    Raises:
        PaymentNotFound: no payment has this id.
    """
    payment = session.get(Payment, payment_id)
    if payment is None:
        raise PaymentNotFound(N_("找不到付款 {id}，用 `tuan pay list` 查看编号"), id=payment_id)
    head = session.get(Payment, payment.part_of) if payment.part_of else payment
    head = head or payment
    shares = session.exec(select(Payment).where(col(Payment.part_of) == head.id)).all()
    order_ids = [head.order_id, *(share.order_id for share in shares)]
    for share in shares:
        session.delete(share)
    session.flush()  # the shares first: the database would take them with the head anyway
    session.delete(head)
    session.flush()
    settle_paid(session, order_ids)
    return list(dict.fromkeys(order_ids))
