"""Members (团员): the searchable, filterable list with what each has spent.

The per-member figures (orders, lifetime value, last order, points) are kept by the database, a
row per member (`member_stats`); a screen reads them once and reuses them for every search
keystroke, so typing stays instant with 50,000 members. The first page, unfiltered, is read
from the index on spend alone (`top_spenders`).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import exists, func, or_
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from tuan import clock
from tuan.domain.shared.people import member_filter
from tuan.domain.shared.sql import select_columns
from tuan.domain.shared.states import MemberSource
from tuan.i18n import N_, _
from tuan.models import (
    AwareDateTime,
    Member,
    MemberFigures,
    MemberTag,
    Partner,
    Tag,
)

SOURCE_LABELS: dict[str, str] = {
    MemberSource.PARTNER: N_("合作点位"),
    MemberSource.REFERRAL: N_("老带新"),
    MemberSource.LIVE: N_("直播"),
    MemberSource.OFFLINE: N_("线下"),
}


def source_label(source: str) -> str:
    """The Chinese label of a member's source."""
    return _(SOURCE_LABELS.get(source, source))


@dataclass(frozen=True)
class MemberStats:
    """What a member has done: active orders, lifetime value, last order, points balance."""

    orders: int = 0
    ltv_cents: int = 0
    last_order_at: datetime | None = None
    points: int = 0
    first_order_at: datetime | None = None

    def days_since_order(self, today: date) -> int | None:
        """Whole days since the last order (None: never ordered)."""
        if self.last_order_at is None:
            return None
        return (today - clock.local(self.last_order_at).date()).days


@dataclass(frozen=True)
class MemberFilter:
    """What the leader narrowed the list to."""

    query: str = ""
    tag_id: int | None = None
    source: str = ""  # '' = any
    koc_only: bool = False
    dormant_days: int | None = None  # no order for at least this many days (has ordered)
    never_ordered: bool = False


@dataclass(frozen=True)
class MemberRow:
    """One line of the members list."""

    id: int
    nickname: str
    building: str
    room: str
    phone: str
    source: str
    source_detail: str  # partner name or referrer nickname
    is_koc: bool
    joined_on: date
    orders: int
    ltv_cents: int
    last_order_at: datetime | None
    points: int = 0
    tags: tuple[str, ...] = ()


# One instance: making a column type per value cost the xl demo's member figures half a second.
_AWARE = AwareDateTime()


def aware(value: datetime | str | None) -> datetime | None:
    """Aggregates can bypass the column type: read stored UTC text back as an aware time."""
    if value is None or isinstance(value, datetime):
        return value
    return _AWARE.process_result_value(value, None)


_aware = aware  # the name other modules import


# A member's figures in the order `_figures` reads them.
_FIGURES = (
    col(MemberFigures.member_id),
    col(MemberFigures.order_count),
    col(MemberFigures.spend_cents),
    col(MemberFigures.last_order_at),
    col(MemberFigures.first_order_at),
    col(MemberFigures.points),
)


def _figures(rows: Iterable[tuple]) -> dict[int, MemberStats]:
    return {
        m: MemberStats(n, cents, aware(last), points, aware(first))
        for m, n, cents, last, first, points in rows
    }


def member_stats(session: Session) -> dict[int, MemberStats]:
    """Orders, lifetime value, first and last order and points of every member who has any.
    Cancelled orders do not count; refunds are taken off.

    The database keeps them, a row per member (`MemberFigures`, migration 15), so this reads
    one row per member instead of totalling every order.
    """
    f = MemberFigures
    anything = or_(col(f.order_count) != 0, col(f.spend_cents) != 0, col(f.points) != 0)
    stmt = select_columns(*_FIGURES).where(anything)
    return _figures(session.connection().execute(stmt))


def top_spenders(session: Session, limit: int) -> tuple[list[MemberRow], int] | None:
    """The unfiltered list's first `limit` rows and how many members there are, read from the
    index on spend without every member's figures (the first page of a big leader's list).

    None when fewer than `limit` members spent anything: the page goes on with those who did
    not, which `list_members` orders.
    """
    stmt = (
        select_columns(*_FIGURES)
        .where(col(MemberFigures.spend_cents) > 0)
        .order_by(col(MemberFigures.spend_cents).desc(), col(MemberFigures.member_id))
        .limit(limit)
    )
    connection = session.connection()
    figures = _figures(connection.execute(stmt))
    if len(figures) < limit:
        return None
    total = connection.execute(select(func.count()).select_from(Member)).scalar_one()
    return _rows_for(session, list(figures), figures), int(total)


def _matching_ids(filters: MemberFilter) -> SelectOfScalar[int | None]:
    """Ids of members matching the search, tag, source and KOC filters (one light query)."""
    stmt = select(col(Member.id))
    condition = member_filter(filters.query)
    if condition is not None:
        stmt = stmt.where(condition)
    if filters.tag_id is not None:
        stmt = stmt.where(
            exists().where(
                col(MemberTag.member_id) == col(Member.id), col(MemberTag.tag_id) == filters.tag_id
            )
        )
    if filters.source:
        stmt = stmt.where(col(Member.source) == filters.source)
    if filters.koc_only:
        stmt = stmt.where(col(Member.is_koc))
    return stmt


def _display_rows(session: Session, ids: list[int]) -> dict[int, tuple]:
    """The columns the list shows, for the members on screen only."""
    referrer = select(Member.id, Member.nickname).subquery()
    stmt = (
        select_columns(
            Member.id,
            Member.nickname,
            Member.building,
            Member.room,
            Member.phone,
            Member.source,
            Member.is_koc,
            Member.joined_on,
            Partner.name,
            referrer.c.nickname,
        )
        .outerjoin(Partner, col(Partner.id) == col(Member.partner_id))
        .outerjoin(referrer, referrer.c.id == Member.referrer_id)
        .where(col(Member.id).in_(ids))
    )
    return {row[0]: tuple(row) for row in session.connection().execute(stmt)}


