"""The live list's side panel (run-of-show, flash sales, results) and copying the run-of-show."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text

from tuan.i18n import _, ngettext

if TYPE_CHECKING:
    from textual.screen import Screen

    from tuan.domain.live.flash import FlashRow
    from tuan.domain.live.shows import SegmentRow
    from tuan.domain.shared.rows import LiveRow


def detail_text(
    live: LiveRow, segments: list[SegmentRow], sales: list[FlashRow]
) -> tuple[Text, Text]:
    """The highlighted livestream: its run-of-show (left); chain, flash sales, results (right)."""
    total = sum(s.planned_minutes for s in segments)
    show = Text(f"{live.theme}  ", style="bold")
    plan = ngettext("{n} 个环节，共 {m} 分钟", "{n} 个环节，共 {m} 分钟", len(segments))
    show.append(plan.format(n=len(segments), m=total) + "\n")
    for seg in segments:
        show.append(f"{seg.position + 1}. {seg.title}", style="bold")
        show.append("  " + _("{m}分钟").format(m=seg.planned_minutes))
        if seg.item_name:
            show.append("  " + _("主推：{name}").format(name=seg.item_name), style="green")
        show.append("\n")
        if seg.talking_points:
            show.append(f"   {seg.talking_points}\n", style="dim")
    return show, _side_text(live, sales)


def _side_text(live: LiveRow, sales: list[FlashRow]) -> Text:
    from tuan.domain.live.windows import window_label
    from tuan.domain.shared.money import format_money

    chain = live.chain_title or _("未关联接龙（按 e 关联）")
    text = Text(_("接龙：{chain}").format(chain=chain) + "\n", style="cyan")
    if live.host:
        text.append(_("主播：{host}").format(host=live.host) + "\n")
    for sale in sales:
        text.append(
            "\n" + _("秒杀：{name}").format(name=sale.item_name) + "\n", style="bold magenta"
        )
        text.append(_("直播价 {p}").format(p=format_money(sale.live_price_cents)), style="bold")
        text.append("  " + _("接龙价 {p}").format(p=format_money(sale.price_cents)) + "\n")
        text.append(window_label(sale))
        text.append("  " + (_("限量{n}").format(n=sale.cap) if sale.cap else _("不限量")) + "\n")
        if sale.gift_name:
            gift = _("前{n}名赠{gift}").format(n=sale.gift_count, gift=sale.gift_name)
            text.append(gift + "\n")
    if live.summary:
        text.append("\n" + summary_line(live.summary), style="yellow")
    return text


def summary_line(summary: dict[str, Any]) -> str:
    """One line of a stored summary for the side panel."""
    from tuan.domain.shared.money import format_money

    return _("最高在线 {peak}\n下单 {buyers} 人  转化率 {conv:.0%}\n成交额 {gmv}").format(
        peak=summary.get("peak_viewers", 0),
        buyers=summary.get("buyers", 0),
        conv=float(summary.get("conversion", 0)),
        gmv=format_money(int(summary.get("gmv_cents", 0))),
    )


def copy_run_of_show(screen: Screen[Any], live_id: int) -> None:
    """Read a live's run-of-show as text and copy it for the host (in a thread worker)."""
    from tuan.domain.live.text import run_of_show_text
    from tuan.tui.shared.clipboard import copy_text
    from tuan.tui.shared.host import tuan_app

    with tuan_app(screen).db.session() as session:
        text = run_of_show_text(session, live_id)
    app = screen.app
    app.call_from_thread(copy_text, app, text, _("流程已复制，可以发给主播"))
