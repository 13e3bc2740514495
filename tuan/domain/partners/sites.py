"""Partners (合作点位): the sites that show a poster, the members each brought, attribution.

Each partner has a short source code (`YD01`) printed on its poster; a member who joined through
that poster gets `source = partner` and the partner's id (`assign_partner_source`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Subquery, func
from sqlmodel import Session, col, select

from tuan.domain.members.listing import _aware
from tuan.domain.partners.posters import PartnerNotFound, qr_status
from tuan.domain.shared.errors import DomainError, Message
from tuan.domain.shared.order_totals import totals_by
from tuan.domain.shared.people import MemberNotFound
from tuan.domain.shared.sql import int_sum, select_columns
from tuan.domain.shared.states import MemberSource
from tuan.domain.shared.text import to_halfwidth
from tuan.i18n import N_
from tuan.models import Member, Order, Partner, Poster

CODE_RE = re.compile(r"^[A-Z0-9]{2,12}$")
LIMITS = {"name": 40, "kind": 20, "address": 80, "contact": 60, "notes": 200}


@dataclass(frozen=True)
class PartnerRow:
    """One partner with what its poster brought and the state of its current poster."""

    id: int
    name: str
    kind: str
    address: str
    contact: str
    code: str
    members: int
    spend_cents: int
    poster_at: datetime | None
    notes: str = ""
    qr_label: str = ""  # 长期有效 / 剩 3 天 / 已过期 2 天 / 未设置
    qr_urgent: bool = False  # the poster needs a new QR (or has none)


def _per_partner() -> tuple[Subquery, Subquery, Subquery]:
    """Subqueries by partner id: members brought, their spend, the newest poster's id."""
    brought_by_partners = select(Member.id).where(col(Member.partner_id).is_not(None))
    per_member = totals_by(col(Order.member_id), col(Order.member_id).in_(brought_by_partners))
    spend = (
        select(Member.partner_id, int_sum(per_member.c.cents).label("spend"))
        .join(per_member, per_member.c.key == Member.id)
        .group_by(col(Member.partner_id))
        .subquery()
    )
    brought = (
        select(Member.partner_id, func.count().label("members"))
        .group_by(col(Member.partner_id))
        .subquery()
    )
    newest = (
        select(Poster.partner_id, func.max(Poster.id).label("poster_id"))
        .group_by(col(Poster.partner_id))
        .subquery()
    )
    return brought, spend, newest


def list_partners(session: Session, now: datetime | None = None) -> list[PartnerRow]:
    """Partners with members brought, their spend and the current poster; one query."""
    brought, spend, newest = _per_partner()
    stmt = (
        select_columns(
            Partner,
            brought.c.members,
            spend.c.spend,
            Poster.created_at,
            Poster.qr_payload,
            Poster.qr_image_path,
            Poster.qr_added_at,
        )
        .outerjoin(brought, brought.c.partner_id == Partner.id)
        .outerjoin(spend, spend.c.partner_id == Partner.id)
        .outerjoin(newest, newest.c.partner_id == Partner.id)
        .outerjoin(Poster, col(Poster.id) == newest.c.poster_id)
        .order_by(col(Partner.id))
    )
    rows = []
    for p, members, cents, at, payload, image, added in session.exec(stmt):
        label, urgent = qr_status(payload or "", image or "", _aware(added), now)
        rows.append(
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
                notes=p.notes,
                qr_label=label,
                qr_urgent=urgent,
            )
        )
    return rows


@dataclass(frozen=True)
class BroughtMember:
    """A member a partner's poster brought."""

    id: int
    nickname: str
    building: str
    room: str
    joined_on: date
    orders: int
    spend_cents: int


def partner_members(session: Session, partner_id: int, limit: int = 200) -> list[BroughtMember]:
    """The members a partner brought, newest first, with their orders and spend."""
    brought = select(Member.id).where(col(Member.partner_id) == partner_id)
    spend = totals_by(col(Order.member_id), col(Order.member_id).in_(brought))
    stmt = (
        select_columns(
            Member.id,
            Member.nickname,
            Member.building,
            Member.room,
            Member.joined_on,
            spend.c.orders,
            spend.c.cents,
        )
        .outerjoin(spend, spend.c.key == Member.id)
        .where(col(Member.partner_id) == partner_id)
        .order_by(col(Member.joined_on).desc(), col(Member.id).desc())
        .limit(limit)
    )
    return [
        BroughtMember(mid, nick, building, room, joined, orders or 0, cents or 0)
        for mid, nick, building, room, joined, orders, cents in session.exec(stmt)
    ]


