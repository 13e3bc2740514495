"""Who wrote this chain line? Matching a pasted name and room to the leader's members.

An import reads hundreds of lines at once, so instead of one `people.find_members` search per
line, the members are read once (five columns) into an index by name and by room. A name is
compared without emoji, spaces and punctuation (`🌸王阿姨` is `王阿姨`); a room matches with or
without its building. The result is `matched`, `new` (nobody fits: a member will be created),
`ambiguous` (several fit: the leader picks) or `missing` (no name and no room).
"""

from __future__ import annotations

import functools
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, col

from tuan.domain.shared.rooms import Room, door_number, format_room, parse_room
from tuan.domain.shared.sql import select_columns
from tuan.domain.shared.states import MatchStatus
from tuan.domain.shared.text import to_halfwidth
from tuan.i18n import _
from tuan.models import Member

MATCHED, NEW, AMBIGUOUS, MISSING = (
    MatchStatus.MATCHED,
    MatchStatus.NEW,
    MatchStatus.AMBIGUOUS,
    MatchStatus.MISSING,
)
# Emoji and pictographs (So, Sk), joiners (Cf), private use (Co); emoji variation selectors.
_SYMBOL_CATEGORIES = frozenset({"So", "Sk", "Cf", "Co", "Cs"})
_EMOJI_MARKS = frozenset("\ufe0e\ufe0f\u20e3")


@dataclass(frozen=True)
class Known:
    """A member as the matcher sees it."""

    id: int
    nickname: str
    name: str
    building: str
    room: str

    @property
    def label(self) -> str:
        """`王阿姨 3-1202`."""
        return f"{self.nickname} {format_room(self.building, self.room)}".strip()


@dataclass(frozen=True)
class MemberMatch:
    """Who a line belongs to.

    Attributes:
        status: matched, new, ambiguous or missing.
        member_id: The member when matched.
        candidates: Members the leader may pick instead (several for ambiguous; same name or
            same room for new).
        note: Why, when it is worth a look.
    """

    status: str
    member_id: int | None = None
    candidates: tuple[Known, ...] = ()
    note: str = ""


def plain_nickname(text: str) -> str:
    """A pasted name without emoji and symbols (`🌸Amy～` → `Amy`), for tables to line up.

    A name made only of symbols is kept as it is, so nobody ends up without a name.
    """
    kept = "".join(
        ch
        for ch in text
        if unicodedata.category(ch) not in _SYMBOL_CATEGORIES
        and ch not in _EMOJI_MARKS
        and ch not in "～~"  # i18n-keep: input grammar
    )
    return " ".join(kept.split()) or text.strip()


@functools.lru_cache(maxsize=8192)  # an import asks for each line's name several times
def core_name(text: str) -> str:
    """A name reduced to letters and digits, lower-cased: `🌸 Lily～` → `lily`."""
    return "".join(filter(str.isalnum, to_halfwidth(text).lower()))


