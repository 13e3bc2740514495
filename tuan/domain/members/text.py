"""A member's page as plain lines: the profile the CLI prints and the app shows."""

from __future__ import annotations

from tuan.domain.members.listing import source_label
from tuan.domain.members.page import MemberPage
from tuan.domain.shared.money import format_money
from tuan.domain.shared.rooms import format_room
from tuan.domain.shared.states import MemberSource
from tuan.domain.shared.timefmt import short_datetime
from tuan.i18n import _


def source_text(page: MemberPage) -> str:
    """`合作点位 · 悦动健身（阳光店）`, `老带新 · 小李`, `直播`."""
    member = page.member
    detail = page.partner if member.source == MemberSource.PARTNER else ""
    if page.referrer:
        detail = (detail + "  " if detail else "") + _("推荐人 {name}").format(name=page.referrer)
    label = source_label(member.source)
    return f"{label} · {detail}" if detail else label


def level_text(page: MemberPage) -> str:
    """`金卡会员（成长值 2,310，距钻石会员还差 2,690）`."""
    points = page.points
    if points is None:
        return ""
    if points.next_level is None:
        return _("{level}（成长值 {g:,}）").format(level=points.level.name, g=points.growth)
    return _("{level}（成长值 {g:,}，距{next}还差 {n:,}）").format(
        level=points.level.name, g=points.growth, next=points.next_level.name, n=points.to_next
    )


def member_summary(page: MemberPage) -> list[str]:
    """The profile in a few lines (full phone number: this is the member's own page)."""
    m = page.member
    head = _("{text}（{note}）").format(text=m.nickname, note=m.name) if m.name else m.nickname
    if m.is_koc:
        head += "  KOC " + _("佣金 {rate}").format(rate=f"{m.commission_bp / 100:g}%")
    lines = [
        head,
        _("房号 {room}    手机 {phone}").format(
            room=format_room(m.building, m.room) or "-", phone=m.phone or "-"
        ),
        _("来源 {source}    入群 {joined}").format(source=source_text(page), joined=m.joined_on),
        _("累计消费 {ltv}    订单 {n}    最近下单 {last}").format(
            ltv=format_money(page.ltv_cents),
            n=len(page.active_orders),
            last=short_datetime(page.last_order_at) or "-",
        ),
        _("积分 {balance:,}    等级 {level}").format(
            balance=page.points.balance if page.points else 0, level=level_text(page)
        ),
        _("标签 {tags}").format(
            tags="  ".join(t.name + (_("(自动)") if t.auto else "") for t in page.tags) or "-"
        ),
    ]
    if page.tree is not None and page.tree.children:
        lines.append(
            _("推荐了 {n} 人（含间接 {all} 人）").format(
                n=len(page.tree.children), all=page.tree.size
            )
        )
    if m.notes:
        lines.append(_("备注 {notes}").format(notes=m.notes))
    return lines
