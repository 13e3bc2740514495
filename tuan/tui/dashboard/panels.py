"""The dashboard's panels rendered as rich Text from the domain's `Overview`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.table import Table
from rich.text import Text

from tuan import clock
from tuan.domain.dashboard.view import Overview
from tuan.domain.shared.money import format_money
from tuan.domain.shared.timefmt import duration, short_datetime, time_left, time_window
from tuan.i18n import _, ngettext

BARS = " ▁▂▃▄▅▆▇█"


def _heading(text: str) -> Text:
    return Text(text + "\n", style="bold")


def reminders(data: Overview) -> Text:
    """Counts of overdue and today's reminders, and the first few."""
    out = _heading(_("跟进提醒"))
    out.append(_("逾期 {n}").format(n=data.overdue), style="bold red" if data.overdue else "")
    out.append("   " + _("今天 {n}").format(n=data.due_today) + "\n")
    for r in data.reminders:
        style = "red" if r.overdue else ""
        out.append(f"{r.due_on[5:]} ", style=style)
        out.append(f"{r.member} {r.title}\n" if r.member else f"{r.title}\n")
    if not data.reminders:
        out.append(_("今天没有要跟进的提醒") + "\n", style="dim")
    out.append(_("按 r 打开提醒收件箱"), style="dim")
    return out


def open_chains(data: Overview) -> Text:
    """Open chains with time to deadline and entries."""
    out = _heading(_("进行中的接龙"))
    for chain in data.open_chains[:5]:
        out.append(f"{chain.title}\n")
        out.append(f"  {time_left(chain.deadline)}  ", style="yellow")
        orders = ngettext("{n} 单  {gmv}", "{n} 单  {gmv}", chain.entries)
        out.append(orders.format(n=chain.entries, gmv=format_money(chain.gmv_cents)))
        out.append("\n")
    if not data.open_chains:
        out.append(_("没有进行中的接龙，按 2 新建"), style="dim")
    return out


def pickups(data: Overview) -> Text:
    """Today's pickups with a progress bar."""
    out = _heading(_("今日自提"))
    for p in data.pickups:
        out.append(f"{p.title}\n{time_window(p.start, p.end)}\n")
        share = p.collected_orders / p.orders if p.orders else 0
        filled = round(share * 20)
        out.append("█" * filled, style="green")
        out.append("░" * (20 - filled), style="dim")
        out.append(" " + _("已取 {a}/{b}").format(a=p.collected_orders, b=p.orders) + "\n")
    if not data.pickups:
        out.append(_("今天没有自提"), style="dim")
    return out


def next_live(data: Overview) -> Text:
    """The next livestream with a countdown."""
    out = _heading(_("下一场直播"))
    live = data.next_live
    if live is None:
        out.append(_("还没有安排直播，按 3 去安排"), style="dim")
        return out
    series = _("《{series}》").format(series=live.series)
    out.append(f"{series}{_('第{n}期').format(n=live.episode)}\n", style="bold")
    out.append(f"{live.theme}  {live.host}\n")
    out.append(short_datetime(live.scheduled_at) + "\n")
    if live.scheduled_at is not None:
        seconds = (live.scheduled_at - clock.now()).total_seconds()
        if seconds > 0:
            out.append(_("距开播 {t}").format(t=duration(seconds)), style="yellow")
    return out


def sparkline(values: list[float]) -> str:
    """Values as block characters, lowest to highest (zero stays the lowest block)."""
    top = max(values, default=0) or 1
    return "".join(BARS[max(1, round(v / top * (len(BARS) - 1)))] for v in values)


def _pct(value: float) -> str:
    return f"{value:.0%}"


def _money(cents: float) -> str:
    return format_money(int(cents))


