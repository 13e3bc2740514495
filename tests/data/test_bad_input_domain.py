"""The whole bad-input catalogue against what the forms and commands delegate to, and Hypothesis
runs over every parser of typed text (dates, times, money, quantities, counts).

The forms' keyboard tests (`test_bad_input_forms.py`) try a few values per field; here every
field gets every kind of bad value, fast: each refusal is the domain's own error with a Chinese
message that says what to do, and the demo database is left exactly as it was.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.data.bad_input import (
    EMOJI,
    EMPTY,
    HUGE,
    NEGATIVE,
    NON_NUMERIC,
    PAST_DATE,
    SQL,
    TOO_LONG,
    assert_clear_chinese,
    count_rows,
    demo_copy,
    fingerprint,
)
from tuan import clock
from tuan.db import Database, open_database

CHAIN = 72  # the demo's open chain, linked to the planned live 3
LIVE = 3
MEMBER = 1  # 小李
KIT = 290  # 健康厨房入门套装 ¥259, 80 in stock, 2 per person

Attempt = Callable[[Any, str], object]  # (session, bad value) → raises the domain's error


# --- what each form hands to the domain, with one field replaced by the bad value ------------


def chain_form(field: str) -> Attempt:
    def attempt(session: Any, bad: str) -> object:
        from tuan.domain.chains.edit import ChainForm, ItemForm, save_chain

        item: dict[str, Any] = {
            "name": "冷榨橄榄油",
            "price": "89",
            "limit": "3",
            "stock": "50",
            "code": "A",
        }
        top = {"title": "第1期 冷榨油团", "deadline": "11-28 20:00", "pickup_time": "11-29 9点"}
        if field.startswith("item."):
            item[field.removeprefix("item.")] = bad
        else:
            top[field] = bad
        return save_chain(session, ChainForm(**top, items=[ItemForm(**item)]))

    return attempt


def entry(field: str) -> Attempt:
    def attempt(session: Any, bad: str) -> object:
        from tuan.domain.chains.entries import EntryDraft, read_lines, save_entry
        from tuan.domain.chains.listing import chain_items
        from tuan.domain.shared.orders import OrderError
        from tuan.domain.shared.people import MemberDraft

        reading = read_lines(bad if field == "items" else "套装1", chain_items(session, CHAIN))
        if reading.problems:
            raise OrderError("；".join(reading.problems))
        new = MemberDraft(nickname=bad, building="9", room="909") if field == "nickname" else None
        note = bad if field == "note" else ""
        return save_entry(session, CHAIN, EntryDraft(None if new else MEMBER, new, reading.lines,
                                                     note))  # fmt: skip

    return attempt


def live_form(field: str) -> Attempt:
    def attempt(session: Any, bad: str) -> object:
        from tuan.domain.live.drafts import live_draft
        from tuan.domain.live.shows import create_livestream

        values = {"theme": "早餐", "episode": "4", "scheduled_at": "明天 19:30", field: bad}
        return create_livestream(session, live_draft(values))

    return attempt


def segment_form(field: str) -> Attempt:
    def attempt(session: Any, bad: str) -> object:
        from tuan.domain.live.drafts import segment_draft
        from tuan.domain.live.shows import add_segment

        values = {"title": "抽奖", "planned_minutes": "5", "item_id": str(KIT), field: bad}
        return add_segment(session, LIVE, segment_draft(values))

    return attempt


def flash_form(field: str) -> Attempt:
    def attempt(session: Any, bad: str) -> object:
        from tuan.domain.live.drafts import flash_draft
        from tuan.domain.live.flash import add_flash_sale

        values = {"item_id": str(KIT), "live_price": "199", "start_minute": "120", "cap": "10"}
        return add_flash_sale(session, LIVE, flash_draft({**values, field: bad}))

    return attempt


def member_form(field: str) -> Attempt:
    def attempt(session: Any, bad: str) -> object:
        from tuan.domain.members.edit import MemberForm, save_member

        values: dict[str, Any] = {"nickname": "新邻居小周", "is_koc": True, "commission": "10%"}
        if field == "partner":
            values["source"] = "partner"
        return save_member(session, MemberForm(**{**values, field: bad}))

    return attempt


def points(kind: str, field: str) -> Attempt:
    def attempt(session: Any, bad: str) -> object:
        from tuan.domain.members import points as pts

        values = {"points": "5", "reason": "签到", field: bad}
        amount = int(values["points"]) if values["points"].lstrip("-").isdigit() else None
        if amount is None:
            raise pts.PointsError("请输入整数积分")
        action: dict[str, Callable[..., object]] = {
            "action": pts.record_action,
            "redeem": pts.redeem,
            "correct": pts.correct,
        }
        if kind == "action":
            return pts.record_action(session, MEMBER, values["reason"], amount)
        return action[kind](session, MEMBER, amount, values["reason"])

    return attempt


def reminder(field: str) -> Attempt:
    def attempt(session: Any, bad: str) -> object:
        from tuan.domain.members.reminders import create_reminder, parse_due

        values = {"due": "明天", "title": "回电", "message": "", field: bad}
        return create_reminder(
            session, due_on=parse_due(values["due"]), title=values["title"],
            message=values["message"], member_id=MEMBER,
        )  # fmt: skip

    return attempt


def tag(session: Any, bad: str) -> object:
    from tuan.domain.members.tags import add_tag

    return add_tag(session, MEMBER, bad)


def tag_rule(field: str) -> Attempt:
    def attempt(session: Any, bad: str) -> object:
        from tuan.domain.members.rule_settings import TagRuleForm, save_tag_rule

        kind = "bought_item" if field in ("tag_name", "param_text") else "high_value_dormant"
        values = {"kind": kind, "tag_name": "新规则标签", "param_text": "山茶油", "days": "60",
                  "min_spend": "500", field: bad}  # fmt: skip
        return save_tag_rule(session, TagRuleForm(**values))

    return attempt


def reminder_rule(field: str) -> Attempt:
    def attempt(session: Any, bad: str) -> object:
        from tuan.domain.members.rule_settings import ReminderRuleForm, save_reminder_rule

        kind = "recurring" if field == "weekday" else "after_order"
        template = "明天开团，记得提醒大家" if kind == "recurring" else "{name}，用得还顺手吗？"
        values = {"kind": kind, "template": template, "days": "7", field: bad}
        return save_reminder_rule(session, ReminderRuleForm(**values))

    return attempt


def points_settings(field: str) -> Attempt:
    def attempt(session: Any, bad: str) -> object:
        from tuan.domain.members import points as pts

        if field == "rate":
            if not bad.strip().isdigit():
                raise pts.PointsError("请输入 0 到 100 的整数")
            pts.set_points_rate(session, int(bad))
        else:
            pts.set_levels(session, pts.parse_levels(bad))
        return None

    return attempt


def spend(field: str) -> Attempt:
    def attempt(session: Any, bad: str) -> object:
        from tuan.domain.dashboard.acquisition import record_spend

        values = {"channel": "partner", "month": "2026-11", "amount": "300", "note": "", field: bad}
        return record_spend(session, **values)

    return attempt


def follow_on_question(field: str) -> Attempt:
    def attempt(session: Any, bad: str) -> object:
        from tuan.domain.dashboard.follow_on import follow_on

        values = {"first": "入门套装", "then": "冷榨亚麻籽油", "days": "90", field: bad}
        return follow_on(session, **values)

    return attempt


def refund(field: str) -> Attempt:
    """The refund form of an entry (pickup and entries): pieces, money, reason as typed."""

    def attempt(session: Any, bad: str) -> object:
        from sqlmodel import col, select

        from tuan.domain.shared.refunds import (
            add_refund,
            parse_reason,
            parse_refund_amount,
            parse_refund_qty,
            refundable_lines,
        )
        from tuan.models import Order

        order = session.exec(
            select(Order).where(col(Order.chain_id) == CHAIN, col(Order.status) == "active")
        ).first()
        line = refundable_lines(session, order.id)[0]
        values = {"qty": "1", "amount": "", "reason": "坏果", field: bad}
        return add_refund(
            session, order.id, line_id=line.line_id, qty=parse_refund_qty(values["qty"]),
            amount_cents=parse_refund_amount(values["amount"]),
            reason=parse_reason(values["reason"]),
        )  # fmt: skip

    return attempt


def coupon(field: str) -> Attempt:
    """The coupon form of a member's page: amount, minimum spend, last day as typed."""

    def attempt(session: Any, bad: str) -> object:
        from tuan import clock
        from tuan.domain.members.coupons import (
            issue_coupon,
            read_amount,
            read_expiry,
            read_min_spend,
        )

        values = {"amount": "20", "min_spend": "99", "expires": "30", field: bad}
        return issue_coupon(
            session, MEMBER, read_amount(values["amount"]),
            min_spend_cents=read_min_spend(values["min_spend"]),
            expires_on=read_expiry(values["expires"], clock.today()),
        )  # fmt: skip

    return attempt


