"""The cohort table: members grouped by the month of their first order, and how many of each
group still order 1, 2, 3 and 6 months later (see `GROWTH_DEFINITIONS["cohorts"]`)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from tuan.domain.dashboard.metrics import OrderFact

#: Months after the first-order month the table follows.
OFFSETS = (1, 2, 3, 6)


def add_months(month: str, k: int) -> str:
    """`2026-11` moved `k` calendar months on (`add_months("2026-11", 2) == "2027-01"`)."""
    index = int(month[:4]) * 12 + int(month[5:]) - 1 + k
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@dataclass(frozen=True)
class Cohort:
    """The members whose first order was in `month`.

    Attributes:
        month: The first-order month (`YYYY-MM`).
        size: How many members it holds.
        retained: Per offset k, how many of them ordered in the calendar month k months after;
            None when that month has not begun yet.
    """

    month: str
    size: int
    retained: dict[int, int | None] = field(default_factory=dict)

    def share(self, k: int) -> float | None:
        """Retained ÷ size after k months; None when that month has not begun."""
        kept = self.retained.get(k)
        return None if kept is None or not self.size else kept / self.size


def compute_cohorts(
    orders: list[OrderFact], labels: list[str], current: str, offsets: tuple[int, ...] = OFFSETS
) -> list[Cohort]:
    """The cohorts of the months in `labels` (oldest first) as of the month `current`.

    A month that has begun but not ended (the current one) counts the orders so far.
    """
    first: dict[int, str] = {}
    active: dict[str, set[int]] = defaultdict(set)
    for fact in orders:
        if fact.member_id not in first or fact.month < first[fact.member_id]:
            first[fact.member_id] = fact.month
        active[fact.month].add(fact.member_id)
    members: dict[str, list[int]] = defaultdict(list)
    for member, month in first.items():
        members[month].append(member)
    cohorts = []
    for label in labels:
        group = members.get(label, [])
        retained: dict[int, int | None] = {}
        for k in offsets:
            later = add_months(label, k)
            buyers = active.get(later, set())
            retained[k] = None if later > current else sum(1 for m in group if m in buyers)
        cohorts.append(Cohort(label, len(group), retained))
    return cohorts
