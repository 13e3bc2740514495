"""`tuan pay …`: import a WeChat Pay bill or an Alipay statement, list and take back payments."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from tuan.commands.common import fail, info, open_db, print_json
from tuan.i18n import _, ngettext

app = typer.Typer(
    help=_("付款：导入微信或支付宝账单，对上未付的订单；付款列表"), no_args_is_help=True
)


@app.command(
    "import",
    help=_(
        "导入微信支付账单或支付宝账单（CSV 或 XLSX）：收到的转账、群收款和红包按付款人、金额和时间"
        "对上未付的订单。同一份账单导入两次不会重复记。"
    ),
)
def import_(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(help=_("账单文件（.csv 或 .xlsx）"))],
    dry_run: Annotated[bool, typer.Option("--dry-run", help=_("只预览，不写入"))] = False,
    as_json: Annotated[bool, typer.Option("--json", help=_("输出 JSON"))] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help=_("不再询问，直接记入"))] = False,
) -> None:
    """Import a WeChat Pay bill or an Alipay statement (CSV or XLSX): incoming transfers, 群收款
    and red packets are matched to unpaid orders by payer, amount and time. Importing the same
    bill twice changes nothing.
    """
    from tuan.domain.payments.apply import apply_plan, import_report
    from tuan.domain.payments.bill import BillError, read_bill
    from tuan.domain.payments.match import build_draft, plan_payments

    try:
        bill = read_bill(file)
    except BillError as error:
        fail(str(error))
    database = open_db(ctx)
    with database.session() as session:
        draft = build_draft(session, bill)
    plan = plan_payments(draft)
    preview = import_report(draft, plan)
    if not as_json:
        _print_rows(preview)
    write = not dry_run and preview["summary"]["recorded"] > 0
    if write and not yes and sys.stdin.isatty():
        question = ngettext(
            "记入 {n} 笔付款（共 {amount}）吗？", "记入 {n} 笔付款（共 {amount}）吗？",
            preview["summary"]["recorded"],
        ).format(n=preview["summary"]["recorded"], amount=_money(preview))  # fmt: skip
        write = typer.confirm(question, default=True, err=True)
    with database.transaction() as session:
        result = apply_plan(session, draft, plan)
        if not write:
            session.rollback()
    if not write and not dry_run:
        from tuan.domain.payments.apply import ApplyResult

        result = ApplyResult(0, 0, ())
    report = import_report(draft, plan, result)
    if as_json:
        print_json(report)
    _tell(report, written=write, dry_run=dry_run)


def _money(report: dict[str, Any]) -> str:
    from tuan.domain.shared.money import format_money

    return format_money(report["summary"]["recorded_cents"])


def _print_rows(report: dict[str, Any]) -> None:
    """One line per row of the bill: line, time, payer, amount, what it pays or why not."""
    from tuan.domain.shared.money import format_money

    labels = {
        "matched": _("已对上"),
        "ambiguous": _("待选"),
        "unmatched": _("未对上"),
        "skipped": _("跳过"),
    }
    for row in report["rows"]:
        time = (row["time"] or "")[:16].replace("T", " ")
        paid = _("；").join(f"{_order(o)} {format_money(o['cents'])}" for o in row["orders"])
        words = [labels[row["status"]], _("第 {n} 行").format(n=row["line"]), time,
                 row["payer"], format_money(row["amount_cents"]), paid]  # fmt: skip
        line = "  ".join(w for w in words if w)
        if row["reasons"]:
            line += f"  [{_('；').join(row['reasons'])}]"
        typer.echo(line)
        for n, option in enumerate(row["options"], 1):
            orders = _("、").join(_order(o) for o in option["orders"])
            typer.echo(
                f"      {n}. " + _("{text}（{note}）").format(text=orders, note=option["why"])
            )


def _order(order: dict[str, Any]) -> str:
    """`第72期 健康粮油团 5号 王阿姨`."""
    return _("{chain} {number}号 {who}").format(
        chain=order["chain"], number=order["number"], who=order["member"]
    )


def _tell(report: dict[str, Any], *, written: bool, dry_run: bool) -> None:
    """The summary on stderr."""
    from tuan.domain.shared.money import format_money

    s = report["summary"]
    counts = _("已对上 {m}，待选 {a}，未对上 {u}，跳过 {k}").format(
        m=s["matched"], a=s["ambiguous"], u=s["unmatched"], k=s["skipped"]
    )
    if written:
        done = ngettext(
            "已记入 {n} 笔付款，共 {amount}，{paid} 单已付清",
            "已记入 {n} 笔付款，共 {amount}，{paid} 单已付清",
            s["recorded"],
        ).format(n=s["recorded"], amount=format_money(s["recorded_cents"]), paid=s["orders_paid"])
    elif dry_run:
        done = ngettext(
            "预览（没有写入）：将记入 {n} 笔付款，共 {amount}，{paid} 单将付清",
            "预览（没有写入）：将记入 {n} 笔付款，共 {amount}，{paid} 单将付清",
            s["recorded"],
        ).format(n=s["recorded"], amount=format_money(s["recorded_cents"]), paid=s["orders_paid"])
    else:
        done = _("没有记入付款")
    info(_("{text}（{note}）").format(text=done, note=counts))
    if s["ambiguous"]:
        info(
            ngettext(
                "{n} 笔对上了不止一单：在应用里（自提 → b 导入账单）选是哪一单",
                "{n} 笔对上了不止一单：在应用里（自提 → b 导入账单）选是哪一单",
                s["ambiguous"],
            ).format(n=s["ambiguous"])
        )


@app.command(
    "list", help=_("列出记下的付款：时间、方式、金额、付款人、交易单号和订单（最新的在前）。")
)
def list_(
    ctx: typer.Context,
    chain_id: Annotated[
        int | None, typer.Option("--chain", help=_("只看这个接龙的订单的付款"))
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help=_("输出 JSON"))] = False,
) -> None:
    """List the payments recorded: time, method, amount, payer, 交易单号 and order (newest
    first).
    """
    from tuan.domain.payments.listing import list_payments
    from tuan.domain.shared.money import format_money
    from tuan.domain.shared.timefmt import short_datetime
    from tuan.models import Chain

    with open_db(ctx).session() as session:
        if chain_id is not None and session.get(Chain, chain_id) is None:
            fail(_("找不到接龙 {id}，用 `tuan chain list` 查看编号").format(id=chain_id))
        lines = list_payments(session, chain_id)
    if as_json:
        print_json([line.as_dict() for line in lines])
        return
    for p in lines:
        typer.echo(
            f"{p.id:>5}  {short_datetime(p.paid_at):<16} {method_label(p.method, p.source)}  "
            f"{format_money(p.amount_cents):>9}  {p.payer or '-'}  "
            + _("{chain} {number}号 {who}").format(
                chain=p.chain_title, number=p.number, who=p.nickname
            )
            + f"  {p.trade_no}"
        )
    total = sum(p.amount_cents for p in lines)
    info(
        ngettext("共 {n} 笔，{amount}", "共 {n} 笔，{amount}", len(lines)).format(
            n=len(lines), amount=format_money(total)
        )
    )


def method_label(method: str, source: str) -> str:
    """`微信`, `支付宝`, `现金`, `其他`; `手动标记` for a payment marked by hand."""
    from tuan.domain.payments.listing import method_text

    return method_text(method, source)


@app.command("delete", help=_("删除一笔付款（整笔转账），它付的订单重新看是否付清。"))
def delete(
    ctx: typer.Context,
    payment_id: Annotated[int, typer.Argument(help=_("付款编号（见 tuan pay list）"))],
    yes: Annotated[bool, typer.Option("--yes", "-y", help=_("不再询问"))] = False,
) -> None:
    """Delete a payment (the whole transfer); the orders it paid are checked again."""
    from tuan.domain.payments.listing import PaymentNotFound, delete_payment

    if not yes and sys.stdin.isatty():
        question = _("删除付款 {id} 吗？").format(id=payment_id)
        if not typer.confirm(question, default=False, err=True):
            raise typer.Exit(1)
    try:
        with open_db(ctx).transaction() as session:
            orders = delete_payment(session, payment_id)
    except PaymentNotFound as error:
        fail(str(error))
    info(
        ngettext(
            "已删除付款 {id}（涉及 {n} 单）", "已删除付款 {id}（涉及 {n} 单）", len(orders)
        ).format(id=payment_id, n=len(orders))
    )
