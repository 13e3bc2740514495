"""The monthly figures, kept for closed months so a reading computes only what is new.

A closed month's figures (GMV, orders, buyers, LTV and dormant members at its end, refunds,
margins) only move when one of its orders, lines or refunds is written, or the cost of an item
it sold. So every fresh reading on SQLite stores, under `STATE_KEY` in `meta`, plain numbers (no
text: they hold in every language): each month's figures before the current one, and what the
next month needs of every member (first month, last order day, spend to date). The next
reading reads only the orders from the stored cutoff on (an indexed range on `created_at`) and
folds them in: the current month, and any month that closed since (the first start of a month).

Whether the stored figures still hold is asked of the data, not of the writers (another tool, or
an older tuan, writes without telling): see `holds`. Anything it cannot rule out throws them
away and every month is computed again, from the same code (`advance` over an empty ledger),
and stored again.

This module imports no ORM: the dashboard's numbers are drawn from it before SQLAlchemy loads
(`quick`). Queries run on a DB-API connection (`sqlite3`'s, or a session's driver connection).
SQLite only: a server database reads every month fresh (`overview`).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from tuan import clock
from tuan.domain.dashboard.order_rows import (
    OrderFact,
    Rows,
    month_end,
    month_labels,
    month_margin_sums,
    month_start_utc,
    next_month,
    order_facts,
    order_facts_sql,
)
from tuan.domain.shared.rows import DORMANT_DAYS, MonthStats

STATE_KEY = "dashboard.months"
BACK_KEY = "dashboard.months.back"  # the ledger at the start of last month
FORMAT = 2

# The order of a month's figures in the stored state.
_FIGURES = (
    "gmv_cents", "orders", "buyers", "returning_buyers", "avg_ltv_cents", "top_ltv_cents",
    "dormant", "refunds_cents", "costed_gmv_cents", "cost_cents", "costed_units",
)  # fmt: skip
_MARGINS = _FIGURES[-3:]


@dataclass
class Ledger:
    """Each member's running figures at the start of month `cutoff` (orders before it)."""

    cutoff: str = ""  # '' for an empty ledger: every month is still to come
    first: dict[int, str] = field(default_factory=dict)  # first month with an order
    last: dict[int, str] = field(default_factory=dict)  # local day (ISO) of the latest order
    spend: dict[int, int] = field(default_factory=dict)  # net of refunds, to date
    total: int = 0
    top: int = 0
    months: dict[str, list[int]] = field(default_factory=dict)  # closed months: `_FIGURES`

    def copy(self) -> Ledger:
        months = {k: list(v) for k, v in self.months.items()}
        return Ledger(self.cutoff, dict(self.first), dict(self.last), dict(self.spend),
                      self.total, self.top, months)  # fmt: skip


@dataclass
class Reading:
    """Every month's figures from the first with an order through the current one."""

    months: dict[str, MonthStats]
    last_order_days: dict[str, int]  # members by the day of their latest order (ISO)
    latest_order_day: str
    closed: Ledger  # the ledger at the start of the current month: what to store
    back: Ledger | None = None  # and at the start of the last month, when it was reached


