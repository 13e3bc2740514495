"""The monthly figures, kept for closed months so a reading computes only what is new.

A closed month's figures (GMV, orders, buyers, LTV and dormant members at its end, refunds,
margins) only move when one of its orders, lines or refunds is written, or the cost of an item
it sold. So a fresh reading on SQLite stores in `meta` plain numbers (no text: they hold in
every language): each closed month's figures, and ledgers (`ledger.Ledger`: what the months
to come need of every member: first month, last order day, spend to date) taken at three
moments: the start of this month (`START_KEY`), the start of the last (`BACK_KEY`), and a
recent moment of this month (`NOW_KEY`, renewed every `CHECKPOINT` orders); `STATE_KEY` holds
the closed months' figures and when and from what each ledger was taken.
The next reading folds in only the orders since the latest ledger that still holds (an
indexed range on `created_at`): this month's newest orders, the end of last month on the
first start of a month, last month again after a refund of one of its orders.

Whether a ledger still holds is asked of the data, not of the writers (another tool, or an
older tuan, writes without telling): see `usable`. When none does, the months before this one
come from what the database keeps (`kept_months`: a few indexed sums), or, when it keeps none
(the first start after the upgrade that added them, a zone with summer time), every month is
computed again from the same code (`advance` over an empty ledger); either way they are
stored again.

No ORM here: the dashboard's numbers are drawn from it before SQLAlchemy loads (`quick`).
Queries run on a DB-API connection (`sqlite3`'s, or a session's driver connection). SQLite
only: a server database reads every month fresh (`overview`).
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from typing import Any

from tuan import clock
from tuan.domain.dashboard import item_costs, kept_months, month_sums
from tuan.domain.dashboard.ledger import FIGURES, PARTIAL, Ledger, Reading, advance, month_rows
from tuan.domain.dashboard.order_rows import (
    ORDER_REFUNDS,
    OrderFact,
    Rows,
    month_labels,
    month_start_utc,
    order_facts,
    order_facts_sql,
)
from tuan.domain.shared.collector import collector_paused
from tuan.domain.shared.rows import MonthStats

STATE_KEY = "dashboard.months"  # the closed months, the marks, where each ledger was taken
START_KEY = "dashboard.months.start"  # the ledger at the start of this month
BACK_KEY = "dashboard.months.back"  # the ledger at the start of last month
NOW_KEY = "dashboard.months.now"  # the ledger at a recent moment of this month
# all of them: a cache, not the leader's data
KEYS = (STATE_KEY, START_KEY, BACK_KEY, NOW_KEY, item_costs.KEY)
FORMAT = 4
# A reading that folded this many orders since the latest ledger stores a new one: the first
# start of a month then reads at most about this many of last month's orders.
CHECKPOINT = 1000

# --- whether a stored ledger still holds -------------------------------------------------------
# Quick (index ends and ranges only: milliseconds whatever the size): rows added since (every
# table's max(id)) and orders changed since (`updated_at`, indexed by migration 0011) must all
# belong to orders from the ledger's moment on; the closed part's row counts are unchanged (an
# item's cost set since only moves margin sums: `item_costs`, `Point.moved`). Deep (whole-table
# sums; ~30 ms on 50,000 orders, ~0.3 s per table on 500,000): also an edit in place that kept
# no trace (a price set on old lines, a row changed by another tool): each table's sums over
# the closed part (all rows less those of orders from the moment on).
_MARKS = (
    "SELECT max(id) FROM orders", "SELECT max(id) FROM orderline", "SELECT max(id) FROM refund",
    "SELECT max(id) FROM chainitem", "SELECT max(updated_at) FROM orders",
)  # fmt: skip
# `+created_at`: SQLite would otherwise find the min() by walking the orders by time from the
# oldest until one matches; the rows changed are the newest, so that walked nearly every order
# (0.15 s on xl after a pickup tick). The `+` makes it read the few changed rows by their own
# index (tests/dashboard/test_closed_months.py reads the plans).
_CHANGED = (
    "SELECT min(+created_at) FROM orders WHERE id > ?",
    "SELECT min(+o.created_at) FROM orderline l JOIN orders o ON o.id = l.order_id WHERE l.id > ?",
    "SELECT min(+o.created_at) FROM refund r JOIN orders o ON o.id = r.order_id WHERE r.id > ?",
    None,  # items: their costs are compared below
    "SELECT min(+created_at) FROM orders WHERE updated_at > ?",
)
_OPEN = "FROM orders o WHERE o.created_at >= ?"
_COUNTS = (
    ("SELECT count(*) FROM orders", f"SELECT count(*) {_OPEN}"),
    ("SELECT count(*) FROM orderline",
     "SELECT count(*) FROM orderline l JOIN orders o ON o.id = l.order_id WHERE o.created_at >= ?"),
    ("SELECT count(*) FROM refund",
     "SELECT count(*) FROM refund r JOIN orders o ON o.id = r.order_id WHERE o.created_at >= ?"),
)  # fmt: skip
# An order moved to another time (by another tool: no `updated_at`) moves the hours' sum; in
# whole hours, so the sums are integers (exact) whatever the order they are added in.
_ORDER_SUMS = (
    "total(o.id), total(o.member_id), total(o.status = 'active'), "
    "total(CAST(julianday(o.created_at) * 24 AS INTEGER))"
)
_SUMS = (
    (f"SELECT {_ORDER_SUMS} FROM orders o", f"SELECT {_ORDER_SUMS} {_OPEN}"),
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
    the whole tables' sums between two calls (the same for every moment)."""
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
    """A stored ledger: the moment it was taken at (UTC text, as stored), and the closed
    part's counts and sums it was folded from (`fingerprint`). Its member figures (a few
    megabytes on the xl demo) are read from `meta` only when it is used."""

    key: str  # where its member figures are
    cutoff: str
    since: str
    closed: list[Any]
    months: dict[str, list[int]]  # the closed months (this month's start's)
    # Items whose counted cost changed since it was stored: their lines' margins to move.
    moved: dict[int, item_costs.Change] = field(default_factory=dict)

    def ledger(self, rows: Rows) -> Ledger:
        doc = _json(rows, self.key)
        members = doc["members"]
        return Ledger(
            self.cutoff,
            dict(zip(members, doc["first"], strict=True)),
            dict(zip(members, doc["last"], strict=True)),
            dict(zip(members, doc["spend"], strict=True)),
            int(doc["total"]),
            int(doc["top"]),
            {k: list(v) for k, v in self.months.items() if k < self.cutoff},
            [int(x) for x in doc["partial"]],
            set(doc["buyers"]),
        )