def quiet_since(today: date, days: int) -> datetime:
    """The moment after which an order means "not dormant for `days` days" (local midnight).

    A member is dormant for N days when their last order's local date is at least N days
    before today, i.e. the order came before midnight starting day `today - N + 1`.
    """
    day = today - timedelta(days=days - 1)
    return datetime.combine(day, datetime.min.time(), tzinfo=clock.local_zone())


def _keep(stats: MemberStats, filters: MemberFilter, cutoff: datetime | None) -> bool:
    if filters.never_ordered and stats.orders:
        return False
    if cutoff is not None:
        return stats.last_order_at is not None and stats.last_order_at < cutoff
    return True


def spend_ranking(stats: dict[int, MemberStats]) -> list[int]:
    """Members who spent anything, biggest spenders first (ties: by id), for `list_members`.

    Computed once with the figures; each search then walks it instead of sorting every match
    (50,000 members: ~100 ms a keystroke saved).
    """
    spent = [(-s.ltv_cents, m) for m, s in stats.items() if s.ltv_cents > 0]
    spent.sort()
    return [m for _c, m in spent]


def list_members(
    session: Session,
    query: str = "",
    limit: int = 200,
    *,
    filters: MemberFilter | None = None,
    stats: dict[int, MemberStats] | None = None,
    today: date | None = None,
    ranking: list[int] | None = None,
) -> tuple[list[MemberRow], int]:
    """Members matching the search and filters, biggest spenders first.

    Args:
        query: nickname, name, room, pinyin initials or phone tail (ignored when `filters` given).
        limit: how many rows to return.
        filters: search text plus tag, source, KOC and dormancy filters.
        stats: `member_stats(session)` computed earlier (computed here when None).
        today: the day dormancy is measured from.
        ranking: `spend_ranking(stats)` computed earlier (optional, for speed).

    Returns the first `limit` rows and how many matched in all.
    """
    filters = filters or MemberFilter(query=query)
    stats = member_stats(session) if stats is None else stats
    today = today or clock.today()
    empty = MemberStats()
    if ranking is not None and filters.dormant_days is None and not filters.never_ordered:
        ids, total = _ranked_ids(session, filters, ranking, stats, limit)
    else:
        matched = [
            (member_id or 0, stats.get(member_id or 0, empty))
            for member_id in session.connection().execute(_matching_ids(filters)).scalars()
        ]
        cutoff = None if filters.dormant_days is None else quiet_since(today, filters.dormant_days)
        matched = [(m, s) for m, s in matched if _keep(s, filters, cutoff)]
        matched.sort(key=lambda pair: (-pair[1].ltv_cents, pair[0]))
        ids, total = [m for m, _s in matched[:limit]], len(matched)
    return _rows_for(session, ids, stats), total


def _rows_for(session: Session, ids: list[int], stats: dict[int, MemberStats]) -> list[MemberRow]:
    columns = _display_rows(session, ids)
    tags = tags_of(session, ids)
    empty = MemberStats()
    return [_row(columns[m], stats.get(m, empty), tags.get(m, [])) for m in ids]


def _ranked_ids(
    session: Session,
    filters: MemberFilter,
    ranking: list[int],
    stats: dict[int, MemberStats],
    limit: int,
) -> tuple[list[int], int]:
    """The first `limit` matching ids in spending order, and how many match (no dormancy)."""
    connection = session.connection()
    if filters == MemberFilter() and len(ranking) >= limit:
        total = connection.execute(select(func.count()).select_from(Member)).scalar_one()
        return ranking[:limit], int(total)
    found = connection.execute(_matching_ids(filters)).scalars().all()
    matched = {m for m in found if m is not None}
    ids: list[int] = []
    for member_id in ranking:
        if member_id in matched:
            ids.append(member_id)
            if len(ids) == limit:
                return ids, len(matched)
    # Then those who spent nothing (or less), as the sort by (-spend, id) puts them.
    spent, empty = set(ranking), MemberStats()
    rest = (m for m in matched if m not in spent)
    ids += heapq.nsmallest(
        limit - len(ids), rest, key=lambda m: (-stats.get(m, empty).ltv_cents, m)
    )
    return ids, len(matched)


def _row(r: tuple, figures: MemberStats, tags: list[str]) -> MemberRow:
    return MemberRow(
        id=r[0],
        nickname=r[1],
        building=r[2],
        room=r[3],
        phone=r[4],
        source=r[5],
        source_detail=r[8] or r[9] or "",
        is_koc=bool(r[6]),
        joined_on=r[7] if isinstance(r[7], date) else date.fromisoformat(r[7]),
        orders=figures.orders,
        ltv_cents=figures.ltv_cents,
        last_order_at=figures.last_order_at,
        points=figures.points,
        tags=tuple(tags),
    )


def tags_of(session: Session, member_ids: list[int]) -> dict[int, list[str]]:
    """Tag names per member, for the given members (alphabetical by tag name)."""
    found: dict[int, list[str]] = {}
    for start in range(0, len(member_ids), 500):
        chunk = member_ids[start : start + 500]
        stmt = (
            select(MemberTag.member_id, Tag.name)
            .join(Tag, col(Tag.id) == col(MemberTag.tag_id))
            .where(col(MemberTag.member_id).in_(chunk))
            .order_by(col(Tag.name))
        )
        for member_id, name in session.exec(stmt):
            found.setdefault(member_id, []).append(name)
    return found
