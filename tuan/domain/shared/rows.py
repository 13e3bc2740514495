"""Plain rows shared by the lists, the dashboard and its stored snapshot.

They live apart from the queries that fill them so the dashboard can show a stored snapshot
without importing the ORM (see `dashboard_snapshot`); `metrics` defines what each number means.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

DORMANT_DAYS = 60  # see metrics.DEFINITIONS['dormant']


@dataclass(frozen=True)
class ChainRow:
    """One line of the chains list."""

    id: int
    title: str
    status: str
    deadline: datetime | None
    entries: int
    sold: int
    stock: int | None  # None: at least one item is unlimited
    gmv_cents: int
    unpriced: int = 0  # order lines at a price not known yet (left out of gmv_cents)


@dataclass(frozen=True)
class LiveRow:
    """One line of the livestreams list."""

    id: int
    series: str
    episode: int
    theme: str
    host: str
    scheduled_at: datetime | None
    status: str
    chain_id: int | None
    summary: dict[str, float | int]
    chain_title: str = ""


@dataclass
class MonthStats:
    """One calendar month's figures."""

    month: str  # YYYY-MM
    gmv_cents: int = 0
    orders: int = 0
    buyers: int = 0
    returning_buyers: int = 0
    avg_ltv_cents: int = 0
    top_ltv_cents: int = 0
    new_members: int = 0
    referral_new: int = 0
    koc_new: int = 0
    partner_new: dict[str, int] = field(default_factory=dict)
    dormant: int = 0
    # Of `gmv_cents`, what the lines whose item has a cost price sold for, what those units cost,
    # and how many they are (gross profit and margin: `margin.month_margin`).
    costed_gmv_cents: int = 0
    cost_cents: int = 0
    costed_units: int = 0
    refunds_cents: int = 0  # money refunded on the month's orders (already off `gmv_cents`)

    @property
    def repurchase_rate(self) -> float:
        """Returning buyers ÷ buyers (0 when nobody bought)."""
        return self.returning_buyers / self.buyers if self.buyers else 0.0

    @property
    def referral_share(self) -> float:
        """New members brought by referral ÷ new members."""
        return self.referral_new / self.new_members if self.new_members else 0.0

    @property
    def koc_share(self) -> float:
        """New members brought by a KOC ÷ new members."""
        return self.koc_new / self.new_members if self.new_members else 0.0

    @property
    def partner_share(self) -> float:
        """New members from partner posters ÷ new members."""
        total = sum(self.partner_new.values())
        return total / self.new_members if self.new_members else 0.0


@dataclass(frozen=True)
class LiveConversion:
    """One ended livestream's conversion."""

    id: int
    label: str
    peak_viewers: int
    buyers: int
    gmv_cents: int

    @property
    def conversion(self) -> float:
        """Buyers ÷ peak viewers."""
        return self.buyers / self.peak_viewers if self.peak_viewers else 0.0
