"""Flash-sale windows in a show: each segment's planned minutes, and overlaps refused.

Below `shows` (which re-times tied sales after every run-of-show change) and `flash` (which
places and edits sales), so neither imports the other for these.
"""

from __future__ import annotations

import itertools
from typing import Protocol

from sqlmodel import Session, col, select

from tuan.domain.live.errors import LiveError
from tuan.domain.shared.errors import Message
from tuan.i18n import N_
from tuan.models import ChainItem, FlashSale, Segment


class Window(Protocol):
    """A sale's planned window in minutes from the start of the show."""

    @property
    def start_minute(self) -> int: ...

    @property
    def end_minute(self) -> int | None: ...


def planned_offsets(segments: list[Segment]) -> dict[int, tuple[int, int]]:
    """Each segment's planned (start minute, end minute) in the show, by segment id."""
    offsets, minute = {}, 0
    for segment in segments:
        offsets[segment.id or 0] = (minute, minute + segment.planned_minutes)
        minute += segment.planned_minutes
    return offsets


def check_overlaps(session: Session, live_id: int) -> None:
    """Refuse two flash sales of one item whose planned windows overlap in one livestream."""
    sales = session.exec(select(FlashSale).where(col(FlashSale.livestream_id) == live_id)).all()
    by_item: dict[int, list[FlashSale]] = {}
    for sale in sales:
        by_item.setdefault(sale.item_id, []).append(sale)
    for item_sales in by_item.values():
        ordered = sorted(item_sales, key=lambda s: (s.start_minute, s.id or 0))
        for before, after in itertools.pairwise(ordered):
            if before.end_minute is None or before.end_minute > after.start_minute:
                item = session.get(ChainItem, before.item_id)
                message = N_("{name} 的两个秒杀时间重叠（{a} 和 {b}）：换个时间段")
                raise LiveError(
                    message,
                    "start_minute",
                    code="window.overlap",
                    name=item.name if item else "",
                    a=_window(before),
                    b=_window(after),
                )


def window_label(sale: Window) -> str:
    """`第47-55分钟`, or `第47分钟起` when it runs until the live ends."""
    return str(_window(sale))


def _window(sale: Window) -> Message:
    if sale.end_minute is None:
        return Message(N_("第{start}分钟起"), start=sale.start_minute)
    return Message(N_("第{start}-{end}分钟"), start=sale.start_minute, end=sale.end_minute)
