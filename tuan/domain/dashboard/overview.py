"""The dashboard's morning view: what is due, open, collected today and coming up.

`dashboard_facts` reads the database; `dashboard_view.project` turns the facts into what is on
screen at a given moment.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from tuan import clock
from tuan.domain.chains.listing import list_chains
from tuan.domain.dashboard import closed, kept_months, snapshot, snapshot_key
from tuan.domain.dashboard.coupons import coupon_lapsing, coupon_months
from tuan.domain.dashboard.metrics import (
    compute_months,
    live_conversions,
    load_members,
    load_orders,
    month_labels,
    new_members,
    with_margins,
)
from tuan.domain.dashboard.order_rows import cursor_rows, joined_since
from tuan.domain.dashboard.teams import team_months
from tuan.domain.dashboard.view import (
    SHOWN_REMINDERS,
    DashboardFacts,
    DueReminder,
    Overview,
    TodayPickup,
    day_bounds,
    project,
    view,
)
from tuan.domain.live.shows import list_livestreams
from tuan.domain.shared.rows import MonthStats
from tuan.domain.shared.sql import int_sum
from tuan.domain.shared.states import ChainStatus, LiveStatus, OrderStatus, ReminderStatus
from tuan.models import Chain, Member, Order, OrderLine, Reminder

if TYPE_CHECKING:
    from tuan.db import Database

log = logging.getLogger(__name__)

__all__ = [
    "DueReminder",
    "Overview",
    "TodayPickup",
    "cached_overview",
    "dashboard_facts",
    "overview",
]


def overview(session: Session, now: datetime | None = None) -> Overview:
    """What the dashboard shows at `now`, read fresh."""
    return _read_fresh(session, now or clock.now())[0]


def cached_overview(session: Session, now: datetime | None = None) -> tuple[Overview, str | None]:
    """The overview, from the stored snapshot while it holds (SQLite), else read fresh.

    Returns the overview and, when it was read fresh, the snapshot document to store
    (`save_snapshot`) so the next start shows it at once; None when nothing needs storing.
    """
    now = now or clock.now()
    if session.get_bind().dialect.name != "sqlite":
        return overview(session, now), None

    def query(sql: str) -> Any:
        return session.connection().exec_driver_sql(sql).fetchone()

    key, facts = snapshot.holding(query, deep=True)
    shown = None if facts is None else project(facts, now)
    if shown is not None:
        return shown, None
    facts, months = _facts(session, now)
    stored = {snapshot_key.SNAPSHOT_KEY: snapshot.document(key, facts), **months}
    return view(facts, now), json.dumps(stored, ensure_ascii=False)


def _read_fresh(session: Session, now: datetime) -> tuple[Overview, DashboardFacts]:
    facts = dashboard_facts(session, now)
    return view(facts, now), facts


def save_snapshot(database: Database, document: str) -> None:
    """Store what `cached_overview` gave to store (the snapshot, and the closed months'
    figures when they were computed again); not a change of the leader's data (no generation
    bump)."""
    entries = json.loads(document)
    engine = database.engine.execution_options(tuan_write=True, tuan_cache=True)
    with engine.begin() as conn:
        for key, value in entries.items():
            conn.exec_driver_sql(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )


def renew_snapshot(database: Database) -> None:
    """Store a fresh dashboard snapshot unless the stored one still holds (SQLite files only).

    Never raises: the snapshot is a cache, and without it the next start reads afresh.
    """
    if database.path is None:
        return
    try:
        kept_months.ensure(database)  # first: a reading with nothing stored is then quick
    except Exception:
        log.debug("kept months not counted", exc_info=True)
    try:
        with database.session() as session:
            _shown, document = cached_overview(session)
        if document is not None:
            save_snapshot(database, document)
    except Exception:
        log.debug("dashboard snapshot not renewed", exc_info=True)


def dashboard_facts(session: Session, now: datetime | None = None) -> DashboardFacts:
    """Gather the dashboard's facts in a handful of queries."""
    return _facts(session, now or clock.now())[0]


