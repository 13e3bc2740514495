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
    follow: Annotated[
        tuple[str, str] | None,
        typer.Option(
            "--follow-on",
            metavar="X Y",
            help=_("连带复购：买过商品 X 的团员中，N 天内又买商品 Y 的比例（只输出这一项）"),
        ),
    ] = None,
    days: Annotated[int, typer.Option("--days", help=_("连带复购的天数 N"))] = 90,
    since: Annotated[
        str | None,
        typer.Option("--from", help=_("连带复购：从哪天起买 X（YYYY-MM-DD），默认 6 个月前")),
    ] = None,
    until: Annotated[
        str | None, typer.Option("--to", help=_("连带复购：到哪天为止买 X（YYYY-MM-DD），默认今天"))
    ] = None,
) -> None:
    """Business numbers: GMV, repurchase rate, LTV, live conversion, referral share of new members,
    dormant members (last 12 months); gross profit and margin per month, chain, product and live;
    cohorts, acquisition cost per channel, KOC and UGC share. `--follow-on X Y`: that one figure.
    """
    if follow is not None:
        _follow_on(ctx, follow, days, since, until, as_json)
        return
    end = _month_end(month)
    from tuan.domain.dashboard.coupons import coupon_months, coupons_as_dict
    from tuan.domain.dashboard.growth import definitions, growth_as_dict, growth_facts
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
        growth = growth_facts(session, end)
        coupons = coupon_months(session, [m.month for m in months])
        teams = team_months(session, [m.month for m in months])
    if as_json:
        document = stats_as_dict(months, lives, margins)
        document["coupons"] = coupons_as_dict(coupons)
        document["teams"] = teams_as_dict(teams)
        document.update(growth_as_dict(growth))
        document["definitions"] = {**definitions_of(document), **definitions()}
        print_json(document)
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
    if coupons:
        typer.echo(coupon_line(coupons[-1]))
    from tuan.domain.dashboard.growth_text import growth_lines

    for line in growth_lines(growth):
        typer.echo(line)


def coupon_line(month: object) -> str:
    """`券 2026-11：发出 3 张 ¥80，用掉 1 张（成本 ¥20），过期 1 张，核销率 33%`."""
    from tuan.domain.dashboard.coupon_rows import CouponMonth
    from tuan.domain.shared.money import format_money

    assert isinstance(month, CouponMonth)
    return _(
        "券 {month}：发出 {issued} 张 {face}，用掉 {redeemed} 张（成本 {cost}），"
        "过期 {expired} 张，核销率 {rate}"
    ).format(
        month=month.month, issued=month.issued, face=format_money(month.issued_cents),
        redeemed=month.redeemed, cost=format_money(month.cost_cents), expired=month.expired,
        rate=f"{month.redemption_rate:.0%}",
    )  # fmt: skip


def definitions_of(document: dict[str, object]) -> dict[str, str]:
    """The definitions already in a stats document."""
    found = document.get("definitions")
    return dict(found) if isinstance(found, dict) else {}


def _follow_on(
    ctx: typer.Context,
    products: tuple[str, str],
    days: int,
    since: str | None,
    until: str | None,
    as_json: bool,
) -> None:
    """`tuan stats --follow-on X Y`: the one figure, or a clear refusal (exit 2)."""
    from tuan.domain.dashboard.follow_on import FollowOnError, describe, follow_on
    from tuan.domain.dashboard.growth import follow_on_as_dict

    try:
        with open_db(ctx).session() as session:
            result = follow_on(session, products[0], products[1], days, since, until)
    except FollowOnError as error:
        fail(str(error))
    if as_json:
        print_json(follow_on_as_dict(result))
    else:
        typer.echo(describe(result))


def report(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("-o", "--output", help=_("输出的 HTML 文件"))],
    follow: Annotated[
        tuple[str, str] | None,
        typer.Option("--follow-on", metavar="X Y", help=_("在报告里加上商品 X → Y 的连带复购")),
    ] = None,
    days: Annotated[int, typer.Option("--days", help=_("连带复购的天数 N"))] = 90,
) -> None:
    """Write the numbers and charts as one self-contained web page, easy to send to the brand."""
    from tuan.domain.dashboard.coupons import coupon_months
    from tuan.domain.dashboard.follow_on import FollowOnError, follow_on
    from tuan.domain.dashboard.growth import growth_facts
    from tuan.domain.dashboard.metrics import live_conversions, margin_breakdown, monthly_stats
    from tuan.domain.dashboard.report import render_report
    from tuan.domain.dashboard.report_growth import growth_definitions, growth_section

    if output.suffix.lower() not in (".html", ".htm"):
        fail(_("报告是网页文件，请用 .html 结尾：{path}").format(path=output))
    with open_db(ctx).session() as session:
        try:
            asked = None if follow is None else follow_on(session, *follow, days)
        except FollowOnError as error:
            fail(str(error))
        months = monthly_stats(session, 12)
        html = render_report(
            months,
            live_conversions(session),
            margin_breakdown(session),
            growth_section(growth_facts(session), asked),
            growth_definitions(),
            coupon_months(session, [m.month for m in months]),
        )
    try:
        output.write_text(html, encoding="utf-8")
    except OSError as error:
        fail(_("写不进 {path}：{error}").format(path=output, error=os_problem(error)))
    info(_("报告已写入 {path}").format(path=output))
