"""Forms of the members area: a member's details, a manual reminder, a points entry."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Checkbox, Input, Select, TextArea

from tuan.i18n import N_, _
from tuan.tui.shared.form import FormScreen, Problems
from tuan.tui.shared.host import tuan_app

SOURCES = [
    (N_("线下"), "offline"),
    (N_("合作点位"), "partner"),
    (N_("老带新"), "referral"),
    (N_("直播"), "live"),
]


class MemberFormScreen(FormScreen[int | None]):
    """Add or edit a member; returns the member's id when saved."""

    def __init__(self, member_id: int | None = None, form: Any = None) -> None:
        super().__init__()
        from tuan.domain.members.edit import MemberForm

        self.member_id = member_id
        self.initial = form or MemberForm(nickname="")
        self.TITLE_TEXT = _("编辑团员") if member_id else _("新团员")
        self._warned: Any = None

    def compose_fields(self) -> ComposeResult:
        f = self.initial
        yield from self.field("nickname", _("昵称"), Input(f.nickname, compact=True))
        yield from self.field("name", _("姓名"), Input(f.name, compact=True))
        room = Input(f.room, placeholder="3-1202", compact=True)
        yield from self.field("room", _("房号"), room)
        phone = Input(f.phone, placeholder=_("11 位手机号（可不填）"), compact=True)
        yield from self.field("phone", _("手机"), phone)
        options = [(_(label), value) for label, value in SOURCES]
        source = Select(options, value=f.source, allow_blank=False, compact=True)
        yield from self.field("source", _("来源"), source)
        partner = Input(f.partner, placeholder=_("来源码或点位名，例如 YD01"), compact=True)
        yield from self.field("partner", _("合作点位"), partner)
        referrer = Input(f.referrer, placeholder=_("昵称、房号或拼音首字母"), compact=True)
        yield from self.field("referrer", _("推荐人"), referrer)
        yield from self.field("is_koc", "KOC", Checkbox(_("是 KOC"), f.is_koc, compact=True))
        commission = Input(f.commission, placeholder="10%", compact=True)
        yield from self.field("commission", _("佣金比例"), commission)
        yield from self.field("notes", _("备注"), Input(f.notes, compact=True))

    def on_mount(self) -> None:
        self.query_one("#f-nickname", Input).focus()

    def current_form(self) -> Any:
        """The form as typed now."""
        from tuan.domain.members.edit import MemberForm

        return MemberForm(
            **{
                name: self.value(name)
                for name in (
                    "nickname", "name", "room", "phone", "source", "partner", "referrer",
                    "is_koc", "commission", "notes",
                )
            }
        )  # fmt: skip

    def save(self) -> None:
        form = self.current_form()
        self.save_in_thread(self._write, form, form == self._warned)

    def _write(self, form: Any, confirmed: bool) -> int | None:
        """Store the member (in the save worker); a second save confirms the warnings."""
        from tuan.domain.members.edit import MemberFormError, save_member

        try:
            with tuan_app(self).db.transaction() as session:
                member = save_member(session, form, self.member_id, confirmed=confirmed)
                saved_id = member.id
        except MemberFormError as error:
            check = error.check
            self._warned = form if not check.errors else None
            raise Problems(check.errors, check.warnings) from error
        return saved_id


class ReminderFormScreen(FormScreen[int | None]):
    """A manual reminder, for a member or for the leader; returns its id."""

    TITLE_TEXT = N_("新提醒")

    def __init__(self, member: str = "", member_id: int | None = None) -> None:
        super().__init__()
        self.member_text = member
        self.member_id = member_id  # used while the member field still shows `member`

    def compose_fields(self) -> ComposeResult:
        member = Input(self.member_text, placeholder=_("昵称、房号或拼音（可不填）"), compact=True)
        yield from self.field("member", _("团员"), member)
        due = Input(_("明天"), placeholder=_("今天、明天、3天后、12-01、周三"), compact=True)
        yield from self.field("due", _("到期"), due)
        yield from self.field(
            "title", _("标题"), Input(placeholder=_("回电：问发票"), compact=True)
        )
        yield from self.field("message", _("消息"), TextArea(soft_wrap=True, compact=True))

    def on_mount(self) -> None:
        self.query_one("#f-due" if self.member_text else "#f-member", Input).focus()

    def save(self) -> None:
        fields = {name: self.value(name) for name in ("member", "due", "title", "message")}
        self.save_in_thread(self._write, fields)

    def _write(self, fields: dict[str, str]) -> int | None:
        """Store the reminder (in the save worker)."""
        from tuan.domain.members.reminders import ReminderError, create_reminder, parse_due

        errors: dict[str, str] = {}
        with tuan_app(self).db.transaction() as session:
            if self.member_id is not None and fields["member"] == self.member_text:
                member_id: int | None = self.member_id
            else:
                member_id = _resolve_member(session, fields["member"], errors)
            try:
                due = parse_due(fields["due"])
            except ReminderError as error:
                errors["due"] = str(error)
            if not errors:
                try:
                    reminder = create_reminder(
                        session,
                        due_on=due,
                        title=fields["title"],
                        message=fields["message"],
                        member_id=member_id,
                    )
                    session.flush()
                except ReminderError as error:
                    errors["title"] = str(error)
        if errors:
            raise Problems(errors)
        return reminder.id


