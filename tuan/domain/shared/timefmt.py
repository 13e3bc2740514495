"""Showing times the way a leader reads them: `11月28日 周六 20:00`, `还剩 2天3小时`.

Times on screen follow the interface language (`Nov 28 Sat 20:00` in English). Text that
neighbours read in WeChat (the chain text, reminder messages) uses the `zh_` formatters, which
stay Chinese in every language.
"""

from __future__ import annotations

from datetime import date, datetime

from tuan import clock
from tuan.i18n import N_, _

WEEKDAYS = (N_("周一"), N_("周二"), N_("周三"), N_("周四"), N_("周五"), N_("周六"), N_("周日"))
MONTHS = (
    N_("1月"),
    N_("2月"),
    N_("3月"),
    N_("4月"),
    N_("5月"),
    N_("6月"),
    N_("7月"),
    N_("8月"),
    N_("9月"),
    N_("10月"),
    N_("11月"),
    N_("12月"),
)


def weekday(day: date) -> str:
    """`周六` (`Sat` in English)."""
    return _(WEEKDAYS[day.weekday()])


def month_day(day: date) -> str:
    """`11月28日` (`Nov 28` in English)."""
    return _("{month}{day}日").format(month=_(MONTHS[day.month - 1]), day=day.day)


def zh_weekday(day: date) -> str:
    """`周六` in every language (for text neighbours read)."""
    return WEEKDAYS[day.weekday()]


def zh_date(day: date) -> str:
    """`11月28日` in every language (for text neighbours read)."""
    return f"{day.month}月{day.day}日"  # i18n-keep: text neighbours read


def zh_datetime(moment: datetime) -> str:
    """`11月28日 周六 20:00` in the leader's zone, in every language (the chain text)."""
    local = clock.local(moment)
    return f"{zh_date(local.date())} {zh_weekday(local.date())} {local:%H:%M}"


def short_datetime(moment: datetime | None) -> str:
    """`11-28 周六 20:00` in the leader's zone ('' for None)."""
    if moment is None:
        return ""
    local = clock.local(moment)
    return f"{local:%m-%d} {weekday(local.date())} {local:%H:%M}"


def long_datetime(moment: datetime) -> str:
    """`11月28日 周六 20:00` (`Nov 28 Sat 20:00` in English) in the leader's zone."""
    local = clock.local(moment)
    return f"{month_day(local.date())} {weekday(local.date())} {local:%H:%M}"


def time_window(start: datetime | None, end: datetime | None) -> str:
    """`11-28 周六 09:00-21:00` (or both ends in full when they fall on different days)."""
    if start is None:
        return ""
    if end is None:
        return short_datetime(start)
    if clock.local(start).date() == clock.local(end).date():
        return f"{short_datetime(start)}-{clock.local(end):%H:%M}"
    return f"{short_datetime(start)} ~ {short_datetime(end)}"


def duration(seconds: float) -> str:
    """`2天3小时`, `3小时20分`, `12分钟`, `45秒`."""
    seconds = int(abs(seconds))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return _("{d}天{h}小时").format(d=days, h=hours)
    if hours:
        return _("{h}小时{m}分").format(h=hours, m=minutes)
    if minutes:
        return _("{m}分钟").format(m=minutes)
    return _("{s}秒").format(s=secs)


def time_left(deadline: datetime | None, now: datetime | None = None) -> str:
    """`还剩 2天3小时`, or `已截止 3小时20分` once past ('' without a deadline)."""
    if deadline is None:
        return ""
    delta = (deadline - (now or clock.now())).total_seconds()
    if delta >= 0:
        return _("还剩 {t}").format(t=duration(delta))
    return _("已截止 {t}").format(t=duration(delta))
