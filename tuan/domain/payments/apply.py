"""Importing a bill, step three: record the planned payments, and the report of what it did.

Each matched row becomes one payment per order it pays (`shared.payments.record_payment`, which
settles each order's paid flag): the first holds the bill's 交易单号, the others point at it.
A 交易单号 recorded meanwhile (another window imported the same bill) is left alone, so
importing a bill twice changes nothing. The caller owns the transaction
(`Database.transaction()`): it commits all of it or nothing, and a dry run rolls it back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from tuan.domain.payments.match import Allocation, PayDraft, PayPlan, PlannedRow
from tuan.domain.shared.payments import known_trade_nos, record_payment
from tuan.domain.shared.states import PaymentSource
from tuan.models import Order


@dataclass(frozen=True)
class ApplyResult:
    """What applying did.

    Attributes:
        recorded: Rows recorded.
        recorded_cents: Their money.
        orders_paid: Orders that are now paid in full (they were not before).
        already: Rows left alone because their 交易单号 was recorded meanwhile.
    """

    recorded: int
    recorded_cents: int
    orders_paid: tuple[int, ...]
    already: int = 0


def apply_plan(session: Session, draft: PayDraft, plan: PayPlan) -> ApplyResult:
    """Record every row the plan applies (see the module's note on transactions)."""
    todo = [row for row in plan.rows if row.applies and row.allocations]
    known = known_trade_nos(session, [row.row.trade_no for row in todo])
    recorded = cents = already = 0
    touched: list[int] = []
    for planned in todo:
        if planned.row.trade_no in known:
            already += 1
            continue
        _record(session, draft, planned)
        known.add(planned.row.trade_no)
        recorded += 1
        cents += sum(a.cents for a in planned.allocations)
        touched += [a.order_id for a in planned.allocations]
    paid = (
        session.exec(
            select(Order.id).where(col(Order.id).in_(list(dict.fromkeys(touched))), col(Order.paid))
        ).all()
        if touched
        else []
    )
    return ApplyResult(recorded, cents, tuple(sorted(i for i in paid if i is not None)), already)


def _record(session: Session, draft: PayDraft, planned: PlannedRow) -> None:
    row = planned.row
    first = None
    for allocation in planned.allocations:
        payment = record_payment(
            session,
            allocation.order_id,
            allocation.cents,
            method=draft.bill.source,
            source=PaymentSource.BILL,
            paid_at=row.time,
            trade_no=row.trade_no if first is None else None,
            part_of=first,
            payer=row.payer,
            note=_note(row.goods, row.note, row.kind),
        )
        if first is None:
            first = payment.id


def _note(goods: str, note: str, kind: str) -> str:
    """What the payer wrote, as the bill keeps it (not the bill's own words for the kind)."""
    words = [w for w in (goods, note) if w and w != kind]
    return " ".join(dict.fromkeys(words))


def import_report(
    draft: PayDraft, plan: PayPlan, result: ApplyResult | None = None
) -> dict[str, Any]:
    """The JSON document of `tuan pay import --json` (its shape is documented in the README)."""
    bill = draft.bill
    summary: dict[str, Any] = plan.summary()
    if result is not None:
        summary["recorded"] = result.recorded
        summary["recorded_cents"] = result.recorded_cents
        summary["orders_paid"] = len(result.orders_paid)
    return {
        "bill": {
            "source": str(bill.source),
            "file": bill.name,
            "account": bill.account,
            "period": list(bill.period) if bill.period else None,
        },
        "rows": [_row(draft, planned) for planned in plan.rows],
        "summary": summary,
    }


def _row(draft: PayDraft, planned: PlannedRow) -> dict[str, Any]:
    row = planned.row
    return {
        "line": row.line,
        "time": row.time.isoformat() if row.time else None,
        "kind": row.kind,
        "payer": row.payer,
        "direction": row.direction,
        "amount_cents": row.amount_cents,
        "trade_no": row.trade_no,
        "status": str(planned.status),
        "applies": planned.applies,
        "orders": [_order(draft, a) for a in planned.allocations],
        "options": [
            {"orders": [_order(draft, a) for a in option.allocations], "why": option.why}
            for option in (planned.options if not planned.applies else ())
        ],
        "reasons": list(planned.reasons),
    }


def _order(draft: PayDraft, allocation: Allocation) -> dict[str, Any]:
    order = draft.orders.get(allocation.order_id)
    return {
        "order_id": allocation.order_id,
        "chain_id": order.chain_id if order else None,
        "chain": order.chain_title if order else None,
        "number": order.number if order else None,
        "member": order.nickname if order else None,
        "cents": allocation.cents,
    }
