"""A month of coupon figures as the dashboard keeps it (no ORM: the stored snapshot holds it and
is shown before SQLAlchemy loads). The figures are defined in `dashboard.coupons`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class CouponMonth:
    """One month of coupons (see the module for each figure)."""

    month: str  # YYYY-MM
    issued: int = 0
    issued_cents: int = 0
    redeemed: int = 0
    cost_cents: int = 0
    expired: int = 0
    expired_cents: int = 0
    issued_redeemed: int = 0  # of those issued in the month, how many are used by now

    @property
    def redemption_rate(self) -> float:
        """核销率: used so far ÷ issued in the month (0 when none was issued)."""
        return self.issued_redeemed / self.issued if self.issued else 0.0

    def as_dict(self) -> dict[str, object]:
        """The month in `tuan stats --json` (`coupons.months`)."""
        return {
            "month": self.month,
            "issued": self.issued,
            "issued_cents": self.issued_cents,
            "redeemed": self.redeemed,
            "cost_cents": self.cost_cents,
            "expired": self.expired,
            "expired_cents": self.expired_cents,
            "redemption_rate": round(self.redemption_rate, 4),
        }


@dataclass(frozen=True)
class CouponFact:
    """One coupon as the figures see it; `cost` is what it took off its order (0 unused)."""

    amount: int
    issued_on: date
    expires_on: date
    redeemed_on: date | None
    cost: int
    source: str  # the holder's MemberSource
    origin: str  # CouponOrigin
    rule_key: str | None


def month_of(day: date) -> str:
    return day.isoformat()[:7]


def fold_months(facts: Iterable[CouponFact], months: list[str], today: date) -> list[CouponMonth]:
    """The coupon figures of these months (`YYYY-MM`), in the order given, as of `today`."""
    found: dict[str, defaultdict[str, int]] = {m: defaultdict(int) for m in months}
    for row in facts:
        issued = found.get(month_of(row.issued_on))
        if issued is not None:
            issued["issued"] += 1
            issued["issued_cents"] += row.amount
            issued["issued_redeemed"] += row.redeemed_on is not None
        if row.redeemed_on is not None:
            used = found.get(month_of(row.redeemed_on))
            if used is not None:
                used["redeemed"] += 1
                used["cost_cents"] += row.cost
        elif row.expires_on < today:
            lapsed = found.get(month_of(row.expires_on))
            if lapsed is not None:
                lapsed["expired"] += 1
                lapsed["expired_cents"] += row.amount
    return [CouponMonth(m, **found[m]) for m in months]
