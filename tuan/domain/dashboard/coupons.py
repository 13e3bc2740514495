"""What the coupons (券) of a month did, each figure defined once, here.

Definitions (the dashboard's help, `tuan stats --json` and the report quote `DEFINITIONS`):

- Issued (发出): coupons whose issue day falls in the month; with their face value.
- Redeemed (使用): coupons used on an order in the month (the local day of `redeemed_at`). A
  cancelled order gives its coupon back, so only coupons on active orders count.
- Cost (券成本): what the coupons redeemed in the month took off their orders: each coupon's
  amount, but never more than its order's lines (an order never owes less than 0).
- Expired (过期): coupons not used whose last day fell in the month and has passed.
- Redemption rate (核销率): of the coupons issued in the month, the share used so far.

`coupon_cost` gives the cost per month and per source of the member (partner, referral, live,
offline), for an acquisition cost that counts what coupons gave away.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from tuan import clock
from tuan.domain.dashboard.coupon_rows import CouponFact as CouponFact
from tuan.domain.dashboard.coupon_rows import CouponMonth, fold_months, month_of
from tuan.domain.shared.sql import int_sum
from tuan.i18n import N_, _
from tuan.models import Coupon, Member, OrderLine

DEFINITIONS = {
    "coupon_issued": N_("发券：当月发出的券（按发券日）的张数和面额。"),
    "coupon_redeemed": N_("用券：当月用在订单上的券（按使用时间）；订单取消后券退回，不算。"),
    "coupon_cost": N_("券成本：当月用掉的券实际抵扣的金额（每张不超过所抵订单的金额）。"),
    "coupon_expired": N_("过期：没有用、最后可用日在当月且已经过去的券。"),
    "coupon_rate": N_("核销率：当月发出的券中，到现在已经用掉的比例。"),
}


def coupon_facts(session: Session) -> list[CouponFact]:
    """Every coupon with its cost (the one rule: its amount, never more than its order's lines)."""
    lines = (
        select(OrderLine.order_id, int_sum(OrderLine.qty * OrderLine.unit_price_cents))
        .join(Coupon, col(Coupon.order_id) == col(OrderLine.order_id))
        .group_by(col(OrderLine.order_id))
    )
    totals = {order_id: int(cents or 0) for order_id, cents in session.exec(lines)}
    stmt = select(Coupon, Member.source).join(Member, col(Member.id) == col(Coupon.member_id))
    rows = []
    for coupon, source in session.exec(stmt):
        redeemed = None
        cost = 0
        if coupon.order_id is not None and coupon.redeemed_at is not None:
            redeemed = clock.local(coupon.redeemed_at).date()
            cost = min(coupon.amount_cents, totals.get(coupon.order_id, 0))
        rows.append(
            CouponFact(coupon.amount_cents, coupon.issued_on, coupon.expires_on, redeemed, cost,
                       source, coupon.origin, coupon.rule_key)
        )  # fmt: skip
    return rows


def coupon_months(
    session: Session, months: list[str], today: date | None = None
) -> list[CouponMonth]:
    """The coupon figures of these months (`YYYY-MM`), in the order given, as of `today`."""
    return fold_months(coupon_facts(session), months, today or clock.today())


def coupon_lapsing(session: Session, today: date) -> dict[str, list[int]]:
    """Coupons not used whose last day is `today` or later in this month: [count, face value]
    by that day (ISO), so the dashboard counts them expired once the day has passed."""
    found: dict[str, list[int]] = {}
    for row in coupon_facts(session):
        if (
            row.redeemed_on is None
            and row.expires_on >= today
            and month_of(row.expires_on) == month_of(today)
        ):
            pair = found.setdefault(row.expires_on.isoformat(), [0, 0])
            pair[0] += 1
            pair[1] += row.amount
    return found


@dataclass(frozen=True)
class CouponCost:
    """What redeemed coupons cost in a month, for members of one source."""

    month: str
    source: str  # partner | referral | live | offline (`MemberSource`)
    coupons: int
    cost_cents: int


def coupon_cost(session: Session, months: list[str] | None = None) -> list[CouponCost]:
    """The cost of coupons redeemed per month and per member source (all months when None),
    by month then source: what an acquisition cost per source adds for coupons given away."""
    wanted = set(months) if months is not None else None
    totals: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for row in coupon_facts(session):
        if row.redeemed_on is None:
            continue
        month = month_of(row.redeemed_on)
        if wanted is not None and month not in wanted:
            continue
        total = totals[(month, row.source)]
        total[0] += 1
        total[1] += row.cost
    return [CouponCost(m, s, n, c) for (m, s), (n, c) in sorted(totals.items())]


def coupons_as_dict(months: list[CouponMonth]) -> dict[str, object]:
    """The `coupons` object of `tuan stats --json`: the last month's figures, every month's,
    and the definitions."""
    last = months[-1].as_dict() if months else {}
    return {
        **last,
        "months": [m.as_dict() for m in months],
        "definitions": {key: _(text) for key, text in DEFINITIONS.items()},
    }
