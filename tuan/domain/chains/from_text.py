"""A new chain from a pasted chain's header: title, description, products, deadline, pickup.

Used when a chain is imported without naming an existing one (`tuan chain import FILE`): the
products are the ones `text_products` read (the header's, the entries', or one named after the
chain), keyed the way `header.items_catalog` keys them, so the entries read against that
catalogue find their items. A product without a price is kept with its price unknown.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, col, select

from tuan.domain.chains.header import HeaderItem, ParsedHeader, deadline_says_more, items_catalog
from tuan.domain.shared.states import ChainStatus
from tuan.domain.shared.text import to_halfwidth
from tuan.domain.shared.when import WhenError, parse_span, parse_when
from tuan.i18n import _
from tuan.models import Chain, ChainItem, PickupPoint

_ARRIVAL_RE = re.compile(r"^(?:到货|送达|到)\s*")
_ARRIVAL_WORD_RE = re.compile(r"(到货|送达)")
_PICKUP_RE = re.compile(r"^\s*自提\s*(?P<kind>时间|地点|点|处)?\s*[:：]?\s*(?P<rest>.*)$")


def create_chain_from_header(
    session: Session, header: ParsedHeader, items: Sequence[HeaderItem] | None = None
) -> tuple[int, dict[str, int]]:
    """Create the chain the header describes, with `items` (default: the header's products);
    returns its id and catalogue key → item id."""
    start, end, place = _pickup(header.pickup)
    deadline, whole = _when(header.deadline)
    # A deadline line that says more than the time (`今晚8点截单 明天下午自提`) is kept as written.
    said_more = not whole or deadline_says_more(header)
    kept = (header.deadline_line,) if header.deadline_line and said_more else ()
    chain = Chain(
        title=chain_title(header),
        description="\n".join((*header.description, *kept)),
        status=ChainStatus.OPEN,
        deadline=deadline,
        pickup_point_id=_point(session, place),
        pickup_start=start,
        pickup_end=end,
    )
    session.add(chain)
    session.flush()
    keys: dict[str, int] = {}
    products = header.items if items is None else tuple(items)
    catalog = items_catalog(products)
    for position, (item, key) in enumerate(zip(products, catalog, strict=True)):
        original = item.original_price_cents
        price = item.price_cents
        row = ChainItem(
            chain_id=chain.id or 0,
            position=position,
            code=item.code,
            name=item.name,
            spec=item.spec,
            price_cents=price or 0,
            price_known=price is not None,
            original_price_cents=original if original and price and original > price else None,
            limit_per_person=item.limit,
            stock=item.stock,
            team_size=item.team_size if item.team_price_cents else None,
            team_price_cents=item.team_price_cents if item.team_size else None,
        )
        session.add(row)
        session.flush()
        keys[key.key] = row.id or 0
    return chain.id or 0, keys


def chain_title(header: ParsedHeader) -> str:
    """The header's title; a chain that opens with its products is named after them."""
    if header.title.strip():
        return header.title.strip()[:60]
    return "、".join(item.name for item in header.items[:3])[:60] or _("导入的接龙")


def _when(text: str) -> tuple[datetime | None, bool]:
    """The deadline the text starts with, and whether that was all it said.

    `今晚8点 明天下午自提` is 20:00 today; the words after it are not part of the time.
    """
    if not text.strip():
        return None, True
    words = re.split(r"[\s,，;；]+", text.strip())
    for count in range(len(words), 0, -1):
        for day in ("", "今天"):  # i18n-keep: `11:00截止`, `晚上8点截单` are today
            try:
                return parse_when(day + " ".join(words[:count])), count == len(words)
            except WhenError:
                continue
    return None, False


def _pickup(lines: tuple[str, ...]) -> tuple[datetime | None, datetime | None, str]:
    """(start, end, place) from `自提：…` and `自提时间：…` lines."""
    start: datetime | None = None
    end: datetime | None = None
    place = ""
    for line in lines:
        match = _PICKUP_RE.match(to_halfwidth(line))
        if match is None:
            span, rest = _trailing_pickup(to_halfwidth(line))
            if span is not None and start is None:
                start, end = span
            place = place or rest
            continue
        rest = match.group("rest").strip()
        if match.group("kind") == "时间":
            try:
                start, end = parse_span(rest)
            except WhenError:
                continue
        elif rest and not place:
            place = rest
    return start, end, place


def _trailing_pickup(line: str) -> tuple[tuple[datetime, datetime | None] | None, str]:
    """`周日上午9-11点 3号楼下自提`: the window the line starts with, and the place before 自提."""
    words = _ARRIVAL_WORD_RE.sub(r" \1 ", line.strip().removesuffix("自提")).split()
    for count in range(len(words), 0, -1):
        try:
            span = parse_span(" ".join(words[:count]))
        except WhenError:
            continue
        return span, _ARRIVAL_RE.sub("", " ".join(words[count:])).strip()
    return None, _ARRIVAL_RE.sub("", " ".join(words)).strip()


def _point(session: Session, place: str) -> int | None:
    """The pickup point named first in `place` (`3号楼门口，阳光花园…`), created if new."""
    if not place:
        return None
    parts = re.split(r"[,，]", place, maxsplit=1)
    name = parts[0].strip()[:40]
    address = parts[1].strip() if len(parts) > 1 else ""
    point = session.exec(select(PickupPoint).where(col(PickupPoint.name) == name)).first()
    if point is None:
        point = PickupPoint(name=name, address=address)
        session.add(point)
        session.flush()
    return point.id
