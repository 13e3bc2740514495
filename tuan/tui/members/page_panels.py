"""The member page's panels and tables, rendered from the domain's `MemberPage`."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from tuan.domain.members.page import MemberPage
from tuan.domain.members.text import level_text, source_text
from tuan.domain.shared.money import format_money
from tuan.domain.shared.rooms import format_room
from tuan.domain.shared.states import OrderStatus
from tuan.domain.shared.timefmt import short_datetime
from tuan.i18n import N_, _, ngettext

PICKUP = {"all": N_("已取"), "partial": N_("部分"), "none": N_("未取")}
LEDGER_KINDS = {
    "order": N_("消费"),
    "action": N_("奖励"),
    "redeem": N_("兑换"),
    "correct": N_("更正"),
}


def _line(out: Text, label: str, value: str, style: str = "") -> None:
    out.append(f"{label}  ", style="dim")
    out.append(value + "\n", style=style)


def profile(page: MemberPage) -> Text:
    """Who the member is and what they are worth: full phone, source, spend, points, level."""
    m = page.member
    out = Text(m.nickname, style="bold")
    if m.name:
        out.append(_("（{note}）").format(note=m.name))
    if m.is_koc:
        out.append("  KOC " + f"{m.commission_bp / 100:g}%", style="bold magenta")
    out.append("\n")
    _line(out, _("房号"), format_room(m.building, m.room) or "-")
    _line(out, _("手机"), m.phone or "-")
    _line(out, _("来源"), source_text(page))
    _line(out, _("入群"), m.joined_on.isoformat())
    _line(out, _("累计消费"), format_money(page.ltv_cents), "bold")
    _line(out, _("订单"), str(len(page.active_orders)))
    _line(out, _("最近下单"), short_datetime(page.last_order_at) or _("从未下单"))
    balance = page.points.balance if page.points else 0
    _line(out, _("积分"), f"{balance:,}", "bold")
    _line(out, _("等级"), level_text(page))
    if m.notes:
        _line(out, _("备注"), m.notes)
    return out


def tags(page: MemberPage) -> Text:
    """The member's tags; automatic ones marked."""
    out = Text(_("标签") + "  ", style="dim")
    if not page.tags:
        out.append(_("还没有标签，按 t 添加"), style="dim")
    for tag in page.tags:
        out.append(f" {tag.name} ", style="reverse" if not tag.auto else "reverse dim")
        out.append(" ")
    return out


def fill_orders(table: DataTable, page: MemberPage) -> None:
    """Order history, newest first; cancelled orders struck through."""
    table.clear()
    for order in page.orders:
        style = "strike dim" if order.status == OrderStatus.CANCELLED else ""
        table.add_row(
            Text(short_datetime(order.created_at), style=style),
            Text(order.chain_title, style=style),
            Text(order.items, style=style),
            Text(format_money(order.cents), style=style),
            _("已付") if order.paid else Text(_("未付"), style="yellow"),
            _(PICKUP[order.pickup]) if order.status == OrderStatus.ACTIVE else _("已取消"),
        )


def fill_ledger(table: DataTable, page: MemberPage) -> None:
    """The points ledger, newest first, with the balance after each entry."""
    table.clear()
    for row in page.ledger:
        delta = Text(f"{row.delta:+,}", style="green" if row.delta > 0 else "red")
        table.add_row(
            short_datetime(row.created_at),
            delta,
            f"{row.balance:,}",
            _(LEDGER_KINDS.get(row.kind, row.kind)),
            row.reason,
        )


def referrals(page: MemberPage) -> Text:
    """Who brought the member, whom they brought, and a KOC's commission per month."""
    out = Text()
    if page.upline:
        chain = " < ".join(name for _id, name in page.upline)
        out.append(
            _("推荐链：{me} < {chain}").format(me=page.member.nickname, chain=chain) + "\n\n"
        )
    tree = page.tree
    if tree is None or not tree.children:
        out.append(_("还没有推荐新团员"), style="dim")
    else:
        out.append(
            _("推荐了 {n} 人（含间接 {all} 人）").format(n=len(tree.children), all=tree.size)
            + "\n",
            style="bold",
        )
        for depth, node in tree.lines()[1:]:
            out.append("  " * depth + f"{node.nickname}  ")
            out.append(_("{day} 入群").format(day=node.joined_on.isoformat()) + "\n", style="dim")
    if page.commission:
        out.append("\n" + _("KOC 佣金（按被推荐人订单成交额）") + "\n", style="bold")
        for period in page.commission:
            out.append(
                ngettext(
                    "{month}  {n} 单  成交 {gmv}  佣金 {c}",
                    "{month}  {n} 单  成交 {gmv}  佣金 {c}",
                    period.orders,
                ).format(
                    month=period.month,
                    n=period.orders,
                    gmv=format_money(period.gmv_cents),
                    c=format_money(period.commission_cents),
                )
                + "\n"
            )
    return out


def fill_coupons(table: DataTable, page: MemberPage) -> None:
    """The member's coupons: usable first (the one that expires first first), then used and
    expired ones, newest first."""
    from tuan.domain.members.coupons import origin_label, status_label
    from tuan.domain.shared.states import CouponStatus

    styles = {
        CouponStatus.USABLE: "bold green",
        CouponStatus.REDEEMED: "dim",
        CouponStatus.EXPIRED: "dim strike",
    }
    usable = sorted(
        (c for c in page.coupons if c.status == CouponStatus.USABLE),
        key=lambda c: (c.expires_on, c.id),
    )
    rest = [c for c in page.coupons if c.status != CouponStatus.USABLE]
    table.clear()
    for coupon in [*usable, *rest]:
        style = styles.get(coupon.status, "")
        used = (
            _("订单 {id} {chain}").format(id=coupon.order_id, chain=coupon.chain)
            if coupon.order_id
            else ""
        )
        table.add_row(
            Text(f"#{coupon.id}", style=style),
            Text(format_money(coupon.amount_cents), style=style),
            coupon.threshold,
            coupon.expires_on.isoformat(),
            Text(status_label(coupon.status), style=style),
            origin_label(coupon.origin),
            " ".join(part for part in (coupon.reason, used) if part),
        )
