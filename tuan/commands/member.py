"""`tuan member …`: members, tags, points, referral trees and KOC commission."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from tuan.commands.common import fail, info, open_db, print_json, require
from tuan.i18n import _, ngettext

if TYPE_CHECKING:
    from tuan.domain.members.listing import MemberRow
    from tuan.domain.members.page import MemberPage

member_app = typer.Typer(help=_("团员：列表、标签、积分、推荐与 KOC 佣金"), no_args_is_help=True)

JSON = Annotated[bool, typer.Option("--json", help=_("输出 JSON"))]
MEMBER_ID = Annotated[int, typer.Argument(help=_("团员编号"))]


@member_app.command("list", help=_("列出团员（手机号打码），按累计消费从高到低。"))
def list_(
    ctx: typer.Context,
    search: Annotated[
        str, typer.Option("--search", "-s", help=_("昵称、房号、拼音首字母或手机尾号"))
    ] = "",
    tag: Annotated[str, typer.Option("--tag", help=_("只看带这个标签的团员"))] = "",
    source: Annotated[
        str, typer.Option("--source", help=_("partner、referral、live 或 offline"))
    ] = "",
    koc: Annotated[bool, typer.Option("--koc", help=_("只看 KOC"))] = False,
    dormant: Annotated[int | None, typer.Option("--dormant", help=_("至少这么多天没下单"))] = None,
    limit: Annotated[int, typer.Option("--limit", help=_("最多显示多少人"))] = 200,
    as_json: JSON = False,
) -> None:
    """List members (phone numbers masked), highest lifetime spend first."""
    from sqlmodel import col, select

    from tuan.domain.members.listing import SOURCE_LABELS, MemberFilter, list_members
    from tuan.domain.shared.people import mask_phone
    from tuan.domain.shared.rooms import format_room
    from tuan.models import Tag

    if source and source not in SOURCE_LABELS:
        fail(_("来源只能是 partner、referral、live 或 offline"))
    if limit < 1:
        fail(_("--limit 是最多显示多少人，要大于 0：{n}").format(n=limit))
    if dormant is not None and not 1 <= dormant <= 3650:
        fail(_("--dormant 是没下单的天数，应在 1 到 3650 之间：{n}").format(n=dormant))
    with open_db(ctx).session() as session:
        tag_id = None
        if tag:
            found = session.exec(select(Tag).where(col(Tag.name) == tag)).first()
            if found is None:
                fail(_("没有这个标签：{tag}，请检查标签名（要和已有的完全一样）").format(tag=tag))
            tag_id = found.id
        chosen = MemberFilter(search, tag_id, source, koc, dormant)
        rows, total = list_members(session, limit=limit, filters=chosen)
    if as_json:
        print_json([_listed(m) for m in rows])
        return
    for m in rows:
        room = format_room(m.building, m.room) or "-"
        typer.echo(
            f"{m.id:>5}  {m.nickname}  {room}  {mask_phone(m.phone) or '-'}  "
            + ngettext("{n}单", "{n}单", m.orders).format(n=m.orders)
        )
    info(_("共 {total} 人").format(total=total))


def _listed(m: MemberRow) -> dict[str, object]:
    """One member of `member list --json`; the phone masked, as in every list."""
    from tuan.domain.shared.people import mask_phone
    from tuan.domain.shared.rooms import format_room

    return {
        "id": m.id,
        "nickname": m.nickname,
        "room": format_room(m.building, m.room),
        "phone": mask_phone(m.phone),
        "source": m.source,
        "source_detail": m.source_detail,
        "koc": m.is_koc,
        "tags": list(m.tags),
        "orders": m.orders,
        "ltv_cents": m.ltv_cents,
        "points": m.points,
        "last_order_at": m.last_order_at,
    }


def _page(ctx: typer.Context, member_id: int) -> MemberPage:
    from tuan.domain.members.page import MemberNotFound, member_page

    with open_db(ctx).session() as session:
        try:
            return member_page(session, member_id)
        except MemberNotFound:
            fail(_("找不到团员 {id}，用 `tuan member list` 查看").format(id=member_id))


@member_app.command("show", help=_("一位团员的资料（含完整手机号）、标签、消费、积分和提醒。"))
def show(ctx: typer.Context, member_id: MEMBER_ID, as_json: JSON = False) -> None:
    """One member's profile (with the full phone number), tags, spend, points and reminders."""
    from tuan.domain.members.text import member_summary
    from tuan.domain.shared.states import ReminderStatus

    page = _page(ctx, member_id)
    if as_json:
        m, points = page.member, page.points
        print_json(
            {
                "id": m.id,
                "nickname": m.nickname,
                "name": m.name,
                "building": m.building,
                "room": m.room,
                "phone": m.phone,
                "source": m.source,
                "partner": page.partner,
                "referrer": page.referrer,
                "koc": m.is_koc,
                "commission_bp": m.commission_bp,
                "tags": [t.name for t in page.tags],
                "orders": len(page.active_orders),
                "ltv_cents": page.ltv_cents,
                "last_order_at": page.last_order_at,
                "points": points.balance if points else 0,
                "level": points.level.name if points else "",
                "open_reminders": [r.id for r in page.reminders if r.status == ReminderStatus.OPEN],
            }
        )
        return
    for line in member_summary(page):
        typer.echo(line)


