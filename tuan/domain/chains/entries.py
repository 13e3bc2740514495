"""A chain's entries (接龙条目): the list with amounts, adding, editing and cancelling one.

The rules (stock, limits, sequence numbers, captured prices) are `orders`'; this module reads the
entries for the screen, turns what the leader typed (`套装2 亚麻1`) into order lines against the
chain's catalogue, and projects the chain's totals while the leader is still typing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import Session, col, select

from tuan.domain.chains.listing import ItemRow, chain_items
from tuan.domain.shared.groups import order_number
from tuan.domain.shared.item_names import Catalog, CatalogItem
from tuan.domain.shared.orders import (
    LineRequest,
    OrderError,
    cancel_order,
    place_order,
    update_order,
)
from tuan.domain.shared.people import MemberDraft, create_member
from tuan.domain.shared.quantity import read_quantities
from tuan.domain.shared.refunds import RefundMark, refund_marks
from tuan.domain.shared.rooms import format_room
from tuan.domain.shared.sql import int_sum, select_columns
from tuan.domain.shared.states import MemberSource, OrderStatus
from tuan.domain.shared.team_words import TeamRef, split_team_words
from tuan.domain.shared.teams import TeamError
from tuan.domain.shared.text import to_halfwidth
from tuan.i18n import N_, _
from tuan.models import Chain, ChainItem, Member, Order, OrderLine

MAX_NOTE = 100
_NEGATIVE_RE = re.compile(r"(?<!\d)[-−]\s*(?:[A-Za-z]\s*)?\d")  # `-1`, `-A1`


@dataclass(frozen=True)
class EntryRow:
    """One entry of a chain, as the entries view shows it."""

    order_id: int
    seq: int
    member_id: int
    nickname: str
    room: str
    items: tuple[tuple[int, int], ...]  # (item id, qty), in menu order
    amount_cents: int
    note: str
    status: str
    paid: bool
    channel: str
    group: str = ""  # the WeChat group the entry came from ('' is the chain's first)
    group_seq: int | None = None
    refund: RefundMark = field(default_factory=RefundMark)  # `amount_cents` is net of it

    @property
    def number(self) -> str:
        """The entry's number as the leader knows it: `3`, or `二群 3` in a named group."""
        return order_number(self.group, self.group_seq, self.seq)

    @property
    def group_number(self) -> int:
        """The entry's number within its group's copy."""
        return self.group_seq if self.group and self.group_seq is not None else self.seq


def list_entries(session: Session, chain_id: int) -> list[EntryRow]:
    """Every entry of a chain, group by group in number order, cancelled ones included."""
    orders = session.exec(
        select_columns(Order.id, Order.seq, Order.member_id, Member.nickname, Member.building,
               Member.room, Order.note, Order.status, Order.paid, Order.channel,
               Order.group_name, Order.group_seq)
        .join(Member, col(Member.id) == col(Order.member_id))
        .where(col(Order.chain_id) == chain_id)
        .order_by(col(Order.group_name), func.coalesce(col(Order.group_seq), col(Order.seq)))
    ).all()  # fmt: skip
    lines = session.exec(
        select(OrderLine.order_id, OrderLine.item_id, int_sum(OrderLine.qty),
               int_sum(col(OrderLine.qty) * col(OrderLine.unit_price_cents)))
        .join(Order, col(Order.id) == col(OrderLine.order_id))
        .where(col(Order.chain_id) == chain_id)
        .group_by(col(OrderLine.order_id), col(OrderLine.item_id))
        .order_by(col(OrderLine.order_id), col(OrderLine.item_id))
    ).all()  # fmt: skip
    qty: dict[int, list[tuple[int, int]]] = defaultdict(list)
    amount: dict[int, int] = defaultdict(int)
    for order_id, item_id, units, cents in lines:
        qty[order_id].append((item_id, int(units)))
        amount[order_id] += int(cents)
    marks = refund_marks(session, [o[0] for o in orders])
    for order_id, mark in marks.items():
        amount[order_id] = max(amount[order_id] - mark.cents, 0)
    return [
        EntryRow(o[0], o[1], o[2], o[3], format_room(o[4], o[5]), tuple(qty[o[0]]),
                 amount[o[0]], o[6], o[7], bool(o[8]), o[9], o[10], o[11],
                 marks.get(o[0], RefundMark()))
        for o in orders
    ]  # fmt: skip


