"""The live mode's panels, drawn from a `LiveState` and the moment `now`.

Pure rendering: the screen re-reads the state after each change and calls these every second,
so countdowns and elapsed times move without touching the database.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

from tuan.domain.shared.states import LiveStatus, OrderStatus, SaleStatus
from tuan.i18n import _

if TYPE_CHECKING:
    from tuan.domain.live.state import LiveState, SaleState


def stopwatch(seconds: float) -> str:
    """`05:12`, or `1:05:12` past an hour (negative values count as 0)."""
    seconds = max(int(seconds), 0)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def schedule_text(delta: float) -> Text:
    """`比计划慢 3分钟` (red), `比计划快 2分钟` (green) or `按计划进行`."""
    from tuan.domain.shared.timefmt import duration

    if delta >= 60:
        return Text(_("比计划慢 {t}").format(t=duration(delta)), style="bold red")
    if delta <= -60:
        return Text(_("比计划快 {t}").format(t=duration(delta)), style="bold green")
    return Text(_("按计划进行"), style="green")


def status_text(state: LiveState, now: datetime) -> Text:
    """Title, on-air state, elapsed time, ahead/behind and viewers."""
    from tuan.domain.live.shows import status_label
    from tuan.domain.shared.timefmt import time_left

    styles: dict[str, str] = {
        LiveStatus.LIVE: "bold white on red",
        LiveStatus.PLANNED: "bold black on green",
        LiveStatus.ENDED: "reverse",
    }
    text = Text(f" {status_label(state.status)} ", style=styles.get(state.status, ""))
    series = _("《{series}》").format(series=state.series) if state.series else ""
    text.append(f"  {series}{_('第{n}期').format(n=state.episode)} {state.theme}\n", style="bold")
    if state.status == LiveStatus.PLANNED:
        if state.scheduled_at is not None:
            text.append(_("计划开播 {left}").format(left=time_left(state.scheduled_at, now)))
        text.append("\n" + _("按 ctrl+s 开播"), style="bold")
        return text
    text.append(_("已播 "))
    text.append(stopwatch(state.elapsed(now)), style="bold")
    text.append(_("  计划 {m} 分钟  ").format(m=state.planned_minutes))
    text.append_text(schedule_text(state.schedule_delta(now)))
    text.append("\n" + _("在线 {n}  最高 {peak}").format(n=state.viewers, peak=state.peak_viewers))
    return text


def current_text(state: LiveState, now: datetime) -> Text:
    """The segment on air: planned vs actual time, featured item and price now, talking points."""
    from tuan.domain.shared.money import format_money

    seg = state.current_segment
    if seg is None:
        return Text(_("流程还是空的：回到流程编辑添加环节"), style="bold red")
    text = Text(f"{seg.position + 1}/{len(state.segments)}  ", style="dim")
    text.append(seg.title + "\n", style="bold")
    text.append(_("计划 {m} 分钟").format(m=seg.planned_minutes))
    actual = seg.actual_seconds(now)
    if actual is not None:
        over = actual - seg.planned_minutes * 60
        text.append("  " + _("已进行 "))
        text.append(stopwatch(actual), style="bold red" if over > 0 else "bold")
        if over > 0:
            text.append("  " + _("超时 {t}").format(t=stopwatch(over)), style="red")
    if seg.item_name:
        sale = state.active_sale(now)
        text.append("\n" + _("主推：{name}").format(name=seg.item_name), style="green")
        if sale is not None and sale.item_id == seg.item_id and sale.left != 0:
            text.append("  " + _("直播价 {p}").format(p=format_money(sale.live_price_cents)))
    if seg.talking_points:
        text.append("\n" + seg.talking_points, style="italic")
    return text


def next_text(state: LiveState, now: datetime) -> Text:
    """The next segment with its planned and expected start."""
    seg = state.next_segment
    if seg is None:
        return Text(_("这是最后一个环节：收尾后按 ctrl+t 结束直播"), style="dim")
    text = Text(seg.title, style="bold")
    text.append("  " + _("{m} 分钟").format(m=seg.planned_minutes))
    planned = state.planned_at(seg)
    if planned is not None:
        from tuan import clock

        text.append("\n" + _("计划 {t} 开始").format(t=f"{clock.local(planned):%H:%M}"))
        expected = state.next_expected(now)
        if expected is not None:
            text.append("  " + _("预计 {t}").format(t=f"{clock.local(expected):%H:%M}"))
    if seg.item_name:
        text.append("\n" + _("主推：{name}").format(name=seg.item_name), style="green")
    return text


def flash_text(state: LiveState, now: datetime) -> Text:
    """The flash sale in focus: prices, countdown, sold vs cap, gifts left."""
    from tuan.domain.shared.money import format_money

    sale = state.focus_sale(now)
    if sale is None:
        return Text(_("这场没有秒杀"), style="dim")
    text = Text(sale.item_name + "\n", style="bold")
    text.append(_("直播价 "))
    text.append(format_money(sale.live_price_cents), style="bold magenta")
    text.append("  " + _("接龙价 {p}").format(p=format_money(sale.price_cents)) + "\n", style="dim")
    text.append_text(_sale_status(sale, now))
    sold = f"{sale.sold}/{sale.cap}" if sale.cap else f"{sale.sold}/{_('不限')}"
    text.append("\n" + _("已售 "))
    text.append(sold, style="bold")
    if sale.left is not None:
        text.append("  " + _("还剩 {n} 件").format(n=sale.left))
    if sale.gift_name:
        gifts = _("赠品 {gift} 剩 {left}/{n}").format(
            gift=sale.gift_name, left=sale.gifts_left, n=sale.gift_count
        )
        text.append("\n" + gifts, style="yellow")
    return text


def _sale_status(sale: SaleState, now: datetime) -> Text:
    status = sale.status(now)
    if status == SaleStatus.OPEN:
        text = Text(_("进行中"), style="bold white on magenta")
        if sale.closes_at is not None:
            text.append("  " + _("还剩 "))
            text.append(stopwatch((sale.closes_at - now).total_seconds()), style="bold")
        return text
    if status == SaleStatus.SOLD_OUT:
        return Text(_("已抢光，之后按接龙价"), style="bold red")
    if status == SaleStatus.CLOSED:
        return Text(_("已结束"), style="dim")
    if sale.opens_at is not None:
        return Text(_("还有 {t} 开始").format(t=stopwatch((sale.opens_at - now).total_seconds())))
    return Text(_("未开始：计划第 {m} 分钟，ctrl+f 手动开始").format(m=sale.start_minute))


def totals_text(state: LiveState) -> Text:
    """The running numbers: orders, buyers, GMV, conversion."""
    from tuan.domain.shared.money import format_money

    t = state.totals
    text = Text(_("订单 "))
    text.append(str(t.orders), style="bold")
    text.append(_("  下单 "))
    text.append(str(t.buyers), style="bold")
    text.append(_(" 人  成交额 "))
    text.append(format_money(t.gmv_cents), style="bold")
    conversion = f"{t.conversion:.1%}" if t.peak_viewers else _("-（ctrl+g 填观看人数）")
    text.append("\n" + _("转化率 {c}  赠品已送 {g}  新团员 {n}").format(
        c=conversion, g=t.gifts_given, n=t.new_members
    ))  # fmt: skip
    return text


def orders_table(state: LiveState) -> Table:
    """The latest live orders, newest first; undone ones struck through."""
    from tuan import clock
    from tuan.domain.shared.money import format_money

    table = Table(expand=True, box=None, pad_edge=False, show_edge=False)
    for name, ratio in ((_("序"), 1), (_("时间"), 2), (_("团员"), 3), (_("房号"), 2)):
        table.add_column(name, ratio=ratio, no_wrap=True)
    table.add_column(_("商品"), ratio=6, no_wrap=True, overflow="ellipsis")
    table.add_column(_("金额"), ratio=2, justify="right", no_wrap=True)
    table.add_column(_("赠品"), ratio=4, no_wrap=True, overflow="ellipsis")
    for order in state.orders:
        cancelled = order.status == OrderStatus.CANCELLED
        style = "dim strike" if cancelled else ("magenta" if order.flash else "")
        table.add_row(
            str(order.seq),
            f"{clock.local(order.created_at):%H:%M:%S}",
            order.member,
            order.room,
            order.items,
            format_money(order.cents),
            _("已撤销") if cancelled else order.gift,
            style=style,
        )
    return table