@member_app.command("tree", help=_("一位团员的推荐树：他带来了谁，那些人又带来了谁。"))
def tree(ctx: typer.Context, member_id: MEMBER_ID) -> None:
    """A member's referral tree: whom they brought, and whom those brought."""
    page = _page(ctx, member_id)
    assert page.tree is not None
    for depth, node in page.tree.lines():
        typer.echo("  " * depth + _("{name}（{note}）").format(name=node.nickname, note=node.id))
    info(ngettext("共带来 {n} 人", "共带来 {n} 人", page.tree.size).format(n=page.tree.size))


@member_app.command("koc", help=_("每位 KOC 带来的团员、当月归属订单的成交额和应付佣金。"))
def koc(
    ctx: typer.Context,
    month: Annotated[str, typer.Option("--month", help=_("月份，例如 2026-11（默认本月）"))] = "",
    as_json: JSON = False,
) -> None:
    """Each KOC's referred members, the month's attributed GMV and the commission owed."""
    from tuan.domain.members.referrals import koc_report
    from tuan.domain.shared.money import format_money

    if month:
        from tuan.commands.stats import checked_month

        checked_month(month)
    with open_db(ctx).session() as session:
        rows = koc_report(session, month or None)
    if as_json:
        print_json([row.__dict__ for row in rows])
        return
    for r in rows:
        rate = f"{r.commission_bp / 100:g}%"
        typer.echo(
            f"{r.id:>5}  {r.nickname}  {rate}  "
            + ngettext(
                "带来 {b} 人  {n} 单  成交 {gmv}  佣金 {c}",
                "带来 {b} 人  {n} 单  成交 {gmv}  佣金 {c}",
                r.orders,
            ).format(
                b=r.brought,
                n=r.orders,
                gmv=format_money(r.gmv_cents),
                c=format_money(r.commission_cents),
            )
        )


@member_app.command("tag", help=_("给团员加上（或用 --remove 去掉）一个标签。"))
def tag(
    ctx: typer.Context,
    member_id: MEMBER_ID,
    name: Annotated[str, typer.Argument(help=_("标签名"))],
    remove: Annotated[bool, typer.Option("--remove", help=_("去掉这个标签"))] = False,
) -> None:
    """Add a tag to a member (or take it off with --remove)."""
    from sqlmodel import col, select

    from tuan.domain.members.tags import TagError, add_tag, remove_tag
    from tuan.models import Member, Tag

    with open_db(ctx).transaction() as session:
        require(session, Member, member_id, _("团员"), "member")
        try:
            if remove:
                found = session.exec(select(Tag).where(col(Tag.name) == name)).first()
                if found is None:
                    fail(_("没有这个标签：{tag}，请检查标签名").format(tag=name))
                remove_tag(session, member_id, found.id or 0)
            else:
                add_tag(session, member_id, name)
        except TagError as error:
            fail(str(error))
    done = _("已去掉标签「{tag}」") if remove else _("已加上标签「{tag}」")
    info(done.format(tag=name))


@member_app.command(
    "points", help=_("查看积分流水；或记一笔奖励、兑换、更正（流水只追加，不修改）。")
)
def points(
    ctx: typer.Context,
    member_id: MEMBER_ID,
    award: Annotated[int, typer.Option("--award", help=_("奖励积分（配合 --reason）"))] = 0,
    redeem: Annotated[
        int, typer.Option("--redeem", help=_("兑换扣除的积分（配合 --reason 写商品）"))
    ] = 0,
    correct: Annotated[
        int, typer.Option("--correct", help=_("更正：加减积分（配合 --reason）"))
    ] = 0,
    reason: Annotated[str, typer.Option("--reason", help=_("原因或兑换的商品"))] = "",
) -> None:
    """Show the points ledger, or record an award, redemption or correction (the ledger is append-
    only).
    """
    from tuan.domain.members import points as pts

    if sum(1 for v in (award, redeem, correct) if v) > 1:
        fail(_("一次只能记一笔：--award、--redeem 或 --correct"))
    with open_db(ctx).transaction() as session:
        from tuan.models import Member

        require(session, Member, member_id, _("团员"), "member")
        try:
            if award:
                pts.record_action(session, member_id, reason, award)
            elif redeem:
                pts.redeem(session, member_id, redeem, reason)
            elif correct:
                pts.correct(session, member_id, correct, reason)
            rows = pts.ledger(session, member_id)
            summary = pts.summary(session, member_id)
        except pts.PointsError as error:
            fail(str(error))
    for row in rows[-20:]:
        typer.echo(f"{row.created_at:%Y-%m-%d}  {row.delta:>+6}  {row.balance:>6}  {row.reason}")
    balance = ngettext(
        "余额 {b} 积分，等级 {level}", "余额 {b} 积分，等级 {level}", summary.balance
    )
    info(balance.format(b=summary.balance, level=summary.level.name))


@member_app.command("points-config", help=_("查看或修改积分规则：每元积分和等级门槛。"))
def points_config(
    ctx: typer.Context,
    rate: Annotated[int | None, typer.Option("--rate", help=_("每消费 1 元得几积分"))] = None,
    levels: Annotated[
        str, typer.Option("--levels", help=_("等级，例如 普通:0,银卡:500,金卡:2000"))
    ] = "",
) -> None:
    """Show or change the points rules: points per yuan and level thresholds."""
    from tuan.domain.members import points as pts

    with open_db(ctx).transaction() as session:
        try:
            if rate is not None:
                pts.set_points_rate(session, rate)
            if levels:
                pts.set_levels(session, pts.parse_levels(levels))
        except pts.PointsError as error:
            fail(str(error))
        typer.echo(_("每元积分：{rate}").format(rate=pts.points_rate(session)))
        typer.echo(_("等级：{levels}").format(levels=pts.format_levels(pts.levels(session))))
