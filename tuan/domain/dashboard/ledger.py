"""Each member's running figures, and the months folded from them (`advance`).

The definitions are `metrics.compute_months`'; folding every order into an empty ledger is a
full computation, and folding the orders since a stored ledger gives the same figures (tests
compare the two on the demo data and after random edits). `closed` stores and checks ledgers.
No ORM here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from tuan.domain.dashboard.order_rows import OrderFact, month_end, month_labels, next_month
from tuan.domain.shared.rows import DORMANT_DAYS, MonthStats

# The order of a month's figures in a stored ledger.
FIGURES = (
    "gmv_cents", "orders", "buyers", "returning_buyers", "avg_ltv_cents", "top_ltv_cents",
    "dormant", "refunds_cents", "costed_gmv_cents", "cost_cents", "costed_units",
)  # fmt: skip
# The sums of a month not finished yet (a ledger taken within it).
PARTIAL = ("gmv_cents", "orders", "refunds_cents", "costed_gmv_cents", "cost_cents",
           "costed_units")  # fmt: skip


@dataclass
class Ledger:
    """Each member's running figures from the orders before a moment: the start of month
    `cutoff`, or (with `partial`) a moment within it, whose sums so far it also holds."""

    cutoff: str = ""  # '' for an empty ledger: every month is still to come
    first: dict[int, str] = field(default_factory=dict)  # first month with an order
    last: dict[int, str] = field(default_factory=dict)  # local day (ISO) of the latest order
    spend: dict[int, int] = field(default_factory=dict)  # net of refunds, to date
    total: int = 0
    top: int = 0
    months: dict[str, list[int]] = field(default_factory=dict)  # closed months: `FIGURES`
    partial: list[int] = field(default_factory=list)  # month `cutoff` so far: `PARTIAL`
    buyers: set[int] = field(default_factory=set)  # month `cutoff`'s buyers so far

    def copy(self) -> Ledger:
        months = {k: list(v) for k, v in self.months.items()}
        first, last, spend = dict(self.first), dict(self.last), dict(self.spend)
        return Ledger(self.cutoff, first, last, spend, self.total, self.top, months,
                      list(self.partial), set(self.buyers))  # fmt: skip


@dataclass
class Reading:
    """The months folded, and the ledgers taken on the way (to store)."""

    months: dict[str, MonthStats]
    last_order_days: dict[str, int]  # members by the day of their latest order (ISO)
    latest_order_day: str
    closed: Ledger | None = None  # at the start of the current month
    back: Ledger | None = None  # at the start of the last month
    open: Ledger | None = None  # after every order folded, the current month left open


def advance(
    ledger: Ledger,
    facts: list[OrderFact],
    margins: dict[str, list[int]],
    today: date,
    *,
    keep: bool = True,
    open_end: bool = False,
) -> Reading:
    """Fold `facts` (the active orders from the ledger's moment on, oldest first) and the
    months' margin sums (`order_rows.order_facts`' over the same orders) into the ledger, which is
    used up.

    `keep`: take copies of the ledger at the start of this month and the last (to store);
    copying 50,000 members' figures costs the quick reading ~20 ms on the xl demo.
    `open_end`: stop with the current month open (`Reading.open`): the facts are those before
    a moment, and more follow (`Reading.months` then holds the months closed on the way).
    """
    current = f"{today:%Y-%m}"
    previous = month_labels(today, 2)[0]
    run = ledger
    start = min(run.cutoff or (facts[0].month if facts else current), current)
    found = Reading({}, {}, "")
    last_days = Counter(run.last.values())
    texts: dict[date, str] = {}  # each day's ISO text, made once
    index = 0
    label = start
    while label <= current:
        at_start = not (label == run.cutoff and run.partial)
        if keep and at_start and label in (current, previous):
            taken = run.copy()
            taken.cutoff = label
            if label == current:
                found.closed = taken
            else:
                found.back = taken
        row = MonthStats(label)
        buyers: set[int] = set()
        if label == run.cutoff and run.partial:
            for name, value in zip(PARTIAL, run.partial, strict=True):
                setattr(row, name, value)
            buyers = set(run.buyers)
        _gmv, costed, cost, units = margins.get(label, (0, 0, 0, 0))
        row.costed_gmv_cents += costed
        row.cost_cents += cost
        row.costed_units += units
        end = month_end(label, today)
        while index < len(facts) and facts[index].month < label:
            index += 1  # cannot happen (the orders are read from the ledger on): never loop
        # One pass over the month's orders, with the running figures in locals: this loop runs
        # once per order (500,000 on the xl demo).
        first, spend, last = run.first, run.spend, run.last
        gmv = orders = refunds = 0
        total, top = run.total, run.top
        while index < len(facts) and facts[index].month == label:
            fact = facts[index]
            index += 1
            refunds += fact.refunded_cents
            if fact.void:
                continue
            member, cents = fact.member_id, fact.cents
            gmv += cents
            orders += fact.orders
            buyers.add(member)
            if member not in first:
                first[member] = label
            if fact.day > end:
                continue  # dated after today (a clock ahead): not spent yet at this month's end
            spent = spend[member] = spend.get(member, 0) + cents
            day = texts.get(fact.day)
            if day is None:
                day = texts[fact.day] = fact.day.isoformat()
            old = last.get(member)
            if old is None or day > old:  # the facts of a month may come in any order
                if old is not None:
                    last_days[old] -= 1
                last[member] = day
                last_days[day] += 1
            total += cents
            if spent > top:
                top = spent
        row.gmv_cents += gmv
        row.orders += orders
        row.refunds_cents += refunds
        run.total, run.top = total, top
        run.partial, run.buyers = [], set()
        if open_end and label == current:
            run.cutoff = current
            run.partial = [getattr(row, name) for name in PARTIAL]
            run.buyers = buyers
            found.open = run
            return found
        row.buyers = len(buyers)
        row.returning_buyers = sum(1 for m in buyers if run.first[m] < label)
        if run.spend:
            row.avg_ltv_cents = run.total // len(run.spend)
            row.top_ltv_cents = run.top
        cutoff = (end - timedelta(days=DORMANT_DAYS)).isoformat()
        row.dormant = sum(n for day, n in last_days.items() if day <= cutoff)
        found.months[label] = row
        if label < current:
            run.months[label] = [getattr(row, name) for name in FIGURES]
        label = next_month(label)
    # Orders dated after today, and in later months: part of each member's latest order.
    latest = dict(run.last)
    for fact in facts[index:] + [f for f in facts[:index] if not f.void and f.day > today]:
        if not fact.void:
            day = fact.day.isoformat()
            if day > latest.get(fact.member_id, ""):
                latest[fact.member_id] = day
    counts = Counter(latest.values())
    found.last_order_days, found.latest_order_day = dict(counts), max(counts, default="")
    return found


def month_rows(
    stored: dict[str, list[int]], months: dict[str, MonthStats], labels: list[str]
) -> list[MonthStats]:
    """The figures of `labels`: folded in this reading, else stored (closed months)."""
    rows = []
    for label in labels:
        found = months.get(label)
        if found is None:
            figures = stored.get(label)
            found = MonthStats(label)
            if figures is not None:
                for name, value in zip(FIGURES, figures, strict=True):
                    setattr(found, name, value)
        rows.append(found)
    return rows
