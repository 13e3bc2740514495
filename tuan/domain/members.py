"""Members (团员): the searchable list with what each has spent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from tuan.domain.chains import active_lines
from tuan.domain.people import member_filter
from tuan.i18n import _
from tuan.models import Member, Order, Partner

SOURCE_LABELS = {"partner": "合作点位", "referral": "老带新", "live": "直播", "offline": "线下"}


def source_label(source: str) -> str:
    """The Chinese label of a member's source."""
    return _(SOURCE_LABELS.get(source, source))


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


def list_members(
    session: Session, query: str = "", limit: int = 200
) -> tuple[list[MemberRow], int]:
    """Members matching `query` (nickname, room, pinyin initials, phone tail), by spend.

    Returns the first `limit` rows and how many matched in all.
    """
    lines = active_lines()
    spend = (
        select(
            Order.member_id,
            func.count(func.distinct(Order.id)).label("orders"),
            func.sum(lines.c.cents).label("ltv"),
            func.max(Order.created_at).label("last"),
        )
        .join(lines, lines.c.order_id == Order.id)
        .group_by(Order.member_id)
        .subquery()
    )
    referrer = select(Member.id, Member.nickname).subquery()
    condition = member_filter(query)
    stmt = (
        select(Member, spend.c.orders, spend.c.ltv, spend.c.last, Partner.name, referrer.c.nickname)
        .outerjoin(spend, spend.c.member_id == Member.id)
        .outerjoin(Partner, col(Partner.id) == col(Member.partner_id))
        .outerjoin(referrer, referrer.c.id == Member.referrer_id)
    )
    count_stmt = select(func.count()).select_from(Member)
    if condition is not None:
        stmt = stmt.where(condition)
        count_stmt = count_stmt.where(condition)
    stmt = stmt.order_by(func.coalesce(spend.c.ltv, 0).desc(), col(Member.id)).limit(limit)
    rows = [
        MemberRow(
            id=m.id,
            nickname=m.nickname,
            building=m.building,
            room=m.room,
            phone=m.phone,
            source=m.source,
            source_detail=partner or ref or "",
            is_koc=m.is_koc,
            joined_on=m.joined_on,
            orders=orders or 0,
            ltv_cents=ltv or 0,
            last_order_at=_aware(last),
        )
        for m, orders, ltv, last, partner, ref in session.exec(stmt)  # type: ignore[call-overload]
    ]
    return rows, int(session.exec(count_stmt).one())  # type: ignore[call-overload]


def _aware(value: datetime | str | None) -> datetime | None:
    """Aggregates bypass the column type: read the stored UTC text back."""
    from tuan.models import AwareDateTime

    if value is None or isinstance(value, datetime):
        return value
    return AwareDateTime().process_result_value(value, None)
