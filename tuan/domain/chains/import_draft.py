"""Importing a chain pasted back from WeChat, step one: read it and recognise who and what.

`build_draft` parses the text against the chain's catalogue (`chain_parse`), matches each
entry's name and room to a member (`member_match`), names each item, and loads the chain's
existing orders so the plan (`chain_import_plan`) can tell new entries from changed, unchanged
and vanished ones. Without a chain, the text's header (title and the products it can read)
describes the chain that applying will create. Nothing here writes to the database.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace

from sqlmodel import Session, col, select

from tuan.domain.chains.entries import catalog_of
from tuan.domain.chains.from_text import chain_title
from tuan.domain.chains.header import HeaderItem, items_catalog
from tuan.domain.chains.parse import (
    NO_ENTRIES,
    ParsedChain,
    ParsedEntry,
    UnparsedLine,
    parse_chain,
    parse_chain_with_items,
)
from tuan.domain.chains.text_products import text_products
from tuan.domain.shared.collector import collector_paused
from tuan.domain.shared.errors import DomainError, code_of
from tuan.domain.shared.member_match import MISSING, MemberIndex, MemberMatch
from tuan.domain.shared.orders import MAX_QTY
from tuan.domain.shared.rooms import format_room
from tuan.domain.shared.sql import int_sum, select_columns
from tuan.domain.shared.teams import is_team_item
from tuan.i18n import N_, _
from tuan.models import Chain, ChainItem, Member, Order, OrderLine


class UnknownChainError(DomainError, LookupError):
    """The chain to import into does not exist."""

    code = "chain.not_found"


class NoProductsError(DomainError, ValueError):
    """A new chain was asked for, but the text has no product and no entry (it is not a chain)."""

    code = "chain.no_products"


@dataclass(frozen=True)
class ImportItem:
    """One item × quantity of an entry.

    Attributes:
        key: Catalogue key (the item id as text, or the header product's key for a new chain);
            None when the product is unknown.
        name: The item's name as the chain lists it (None when unknown).
        label: The words the neighbour used (`亚麻`, `B`).
        qty: How many.
        unit: The counting word typed (`份`), if any.
    """

    key: str | None
    name: str | None
    label: str
    qty: int
    unit: str | None


@dataclass(frozen=True)
class ExistingOrder:
    """An order already in the chain's group being imported, as re-import compares it.

    `seq` is the order's number in that group's copy (its `group_seq` in a named group).
    """

    order_id: int
    seq: int
    member_id: int
    nickname: str
    room: str
    status: str
    lines: dict[int, int]  # item id → qty
    note: str
    raw: str


@dataclass(frozen=True)
class ImportEntry:
    """A pasted entry with its items named and its member matched (before any decision).

    Attributes:
        index: Position among the draft's entries.
        parsed: What the parser read.
        items: Item × quantity, named.
        match: Who it is, as far as the text tells.
        problems: Why it cannot be applied as it is (no items, unknown product, bad quantity).
        warnings: Worth a look but not blocking (missing numbers, large quantities).
    """

    index: int
    parsed: ParsedEntry
    items: tuple[ImportItem, ...]
    match: MemberMatch
    problems: tuple[str, ...]
    warnings: tuple[str, ...]

    @property
    def seq(self) -> int:
        """The entry's number in the text."""
        return self.parsed.seq


@dataclass
class ImportDraft:
    """Everything the plan needs: entries, unreadable lines, the chain and its orders."""

    chain_id: int | None
    title: str
    parsed: ParsedChain
    entries: list[ImportEntry]
    existing: list[ExistingOrder]
    members: MemberIndex
    item_names: dict[str, str]  # catalogue key → item name
    key_to_item: dict[str, int] = field(default_factory=dict)  # catalogue key → item id
    new_items: tuple[HeaderItem, ...] = ()  # products a new chain will get
    group: str = ""  # the WeChat group the text came from ('' is the chain's first)
    # Members with an active order in another group of the chain: member id → (group, number).
    elsewhere: dict[int, tuple[str, int]] = field(default_factory=dict)

    @property
    def unparsed(self) -> tuple[UnparsedLine, ...]:
        """Lines the parser could not place, with line number and reason."""
        return self.parsed.unparsed

    @property
    def hint(self) -> str:
        """What to tell the leader about the paste as a whole ('' when nothing): how entries
        are written, when not one was read (the import then changes nothing)."""
        return "" if self.parsed.entries else _(NO_ENTRIES)


@collector_paused()
def build_draft(
    session: Session, text: str, chain_id: int | None = None, group: str = ""
) -> ImportDraft:
    """Read `text` for the chain `chain_id` (None: a new chain described by the text's header).

    `group` is the WeChat group whose copy `text` is: only that group's orders are compared
    (a copy from one group never adds to, changes or removes another group's entries).

    Raises:
        UnknownChainError: `chain_id` names no chain.
        NoProductsError: without a chain, the text has neither a product nor an entry.
    """
    members = MemberIndex.load(session)
    new_items: tuple[HeaderItem, ...] = ()
    if chain_id is None:
        parsed = parse_chain(text, members.knows)
        new_items = text_products(parsed)
        if not new_items:
            raise NoProductsError(
                N_(
                    "没有读到商品，也没有读到接龙条目，不能新建接龙：请粘贴群里完整的接龙"
                    "（例如 1. 王阿姨 3-1202 西瓜2），或者导入到已有的接龙"
                )
            )
        catalog = items_catalog(new_items)
        if new_items != parsed.header.items:  # products the header does not list: read again
            parsed = parse_chain_with_items(text, catalog, members.knows)
        names = {item.key: item.name for item in catalog}
        title = chain_title(parsed.header)
        existing: list[ExistingOrder] = []
        key_to_item: dict[str, int] = {}
    else:
        chain = session.get(Chain, chain_id)
        if chain is None:
            raise UnknownChainError(N_("找不到接龙 {id}"), id=chain_id)
        items = _menu(session, chain_id)
        parsed = parse_chain_with_items(text, catalog_of(items).items, members.knows)
        names = {str(item.id): item.name for item in items}
        title = chain.title
        existing = load_existing(session, chain_id, group)
        key_to_item = {str(item.id): item.id or 0 for item in items}
    in_teams = (any(is_team_item(item) for item in items) if chain_id is not None
                else any(item.team_size for item in new_items))  # fmt: skip
    if not in_teams:
        parsed = replace(parsed, entries=tuple(_teams_as_note(e) for e in parsed.entries))
    hints = {order.seq: order.member_id for order in existing}
    entries = [
        _entry(index, parsed_entry, names, members, hints.get(parsed_entry.seq))
        for index, parsed_entry in enumerate(parsed.entries)
    ]
    elsewhere = {} if chain_id is None else other_groups(session, chain_id, group)
    return ImportDraft(
        chain_id, title, parsed, entries, existing, members, names, key_to_item, new_items,
        group, elsewhere,
    )  # fmt: skip


def _teams_as_note(entry: ParsedEntry) -> ParsedEntry:
    """In a chain that sells nothing in teams, `跟王阿姨` is not a 拼团: it stays in the note
    (buying with her, collecting with her), as the neighbour wrote it."""
    if not entry.teams:
        return entry
    said = [f"跟{ref.name}" for ref in entry.teams if ref.name]  # i18n-keep: chain text
    return replace(entry, note=" ".join([entry.note, *said]).strip(), teams=())


def _entry(
    index: int, parsed: ParsedEntry, names: dict[str, str], members: MemberIndex, hint: int | None
) -> ImportEntry:
    items = tuple([
        ImportItem(line.item, names.get(line.item) if line.item else None, line.label,
                   line.qty, line.unit)
        for line in parsed.items
    ])  # fmt: skip
    problems: list[str] = [r for r in parsed.reasons if code_of(r) == "entry.withdrawn"]
    if not items and not problems:
        problems.append(_("没写商品和数量"))
    for item in items:
        if item.key is None or item.name is None:
            label = item.label or _("（没写商品）")
            problems.append(_("不认识的商品：{label}").format(label=label))
        elif not 0 < item.qty <= MAX_QTY:
            problems.append(
                _("数量要在 1 到 {max} 之间：{label}").format(max=MAX_QTY, label=item.label)
            )
    reasons = parsed.reasons
    if reasons:
        problems += [reason for reason in reasons if code_of(reason) == "qty.unclear"]
    match = members.match(parsed.name, parsed.room, hint)
    if match.status == MISSING:
        problems.append(match.note)
    warnings = tuple(
        [r for r in reasons if code_of(r) not in _NOT_WARNINGS and r not in problems]
    ) if reasons else ()  # fmt: skip
    return ImportEntry(index, parsed, items, match, tuple(dict.fromkeys(problems)), warnings)


#: Parser reasons that are no warning here: the problems above say them in their own words, and
#: the parser's "same person as entry N" is replaced by the plan's member-based check.
_NOT_WARNINGS = frozenset(
    {"entry.no_name", "entry.no_items", "item.unnamed", "item.unknown", "entry.twin"}
)


def _menu(session: Session, chain_id: int) -> list[ChainItem]:
    """The chain's items in menu order, read as `chain_import_safety` reads them when applying:
    one statement to compile (a fresh engine compiles each new one) and no sales figures."""
    items = session.exec(select(ChainItem).where(col(ChainItem.chain_id) == chain_id)).all()
    return sorted(items, key=lambda item: (item.position, item.id or 0))


def load_existing(session: Session, chain_id: int, group: str = "") -> list[ExistingOrder]:
    """One group's orders in the chain (cancelled ones too) with their lines, in two queries."""
    number = col(Order.group_seq) if group else col(Order.seq)
    orders = session.exec(
        select_columns(Order.id, number, Order.member_id, Member.nickname, Member.building,
               Member.room, Order.status, Order.note, Order.raw)
        .join(Member, col(Member.id) == col(Order.member_id))
        .where(col(Order.chain_id) == chain_id, col(Order.group_name) == group)
        .order_by(number)
    ).all()  # fmt: skip
    lines: dict[int, dict[int, int]] = defaultdict(dict)
    for order_id, item_id, qty in session.exec(
        select(OrderLine.order_id, OrderLine.item_id, int_sum(OrderLine.qty))
        .join(Order, col(Order.id) == col(OrderLine.order_id))
        .where(col(Order.chain_id) == chain_id, col(Order.group_name) == group)
        .group_by(col(OrderLine.order_id), col(OrderLine.item_id))
    ):
        lines[order_id][item_id] = int(qty)
    return [
        ExistingOrder(o[0], o[1], o[2], o[3], format_room(o[4], o[5]), o[6], lines[o[0]], o[7],
                      o[8])
        for o in orders
    ]  # fmt: skip


def other_groups(session: Session, chain_id: int, group: str) -> dict[int, tuple[str, int]]:
    """Members with an active order in another group of the chain: id → (group, number)."""
    rows = session.exec(
        select(Order.member_id, Order.group_name, Order.group_seq, Order.seq).where(
            col(Order.chain_id) == chain_id,
            col(Order.group_name) != group,
            col(Order.status) == "active",
        )
    ).all()
    return {member: (name, number or seq) for member, name, number, seq in rows}
