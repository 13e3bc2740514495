"""Forms for the rules view: a tag rule, a reminder rule, and the points settings."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Input, Select, Static, TextArea

from tuan.domain.shared.states import ReminderKind, TagRuleKind
from tuan.i18n import N_, _
from tuan.tui.shared.form import FormScreen, Problems
from tuan.tui.shared.host import tuan_app


class TagRuleFormScreen(FormScreen[bool]):
    """Add or change a tag rule."""

    def __init__(self, rule: Any = None) -> None:
        super().__init__()
        self.rule = rule
        self.TITLE_TEXT = _("修改标签规则") if rule else _("新标签规则")

    def compose_fields(self) -> ComposeResult:
        from tuan.domain.members.rule_settings import TAG_RULE_KINDS
        from tuan.domain.shared.money import format_plain

        rule = self.rule
        kinds = [(_(label), kind) for kind, label in TAG_RULE_KINDS.items()]
        kind = Select(kinds, value=rule.kind if rule else "bought_item", allow_blank=False)
        kind.compact = True
        yield from self.field("kind", _("类型"), kind)
        name = Input(rule.tag_name if rule else "", placeholder=_("买过橄榄油"), compact=True)
        yield from self.field("tag_name", _("标签名"), name)
        item = Input(rule.param_text if rule else "", placeholder=_("商品名，例如 橄榄油"))
        item.compact = True
        yield from self.field("param_text", _("商品"), item)
        days = Input(str(rule.days) if rule else "60", compact=True)
        yield from self.field("days", _("天数"), days)
        spend = format_plain(rule.min_spend_cents) if rule else "500"
        yield from self.field("min_spend", _("累计消费满"), Input(spend, compact=True))
        yield Static(
            _("买过某商品：填商品；沉睡：填天数；高价值沉睡：填天数和累计消费金额（元）"),
            classes="hint",
        )

    def on_mount(self) -> None:
        self._relevant(self.rule.kind if self.rule else "bought_item")

    def on_select_changed(self, event: Select.Changed) -> None:
        self._relevant(str(event.value))

    def _relevant(self, kind: str) -> None:
        self.show_field("param_text", kind == TagRuleKind.BOUGHT_ITEM)
        self.show_field("days", kind != "bought_item")
        self.show_field("min_spend", kind == TagRuleKind.HIGH_VALUE_DORMANT)

    def save(self) -> None:
        from tuan.domain.members.rule_settings import TagRuleForm

        names = ("kind", "tag_name", "param_text", "days", "min_spend")
        self.save_in_thread(
            self._write, TagRuleForm(**{n: str(self.value(n) or "") for n in names})
        )

    def _write(self, form: Any) -> bool:
        """Store the rule (in the save worker); a `RuleError` names the field at fault."""
        from tuan.domain.members.rule_settings import save_tag_rule

        with tuan_app(self).db.transaction() as session:
            save_tag_rule(session, form, self.rule.id if self.rule else None)
        return True


class ReminderRuleFormScreen(FormScreen[bool]):
    """Add or change a reminder rule: its days, weekday, item and message templates."""

    def __init__(self, rule: Any = None, friend_template: str = "", terms: Any = None) -> None:
        super().__init__()
        self.rule = rule
        self.friend = friend_template
        self.terms = terms  # the coupon a wake-up or referral rule gives (None: none, or new)
        self.TITLE_TEXT = _("修改提醒规则") if rule else _("新提醒规则")

    def compose_fields(self) -> ComposeResult:
        from tuan.domain.members.rule_settings import REMINDER_RULE_KINDS
        from tuan.domain.shared.timefmt import WEEKDAYS

        rule = self.rule
        kinds = [(_(label), kind) for kind, label in REMINDER_RULE_KINDS.items()]
        kind = Select(kinds, value=rule.kind if rule else "after_order", allow_blank=False)
        kind.compact = True
        yield from self.field("kind", _("类型"), kind)
        yield from self.field(
            "days", _("天数"), Input(str(rule.days) if rule else "7", compact=True)
        )
        weekday = _(WEEKDAYS[rule.weekday]) if rule and rule.weekday is not None else ""
        day = Input(weekday, placeholder=_("定期任务：周三"), compact=True)
        yield from self.field("weekday", _("星期"), day)
        item = Input(rule.item_text if rule else "", placeholder=_("只看含此商品的订单（可不填）"))
        item.compact = True
        yield from self.field("item_text", _("商品"), item)
        template = TextArea(rule.template if rule else "", soft_wrap=True, compact=True)
        yield from self.field("template", _("消息模板"), template)
        friend = TextArea(self.friend, soft_wrap=True, compact=True)
        yield from self.field("friend", _("给新朋友"), friend)
        yield from self._coupon_fields()
        yield Static("", classes="hint", id="placeholder-hint")

    def _coupon_fields(self) -> ComposeResult:
        """What the wake-up or referral rule's coupon is worth (0: the rule gives none)."""
        from tuan.domain.members.rule_coupons import DEFAULT_TERMS
        from tuan.domain.shared.money import format_plain

        known = self.rule is not None and self.rule.kind in DEFAULT_TERMS
        terms = self.terms if known else DEFAULT_TERMS[ReminderKind.DORMANT]
        amount = format_plain(terms.amount_cents) if terms else "0"
        least = format_plain(terms.min_spend_cents) if terms and terms.min_spend_cents else ""
        days = str(terms.days) if terms else "14"
        yield from self.field(
            "coupon_amount", _("送券金额"), Input(amount, placeholder=_("0 为不送券"), compact=True)
        )
        yield from self.field(
            "coupon_min", _("券门槛"), Input(least, placeholder=_("不填为无门槛"), compact=True)
        )
        yield from self.field("coupon_days", _("券有效天数"), Input(days, compact=True))

    def on_mount(self) -> None:
        self._relevant(self.rule.kind if self.rule else "after_order")

    def on_select_changed(self, event: Select.Changed) -> None:
        self._relevant(str(event.value))

    def _relevant(self, kind: str) -> None:
        from tuan.domain.members.rule_settings import PLACEHOLDERS

        days = (ReminderKind.AFTER_ORDER, ReminderKind.DORMANT, ReminderKind.RECURRING)
        self.show_field("days", kind in days)
        self.show_field("weekday", kind == ReminderKind.RECURRING)
        self.show_field("item_text", kind == ReminderKind.AFTER_ORDER)
        self.show_field("friend", kind == ReminderKind.REFERRAL)
        for name in ("coupon_amount", "coupon_min", "coupon_days"):
            self.show_field(name, kind in (ReminderKind.DORMANT, ReminderKind.REFERRAL))
        usable = " ".join("{" + p + "}" for p in PLACEHOLDERS.get(kind, ()))
        hint = _("可用占位符：{usable}").format(usable=usable)
        if kind == ReminderKind.REFERRAL:
            hint += "\n" + _("模板发给推荐人，「给新朋友」发给被推荐的新团员")
        if kind == ReminderKind.RECURRING:
            hint += "\n" + _("填了星期就每周那天一次；不填星期则每隔「天数」天一次")
        self.query_one("#placeholder-hint", Static).update(hint)

    def save(self) -> None:
        from tuan.domain.members.rule_settings import ReminderRuleForm

        form = ReminderRuleForm(
            kind=str(self.value("kind")),
            template=self.value("template"),
            days=self.value("days"),
            weekday=self.value("weekday"),
            item_text=self.value("item_text"),
            friend_template=self.value("friend"),
        )
        coupon = (self.value("coupon_amount"), self.value("coupon_min"), self.value("coupon_days"))
        self.save_in_thread(self._write, form, coupon)

    def _write(self, form: Any, coupon: tuple[str, str, str] = ("", "", "")) -> bool:
        """Store the rule and its coupon (in the save worker); a `RuleError` or `CouponError`
        names the field at fault."""
        from tuan.domain.members.rule_coupons import DEFAULT_TERMS, set_rule_terms
        from tuan.domain.members.rule_settings import save_reminder_rule

        terms = self._terms(*coupon) if form.kind in DEFAULT_TERMS else None
        with tuan_app(self).db.transaction() as session:
            rule = save_reminder_rule(session, form, self.rule.id if self.rule else None)
            if form.kind in DEFAULT_TERMS:
                set_rule_terms(session, rule.id or 0, terms)
        return True

    @staticmethod
    def _terms(amount: str, least: str, days: str) -> Any:
        """The coupon typed (None: `0` or nothing, the rule gives none)."""
        from tuan.domain.members.coupons import CouponError, read_amount, read_min_spend
        from tuan.domain.members.rule_coupons import CouponTerms
        from tuan.domain.members.rule_settings import parse_days

        if amount.strip() in ("", "0"):
            return None
        try:
            cents = read_amount(amount, "coupon_amount")
            least_cents = read_min_spend(least)
        except CouponError as error:
            where = "coupon_min" if error.field == "min_spend" else "coupon_amount"
            raise Problems({where: str(error)}) from error
        return CouponTerms(cents, least_cents, parse_days(days, "coupon_days", low=1, high=3650))