def partner(field: str) -> Attempt:
    def attempt(session: Any, bad: str) -> object:
        from tuan.domain.partners.sites import PartnerDraft, save_partner

        values = {"name": "悦动健身（新店）", "code": "", field: bad}
        return save_partner(session, PartnerDraft(**values))

    return attempt


def poster(field: str) -> Attempt:
    def attempt(session: Any, bad: str) -> object:
        from tuan.domain.partners.posters import PosterDraft, save_poster

        values = {"headline": "扫码入群", "qr_payload": "https://work.weixin.qq.com/x", field: bad}
        folder = Path(tempfile.gettempdir()) / "tuan-bad-qr"
        return save_poster(session, 1, PosterDraft(**values), folder)

    return attempt


def collect(session: Any, bad: str) -> object:
    from sqlmodel import col, select

    from tuan.domain.pickup.collect import set_collected
    from tuan.models import OrderLine

    line = session.exec(select(OrderLine).order_by(col(OrderLine.id))).first()
    return set_collected(session, {line.id: int(bad)})


# fmt: off
CASES: list[Any] = [
    # chain form: every typed field
    ("chain-title-empty", chain_form("title"), EMPTY, "标题不能为空"),
    ("chain-title-too-long", chain_form("title"), TOO_LONG, "标题太长"),
    ("chain-description-too-long", chain_form("description"), TOO_LONG, "说明太长"),
    ("chain-deadline-past", chain_form("deadline"), PAST_DATE, "已经过了"),
    ("chain-deadline-emoji", chain_form("deadline"), EMOJI, "看不懂的时间"),
    ("chain-deadline-sql", chain_form("deadline"), SQL, "看不懂的时间"),
    ("chain-deadline-year-1", chain_form("deadline"), "0001-01-01 00:00", "年份不对"),
    ("chain-deadline-no-such-hour", chain_form("deadline"), "11-28 25:00", "看不懂的时刻"),
    ("chain-pickup-past", chain_form("pickup_time"), "2020-01-01 09:00-21:00", "已经过了"),
    ("chain-pickup-backwards", chain_form("pickup_time"), "11-29 18:00-09:00", "结束时间要晚于"),
    ("chain-pickup-year-9999", chain_form("pickup_time"), "9999-12-31 09:00", "年份不对"),
    ("chain-pickup-point-too-long", chain_form("pickup_point"), TOO_LONG, "太长"),
    ("chain-pickup-address-too-long", chain_form("pickup_address"), TOO_LONG, "太长"),
    ("chain-item-name-empty", chain_form("item.name"), EMPTY, "商品名不能为空"),
    ("chain-item-name-too-long", chain_form("item.name"), TOO_LONG, "太长"),
    ("chain-item-spec-too-long", chain_form("item.spec"), TOO_LONG, "太长"),
    ("chain-item-aliases-too-long", chain_form("item.aliases"), TOO_LONG, "太长"),
    ("chain-item-price-empty", chain_form("item.price"), EMPTY, "请输入金额"),
    ("chain-item-price-negative", chain_form("item.price"), NEGATIVE, "负数"),
    ("chain-item-price-words", chain_form("item.price"), NON_NUMERIC, "看不懂的金额"),
    ("chain-item-price-emoji", chain_form("item.price"), EMOJI, "看不懂的金额"),
    ("chain-item-price-sql", chain_form("item.price"), SQL, "看不懂的金额"),
    ("chain-item-price-huge", chain_form("item.price"), HUGE, "金额太大"),
    ("chain-item-price-three-decimals", chain_form("item.price"), "1.999", "两位小数"),
    ("chain-item-original-negative", chain_form("item.original"), NEGATIVE, "负数"),
    ("chain-item-limit-zero", chain_form("item.limit"), "0", "大于 0"),
    ("chain-item-limit-negative", chain_form("item.limit"), NEGATIVE, "大于 0"),
    ("chain-item-limit-words", chain_form("item.limit"), NON_NUMERIC, "大于 0"),
    ("chain-item-limit-huge", chain_form("item.limit"), HUGE, "最多"),
    ("chain-item-stock-negative", chain_form("item.stock"), NEGATIVE, "大于 0"),
    ("chain-item-stock-emoji", chain_form("item.stock"), EMOJI, "大于 0"),
    ("chain-item-stock-huge", chain_form("item.stock"), HUGE, "库存最多"),
    ("chain-item-code-emoji", chain_form("item.code"), EMOJI, "编号是一个字母"),
    ("chain-item-code-sql", chain_form("item.code"), SQL, "编号是一个字母"),
    # entry form
    ("entry-items-empty", entry("items"), EMPTY, "没有商品"),
    ("entry-items-words", entry("items"), NON_NUMERIC, "没读出商品"),
    ("entry-items-emoji", entry("items"), EMOJI, "没读出商品"),
    ("entry-items-sql", entry("items"), SQL, "没读出商品"),
    ("entry-items-negative", entry("items"), "套装-1", "负数"),
    ("entry-items-zero", entry("items"), "套装0", "大于 0"),
    ("entry-items-huge", entry("items"), "套装" + HUGE, "没读懂"),
    ("entry-items-over-limit", entry("items"), "套装3", "限购"),
    ("entry-items-unknown", entry("items"), "榴莲2", "不认识的商品：榴莲"),
    ("entry-note-too-long", entry("note"), TOO_LONG, "备注太长"),
    ("entry-new-member-empty", entry("nickname"), EMPTY, "昵称"),
    ("entry-new-member-too-long", entry("nickname"), TOO_LONG, "昵称太长"),
    # livestream form
    ("live-theme-empty", live_form("theme"), EMPTY, "主题不能为空"),
    ("live-theme-too-long", live_form("theme"), TOO_LONG, "主题太长"),
    ("live-series-too-long", live_form("series"), TOO_LONG, "系列名太长"),
    ("live-host-too-long", live_form("host"), TOO_LONG, "主播名太长"),
    ("live-episode-negative", live_form("episode"), NEGATIVE, "期数"),
    ("live-episode-zero", live_form("episode"), "0", "期数"),
    ("live-episode-words", live_form("episode"), NON_NUMERIC, "期数"),
    ("live-episode-huge", live_form("episode"), HUGE, "期数太大"),
    ("live-time-past", live_form("scheduled_at"), "2020-01-01 19:30", "已经过了"),
    ("live-time-earlier-today", live_form("scheduled_at"), "今天 08:00", "已经过了"),
    ("live-time-emoji", live_form("scheduled_at"), EMOJI, "看不懂的时间"),
    ("live-time-sql", live_form("scheduled_at"), SQL, "看不懂的时间"),
    ("live-time-year-1", live_form("scheduled_at"), "0001-01-01 19:30", "年份不对"),
    ("live-time-no-such-day", live_form("scheduled_at"), "2-30 19:30", "没有这一天"),
    ("live-chain-unknown", live_form("chain_id"), "99999", "找不到接龙"),
    # segment and flash-sale forms
    ("segment-title-empty", segment_form("title"), EMPTY, "环节标题不能为空"),
    ("segment-title-too-long", segment_form("title"), TOO_LONG, "环节标题太长"),
    ("segment-minutes-negative", segment_form("planned_minutes"), NEGATIVE, "时长"),
    ("segment-minutes-words", segment_form("planned_minutes"), NON_NUMERIC, "时长"),
    ("segment-minutes-huge", segment_form("planned_minutes"), HUGE, "时长"),
    ("segment-minutes-too-many", segment_form("planned_minutes"), "1000", "时长要在"),
    ("segment-item-unknown", segment_form("item_id"), "99999", "主推商品"),
    ("flash-item-none", flash_form("item_id"), EMPTY, "选一个秒杀商品"),
    ("flash-item-unknown", flash_form("item_id"), "99999", "秒杀商品"),
    ("flash-price-empty", flash_form("live_price"), EMPTY, "请输入金额"),
    ("flash-price-negative", flash_form("live_price"), NEGATIVE, "负数"),
    ("flash-price-sql", flash_form("live_price"), SQL, "看不懂的金额"),
    ("flash-price-above-chain", flash_form("live_price"), "999", "还高"),
    ("flash-start-negative", flash_form("start_minute"), NEGATIVE, "开始"),
    ("flash-start-huge", flash_form("start_minute"), HUGE, "太大"),
    ("flash-end-before-start", flash_form("end_minute"), "10", "要晚于开始"),
    ("flash-cap-zero", flash_form("cap"), "0", "限量"),
    ("flash-cap-above-stock", flash_form("cap"), "81", "超过了"),
    ("flash-cap-huge", flash_form("cap"), HUGE, "限量太大"),
    ("flash-cap-emoji", flash_form("cap"), EMOJI, "限量"),
    ("flash-gift-over-cap", flash_form("gift"), "前20名赠《食谱》", "比限量 10 还多"),
    ("flash-gift-no-count", flash_form("gift"), "《食谱》", "赠品名额"),
    # member form
    ("member-nickname-empty", member_form("nickname"), EMPTY, "昵称不能为空"),
    ("member-nickname-too-long", member_form("nickname"), TOO_LONG, "昵称太长"),
    ("member-name-too-long", member_form("name"), TOO_LONG, "姓名太长"),
    ("member-room-emoji", member_form("room"), EMOJI, "房号格式不对"),
    ("member-room-sql", member_form("room"), SQL, "房号格式不对"),
    ("member-phone-words", member_form("phone"), NON_NUMERIC, "手机号格式不对"),
    ("member-phone-short", member_form("phone"), "1381234", "手机号格式不对"),
    ("member-phone-huge", member_form("phone"), HUGE, "手机号格式不对"),
    ("member-referrer-unknown", member_form("referrer"), SQL, "找不到推荐人"),
    ("member-partner-unknown", member_form("partner"), EMOJI, "合作点位"),
    ("member-commission-negative", member_form("commission"), NEGATIVE, "0% 到 100%"),
    ("member-commission-huge", member_form("commission"), HUGE, "0% 到 100%"),
    ("member-commission-words", member_form("commission"), NON_NUMERIC, "佣金比例看不懂"),
    ("member-notes-too-long", member_form("notes"), TOO_LONG, "备注太长"),
    ("member-source-unknown", member_form("source"), SQL, "来源只能是"),
    # points, reminders, tags
    ("points-award-words", points("action", "points"), NON_NUMERIC, "请输入整数积分"),
    ("points-award-negative", points("action", "points"), NEGATIVE, "1 到 100000"),
    ("points-award-huge", points("action", "points"), HUGE, "1 到 100000"),
    ("points-award-reason-empty", points("action", "reason"), EMPTY, "原因"),
    ("points-award-reason-too-long", points("action", "reason"), TOO_LONG, "太长"),
    ("points-redeem-too-many", points("redeem", "points"), "99999999", "积分不足"),
    ("points-redeem-negative", points("redeem", "points"), NEGATIVE, "大于 0"),
    ("points-redeem-goods-empty", points("redeem", "reason"), EMPTY, "兑换的商品"),
    ("points-correct-huge", points("correct", "points"), HUGE, "-100000 到 100000"),
    ("points-correct-zero", points("correct", "points"), "0", "不能为 0"),
    ("points-correct-reason-empty", points("correct", "reason"), EMPTY, "原因"),
    ("reminder-due-empty", reminder("due"), EMPTY, "请填写到期日"),
    ("reminder-due-past", reminder("due"), PAST_DATE, "已经过了"),
    ("reminder-due-yesterday", reminder("due"), "11-25", "已经过了"),
    ("reminder-due-emoji", reminder("due"), EMOJI, "看不懂的日期"),
    ("reminder-due-sql", reminder("due"), SQL, "看不懂的日期"),
    ("reminder-due-no-such-day", reminder("due"), "2-30", "没有这一天"),
    ("reminder-due-far", reminder("due"), "九千九百九十九天后", "太远"),
    ("reminder-title-empty", reminder("title"), EMPTY, "请写上标题或消息"),
    ("reminder-title-too-long", reminder("title"), TOO_LONG, "标题太长"),
    ("reminder-message-too-long", reminder("message"), TOO_LONG, "消息太长"),
    ("tag-empty", tag, EMPTY, "标签名不能为空"),
    ("tag-too-long", tag, TOO_LONG, "标签名太长"),
    ("tag-emoji-too-long", tag, EMOJI * 11, "标签名太长"),
    # rules and points settings
    ("tag-rule-name-empty", tag_rule("tag_name"), EMPTY, "标签名不能为空"),
    ("tag-rule-name-too-long", tag_rule("tag_name"), TOO_LONG, "最多 20 个字"),
    ("tag-rule-item-empty", tag_rule("param_text"), EMPTY, "请写上商品名"),
    ("tag-rule-item-too-long", tag_rule("param_text"), TOO_LONG, "商品名太长"),
    ("tag-rule-days-negative", tag_rule("days"), NEGATIVE, "天数应是"),
    ("tag-rule-days-huge", tag_rule("days"), HUGE, "天数应是"),
    ("tag-rule-days-emoji", tag_rule("days"), EMOJI, "天数应是"),
    ("tag-rule-spend-negative", tag_rule("min_spend"), NEGATIVE, "负数"),
    ("tag-rule-spend-sql", tag_rule("min_spend"), SQL, "看不懂的金额"),
    ("reminder-rule-template-empty", reminder_rule("template"), EMPTY, "请写上消息模板"),
    ("reminder-rule-template-too-long", reminder_rule("template"), TOO_LONG, "模板太长"),
    ("reminder-rule-template-unknown", reminder_rule("template"), "{" + "x}", "不认识的占位符"),
    ("reminder-rule-days-negative", reminder_rule("days"), NEGATIVE, "天数应是"),
    ("reminder-rule-days-huge", reminder_rule("days"), HUGE, "天数应是"),
    ("reminder-rule-weekday-emoji", reminder_rule("weekday"), EMOJI, "看不懂的星期"),
    ("reminder-rule-item-too-long", reminder_rule("item_text"), TOO_LONG, "商品名太长"),
    ("points-rate-negative", points_settings("rate"), NEGATIVE, "0 到 100"),
    ("points-rate-huge", points_settings("rate"), HUGE, "0 到 100"),
    ("points-levels-sql", points_settings("levels"), SQL, "看不懂的等级"),
    ("points-levels-emoji", points_settings("levels"), EMOJI, "看不懂的等级"),
    ("points-levels-empty", points_settings("levels"), EMPTY, "等级"),
    # partners, posters, partial collection
    ("partner-name-empty", partner("name"), EMPTY, "名称不能为空"),
    ("partner-name-too-long", partner("name"), TOO_LONG, "名称太长"),
    ("partner-kind-too-long", partner("kind"), TOO_LONG, "类型太长"),
    ("partner-contact-too-long", partner("contact"), TOO_LONG, "联系人太长"),
    ("partner-notes-too-long", partner("notes"), TOO_LONG, "备注太长"),
    ("partner-code-sql", partner("code"), SQL, "来源码只能用"),
    ("partner-code-emoji", partner("code"), EMOJI, "来源码只能用"),
    ("partner-code-taken", partner("code"), "yd01", "已经给了"),
    ("poster-headline-empty", poster("headline"), EMPTY, "标题不能为空"),
    ("poster-headline-too-long", poster("headline"), TOO_LONG, "标题太长"),
    ("poster-brand-too-long", poster("brand"), TOO_LONG, "品牌太长"),
    ("poster-qr-empty", poster("qr_payload"), EMPTY, "请填写二维码内容"),
    ("poster-qr-too-long", poster("qr_payload"), "https://x.cn/" + "a" * 400, "太长"),
    ("poster-qr-image-as-text", poster("qr_payload"), "群二维码.png", "图片"),
    ("poster-qr-image-missing", poster("qr_image"), "/no/such/群二维码.png", "找不到图片文件"),
    ("collect-negative", collect, NEGATIVE, "领取数量应在"),
    ("collect-huge", collect, HUGE, "领取数量应在"),
    # growth: channel spend and the follow-on question
    ("spend-channel-empty", spend("channel"), EMPTY, "请选择渠道"),
    ("spend-channel-sql", spend("channel"), SQL, "不认识的渠道"),
    ("spend-channel-emoji", spend("channel"), EMOJI, "不认识的渠道"),
    ("spend-month-empty", spend("month"), EMPTY, "YYYY-MM"),
    ("refund-qty-negative", refund("qty"), NEGATIVE, "负数"),
    ("refund-qty-text", refund("qty"), NON_NUMERIC, "整数"),
    ("refund-qty-huge", refund("qty"), "999", "最多"),
    ("refund-amount-negative", refund("amount"), NEGATIVE, "负数"),
    ("refund-amount-three-decimals", refund("amount"), "1.234", "两位小数"),
    ("refund-amount-huge", refund("amount"), HUGE, "金额"),
    ("refund-amount-text", refund("amount"), EMOJI, "看不懂的金额"),
    ("refund-reason-unknown", refund("reason"), SQL, "看不懂的退款原因"),
    ("coupon-amount-empty", coupon("amount"), EMPTY, "请输入金额"),
    ("coupon-amount-negative", coupon("amount"), NEGATIVE, "负数"),
    ("coupon-amount-zero", coupon("amount"), "0", "大于 0"),
    ("coupon-amount-three-decimals", coupon("amount"), "1.234", "两位小数"),
    ("coupon-amount-huge", coupon("amount"), HUGE, "太大"),
    ("coupon-min-negative", coupon("min_spend"), NEGATIVE, "负数"),
    ("coupon-min-text", coupon("min_spend"), EMOJI, "看不懂的金额"),
    ("coupon-expires-past", coupon("expires"), PAST_DATE, "已经过了"),
    ("coupon-expires-days-huge", coupon("expires"), HUGE, "有效天数"),
    ("coupon-expires-text", coupon("expires"), NON_NUMERIC, "看不懂的日期"),
    ("spend-month-past-date", spend("month"), PAST_DATE, "YYYY-MM"),
    ("spend-month-huge", spend("month"), HUGE, "YYYY-MM"),
    ("spend-amount-empty", spend("amount"), EMPTY, "请输入金额"),
    ("spend-amount-negative", spend("amount"), NEGATIVE, "负数"),
    ("spend-amount-text", spend("amount"), NON_NUMERIC, "看不懂的金额"),
    ("spend-amount-huge", spend("amount"), HUGE, "金额太大"),
    ("spend-amount-zero", spend("amount"), "0", "大于 0"),
    ("spend-note-too-long", spend("note"), TOO_LONG, "备注太长"),
    ("follow-on-first-empty", follow_on_question("first"), EMPTY, "请选择商品"),
    ("follow-on-first-unknown", follow_on_question("first"), EMOJI, "没有叫"),
    ("follow-on-then-sql", follow_on_question("then"), SQL, "没有叫"),
    ("follow-on-then-too-long", follow_on_question("then"), TOO_LONG, "没有叫"),
    ("follow-on-days-empty", follow_on_question("days"), EMPTY, "天数要填整数"),
    ("follow-on-days-negative", follow_on_question("days"), NEGATIVE, "1 到 3650"),
    ("follow-on-days-zero", follow_on_question("days"), "0", "1 到 3650"),
    ("follow-on-days-huge", follow_on_question("days"), HUGE, "1 到 3650"),
    ("follow-on-days-text", follow_on_question("days"), NON_NUMERIC, "天数要填整数"),
    ("follow-on-start-text", follow_on_question("start"), NON_NUMERIC, "YYYY-MM-DD"),
    ("follow-on-end-emoji", follow_on_question("end"), EMOJI, "YYYY-MM-DD"),
    ("follow-on-start-after-end", follow_on_question("start"), "2026-12-31", "晚于"),
]
# fmt: on


