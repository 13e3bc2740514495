"""The chain text (接龙) the leader pastes into WeChat, built from plain data.

It follows WeChat's group-chain convention (DESIGN.md, "The chain text"): `#接龙` first, so WeChat
turns it into its native chain card; then the title, description, products with prices and
limits, deadline, pickup place and time, an `例` line showing how to join, a blank line, and the
numbered entries `1. 王阿姨 3-1202 套装×1`. Lines stay short so the post reads well on a phone.

The whole text stays Chinese in every interface language: neighbours read it in a Chinese
WeChat group, `#接龙`, `截止`, `自提` and `例` are WeChat's own convention, and the importer reads
`原价`, `每人限`, `限量` and `已售罄` back. What the leader wrote (title, description, names,
notes) stays in whatever language the leader wrote it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from tuan import clock
from tuan.domain.shared.money import format_money
from tuan.domain.shared.timefmt import zh_datetime

CHAIN_TAG = "#接龙"
DEADLINE_WORD = "截止"
PICKUP_WORD = "自提"
EXAMPLE_WORD = "例"
#: Notes are written in brackets so a note with numbers (`3点后取`) never reads as a quantity.
NOTE_OPEN, NOTE_CLOSE = "（", "）"


@dataclass(frozen=True)
class ItemText:
    """A product as the chain text shows it.

    Attributes:
        name: Product name, e.g. `冷榨橄榄油`.
        price_cents: Chain price in cents; None while it is not known (the line has no price).
        spec: Spec such as `500ml`, or empty.
        original_price_cents: Shown as `（原价¥128）` when higher than the price.
        limit: Per-person limit (`每人限2`), or None.
        stock: Stock (`限量50`, `已售罄` at 0), or None for unlimited.
        code: One-letter menu code shown as `A.`, or empty.
        team: The 拼团 part (`3人成团 ¥79，已成团 4 个，王阿姨的团还差 1 人`), or empty.
    """

    name: str
    price_cents: int | None
    spec: str = ""
    original_price_cents: int | None = None
    limit: int | None = None
    stock: int | None = None
    code: str = ""
    team: str = ""


@dataclass(frozen=True)
class EntryItemText:
    """One item in an entry, by the word the entry uses for it (short name, alias or code)."""

    name: str
    qty: int


@dataclass(frozen=True)
class EntryText:
    """One numbered entry (接龙条目): `3. 王阿姨 3-1202 套装×1（不要葱）`; `team` is its 拼团
    words (`跟王阿姨的团`, `开团`), written after the items."""

    seq: int
    name: str = ""
    room: str = ""
    items: tuple[EntryItemText, ...] = ()
    note: str = ""
    team: str = ""


@dataclass(frozen=True)
class ChainText:
    """Everything the chain text shows.

    Attributes:
        title: The chain's title.
        description: Free text; blank lines in it separate paragraphs.
        items: Products, in menu order.
        deadline: When ordering closes (timezone-aware; shown in the leader's zone).
        pickup_place: Where goods are collected.
        pickup_start: When collection opens.
        pickup_end: When collection closes.
        entries: Numbered entries, in sequence order.
        example_item: The word the `例` line uses for an item; default: first item's code or name.
    """

    title: str
    description: str = ""
    items: tuple[ItemText, ...] = ()
    deadline: datetime | None = None
    pickup_place: str = ""
    pickup_start: datetime | None = None
    pickup_end: datetime | None = None
    entries: tuple[EntryText, ...] = ()
    example_item: str = ""


def render_chain(chain: ChainText, *, with_entries: bool = True) -> str:
    """The whole chain text, ready to paste into WeChat.

    Args:
        chain: What to show.
        with_entries: False for the opening post, which has no entries yet.

    Returns:
        The text, lines joined with `\\n`, ending with a newline.
    """
    blocks = [
        [CHAIN_TAG, _one_line(chain.title)],
        _paragraphs(chain.description),
        [format_item_line(item) for item in chain.items],
        _when_and_where(chain),
        [example_line(chain)],
    ]
    if with_entries and chain.entries:
        blocks.append([format_entry_line(entry) for entry in chain.entries])
    return "\n\n".join("\n".join(block) for block in blocks if block) + "\n"


def render_opening_post(chain: ChainText) -> str:
    """The first post of a chain: everything but the entries."""
    return render_chain(chain, with_entries=False)


def format_item_line(item: ItemText) -> str:
    """`A. 冷榨橄榄油 500ml ¥89（原价¥128）每人限2 限量50`."""
    head = f"{item.code.strip().upper()}. " if item.code.strip() else ""
    words = [_one_line(item.name), _one_line(item.spec)]
    line = head + " ".join(w for w in words if w)
    if item.price_cents is not None:  # a price not known yet is left out, never shown as ¥0
        line += f" {format_money(item.price_cents)}"
    original = item.original_price_cents
    if original is not None and item.price_cents is not None and original > item.price_cents:
        line += f"（原价{format_money(original)}）"
    if item.team and item.price_cents is not None:
        line += "，" + _one_line(item.team)
    extras = []
    if item.limit:
        extras.append(f"每人限{item.limit}")
    if item.stock == 0:
        extras.append("已售罄")
    elif item.stock is not None:
        extras.append(f"限量{item.stock}")
    if not extras:
        return line
    # `¥89（原价¥128）每人限2`: a closing bracket already separates, a space would be noise.
    glue = "" if line.endswith(NOTE_CLOSE) else " "
    return line + glue + " ".join(extras)


def format_entry_line(entry: EntryText) -> str:
    """`1. 王阿姨 3-1202 橄榄油×1 亚麻籽油×2（不要葱）`; an empty entry is just `4.`."""
    words = [_one_line(entry.name), _one_line(entry.room)]
    words += [f"{_one_line(item.name)}×{item.qty}" for item in entry.items]
    words.append(_one_line(entry.team))
    line = " ".join([f"{entry.seq}.", *(w for w in words if w)])
    note = _one_line(entry.note)
    if note:
        # Brackets inside the note would end it early when read back.
        line += NOTE_OPEN + re.sub(r"[()（）]", "", note) + NOTE_CLOSE
    return line


def example_line(chain: ChainText) -> str:
    """`例：1. 王阿姨 3-1202 A×1`: how a neighbour adds their line."""
    sample = "王阿姨 3-1202"
    item = chain.example_item or _example_item(chain)
    return f"{EXAMPLE_WORD}：1. {sample}" + (f" {item}×1" if item else "")


def format_span(start: datetime | None, end: datetime | None) -> str:
    """`11月29日 周日 10:00-18:00`, or two full moments when the span crosses days."""
    if start is None:
        return "" if end is None else f"{zh_datetime(end)}前"
    if end is None:
        return f"{zh_datetime(start)}起"
    if clock.local(start).date() == clock.local(end).date():
        return f"{zh_datetime(start)}-{clock.local(end):%H:%M}"
    return f"{zh_datetime(start)} 至 {zh_datetime(end)}"


def _when_and_where(chain: ChainText) -> list[str]:
    lines = []
    if chain.deadline is not None:
        lines.append(f"{DEADLINE_WORD}：{zh_datetime(chain.deadline)}")
    if chain.pickup_place.strip():
        lines.append(f"{PICKUP_WORD}：{_one_line(chain.pickup_place)}")
    span = format_span(chain.pickup_start, chain.pickup_end)
    if span:
        label = f"{PICKUP_WORD}时间"
        lines.append(f"{label}：{span}")
    return lines


def _example_item(chain: ChainText) -> str:
    if not chain.items:
        return ""
    first = chain.items[0]
    return first.code.strip().upper() or _one_line(first.name)


def _paragraphs(text: str) -> list[str]:
    """Description lines, stripped, with runs of blank lines kept to one."""
    lines: list[str] = []
    for raw in text.strip().splitlines():
        line = raw.strip()
        if line or (lines and lines[-1]):
            lines.append(line)
    return lines


def _one_line(text: str) -> str:
    """Fields that must stay on one line (a newline would start a new entry)."""
    return " ".join(text.split())
