"""One-line order entry during a live: `王阿姨 2`, `3-1202 套装2`, `wy 亚麻1`.

The line names a member (nickname, room or pinyin initials, matched by `people.find_members`) and
what they take (read by `quantity.read_quantities` against the live's chain). A bare quantity
means the current segment's featured item, or the chain's only item. The order is placed at the
price of the moment (flash price while the sale is open and its cap lasts) with the first-N gift,
and committed at once in its own transaction. `+小周 5-302 套装1` adds a new member on the spot.
A line ending in `券` (`王阿姨 2 券`, `3-1202 套装2券`) uses the member's best usable coupon on
the order (the one that takes most off); when none fits, the line is refused and nothing is kept.

Adapter note: `quantity.Catalog` is keyed by strings, so chain items are keyed by their id as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from tuan import clock
from tuan.domain.live.shows import LiveError, get_live
from tuan.domain.members.coupons import CouponError, redeem_best
from tuan.domain.shared.errors import DomainError, Message
from tuan.domain.shared.item_names import Catalog, CatalogItem
from tuan.domain.shared.money import format_money
from tuan.domain.shared.orders import LineRequest, OrderError, place_order
from tuan.domain.shared.people import MemberDraft, MemberError, create_member, find_members
from tuan.domain.shared.quantity import QtyReading, read_quantities
from tuan.domain.shared.rooms import Room, find_room, format_room, parse_room
from tuan.domain.shared.states import LiveStatus, MemberSource, OrderChannel
from tuan.domain.shared.team_words import split_team_words
from tuan.domain.shared.teams import TeamError
from tuan.domain.shared.text import to_halfwidth
from tuan.i18n import N_, _
from tuan.models import ChainItem, Member, OrderLine, Segment

if TYPE_CHECKING:
    from tuan.db import Database

MAX_CANDIDATES = 5


class EntryError(DomainError, ValueError):
    """The line could not be taken; the message says why and how to write it.

    Attributes:
        candidates: Members the line could mean, when it was ambiguous (`王阿姨 1-302`).
        candidate_ids: Their ids, in the same order (the leader picks one by its number).
    """

    code = "entry.refused"

    def __init__(
        self,
        message: str | Message,
        candidates: tuple[str, ...] = (),
        candidate_ids: tuple[int, ...] = (),
        /,
        *,
        code: str | None = None,
        **params: object,
    ) -> None:
        super().__init__(message, code=code, **params)
        self.candidates = candidates
        self.candidate_ids = candidate_ids


@dataclass(frozen=True)
class ParsedEntry:
    """A line understood: who, what, and the leftover note."""

    member_id: int | None
    lines: tuple[LineRequest, ...]
    note: str = ""
    new_member: MemberDraft | None = None


@dataclass(frozen=True)
class EntryResult:
    """What happened to a line, for the leader to read at a glance."""

    ok: bool
    message: str
    order_id: int | None = None
    seq: int | None = None
    cents: int = 0
    gift: str = ""
    candidates: tuple[str, ...] = field(default=())
    candidate_ids: tuple[int, ...] = field(default=())


def live_catalog(session: Session, chain_id: int) -> tuple[Catalog, dict[int, ChainItem]]:
    """The chain's items as a catalogue for `read_quantities` (keys are item ids as text)."""
    items = session.exec(
        select(ChainItem)
        .where(col(ChainItem.chain_id) == chain_id)
        .order_by(col(ChainItem.position), col(ChainItem.id))
    ).all()
    catalog = Catalog(
        (
            CatalogItem(
                key=str(item.id),
                name=item.name,
                spec=item.spec,
                aliases=tuple(item.aliases.split()),
                code=item.code,
            )
            for item in items
        ),
        initials=True,  # `wy tz2`: the kit by its pinyin initials
    )
    return catalog, {item.id or 0: item for item in items}


