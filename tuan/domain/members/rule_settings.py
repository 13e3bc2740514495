"""The rules the leader sees and changes: tag rules and reminder rules, validated.

The engine that applies them is `tuan.domain.members.rules`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import Session, col, select

from tuan.domain.shared.errors import DomainError, Message
from tuan.domain.shared.money import MoneyError, format_money, parse_money
from tuan.domain.shared.states import ReminderKind, TagRuleKind
from tuan.domain.shared.text import cn_to_int, to_halfwidth
from tuan.domain.shared.timefmt import WEEKDAYS
from tuan.i18n import N_, _, ngettext
from tuan.models import Meta, ReminderRule, Tag, TagRule

TAG_RULE_KINDS: dict[str, str] = {
    TagRuleKind.BOUGHT_ITEM: N_("买过某商品"),
    TagRuleKind.DORMANT: N_("沉睡（N天未下单）"),
    TagRuleKind.HIGH_VALUE_DORMANT: N_("高价值沉睡"),
}
REMINDER_RULE_KINDS: dict[str, str] = {
    ReminderKind.AFTER_ORDER: N_("下单后N天回访"),
    ReminderKind.DORMANT: N_("沉睡唤醒"),
    ReminderKind.REFERRAL: N_("老带新首单奖励"),
    ReminderKind.UNCOLLECTED: N_("未取货提醒"),
    ReminderKind.RECURRING: N_("定期任务"),
}
PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    ReminderKind.AFTER_ORDER: ("name", "product", "days", "room"),
    ReminderKind.DORMANT: ("name", "days", "room", "coupon"),
    ReminderKind.REFERRAL: ("name", "friend", "room", "coupon"),
    ReminderKind.UNCOLLECTED: ("name", "product", "place", "room"),
    ReminderKind.RECURRING: ("date", "weekday"),
}
# i18n-keep: a default message to neighbours, data like the rule templates of migration 0002
FRIEND_TEMPLATE = "{name}，欢迎入群！感谢{friend}的推荐，您的首单已完成，送您一张 {coupon}"
_PLACEHOLDER_RE = re.compile(r"\{(\w*)\}")


class RuleError(DomainError, ValueError):
    """A rule edit was refused; `field` names the form field to fix."""

    code = "rule.refused"

    def __init__(
        self,
        field: str,
        message: str | Message | BaseException,
        /,
        *,
        code: str | None = None,
        **params: object,
    ) -> None:
        super().__init__(message, field, code=code, **params)


def _friend_key(rule_id: int) -> str:
    return f"reminder_rule.{rule_id}.friend_template"


def friend_template(session: Session, rule_id: int) -> str:
    """The referral rule's message to the new member (the rule's own template is the referrer's)."""
    row = session.get(Meta, _friend_key(rule_id))
    return row.value if row and row.value else FRIEND_TEMPLATE


def describe_tag_rule(rule: TagRule) -> str:
    """`买过「亚麻籽油」`, `60 天未下单`, `90 天未下单且累计消费满 ¥500`."""
    if rule.kind == TagRuleKind.BOUGHT_ITEM:
        return _("买过「{item}」").format(item=rule.param_text)
    if rule.kind == TagRuleKind.DORMANT:
        return ngettext("{days} 天未下单", "{days} 天未下单", rule.days).format(days=rule.days)
    if rule.kind == TagRuleKind.HIGH_VALUE_DORMANT:
        return ngettext(
            "{days} 天未下单且累计消费满 {money}", "{days} 天未下单且累计消费满 {money}", rule.days
        ).format(days=rule.days, money=format_money(rule.min_spend_cents))
    return rule.kind


def describe_reminder_rule(rule: ReminderRule) -> str:
    """`下单含「亚麻籽油」后 3 天`, `每周三`, …"""
    if rule.kind == ReminderKind.AFTER_ORDER:
        if rule.item_text:
            return ngettext(
                "下单含「{item}」后 {days} 天", "下单含「{item}」后 {days} 天", rule.days
            ).format(item=rule.item_text, days=rule.days)
        return ngettext("下单后 {days} 天", "下单后 {days} 天", rule.days).format(days=rule.days)
    if rule.kind == ReminderKind.DORMANT:
        return ngettext("{days} 天未下单", "{days} 天未下单", rule.days).format(days=rule.days)
    if rule.kind == ReminderKind.REFERRAL:
        return _("被推荐人首单完成，双方各一条")
    if rule.kind == ReminderKind.UNCOLLECTED:
        return _("自提结束仍未取货")
    if rule.kind == ReminderKind.RECURRING:
        if rule.weekday is not None:
            return _("每{weekday}").format(weekday=_(WEEKDAYS[rule.weekday % 7]))
        return ngettext("每 {days} 天", "每 {days} 天", rule.days).format(days=rule.days)
    return rule.kind