@pytest.fixture(scope="module")
def shared_demo(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with demo_copy(demo_template, tmp_path_factory.mktemp("bad-domain")) as target:
        yield target


@pytest.fixture(scope="module")
def opened(shared_demo: str) -> Iterator[Database]:
    database = open_database(shared_demo)
    yield database
    database.close()


@pytest.fixture(scope="module")
def demo_digest(shared_demo: str) -> str:
    return fingerprint(shared_demo)


@pytest.mark.parametrize(("attempt", "bad", "says"), [pytest.param(*c[1:], id=c[0]) for c in CASES])
def test_every_field_refuses_every_bad_value_and_writes_nothing(
    attempt: Attempt, bad: str, says: str, opened: Database, shared_demo: str, demo_digest: str
) -> None:
    try:
        with opened.transaction() as session:
            attempt(session, bad)
            session.flush()
            raise Accepted  # roll back, so one lapse does not spoil the other cases
    except Accepted:
        pytest.fail(f"{bad[:30]!r} was accepted")
    except (ValueError, LookupError) as refused:
        assert_clear_chinese(str(refused), says)
    assert fingerprint(shared_demo) == demo_digest


class Accepted(Exception):
    """A bad value went through (the test fails; the transaction rolls back)."""


FREE_TEXT = {
    "chain-title": chain_form("title"),
    "item-name": chain_form("item.name"),
    "nickname": member_form("nickname"),
    "partner-name": partner("name"),
    "live-theme": live_form("theme"),
    "reminder": reminder("title"),
    "tag": tag,
}


@pytest.mark.parametrize("attempt", list(FREE_TEXT.values()), ids=list(FREE_TEXT))
def test_sql_looking_text_and_emoji_are_kept_verbatim(attempt: Attempt, db: Database) -> None:
    """Where words are free text, SQL-looking text and emoji are just text: stored as typed."""
    from tests.live.helpers import build_shop

    shop = build_shop(db)  # a chain, a live and members, so every form has what it refers to
    global CHAIN, LIVE, MEMBER, KIT
    saved = (CHAIN, LIVE, MEMBER, KIT)
    CHAIN, LIVE, MEMBER, KIT = shop.chain, shop.live, next(iter(shop.members.values())), shop.kit
    try:
        for text in ("'; DROP TABLE x;--", "🍎'; DROP--"):
            with db.transaction() as session:
                attempt(session, text)
            assert text in _every_text(db)
        assert count_rows(db.target, "member") >= len(shop.members), "no member was dropped"
    finally:
        CHAIN, LIVE, MEMBER, KIT = saved


def _every_text(db: Database) -> set[str]:
    from sqlmodel import SQLModel

    found: set[str] = set()
    with db.engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            for row in conn.exec_driver_sql(f'SELECT * FROM "{table.name}"'):
                found.update(cell for cell in row if isinstance(cell, str))
    return found


# --- Hypothesis: the parsers of typed text never fail in any other way --------------------------

DATE_CHARS = "0123456789０１２-/.:：年月日号点分今明后天至到~上下午晚周一二三四五六日十 +−"
TYPED = st.text(max_size=30) | st.text(alphabet=DATE_CHARS + "《》前名赠×x*", max_size=30)
FAST = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(TYPED)
def test_no_typed_time_makes_parse_when_fail_but_with_when_error(text: str) -> None:
    from tuan.domain.shared.when import WhenError, format_input, parse_when

    try:
        moment = parse_when(text)
    except WhenError as error:
        assert_clear_chinese(str(error))
        return
    assert moment.tzinfo is not None and 2000 <= moment.year <= 2099
    assert parse_when(format_input(moment)) == moment, "what the form shows reads back the same"


@FAST
@given(TYPED)
def test_no_typed_window_makes_parse_span_fail_but_with_when_error(text: str) -> None:
    from tuan.domain.shared.when import WhenError, format_span_input, parse_span

    try:
        start, end = parse_span(text)
    except WhenError:
        return
    assert end is None or end > start
    assert parse_span(format_span_input(start, end)) == (start, end)


@FAST
@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31, 23)))
def test_every_time_a_form_shows_reads_back(moment: datetime) -> None:
    from tuan.domain.shared.when import format_input, parse_when

    shown = moment.replace(second=0, microsecond=0, tzinfo=clock.local_zone())
    assert parse_when(format_input(shown)) == shown