@dataclass
class Stored:
    """The stored state: the closed months, this month's start and what the data looked like
    when it was stored (`STATE_KEY`), and where the other ledgers are."""

    point: Point
    zone: str
    marks: list[Any]
    items: list[Any]  # count and cost sums of the items up to the stored max(id)
    others: dict[str, list[Any]]  # NOW_KEY, BACK_KEY → [cutoff, since, closed]


def _json(rows: Rows, key: str) -> dict[str, Any]:
    found = rows("SELECT value FROM meta WHERE key = ?", (key,))
    if not found:
        raise KeyError(key)
    doc = json.loads(found[0][0])
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ValueError(key)
    return doc


def load(rows: Rows) -> Stored | None:
    """The stored state, or None when there is none or it cannot be read."""
    try:
        doc = _json(rows, STATE_KEY)
        months = {k: [int(x) for x in v] for k, v in doc["months"].items()}
        cutoff, since, closed = doc["points"][START_KEY]
        point = Point(START_KEY, cutoff, since, closed, months)
        return Stored(point, doc["zone"], doc["marks"], doc["items"], doc["points"])
    except (ValueError, KeyError, TypeError):
        return None  # none, damaged or from another version: computed again


def usable(rows: Rows, stored: Stored, *, deep: bool, others: bool = True) -> Point | None:
    """The latest stored ledger that nothing it was folded from has changed since, if any
    (`others`: the one of a recent moment and last month's may do; else this month's start)."""
    if stored.zone != str(clock.local_zone()):
        return None
    moved: dict[int, item_costs.Change] = {}
    last_item = stored.marks[3] or 0
    if item_costs.sums(rows, last_item) != stored.items:  # a cost or price set on an item
        kept, current = item_costs.stored(rows), item_costs.items(rows, last_item)
        if kept is None or kept.unpriced != current.unpriced:
            return None  # a price set on an item imported without one: its lines moved
        moved = item_costs.changes(kept.costs, current.costs)
    earliest: str | None = None  # the first order a row added or changed since belongs to
    for sql, before, after in zip(_CHANGED, stored.marks, marks(rows), strict=True):
        if sql is None or before == after:
            continue
        if before is None:  # the table was empty
            before = 0 if "id >" in sql else ""
        changed = _one(rows, sql, (before,))[0]
        if changed is not None and (earliest is None or str(changed) < earliest):
            earliest = str(changed)
    main = stored.point
    candidates = [main]
    if others:
        found = {}
        for key in (NOW_KEY, BACK_KEY):
            if key in stored.others:
                cutoff, since, closed = stored.others[key]
                found[key] = Point(key, cutoff, since, closed, main.months)
        recent, back = found.get(NOW_KEY), found.get(BACK_KEY)
        if recent is not None and recent.cutoff == main.cutoff and recent.since > main.since:
            candidates.insert(0, recent)
        if back is not None and back.cutoff < main.cutoff:
            candidates.append(back)
    wholes: dict[str, tuple[Any, ...]] = {}
    for point in candidates:
        if earliest is not None and earliest < point.since:
            continue
        size = len(point.closed) if deep else len(_COUNTS)
        if fingerprint(rows, point.since, deep=deep, wholes=wholes) == point.closed[:size]:
            point.moved = moved
            return point
    return None