def list_tag_rules(session: Session) -> list[TagRule]:
    """Every tag rule, in the order they were made."""
    return list(session.exec(select(TagRule).order_by(col(TagRule.id))))


def list_reminder_rules(session: Session) -> list[ReminderRule]:
    """Every reminder rule, in the order they were made."""
    return list(session.exec(select(ReminderRule).order_by(col(ReminderRule.id))))


def toggle_tag_rule(session: Session, rule_id: int) -> bool:
    """Switch a tag rule on or off; returns the new state."""
    rule = session.get(TagRule, rule_id)
    if rule is None:
        raise RuleError("id", N_("找不到标签规则 {id}"), code="rule.not_found", id=rule_id)
    rule.enabled = not rule.enabled
    session.add(rule)
    return rule.enabled


def toggle_reminder_rule(session: Session, rule_id: int) -> bool:
    """Switch a reminder rule on or off; returns the new state."""
    rule = session.get(ReminderRule, rule_id)
    if rule is None:
        raise RuleError("id", N_("找不到提醒规则 {id}"), code="rule.not_found", id=rule_id)
    rule.enabled = not rule.enabled
    session.add(rule)
    return rule.enabled


def parse_days(text: str, field: str = "days", low: int = 0, high: int = 3650) -> int:
    """`7`, `七`, `7天` as a whole number of days within [low, high]."""
    raw = to_halfwidth(str(text)).strip().removesuffix("天").strip()  # i18n-keep: input grammar
    value = cn_to_int(raw)
    if value is None or not low <= value <= high:
        message = N_("天数应是 {low} 到 {high} 之间的整数")
        raise RuleError(field, message, code="days.range", low=low, high=high)
    return value


def parse_weekday(text: str) -> int | None:
    """`周三`, `星期三`, `三`, `Wed` or `3` (Monday = 1) as 0-6 (Monday = 0); '' is None."""
    from tuan.domain.members.reminders import WEEKDAYS_EN

    raw = to_halfwidth(text).strip()
    if raw.isalpha() and raw.isascii() and raw[:3].lower() in WEEKDAYS_EN:
        return WEEKDAYS_EN.index(raw[:3].lower())
    for prefix in ("星期", "礼拜", "周"):  # i18n-keep: input grammar
        raw = raw.removeprefix(prefix)
    if not raw:
        return None
    if raw.isdecimal() and 1 <= int(raw) <= 7:  # isdigit() also takes digits int() refuses
        return int(raw) - 1
    index = "一二三四五六日".find(raw.replace("天", "日"))  # i18n-keep: input grammar
    if len(raw) == 1 and index >= 0:
        return index
    raise RuleError(
        "weekday", N_("看不懂的星期：{text}，例如 周三"), code="weekday.malformed", text=text
    )


def check_template(template: str, kind: str, field: str = "template") -> str:
    """A template with only the placeholders its rule can fill."""
    template = template.strip()
    if not template:
        raise RuleError(field, N_("请写上消息模板"), code="template.empty")
    if len(template) > 1000:
        raise RuleError(field, N_("消息模板太长（最多 1000 个字）"), code="template.too_long")
    allowed = PLACEHOLDERS.get(kind, ())
    unknown = [p for p in _PLACEHOLDER_RE.findall(template) if p not in allowed]
    if unknown:
        usable = " ".join("{" + p + "}" for p in allowed) or Message(N_("（无）"))
        message = N_("模板里有不认识的占位符 {bad}，可用：{usable}")
        bad = "{" + unknown[0] + "}"
        raise RuleError(field, message, code="template.placeholder", bad=bad, usable=usable)
    return template


