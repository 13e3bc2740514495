"""The closed months worked out from what the database keeps (schema version 16, SQLite).

A reading with no stored ledger that holds (`closed`: the first start on a file, a write in a
month before the last, another time zone) used to fold every order since the first: 2 s on the
xl demo's half a million orders, most of it spent reading them. The database now keeps each
member's orders per month (`member_months`) and each month's margin sums (`month_margins`),
by triggers on every write, whoever makes it (`migrations/0016_kept_months.sqlite.sql`). From
them the closed months' figures are a few indexed sums per month, and the ledger at the start
of this month (each member's first month, latest order and spend) one range read of each
member's latest row: 0.13 s on xl. This month is then folded by `ledger.advance` as after a
stored ledger. The definitions are `advance`'s:
the tests compare the two readings on the demo data and after every kind of write.

The months are the leader's local months, turned from stored UTC times by an SQLite modifier
(`month_zone`): only for a zone whose offset is the same at every moment the orders span (all
of China; a zone with summer time reads every order, as before). `ensure` sets it and counts
everything once: after the upgrade, and after a change of zone.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import TYPE_CHECKING, Any

from tuan import clock
from tuan.domain.dashboard import month_sums
from tuan.domain.dashboard.ledger import FIGURES, Ledger
from tuan.domain.dashboard.order_rows import (
    ACTIVE,
    Rows,
    cursor_rows,
    next_month,
)

if TYPE_CHECKING:
    from tuan.db import Database

TABLES = ("month_zone", "member_months", "month_margins")
# The refunded orders that count (few): their months, for the refunds and the margins they
# take back (`order_rows.order_facts` reads the same orders).
_REFUNDED = (
    "SELECT o.id, strftime('%Y-%m', o.created_at, z.shift) FROM orders o, month_zone z "
    f"WHERE o.status = '{ACTIVE}' AND o.lines_qty > 0 AND o.id IN ({month_sums.REFUNDED})"
)


def shift(zone: tzinfo, first: str | None, until: str) -> str | None:
    """The SQLite modifier turning stored UTC times into the zone's (`'+480 minutes'`), when
    its offset is the same at every moment from `first` (stored UTC text, the oldest order) to
    the end of month `until` (`YYYY-MM`); None when it is not (summer time)."""
    offsets: set[timedelta | None]
    if isinstance(zone, timezone):
        offsets = {zone.utcoffset(None)}
    else:
        label = first[:7] if first else until
        moments = []
        while label <= next_month(until):
            for day in (1, 15):  # any change within the months shows between two of these
                moments.append(datetime(int(label[:4]), int(label[5:]), day, tzinfo=UTC))
            label = next_month(label)
        offsets = {moment.astimezone(zone).utcoffset() for moment in moments}
    if len(offsets) != 1:
        return None
    offset = offsets.pop() or timedelta()
    minutes, rest = divmod(int(offset.total_seconds()), 60)
    return None if rest else f"{minutes:+d} minutes"


def ensure(database: Database) -> bool:
    """Make the kept months the leader's (counting everything again when they were kept for
    another zone, or not yet: the first time after the upgrade; 5 s on the xl demo). True
    when they are kept. SQLite only; not a change of the leader's data."""
    if database.engine.dialect.name != "sqlite":
        return False
    zone, month = clock.local_zone(), f"{clock.now():%Y-%m}"
    with database.engine.connect() as conn:  # a look first: nearly always all there is to do
        wanted, kept = _zones(cursor_rows(conn.connection.driver_connection), zone, month)
    if kept == wanted:
        return wanted is not None
    engine = database.engine.execution_options(tuan_write=True, tuan_cache=True)
    with engine.begin() as conn:
        rows = cursor_rows(conn.connection.driver_connection)
        wanted, kept = _zones(rows, zone, month)  # again, in the writing transaction
        if kept == wanted:
            return wanted is not None
        for table in TABLES:
            rows(f"DELETE FROM {table}", ())
        if wanted is None:
            return False
        rows("INSERT INTO month_zone (shift) VALUES (?)", (wanted,))
        rows("INSERT INTO member_months SELECT * FROM member_months_counted", ())
        rows("INSERT INTO month_margins SELECT * FROM month_margins_counted", ())
    return True


