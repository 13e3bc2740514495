"""Rows and header of the run-of-show editor, rendered from domain rows."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from rich.text import Text

from tuan.i18n import _, ngettext

if TYPE_CHECKING:
    from tuan.domain.live.flash import FlashRow
    from tuan.domain.live.shows import SegmentRow
    from tuan.models import Livestream


def head_text(live: Livestream, title: str, chain_title: str, segments: list[SegmentRow]) -> Text:
    """Title, status, time, linked chain and the total planned time."""
    from tuan.domain.live.shows import status_label
    from tuan.domain.shared.timefmt import short_datetime

    total = sum(s.planned_minutes for s in segments)
    text = Text(title, style="bold")
    text.append(f"  {status_label(live.status)}", style="green")
    if live.host:
        text.append(f"  {live.host}")
    text.append("\n" + _("开播 {when}").format(when=short_datetime(live.scheduled_at) or "-"))
    plan = ngettext("共 {n} 个环节，计划 {m} 分钟", "共 {n} 个环节，计划 {m} 分钟", len(segments))
    text.append("  " + plan.format(n=len(segments), m=total), style="bold")
    chain = chain_title or _("未关联接龙（按 c 关联）")
    text.append("\n" + _("接龙：{chain}").format(chain=chain), style="cyan")
    return text


def segment_row(live: Livestream, seg: SegmentRow) -> tuple[str, ...]:
    """One segment: number, planned clock time, title, minutes, featured item, talking points."""
    from tuan import clock

    base = live.started_at or live.scheduled_at
    when = _("第{n}分钟").format(n=seg.start_minute)
    if base is not None:
        when = f"{clock.local(base + timedelta(minutes=seg.start_minute)):%H:%M}"
    return (
        str(seg.position + 1),
        when,
        seg.title,
        str(seg.planned_minutes),
        seg.item_name,
        seg.talking_points.replace("\n", " "),
    )


def sale_row(sale: FlashRow) -> tuple[str, ...]:
    """One flash sale: item, prices, window, cap, sold, gift."""
    from tuan.domain.live.windows import window_label
    from tuan.domain.shared.money import format_money

    window = window_label(sale)
    if sale.segment_title:
        window += " " + _("随「{title}」").format(title=sale.segment_title)
    gift = ""
    if sale.gift_name:
        gift = _("前{n}名 {gift}").format(n=sale.gift_count, gift=sale.gift_name)
    return (
        sale.item_name,
        format_money(sale.live_price_cents),
        format_money(sale.price_cents),
        window,
        str(sale.cap) if sale.cap else _("不限"),
        str(sale.sold),
        gift,
    )