@FAST
@given(TYPED)
def test_no_typed_live_time_or_count_fails_but_with_live_error(text: str) -> None:
    from tuan.domain.live.drafts import MAX_NUMBER, parse_int, parse_when
    from tuan.domain.live.shows import LiveError

    with contextlib.suppress(LiveError):
        moment = parse_when(text)
        assert moment is None or 2000 <= moment.year <= 2099
    with contextlib.suppress(LiveError):
        number = parse_int(text, "cap", "限量", required=False, minimum=1)
        assert number is None or 1 <= number <= MAX_NUMBER


@FAST
@given(TYPED | st.text(alphabet="0123456789天后+周下一二三四五六日-月号", max_size=12))
def test_a_due_date_is_never_in_the_past_and_only_reminder_errors_escape(text: str) -> None:
    from tuan.domain.members.reminders import ReminderError, parse_due

    today = date(2026, 11, 26)
    try:
        due = parse_due(text, today)
    except ReminderError as error:
        assert_clear_chinese(str(error))
        return
    assert today <= due <= today + timedelta(days=3650 + 366 * 80)


@FAST
@given(TYPED | st.text(alphabet="0123456789,.¥￥元块-−+ eE", max_size=20))
def test_money_is_cents_within_bounds_or_a_money_error(text: str) -> None:
    from tuan.domain.shared.money import MAX_CENTS, MoneyError, format_plain, parse_money

    try:
        cents = parse_money(text)
    except MoneyError as error:
        assert_clear_chinese(str(error))
        return
    assert 0 <= cents <= MAX_CENTS
    assert parse_money(format_plain(cents)) == cents