def _zones(rows: Rows, zone: tzinfo, month: str) -> tuple[str | None, str | None]:
    """The shift `zone` wants for the orders up to `month`, and the one the months are kept in
    (None: none)."""
    first = rows("SELECT min(created_at) FROM orders", ())[0][0]
    wanted = shift(zone, None if first is None else str(first), month)
    kept = rows("SELECT shift FROM month_zone", ())
    return wanted, str(kept[0][0]) if kept else None


@dataclass
class Start:
    """The closed months' figures (`ledger.FIGURES`), and the ledger at this month's start."""

    months: dict[str, list[int]]
    ledger: Ledger


def start(rows: Rows, zone: tzinfo, current: str, refunds: list[tuple[Any, ...]]) -> Start | None:
    """The months before `current` from what the database keeps, or None when it keeps none
    for `zone` (an older file, another zone, summer time). `refunds`: `ORDER_REFUNDS`' rows."""
    try:
        wanted, kept = _zones(rows, zone, current)
    except sqlite3.OperationalError:
        return None  # a file from before version 16
    if kept is None or kept != wanted:
        return None
    months = _closed_months(rows, current, refunds)
    return Start(months, _ledger(rows, current, months))


def _closed_months(
    rows: Rows, current: str, refunds: list[tuple[Any, ...]]
) -> dict[str, list[int]]:
    """Each month before `current`, from the first with an order: `advance`'s figures."""
    sums = {
        str(month): (int(n), int(orders), int(cents), int(most), int(new))
        for month, n, orders, cents, most, new in rows(
            "SELECT month, count(*), sum(orders), sum(cents), max(spent), "
            "sum(month = first_month) FROM member_months WHERE month < ? GROUP BY month",
            (current,),
        )
    }
    # A member's row keeps them from being dormant up to its `active_until` (the rows of one
    # member never overlap): a month's active members are the rows begun by then and not yet
    # ended.
    ends: dict[str, int] = dict(rows(
        "SELECT active_until, count(*) FROM member_months WHERE month < ? GROUP BY active_until",
        (current,),
    ))  # fmt: skip
    margins = {
        str(month): [int(sold), int(cost), int(units)]
        for month, sold, cost, units in rows(
            "SELECT month, sold, cost, units FROM month_margins WHERE month < ?", (current,)
        )
    }
    back: dict[str, int] = {}
    by_order = {int(row[0]): row for row in refunds}
    for order_id, month in rows(_REFUNDED, ()):
        _, _, cents, less_sold, less_cost, less_units = by_order[int(order_id)]  # same orders
        back[month] = back.get(month, 0) + int(cents or 0)
        moved = margins.setdefault(month, [0, 0, 0])
        for index, less in enumerate((less_sold, less_cost, less_units)):
            moved[index] += int(less or 0)
    found: dict[str, list[int]] = {}
    known = [m for m in (*sums, *back) if m < current]
    if not known:
        return found
    spenders = total = top = begun = ended = 0
    label = min(known)
    while label < current:
        n, orders, cents, most, new = sums.get(label, (0, 0, 0, 0, 0))
        spenders, total, top, begun = spenders + new, total + cents, max(top, most), begun + n
        sold, cost, units = margins.get(label, (0, 0, 0))
        figures = {
            "gmv_cents": cents,
            "orders": orders,
            "buyers": n,
            "returning_buyers": n - new,
            "avg_ltv_cents": total // spenders if spenders else 0,
            "top_ltv_cents": top if spenders else 0,
            "dormant": spenders - (begun - ended),
            "refunds_cents": back.get(label, 0),
            "costed_gmv_cents": sold,
            "cost_cents": cost,
            "costed_units": units,
        }
        found[label] = [figures[name] for name in FIGURES]
        ended += int(ends.get(label, 0))
        label = next_month(label)
    return found


def _ledger(rows: Rows, current: str, months: dict[str, list[int]]) -> Ledger:
    """The ledger at the start of `current`: every member's first month, latest order day and
    spend before it. Each member's latest row before `current` is the one whose next is
    `current` or later."""
    found = rows(
        "SELECT member_id, first_month, date(last_at, z.shift), spent FROM member_months, "
        "month_zone z WHERE next_month >= ? AND month < ?", (current, current),
    )  # fmt: skip
    first = {member_id: str(month) for member_id, month, _day, _spent in found}
    last = {member_id: str(day) for member_id, _month, day, _spent in found}
    spend = {member_id: int(spent) for member_id, _month, _day, spent in found}
    total, top = sum(spend.values()), max(spend.values(), default=0)
    return Ledger(current, first, last, spend, total, top, {k: list(v) for k, v in months.items()})