def parse_entry(
    session: Session, live_id: int, line: str, member_id: int | None = None
) -> ParsedEntry:
    """Understand one line against a livestream's chain and members (nothing is written).

    `member_id`: the member the leader picked by number when the line's name fitted several;
    the line's name or room is then only read, not matched.

    Raises:
        EntryError: no member, an unknown or ambiguous member, no quantity, an unknown item.
    """
    live = get_live(session, live_id)
    if live.chain_id is None:
        raise EntryError(N_("这场直播没有关联接龙：先在流程编辑里关联接龙"), code="live.no_chain")
    text = " ".join(to_halfwidth(line).split())
    if not text:
        raise EntryError(
            N_("请输入一单，例如 王阿姨 2、3-1202 套装2、wy 亚麻1"), code="entry.empty"
        )
    catalog, items = live_catalog(session, live.chain_id)
    if text.startswith("+") and text[1:2] and not text[1].isdigit():
        return _new_member_entry(session, live_id, text[1:].strip(), catalog, items)
    who, reading, room, words = _split(text, catalog)
    _check_numbers(text, reading)
    member = _match_member(session, who, room) if member_id is None else _picked(session, member_id)
    lines = _lines(session, live_id, reading, items, words)
    return ParsedEntry(member.id, lines, " ".join(x for x in (words, reading.rest) if x))


def _check_numbers(text: str, reading: QtyReading) -> None:
    """Refuse `套装99999` or `-1` rather than take them as one (a number left in the note)."""
    odd = [*reading.unclear, *re.findall(r"\d{4,}", reading.rest)]
    odd += re.findall(r"(?<!\d)[-−]\s*\d+", text)
    odd = list(dict.fromkeys(odd))  # `-1` is both unclear and a minus sign: said once
    if odd:
        message = N_("看不懂的数量：{text}，每样请写 1 到 999 件")
        raise EntryError(message, code="qty.unclear", text=_("、").join(odd))


def _split(text: str, catalog: Catalog) -> tuple[str, QtyReading, Room | None, str]:
    """Separate who (name or room) from what (items and quantities).

    Returns:
        who, the reading of the items, the room, and loose words among the items (a note, or an
        unknown product when a bare quantity follows them: `王阿姨 牛奶2`).
    """
    room, rest = find_room(text)
    if room is not None:
        reading = read_quantities(rest, catalog)
        return reading.lead, reading, room, ""
    head, _sep, tail = text.partition(" ")
    if tail and (parse_room(head) is not None or not read_quantities(head, catalog).items):
        # `米米妈 套装2`: the first word is the member, even if it looks like an item name.
        who, reading = head, read_quantities(tail, catalog)
        words = reading.lead
    else:
        reading = read_quantities(text, catalog)
        who, words = reading.lead, ""
    bare = parse_room(who)  # `1202 2`: a room without its building
    return ("", reading, bare, words) if bare is not None else (who, reading, None, words)


def _tier(member: Member, who: str, room: Room | None) -> int:
    """How well a member fits (lower is better); the best tier must hold exactly one member."""
    lowered = who.lower()
    if who and (member.nickname == who or member.name == who):
        return 0
    if room is not None and member.room == room.room:
        return 1 if member.building == room.building or not room.building else 9
    if who and member.initials == lowered:
        return 2
    if who and member.nickname.startswith(who):
        return 3
    if who and member.initials.startswith(lowered):
        return 4
    return 5


