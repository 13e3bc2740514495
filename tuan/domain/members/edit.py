"""Adding and editing a member, with every field checked and explained.

Errors stop the save; warnings (a nickname someone else already uses, a referral without a
referrer) let it through once the leader confirms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from sqlmodel import Session, col, select

from tuan import clock
from tuan.domain.members.listing import SOURCE_LABELS
from tuan.domain.members.referrals import would_cycle
from tuan.domain.shared.errors import DomainError
from tuan.domain.shared.people import MemberError, find_members, pinyin_initials
from tuan.domain.shared.rooms import format_room, parse_room
from tuan.domain.shared.states import MemberSource
from tuan.domain.shared.text import to_halfwidth
from tuan.i18n import N_, _
from tuan.models import Member, Partner

# A mobile is 1 + 10 digits; a landline is 0 + area code + number, or a 7-8 digit local number.
# (Stricter than the quick add in people.create_member: a 7-digit "138…" is a mobile cut short.)
_PHONE_RE = re.compile(r"1\d{10}|0\d{9,11}|[2-9]\d{6,7}")


@dataclass(frozen=True)
class MemberForm:
    """What the leader typed about a member."""

    nickname: str
    name: str = ""
    room: str = ""  # 3-1202, 3号楼1202, 1202
    phone: str = ""
    source: str = MemberSource.OFFLINE
    partner: str = ""  # partner name or source code
    referrer: str = ""  # nickname, room or pinyin initials
    is_koc: bool = False
    commission: str = ""  # 10% / 10 / 12.5
    notes: str = ""


@dataclass
class FormCheck:
    """Problems found in a form, per field."""

    errors: dict[str, str] = field(default_factory=dict)
    warnings: dict[str, str] = field(default_factory=dict)
    values: dict[str, object] = field(default_factory=dict)


class MemberFormError(DomainError, ValueError):
    """The form has errors (or unconfirmed warnings); `check` says which, `field` the first."""

    code = "member.form"

    def __init__(self, check: FormCheck) -> None:
        problems = check.errors or check.warnings
        code = "member.form" if check.errors else "member.unconfirmed"
        super().__init__(next(iter(problems.values()), ""), next(iter(problems), None), code=code)
        self.check = check


def form_for(session: Session, member: Member) -> MemberForm:
    """A form filled with a member's current details."""
    partner = session.get(Partner, member.partner_id) if member.partner_id else None
    referrer = session.get(Member, member.referrer_id) if member.referrer_id else None
    return MemberForm(
        nickname=member.nickname,
        name=member.name,
        room=format_room(member.building, member.room),
        phone=member.phone,
        source=member.source,
        partner=partner.code if partner else "",
        referrer=referrer.nickname if referrer else "",
        is_koc=member.is_koc,
        commission=_percent(member.commission_bp) if member.is_koc else "",
        notes=member.notes,
    )


def _percent(bp: int) -> str:
    whole, rest = divmod(bp, 100)
    return f"{whole}%" if not rest else f"{whole}.{rest:02d}".rstrip("0") + "%"


def parse_commission(text: str) -> int:
    """`10%`, `10`, `12.5%` as basis points (1000 = 10%).

    Raises:
        MemberError: not a percentage between 0 and 100 with at most two decimals.
    """
    raw = to_halfwidth(text).strip().removesuffix("%").strip()
    try:
        value = Decimal(raw or "0") * 100
    except InvalidOperation:
        message = N_("佣金比例看不懂：{text}，例如 10%")
        raise MemberError(message, "commission", code="commission.malformed", text=text) from None
    if value != value.to_integral_value() or not 0 <= value <= 10000:
        message = N_("佣金比例应在 0% 到 100% 之间，最多两位小数")
        raise MemberError(message, "commission", code="commission.range")
    return int(value)


