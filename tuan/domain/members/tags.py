"""Tags on members: the leader's own, and automatic ones that rules keep up to date."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from tuan.domain.shared.errors import DomainError
from tuan.i18n import N_
from tuan.models import Member, MemberTag, Tag


class TagError(DomainError, ValueError):
    """A tag change was refused; the message says why."""

    code = "tag.refused"


@dataclass(frozen=True)
class TagInfo:
    """A tag, whether a rule maintains it, and how many members wear it."""

    id: int
    name: str
    auto: bool
    members: int = 0


def all_tags(session: Session) -> list[TagInfo]:
    """Every tag with its member count: the leader's own first, then automatic ones, by name."""
    counts = (
        select(MemberTag.tag_id, func.count().label("n")).group_by(col(MemberTag.tag_id)).subquery()
    )
    stmt = (
        select(Tag.id, Tag.name, Tag.rule_id, counts.c.n)
        .outerjoin(counts, counts.c.tag_id == Tag.id)
        .order_by(col(Tag.rule_id).is_not(None), col(Tag.id))
    )
    return [
        TagInfo(i, name, rule is not None, n or 0)
        for i, name, rule, n in session.connection().execute(stmt)
    ]


def member_tags(session: Session, member_id: int) -> list[TagInfo]:
    """The tags one member wears."""
    stmt = (
        select(Tag.id, Tag.name, Tag.rule_id)
        .join(MemberTag, col(MemberTag.tag_id) == col(Tag.id))
        .where(col(MemberTag.member_id) == member_id)
        .order_by(col(Tag.rule_id).is_not(None), col(Tag.id))
    )
    return [TagInfo(i, n, r is not None) for i, n, r in session.connection().execute(stmt)]


def _member(session: Session, member_id: int) -> Member:
    member = session.get(Member, member_id)
    if member is None:
        raise TagError(N_("找不到团员 {id}"), code="member.not_found", id=member_id)
    return member


def _manual_tag(session: Session, tag_id: int) -> Tag:
    tag = session.get(Tag, tag_id)
    if tag is None:
        raise TagError(N_("找不到标签 {id}"), code="tag.not_found", id=tag_id)
    if tag.rule_id is not None:
        message = N_("「{name}」是自动标签，由规则维护；要改请到规则里调整")
        raise TagError(message, "tag", code="tag.automatic", name=tag.name)
    return tag


def add_tag(session: Session, member_id: int, name: str) -> Tag:
    """Put a tag (made if new) on a member; nothing happens if they already wear it."""
    name = name.strip().lstrip("#").strip()
    if not name:
        raise TagError(N_("标签名不能为空"), "tag", code="tag.empty")
    if len(name) > 20:
        raise TagError(N_("标签名太长（最多 20 个字）"), "tag", code="tag.too_long")
    _member(session, member_id)
    tag = session.exec(select(Tag).where(col(Tag.name) == name)).first()
    if tag is None:
        tag = Tag(name=name)
        session.add(tag)
        session.flush()
    _manual_tag(session, tag.id or 0)
    if session.get(MemberTag, (member_id, tag.id)) is None:
        session.add(MemberTag(member_id=member_id, tag_id=tag.id or 0))
    return tag


def remove_tag(session: Session, member_id: int, tag_id: int) -> None:
    """Take a tag off a member."""
    _manual_tag(session, tag_id)
    link = session.get(MemberTag, (member_id, tag_id))
    if link is not None:
        session.delete(link)


def toggle_tag(session: Session, member_id: int, tag_id: int) -> bool:
    """Put the tag on, or take it off; returns whether the member now wears it."""
    tag = _manual_tag(session, tag_id)
    _member(session, member_id)
    link = session.get(MemberTag, (member_id, tag_id))
    if link is None:
        session.add(MemberTag(member_id=member_id, tag_id=tag.id or 0))
        return True
    session.delete(link)
    return False