ITEMS = None


def _items() -> Any:
    global ITEMS
    if ITEMS is None:
        from tuan.domain.chains.listing import ItemRow

        ITEMS = [
            ItemRow(1, "A", "健康厨房入门套装", "", 25900, None, 2, 80, "套装", 0),
            ItemRow(2, "B", "冷榨亚麻籽油", "500ml", 6900, None, None, None, "亚麻", 0),
        ]
    return ITEMS


@FAST
@given(TYPED | st.text(alphabet="套装亚麻AB 0123456789-−×x*份瓶两三十", max_size=20))
def test_the_entry_forms_item_line_reads_sane_quantities_or_says_why(text: str) -> None:
    from tuan.domain.chains.entries import read_lines

    reading = read_lines(text, _items())
    assert all(1 <= line.qty <= 999 for line in reading.lines)
    assert all(p.strip() for p in reading.problems)
    if "-" in text.replace("−", "-") and any(c.isdigit() for c in text.split("-", 1)[-1][:2]):
        assert not reading.lines or reading.problems


@FAST
@given(TYPED)
def test_small_parsers_raise_only_their_own_errors(text: str) -> None:
    from tuan.domain.live.flash import parse_gift
    from tuan.domain.live.shows import LiveError
    from tuan.domain.members import points
    from tuan.domain.members.edit import parse_commission
    from tuan.domain.members.rule_settings import RuleError, parse_days, parse_weekday
    from tuan.domain.shared.rooms import parse_room

    with contextlib.suppress(RuleError):
        assert 0 <= parse_days(text) <= 3650
    with contextlib.suppress(RuleError):
        assert parse_weekday(text) in (None, 0, 1, 2, 3, 4, 5, 6)
    with contextlib.suppress(points.PointsError):
        assert all(level.threshold >= 0 for level in points.parse_levels(text))
    with contextlib.suppress(ValueError):
        assert 0 <= parse_commission(text) <= 10000
    with contextlib.suppress(LiveError):
        count, _name = parse_gift(text)
        assert count >= 0
    parse_room(text)


def test_time_helpers_keep_to_the_frozen_day() -> None:
    """The Hypothesis runs above assume the suite's frozen clock (2026-11-26 10:00 +08:00)."""
    assert clock.now().date() == date(2026, 11, 26) and clock.now().time() == time(10, 0)
