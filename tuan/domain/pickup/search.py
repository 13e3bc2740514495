"""Filtering the pickup checklist as the leader types, in memory, over rows already loaded.

The rules are the member matcher's (`shared.people.member_filter`): a room (`3-1202` or a
bare `1202`), pinyin initials in order (`wy` → 王阿姨, through `people.initials_pattern`), a phone
tail, or part of the nickname or name; the checklist adds the order's sequence number (`12`,
`#12`). Filtering 2,000 rows this way takes about a millisecond, so each keystroke can redraw at
once without a database round trip.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from tuan.domain.pickup.checklist import CheckRow
from tuan.domain.shared.people import initials_pattern
from tuan.domain.shared.rooms import parse_room
from tuan.domain.shared.states import PickupState
from tuan.domain.shared.text import to_halfwidth

Matcher = Callable[[CheckRow], bool]
_MAX_INITIALS = 8  # as in people.member_filter


def _like_to_regex(pattern: str) -> re.Pattern[str]:
    """The SQL LIKE pattern people.initials_pattern builds, as a regex for fullmatch."""
    return re.compile(".*".join(re.escape(part) for part in pattern.split("%")), re.DOTALL)


def _seq_of(text: str) -> int | None:
    bare = text.removeprefix("#").removesuffix("号")  # i18n-keep: input grammar
    return int(bare) if bare.isdigit() else None


def row_matcher(query: str) -> Matcher | None:
    """A test for "this order matches what the leader typed" (None: everything matches)."""
    text = to_halfwidth(query).strip()
    if not text:
        return None
    tests: list[Matcher] = []
    seq = _seq_of(text)
    if seq is not None:
        tests.append(lambda r: (r.group_seq if r.group else r.seq) == seq)
    room = parse_room(text)
    if room is not None:
        if room.building:
            tests.append(lambda r: r.room == room.room and r.building == room.building)
        else:
            tests.append(lambda r: r.room == room.room or r.phone.endswith(room.room))
    if text.isascii() and text.isalpha() and len(text) <= _MAX_INITIALS:
        initials = _like_to_regex(initials_pattern(text))
        tests.append(lambda r: initials.fullmatch(r.initials) is not None)
    if text.isdigit() and len(text) >= 4:
        tests.append(lambda r: r.phone.endswith(text))
    folded = text.casefold()
    tests.append(lambda r: folded in r.nickname.casefold() or folded in r.name.casefold())
    return lambda row: any(test(row) for test in tests)


@dataclass(frozen=True)
class Filters:
    """What the checklist shows: the search text and the two toggles."""

    query: str = ""
    uncollected_only: bool = False
    unpaid_only: bool = False

    @property
    def active(self) -> bool:
        """True when some rows may be hidden."""
        return bool(self.query.strip()) or self.uncollected_only or self.unpaid_only


def filter_rows(rows: Iterable[CheckRow], filters: Filters) -> list[CheckRow]:
    """Rows that pass the search and the toggles, in their household order."""
    matcher = row_matcher(filters.query)
    return [
        row
        for row in rows
        if (not filters.uncollected_only or row.state != PickupState.ALL)
        and (not filters.unpaid_only or not row.paid)
        and (matcher is None or matcher(row))
    ]