def _check_identity(
    session: Session, form: MemberForm, member_id: int | None, c: FormCheck
) -> None:
    nickname = form.nickname.strip()
    if not nickname:
        c.errors["nickname"] = _("昵称不能为空")
    elif len(nickname) > 40:
        c.errors["nickname"] = _("昵称太长（最多 40 个字）")
    else:
        same = session.exec(
            select(Member).where(col(Member.nickname) == nickname, col(Member.id) != member_id)
        ).first()
        if same is not None:
            where = format_room(same.building, same.room) or _("无房号")
            c.warnings["nickname"] = _(
                "已有同名团员「{name}」（{room}），重名容易认错人；确认无误请再保存一次"
            ).format(name=nickname, room=where)
    if len(form.name.strip()) > 30:
        c.errors["name"] = _("姓名太长（最多 30 个字）")
    if len(form.notes.strip()) > 500:
        c.errors["notes"] = _("备注太长（最多 500 个字）")
    c.values.update(nickname=nickname, name=form.name.strip(), notes=form.notes.strip())
    room_text = to_halfwidth(form.room).strip()
    room = parse_room(room_text) if room_text else None
    if room_text and room is None:
        c.errors["room"] = _("房号格式不对：{text}（例如 3-1202、3号楼1202 或 1202）").format(
            text=form.room
        )
    c.values.update(building=room.building if room else "", room=room.room if room else "")
    phone = re.sub(r"[\s-]", "", to_halfwidth(form.phone))
    if phone and not _PHONE_RE.fullmatch(phone):
        c.errors["phone"] = _("手机号格式不对：{phone}（应为 11 位手机号）").format(
            phone=form.phone
        )
    c.values["phone"] = phone


def _find_partner(session: Session, text: str) -> Partner | list[Partner]:
    text = text.strip()
    partners = session.exec(select(Partner).order_by(col(Partner.id))).all()
    exact = [p for p in partners if p.code.lower() == text.lower() or p.name == text]
    return exact[0] if exact else [p for p in partners if text in p.name]


def _check_source(session: Session, form: MemberForm, member_id: int | None, c: FormCheck) -> None:
    if form.source not in SOURCE_LABELS:
        c.errors["source"] = _("来源只能是：合作点位、老带新、直播、线下")
    c.values.update(source=form.source, partner_id=None, referrer_id=None)
    if form.source == MemberSource.PARTNER and form.partner.strip():
        found = _find_partner(session, form.partner)
        if isinstance(found, list) and len(found) != 1:
            c.errors["partner"] = _("找不到唯一的合作点位：{text}，请输入来源码，例如 YD01").format(
                text=form.partner
            )
        else:
            c.values["partner_id"] = (found[0] if isinstance(found, list) else found).id
    if form.referrer.strip():
        _check_referrer(session, form.referrer.strip(), member_id, c)
    elif form.source == MemberSource.REFERRAL:
        c.warnings["referrer"] = _("来源是老带新，但没有填推荐人；确认无误请再保存一次")


def _check_referrer(session: Session, text: str, member_id: int | None, c: FormCheck) -> None:
    found = [m for m in find_members(session, text, limit=6) if m.id != member_id]
    exact = [m for m in found if m.nickname == text]
    chosen = exact if len(exact) == 1 else found
    if not chosen:
        message = _("找不到推荐人：{text}，请写推荐人的昵称、房号或拼音首字母")
        c.errors["referrer"] = message.format(text=text)
    elif len(chosen) > 1:
        names = _("、").join(
            _("{text}（{note}）").format(
                text=m.nickname, note=format_room(m.building, m.room) or "-"
            )
            for m in chosen[:4]
        )
        c.errors["referrer"] = _(
            "「{text}」对应多位团员：{names}，请输入更完整的昵称或房号"
        ).format(text=text, names=names)
    elif member_id is not None and would_cycle(session, member_id, chosen[0].id or 0):
        c.errors["referrer"] = _("{name} 是这位团员推荐来的，不能互为推荐人").format(
            name=chosen[0].nickname
        )
    else:
        c.values["referrer_id"] = chosen[0].id


def check_member(session: Session, form: MemberForm, member_id: int | None = None) -> FormCheck:
    """Check every field; `values` holds what would be saved."""
    check = FormCheck()
    _check_identity(session, form, member_id, check)
    _check_source(session, form, member_id, check)
    check.values["is_koc"] = form.is_koc
    try:
        check.values["commission_bp"] = parse_commission(form.commission) if form.is_koc else 0
    except ValueError as error:
        check.errors["commission"] = str(error)
    return check


def save_member(
    session: Session, form: MemberForm, member_id: int | None = None, *, confirmed: bool = False
) -> Member:
    """Add (member_id None) or update a member.

    Raises:
        MemberFormError: errors, or warnings not yet `confirmed`.
    """
    check = check_member(session, form, member_id)
    if check.errors or (check.warnings and not confirmed):
        raise MemberFormError(check)
    if member_id is None:
        member = Member(nickname=str(check.values["nickname"]), joined_on=clock.today())
    else:
        found = session.get(Member, member_id)
        if found is None:
            raise MemberFormError(
                FormCheck(errors={"id": _("找不到团员 {id}").format(id=member_id)})
            )
        member = found
    for key, value in check.values.items():
        setattr(member, key, value)
    member.initials = pinyin_initials(member.nickname)
    session.add(member)
    session.flush()
    return member
