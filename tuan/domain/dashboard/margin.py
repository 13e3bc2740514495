"""Gross profit and margin of some order lines (`Margin`), apart from the queries in `metrics`.

The dashboard draws its stored snapshot before the ORM is imported (`panels.numbers`), so what it
needs to show a margin lives here, free of SQLAlchemy; `metrics` defines and reads them.
"""

from __future__ import annotations

from dataclasses import dataclass

from tuan.domain.shared.rows import MonthStats


@dataclass(frozen=True)
class Margin:
    """Gross profit of some order lines, and how much of their GMV it could not cover.

    `covered_cents` is the GMV of the lines whose item has a cost price, `cost_cents` what those
    units cost, `covered_units` how many units they are.
    """

    gmv_cents: int = 0
    covered_cents: int = 0
    cost_cents: int = 0
    covered_units: int = 0

    def __add__(self, other: Margin) -> Margin:
        return Margin(
            self.gmv_cents + other.gmv_cents,
            self.covered_cents + other.covered_cents,
            self.cost_cents + other.cost_cents,
            self.covered_units + other.covered_units,
        )

    @property
    def profit_cents(self) -> int:
        """Gross profit (毛利) of the lines with a cost price (0 when none has one)."""
        return self.covered_cents - self.cost_cents

    @property
    def margin(self) -> float | None:
        """Gross profit ÷ the GMV of the lines with a cost price; None when that GMV is 0."""
        return self.profit_cents / self.covered_cents if self.covered_cents else None

    @property
    def uncovered_cents(self) -> int:
        """GMV of the lines whose item has no cost price (未填成本的成交额)."""
        return self.gmv_cents - self.covered_cents

    @property
    def uncovered_share(self) -> float:
        """GMV without cost ÷ GMV (0 when nothing sold)."""
        return self.uncovered_cents / self.gmv_cents if self.gmv_cents else 0.0

    @property
    def known(self) -> bool:
        """Some sold unit has a cost price, so there is a profit to show."""
        return self.covered_units > 0

    def as_dict(self) -> dict[str, object]:
        """The JSON keys every margin has (`tuan stats --json`, `tuan live summary --json`)."""
        return {
            "gross_profit_cents": self.profit_cents if self.known else None,
            "margin": None if self.margin is None else round(self.margin, 4),
            "gmv_without_cost_cents": self.uncovered_cents,
            "gmv_without_cost_share": round(self.uncovered_share, 4),
        }


def format_rate(rate: float | None) -> str:
    """`32%`, or `—` when there is no rate."""
    return "—" if rate is None else f"{rate:.0%}"


def month_margin(month: MonthStats) -> Margin:
    """A month's gross profit, margin and GMV without cost."""
    return Margin(month.gmv_cents, month.costed_gmv_cents, month.cost_cents, month.costed_units)