def advance(
    ledger: Ledger,
    facts: list[OrderFact],
    margins: dict[str, list[int]],
    today: date,
    *,
    keep: bool = True,
) -> Reading:
    """Fold `facts` (the active orders from `ledger.cutoff` on, oldest first) and the months'
    margin sums (`month_margin_sums` over the same orders) into the ledger, which is used up.

    `keep`: the ledger at the start of the current month is wanted (to store); copying 50,000
    members' figures twice cost the quick reading 36 ms on the xl demo.

    The definitions are `metrics.compute_months`'; with an empty ledger and every order this
    is a full computation (tests compare the two on the demo data and after random edits).
    """
    current = f"{today:%Y-%m}"
    run = ledger
    start = run.cutoff or (facts[0].month if facts else current)
    start = min(start, current)
    closed: Ledger | None = None
    back: Ledger | None = None
    previous = month_labels(today, 2)[0]
    stats: dict[str, MonthStats] = {}
    last_days = Counter(run.last.values())
    index = 0
    label = start
    while label <= current:
        if label == current:
            closed = run.copy() if keep else Ledger(current)
            closed.cutoff = current
        elif label == previous and keep:
            back = run.copy()
            back.cutoff = previous
        row = MonthStats(label)
        _gmv, row.costed_gmv_cents, row.cost_cents, row.costed_units = margins.get(
            label, [0, 0, 0, 0]
        )
        buyers: set[int] = set()
        end = month_end(label, today)
        while index < len(facts) and facts[index].month < label:
            index += 1  # cannot happen (the orders are read from the cutoff on): never loop
        counted = index
        while index < len(facts) and facts[index].month == label:
            fact = facts[index]
            index += 1
            row.refunds_cents += fact.refunded_cents
            if fact.void:
                continue
            row.gmv_cents += fact.cents
            row.orders += 1
            buyers.add(fact.member_id)
        row.buyers = len(buyers)
        row.returning_buyers = sum(1 for m in buyers if m in run.first)
        for m in buyers:
            run.first.setdefault(m, label)
        for fact in facts[counted:index]:
            if fact.void or fact.day > end:
                continue  # dated after today (a clock ahead): not spent yet at this month's end
            member = fact.member_id
            spent = run.spend[member] = run.spend.get(member, 0) + fact.cents
            old = run.last.get(member)
            if old is not None:
                last_days[old] -= 1
            run.last[member] = day = fact.day.isoformat()
            last_days[day] += 1
            run.total += fact.cents
            run.top = max(run.top, spent)
        if run.spend:
            row.avg_ltv_cents = run.total // len(run.spend)
            row.top_ltv_cents = run.top
        cutoff = (end - timedelta(days=DORMANT_DAYS)).isoformat()
        row.dormant = sum(n for day, n in last_days.items() if day <= cutoff)
        stats[label] = row
        if label < current:
            run.months[label] = [getattr(row, name) for name in _FIGURES]
        label = next_month(label)
    assert closed is not None
    # Orders dated after today, and in later months: part of each member's latest order.
    latest = dict(run.last)
    for fact in facts[index:] + [f for f in facts[:index] if not f.void and f.day > today]:
        if not fact.void:
            day = fact.day.isoformat()
            if day > latest.get(fact.member_id, ""):
                latest[fact.member_id] = day
    counts = Counter(latest.values())
    return Reading(stats, dict(counts), max(counts, default=""), closed, back)


def month_rows(
    stored: dict[str, list[int]], reading: Reading, labels: list[str]
) -> list[MonthStats]:
    """The figures of `labels`: stored for the closed months, read for the others."""
    rows = []
    for label in labels:
        found = reading.months.get(label)
        if found is None:
            figures = stored.get(label)
            found = MonthStats(label)
            if figures is not None:
                for name, value in zip(_FIGURES, figures, strict=True):
                    setattr(found, name, value)
        rows.append(found)
    return rows


# --- whether the stored figures still hold ----------------------------------------------------
# Quick (index ends and ranges only: milliseconds whatever the size): rows added since (every
# table's max(id)) and orders changed since (`updated_at`, indexed by migration 0011) must all
# belong to orders from the cutoff on; the closed part's row counts and the items' costs are
# unchanged. Deep (whole-table sums; ~30 ms on 50,000 orders, ~0.3 s per table on 500,000):
# also an edit in place that kept no trace (a price set on old lines, a row changed by another
# tool): each table's sums over the closed part (all rows less those of orders from the cutoff).
_MARKS = (
    "SELECT max(id) FROM orders", "SELECT max(id) FROM orderline", "SELECT max(id) FROM refund",
    "SELECT max(id) FROM chainitem", "SELECT max(updated_at) FROM orders",
)  # fmt: skip
_CHANGED = (
    "SELECT min(created_at) FROM orders WHERE id > ?",
    "SELECT min(o.created_at) FROM orderline l JOIN orders o ON o.id = l.order_id WHERE l.id > ?",
    "SELECT min(o.created_at) FROM refund r JOIN orders o ON o.id = r.order_id WHERE r.id > ?",
    None,  # items: their costs are compared below
    "SELECT min(created_at) FROM orders WHERE updated_at > ?",
)
_OPEN = "FROM orders o WHERE o.created_at >= ?"
_COUNTS = (
    ("SELECT count(*) FROM orders", f"SELECT count(*) {_OPEN}"),
    ("SELECT count(*) FROM orderline",
     "SELECT count(*) FROM orderline l JOIN orders o ON o.id = l.order_id WHERE o.created_at >= ?"),
    ("SELECT count(*) FROM refund",
     "SELECT count(*) FROM refund r JOIN orders o ON o.id = r.order_id WHERE o.created_at >= ?"),
)  # fmt: skip
_ITEMS = "SELECT count(*), total(cost_cents), total(price_known) FROM chainitem WHERE id <= ?"
_SUMS = (
    ("SELECT total(o.id), total(o.member_id), total(o.status = 'active') FROM orders o",
     f"SELECT total(o.id), total(o.member_id), total(o.status = 'active') {_OPEN}"),
    ("SELECT total(l.qty), total(l.unit_price_cents), total(l.order_id), total(l.item_id) "
     "FROM orderline l",
     "SELECT total(l.qty), total(l.unit_price_cents), total(l.order_id), total(l.item_id) "
     "FROM orderline l JOIN orders o ON o.id = l.order_id WHERE o.created_at >= ?"),
    ("SELECT total(r.qty), total(r.amount_cents), total(r.line_id), total(r.order_id) "
     "FROM refund r",
     "SELECT total(r.qty), total(r.amount_cents), total(r.line_id), total(r.order_id) "
     "FROM refund r JOIN orders o ON o.id = r.order_id WHERE o.created_at >= ?"),
)  # fmt: skip


