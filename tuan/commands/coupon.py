"""`tuan coupon …`: give a member a coupon (券), use one on an order, list them."""

from __future__ import annotations

from typing import Annotated

import typer

from tuan.commands.common import fail, info, open_db, print_json
from tuan.i18n import _, ngettext

app = typer.Typer(help=_("券：发券、用券抵扣订单、查看团员的券"), no_args_is_help=True)

JSON = Annotated[bool, typer.Option("--json", help=_("输出 JSON"))]


def _line(row: object) -> str:
    from tuan.domain.members.coupons import CouponRow, origin_label, status_label
    from tuan.domain.shared.money import format_money

    assert isinstance(row, CouponRow)
    used = _("订单 {id}").format(id=row.order_id) if row.order_id else ""
    words = [
        f"{row.id:>5}",
        f"{row.member:<8}",
        f"{format_money(row.amount_cents):>7}",
        row.threshold,
        _("{start} 至 {end}").format(
            start=row.issued_on.isoformat(), end=row.expires_on.isoformat()
        ),
        status_label(row.status),
        origin_label(row.origin),
        row.reason,
        used,
    ]
    return "  ".join(w for w in words if w)


@app.command("issue", help=_("给团员发一张券：金额、门槛（满多少可用）、有效期和原因。"))
def issue(
    ctx: typer.Context,
    member_id: Annotated[int, typer.Argument(help=_("团员编号（见 tuan member list）"))],
    amount: Annotated[str, typer.Option("--amount", help=_("券的金额，例如 20 或 19.9"))],
    min_spend: Annotated[
        str, typer.Option("--min", help=_("门槛：满多少可用（不填或 0 为无门槛）"))
    ] = "",
    days: Annotated[
        int | None, typer.Option("--days", help=_("从今天起有效多少天（默认 30）"))
    ] = None,
    expires: Annotated[
        str | None, typer.Option("--expires", help=_("最后可用的日期，例如 2027-01-31"))
    ] = None,
    reason: Annotated[str, typer.Option("--reason", help=_("发券原因"))] = "",
    as_json: JSON = False,
) -> None:
    """Give a member a coupon: amount, minimum spend, how long it lasts and why."""
    from tuan import clock
    from tuan.domain.members.coupons import (
        DEFAULT_DAYS,
        CouponError,
        issue_coupon,
        list_coupons,
        read_amount,
        read_expiry,
        read_min_spend,
    )

    if days is not None and expires is not None:
        fail(_("--days 和 --expires 只能用一个"))
    today = clock.today()
    try:
        cents = read_amount(amount)
        min_cents = read_min_spend(min_spend)
        last = read_expiry(
            expires if expires is not None else str(DEFAULT_DAYS if days is None else days), today
        )
        with open_db(ctx).transaction() as session:
            coupon = issue_coupon(
                session, member_id, cents, min_spend_cents=min_cents, expires_on=last,
                reason=reason, issued_on=today,
            )  # fmt: skip
            row = next(r for r in list_coupons(session, member_id=member_id) if r.id == coupon.id)
    except CouponError as error:
        fail(str(error))
    if as_json:
        print_json(row.as_dict())
        return
    typer.echo(_line(row))
    info(_("已给{name}发券 #{id}：{words}").format(name=row.member, id=row.id, words=row.words))


@app.command("redeem", help=_("把一张券用在一个订单上：这单应付的金额减去券的金额（不低于 0）。"))
def redeem(
    ctx: typer.Context,
    coupon_id: Annotated[int, typer.Argument(help=_("券的编号（见 tuan coupon list）"))],
    order_id: Annotated[int, typer.Option("--order", help=_("订单编号"))],
    as_json: JSON = False,
) -> None:
    """Use a coupon on an order: the order owes its lines less the coupon (never below 0)."""
    from tuan.domain.members.coupons import CouponError, order_coupon, redeem_coupon
    from tuan.domain.shared.money import format_money
    from tuan.domain.shared.payments import order_amounts

    try:
        with open_db(ctx).transaction() as session:
            redeem_coupon(session, coupon_id, order_id)
            row = order_coupon(session, order_id)
            due = order_amounts(session, [order_id])[order_id]
    except CouponError as error:
        fail(str(error))
    assert row is not None
    if as_json:
        print_json({**row.as_dict(), "order": {"id": order_id, "due_cents": due}})
        return
    typer.echo(_line(row))
    info(
        _("已用券 #{id}（{words}）抵扣订单 {order}，这单应付 {due}").format(
            id=row.id, words=row.words, order=order_id, due=format_money(due)
        )
    )


@app.command("list", help=_("列出券（最新发的在前）：金额、门槛、有效期、状态、来源和原因。"))
def list_(
    ctx: typer.Context,
    member_id: Annotated[int | None, typer.Option("--member", help=_("只看这位团员的券"))] = None,
    status: Annotated[
        str | None,
        typer.Option(
            "--status", help=_("只看这种状态：usable（可用）、redeemed（已用）、expired（已过期）")
        ),
    ] = None,
    as_json: JSON = False,
) -> None:
    """List coupons (newest first): amount, minimum spend, dates, state, origin and reason."""
    from tuan.domain.members.coupons import list_coupons
    from tuan.domain.shared.money import format_money
    from tuan.domain.shared.states import CouponStatus
    from tuan.models import Member

    if status is not None and status not in {s.value for s in CouponStatus}:
        fail(_("不认识的状态：{status}，可用 usable、redeemed、expired").format(status=status))
    with open_db(ctx).session() as session:
        if member_id is not None and session.get(Member, member_id) is None:
            fail(_("找不到团员 {id}，用 `tuan member list` 查看编号").format(id=member_id))
        rows = list_coupons(session, member_id=member_id, status=status)
    if as_json:
        print_json([row.as_dict() for row in rows])
        return
    for row in rows:
        typer.echo(_line(row))
    total = sum(row.amount_cents for row in rows)
    info(
        ngettext("共 {n} 张，面额 {amount}", "共 {n} 张，面额 {amount}", len(rows)).format(
            n=len(rows), amount=format_money(total)
        )
    )
