"""Reading building and room from the many shapes neighbours type them in."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from tuan.domain.shared.text import cn_to_int, to_halfwidth

# 3-1202, 3—1202, 3#1202, 3号楼1202, 3号楼-1202, 3栋1单元1202, 3幢1202室, 12-1103; B座1502,
# A-1203; 三号楼1202, 十二栋602
_ROOM_RE = re.compile(
    r"(?:(?P<building>\d{1,3})\s*(?:(?:号楼|栋|幢)\s*[-－—_/]?|号|#|-|－|—|_|/)"
    r"|(?P<cn>[一二三四五六七八九十]{1,3})\s*(?:号楼|栋|幢)\s*[-－—_/]?"
    r"|(?<![A-Za-z])(?P<tower>[A-Z])\s*(?:座|栋|幢|号楼|#|-))\s*"
    r"(?:(?P<unit>\d{1,2})\s*(?:单元|-)\s*)?(?P<room>\d{3,4})(?:室|号)?"
)
_BARE_ROOM_RE = re.compile(r"(?<![\d.])(?P<room>\d{3,4})(?:室|号)?(?![\d.])")


@dataclass(frozen=True)
class Room:
    """A household's address inside the compound."""

    building: str
    room: str
    unit: str = ""

    @property
    def label(self) -> str:
        """`3-1202`, `3-1-602` with a unit (or `1202` when the building is unknown)."""
        return f"{self.building}-{self.room}" if self.building else self.room


def find_room(text: str) -> tuple[Room | None, str]:
    """Find a room in free text; returns it and the text with the room removed."""
    norm = to_halfwidth(text)
    found = room_at(norm)
    if found:
        room, (start, end) = found
        return room, (norm[:start] + " " + norm[end:]).strip()
    return None, norm


def room_at(norm: str) -> tuple[Room, tuple[int, int]] | None:
    """The first room in half-width text and where it is (what `find_room` removes)."""
    match = _ROOM_RE.search(norm)
    if match is None:
        return None
    unit, number = match.group("unit") or "", match.group("room")
    # 3栋1单元602 and 3栋2单元602 are two homes: the unit stays in the room (`3-1-602`).
    cn = match.group("cn")
    building = match.group("building") or match.group("tower") or str(cn_to_int(cn) or cn)
    room = Room(building, f"{unit}-{number}" if unit else number, unit)
    return room, match.span()


def door_number(room: str) -> str:
    """The room without its unit: `602` of `1-602` (what a neighbour who skips the unit types)."""
    return room.rpartition("-")[2]


@functools.lru_cache(maxsize=8192)  # an import reads each line's room more than once
def parse_room(text: str) -> Room | None:
    """Read a whole field as a room: `3-1202`, `3号楼1202`, or a bare `1202`."""
    norm = to_halfwidth(text).strip()
    if not norm:
        return None
    room, rest = find_room(norm)
    if room and not rest:
        return room
    bare = _BARE_ROOM_RE.fullmatch(norm)
    return Room("", bare.group("room")) if bare else None


def format_room(building: str, room: str) -> str:
    """The one way rooms are shown: `3-1202`."""
    if building and room:
        return f"{building}-{room}"
    return room or building
