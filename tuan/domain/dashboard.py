"""The dashboard's morning view: what is due, open, collected today and coming up."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from tuan import clock
from tuan.domain.chains import ChainRow, list_chains
from tuan.domain.live import LiveRow, list_livestreams
from tuan.domain.metrics import LiveConversion, MonthStats, live_conversions, monthly_stats
from tuan.domain.sql import int_sum
from tuan.models import Chain, Member, Order, OrderLine, Reminder


@dataclass(frozen=True)
class DueReminder:
    """A reminder on the dashboard."""

    id: int
    due_on: str
    title: str
    member: str
    overdue: bool


@dataclass(frozen=True)
class TodayPickup:
    """A chain being collected today, with progress."""

    chain_id: int
    title: str
    start: datetime | None
    end: datetime | None
    collected_orders: int
    orders: int


@dataclass
class Overview:
    """Everything the dashboard shows."""

    empty: bool
    overdue: int = 0
    due_today: int = 0
    reminders: list[DueReminder] = field(default_factory=list)
    open_chains: list[ChainRow] = field(default_factory=list)
    pickups: list[TodayPickup] = field(default_factory=list)
    next_live: LiveRow | None = None
    months: list[MonthStats] = field(default_factory=list)
    lives: list[LiveConversion] = field(default_factory=list)
    members: int = 0


def overview(session: Session, now: datetime | None = None) -> Overview:
    """Gather the dashboard in a handful of queries."""
    now = now or clock.now()
    members = int(session.exec(select(func.count()).select_from(Member)).one())
    chains = int(session.exec(select(func.count()).select_from(Chain)).one())
    if not members and not chains:
        return Overview(empty=True)
    today = now.date()
    due = list(
        session.exec(
            select(Reminder, Member.nickname)
            .outerjoin(Member, col(Member.id) == col(Reminder.member_id))
            .where(col(Reminder.status) == "open", col(Reminder.due_on) <= today)
            .order_by(col(Reminder.due_on), col(Reminder.id))
        )
    )
    upcoming = [lv for lv in list_livestreams(session) if lv.status != "ended"]
    return Overview(
        empty=False,
        overdue=sum(1 for r, _n in due if r.due_on < today),
        due_today=sum(1 for r, _n in due if r.due_on == today),
        reminders=[
            DueReminder(r.id or 0, r.due_on.isoformat(), r.title, nick or "", r.due_on < today)
            for r, nick in due[:6]
        ],
        open_chains=[c for c in list_chains(session) if c.status == "open"],
        pickups=today_pickups(session, now),
        next_live=upcoming[0] if upcoming else None,
        months=monthly_stats(session, 12, today),
        lives=live_conversions(session),
        members=members,
    )


def today_pickups(session: Session, now: datetime) -> list[TodayPickup]:
    """Chains whose pickup window touches today, with orders fully collected vs all."""
    start = datetime.combine(now.date(), datetime.min.time(), tzinfo=now.tzinfo)
    end = start + timedelta(days=1)
    chains = session.exec(
        select(Chain).where(
            col(Chain.status).in_(["open", "closed"]),
            col(Chain.pickup_start) < end,
            col(Chain.pickup_end) >= start,
        )
    ).all()
    result = []
    for chain in chains:
        per_order = (
            select(Order.id, int_sum(OrderLine.qty), int_sum(OrderLine.collected_qty))
            .join(OrderLine, col(OrderLine.order_id) == col(Order.id))
            .where(col(Order.chain_id) == chain.id, col(Order.status) == "active")
            .group_by(Order.id)
        )
        rows = list(session.exec(per_order))  # type: ignore[call-overload]
        done = sum(1 for _id, qty, got in rows if got >= qty)
        result.append(
            TodayPickup(
                chain.id or 0, chain.title, chain.pickup_start, chain.pickup_end, done, len(rows)
            )
        )
    return result