def holds(rows: Rows, stored: Stored, *, deep: bool) -> bool:
    """Whether nothing this month's stored ledger was folded from has changed since."""
    point = usable(rows, stored, deep=deep, others=False)
    return point is stored.point and not point.moved


@dataclass
class Marks:
    """What the data looks like before a reading: stored with the ledgers it gives."""

    marks: list[Any]
    items: list[Any]  # `item_costs.sums`
    costs: item_costs.Items
    closed: dict[str, list[Any]]  # moment (UTC text) → `fingerprint`


def take_marks(rows: Rows, moments: list[str]) -> Marks:
    """Taken before the orders are read: a write in between then shows as a change."""
    now = marks(rows)
    last_item = now[3] or 0
    items, costs = item_costs.sums(rows, last_item), item_costs.items(rows, last_item)
    wholes: dict[str, tuple[Any, ...]] = {}
    closed = {m: fingerprint(rows, m, deep=True, wholes=wholes) for m in moments}
    return Marks(now, items, costs, closed)


def _ledger_doc(ledger: Ledger) -> str:
    members = sorted(ledger.first)
    return json.dumps({
        "format": FORMAT,
        "members": members,
        "first": [ledger.first[m] for m in members],
        "last": [ledger.last[m] for m in members],
        "spend": [ledger.spend[m] for m in members],
        "total": ledger.total,
        "top": ledger.top,
        "partial": ledger.partial,
        "buyers": sorted(ledger.buyers),
    }, separators=(",", ":"))  # fmt: skip