def numbers(data: Overview) -> Table:
    """Each number: this month, last month and the 12-month trend."""
    table = Table(box=None, padding=(0, 2), show_edge=False)
    table.add_column(_("指标"), style="bold", no_wrap=True)
    table.add_column(_("本月"), justify="right", no_wrap=True)
    table.add_column(_("上月"), justify="right", style="dim", no_wrap=True)
    table.add_column(_("近12个月"), no_wrap=True)
    months = data.months
    if not months:
        return table
    rows: list[tuple[str, list[float], Callable[[float], str]]] = [
        (_("成交额"), [m.gmv_cents for m in months], _money),
        (_("退款"), [m.refunds_cents for m in months], _money),
        (_("复购率"), [m.repurchase_rate for m in months], _pct),
        (_("平均 LTV"), [m.avg_ltv_cents for m in months], _money),
        (_("最高 LTV"), [m.top_ltv_cents for m in months], _money),
        (_("裂变新客占比"), [m.referral_share for m in months], _pct),
        (_("KOC 带新占比"), [m.koc_share for m in months], _pct),
        (_("合作点位新客占比"), [m.partner_share for m in months], _pct),
        (_("沉睡团员"), [m.dormant for m in months], lambda v: str(int(v))),
    ]
    table.add_row(_("团员总数"), str(data.members), "", "")
    for label, values, fmt in rows:
        last = fmt(values[-2]) if len(values) > 1 else ""
        table.add_row(label, fmt(values[-1]), last, Text(sparkline(values), style="cyan"))
    _margin_rows(table, months)
    _coupon_rows(table, data)

    _team_rows(table, data.teams)
    return table


def _coupon_rows(table: Table, data: Overview) -> None:
    """Coupons this month and last: issued, redeemed (and what they cost), expired, rate."""
    if not any(m.issued or m.redeemed or m.expired for m in data.coupons):
        return
    now = data.coupons[-1]
    last = data.coupons[-2] if len(data.coupons) > 1 else None

    def cell(month: Any) -> str:
        if month is None:
            return ""
        return _("发{a} 用{b} 过期{c}").format(a=month.issued, b=month.redeemed, c=month.expired)

    table.add_row(_("券"), cell(now), cell(last), "")
    table.add_row(
        _("券成本 / 核销率"),
        f"{format_money(now.cost_cents)} / {now.redemption_rate:.0%}",
        f"{format_money(last.cost_cents)} / {last.redemption_rate:.0%}" if last else "",
        "",
    )


def _team_rows(table: Table, teams: dict[str, list[int]]) -> None:
    """拼团: teams formed and unfilled, when the leader has run any."""
    counts = list(teams.values())
    if not any(any(c) for c in counts):
        return
    for label, index in ((_("已成团"), 0), (_("未成团"), 1)):
        values = [float(c[index]) for c in counts]
        last = str(int(values[-2])) if len(values) > 1 else ""
        table.add_row(label, str(int(values[-1])), last, Text(sparkline(values), style="cyan"))


def _margin_rows(table: Table, months: list[Any]) -> None:
    """Gross profit and margin, and the GMV without a cost price they leave out."""
    from tuan.domain.dashboard.margin import format_rate, month_margin

    margins = [month_margin(m) for m in months]

    def cells(show: Callable[[Any], str]) -> tuple[str, str]:
        return show(margins[-1]), show(margins[-2]) if len(margins) > 1 else ""

    def profit(m: Any) -> str:
        return format_money(m.profit_cents) if m.known else "—"

    profits = [float(m.profit_cents) if m.known else 0.0 for m in margins]
    rates = [m.margin or 0.0 for m in margins]
    table.add_row(_("毛利"), *cells(profit), Text(sparkline(profits), style="cyan"))
    table.add_row(
        _("毛利率"), *cells(lambda m: format_rate(m.margin)), Text(sparkline(rates), style="cyan")
    )
    if any(m.uncovered_cents for m in margins[-2:]):
        now, last = cells(lambda m: format_money(m.uncovered_cents))
        table.add_row(Text(_("未填成本的成交额"), style="yellow"), now, last, "")


def lives_and_partners(data: Overview) -> Text:
    """Conversion per livestream and the new members each partner brought this year."""
    out = _heading(_("直播转化率"))
    for live in data.lives[-4:]:
        filled = round(live.conversion * 20)
        out.append(f"{live.label}\n", style="")
        out.append("█" * filled, style="magenta")
        out.append("░" * (20 - filled), style="dim")
        out.append(f" {live.conversion:.0%}  {live.buyers}/{live.peak_viewers}\n")
    if not data.lives:
        out.append(_("还没有结束的直播") + "\n", style="dim")
    partners: dict[str, int] = {}
    for month in data.months:
        for name, count in month.partner_new.items():
            partners[name] = partners.get(name, 0) + count
    out.append("\n" + _("近12个月各合作点位带来的新团员") + "\n", style="bold")
    top = max(partners.values(), default=1)
    for name, count in sorted(partners.items(), key=lambda kv: -kv[1]):
        out.append(f"{count:>3} ", style="bold")
        out.append("█" * max(1, round(count / top * 12)), style="green")
        out.append(f" {name}\n")
    return out