class PointsSettingsScreen(FormScreen[bool]):
    """Points per yuan and the level thresholds."""

    TITLE_TEXT = N_("积分设置")

    def __init__(self, rate: int, levels: str) -> None:
        super().__init__()
        self.rate, self.levels = rate, levels

    def compose_fields(self) -> ComposeResult:
        yield from self.field("rate", _("每元积分"), Input(str(self.rate), compact=True))
        yield from self.field("levels", _("等级"), Input(self.levels, compact=True))
        yield Static(
            _("等级写成 名称:成长值，用逗号分开，例如 普通会员:0, 银卡会员:500, 金卡会员:2000"),
            classes="hint",
        )

    def save(self) -> None:
        self.save_in_thread(self._write, self.value("rate"), self.value("levels"))

    def _write(self, rate: str, levels: str) -> bool:
        """Store the settings (in the save worker)."""
        from tuan.domain.members import points as pts

        if not rate.strip().isdigit():
            raise Problems({"rate": _("请输入 0 到 100 的整数")})
        try:
            with tuan_app(self).db.transaction() as session:
                pts.set_points_rate(session, int(rate))
                pts.set_levels(session, pts.parse_levels(levels))
        except pts.PointsError as error:
            where = "rate" if error.field == "rate" else "levels"
            raise Problems({where: str(error)}) from error
        return True