def _one(rows: Rows, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...]:
    found = rows(sql, params)
    return found[0] if found else (None,)


def marks(rows: Rows) -> list[Any]:
    """The ends of the tables as they are now (stored with the figures)."""
    return [_one(rows, sql)[0] for sql in _MARKS]


def fingerprint(
    rows: Rows, since: str, *, deep: bool, wholes: dict[str, tuple[Any, ...]] | None = None
) -> list[Any]:
    """The closed part (orders before `since`) summed: counts; deep: sums too. `wholes` keeps
    the whole tables' sums between two calls (the same for every cutoff)."""
    wholes = {} if wholes is None else wholes

    def whole(sql: str) -> tuple[Any, ...]:
        if sql not in wholes:
            wholes[sql] = _one(rows, sql)
        return wholes[sql]

    found: list[Any] = []
    for every, open_part in _COUNTS:
        found.append(int(whole(every)[0] or 0) - int(_one(rows, open_part, (since,))[0] or 0))
    if deep:
        for every, open_part in _SUMS:
            pairs = zip(whole(every), _one(rows, open_part, (since,)), strict=True)
            found.extend(round(float(a or 0) - float(b or 0), 2) for a, b in pairs)
    return found


@dataclass
class Point:
    """A ledger stored with the closed part's counts and sums it was computed from."""

    ledger: Ledger
    since: str  # the cutoff's first instant (UTC text)
    closed: list[Any]  # counts, then sums (`fingerprint`)


@dataclass
class Stored:
    """The stored state: the ledger at the start of this month (and, kept apart, at the start
    of the last: a write in last month folds in last month again, not every month), and what
    the data looked like when they were stored."""

    point: Point
    zone: str
    marks: list[Any]
    items: list[Any]  # count and cost sums of the items up to the stored max(id)


def usable(rows: Rows, stored: Stored, *, deep: bool, back: bool = True) -> Point | None:
    """The latest stored point nothing it was computed from has changed since, if any
    (`back`: the one at the start of last month may do, read only when needed)."""
    if stored.zone != str(clock.local_zone()):
        return None
    if list(_one(rows, _ITEMS, (stored.marks[3] or 0,))) != stored.items:
        return None  # a cost or price set on an item an older order may hold
    earliest: str | None = None  # the first order a row added or changed since belongs to
    for sql, before, after in zip(_CHANGED, stored.marks, marks(rows), strict=True):
        if sql is None or before == after:
            continue
        if before is None:  # the table was empty
            before = 0 if "id >" in sql else ""
        changed = _one(rows, sql, (before,))[0]
        if changed is not None and (earliest is None or str(changed) < earliest):
            earliest = str(changed)
    wholes: dict[str, tuple[Any, ...]] = {}
    points = [stored.point]
    for point in points:
        if earliest is None or earliest >= point.since:
            size = len(_COUNTS) if not deep else len(point.closed)
            if fingerprint(rows, point.since, deep=deep, wholes=wholes) == point.closed[:size]:
                return point
        if back and len(points) == 1:
            older = _load_point(rows, BACK_KEY)
            if older is not None and older.ledger.cutoff < point.ledger.cutoff:
                older.ledger.months = {
                    k: v for k, v in point.ledger.months.items() if k < older.ledger.cutoff
                }
                points.append(older)
    return None


def holds(rows: Rows, stored: Stored, *, deep: bool) -> bool:
    """Whether nothing this month's stored ledger was computed from has changed since."""
    return usable(rows, stored, deep=deep, back=False) is stored.point


def _ledger(doc: dict[str, Any], months: dict[str, list[int]]) -> Ledger:
    members = doc["members"]
    return Ledger(
        doc["cutoff"],
        dict(zip(members, doc["first"], strict=True)),
        dict(zip(members, doc["last"], strict=True)),
        dict(zip(members, doc["spend"], strict=True)),
        int(doc["total"]),
        int(doc["top"]),
        months,
    )


