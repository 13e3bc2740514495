"""Showing times the way a leader reads them: `11月28日 周六 20:00`, `还剩 2天3小时`."""

from __future__ import annotations

from datetime import date, datetime

from tuan import clock
from tuan.i18n import _

WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


def weekday(day: date) -> str:
    """`周六`."""
    return _(WEEKDAYS[day.weekday()])


def short_datetime(moment: datetime | None) -> str:
    """`11-28 周六 20:00` in the leader's zone ('' for None)."""
    if moment is None:
        return ""
    local = clock.local(moment)
    return f"{local:%m-%d} {weekday(local.date())} {local:%H:%M}"


def long_datetime(moment: datetime) -> str:
    """`11月28日 周六 20:00`, as chain text reads."""
    local = clock.local(moment)
    return f"{local.month}月{local.day}日 {weekday(local.date())} {local:%H:%M}"


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
