"""Partners (合作点位) and the members each one brought."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from tuan.domain.chains import active_lines
from tuan.models import Member, Order, Partner, Poster


@dataclass(frozen=True)
class PartnerRow:
    """One partner with what its poster brought."""

    id: int
    name: str
    kind: str
    address: str
    contact: str
    code: str
    members: int
    spend_cents: int
    poster_at: datetime | None


def list_partners(session: Session) -> list[PartnerRow]:
    """Partners with members brought, their spend and the current poster's date."""
    lines = active_lines()
    spend = (
        select(Member.partner_id, func.sum(lines.c.cents).label("spend"))
        .join(Order, col(Order.member_id) == col(Member.id))
        .join(lines, lines.c.order_id == Order.id)
        .group_by(Member.partner_id)
        .subquery()
    )
    brought = (
        select(Member.partner_id, func.count().label("members"))
        .group_by(Member.partner_id)
        .subquery()
    )
    poster = (
        select(Poster.partner_id, func.max(Poster.created_at).label("at"))
        .group_by(Poster.partner_id)
        .subquery()
    )
    stmt = (
        select(Partner, brought.c.members, spend.c.spend, poster.c.at)
        .outerjoin(brought, brought.c.partner_id == Partner.id)
        .outerjoin(spend, spend.c.partner_id == Partner.id)
        .outerjoin(poster, poster.c.partner_id == Partner.id)
        .order_by(col(Partner.id))
    )
    from tuan.domain.members import _aware

    return [
        PartnerRow(
            id=p.id,
            name=p.name,
            kind=p.kind,
            address=p.address,
            contact=p.contact,
            code=p.code,
            members=members or 0,
            spend_cents=cents or 0,
            poster_at=_aware(at),
        )
        for p, members, cents, at in session.exec(stmt)  # type: ignore[call-overload]
    ]
