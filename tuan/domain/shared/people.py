"""Finding a member from what a leader types, and adding one on the fly.

One matcher serves chain entry, chain import, live order entry, pickup search and member search:
a nickname or name fragment, a room (`3-1202`, `1202`), pinyin initials (`wy` finds 王阿姨), or
the tail of a phone number.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, and_, or_
from sqlmodel import Session, col, select

from tuan import clock
from tuan.domain.shared.errors import DomainError
from tuan.domain.shared.rooms import Room, parse_room
from tuan.domain.shared.states import MemberSource
from tuan.domain.shared.text import to_halfwidth
from tuan.i18n import N_
from tuan.models import Member

if TYPE_CHECKING:
    from pypinyin import Style
    from pypinyin.core import Pinyin

_INITIALS_RE = re.compile(r"^[a-zA-Z]{1,8}$")


def pinyin_initials(text: str) -> str:
    """`王阿姨` → `way`; letters and digits pass through lower-cased, other symbols drop."""
    from pypinyin import Style  # 0.2 s to import: only when a name is written

    letters = _pinyin().lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default")
    return "".join(ch for part in letters for ch in part.lower() if ch.isascii() and ch.isalnum())


@functools.cache
def _pinyin() -> Pinyin:
    """`pypinyin.lazy_pinyin`'s own converter, remembering every word it has converted.

    A chain import names a thousand new members who share a few hundred characters, and
    converting a word is most of pypinyin's time (2.5 ms → under 1 ms per hundred names).
    Converting depends on nothing but its arguments, so remembering changes no result.
    """
    from pypinyin.converter import UltimateConverter
    from pypinyin.core import Pinyin

    class Remembering(UltimateConverter):
        @functools.lru_cache(maxsize=8192)  # noqa: B019 (one instance, kept for good)
        def _remembered(
            self, words: str, style: Style, heteronym: bool, errors: str, strict: bool
        ) -> list[list[str]]:
            return super().convert(words, style, heteronym, errors, strict)

        def convert(
            self,
            words: str,
            style: Style,
            heteronym: bool,
            errors: Callable[[str], str] | str,
            strict: bool = True,
            **kwargs: Any,
        ) -> list[list[str]]:
            if kwargs or not isinstance(errors, str):
                return super().convert(words, style, heteronym, errors, strict, **kwargs)
            # Copies: callers may change the lists they are handed.
            found = self._remembered(words, style, heteronym, errors, strict)
            return [list(readings) for readings in found]

    return Pinyin(Remembering())


def initials_pattern(query: str) -> str:
    """A LIKE pattern matching initials that hold the typed letters in order: `wy` → `w%y%`."""
    return "%".join(query.lower()) + "%"


def member_filter(query: str) -> ColumnElement[bool] | None:
    """The SQL condition for "members matching what the leader typed" (None: match all)."""
    text = to_halfwidth(query).strip()
    if not text:
        return None
    room = parse_room(text)
    conditions: list[ColumnElement[bool]] = []
    if room is not None:
        conditions.append(_room_condition(room))
        if not room.building:
            conditions.append(col(Member.phone).like(f"%{room.room}"))
    if _INITIALS_RE.match(text):
        conditions.append(col(Member.initials).like(initials_pattern(text)))
    if text.isdigit() and len(text) >= 4:
        conditions.append(col(Member.phone).like(f"%{text}"))
    escaped = text.replace("%", r"\%").replace("_", r"\_")
    conditions.append(col(Member.nickname).like(f"%{escaped}%", escape="\\"))
    conditions.append(col(Member.name).like(f"%{escaped}%", escape="\\"))
    return or_(*conditions)


def _room_condition(room: Room) -> ColumnElement[bool]:
    if room.building:
        return and_(col(Member.building) == room.building, col(Member.room) == room.room)
    return col(Member.room) == room.room


def find_members(session: Session, query: str, limit: int = 20) -> list[Member]:
    """Members matching `query`, best first: exact nickname, then room, then the rest."""
    condition = member_filter(query)
    stmt = select(Member)
    if condition is not None:
        stmt = stmt.where(condition)
    found = list(session.exec(stmt.order_by(col(Member.id)).limit(max(limit * 5, 50))))
    text = to_halfwidth(query).strip()
    room = parse_room(text)

    def rank(member: Member) -> tuple[int, int]:
        if member.nickname == text or member.name == text:
            return (0, member.id or 0)
        if room and member.room == room.room and member.building in ("", room.building):
            return (1, member.id or 0)
        if member.nickname.startswith(text):
            return (2, member.id or 0)
        if member.initials.startswith(text.lower()):
            return (3, member.id or 0)
        return (4, member.id or 0)

    return sorted(found, key=rank)[:limit]


@dataclass(frozen=True)
class MemberDraft:
    """What the leader typed to add a member on the fly."""

    nickname: str
    building: str = ""
    room: str = ""
    phone: str = ""
    name: str = ""


class MemberError(DomainError, ValueError):
    """A member's details were refused; the message says why."""

    code = "member.refused"


class MemberNotFound(DomainError, LookupError):
    """No member with that id."""

    code = "member.not_found"


def create_member(
    session: Session, draft: MemberDraft, *, source: str = MemberSource.OFFLINE
) -> Member:
    """Add a member (not committed); computes the pinyin initials used by search."""
    nickname = draft.nickname.strip()
    if not nickname:
        raise MemberError(N_("昵称不能为空"), "nickname", code="nickname.empty")
    if len(nickname) > 40:
        raise MemberError(N_("昵称太长（最多 40 个字）"), "nickname", code="nickname.too_long")
    phone = re.sub(r"[\s-]", "", to_halfwidth(draft.phone))
    if phone and not re.fullmatch(r"1\d{10}|\d{7,12}", phone):
        message = N_("手机号格式不对：{phone}（应为 11 位手机号）")
        raise MemberError(message, "phone", code="phone.malformed", phone=draft.phone)
    member = Member(
        nickname=nickname,
        name=draft.name.strip(),
        building=draft.building.strip(),
        room=draft.room.strip(),
        phone=phone,
        initials=pinyin_initials(nickname),
        joined_on=clock.today(),
        source=source,
    )
    session.add(member)
    return member


def mask_phone(phone: str) -> str:
    """`13812341234` → `138****1234`; short numbers keep only their last digits."""
    if len(phone) >= 7:
        return f"{phone[:3]}****{phone[-4:]}"
    return "*" * max(len(phone) - 2, 0) + phone[-2:] if phone else ""