def _match_member(session: Session, who: str, room: Room | None) -> Member:
    query = room.label if room is not None else who
    if not query:
        raise EntryError(N_("先写团员：昵称、房号或拼音首字母，例如 王阿姨 2"), code="member.none")
    found = find_members(session, query, limit=50)
    if room is not None:
        found = [m for m in found if _tier(m, "", room) == 1]
        if who:
            found = [
                m for m in found if who in m.nickname or who in m.name or _tier(m, who, None) <= 4
            ]
    label = f"{room.label} {who}".strip() if room is not None else who
    if not found and room is not None and who:
        message = N_("{room} 没有叫「{who}」的团员；如果「{who}」是商品，接龙里也没有它")
        raise EntryError(message, code="member.not_found", room=room.label, who=who)
    if not found:
        missing = Message(
            N_("找不到团员「{who}」：换个写法（昵称、房号、拼音首字母）；"), who=label
        )
        hint = Message(N_("新团员在行首加 +，例如 +{who} 5-302 套装1"), who=label)
        raise EntryError("{missing}{hint}", code="member.not_found", missing=missing, hint=hint)
    ranked = sorted(found, key=lambda m: (_tier(m, who, room), m.id or 0))
    best = _tier(ranked[0], who, room)
    tied = [m for m in ranked if _tier(m, who, room) == best]
    if len(tied) == 1:
        return tied[0]
    picks = tied[:MAX_CANDIDATES]
    shown = tuple(_describe(m) for m in picks)
    more = Message(N_("等 {n} 位"), n=len(tied)) if len(tied) > MAX_CANDIDATES else ""
    hint = (
        Message(
            N_("按数字选一位，或在房号后加昵称，例如 {room} {name} 1"),
            room=room.label,
            name=tied[0].nickname,
        )
        if room is not None
        else Message(N_("按数字选一位，或写全昵称、加房号"))
    )
    message = N_("「{who}」对上了好几位团员：{names}{more}。{hint}")
    names = numbered(shown)
    ids = tuple(m.id or 0 for m in picks)
    raise EntryError(
        message, shown, ids, code="member.ambiguous", who=label, names=names, more=more, hint=hint
    )


def numbered(labels: tuple[str, ...]) -> str:
    """`1 王阿姨 1-302  2 汪阿姨 3-1401`: candidates with the digit that picks each."""
    return "  ".join(f"{n} {label}" for n, label in enumerate(labels, 1))


def _picked(session: Session, member_id: int) -> Member:
    member = session.get(Member, member_id)
    if member is None:
        raise EntryError(N_("找不到选中的团员：请重新输入这一单"), code="member.not_found")
    return member


def _describe(member: Member) -> str:
    room = format_room(member.building, member.room)
    return f"{member.nickname} {room}".strip()


def _lines(
    session: Session,
    live_id: int,
    reading: QtyReading,
    items: dict[int, ChainItem],
    words: str = "",
) -> tuple[LineRequest, ...]:
    if not reading.items:
        raise EntryError(N_("没写要几件：例如 王阿姨 2 或 王阿姨 套装2"), code="qty.none")
    lines = []
    for found in reading.items:
        if found.item is not None:
            lines.append(LineRequest(int(found.item), found.qty))
        elif found.label or words:
            message = N_("接龙里没有「{name}」：写接龙里的商品名或简称")
            raise EntryError(message, code="item.unknown", name=found.label or words)
        else:
            lines.append(LineRequest(_featured_item(session, live_id, items), found.qty))
    return tuple(lines)


def _featured_item(session: Session, live_id: int, items: dict[int, ChainItem]) -> int:
    """What a bare quantity means: the current segment's featured item, or the only item."""
    live = get_live(session, live_id)
    segment = session.exec(
        select(Segment).where(
            col(Segment.livestream_id) == live_id, col(Segment.position) == live.current_segment
        )
    ).first()
    if segment is not None and segment.item_id is not None and segment.item_id in items:
        return segment.item_id
    if len(items) == 1:
        return next(iter(items))
    message = N_("当前环节没有主推商品，看不出是哪个商品：请写商品名，例如 王阿姨 套装2")
    raise EntryError(message, code="item.unnamed")


def _new_member_entry(
    session: Session, live_id: int, text: str, catalog: Catalog, items: dict[int, ChainItem]
) -> ParsedEntry:
    room, rest = find_room(text)
    reading = read_quantities(rest, catalog)
    nickname = reading.lead
    if not nickname:
        raise EntryError(N_("+ 后面写新团员的昵称，例如 +小周 5-302 套装1"), code="nickname.empty")
    exists = session.exec(select(Member.id).where(col(Member.nickname) == nickname)).first()
    if exists is not None:
        message = N_("已经有团员叫「{name}」：去掉 + 直接写")
        raise EntryError(message, code="nickname.taken", name=nickname)
    lines = _lines(session, live_id, reading, items)
    draft = MemberDraft(
        nickname=nickname,
        building=room.building if room else "",
        room=room.room if room else "",
    )
    return ParsedEntry(None, lines, reading.rest, draft)


