"""The orders before this month as one fact per member and month, for a reading with no
stored ledger that holds (a first start, or a write older than last month).

Such a reading used to fold every order one by one: 2.4 s on the xl demo's 500,000 orders,
most of it Python. Summed per member and month from a covering index (the orders' own totals,
migration 13), they are half as many facts, and the months' margin sums come from one grouped
query. `ledger.advance` folds them like single orders (`OrderFact.orders`: how many orders one
stands for; its day: the member's latest of the month), so the figures are worked out in the
same place as after a stored ledger. Refunded orders are few: they come one by one, as
`order_facts` reads them, since a refund can void an order.
"""

from __future__ import annotations

import threading
from datetime import date, tzinfo
from operator import attrgetter
from typing import Any

from tuan.domain.dashboard.order_rows import (
    ACTIVE,
    COSTED,
    KEPT,
    LINE_REFUNDS,
    SOLD,
    OrderFact,
    Rows,
    local_day_reader,
    month_start_utc,
    next_month,
    order_facts,
    order_facts_sql,
    whole_hours,
)

# The orders any refund touches (a refund's line names its order).
REFUNDED = "SELECT l.order_id FROM refund r JOIN orderline l ON l.id = r.line_id"
# The three margin sums `advance` reads (the lines whose item has a cost: what they sold for
# net of refunds, what their pieces not refunded cost, how many), per stored UTC hour.
_MARGINS = (
    f"SELECT min(o.created_at), SUM({SOLD}), SUM({KEPT} * i.cost_cents), SUM({KEPT}) "
    "FROM orderline l JOIN orders o ON o.id = l.order_id JOIN chainitem i ON i.id = l.item_id "
    f"LEFT JOIN {LINE_REFUNDS} r ON r.line_id = l.id "
    f"WHERE o.status = '{ACTIVE}' AND o.created_at < ? AND {COSTED} "
    "GROUP BY substr(o.created_at, 1, {width})"
)


def facts_before(
    rows: Rows,
    zone: tzinfo,
    month: str,
    refunds: list[tuple[Any, ...]],
    *,
    beside: Rows | None = None,
) -> tuple[list[OrderFact], dict[str, list[int]]]:
    """The active orders before local month `month` as facts in month order (one per member
    and month, but for the refunded), and each month's margin sums (`margin.Margin`'s fields;
    the first, every line's worth, is left at 0: `advance` does not read it). `refunds`: the
    rows of `ORDER_REFUNDS`.

    `beside`: a second connection to the same file that reads what `rows` does (the caller
    checks): the margin sums are read on it in a thread while `rows` reads the facts. SQLite
    lets go of the interpreter while it sums, so the two take a core each (0.6 s apiece on the
    xl demo).
    """
    until = month_start_utc(month, zone)
    first = rows(
        f"SELECT min(created_at) FROM orders WHERE status = '{ACTIVE}' AND created_at < ?", (until,)
    )[0][0]  # fmt: skip
    if first is None:
        return [], {}
    side: list[dict[str, list[int]]] = []
    thread = None
    if beside is not None:
        other = beside

        def read_beside() -> None:
            try:
                side.append(margin_sums(other, zone, until))
            except Exception:  # whatever failed there is read again on `rows`
                return

        thread = threading.Thread(target=read_beside, daemon=True)
        thread.start()
    try:
        facts = _member_month_facts(rows, zone, month, str(first), refunds)
    finally:
        if thread is not None:
            thread.join()  # never left reading on a connection the caller then closes
    return facts, side[0] if side else margin_sums(rows, zone, until)


def _member_month_facts(
    rows: Rows, zone: tzinfo, month: str, first: str, refunds: list[tuple[Any, ...]]
) -> list[OrderFact]:
    """The facts of `facts_before`, the oldest order before `month` being `first`."""
    until = month_start_utc(month, zone)
    local_day = local_day_reader(zone)
    labels = [local_day(first)[1]]
    while next_month(labels[-1]) < month:
        labels.append(next_month(labels[-1]))
    # Each order's local month from its stored UTC time: the months' first instants compared,
    # so any zone (summer time, half hours) reads right.
    bounds = [month_start_utc(label, zone) for label in labels[1:]]
    which = " ".join(f"WHEN o.created_at < ? THEN {n}" for n in range(len(bounds)))
    month_of = f"CASE {which} ELSE {len(bounds)} END" if bounds else "0"
    # An order worth nothing counts when it has lines (unpriced ones): as `order_facts_sql`
    # reads orders, through their lines.
    found = rows(
        f"SELECT o.member_id, {month_of}, count(*), sum(o.lines_cents), max(o.created_at) "
        f"FROM orders o WHERE o.status = '{ACTIVE}' AND o.created_at < ? "
        "AND (o.lines_cents > 0 OR EXISTS (SELECT 1 FROM orderline l WHERE l.order_id = o.id)) "
        f"AND o.id NOT IN ({REFUNDED}) GROUP BY 1, 2",
        (*bounds, until),
    )
    width = 13 if whole_hours(zone) else 16
    days: dict[str, date] = {}  # each stored hour's local day (one call per member and month
    facts = []  # cost a tenth of a second on the xl demo)
    for member_id, index, n, cents, latest in found:
        latest = str(latest)
        day = days.get(latest[:width])
        if day is None:
            day = days[latest[:width]] = local_day(latest)[0]
        facts.append(OrderFact(member_id, day, int(cents), labels[index], orders=n))
    refunded = rows(order_facts_sql(only=f"o.created_at < ? AND o.id IN ({REFUNDED})"), (until,))
    facts += order_facts(refunded, zone, refunds)
    facts.sort(key=attrgetter("month"))
    return facts


def margin_sums(rows: Rows, zone: tzinfo, until: str) -> dict[str, list[int]]:
    """Each local month's margin sums of the active orders before `until` (stored UTC text):
    `margin.Margin`'s fields, the first left at 0."""
    local_day = local_day_reader(zone)
    margins: dict[str, list[int]] = {}
    width = 13 if whole_hours(zone) else 16
    for created, sold, cost, units in rows(_MARGINS.format(width=width), (until,)):
        acc = margins.setdefault(local_day(str(created))[1], [0, 0, 0, 0])
        acc[1] += int(sold or 0)
        acc[2] += int(cost or 0)
        acc[3] += int(units or 0)
    return margins