def _facts(session: Session, now: datetime) -> tuple[DashboardFacts, dict[str, str]]:
    """The facts, and the closed months' figures to store when they were computed again
    (`meta` entries)."""
    today = now.date()
    members = int(session.exec(select(func.count()).select_from(Member)).one())
    chains = int(session.exec(select(func.count()).select_from(Chain)).one())
    if not members and not chains:
        return DashboardFacts(day=today, empty=True), {}
    labels = month_labels(today, 12)
    months, last_days, latest_day, documents = _months(session, labels, today)
    upcoming = [lv for lv in list_livestreams(session) if lv.status != LiveStatus.ENDED]
    facts = DashboardFacts(
        day=today,
        empty=False,
        reminder_days=_reminder_days(session),
        first_reminders=_first_reminders(session),
        open_chains=list_chains(session, status=ChainStatus.OPEN),
        pickup_chains=pickup_chains(session, now),
        next_live=upcoming[0] if upcoming else None,
        months=months,
        last_order_days=last_days,
        latest_order_day=latest_day,
        lives=live_conversions(session),
        members=members,
        coupons=coupon_months(session, month_labels(today, 2), today),
        coupon_lapsing=coupon_lapsing(session, today),
        teams=team_months(session, labels),
    )
    return facts, documents


def _months(
    session: Session, labels: list[str], today: date
) -> tuple[list[MonthStats], dict[str, int], str, dict[str, str]]:
    """The monthly figures (`metrics`), the members by their latest order day, the latest
    order day, and the closed months' figures to store when they were computed again.

    SQLite: the closed months from what is stored (`closed`); a server database reads all.
    """
    if session.get_bind().dialect.name == "sqlite":
        rows = cursor_rows(session.connection().connection)
        found = closed.figures(rows, labels, today, deep=True)
        assert found is not None  # computed afresh when the stored months do not hold
        months = new_members(joined_since(rows, labels[0]), found.months)
        return months, found.last_order_days, found.latest_order_day, found.documents
    orders = load_orders(session)
    latest: dict[int, date] = {}
    for fact in orders:
        if not fact.void:  # an order refunded whole was not a purchase
            latest[fact.member_id] = fact.day
    last = {member: day.isoformat() for member, day in latest.items()}  # once per member
    months = with_margins(session, compute_months(orders, load_members(session), labels, today))
    return months, dict(Counter(last.values())), max(last.values(), default=""), {}


def _reminder_days(session: Session) -> dict[str, int]:
    rows = session.exec(
        select(col(Reminder.due_on), func.count())
        .where(col(Reminder.status) == ReminderStatus.OPEN)
        .group_by(col(Reminder.due_on))
    )
    return {due.isoformat(): int(n) for due, n in rows}


def _first_reminders(session: Session) -> list[DueReminder]:
    rows = session.exec(
        select(col(Reminder.id), col(Reminder.due_on), col(Reminder.title), col(Member.nickname))
        .outerjoin(Member, col(Member.id) == col(Reminder.member_id))
        .where(col(Reminder.status) == ReminderStatus.OPEN)
        .order_by(col(Reminder.due_on), col(Reminder.id))
        .limit(SHOWN_REMINDERS)
    )
    return [
        DueReminder(rid or 0, due.isoformat(), title, nick or "", overdue=False)
        for rid, due, title, nick in rows
    ]


def pickup_chains(session: Session, now: datetime) -> list[TodayPickup]:
    """Open or closed chains whose pickup window has not ended before today, with progress."""
    start, _end = day_bounds(now)
    chains = session.exec(
        select(Chain).where(
            col(Chain.status).in_([ChainStatus.OPEN, ChainStatus.CLOSED]),
            col(Chain.pickup_start).is_not(None),
            col(Chain.pickup_end) >= start,
        )
    ).all()
    result = []
    for chain in chains:
        per_order = (
            select(Order.id, int_sum(OrderLine.qty), int_sum(OrderLine.collected_qty))
            .join(OrderLine, col(OrderLine.order_id) == col(Order.id))
            .where(col(Order.chain_id) == chain.id, col(Order.status) == OrderStatus.ACTIVE)
            .group_by(col(Order.id))
        )
        rows = list(session.exec(per_order))
        done = sum(1 for _id, qty, got in rows if got >= qty)
        result.append(
            TodayPickup(
                chain.id or 0, chain.title, chain.pickup_start, chain.pickup_end, done, len(rows)
            )
        )
    return result