def take_order(
    session: Session,
    live_id: int,
    line: str,
    moment: datetime | None = None,
    member_id: int | None = None,
) -> EntryResult:
    """Read one line and place its order in `session` (the caller commits).

    `member_id`: the member picked by number after the line's name fitted several.
    """
    live = get_live(session, live_id)
    if live.status != LiveStatus.LIVE:
        raise EntryError(N_("直播没有在进行：开播后才能记直播订单"), code="live.not_on_air")
    text, use_coupon = coupon_suffix(line)
    rest, teams = split_team_words(text)  # `王阿姨 2 跟李叔的团`: 拼团 words first
    parsed = parse_entry(session, live_id, rest, member_id)
    member_id = parsed.member_id
    if parsed.new_member is not None:
        member = create_member(session, parsed.new_member, source=MemberSource.LIVE)
        session.flush()
        member_id = member.id
    order = place_order(
        session,
        live.chain_id or 0,
        member_id or 0,
        list(parsed.lines),
        note=parsed.note,
        channel=OrderChannel.LIVE,
        raw=line.strip(),
        livestream_id=live_id,
        moment=moment or clock.now(),
        teams=teams,
    )
    coupon = redeem_best(session, order.id or 0, moment) if use_coupon else None
    result = _result(
        session, order.id or 0, order.seq, member_id or 0, parsed.new_member is not None
    )
    if coupon is None:
        return result
    off = min(coupon.amount_cents, result.cents)
    note = _("用券 #{id} 抵{off}，应付{due}").format(
        id=coupon.id, off=format_money(off), due=format_money(result.cents - off)
    )
    return replace(result, message=f"{result.message} {note}")


def coupon_suffix(line: str) -> tuple[str, bool]:
    """`王阿姨 2 券` → (`王阿姨 2`, True): a line ending in `券` (or `用券`) asks for a coupon."""
    text = to_halfwidth(line).strip()
    if not text.endswith("券"):  # i18n-keep: input grammar
        return line, False
    return text.removesuffix("券").removesuffix("用").strip(), True  # i18n-keep: input grammar


def _result(session: Session, order_id: int, seq: int, member_id: int, new: bool) -> EntryResult:
    rows = session.exec(
        select(OrderLine, ChainItem.name)
        .join(ChainItem, col(ChainItem.id) == col(OrderLine.item_id))
        .where(col(OrderLine.order_id) == order_id)
        .order_by(col(OrderLine.id))
    ).all()
    member = session.get(Member, member_id)
    parts = []
    for line, name in rows:
        price = format_money(line.unit_price_cents)
        kind = _("直播价") if line.flash_sale_id is not None else _("接龙价")
        parts.append(_("{text}（{note}）").format(text=f"{name}×{line.qty} {price}", note=kind))
    cents = sum(line.qty * line.unit_price_cents for line, _n in rows)
    gift = next((line.gift for line, _n in rows if line.gift), "")
    who = _describe(member) if member else ""
    message = _("已记录 {seq}. {who} {items} 合计{total}").format(
        seq=seq,
        who=who + (_("（新团员）") if new else ""),
        items=" ".join(parts),
        total=format_money(cents),
    )
    if gift:
        message += " " + _("赠{gift}").format(gift=gift)
    return EntryResult(True, message, order_id, seq, cents, gift)


def enter_line(
    db: Database,
    live_id: int,
    line: str,
    moment: datetime | None = None,
    member_id: int | None = None,
) -> EntryResult:
    """Take one line as an order committed at once; a refused line writes nothing.

    `member_id`: the member the leader picked by number from the candidates of a refused line.
    """
    try:
        with db.transaction() as session:
            return take_order(session, live_id, line, moment, member_id)
    except EntryError as error:
        return EntryResult(
            False, str(error), candidates=error.candidates, candidate_ids=error.candidate_ids
        )
    except (OrderError, LiveError, MemberError, CouponError, TeamError) as error:
        return EntryResult(False, str(error))
