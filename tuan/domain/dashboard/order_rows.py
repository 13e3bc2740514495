"""The dashboard's figures read without the ORM: orders, members and margin sums per month.

Plain SQL on a DB-API connection (`sqlite3`'s, or a session's own driver connection), so the
numbers can be drawn before SQLAlchemy loads (`closed`, `quick`). `metrics` defines what each
figure means and re-exports these.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any, NamedTuple

from tuan.domain.shared.rows import MonthStats
from tuan.domain.shared.states import MemberSource, OrderStatus

# Per order line: pieces and cents refunded; the same text as `shared.refunds.LINE_REFUNDS_SQL`
# (which imports the ORM; tests/dashboard/test_closed_months.py holds them equal).
LINE_REFUNDS = (
    "(SELECT line_id, SUM(qty) AS qty, SUM(amount_cents) AS cents FROM refund GROUP BY line_id)"
)
ACTIVE = OrderStatus.ACTIVE.value


class OrderFact(NamedTuple):
    """One active order reduced to what the numbers need (a tuple: there are 50,000 of them)."""

    member_id: int
    day: date
    cents: int  # net of refunds
    month: str  # YYYY-MM of `day`
    refunded_cents: int = 0
    void: bool = False  # refunded whole: no order, no buyer, no spend (only its refund counts)
    orders: int = 1  # one member's orders of a month summed into one (`month_sums`): how many


Rows = Callable[[str, Sequence[Any]], list[tuple[Any, ...]]]


def cursor_rows(conn: Any) -> Rows:
    """`rows(sql, params)` on a DB-API connection (qmark parameters: SQLite's)."""

    def rows(sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        cursor = conn.cursor()
        try:
            cursor.execute(sql, tuple(params))
            return list(cursor.fetchall())
        finally:
            cursor.close()

    return rows


def whole_hours(zone: tzinfo) -> bool:
    """Whether the zone's offset is whole hours all year (winter and summer alike)."""
    moments = (datetime(2026, 1, 15, tzinfo=UTC), datetime(2026, 7, 15, tzinfo=UTC))
    offsets = [(m.astimezone(zone).utcoffset() or timedelta()) for m in moments]
    return all(offset.total_seconds() % 3600 == 0 for offset in offsets)


def local_day_reader(zone: tzinfo) -> Callable[[str], tuple[date, str]]:
    """Stored UTC text → (local date, month), remembering each hour already converted.

    Every instant of a UTC hour falls on the same local date when the zone's offset is whole
    hours (nearly everywhere); for the rest the minute is the key.
    """
    seen: dict[str, tuple[date, str]] = {}

    def local_day(stored: str) -> tuple[date, str]:
        found = seen.get(stored[:13]) or seen.get(stored[:16])
        if found is None:
            moment = datetime.fromisoformat(stored)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
            local = moment.astimezone(zone)
            day = local.date()
            found = (day, day.isoformat()[:7])
            whole = (local.utcoffset() or timedelta()).total_seconds() % 3600 == 0
            seen[stored[:13] if whole else stored[:16]] = found
        return found

    return local_day


# A line counts towards profit when its item has a cost and a known price (an item imported
# without a price holds 0 cents until the leader sets it: no profit to speak of yet).
COSTED = "i.cost_cents IS NOT NULL AND i.price_known"
# Net of refunds: a line sold for its worth less the money refunded on it, and only its
# pieces not refunded cost anything (refunded pieces earn no margin).
SOLD = "l.qty * l.unit_price_cents - COALESCE(r.cents, 0)"
KEPT = "(CASE WHEN l.qty > COALESCE(r.qty, 0) THEN l.qty - COALESCE(r.qty, 0) ELSE 0 END)"
# Before refunds, over the lines whose item has a cost: what they sold for, what their pieces
# cost, how many pieces (a `Margin`'s last three sums).
COSTED_SUMS = (
    f"SUM(CASE WHEN {COSTED} THEN l.qty * l.unit_price_cents ELSE 0 END), "
    f"SUM(CASE WHEN {COSTED} THEN l.qty * i.cost_cents ELSE 0 END), "
    f"SUM(CASE WHEN {COSTED} THEN l.qty ELSE 0 END)"
)
# Per order with refunds (few): pieces and cents refunded on its lines, and what they take off
# its `COSTED_SUMS`. Read apart from the orders' lines, which are then summed without looking
# each one up among the refunds (that lookup was a third of the reading on the large demo).
ORDER_REFUNDS = (
    "SELECT l.order_id, SUM(r.qty), SUM(r.cents), "
    f"SUM(CASE WHEN {COSTED} THEN -r.cents ELSE 0 END), "
    f"SUM(CASE WHEN {COSTED} THEN ({KEPT} - l.qty) * i.cost_cents ELSE 0 END), "
    f"SUM(CASE WHEN {COSTED} THEN {KEPT} - l.qty ELSE 0 END) FROM {LINE_REFUNDS} r "
    "JOIN orderline l ON l.id = r.line_id LEFT JOIN chainitem i ON i.id = l.item_id "
    "GROUP BY l.order_id"
)


def order_facts_sql(since: str | None = None, *, only: str = "") -> str:
    """Active orders with their lines' totals, ids and margin sums before refunds (what the
    lines whose item has a cost sold for, cost and count), oldest first; from `since` (stored
    UTC text) on; `only`: those the condition holds for as well. Their refunds:
    `ORDER_REFUNDS`."""
    where = f"o.status = '{ACTIVE}'" + (" AND o.created_at >= ?" if since is not None else "")
    where += f" AND ({only})" if only else ""
    return (
        "SELECT o.member_id, o.created_at, SUM(l.qty * l.unit_price_cents), SUM(l.qty), o.id, "
        f"{COSTED_SUMS} FROM orders o JOIN orderline l ON l.order_id = o.id "
        "LEFT JOIN chainitem i ON i.id = l.item_id "
        f"WHERE {where} GROUP BY o.id, o.member_id, o.created_at ORDER BY o.created_at"
    )


def order_facts(
    rows: Sequence[tuple[Any, ...]],
    zone: tzinfo,
    refunds: Iterable[tuple[Any, ...]],
    margins: dict[str, list[int]] | None = None,
) -> list[OrderFact]:
    """The rows of `order_facts_sql` as facts in the leader's zone, with `refunds` (the rows
    of `ORDER_REFUNDS`); `margins`: each month's four margin sums (`margin.Margin`'s fields)
    added to it."""
    back_by_order = {int(row[0]): [int(x or 0) for x in row[1:]] for row in refunds}
    local_day = local_day_reader(zone)
    # Every instant of one stored hour (minute) falls on one local day: looked up inline, a
    # call per order cost 0.8 s on 500,000 orders.
    width = 13 if whole_hours(zone) else 16
    days: dict[str, tuple[date, str]] = {}
    facts = []
    sums = margins if margins is not None else {}
    acc, acc_month = [0, 0, 0, 0], ""  # the month's sums (the orders come month by month)
    for member_id, created, cents, pieces, order_id, sold, cost, units in rows:
        created = str(created)
        found = days.get(created[:width])
        if found is None:
            found = days[created[:width]] = local_day(created)
        day, month = found
        gross = int(cents or 0)
        refunded = back_by_order.get(order_id)
        if refunded is None:
            facts.append(OrderFact(member_id, day, gross, month))
            less_sold = less_cost = less_units = back = 0
        else:
            back_pieces, back, less_sold, less_cost, less_units = refunded
            # Refunded whole: all its money back (one worth nothing yet: all its pieces back).
            void = back >= gross > 0 or (gross == 0 and back_pieces >= int(pieces or 1))
            facts.append(OrderFact(member_id, day, max(gross - back, 0), month, back, void))
        if margins is not None:
            if month != acc_month:
                acc, acc_month = sums.setdefault(month, [0, 0, 0, 0]), month
            acc[0] += gross - back
            acc[1] += int(sold or 0) + less_sold
            acc[2] += int(cost or 0) + less_cost
            acc[3] += int(units or 0) + less_units
    return facts


def month_end(label: str, today: date) -> date:
    """The last day of a month, or today for the current month."""
    year, month = int(label[:4]), int(label[5:])
    following = date(year + month // 12, month % 12 + 1, 1)
    return min(following - timedelta(days=1), today)


def next_month(label: str) -> str:
    year, month = int(label[:4]), int(label[5:])
    return f"{year + month // 12:04d}-{month % 12 + 1:02d}"


def month_start_utc(label: str, zone: tzinfo) -> str:
    """The first instant of a local month, as stored (UTC text): the bound of an indexed range."""
    start = datetime(int(label[:4]), int(label[5:]), 1, tzinfo=zone)
    return start.astimezone(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class MemberFact:
    """One member reduced to what the numbers need."""

    id: int
    joined_on: date
    source: str
    referred_by_koc: bool
    partner: str


def month_labels(today: date, count: int) -> list[str]:
    """The last `count` calendar months up to today's, oldest first (`YYYY-MM`)."""
    year, month = today.year, today.month
    labels = []
    for _step in range(count):
        labels.append(f"{year:04d}-{month:02d}")
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return labels[::-1]


class JoinedGroup(NamedTuple):
    """Members who joined in one month the same way, counted."""

    month: str  # YYYY-MM of `joined_on`
    source: str
    referred_by_koc: bool
    partner: str  # the partner's name (partner source only)
    n: int = 1


def joined_groups(members: Iterable[MemberFact]) -> Iterator[JoinedGroup]:
    """Each member as a group of one."""
    for m in members:
        yield JoinedGroup(m.joined_on.isoformat()[:7], m.source, m.referred_by_koc, m.partner)


def joined_since(rows: Rows, month: str) -> list[JoinedGroup]:
    """The members who joined from `month` on, grouped by month and
    how they came (one row per group: quick on 50,000 members, no ORM)."""
    found = rows(
        f"SELECT substr(m.joined_on, 1, 7), m.source, COALESCE(r.is_koc, 0), "
        f"CASE WHEN m.source = '{MemberSource.PARTNER.value}' THEN COALESCE(p.name, '') "
        "ELSE '' END, count(*) "
        "FROM member m LEFT JOIN member r ON r.id = m.referrer_id "
        "LEFT JOIN partner p ON p.id = m.partner_id WHERE m.joined_on >= ? GROUP BY 1, 2, 3, 4",
        (f"{month}-01",),
    )
    return [JoinedGroup(str(mo), source, bool(koc), partner, int(n))
            for mo, source, koc, partner, n in found]  # fmt: skip


def new_members(groups: Iterable[JoinedGroup], months: list[MonthStats]) -> list[MonthStats]:
    """The months with their new members counted (by how they came)."""
    count_new_members(groups, {row.month: row for row in months})
    return months


def count_new_members(groups: Iterable[JoinedGroup], stats: dict[str, MonthStats]) -> None:
    for group in groups:
        row = stats.get(group.month)
        if row is None:
            continue
        n = group.n
        row.new_members += n
        if group.source == MemberSource.REFERRAL:
            row.referral_new += n
            row.koc_new += n if group.referred_by_koc else 0
        elif group.partner:
            row.partner_new[group.partner] = row.partner_new.get(group.partner, 0) + n


# The four sums of a `Margin`, in its order, over the rows of `MARGIN_FROM`.
MARGIN_SUMS = (
    f"SUM({SOLD}), SUM(CASE WHEN {COSTED} THEN {SOLD} ELSE 0 END), "
    f"SUM(CASE WHEN {COSTED} THEN {KEPT} * i.cost_cents ELSE 0 END), "
    f"SUM(CASE WHEN {COSTED} THEN {KEPT} ELSE 0 END)"
)
MARGIN_FROM = (
    "FROM orders o JOIN orderline l ON l.order_id = o.id JOIN chainitem i ON i.id = l.item_id "
    f"LEFT JOIN {LINE_REFUNDS} r ON r.line_id = l.id"
)


def month_margin_sums(rows: Rows, zone: tzinfo) -> dict[str, list[int]]:
    """Each month's four margin sums (`margin.Margin`'s fields), of every active order.

    The lines are summed per stored UTC hour (per minute in a zone whose offset is not whole
    hours), which all fall on one local day: a year is at most 8,784 rows instead of one per
    order and item (130,000 on the large demo). SQLite's text times.
    """
    width = 13 if whole_hours(zone) else 16
    found = rows(
        f"SELECT min(o.created_at), {MARGIN_SUMS} {MARGIN_FROM} WHERE o.status = '{ACTIVE}' "
        f"GROUP BY substr(o.created_at, 1, {width})",
        (),
    )
    local_day = local_day_reader(zone)
    sums: dict[str, list[int]] = {}
    for created, *values in found:
        acc = sums.setdefault(local_day(str(created))[1], [0, 0, 0, 0])
        for index, value in enumerate(values):
            acc[index] += int(value or 0)
    return sums
