"""The numbers that steer the business, each defined once.

- GMV of a month: the sum of active order lines (quantity × captured unit price) of orders
  placed in that month, in the leader's zone.
- Monthly repurchase rate (复购率): of the members who ordered in a month, the share who had
  ordered in an earlier month.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from tuan import clock
from tuan.models import AwareDateTime, Order, OrderLine


@dataclass(frozen=True)
class MonthStats:
    """One month's figures."""

    month: str  # YYYY-MM
    gmv_cents: int
    orders: int
    buyers: int
    returning_buyers: int

    @property
    def repurchase_rate(self) -> float:
        """Returning buyers / buyers (0 when nobody bought)."""
        return self.returning_buyers / self.buyers if self.buyers else 0.0


def _month_of(stored: str) -> str:
    moment = AwareDateTime().process_result_value(stored, None)
    assert moment is not None
    return clock.local(moment).strftime("%Y-%m")


def monthly_stats(
    session: Session, months: int = 12, today: date | None = None
) -> list[MonthStats]:
    """The last `months` calendar months up to today's, oldest first."""
    per_order = (
        select(
            Order.id,
            Order.member_id,
            Order.created_at,
            func.sum(OrderLine.qty * OrderLine.unit_price_cents),
        )
        .join(OrderLine, col(OrderLine.order_id) == col(Order.id))
        .where(col(Order.status) == "active")
        .group_by(Order.id)
    )
    first_month: dict[int, str] = {}
    gmv: dict[str, int] = {}
    orders: dict[str, int] = {}
    buyers: dict[str, set[int]] = {}
    raw = session.connection().execute(per_order)
    for _order_id, member_id, created, cents in raw:
        month = created.strftime("%Y-%m") if not isinstance(created, str) else _month_of(created)
        if month < first_month.get(member_id, "9999"):
            first_month[member_id] = month
        gmv[month] = gmv.get(month, 0) + (cents or 0)
        orders[month] = orders.get(month, 0) + 1
        buyers.setdefault(month, set()).add(member_id)
    result = []
    for month in _last_months(today or clock.today(), months):
        people = buyers.get(month, set())
        returning = sum(1 for m in people if first_month[m] < month)
        result.append(
            MonthStats(month, gmv.get(month, 0), orders.get(month, 0), len(people), returning)
        )
    return result


def _last_months(today: date, count: int) -> list[str]:
    year, month = today.year, today.month
    labels = []
    for _ in range(count):
        labels.append(f"{year:04d}-{month:02d}")
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return labels[::-1]
