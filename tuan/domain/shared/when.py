"""Reading the dates and times a leader types into a form: `11-28 20:00`, `明天 18点`.

Forms show times as `2026-11-28 20:00` (see `format_input`) and read back every shape a leader
is likely to type: with or without the year, `-` `/` `.` or `月日`, `20:00` or `20点30`, and the
words 今天/明天/后天. Times are in the leader's zone and come back timezone-aware.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from tuan import clock
from tuan.domain.shared.errors import DomainError
from tuan.domain.shared.text import to_halfwidth
from tuan.i18n import N_

_DAY_WORDS = {"今天": 0, "今日": 0, "明天": 1, "明日": 1, "后天": 2}
# `今晚8点`, `明早9点`: the day and the part of it in one word.
_DAY_PART_WORDS = {
    "今晚": (0, "晚上"),
    "明晚": (1, "晚上"),
    "今早": (0, "早上"),
    "明早": (1, "早上"),
}
_WEEKDAYS = "一二三四五六日天"
_LEADING_WEEKDAY_RE = re.compile(r"^(?:本|这)?(?:周|星期|礼拜)([一二三四五六日天])")
_DATE_RE = re.compile(
    r"^(?:(?P<year>\d{4})\s*[-/.年]\s*)?(?P<month>\d{1,2})\s*[-/.月]\s*(?P<day>\d{1,2})\s*[日号]?"
)
_TIME_RE = re.compile(r"^(?P<hour>\d{1,2})\s*(?:[:：点时]\s*(?P<minute>\d{1,2})?\s*分?)?$")
_WEEKDAY_RE = re.compile(r"(?:周|星期|礼拜)[一二三四五六日天]")
# Parts of the day before a time, longest first (`晚上` before `晚`); `中午1点` is 13:00.
_DAY_PARTS = (("上午", 0), ("早上", 0), ("凌晨", 0), ("中午", 12), ("下午", 12), ("晚上", 12),
              ("傍晚", 12), ("早", 0), ("晚", 12))  # fmt: skip
_SPAN_SPLIT_RE = re.compile(r"\s*(?:至|到|~|～|—|--)\s*|(?<=[\d点分])\s*-\s*(?=\d{1,2}[:：点])")
#: A date typed without a year that lies further back than this means next year (`01-05` in
#: late December).
_YEAR_WRAP_DAYS = 180
#: Years a leader's dates can fall in; outside is a typo (year 1 cannot even be stored in UTC).
_YEARS = range(2000, 2100)


class WhenError(DomainError, ValueError):
    """A typed date or time could not be read; the message says what to type."""

    code = "when.malformed"


def format_input(moment: datetime | None) -> str:
    """How a form shows a stored time: `2026-11-28 20:00` in the leader's zone ('' for None)."""
    return "" if moment is None else f"{clock.local(moment):%Y-%m-%d %H:%M}"


def format_span_input(start: datetime | None, end: datetime | None) -> str:
    """`2026-11-29 09:00-21:00`, or two full times when the span crosses days."""
    if start is None:
        return ""
    if end is None:
        return format_input(start)
    if clock.local(start).date() == clock.local(end).date():
        return f"{format_input(start)}-{clock.local(end):%H:%M}"
    return f"{format_input(start)} 至 {format_input(end)}"  # i18n-keep: input grammar (read back)


def parse_when(text: str, *, default_time: time = time(20, 0)) -> datetime:
    """Read `2026-11-28 20:00`, `11-28 20:00`, `11月28日 20点`, `明天 18:30` (local zone).

    Raises:
        WhenError: the text is not a date (with an optional time).
    """
    # `11月28日 周六 20:00`, as chain text writes it: the weekday adds nothing to the date.
    norm = " ".join(to_halfwidth(text).split())
    if not _LEADING_WEEKDAY_RE.match(norm):  # a weekday alone names the day; after a date,
        norm = " ".join(_WEEKDAY_RE.sub(" ", norm).split())  # it adds nothing
    if not norm:
        raise WhenError(N_("请填写时间，例如 11-28 20:00"), code="when.empty")
    day, rest = _read_day(norm)
    if day is None:
        raise WhenError(N_("看不懂的时间：{text}，请按 11-28 20:00 这样填写"), text=text)
    if day.year not in _YEARS:
        raise WhenError(
            N_("年份不对：{text}，请填 2000 到 2099 年之间的日期"), code="when.year", text=text
        )
    moment = _read_time(rest, default_time)
    if moment is None:
        raise WhenError(
            N_("看不懂的时刻：{text}，请按 20:00 这样填写"), code="when.time", text=rest
        )
    return datetime.combine(day, moment, tzinfo=clock.local_zone())


def parse_span(text: str) -> tuple[datetime, datetime | None]:
    """Read a pickup window: `11-29 09:00-21:00`, `11-29 9点 至 11-30 12点`, or just a start.

    Raises:
        WhenError: either end cannot be read, or the end is not after the start.
    """
    norm = " ".join(to_halfwidth(text).split())
    parts = _SPAN_SPLIT_RE.split(norm, maxsplit=1)
    start = parse_when(parts[0], default_time=time(9, 0))
    if len(parts) == 1 or not parts[1].strip():
        return start, None
    tail = parts[1].strip()
    end_time = _read_time(tail, time(21, 0))
    if end_time is not None:
        if ":" not in tail and start.hour >= 12 > end_time.hour and end_time.hour + 12 > start.hour:
            end_time = end_time.replace(hour=end_time.hour + 12)  # `下午3-6点`: 下午 holds for both
        end = datetime.combine(start.date(), end_time, tzinfo=start.tzinfo)
    else:
        end = parse_when(tail, default_time=time(21, 0))
    if end <= start:
        raise WhenError(
            N_("结束时间要晚于开始时间：{text}"), code="when.end_before_start", text=text
        )
    return start, end


def _read_day(norm: str) -> tuple[date | None, str]:
    for word, (offset, part) in _DAY_PART_WORDS.items():
        if norm.startswith(word):
            return clock.today() + timedelta(days=offset), part + norm[len(word) :].strip()
    weekday = _LEADING_WEEKDAY_RE.match(norm)
    if weekday is not None:  # `周日晚8点`: the next such day (today if it is one)
        target = min(_WEEKDAYS.index(weekday.group(1)), 6)  # 日 and 天 are both Sunday
        ahead = (target - clock.today().weekday()) % 7
        return clock.today() + timedelta(days=ahead), norm[weekday.end() :].strip()
    for word, offset in _DAY_WORDS.items():
        if norm.startswith(word):
            return clock.today() + timedelta(days=offset), norm[len(word) :].strip()
    match = _DATE_RE.match(norm)
    if match is None:
        return None, norm
    year = int(match.group("year")) if match.group("year") else clock.today().year
    try:
        day = date(year, int(match.group("month")), int(match.group("day")))
    except ValueError:
        return None, norm
    if not match.group("year") and (clock.today() - day).days > _YEAR_WRAP_DAYS:
        day = day.replace(year=year + 1)
    return day, norm[match.end() :].strip()


def _read_time(text: str, default: time) -> time | None:
    text = text.strip()
    if text.endswith("点半"):
        text = text[:-1] + "30"
    for word, shift in _DAY_PARTS:
        if text.startswith(word):
            found = _read_time(text[len(word) :], default)
            if found is None or found.hour >= 12 or (word == "中午" and found.hour >= 11):
                return found
            return found.replace(hour=found.hour + shift)
    if not text:
        return default
    match = _TIME_RE.match(text)
    if match is None:
        return None
    hour, minute = int(match.group("hour")), int(match.group("minute") or 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)
