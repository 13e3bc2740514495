"""A month of coupon figures as the dashboard keeps it (no ORM: the stored snapshot holds it and
is shown before SQLAlchemy loads). The figures are defined in `dashboard.coupons`."""

from __future__ import annotations

from dataclasses import dataclass


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