class PartnerError(DomainError, ValueError):
    """A partner's details were refused; `field` names the form field at fault."""

    code = "partner.refused"


@dataclass(frozen=True)
class PartnerDraft:
    """What the leader typed in the partner form."""

    name: str
    code: str
    kind: str = ""
    address: str = ""
    contact: str = ""
    notes: str = ""


def normalize_code(text: str) -> str:
    """`ｙｄ０１ ` → `YD01`: half-width, trimmed, upper case."""
    return to_halfwidth(text).strip().upper()


def partner_by_code(session: Session, code: str) -> Partner | None:
    """The partner with this source code (any case, full- or half-width), or None."""
    wanted = normalize_code(code)
    return session.exec(select(Partner).where(col(Partner.code) == wanted)).first()


def suggest_code(session: Session, name: str) -> str:
    """A free code from the name's pinyin initials and the next number: `悦动健身` → `YD06`."""
    from tuan.domain.shared.people import pinyin_initials

    letters = "".join(ch for ch in pinyin_initials(name).upper() if ch.isalpha())[:2] or "P"
    taken = set(session.exec(select(Partner.code)))
    number = int(session.exec(select(func.count()).select_from(Partner)).one()) + 1
    while f"{letters}{number:02d}" in taken:
        number += 1
    return f"{letters}{number:02d}"


def check_partner(session: Session, draft: PartnerDraft, partner_id: int | None = None) -> None:
    """Refuse a draft with a clear message on the field at fault.

    Raises:
        PartnerError: empty or too long fields, a malformed or already used code.
    """
    if not draft.name.strip():
        raise PartnerError(N_("名称不能为空，例如：悦动健身（阳光店）"), "name", code="name.empty")
    names = {"name": N_("名称"), "kind": N_("类型"), "address": N_("地址"), "contact": N_("联系人")}
    names["notes"] = N_("备注")
    for field, label in names.items():
        value = getattr(draft, field).strip()
        if len(value) > LIMITS[field]:
            message = N_("{label}太长（{n} 字），最多 {limit} 字")
            raise PartnerError(
                message,
                field,
                code=f"{field}.too_long",
                label=Message(label),
                n=len(value),
                limit=LIMITS[field],
            )
    code = normalize_code(draft.code) or suggest_code(session, draft.name)
    if not CODE_RE.match(code):
        message = N_("来源码只能用 2 到 12 个字母或数字，例如 YD01（现在是：{code}）")
        typed = Message(message, code=draft.code.strip() or Message(N_("空")))
        raise PartnerError(typed, "code", code="code.malformed")
    other = partner_by_code(session, code)
    if other is not None and other.id != partner_id:
        message = N_("来源码 {code} 已经给了「{name}」，请换一个")
        taken = Message(message, code=code, name=other.name)
        raise PartnerError(taken, "code", code="code.taken")


def save_partner(session: Session, draft: PartnerDraft, partner_id: int | None = None) -> Partner:
    """Add a partner (no id) or change one (not committed); an empty code gets a suggested one.

    Raises:
        PartnerError: the draft is refused.
        PartnerNotFound: `partner_id` names no partner.
    """
    check_partner(session, draft, partner_id)
    if partner_id is None:
        partner = Partner(name="", code="")
    else:
        found = session.get(Partner, partner_id)
        if found is None:
            raise PartnerNotFound(N_("找不到合作点位 {id}"), id=partner_id)
        partner = found
    partner.name = draft.name.strip()
    partner.code = normalize_code(draft.code) or suggest_code(session, partner.name)
    partner.kind = draft.kind.strip()
    partner.address = draft.address.strip()
    partner.contact = draft.contact.strip()
    partner.notes = draft.notes.strip()
    session.add(partner)
    session.flush()
    return partner


def assign_partner_source(session: Session, member_id: int, code: str) -> Member:
    """Record that a member came through the partner with this source code (not committed).

    Raises:
        PartnerError: no partner has this code.
        MemberNotFound: no member has this id (a LookupError).
    """
    partner = partner_by_code(session, code)
    if partner is None:
        message = N_("没有来源码为 {code} 的合作点位，用 `tuan partner list` 查看来源码")
        unknown = Message(message, code=normalize_code(code) or Message(N_("空")))
        raise PartnerError(unknown, "code", code="code.unknown")
    member = session.get(Member, member_id)
    if member is None:
        raise MemberNotFound(N_("找不到团员 {id}"), id=member_id)
    member.source = MemberSource.PARTNER
    member.partner_id = partner.id
    session.add(member)
    session.flush()
    return member
