"""What the dashboard shows, and how it follows the calendar without reading the database again.

`dashboard.dashboard_facts` gathers `DashboardFacts`: everything the morning view needs, kept in
a form that holds for the rest of the month as long as nothing is written (reminders counted by
due date, pickups with their windows, members by the day of their latest order). `project` turns
facts into the `Overview` for a given moment. The live app and the stored snapshot (see
`dashboard_snapshot`) both go through `project`, so a snapshot can never say something a fresh
reading would not. This module imports no ORM: the snapshot is shown before SQLAlchemy loads.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from tuan.domain.dashboard.coupon_rows import CouponMonth
from tuan.domain.shared.rows import DORMANT_DAYS, ChainRow, LiveConversion, LiveRow, MonthStats

SHOWN_REMINDERS = 6


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
    coupons: list[CouponMonth] = field(default_factory=list)  # last month, this month

    teams: dict[str, list[int]] = field(default_factory=dict)  # 拼团: dashboard/teams.py


@dataclass
class DashboardFacts:
    """The dashboard's data as read on `day`, valid for later moments of the same month.

    Attributes:
        day: The leader's local date the facts were read on.
        empty: No members and no chains yet (the welcome shows instead).
        reminder_days: Open reminders counted by due date (ISO).
        first_reminders: The first open reminders by due date, then id.
        open_chains: Chains taking orders.
        pickup_chains: Open or closed chains whose pickup window has not ended before `day`.
        next_live: The first livestream not yet ended.
        months: The last 12 months' figures as of `day`.
        last_order_days: Members counted by the local date of their latest order (ISO).
        latest_order_day: The local date of the newest order (ISO; '' without orders).
        lives: Ended livestreams' conversion.
        members: How many members there are.
        coupons: Last month's and this month's coupon figures as of `day`.
        coupon_lapsing: Coupons not used whose last day is `day` or later this month, counted
            (and their face value summed) by that day (ISO): they count as expired once it passed.

        teams: 拼团 per month: [formed, unfilled, open] (`dashboard/teams.team_months`).
    """

    day: date
    empty: bool
    reminder_days: dict[str, int] = field(default_factory=dict)
    first_reminders: list[DueReminder] = field(default_factory=list)
    open_chains: list[ChainRow] = field(default_factory=list)
    pickup_chains: list[TodayPickup] = field(default_factory=list)
    next_live: LiveRow | None = None
    months: list[MonthStats] = field(default_factory=list)
    last_order_days: dict[str, int] = field(default_factory=dict)
    latest_order_day: str = ""
    lives: list[LiveConversion] = field(default_factory=list)
    members: int = 0
    coupons: list[CouponMonth] = field(default_factory=list)
    coupon_lapsing: dict[str, list[int]] = field(default_factory=dict)

    teams: dict[str, list[int]] = field(default_factory=dict)


def day_bounds(now: datetime) -> tuple[datetime, datetime]:
    """The start of `now`'s local day and of the next one."""
    start = datetime.combine(now.date(), datetime.min.time(), tzinfo=now.tzinfo)
    return start, start + timedelta(days=1)


def project(facts: DashboardFacts, now: datetime) -> Overview | None:
    """The overview at `now`, or None when the facts cannot tell (another month, or earlier)."""
    today = now.date()
    if facts.empty:
        return Overview(empty=True)
    if today < facts.day or (today.year, today.month) != (facts.day.year, facts.day.month):
        return None
    if facts.latest_order_day > facts.day.isoformat():
        return None  # orders dated after the reading: the month-end figures would move
    return view(facts, now)


def view(facts: DashboardFacts, now: datetime) -> Overview:
    """The overview at `now` of facts read at `now` (orders dated later, e.g. from a clock
    running ahead on another laptop, are simply part of what was read)."""
    if facts.empty:
        return Overview(empty=True)
    today = now.date()
    iso = today.isoformat()
    start, end = day_bounds(now)
    due = [r for r in facts.first_reminders if r.due_on <= iso][:SHOWN_REMINDERS]
    return Overview(
        empty=False,
        overdue=sum(n for day, n in facts.reminder_days.items() if day < iso),
        due_today=facts.reminder_days.get(iso, 0),
        reminders=[replace(r, overdue=r.due_on < iso) for r in due],
        open_chains=list(facts.open_chains),
        pickups=[
            p
            for p in facts.pickup_chains
            if p.start is not None and p.end is not None and p.start < end and p.end >= start
        ],
        next_live=facts.next_live,
        months=_months_at(facts, today),
        lives=list(facts.lives),
        members=facts.members,
        coupons=_coupons_at(facts, today),
        teams=dict(facts.teams),
    )


def _months_at(facts: DashboardFacts, today: date) -> list[MonthStats]:
    """The figures as of `today`: only the current month's dormant count moves with the days."""
    if not facts.months:
        return []
    cutoff = (today - timedelta(days=DORMANT_DAYS)).isoformat()
    dormant = sum(n for day, n in facts.last_order_days.items() if day <= cutoff)
    return [*facts.months[:-1], replace(facts.months[-1], dormant=dormant)]


def _coupons_at(facts: DashboardFacts, today: date) -> list[CouponMonth]:
    """The coupon figures as of `today`: coupons whose last day passed since count as expired."""
    if not facts.coupons:
        return []
    iso = today.isoformat()
    lapsed = [pair for day, pair in facts.coupon_lapsing.items() if day < iso]
    if not lapsed:
        return list(facts.coupons)
    now = facts.coupons[-1]
    now = replace(
        now,
        expired=now.expired + sum(n for n, _cents in lapsed),
        expired_cents=now.expired_cents + sum(cents for _n, cents in lapsed),
    )
    return [*facts.coupons[:-1], now]