def _documents(
    rows: Rows,
    marks: Marks,
    stored: Stored | None,
    point: Point | None,
    early: Reading,
    opened: Ledger,
    *,
    renew: bool,
    starts: dict[str, str],
    moment: str,
    zone: str,
) -> dict[str, str]:
    """The `meta` entries of a reading that folded the orders before `moment` into `early`
    (`opened`: a copy of its open ledger, taken before it was used up), the data as `marks`
    shows it; `renew`: this month's and last month's starts too. `starts`: the two months'
    first instants (UTC text)."""
    previous, current = sorted(starts)
    found = {NOW_KEY: _ledger_doc(opened), item_costs.KEY: item_costs.document(marks.costs)}
    points: dict[str, list[Any]] = dict(stored.others) if stored is not None else {}
    points[NOW_KEY] = [current, moment, marks.closed[moment]]
    if renew:
        assert early.closed is not None
        start = early.closed
        points[START_KEY] = [current, starts[current], marks.closed[starts[current]]]
        found[START_KEY] = _ledger_doc(start)
        back = early.back
        later = stored is not None and point is not None and point is not stored.point
        if back is None and later and stored is not None and stored.point.cutoff == previous:
            back = stored.point.ledger(rows)  # a ledger after it held: so does it
        points.pop(BACK_KEY, None)
        if back is not None:
            points[BACK_KEY] = [previous, starts[previous], marks.closed[starts[previous]]]
            found[BACK_KEY] = _ledger_doc(back)
        closed_months = start.months
    else:
        assert stored is not None
        closed_months = stored.point.months
    found[STATE_KEY] = json.dumps({
        "format": FORMAT, "zone": zone, "marks": marks.marks, "items": marks.items,
        "months": closed_months, "points": points,
    }, separators=(",", ":"))  # fmt: skip
    return found


# A month's margin sums that an item's cost moves (`FIGURES`' and `PARTIAL`'s names), each
# with its place in `item_costs.margin_moves`' lists.
_MOVED = {"costed_gmv_cents": 1, "cost_cents": 2, "costed_units": 3}


def _move_months(point: Point, moves: dict[str, list[int]]) -> bool:
    """The stored months before the point's own month moved by the costs set since (in place:
    the closed months stored again are these); False when one of them is not stored."""
    closed = {label: moved for label, moved in moves.items() if label < point.cutoff}
    if any(label not in point.months for label in closed):
        return False
    for label, moved in closed.items():  # the point's own month so far: its ledger's `partial`
        figures = point.months[label]
        for name, index in _MOVED.items():
            figures[FIGURES.index(name)] += moved[index]
    return True


@dataclass
class Figures:
    """The monthly figures of a reading, and the `meta` entries to store when they changed
    (`documents`: with `one_snapshot`, worked out when first asked for)."""

    months: list[MonthStats]
    last_order_days: dict[str, int]
    latest_order_day: str
    finish: Callable[[], dict[str, str]] = dict

    @cached_property
    def documents(self) -> dict[str, str]:
        return self.finish()


