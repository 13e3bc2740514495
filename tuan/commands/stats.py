"""`tuan stats` and `tuan report`: the numbers that steer the business."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from tuan.commands.common import fail, info, open_db, print_json
from tuan.domain.shared.file_errors import os_problem
from tuan.i18n import _


def checked_month(month: str) -> str:
    """`YYYY-MM` from 2000-01 up to this month; anything else exits 2 saying what to type."""
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
        fail(_("月份格式应为 YYYY-MM，例如 2026-11：{month}").format(month=month))
    from tuan import clock

    if month > f"{clock.today():%Y-%m}":
        fail(_("{month} 还没到，请选择本月或以前的月份").format(month=month))
    if month < "2000-01":
        fail(_("{month} 太早了，请选择 2000 年以后的月份").format(month=month))
    return month


def _month_end(month: str | None) -> date | None:
    if month is None:
        return None
    from tuan import clock
    from tuan.domain.dashboard.metrics import month_end

    return month_end(checked_month(month), clock.today())


def stats(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help=_("输出 JSON"))] = False,
    month: Annotated[
        str | None, typer.Option("--month", help=_("截至哪个月（YYYY-MM），默认本月"))
    ] = None,
) -> None:
    """Business numbers: GMV, repurchase rate, LTV, live conversion, referral share of new members,
    dormant members (last 12 months); gross profit and margin per month, chain, product and live.
    """
    end = _month_end(month)
    from tuan.domain.dashboard.metrics import (
        Margin,
        format_margin,
        format_rate,
        live_conversions,
        margin_breakdown,
        monthly_stats,
        stats_as_dict,
    )
    from tuan.domain.dashboard.teams import team_months, teams_as_dict
    from tuan.domain.shared.money import format_money

    with open_db(ctx).session() as session:
        months = monthly_stats(session, 12, end)
        lives = live_conversions(session)
        margins = margin_breakdown(session)
        teams = team_months(session, [m.month for m in months])
    if as_json:
        print_json({**stats_as_dict(months, lives, margins), "teams": teams_as_dict(teams)})
        return
    header = _("月份      成交额        复购率  平均LTV     裂变新客  沉睡  毛利          毛利率")
    typer.echo(header)
    for m in months:
        margin = margins.months.get(m.month, Margin())
        profit = format_money(margin.profit_cents) if margin.known else "—"
        typer.echo(
            f"{m.month}  {format_money(m.gmv_cents):>12}  {m.repurchase_rate:>6.0%}  "
            f"{format_money(m.avg_ltv_cents):>10}  {m.referral_share:>8.0%}  {m.dormant:>4}  "
            f"{profit:>12}  {format_rate(margin.margin):>6}"
        )
    for live in lives:
        typer.echo(
            f"{live.label}  {_('转化率')} {live.conversion:.0%} ({live.buyers}/{live.peak_viewers})"
            f"  {format_margin(margins.lives.get(live.id, Margin()))}"
        )
    for chain in margins.chains:
        typer.echo(f"{_('接龙')} {chain.id} {chain.name}  {format_margin(chain.margin)}")


def report(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("-o", "--output", help=_("输出的 HTML 文件"))],
) -> None:
    """Write the numbers and charts as one self-contained web page, easy to send to the brand."""
    from tuan.domain.dashboard.metrics import live_conversions, margin_breakdown, monthly_stats
    from tuan.domain.dashboard.report import render_report

    if output.suffix.lower() not in (".html", ".htm"):
        fail(_("报告是网页文件，请用 .html 结尾：{path}").format(path=output))
    with open_db(ctx).session() as session:
        html = render_report(
            monthly_stats(session, 12), live_conversions(session), margin_breakdown(session)
        )
    try:
        output.write_text(html, encoding="utf-8")
    except OSError as error:
        fail(_("写不进 {path}：{error}").format(path=output, error=os_problem(error)))
    info(_("报告已写入 {path}").format(path=output))
