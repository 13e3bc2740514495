"""The dashboard's numbers straight from a SQLite file, before the ORM loads.

When the stored snapshot does not hold (the first start of a month, another language, a write
from another tool), the numbers panel need not wait for SQLAlchemy (0.3 s to import) and the
rest of the morning view: its monthly figures come from the stored closed months (`closed`,
with the quick check: index ends and ranges) plus this month's own orders, and the few other
figures it shows (members, new members, coupons, 拼团) from a handful of plain queries. The
fresh reading that follows checks everything deeply and replaces these within the second.

When no stored closed months hold (a write in a month before the last, another time zone),
they come from the months the database keeps (`kept_months`), as quickly; the fresh reading
that follows stores them. When it keeps none either (the first start after the upgrade that
added them), every month is computed here, once, with the ledgers to store
(`Numbers.documents`): the fresh reading that follows stores them, finds them and reads only
what is new, instead of computing every month a second time.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from tuan import clock
from tuan.domain.dashboard import closed
from tuan.domain.dashboard.coupon_rows import CouponMonth
from tuan.domain.dashboard.order_rows import (
    Rows,
    cursor_rows,
    joined_since,
    local_day_reader,
    month_labels,
    month_start_utc,
    new_members,
    whole_hours,
)
from tuan.domain.dashboard.view import Overview
from tuan.domain.shared.sqlite_file import read_file, second_reading
from tuan.domain.shared.states import TeamStatus

_UNFILLED = (TeamStatus.NORMAL, TeamStatus.CANCELLED)


@dataclass
class Numbers:
    """The overview's numbers, and the closed months to store when they were computed here."""

    overview: Overview
    documents: dict[str, str] = field(default_factory=dict)  # `meta` key → value


def numbers(
    path: Path, now: datetime | None = None, shown: Callable[[Overview], object] | None = None
) -> Numbers | None:
    """The overview's numbers only (months, members, coupons, 拼团), or None when the file
    cannot be read or holds no members; never writes.

    `shown(overview)` is called as soon as the numbers are known, before the closed months
    computed here are made ready to store (a tenth of a second on the large demo).
    """
    today = (now or clock.now()).date()
    return read_file(path, lambda conn: _numbers(cursor_rows(conn), today, shown, path))


def _numbers(
    rows: Rows, today: date, shown: Callable[[Overview], object] | None, path: Path | None = None
) -> Numbers | None:
    members = int(rows("SELECT count(*) FROM member", ())[0][0])
    if not members:
        return None  # the welcome, or chains only: the fresh reading tells
    labels = month_labels(today, 12)
    found = closed.figures(rows, labels, today, deep=False, store=False, require=True)
    if found is None:
        # Every month computed once here. `deep=False`: what failed the quick check fails the
        # deep one too (its counts come first), whose whole-table sums (1 s on xl) are not
        # asked again; the fresh reading checks what is stored deeply before it uses it.
        with second_reading(path) as conn:
            found = closed.figures(rows, labels, today, deep=False, one_snapshot=True,
                                   beside=_same_data(conn, rows))  # fmt: skip
        assert found is not None
    overview = Overview(
        empty=False,
        months=new_members(joined_since(rows, labels[0]), found.months),
        members=members,
        coupons=_coupons(rows, month_labels(today, 2), today),
        teams=count_teams(_team_months(rows), labels),
    )
    if shown is not None:
        shown(overview)
    return Numbers(overview, found.documents)


def _same_data(conn: sqlite3.Connection | None, rows: Rows) -> Rows | None:
    """`conn` as rows to read beside `rows`, if it reads the same data (no write came between
    the two readings' first reads, as far as the tables' ends and latest change tell)."""
    if conn is None:
        return None
    beside = cursor_rows(conn)
    try:
        return beside if closed.marks(beside) == closed.marks(rows) else None
    except sqlite3.Error:
        return None


def _coupons(rows: Rows, months: list[str], today: date) -> list[CouponMonth]:
    """`coupons.coupon_months` summed in SQL: 11,000 coupons one by one cost the xl demo
    0.1 s. The same rules (`coupons.coupon_facts`, `coupon_rows.fold_months`; a test holds the
    two equal): a coupon is used when it has an order and a time; it cost its amount, never
    more than its order's lines; one not used has expired once its last day has passed."""
    zone = clock.local_zone()
    first = f"{months[0]}-01"
    found: dict[str, dict[str, int]] = {m: defaultdict(int) for m in months}
    used = "c.order_id IS NOT NULL AND c.redeemed_at IS NOT NULL"
    for month, n, cents, redeemed in rows(
        f"SELECT substr(c.issued_on, 1, 7), count(*), total(c.amount_cents), total({used}) "
        "FROM coupon c WHERE c.issued_on >= ? GROUP BY 1", (first,),
    ):  # fmt: skip
        if month in found:
            found[month].update(issued=n, issued_cents=int(cents), issued_redeemed=int(redeemed))
    width = 13 if whole_hours(zone) else 16
    local_day = local_day_reader(zone)
    lines = (
        "(SELECT SUM(l.qty * l.unit_price_cents) FROM orderline l WHERE l.order_id = c.order_id)"
    )
    for hour, n, cents in rows(
        f"SELECT min(c.redeemed_at), count(*), total(min(c.amount_cents, COALESCE({lines}, 0))) "
        f"FROM coupon c WHERE {used} AND c.redeemed_at >= ? "
        f"GROUP BY substr(c.redeemed_at, 1, {width})", (month_start_utc(months[0], zone),),
    ):  # fmt: skip
        month = local_day(str(hour))[1]
        if month in found:
            found[month]["redeemed"] += n
            found[month]["cost_cents"] += int(cents)
    for month, n, cents in rows(
        "SELECT substr(c.expires_on, 1, 7), count(*), total(c.amount_cents) FROM coupon c "
        f"WHERE NOT ({used}) AND c.expires_on >= ? AND c.expires_on < ? GROUP BY 1",
        (first, today.isoformat()),
    ):  # fmt: skip
        if month in found:
            found[month].update(expired=n, expired_cents=int(cents))
    return [CouponMonth(m, **found[m]) for m in months]


def _team_months(rows: Rows) -> list[tuple[str, str]]:
    local_day = local_day_reader(clock.local_zone())
    return [(local_day(str(at))[1], status) for at, status in rows(
        "SELECT created_at, status FROM team", ()
    )]  # fmt: skip


def count_teams(teams: Iterable[tuple[str, str]], labels: list[str]) -> dict[str, list[int]]:
    """Month → [formed, unfilled, open] for each of `labels` (zeros included), from each team's
    month (`YYYY-MM`, the leader's zone) and status (`teams.TEAMS_DEFINITION`)."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    wanted = set(labels)
    for month, status in teams:
        if month not in wanted:
            continue
        index = 0 if status == TeamStatus.FORMED else 1 if status in _UNFILLED else 2
        counts[month][index] += 1
    return {label: list(counts[label]) for label in labels}