def catalog_of(items: Sequence[ItemRow | ChainItem], *, initials: bool = False) -> Catalog:
    """The chain's items as a catalogue whose keys are item ids (as text).

    `initials`: pinyin initials glued to a quantity name an item too (`tz2`), for what the
    leader types; a pasted chain keeps reading `Lily2` as a neighbour.
    """
    return Catalog(
        (CatalogItem(str(item.id), item.name, item.spec, tuple(item.aliases.split()), item.code)
         for item in items),
        initials=initials,
    )  # fmt: skip


def item_word(item: ItemRow) -> str:
    """The short word for an item in entries and chain text: its first short name, else name."""
    aliases = item.aliases.split()
    return aliases[0] if aliases else item.name


def items_text(lines: tuple[tuple[int, int], ...], items: dict[int, ItemRow]) -> str:
    """`套装×1 亚麻籽油×2`, in menu order."""
    words = []
    for item_id, qty in lines:
        item = items.get(item_id)
        words.append(f"{item_word(item) if item else '?'}×{qty}")
    return " ".join(words)


@dataclass(frozen=True)
class ReadLines:
    """Order lines read from a typed text, and what could not be read."""

    lines: tuple[LineRequest, ...]
    problems: tuple[str, ...]
    rest: str
    teams: tuple[TeamRef, ...] = ()


def read_lines(text: str, items: list[ItemRow]) -> ReadLines:
    """Read `套装2 亚麻1`, `tz2 A1` (initials, menu letter) or `2` in a one-item chain into order
    lines for this chain; `跟王阿姨的团` / `开团` say which 拼团 team it joins."""
    text, teams = split_team_words(text)
    reading = read_quantities(text, catalog_of(items, initials=True))
    lines: list[LineRequest] = []
    problems: list[str] = []
    if _NEGATIVE_RE.search(to_halfwidth(text)):  # `-1套装` must not become 套装×1
        message = _("数量不能是负数：{text}，请写 1 到 999").format(text=text)
        return ReadLines((), (message,), text, teams)
    leftover = " ".join(part for part in (reading.lead, reading.rest) if part)
    for found in reading.items:
        if found.item is None:
            label = found.label or leftover or str(found.qty)  # `榴莲2`: the words are the item
            leftover = "" if label == leftover else leftover
            message = _("不认识的商品：{label}，请用这个接龙里的商品名、简称或编号")
            problems.append(message.format(label=label))
        elif found.qty <= 0:
            message = _("数量必须大于 0：{label}，请写 1 到 999")
            problems.append(message.format(label=found.label))
        else:
            lines.append(LineRequest(int(found.item), found.qty))
    if leftover and not reading.items:
        message = _("没读出商品：{text}，请写商品名、简称或编号加数量，例如 套装2")
        problems.append(message.format(text=leftover))
    elif leftover:  # `套装99999`: a quantity it could not read must not become 套装×1
        message = _("没读懂：{text}（数量请写 1 到 999；备注请写在备注栏）")
        shown = leftover if len(leftover) <= 20 else leftover[:20] + "…"
        problems.append(message.format(text=shown))
    return ReadLines(tuple(lines), tuple(problems), leftover, teams)


@dataclass(frozen=True)
class EntryDraft:
    """What the entry form holds: a member (or a new one), lines and a note."""

    member_id: int | None
    new_member: MemberDraft | None
    lines: tuple[LineRequest, ...]
    note: str = ""
    teams: tuple[TeamRef, ...] = ()  # 拼团: `跟王阿姨的团`, `开团`; () fills the oldest open team