@dataclass(frozen=True)
class TagRuleForm:
    """What the leader typed for a tag rule."""

    kind: str
    tag_name: str
    param_text: str = ""
    days: str = "0"
    min_spend: str = "0"


def save_tag_rule(session: Session, form: TagRuleForm, rule_id: int | None = None) -> TagRule:
    """Validate and store a tag rule (renaming its tag with it)."""
    if form.kind not in TAG_RULE_KINDS:
        message = N_("不认识的规则类型：{kind}")
        raise RuleError("kind", message, code="rule.kind", kind=form.kind)
    name = form.tag_name.strip()
    if not name or len(name) > 20:
        raise RuleError("tag_name", N_("标签名不能为空，最多 20 个字"), code="tag.length")
    rule = session.get(TagRule, rule_id) if rule_id else TagRule(kind=form.kind, tag_name=name)
    if rule is None:
        raise RuleError("id", N_("找不到标签规则 {id}"), code="rule.not_found", id=rule_id)
    clash = session.exec(select(Tag).where(col(Tag.name) == name)).first()
    if clash is not None and (clash.rule_id is None or clash.rule_id != rule.id):
        message = N_("已有同名标签「{name}」，请换一个名字")
        raise RuleError("tag_name", message, code="tag.taken", name=name)
    rule.kind, rule.param_text = form.kind, form.param_text.strip()
    if form.kind == TagRuleKind.BOUGHT_ITEM and not rule.param_text:
        raise RuleError("param_text", N_("请写上商品名，例如 亚麻籽油"), code="item.empty")
    if len(rule.param_text) > 40:
        raise RuleError("param_text", N_("商品名太长（最多 40 个字）"), code="item.too_long")
    rule.days = 0 if form.kind == TagRuleKind.BOUGHT_ITEM else parse_days(form.days, low=1)
    rule.min_spend_cents = 0
    if form.kind == TagRuleKind.HIGH_VALUE_DORMANT:
        try:
            rule.min_spend_cents = parse_money(form.min_spend)
        except MoneyError as error:
            raise RuleError("min_spend", error, code=error.code) from None
    if rule.id is not None and rule.tag_name != name:
        for tag in session.exec(select(Tag).where(col(Tag.rule_id) == rule.id)):
            tag.name = name
            session.add(tag)
    rule.tag_name = name
    session.add(rule)
    session.flush()
    return rule


@dataclass(frozen=True)
class ReminderRuleForm:
    """What the leader typed for a reminder rule."""

    kind: str
    template: str
    days: str = "7"
    weekday: str = ""
    item_text: str = ""
    friend_template: str = ""


def save_reminder_rule(
    session: Session, form: ReminderRuleForm, rule_id: int | None = None
) -> ReminderRule:
    """Validate and store a reminder rule."""
    if form.kind not in REMINDER_RULE_KINDS:
        message = N_("不认识的规则类型：{kind}")
        raise RuleError("kind", message, code="rule.kind", kind=form.kind)
    rule = session.get(ReminderRule, rule_id) if rule_id else ReminderRule(kind=form.kind)
    if rule is None:
        raise RuleError("id", N_("找不到提醒规则 {id}"), code="rule.not_found", id=rule_id)
    rule.kind = form.kind
    rule.template = check_template(form.template, form.kind)
    low = 1 if form.kind in (ReminderKind.DORMANT, ReminderKind.RECURRING) else 0
    referral = form.kind == ReminderKind.REFERRAL
    rule.days = 0 if referral else parse_days(form.days, low=low, high=365)
    recurring = form.kind == ReminderKind.RECURRING
    rule.weekday = parse_weekday(form.weekday) if recurring else None
    after_order = form.kind == ReminderKind.AFTER_ORDER
    rule.item_text = form.item_text.strip() if after_order else ""
    if len(rule.item_text) > 40:
        raise RuleError("item_text", N_("商品名太长（最多 40 个字）"), code="item.too_long")
    session.add(rule)
    session.flush()
    if referral:
        text = check_template(form.friend_template or FRIEND_TEMPLATE, "referral", "friend")
        meta = session.get(Meta, _friend_key(rule.id or 0)) or Meta(key=_friend_key(rule.id or 0))
        meta.value = text
        session.add(meta)
    return rule
