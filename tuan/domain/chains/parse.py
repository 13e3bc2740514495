"""Importing a chain copied from WeChat: text → header, entries, and the lines it could not read.

`parse_chain` reads a chain on its own (the header's product lines give the catalogue);
`parse_chain_with_items` reads it against the chain's known items. Both never raise: whatever
they cannot place is listed in `unparsed` with its line number and the reason, for the leader to
fix. Every entry keeps its raw text, and a status of `ok` or `review` with the reasons.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from tuan.domain.chains.header import ParsedHeader, header_catalog, read_header
from tuan.domain.chains.lines import Layout, Segment, lay_out
from tuan.domain.shared.errors import Reason
from tuan.domain.shared.quantity import (
    FILLER_WORDS,
    NOTE_STARTS,
    Catalog,
    CatalogItem,
    ItemQty,
    QtyReading,
    read_quantities,
)
from tuan.domain.shared.rooms import room_at
from tuan.domain.shared.states import EntryStatus
from tuan.domain.shared.team_words import TeamRef, split_team_words
from tuan.domain.shared.text import CN_NUMERAL_CHARS, cn_to_int, to_halfwidth
from tuan.domain.shared.units import UNIT_PATTERN
from tuan.i18n import N_, _

__all__ = [
    "CatalogItem",
    "ParsedChain",
    "ParsedEntry",
    "ParsedHeader",
    "UnparsedLine",
    "parse_chain",
    "parse_chain_with_items",
    "read_entry",
]

# A room typed on its own, without the building: `王阿姨 1202 套装2`.
_BARE_ROOM_RE = re.compile(r"(?:^|(?<=\s))(\d{3,4})室?(?=[\s(【\[,，、;；]|$)")
_NAME_TRIM = " \t:：,，、;；-—_~@＠"  # i18n-keep: input grammar
# A building without a room (`8号楼`, `3栋2单元`): where the neighbour lives, never a name.
_PLACE_ONLY_RE = re.compile(
    r"^\d{1,3}\s*(?:号楼|栋|幢|号|#)(?:\d{1,2}单元)?$|^[一二三四五六七八九十]{1,3}(?:号楼|栋|幢)$"
    r"|^\d{1,2}单元$"
)
# `Coco 李 2-301`, `Amy Wang 3-101`: a Latin first name and the word after it, both before the
# room, are one nickname when that word is a capitalised Latin word or one Chinese character, a
# surname (a note is longer: `Lily 周六取`; so is a product no item matched: `Lily 茶油`).
_LATIN_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'.]*")
_NAME_TAIL_RE = re.compile(r"[A-Z][a-z']+|[\u4e00-\u9fff]")
# `给王阿姨`, `帮王阿姨`: the order is hers, typed by someone else (`给我留` is not a name).
_FOR_SOMEONE_RE = re.compile(r"^[给帮替](?![我你他她它们忙])(?=\S{2})")
# Something to read: a letter, digit, CJK character, emoji… not just punctuation.
_CONTENT_RE = re.compile(r"[^\s.。、,，;；:：\-—_~]")
_NO_ITEMS = Catalog()
#: Quantities above this are flagged for a second look (a room or phone typed in the wrong place).
LARGE_QTY = 99
# Said when a pasted text holds no entry at all: how entries are written, so the leader can fix
# the paste (the import then changes nothing, as it would for an empty copy).
NO_ENTRIES = N_(
    "没有读到接龙条目：每条以序号开头（例如 1. 王阿姨 3-1202 套装1），"
    "或者每行写房号和商品；请粘贴群里完整的接龙"
)
#: Whether some member goes by this name (the import passes its member index's answer).
KnownName = Callable[[str], bool]
# Marks and digits that make a first word a product with its quantity, not a name (`套装×2`).
_QTY_MARKS_RE = re.compile(r"[\d×*+]")
# `刘 5-302 取消`: the neighbour withdrew; `（改成2份）`: the quantity she wants now.
_CANCEL_RE = re.compile(r"(?:取消|不要了|退出|撤销|撤回)(?:订单|接龙|了)?[!！。.]*")
# Said outside brackets (`套装1 改成2份`): only 改成/改为, a lone 改 may start other words.
# Either ends at its number and unit: `改成2号楼取` changes where, not how many.
_NEW_QTY = (
    rf"\s*(\d{{1,3}}|[{CN_NUMERAL_CHARS}]{{1,3}})\s*(?:{UNIT_PATTERN})?"
    r"(?=$|[\s,，。.!！;；、)）】\]~～])"  # i18n-keep: input grammar
)
_SAID_CORRECTION_RE = re.compile(rf"(?:改成|改为){_NEW_QTY}")
_CORRECTION_RE = re.compile(rf"(?:改成|改为|改){_NEW_QTY}")


@dataclass(frozen=True)
class ParsedEntry:
    """One entry as understood.

    Attributes:
        seq: Chain sequence number (接龙序号).
        lines: 1-based line numbers it came from.
        name: The name typed (first word before the products), maybe empty.
        room: Room label such as `3-1202` or `1202`, or None.
        items: Item × quantity; `item` is a catalogue key or None when unknown.
        note: Everything else: brackets, `备注`, words after the products.
        raw: The entry as pasted, lines joined with a newline.
        status: `ok`, or `review` when the leader should look (see `reasons`).
        reasons: Why it needs review, in the leader's language.
        teams: What it says about its 拼团 team (`跟王阿姨的团`, `开团`), read out of the text.
    """

    seq: int
    lines: tuple[int, ...]
    name: str
    room: str | None
    items: tuple[ItemQty, ...]
    note: str
    raw: str
    status: str = EntryStatus.OK
    reasons: tuple[str, ...] = ()
    teams: tuple[TeamRef, ...] = ()

    @property
    def reason(self) -> str:
        """All reasons as one line."""
        return _("；").join(self.reasons)

    def as_dict(self) -> dict[str, object]:
        """The JSON shape of `tuan chain import --json` (without the `action` it adds)."""
        items = [{"item": i.item, "qty": i.qty, "unit": i.unit} for i in self.items]
        return {"seq": self.seq, "name": self.name, "room": self.room, "items": items,
                "note": self.note, "raw": self.raw, "status": self.status}  # fmt: skip


@dataclass(frozen=True)
class UnparsedLine:
    """A line that is neither header nor part of an entry."""

    line: int
    text: str
    reason: str

    def as_dict(self) -> dict[str, object]:
        """The JSON shape of `tuan chain import --json`."""
        return {"line": self.line, "text": self.text, "reason": self.reason}


@dataclass(frozen=True)
class ParsedChain:
    """A pasted chain as understood.

    Attributes:
        header: Title, description, products, deadline, pickup.
        entries: Real entries, in text order.
        unparsed: Lines it could not place, with reasons.
        empty_seqs: Numbers with nothing after them (`4.`): placeholders, not orders.
        duplicate_lines: Line numbers skipped as exact repeats (a double paste).
        line_kinds: For each non-blank line number: header, example, entry, empty, duplicate,
            unparsed.
        catalog: The items entries were read against (their keys are the entries' `item`).
    """

    header: ParsedHeader
    entries: tuple[ParsedEntry, ...]
    unparsed: tuple[UnparsedLine, ...]
    empty_seqs: tuple[int, ...] = ()
    duplicate_lines: tuple[int, ...] = ()
    line_kinds: dict[int, str] = field(default_factory=dict)
    catalog: tuple[CatalogItem, ...] = ()


def parse_chain(text: str, known: KnownName | None = None) -> ParsedChain:
    """Read a pasted chain whose items are not known: the header's product lines are the catalogue.

    Args:
        text: The chain as copied from WeChat (or any list of entries).
        known: Whether a member goes by a name, for a first word that is also a product's
            (`小米 2`); without it such a word stays the product.

    Returns:
        Header, entries, placeholders and unparsed lines. Never raises.
    """
    return _parse(text, None, known)


def parse_chain_with_items(
    text: str, items: Iterable[CatalogItem], known: KnownName | None = None
) -> ParsedChain:
    """Read a pasted chain against the chain's known items (aliases and codes included).

    Args:
        text: The chain as copied from WeChat.
        items: The chain's items; when empty, the header's product lines are used instead.
        known: As for `parse_chain`.

    Returns:
        Header, entries, placeholders and unparsed lines. Never raises.
    """
    return _parse(text, list(items), known)


def read_entry(
    text: str, catalog: Catalog, seq: int = 0, known: KnownName | None = None
) -> ParsedEntry | None:
    """Read one entry's text (`王阿姨 3-1202 套装×2 不要葱`); None for an empty placeholder."""
    return _read_segment(Segment(seq, [], [text], [text.strip()]), catalog, {}, known=known)


def _parse(text: str, items: list[CatalogItem] | None, known: KnownName | None) -> ParsedChain:
    known_items = Catalog(items) if items else None
    orders = _orders(known_items) if known_items is not None else None
    layout = lay_out(text, orders)
    header_lines = [(layout.lines[i].number, t) for i, t in layout.header]
    examples = [layout.lines[i].cut(0).strip() for i in layout.examples]
    header = read_header(header_lines, examples)
    catalog = known_items if known_items is not None else Catalog(header_catalog(header))
    if not layout.segments:
        if not layout.tagged:
            return _parse_unnumbered(layout, catalog, examples, known)
        if orders is not None:
            # `#接龙` over orders without numbers (`王姐 3-1202 橄榄油2`): header lines until the
            # first line naming a room and ordering one of the chain's products, then entries.
            def an_order(line: str) -> bool:
                return room_at(to_halfwidth(line)) is not None and orders(line)

            if any(an_order(line) for _i, line in layout.header):
                return _parse_unnumbered(layout, catalog, examples, known, an_order)
    return _build(layout, header, catalog, known)


def _orders(catalog: Catalog) -> Callable[[str], bool]:
    """Whether a line orders one of the chain's products: someone's name, then the product
    (`王姐 橄榄油2 178元`); a list of the products starts with the product (`冷榨橄榄油 ¥89`)."""

    def orders(text: str) -> bool:
        reading = read_quantities(text, catalog)
        return bool(reading.lead) and any(line.item is not None for line in reading.items)

    return orders


def _build(
    layout: Layout, header: ParsedHeader, catalog: Catalog, known: KnownName | None
) -> ParsedChain:
    kinds = {layout.lines[i].number: "header" for i, _ in layout.header}
    kinds.update({layout.lines[i].number: "example" for i in layout.examples})
    kinds.update({layout.lines[i].number: "header" for i in layout.tallies})
    entries: list[ParsedEntry] = []
    empty: list[int] = []
    people: dict[tuple[str, str | None], int] = {}
    for segment in layout.segments:
        entry = _read_segment(segment, catalog, people, known=known)
        if entry is None:
            empty.append(segment.seq)
        else:
            entries.append(entry)
        for number in segment.lines:
            # A line holding a placeholder and a real entry (`1. 2. 张阿姨`) is an entry line.
            if kinds.get(number) != "entry":
                kinds[number] = "entry" if entry else "empty"
    return _finish(layout, header, catalog, entries, empty, kinds)


def _finish(
    layout: Layout,
    header: ParsedHeader,
    catalog: Catalog,
    entries: list[ParsedEntry],
    empty: list[int],
    kinds: dict[int, str],
) -> ParsedChain:
    unparsed = [UnparsedLine(layout.lines[i].number, layout.lines[i].raw.strip(), reason)
                for i, reason in layout.unparsed]  # fmt: skip
    duplicates = [layout.lines[i].number for i in layout.duplicates]
    kinds.update({line.line: "unparsed" for line in unparsed})
    kinds.update({number: "duplicate" for number in duplicates})
    return ParsedChain(header, tuple(entries), tuple(sorted(unparsed, key=lambda u: u.line)),
                       tuple(empty), tuple(duplicates), dict(sorted(kinds.items())),
                       catalog.items)  # fmt: skip


def _parse_unnumbered(
    layout: Layout,
    catalog: Catalog,
    examples: list[str],
    known: KnownName | None,
    order_line: Callable[[str], bool] | None = None,
) -> ParsedChain:
    """A list without numbers: each line that reads as an order is an entry (and, with
    `order_line`, passes it too).

    Lines before the first order are the header; later lines that are not orders are unparsed.
    """
    header_lines: list[tuple[int, str]] = []
    entries: list[ParsedEntry] = []
    people: dict[tuple[str, str | None], int] = {}
    for i, text in layout.header:
        segment = Segment(len(entries) + 1, [layout.lines[i].number], [text], [text])
        # Only a line with a room or a number is an order: a title naming the product
        # (`五常大米团购`) is not one.
        probe = _read_segment(segment, _NO_ITEMS, {}, assume_one=False)
        is_order = probe is not None and (probe.room is not None or bool(probe.items))
        is_order = is_order and (order_line is None or order_line(text))
        entry = _read_segment(segment, catalog, people, known=known) if is_order else None
        if entry is not None:
            entries.append(entry)
        elif entries:
            layout.unparsed.append((i, _("看不出是接龙条目：没有商品数量或房号")))
        else:
            header_lines.append((layout.lines[i].number, text))
    header = read_header(header_lines, examples)
    kinds = {number: "header" for number, _ in header_lines}
    kinds.update({layout.lines[i].number: "example" for i in layout.examples})
    kinds.update({entry.lines[0]: "entry" for entry in entries})
    return _finish(layout, header, catalog, entries, [], kinds)


def _read_segment(
    segment: Segment,
    catalog: Catalog,
    people: dict[tuple[str, str | None], int],
    assume_one: bool = True,
    known: KnownName | None = None,
) -> ParsedEntry | None:
    """Read one entry's text: room, then items and quantities, then name and note.

    `people` maps (name, room) to the first entry seen with them; this entry is added to it.
    With `assume_one`, a name alone in a one-item chain orders one of that item. `known` tells
    whether a member goes by a name (see `_name_in_front`).
    """
    parts = segment.parts
    joined = parts[0].strip() if len(parts) == 1 else " ".join([p.strip() for p in parts]).strip()
    text, teams = split_team_words(joined)
    norm = to_halfwidth(text)
    if not _CONTENT_RE.search(norm):
        return None
    room, rest, front = _find_room(text, norm)
    rest, said_qty, said = _said_correction(rest)
    reading = read_quantities(rest, catalog)
    name, note = _name_and_note(reading, front, known)
    if not name and reading.items:
        reading = _name_in_front(rest, catalog, reading, known)
        name, note = _name_and_note(reading, front, known)
    if not name and note and known is not None:  # `套装2 王阿姨 3-1202`: the order came first
        first, _gap, after = note.partition(" ")
        if known(first.strip(_NAME_TRIM)):
            name, note = first.strip(_NAME_TRIM), after.strip()
    items = reading.items
    withdrawn = not items and bool(_CANCEL_RE.fullmatch(note.strip()))
    if assume_one and not items and catalog.sole_key and (name or room) and not withdrawn:
        items = (ItemQty(catalog.sole_key, 1),)  # joining a one-item chain means one of it
    items = _corrected(items, note)
    if said_qty and len(items) == 1:
        items = (replace(items[0], qty=said_qty),)
    elif said:
        note = f"{note} {said}".strip()  # `改成2` with two products: which one is for her
    twin = people.setdefault((name, room), segment.seq) if name else segment.seq
    reasons = _reasons(segment, name, room, items, twin)
    if said and not (said_qty and len(items) == 1):
        reasons = (*reasons, Reason(_("写了{said}，但不知道改的是哪一样").format(said=said),
                                    "qty.correction"))  # fmt: skip
    if withdrawn:
        reasons = (Reason(_("写了取消：不算下单"), "entry.withdrawn"),)
    if reading.unclear:
        unclear = _("看不懂的数量：{text}").format(text=_("、").join(reading.unclear))
        reasons = (*reasons, Reason(unclear, "qty.unclear"))
    return ParsedEntry(
        seq=segment.seq,
        lines=tuple(segment.lines),
        name=name,
        room=room,
        items=items,
        note=note,
        raw="\n".join(segment.raw_parts),
        status=EntryStatus.REVIEW if reasons else EntryStatus.OK,
        reasons=reasons,
        teams=teams,
    )


def _said_correction(text: str) -> tuple[str, int | None, str]:
    """`套装1 改成2`: the text without the correction, the quantity she wants now, and the words
    as written. Inside brackets it is a note, which `_corrected` reads."""
    match = _SAID_CORRECTION_RE.search(text)
    if match is None or _in_brackets(text, match.start()):
        return text, None, ""
    said = match.group().strip()
    return f"{text[: match.start()]} {text[match.end() :]}".strip(), cn_to_int(match.group(1)), said


def _in_brackets(text: str, at: int) -> bool:
    before = text[:at]
    opened = sum(before.count(c) for c in "(（【[")  # i18n-keep: input grammar
    return opened > sum(before.count(c) for c in ")）】]")  # i18n-keep: input grammar


def _corrected(items: tuple[ItemQty, ...], note: str) -> tuple[ItemQty, ...]:
    """`1份（改成2份）`: one product, and the note says how many she wants now."""
    match = _CORRECTION_RE.search(note) if len(items) == 1 else None
    qty = cn_to_int(match.group(1)) if match else None
    if not qty:
        return items
    return (replace(items[0], qty=qty),)


def _find_room(text: str, norm: str) -> tuple[str | None, str, str]:
    """The room label, the entry's text without it, as typed (half-width if that differs), and
    the text before it ('' without a room)."""
    source = text if len(text) == len(norm) else norm
    label, span = _room_span(norm)
    if label is None or span is None:
        return None, source, ""
    return label, (source[: span[0]] + " " + source[span[1] :]).strip(), source[: span[0]]


def _room_span(norm: str) -> tuple[str | None, tuple[int, int] | None]:
    """Where the room is in half-width text: `3-1202`, `3号楼1202`, or `1202` on its own."""
    found = room_at(norm)
    if found is not None:
        room, span = found
        return room.label, span
    bare = _BARE_ROOM_RE.search(norm)
    if bare is not None:
        return bare.group(1), bare.span()
    return None, None


def _name_in_front(
    text: str, catalog: Catalog, reading: QtyReading, known: KnownName | None
) -> QtyReading:
    """A first word read as a product may be the name: member 小米, product 有机小米.

    It is the name when the same product is named again after it (`小米 有机小米2`), or when a
    member goes by it and the rest still orders every product it was read as (`小米 2` and
    `小米妈妈 3` in a one-item chain). Otherwise the reading stands: `套装 亚麻2` is two
    products and no name.
    """
    words = text.split(maxsplit=1)
    first = reading.items[0]
    if len(words) < 2 or first.item is None or _QTY_MARKS_RE.search(to_halfwidth(words[0])):
        return reading
    word = words[0].strip(_NAME_TRIM)
    if not word or not first.label or first.label not in to_halfwidth(word):
        return reading
    after = read_quantities(words[1], catalog)
    ordered = {line.item for line in reading.items} - {None}
    named_again = all(any(a.item == k and a.label for a in after.items) for k in ordered)
    kept = ordered <= {line.item for line in after.items}
    if not (named_again or (kept and known is not None and known(word))):
        return reading
    return QtyReading(after.items, f"{word} {after.lead}".strip(), after.rest, after.unclear)


def _name_and_note(
    reading: QtyReading, front: str = "", known: KnownName | None = None
) -> tuple[str, str]:
    """The name is the first word before the products; later words there join the note.

    A two-word nickname (`Coco 李`) stands before the room (`front`: the text before it), or is
    a member's (`known`): so an exported chain reads back as it was written.
    """
    words = reading.lead.split()
    places = [word for word in words if _PLACE_ONLY_RE.match(word)]
    if places:
        words = [word for word in words if word not in places] or places
    name = words[0].strip(_NAME_TRIM) if words else ""
    if name and _FOR_SOMEONE_RE.match(name) and name[1] != name[0]:
        name = name[1:]
    if len(words) > 1 and words is not places:
        taken = _nickname_words(name, words, front, known)
        name, words = " ".join([name, *words[1:taken]]), [name, *words[taken:]]
    said = [word for word in words[1:] if word not in FILLER_WORDS]
    said = [*places, *said] if words is not places else said  # `8号楼 李 1份`: 李 in 8号楼
    said_text, rest = " ".join(said), reading.rest
    note = f"{said_text} {rest}" if said_text and rest else said_text or rest
    return name, note


def _nickname_words(name: str, words: list[str], front: str, known: KnownName | None) -> int:
    """How many of the first words are the name (`name` being the first, trimmed): a member's
    nickname of two or three words (`王 阿姨`, `Sunny 小雨 妈`), or a Latin first name and a
    surname before the room (`Coco 李 2-301`, `Amy Wang 3-101`)."""
    if known is not None:
        for count in (3, 2):
            if len(words) >= count and known(" ".join([name, *words[1:count]])):
                return count
    tail = words[1]
    if (
        _LATIN_WORD_RE.fullmatch(name) and _NAME_TAIL_RE.fullmatch(tail)
        and not tail.startswith(NOTE_STARTS) and f"{name} {tail}" in " ".join(front.split())
    ):  # fmt: skip
        return 2
    return 1


def _reasons(
    segment: Segment,
    name: str,
    room: str | None,
    items: tuple[ItemQty, ...],
    twin: int,
) -> tuple[str, ...]:
    reasons: list[str] = []
    if segment.missing is not None:
        first, last = segment.missing
        gap = str(first) if first == last else f"{first}–{last}"
        reasons.append(Reason(_("前面缺少序号 {gap}").format(gap=gap), "entry.gap"))
    if not name and not room:
        reasons.append(Reason(_("没有名字或房号"), "entry.no_name"))
    if not items:
        reasons.append(Reason(_("没写商品和数量"), "entry.no_items"))
    reasons += _item_reasons(items)
    if twin != segment.seq:
        reasons.append(Reason(_("和第 {seq} 条像是同一个人").format(seq=twin), "entry.twin"))
    return tuple(dict.fromkeys(reasons))


def _item_reasons(items: tuple[ItemQty, ...]) -> list[str]:
    reasons: list[str] = []
    for line in items:
        if line.item is None and line.label:
            unknown = _("不认识的商品：{label}").format(label=line.label)
            reasons.append(Reason(unknown, "item.unknown"))
        elif line.item is None:
            reasons.append(Reason(_("没写是哪个商品"), "item.unnamed"))
        if line.qty == 0:
            reasons.append(Reason(_("数量为 0"), "qty.zero"))
        elif line.qty > LARGE_QTY:
            reasons.append(Reason(_("数量 {qty} 偏大，请核对").format(qty=line.qty), "qty.large"))
    return reasons