def save_entry(
    session: Session, chain_id: int, draft: EntryDraft, order_id: int | None = None
) -> Order:
    """Place (or, with `order_id`, change) an entry; flushed, not committed.

    Raises:
        OrderError: no member, no lines, stock or limit refused (the message says which).
        MemberError: the new member's details were refused.
    """
    if len(draft.note.strip()) > MAX_NOTE:  # the note goes into the chain text for WeChat
        raise OrderError(N_("备注太长（最多 {n} 个字）"), "note", code="note.too_long", n=MAX_NOTE)
    if order_id is not None:
        return update_order(
            session, order_id, list(draft.lines), note=draft.note, teams=draft.teams
        )
    member_id = draft.member_id
    if member_id is None:
        if draft.new_member is None:
            raise OrderError(N_("请先选择团员，或新建一位"), "member", code="member.none")
        member = create_member(session, draft.new_member, source=MemberSource.OFFLINE)
        session.flush()
        member_id = member.id or 0
    return place_order(
        session, chain_id, member_id, list(draft.lines), note=draft.note, teams=draft.teams
    )


def check_entry(
    session: Session, chain_id: int, draft: EntryDraft, order_id: int | None = None
) -> str | None:
    """Try the entry without keeping it: None if it would be accepted, else the reason."""
    from tuan.domain.shared.people import MemberError

    try:
        with session.begin_nested() as savepoint:
            save_entry(session, chain_id, draft, order_id)
            savepoint.rollback()
    except (OrderError, MemberError, TeamError) as exc:
        return str(exc)
    return None


def cancel_entry(session: Session, order_id: int) -> Order:
    """Cancel an entry: its units go back to stock and its number stays taken."""
    return cancel_order(session, order_id)


@dataclass(frozen=True)
class ItemTotal:
    """An item's totals with the entry being typed counted in."""

    item: ItemRow
    sold: int
    wanted: int  # in the entry being typed

    @property
    def left(self) -> int | None:
        """Units left after this entry (None: unlimited)."""
        return None if self.item.stock is None else self.item.stock - self.sold


def project_totals(
    items: list[ItemRow],
    gmv_cents: int,
    lines: tuple[LineRequest, ...],
    editing: EntryRow | None = None,
) -> tuple[list[ItemTotal], int]:
    """Sold, left and GMV as they would be with this entry (replacing `editing`'s lines)."""
    before = dict(editing.items) if editing and editing.status == OrderStatus.ACTIVE else {}
    wanted: dict[int, int] = defaultdict(int)
    for line in lines:
        wanted[line.item_id] += line.qty
    totals = [
        ItemTotal(item, item.sold - before.get(item.id, 0) + wanted[item.id], wanted[item.id])
        for item in items
    ]
    gmv = gmv_cents - (editing.amount_cents if before and editing else 0)
    gmv += sum(item.price_cents * wanted[item.id] for item in items)
    return totals, gmv


def chain_gmv(entries: list[EntryRow]) -> int:
    """The chain's GMV: amounts of entries not cancelled."""
    return sum(e.amount_cents for e in entries if e.status == OrderStatus.ACTIVE)


@dataclass(frozen=True)
class ChainView:
    """Everything the entries view shows about one chain."""

    chain_id: int
    title: str
    status: str
    items: list[ItemRow]
    entries: list[EntryRow]

    @property
    def gmv_cents(self) -> int:
        """Amounts of the entries not cancelled."""
        return chain_gmv(self.entries)


def chain_view(session: Session, chain_id: int) -> ChainView | None:
    """The chain, its items with what sold, and its entries; None if it does not exist."""
    chain = session.get(Chain, chain_id)
    if chain is None:
        return None
    return ChainView(
        chain_id, chain.title, chain.status, chain_items(session, chain_id),
        list_entries(session, chain_id),
    )  # fmt: skip