@collector_paused()  # every order made a fact (500,000 on xl): see `shared/collector`
def figures(rows: Rows, labels: list[str], today: date, *, deep: bool, store: bool = True,
            require: bool = False, one_snapshot: bool = False,
            beside: Rows | None = None) -> Figures | None:  # fmt: skip
    """The figures of `labels` as of `today`: folded from the latest stored ledger that holds
    (only the orders since are read), else from the months the database keeps, else every
    month computed again; `store`: with the ledgers to store when they moved on.

    `require`: None rather than computing every month (the quick path before the ORM loads).
    `beside`: a second connection reading what `rows` reads, for the months computed again
    (`month_sums.facts_before`).
    `one_snapshot`: `rows` reads inside one transaction, so what the data looked like
    (`take_marks`) may be taken after the orders are read, when `documents` is first asked
    for: the numbers can be shown before that (a tenth of a second on the large demo).
    """
    zone = clock.local_zone()
    current, previous = f"{today:%Y-%m}", month_labels(today, 2)[0]
    stored = load(rows)
    point = None
    if stored is not None and stored.point.cutoff <= current:
        point = usable(rows, stored, deep=deep)
    moves: dict[str, list[int]] = {}
    if point is not None and point.moved:
        moves = item_costs.margin_moves(rows, zone, point.since, point.moved)
        if not _move_months(point, moves):
            point = None
    starts = {month: month_start_utc(month, zone) for month in (previous, current)}
    # This month's start moved, or the ledgers behind it no longer hold: store them again.
    renew = store and (stored is None or point is None or point.cutoff != current
                       or point.since < stored.point.since)  # fmt: skip
    if store and not renew and point is not None:
        pending = int(_one(rows, f"SELECT count(*) {_OPEN}", (point.since,))[0] or 0)
        # Costs moved: the ledger of now is stored with them, or each reading moves them again.
        recent = pending >= CHECKPOINT or bool(moves)
    else:
        recent = renew
    # Now, or the end of `today` when it is not the clock's day (tests, benchmarks): every
    # order before the moment is then spent by today.
    tomorrow = datetime.combine(today + timedelta(days=1), time(), tzinfo=zone)
    moment = min(clock.now(), tomorrow).astimezone(UTC).isoformat(timespec="seconds")
    moments = [*starts.values(), moment]
    # Taken before the orders are read (a write in between then shows as a change), or in
    # one transaction, when the documents are asked for.
    taken = take_marks(rows, moments) if recent and not one_snapshot else None
    refunds = rows(ORDER_REFUNDS, ())
    # No ledger holds: the months before this one from what the database keeps, if it does.
    kept = kept_months.start(rows, zone, current, refunds) if point is None else None
    if point is None and kept is None and require:
        return None
    if point is not None:
        ledger, since = point.ledger(rows), point.since
        if ledger.partial and ledger.cutoff in moves:
            for name, index in _MOVED.items():
                ledger.partial[PARTIAL.index(name)] += moves[ledger.cutoff][index]
    elif kept is not None:
        ledger, since = kept.ledger, starts[current]
    else:
        ledger, since = Ledger(), None
    # Nothing kept either: the months before this one are folded from sums per member and month
    # (`month_sums`), this month's orders one by one, as after a stored ledger.
    before: list[OrderFact] = []
    before_margins: dict[str, list[int]] = {}
    if point is None and kept is None:
        before, before_margins = month_sums.facts_before(
            rows, zone, current, refunds, beside=beside
        )
        since = starts[current]
    raw = rows(order_facts_sql(since), () if since is None else (since,))
    months: dict[str, MonthStats] = {}
    finish: Callable[[], dict[str, str]] = dict
    if recent:
        # The orders before this moment, then those after (dated ahead by another clock): the
        # ledger between the two is the recent one to store.
        cut = bisect.bisect_left([str(r[1]) for r in raw], moment)
        margins: dict[str, list[int]] = dict(before_margins)
        facts = before + order_facts(raw[:cut], zone, refunds, margins)
        early = advance(ledger, facts, margins, today, keep=renew, open_end=True)
        assert early.open is not None
        months.update(early.months)
        opened = early.open.copy()  # the next fold uses the ledger up
        margins = {}
        facts = order_facts(raw[cut:], zone, refunds, margins)
        reading = advance(early.open, facts, margins, today, keep=False)

        def documents() -> dict[str, str]:
            marks = taken or take_marks(rows, moments)
            return _documents(rows, marks, stored, point, early, opened, renew=renew,
                              starts=starts, moment=moment, zone=str(zone))  # fmt: skip

        finish = documents if one_snapshot else documents().copy
    else:
        margins = dict(before_margins)
        facts = before + order_facts(raw, zone, refunds, margins)
        reading = advance(ledger, facts, margins, today, keep=False)
    months.update(reading.months)
    stored_months = point.months if point else kept.months if kept else {}
    shown = month_rows(stored_months, months, labels)
    return Figures(shown, reading.last_order_days, reading.latest_order_day, finish)