def _load_point(rows: Rows, key: str) -> Point | None:
    try:
        found = rows("SELECT value FROM meta WHERE key = ?", (key,))
        if not found:
            return None
        doc = json.loads(found[0][0])
        if doc.get("format") != FORMAT:
            return None
        return Point(_ledger(doc, {}), doc["since"], doc["closed"])
    except (ValueError, KeyError, TypeError):
        return None


def load(rows: Rows) -> Stored | None:
    """The stored state, or None when there is none or it cannot be read."""
    try:
        found = rows("SELECT value FROM meta WHERE key = ?", (STATE_KEY,))
        if not found:
            return None
        doc = json.loads(found[0][0])
        if doc.get("format") != FORMAT:
            return None
        months = {k: [int(x) for x in v] for k, v in doc["months"].items()}
        point = Point(_ledger(doc, months), doc["since"], doc["closed"])
        return Stored(point, doc["zone"], doc["marks"], doc["items"])
    except (ValueError, KeyError, TypeError):
        return None  # damaged or from another version: computed again


@dataclass
class Marks:
    """What the data looks like before a reading: stored with the ledgers it gives."""

    marks: list[Any]
    items: list[Any]
    closed: dict[str, tuple[str, list[Any]]]  # cutoff → its first instant, `fingerprint`


def take_marks(rows: Rows, cutoffs: list[str]) -> Marks:
    """Taken before the orders are read: a write in between then shows as a change."""
    zone = clock.local_zone()
    now = marks(rows)
    items = list(_one(rows, _ITEMS, (now[3] or 0,)))
    wholes: dict[str, tuple[Any, ...]] = {}
    closed = {}
    for cutoff in cutoffs:
        since = month_start_utc(cutoff, zone)
        closed[cutoff] = (since, fingerprint(rows, since, deep=True, wholes=wholes))
    return Marks(now, items, closed)


def _point_doc(ledger: Ledger, taken: Marks) -> dict[str, Any]:
    members = sorted(ledger.first)
    since, closed = taken.closed[ledger.cutoff]
    return {
        "format": FORMAT,
        "cutoff": ledger.cutoff,
        "since": since,
        "closed": closed,
        "members": members,
        "first": [ledger.first[m] for m in members],
        "last": [ledger.last[m] for m in members],
        "spend": [ledger.spend[m] for m in members],
        "total": ledger.total,
        "top": ledger.top,
    }


def documents(reading: Reading, taken: Marks) -> dict[str, str]:
    """The `meta` entries to store: this month's ledger with the closed months' figures and
    the marks (`STATE_KEY`), and last month's ledger (`BACK_KEY`, when it was reached)."""
    doc = _point_doc(reading.closed, taken)
    doc.update(zone=str(clock.local_zone()), marks=taken.marks, items=taken.items,
               months=reading.closed.months)  # fmt: skip
    found = {STATE_KEY: json.dumps(doc, separators=(",", ":"))}
    if reading.back is not None:
        back = json.dumps(_point_doc(reading.back, taken), separators=(",", ":"))
        found[BACK_KEY] = back
    return found


@dataclass
class Figures:
    """The monthly figures of a reading, and the `meta` entries to store when they changed."""

    months: list[MonthStats]
    last_order_days: dict[str, int]
    latest_order_day: str
    documents: dict[str, str]


def figures(rows: Rows, labels: list[str], today: date, *, deep: bool, store: bool = True,
            require: bool = False) -> Figures | None:  # fmt: skip
    """The figures of `labels` as of `today`: from the latest stored ledger that holds (only
    the orders since are read), else every month computed again.

    `require`: None rather than computing every month (the quick path before the ORM loads).
    """
    zone = clock.local_zone()
    current = f"{today:%Y-%m}"
    stored = load(rows)
    point = None
    if stored is not None and stored.point.ledger.cutoff <= current:
        point = usable(rows, stored, deep=deep)
    if point is not None:
        ledger: Ledger = point.ledger
        since: str | None = point.since
    elif require:
        return None
    else:
        ledger, since = Ledger(), None
    renew = store and (stored is None or point is not stored.point or ledger.cutoff != current)
    previous = month_labels(today, 2)[0]
    taken = take_marks(rows, [previous, current]) if renew else None
    params = () if since is None else (since,)
    facts = order_facts(rows(order_facts_sql(since), params), zone)
    closed_months = ledger.months
    margins = month_margin_sums(rows, zone, since)
    reading = advance(ledger, facts, margins, today, keep=taken is not None)
    months = month_rows(closed_months, reading, labels)
    texts = {} if taken is None else documents(reading, taken)
    return Figures(months, reading.last_order_days, reading.latest_order_day, texts)