def _resolve_member(session: Any, text: str, errors: dict[str, str]) -> int | None:
    """The one member `text` names ('' is nobody); a problem goes into `errors`."""
    from tuan.domain.shared.people import find_members
    from tuan.domain.shared.rooms import format_room

    text = text.strip()
    if not text:
        return None
    found = find_members(session, text, limit=5)
    exact = [m for m in found if m.nickname == text]
    chosen = exact if len(exact) == 1 else found
    if len(chosen) == 1:
        return chosen[0].id
    if not chosen:
        message = _("找不到团员：{text}，请写昵称、房号或拼音首字母（也可以不填）")
        errors["member"] = message.format(text=text)
    else:
        names = _("、").join(
            _("{text}（{note}）").format(
                text=m.nickname, note=format_room(m.building, m.room) or "-"
            )
            for m in chosen[:4]
        )
        errors["member"] = _("对应多位团员：{names}，请写得更完整").format(names=names)
    return None


# i18n-keep: the keys carry the action's name as it is stored (data, Chinese in every language)
POINT_KINDS = [
    ("action:签到", N_("签到")),
    ("action:分享接龙", N_("分享接龙")),
    ("action:晒单", N_("晒单")),
    ("action:月度最佳厨艺奖（UGC）", N_("月度最佳厨艺奖（UGC）")),
    ("action:", N_("其他奖励")),
    ("redeem", N_("兑换商品")),
    ("correct", N_("更正（可为负数）")),
]


class PointsFormScreen(FormScreen[bool]):
    """Award points for an action, redeem points for goods, or correct the ledger."""

    TITLE_TEXT = N_("记积分")

    def __init__(self, member_id: int, nickname: str) -> None:
        super().__init__()
        self.member_id = member_id
        self.TITLE_TEXT = _("记积分：{name}").format(name=nickname)

    def compose_fields(self) -> ComposeResult:
        options = [(_(label), key) for key, label in POINT_KINDS]
        first = POINT_KINDS[0][0]
        kind = Select(options, value=first, allow_blank=False, compact=True)
        yield from self.field("kind", _("类型"), kind)
        yield from self.field("points", _("积分"), Input("5", compact=True))
        reason = Input(
            first.removeprefix("action:"), placeholder=_("原因，或兑换的商品"), compact=True
        )
        yield from self.field("reason", _("说明"), reason)

    def on_mount(self) -> None:
        self.query_one("#f-kind", Select).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        from tuan.domain.members.points import ACTIONS

        key = str(event.value)
        usual = dict(ACTIONS)
        name = key.removeprefix("action:")
        self.query_one("#f-points", Input).value = str(usual.get(name, ""))
        self.query_one("#f-reason", Input).value = name if key.startswith("action:") else ""

    def save(self) -> None:
        self.save_in_thread(
            self._write, str(self.value("kind")), self.value("points"), self.value("reason")
        )

    def _write(self, kind: str, points_text: str, reason: str) -> bool:
        """Record the points (in the save worker)."""
        from tuan.domain.members import points as pts
        from tuan.domain.shared.text import to_halfwidth

        raw = to_halfwidth(points_text).strip().lstrip("+")
        if not raw.lstrip("-").isdigit():
            raise Problems({"points": _("请输入整数积分，例如 5")})
        amount = int(raw)
        try:
            with tuan_app(self).db.transaction() as session:
                if kind == "redeem":
                    pts.redeem(session, self.member_id, amount, reason)
                elif kind == "correct":
                    pts.correct(session, self.member_id, amount, reason)
                else:
                    pts.record_action(session, self.member_id, reason, amount)
        except pts.PointsError as error:
            where = "reason" if error.field == "reason" else "points"
            raise Problems({where: str(error)}) from error
        return True
