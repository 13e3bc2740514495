"""`tuan pickup …`: chains being collected, printable exports, uncollected reminders."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tuan.commands.common import fail, info, open_db, print_json
from tuan.i18n import _, ngettext

if TYPE_CHECKING:
    from tuan.domain.pickup.export_data import ExportData, ExportOptions

app = typer.Typer(help=_("自提：核对清单、分拣单导出、未取提醒"), no_args_is_help=True)


@app.command("list", help=_("列出待自提的接龙：自提点、时间、已领取和未付款。"))
def list_(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help=_("输出 JSON"))] = False,
) -> None:
    """List chains awaiting pickup: pickup point, time, collected and unpaid."""
    from tuan.domain.pickup.checklist import checklist, pickup_chains, progress
    from tuan.domain.shared.money import format_money
    from tuan.domain.shared.timefmt import time_window

    with open_db(ctx).session() as session:
        found = [(c, progress(checklist(session, c.id))) for c in pickup_chains(session)]
    if as_json:
        print_json(
            [
                {
                    "id": c.id,
                    "title": c.title,
                    "point": c.point,
                    "pickup_start": c.pickup_start.isoformat() if c.pickup_start else None,
                    "pickup_end": c.pickup_end.isoformat() if c.pickup_end else None,
                    "orders": p.orders,
                    "collected": p.collected,
                    "partial": p.partial,
                    "unpaid": p.unpaid,
                    "unpaid_cents": p.unpaid_cents,
                }
                for c, p in found
            ]
        )
        return
    for c, p in found:
        unpaid = ngettext("未付 {n} 单 {amount}", "未付 {n} 单 {amount}", p.unpaid).format(
            n=p.unpaid, amount=format_money(p.unpaid_cents)
        )
        typer.echo(
            f"{c.id:>4}  {time_window(c.pickup_start, c.pickup_end):<24} {c.point}  "
            f"{_('已领')} {p.collected}/{p.orders}  {unpaid}  {c.title}"
        )


@app.command(
    "export", help=_("导出自提核对清单或分拣单：PDF（A4 可打印，带勾选框）、XLSX、CSV、纯文本。")
)
def export(
    ctx: typer.Context,
    chain_id: Annotated[int, typer.Argument(help=_("接龙编号（tuan chain list 查看）"))],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help=_("格式：pdf、xlsx、csv 或 txt"))
    ] = "pdf",
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", help=_("输出文件（csv/txt 可用 - 输出到屏幕）")),
    ] = None,
    sorting: Annotated[
        bool, typer.Option("--sorting", help=_("导出分拣单（商品合计、按楼栋、赠品、感谢卡）"))
    ] = False,
    show_phone: Annotated[
        bool, typer.Option("--show-phone", help=_("显示完整手机号（默认打码 138****1234）"))
    ] = False,
    preset: Annotated[
        str, typer.Option("--preset", help=_("ktt：快团团订单导出的列（xlsx 或 csv）"))
    ] = "",
) -> None:
    """Export the pickup checklist or sorting list: PDF (printable A4 with tick boxes), XLSX, CSV
    or plain text.
    """
    from tuan.domain.pickup.export_data import (
        ExportError,
        ExportOptions,
        default_filename,
        load_export,
    )
    from tuan.domain.pickup.exports import export

    options = ExportOptions(fmt.lower(), sorting, show_phone, preset.lower())
    try:
        options.check()
        with open_db(ctx).session() as session:
            data = load_export(session, chain_id)
        if output == "-":
            _to_stdout(data, options)
            return
        path = Path(output or default_filename(data.chain, options)).expanduser()
        if not path.parent.is_dir():
            fail(_("文件夹不存在：{path}，请先建好文件夹或换一个路径").format(path=path.parent))
        export(data, path, options)
    except ExportError as error:
        fail(str(error))
    info(
        ngettext("已导出 {n} 单到 {path}", "已导出 {n} 单到 {path}", len(data.rows)).format(
            n=len(data.rows), path=path
        )
    )


def _to_stdout(data: ExportData, options: ExportOptions) -> None:
    import csv

    from tuan.domain.pickup.export_data import table_rows, text_lines

    if options.format == "txt":
        sys.stdout.write("\n".join(text_lines(data, options)) + "\n")
    elif options.format == "csv":
        csv.writer(sys.stdout).writerows(table_rows(data, options))
    else:
        fail(_("只有 csv 和 txt 可以输出到屏幕，请用 -o 指定 {f} 文件").format(f=options.format))


@app.command(
    "remind", help=_("为自提时间已过、还没取货的订单生成跟进提醒（重复运行不会重复生成）。")
)
def remind(ctx: typer.Context) -> None:
    """Create follow-up reminders for orders still not collected after the pickup time (running
    again creates no duplicates).
    """
    from tuan import clock
    from tuan.domain.pickup.checklist import create_uncollected_reminders

    with open_db(ctx).transaction() as session:
        created = create_uncollected_reminders(session, clock.now())
    info(ngettext("新建未取提醒 {n} 条", "新建未取提醒 {n} 条", created).format(n=created))


@app.command(
    "remind-pay",
    help=_("打印接龙里每一单未付款订单的催款消息（礼貌的一句话），可复制到微信发给邻居。"),
)
def remind_pay(
    ctx: typer.Context,
    chain_id: Annotated[int, typer.Argument(help=_("接龙编号（tuan pickup list 查看）"))],
    order: Annotated[
        str | None, typer.Option("--order", help=_("只要这一单（序号，如 5 或 二群 3）"))
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help=_("输出 JSON"))] = False,
) -> None:
    """Print a polite 催款 message for each unpaid order of the chain, ready to paste into
    WeChat.
    """
    from tuan.domain.payments.remind import RemindChainError, unpaid_reminders
    from tuan.domain.shared.money import format_money

    try:
        with open_db(ctx).session() as session:
            reminders = unpaid_reminders(session, chain_id)
    except RemindChainError:
        fail(_("找不到接龙 {id}，用 `tuan pickup list` 查看编号").format(id=chain_id))
    if order is not None:
        wanted = " ".join(order.split())
        reminders = [r for r in reminders if r.number == wanted]
        if not reminders:
            fail(_("接龙 {id} 里第 {number} 号没有未付的款").format(id=chain_id, number=wanted))
    if as_json:
        print_json([reminder.as_dict() for reminder in reminders])
    else:
        for reminder in reminders:
            typer.echo(reminder.message)
    owed = sum(r.owed_cents for r in reminders)
    info(
        ngettext("未付 {n} 单，共 {amount}", "未付 {n} 单，共 {amount}", len(reminders)).format(
            n=len(reminders), amount=format_money(owed)
        )
    )
