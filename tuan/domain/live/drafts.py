"""Reading the livestream forms: what the leader typed → drafts, or a LiveError naming the field.

Forms hand over plain text per field; these functions own the rules for reading it (minutes,
money, `11-27 19:30`, `前20名赠《…》`), so every front end refuses the same input the same way.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from tuan import clock
from tuan.domain.live.flash import FlashDraft, parse_gift
from tuan.domain.live.shows import LiveDraft, LiveError, SegmentDraft
from tuan.domain.shared.errors import Message
from tuan.domain.shared.money import MoneyError, parse_money
from tuan.domain.shared.text import to_halfwidth
from tuan.i18n import N_

_WHEN_RE = re.compile(
    r"^(?:(?P<word>今天|明天|后天)|(?:(?P<y>\d{4})[-/.年])?(?P<m>\d{1,2})[-/.月](?P<d>\d{1,2})日?)?"
    r"\s*(?P<h>\d{1,2})[:：点](?P<min>\d{2})?分?$"
)
_DAY_WORDS = {"今天": 0, "明天": 1, "后天": 2}  # i18n-keep: input grammar
MAX_NUMBER = 1_000_000  # any count or minute above is a typo (and would overflow storage)


def parse_when(text: str, field: str = "scheduled_at") -> datetime | None:
    """Read `2026-11-27 19:30`, `11-27 19:30`, `明天 19:30`, `19:30` (today) in the leader's zone.

    Returns None for an empty field.
    """
    norm = to_halfwidth(text).strip()
    if not norm:
        return None
    match = _WHEN_RE.match(norm)
    if match is None:
        message = N_("看不懂的时间：{text}，例如 11-27 19:30 或 明天 19:30")
        raise LiveError(message, field, code="when.malformed", text=text)
    now = clock.now()
    day = now.date()
    if match.group("word"):
        day = day + timedelta(days=_DAY_WORDS[match.group("word")])
    elif match.group("m"):
        year = int(match.group("y") or day.year)
        if not 2000 <= year <= 2099:
            message = N_("年份不对：{text}，请填 2000 到 2099 年之间的时间")
            raise LiveError(message, field, code="when.year", text=text)
        try:
            day = day.replace(year=year, month=int(match.group("m")), day=int(match.group("d")))
        except ValueError:
            message = N_("没有这一天：{text}，请检查月份和日期")
            raise LiveError(message, field, code="when.no_such_day", text=text) from None
    hour, minute = int(match.group("h")), int(match.group("min") or 0)
    if hour > 23 or minute > 59:
        raise LiveError(N_("没有这个时间：{text}"), field, code="when.time", text=text)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=now.tzinfo)


def parse_int(
    text: str, field: str, label: str | Message, *, required: bool = True, minimum: int = 0
) -> int | None:
    """A whole number typed in a field (full-width digits too); None when optional and empty."""
    norm = to_halfwidth(text).strip()
    for suffix in ("分钟", "分", "件", "人", "期", "名"):  # i18n-keep: input grammar
        norm = norm.removesuffix(suffix)
    if not norm:
        if required:
            raise LiveError(N_("请填写{label}"), field, code="number.empty", label=label)
        return None
    if not norm.isdigit() or int(norm) < minimum:
        message = N_("{label}要是不小于 {min} 的整数：{text}")
        raise LiveError(
            message, field, code="number.malformed", label=label, min=minimum, text=text
        )
    if int(norm) > MAX_NUMBER:
        message = N_("{label}太大了：{text}，请填 {max} 以内的数")
        raise LiveError(
            message, field, code="number.too_large", label=label, max=MAX_NUMBER, text=text
        )
    return int(norm)


def parse_id(text: str) -> int | None:
    """A chosen id from a select field ('' for none)."""
    norm = text.strip()
    return int(norm) if norm.isdigit() else None


def live_draft(values: dict[str, str]) -> LiveDraft:
    """The livestream form → a draft."""
    episode = values.get("episode", "1") or "1"
    return LiveDraft(
        theme=values.get("theme", ""),
        series=values.get("series", ""),
        episode=parse_int(episode, "episode", Message(N_("期数")), minimum=1) or 1,
        host=values.get("host", ""),
        scheduled_at=parse_when(values.get("scheduled_at", "")),
        chain_id=parse_id(values.get("chain_id", "")),
    )


def segment_draft(values: dict[str, str]) -> SegmentDraft:
    """The segment form → a draft."""
    label = Message(N_("时长（分钟）"))
    minutes = parse_int(values.get("planned_minutes", ""), "planned_minutes", label)
    return SegmentDraft(
        title=values.get("title", ""),
        planned_minutes=minutes or 0,
        talking_points=values.get("talking_points", ""),
        item_id=parse_id(values.get("item_id", "")),
    )


def flash_draft(values: dict[str, str]) -> FlashDraft:
    """The flash-sale form → a draft."""
    item_id = parse_id(values.get("item_id", ""))
    if item_id is None:
        raise LiveError(N_("请选一个秒杀商品"), "item_id", code="sale.no_item")
    try:
        price = parse_money(values.get("live_price", ""))
    except MoneyError as error:
        raise LiveError(error, "live_price", code=error.code) from None
    segment_id = parse_id(values.get("segment_id", ""))
    start = parse_int(
        values.get("start_minute", ""),
        "start_minute",
        Message(N_("开始（第几分钟）")),
        required=False,
    )
    if segment_id is None and start is None:
        message = N_("写开始时间（开播后第几分钟），或者绑定一个环节")
        raise LiveError(message, "start_minute", code="sale.no_start")
    end = parse_int(
        values.get("end_minute", ""), "end_minute", Message(N_("结束（第几分钟）")), required=False
    )
    cap = parse_int(values.get("cap", ""), "cap", Message(N_("限量")), required=False, minimum=1)
    try:
        gift_count, gift_name = parse_gift(values.get("gift", ""))
    except LiveError as error:
        raise LiveError(error, "gift", code=error.code) from None
    return FlashDraft(
        item_id=item_id,
        live_price_cents=price,
        start_minute=start or 0,
        end_minute=end,
        segment_id=segment_id,
        cap=cap,
        gift_name=gift_name,
        gift_count=gift_count,
    )


def viewers_value(text: str) -> int:
    """The viewer count typed in live mode."""
    return parse_int(text, "viewers", Message(N_("观看人数"))) or 0
