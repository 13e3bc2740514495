"""`tuan spend …`: what the leader spent per acquisition channel and month (获客投入)."""

from __future__ import annotations

from typing import Annotated

import typer

from tuan.commands.common import fail, info, open_db, print_json
from tuan.i18n import _

spend_app = typer.Typer(
    help=_("获客投入：每个渠道每月花的钱（点位费、礼品），用来算获客成本"), no_args_is_help=True
)


@spend_app.command(
    "add", help=_("记录一笔获客投入，例如 tuan spend add partner --month 2026-11 --amount 300")
)
def add(
    ctx: typer.Context,
    channel: Annotated[
        str,
        typer.Argument(
            help=_("渠道：partner（合作点位海报）、referral（老带新）、koc、live（直播）")
        ),
    ],
    month: Annotated[str, typer.Option("--month", help=_("哪个月（YYYY-MM）"))],
    amount: Annotated[str, typer.Option("--amount", help=_("金额（元），例如 300 或 45.5"))],
    note: Annotated[str, typer.Option("--note", help=_("备注，例如 前台小礼品"))] = "",
) -> None:
    """Record spend on a channel in a month."""
    from tuan.domain.dashboard.acquisition import SpendError, channel_label, record_spend
    from tuan.domain.shared.money import format_money

    try:
        with open_db(ctx).transaction() as session:
            row = record_spend(session, channel, month, amount, note)
            shown = (row.id, channel_label(row.channel), row.month, row.amount_cents)
    except SpendError as error:
        fail(str(error))
    info(
        _("已记录 #{id}：{channel} {month} {amount}").format(
            id=shown[0], channel=shown[1], month=shown[2], amount=format_money(shown[3])
        )
    )


@spend_app.command("list", help=_("列出记录的获客投入（最新的月份在前）。"))
def list_(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help=_("输出 JSON"))] = False,
    month: Annotated[str | None, typer.Option("--month", help=_("只看某个月（YYYY-MM）"))] = None,
) -> None:
    """List recorded spend."""
    from tuan.domain.dashboard.acquisition import SpendError, channel_label, check_month, list_spend
    from tuan.domain.shared.money import format_money
    from tuan.domain.shared.width import pad

    try:
        wanted = None if month is None else check_month(month)
    except SpendError as error:
        fail(str(error))
    with open_db(ctx).session() as session:
        rows = list_spend(session, wanted)
    if as_json:
        print_json(
            [
                {
                    "id": r.id,
                    "channel": r.channel,
                    "month": r.month,
                    "amount_cents": r.amount_cents,
                    "note": r.note,
                }
                for r in rows
            ]
        )
        return
    if not rows:
        info(_("还没有记录获客投入。用 tuan spend add partner --month 2026-11 --amount 300 记录。"))
        return
    for r in rows:
        typer.echo(
            f"#{r.id:<4} {r.month}  {pad(channel_label(r.channel), 12)} "
            f"{format_money(r.amount_cents):>10}  {r.note}".rstrip()
        )