class MemberIndex:
    """Members by name and by room, for matching many lines at once."""

    def __init__(self, members: Iterable[Known]) -> None:
        self.by_id: dict[int, Known] = {}
        self._names: dict[str, list[Known]] = defaultdict(list)
        self._rooms: dict[str, list[Known]] = defaultdict(list)
        self._doors: dict[str, list[Known]] = defaultdict(list)  # by room without its unit
        for member in members:
            self.by_id[member.id] = member
            nickname, name = core_name(member.nickname), core_name(member.name)
            if nickname:
                self._names[nickname].append(member)
            if name and name != nickname:
                self._names[name].append(member)
            if member.room:
                self._rooms[member.room].append(member)
                self._doors[door_number(member.room)].append(member)

    @classmethod
    def load(cls, session: Session) -> MemberIndex:
        """Every member, in one query of the five columns matching needs."""
        stmt = select_columns(Member.id, Member.nickname, Member.name, Member.building, Member.room)
        return cls(Known(*row) for row in session.exec(stmt.order_by(col(Member.id))))

    def by_name(self, name: str) -> list[Known]:
        """Members whose nickname or name is `name` (emoji and punctuation ignored)."""
        key = core_name(name)
        return list(self._names.get(key, [])) if key else []

    def knows(self, name: str) -> bool:
        """Whether some member goes by this name (the chain reader asks about `小米 2`)."""
        key = core_name(name)
        return bool(key) and key in self._names

    def by_room(self, room: Room) -> list[Known]:
        """Members in this room (a member without a building matches any building).

        When no one is recorded in exactly this room, a room written with its unit on one side
        only (`3-1-602` and `3-602`) is the same home.
        """
        building = room.building  # `_same_building`, inlined: asked of ~10 members a line
        exact = [
            m
            for m in self._rooms.get(room.room, ())
            if not building or not m.building or m.building == building
        ]
        if exact:
            return exact
        door = door_number(room.room)
        return [
            m
            for m in self._doors.get(door, ())
            if self._same_building(m, room) and door in (m.room, room.room)
        ]

    @staticmethod
    def _same_building(member: Known, room: Room) -> bool:
        return not room.building or not member.building or member.building == room.building

    def match(self, name: str, room_label: str | None, hint: int | None = None) -> MemberMatch:
        """Match a line's name and room; `hint` is the member already on this sequence number."""
        room = parse_room(room_label) if room_label else None
        named = self.by_name(name)
        housed = self.by_room(room) if room else []
        if hint is not None and any(m.id == hint for m in (*named, *housed)):
            return MemberMatch(MATCHED, hint)
        if named and room:
            return self._name_and_room(name, named, housed)
        if room:
            return self._room_only(name, housed)
        if len(named) == 1:
            return MemberMatch(MATCHED, named[0].id)
        if named:
            note = _("有 {n} 位团员叫这个名字，请选一位").format(n=len(named))
            return MemberMatch(AMBIGUOUS, None, tuple(named), note)
        if core_name(name):
            return MemberMatch(NEW)
        return MemberMatch(MISSING, note=_("没有名字或房号，请选择团员或跳过"))

    def _name_and_room(self, name: str, named: list[Known], housed: list[Known]) -> MemberMatch:
        both = [m for m in named if m in housed]
        if len(both) == 1:
            return MemberMatch(MATCHED, both[0].id)
        if both:
            return MemberMatch(AMBIGUOUS, None, tuple(both), _("同名同房号的团员有好几位"))
        roomless = [m for m in named if not m.room]
        if len(named) == 1 and roomless:
            return MemberMatch(MATCHED, named[0].id)
        loose = _loose(name, housed)
        if len(loose) == 1:
            return MemberMatch(MATCHED, loose[0].id)
        others = _("、").join(m.label for m in named[:3])
        note = _("已有同名团员（{others}），房号不同，按新团员处理").format(others=others)
        return MemberMatch(NEW, None, tuple(named + housed), note)

    def _room_only(self, name: str, housed: list[Known]) -> MemberMatch:
        """A name nobody has, in a room: the same household under another name, or someone new."""
        loose = _loose(name, housed)
        if len(loose) == 1:
            return MemberMatch(MATCHED, loose[0].id)
        if not core_name(name):
            if len(housed) == 1:
                return MemberMatch(MATCHED, housed[0].id)
            if housed:
                note = _("这个房号有 {n} 位团员").format(n=len(housed))
                return MemberMatch(AMBIGUOUS, None, tuple(housed), note)
            return MemberMatch(NEW)
        if housed:
            others = _("、").join(m.label for m in housed[:3])
            note = _("同一房号已有团员（{others}），名字不同，按新团员处理").format(others=others)
            return MemberMatch(NEW, None, tuple(housed), note)
        return MemberMatch(NEW)


def _loose(name: str, members: list[Known]) -> list[Known]:
    """Members whose name contains the typed one or is contained in it (`Amy` / `Amy妈妈`)."""
    key = core_name(name)
    if not key:
        return []
    found = []
    for m in members:
        other = core_name(m.nickname)
        if other and (key in other or other in key):
            found.append(m)
    return found
