"""Texts the live produces: the run-of-show for the host, the summary, and the chain to post.

The run-of-show text is what the leader sends the host before the live (`tuan live export 3`):
each segment with its planned clock time, minutes, featured item and talking points, then the
flash sales. The chain text is posted in the groups right before the live ends; it is built with
`chain_text` (the one chain format) from the chain as it stands, live orders included.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from tuan import clock
from tuan.domain.live.flash import FlashRow, list_flash_sales
from tuan.domain.live.shows import get_live, run_of_show, status_label
from tuan.domain.live.summary import LiveSummary
from tuan.domain.live.windows import window_label
from tuan.domain.shared.money import format_money
from tuan.domain.shared.timefmt import long_datetime, short_datetime
from tuan.i18n import _, ngettext, pgettext
from tuan.models import Chain, ChainItem, Livestream


def live_title(live: Livestream) -> str:
    """`《厨房里的健康密码》第3期 食用油的选择`."""
    series = _("《{series}》").format(series=live.series) if live.series else ""
    return f"{series}{_('第{n}期').format(n=live.episode)} {live.theme}".strip()


def run_of_show_text(session: Session, live_id: int) -> str:
    """The run-of-show as plain text for the host."""
    live = get_live(session, live_id)
    segments = run_of_show(session, live_id)
    total = sum(s.planned_minutes for s in segments)
    start = live.started_at or live.scheduled_at
    lines = [live_title(live)]
    if live.host:
        lines.append(_("主播：{host}").format(host=live.host))
    if start is not None:
        end = clock.local(start + timedelta(minutes=total))
        when = _("开播：{when}（计划 {m} 分钟，到 {end:%H:%M}）")
        lines.append(when.format(when=long_datetime(start), m=total, end=end))
    else:
        lines.append(_("计划 {m} 分钟").format(m=total))
    chain = session.get(Chain, live.chain_id) if live.chain_id else None
    if chain is not None:
        lines.append(_("接龙：{title}（编号 {id}）").format(title=chain.title, id=chain.id))
    lines += ["", _("流程")]
    prices = _prices(session, live.chain_id)
    for seg in segments:
        when = _clock_span(start, seg.start_minute, seg.planned_minutes)
        minutes = _("{m}分钟").format(m=seg.planned_minutes)
        line = _("{text}（{note}）").format(text=seg.title, note=minutes)
        lines.append(f"{seg.position + 1}. {when}  {line}")
        if seg.item_name:
            price = prices.get(seg.item_id or 0)
            shown = f" {format_money(price)}" if price is not None else ""
            lines.append("   " + _("主推：{name}").format(name=seg.item_name) + shown)
        if seg.talking_points:
            lines.append("   " + _("要点：{points}").format(points=seg.talking_points))
    sales = list_flash_sales(session, live_id)
    if sales:
        lines += ["", _("秒杀")]
        lines += [f"- {flash_line(sale, start)}" for sale in sales]
    return "\n".join(lines) + "\n"


def _prices(session: Session, chain_id: int | None) -> dict[int, int]:
    if chain_id is None:
        return {}
    stmt = select(ChainItem.id, ChainItem.price_cents).where(col(ChainItem.chain_id) == chain_id)
    return {i or 0: p for i, p in session.exec(stmt)}


def _clock_span(start: datetime | None, offset: int, minutes: int) -> str:
    if start is None:
        return _("第{a}-{b}分钟").format(a=offset, b=offset + minutes)
    begin = clock.local(start + timedelta(minutes=offset))
    return f"{begin:%H:%M}-{begin + timedelta(minutes=minutes):%H:%M}"


def flash_line(sale: FlashRow, start: datetime | None = None) -> str:
    """`健康厨房入门套装 直播价¥199（接龙价¥259） 19:17-19:25 限量50件 前20名赠《…》`."""
    price = _("直播价{live}（接龙价{price}）").format(
        live=format_money(sale.live_price_cents), price=format_money(sale.price_cents)
    )
    if sale.end_minute is not None:
        window = _clock_span(start, sale.start_minute, sale.end_minute - sale.start_minute)
    else:
        window = window_label(sale)
    if sale.segment_title:
        window += _("（随环节「{title}」）").format(title=sale.segment_title)
    parts = [sale.item_name, price, window]
    parts.append(_("限量{n}件").format(n=sale.cap) if sale.cap else _("不限量"))
    if sale.gift_name and sale.gift_count:
        parts.append(_("前{n}名赠{gift}").format(n=sale.gift_count, gift=sale.gift_name))
    return " ".join(parts)


def summary_lines(live: Livestream, summary: LiveSummary) -> list[tuple[str, str]]:
    """The summary as (label, value) pairs, in the order the leader reads them."""
    duration = ""
    if live.started_at and live.ended_at:
        minutes = round((live.ended_at - live.started_at).total_seconds() / 60)
        duration = _("{m} 分钟").format(m=minutes)
    return [
        (pgettext("live summary", "开播"), short_datetime(live.started_at)),
        (_("时长"), duration),
        (_("最高在线"), _("{n} 人").format(n=summary.peak_viewers)),
        (_("下单人数"), _("{n} 人").format(n=summary.buyers)),
        (_("订单"), ngettext("{n} 单", "{n} 单", summary.orders).format(n=summary.orders)),
        (_("转化率"), f"{summary.conversion:.1%}"),
        (_("成交额"), format_money(summary.gmv_cents)),
        (_("赠品送出"), _("{n} 份").format(n=summary.gifts_given)),
        (pgettext("count", "新团员"), _("{n} 人").format(n=summary.new_members)),
        *_team_pairs(summary),
    ]


def _team_pairs(summary: LiveSummary) -> list[tuple[str, str]]:
    """拼团 teams the live's orders are in (only when there are any)."""
    if not summary.teams_formed and not summary.teams_unfilled:
        return []
    formed = ngettext("{n} 个", "{n} 个", summary.teams_formed).format(n=summary.teams_formed)
    waiting = ngettext("{n} 个", "{n} 个", summary.teams_unfilled).format(n=summary.teams_unfilled)
    return [(_("已成团"), formed), (_("未成团"), waiting)]


def summary_text(live: Livestream, summary: LiveSummary) -> str:
    """The summary as plain text (`tuan live summary 1`)."""
    head = _("{text}（{note}）").format(text=live_title(live), note=status_label(live.status))
    pairs = [(label, value) for label, value in summary_lines(live, summary) if value]
    body = [_("{label}：{value}").format(label=label, value=value) for label, value in pairs]
    return "\n".join([head, *body]) + "\n"


def chain_post_text(session: Session, chain_id: int) -> str:
    """The chain as WeChat text (`#接龙` …) with every active entry, ready to post."""
    from tuan.domain.chains.export import ChainExportError, export_chain

    try:
        return export_chain(session, chain_id).text
    except ChainExportError:
        return ""


def _short_name(item: ChainItem) -> str:
    """The word an entry uses for an item: its first alias, else its name."""
    aliases = item.aliases.split()
    return aliases[0] if aliases else item.name
