"""`tuan refund …`: refund (售后) pieces and/or money of an order line; list and delete refunds."""

from __future__ import annotations

import sys
from datetime import date
from typing import Annotated

import typer

from tuan.commands.common import fail, info, open_db, print_json
from tuan.i18n import _, ngettext

app = typer.Typer(help=_("退款/售后：退一单中某样商品的件数或金额；退款列表"), no_args_is_help=True)


@app.command(
    "add",
    help=_(
        "给一单退款：退几件（不发了）和/或退多少钱；只填件数时按下单单价算金额。"
        "原因：坏果、少发、质量、其他。"
    ),
)
def add(
    ctx: typer.Context,
    order: Annotated[
        str,
        typer.Argument(help=_("订单编号；加 --chain 时是接龙里的序号（3 或 二群 3）")),
    ],
    chain_id: Annotated[
        int | None, typer.Option("--chain", help=_("接龙编号：ORDER 按这个接龙里的序号找"))
    ] = None,
    line: Annotated[
        str | None,
        typer.Option(
            "--line", help=_("退哪样商品：商品名、商品编号或第几行（一单只有一样时可不填）")
        ),
    ] = None,
    qty: Annotated[int | None, typer.Option("--qty", help=_("退几件"))] = None,
    amount: Annotated[
        str | None, typer.Option("--amount", help=_("退多少钱（元，最多两位小数），例如 12.50"))
    ] = None,
    reason: Annotated[str, typer.Option("--reason", help=_("原因：坏果、少发、质量、其他"))] = "",
    note: Annotated[str, typer.Option("--note", help=_("备注"))] = "",
    on: Annotated[
        str | None, typer.Option("--date", help=_("退款日期 YYYY-MM-DD（默认今天）"))
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help=_("输出 JSON"))] = False,
) -> None:
    """Refund pieces and/or money of one line of an order (quantity only: at the unit price
    captured when it was ordered). Reasons: 坏果, 少发, 质量, 其他.
    """
    from tuan.domain.shared.money import format_money
    from tuan.domain.shared.refunds import (
        RefundError,
        add_refund,
        find_line,
        find_order,
        list_refunds,
        parse_refund_amount,
        refundable_lines,
    )

    if not reason:
        fail(_("请用 --reason 说明退款原因：坏果、少发、质量、其他"))
    if chain_id is None and not order.isdigit():
        fail(_("订单编号应是数字：{text}（按接龙里的序号找请加 --chain）").format(text=order))
    refunded_on = None
    if on is not None:
        try:
            refunded_on = date.fromisoformat(on)
        except ValueError:
            fail(_("看不懂的日期：{text}，请写成 2026-12-06").format(text=on))
    try:
        with open_db(ctx).transaction() as session:
            order_id = int(order) if chain_id is None else find_order(session, chain_id, order)
            line_id = find_line(refundable_lines(session, order_id), line) if line else None
            refund = add_refund(
                session, order_id, line_id=line_id, qty=qty,
                amount_cents=parse_refund_amount(amount) if amount is not None else None,
                reason=reason, refunded_on=refunded_on, note=note,
            )  # fmt: skip
            session.flush()
            row = next(r for r in list_refunds(session, order_id=order_id) if r.id == refund.id)
    except RefundError as error:
        fail(str(error))
    if as_json:
        print_json(row.as_dict())
    info(
        _("已退款 {id}：{who} {item} 退 {n} 件 {amount}（{reason}）").format(
            id=row.id,
            who=row.nickname,
            item=row.item,
            n=row.qty,
            amount=format_money(row.amount_cents),
            reason=row.reason_text,
        )
    )


@app.command("list", help=_("列出退款：日期、团员、商品、件数、金额和原因（最新的在前）。"))
def list_(
    ctx: typer.Context,
    chain_id: Annotated[int | None, typer.Option("--chain", help=_("只看这个接龙的退款"))] = None,
    as_json: Annotated[bool, typer.Option("--json", help=_("输出 JSON"))] = False,
) -> None:
    """List the refunds: date, member, product, pieces, amount and reason (newest first)."""
    from tuan.domain.shared.money import format_money
    from tuan.domain.shared.refunds import list_refunds
    from tuan.models import Chain

    with open_db(ctx).session() as session:
        if chain_id is not None and session.get(Chain, chain_id) is None:
            fail(_("找不到接龙 {id}，用 `tuan chain list` 查看编号").format(id=chain_id))
        rows = list_refunds(session, chain_id=chain_id)
    if as_json:
        print_json([row.as_dict() for row in rows])
        return
    for r in rows:
        who = _("{chain} {number}号 {who}").format(
            chain=r.chain_title, number=r.number, who=r.nickname
        )
        typer.echo(
            f"{r.id:>5}  {r.refunded_on.isoformat()}  {who}  {r.item} ×{r.qty}  "
            f"{format_money(r.amount_cents):>9}  {r.reason_text}  {r.note}".rstrip()
        )
    info(
        ngettext("共 {n} 笔退款，{amount}", "共 {n} 笔退款，{amount}", len(rows)).format(
            n=len(rows), amount=format_money(sum(r.amount_cents for r in rows))
        )
    )


@app.command("delete", help=_("删除一笔退款：退掉的件数重新要发，退掉的钱重新算进订单。"))
def delete(
    ctx: typer.Context,
    refund_id: Annotated[int, typer.Argument(help=_("退款编号（见 tuan refund list）"))],
    yes: Annotated[bool, typer.Option("--yes", "-y", help=_("不再询问"))] = False,
) -> None:
    """Delete a refund: its pieces are to hand out again, its money counts in the order again."""
    from tuan.domain.shared.refunds import RefundError, delete_refund

    if not yes and sys.stdin.isatty():
        question = _("删除退款 {id} 吗？").format(id=refund_id)
        if not typer.confirm(question, default=False, err=True):
            raise typer.Exit(1)
    try:
        with open_db(ctx).transaction() as session:
            delete_refund(session, refund_id)
    except RefundError as error:
        fail(str(error))
    info(_("已删除退款 {id}").format(id=refund_id))
