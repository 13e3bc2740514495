"""The dashboard's panels rendered as rich Text from the domain's `Overview`."""

from __future__ import annotations

from rich.text import Text

from tuan import clock
from tuan.domain.dashboard import Overview
from tuan.domain.money import format_money
from tuan.domain.timefmt import duration, short_datetime, time_left, time_window
from tuan.i18n import _

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
        out.append(_("{n} 单  {gmv}").format(n=chain.entries, gmv=format_money(chain.gmv_cents)))
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
    out.append(f"《{live.series}》{_('第{n}期').format(n=live.episode)}\n", style="bold")
    out.append(f"{live.theme}  {live.host}\n")
    out.append(short_datetime(live.scheduled_at) + "\n")
    if live.scheduled_at is not None:
        seconds = (live.scheduled_at - clock.now()).total_seconds()
        if seconds > 0:
            out.append(_("距开播 {t}").format(t=duration(seconds)), style="yellow")
    return out


def numbers(data: Overview) -> Text:
    """This month's GMV, buyers and repurchase rate, against last month."""
    out = _heading(_("本月数字"))
    if not data.months:
        return out
    this, last = data.months[-1], data.months[-2] if len(data.months) > 1 else None
    out.append(_("成交额  ") + format_money(this.gmv_cents))
    if last:
        out.append(_("  上月 ") + format_money(last.gmv_cents), style="dim")
    out.append("\n" + _("下单人数  {n}").format(n=this.buyers))
    out.append("\n" + _("复购率  {p:.0%}").format(p=this.repurchase_rate))
    if last:
        out.append(_("  上月 {p:.0%}").format(p=last.repurchase_rate), style="dim")
    out.append("\n" + _("团员  {n} 人").format(n=data.members))
    return out


def sparkline(values: list[float]) -> str:
    """Values as block characters, lowest to highest."""
    top = max(values, default=0) or 1
    return "".join(BARS[round(v / top * (len(BARS) - 1))] for v in values)


def trend(data: Overview) -> Text:
    """12-month trends of GMV and repurchase rate."""
    out = _heading(_("近12个月趋势"))
    gmv = [m.gmv_cents for m in data.months]
    rate = [m.repurchase_rate for m in data.months]
    out.append(_("成交额  "))
    out.append(sparkline(gmv), style="green")
    out.append("\n" + _("复购率  "))
    out.append(sparkline(rate), style="cyan")
    if data.months:
        out.append(f"\n{data.months[0].month} ~ {data.months[-1].month}", style="dim")
    return out
