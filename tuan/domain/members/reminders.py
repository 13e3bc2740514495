"""Follow-up reminders (跟进提醒): the inbox grouped overdue, today and upcoming.

A reminder is done, snoozed (its due date moves, its rule key stays, so a rule never makes it
again) or created by hand. Rules that create reminders live in `tuan.domain.members.rules`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, func
from sqlmodel import Session, col, select

from tuan import clock
from tuan.domain.shared.errors import DomainError
from tuan.domain.shared.states import ReminderKind, ReminderStatus
from tuan.domain.shared.text import cn_to_int, to_halfwidth
from tuan.i18n import N_, _
from tuan.models import Member, Reminder

BUCKETS = ("overdue", "today", "upcoming")
BUCKET_LABELS = {"overdue": N_("逾期"), "today": N_("今天"), "upcoming": N_("即将到期")}
KIND_LABELS: dict[str, str] = {
    ReminderKind.MANUAL: N_("手动"),
    ReminderKind.AFTER_ORDER: N_("购后回访"),
    ReminderKind.DORMANT: N_("沉睡唤醒"),
    ReminderKind.REFERRAL: N_("老带新奖励"),
    ReminderKind.UNCOLLECTED: N_("未取提醒"),
    ReminderKind.RECURRING: N_("定期任务"),
}
SNOOZE_CHOICES = (1, 3, 7)
_PLACEHOLDER_RE = re.compile(r"\{(\w+)\}")


class ReminderError(DomainError, ValueError):
    """A reminder could not be saved or changed; the message says why."""

    code = "reminder.refused"


@dataclass(frozen=True)
class ReminderRow:
    """One reminder with its member's nickname."""

    id: int
    due_on: date
    kind: str
    member_id: int | None
    member: str
    title: str
    message: str
    status: str = ReminderStatus.OPEN


def kind_label(kind: str) -> str:
    """The Chinese name of a reminder kind."""
    return _(KIND_LABELS.get(kind, kind))


def fill_template(template: str, values: dict[str, object]) -> str:
    """Fill `{name}`, `{product}`, `{days}`… ; unknown placeholders and stray braces stay as typed.

    A leader edits templates by hand, so a typo such as `{nmae}` or a lone `{` must never stop a
    rules run: it shows up in the message, where the leader sees and fixes it.
    """

    def replace(match: re.Match[str]) -> str:
        key = match.group(1)
        return str(values[key]) if key in values else match.group(0)

    return _PLACEHOLDER_RE.sub(replace, template)


def due_bucket(reminder: ReminderRow, today: date | None = None) -> str:
    """`overdue`, `today` or `upcoming`."""
    today = today or clock.today()
    if reminder.due_on < today:
        return "overdue"
    return "today" if reminder.due_on == today else "upcoming"


def _rows(session: Session, *where: ColumnElement[bool]) -> list[ReminderRow]:
    stmt = (
        select(Reminder, Member.nickname)
        .outerjoin(Member, col(Member.id) == col(Reminder.member_id))
        .where(*where)
        .order_by(col(Reminder.due_on), col(Reminder.id))
    )
    return [
        ReminderRow(
            r.id or 0, r.due_on, r.kind, r.member_id, nick or "", r.title, r.message, r.status
        )
        for r, nick in session.exec(stmt)
    ]


def open_reminders(session: Session) -> list[ReminderRow]:
    """Open reminders, earliest due first."""
    return _rows(session, col(Reminder.status) == ReminderStatus.OPEN)


def member_reminders(session: Session, member_id: int, done_limit: int = 20) -> list[ReminderRow]:
    """A member's open reminders, then the most recently due done ones."""
    opened = _rows(
        session, col(Reminder.member_id) == member_id, col(Reminder.status) == ReminderStatus.OPEN
    )
    done = _rows(
        session, col(Reminder.member_id) == member_id, col(Reminder.status) == ReminderStatus.DONE
    )
    return opened + done[::-1][:done_limit]


@dataclass(frozen=True)
class Inbox:
    """Open reminders in the three groups the leader works through."""

    overdue: list[ReminderRow]
    today: list[ReminderRow]
    upcoming: list[ReminderRow]

    def group(self, bucket: str) -> list[ReminderRow]:
        """The reminders of one group by its name."""
        return {"overdue": self.overdue, "today": self.today, "upcoming": self.upcoming}[bucket]


def inbox(session: Session, today: date | None = None) -> Inbox:
    """Open reminders grouped: overdue (oldest first), due today, and upcoming."""
    today = today or clock.today()
    groups: dict[str, list[ReminderRow]] = {b: [] for b in BUCKETS}
    for row in open_reminders(session):
        groups[due_bucket(row, today)].append(row)
    return Inbox(groups["overdue"], groups["today"], groups["upcoming"])


def due_counts(session: Session, today: date | None = None) -> tuple[int, int]:
    """How many open reminders are overdue and how many are due today (the inbox's first two
    groups, counted without reading them)."""
    today = today or clock.today()
    due = col(Reminder.due_on)
    stmt = select(func.count().filter(due < today), func.count().filter(due == today)).where(
        col(Reminder.status) == ReminderStatus.OPEN, due <= today
    )
    overdue, due_today = session.connection().execute(stmt).one()
    return int(overdue), int(due_today)


def _get_open(session: Session, reminder_id: int) -> Reminder:
    reminder = session.get(Reminder, reminder_id)
    if reminder is None:
        raise ReminderError(N_("找不到提醒 {id}"), code="reminder.not_found", id=reminder_id)
    return reminder


def mark_done(session: Session, reminder_id: int, now: datetime | None = None) -> Reminder:
    """Close a reminder; its rule key stays, so no rule makes it again."""
    reminder = _get_open(session, reminder_id)
    if reminder.status != ReminderStatus.DONE:
        reminder.status = ReminderStatus.DONE
        reminder.done_at = now or clock.now()
        session.add(reminder)
    return reminder


def reopen(session: Session, reminder_id: int) -> Reminder:
    """Undo `mark_done`."""
    reminder = _get_open(session, reminder_id)
    reminder.status, reminder.done_at = ReminderStatus.OPEN, None
    session.add(reminder)
    return reminder


def snooze(session: Session, reminder_id: int, days: int, today: date | None = None) -> Reminder:
    """Move a reminder to `days` days from today (an overdue one too), keeping it open."""
    if days < 1 or days > 365:
        raise ReminderError(N_("推迟天数应在 1 到 365 之间"), "days", code="days.range")
    reminder = _get_open(session, reminder_id)
    if reminder.status == ReminderStatus.DONE:
        raise ReminderError(N_("这条提醒已完成，不能推迟"), code="reminder.done")
    reminder.due_on = (today or clock.today()) + timedelta(days=days)
    session.add(reminder)
    return reminder


def create_reminder(
    session: Session,
    *,
    due_on: date,
    title: str,
    message: str = "",
    member_id: int | None = None,
) -> Reminder:
    """Add a manual reminder (not committed); a title or a message is required."""
    title, message = title.strip(), message.strip()
    if not title and not message:
        raise ReminderError(N_("请写上标题或消息"), "title", code="title.empty")
    if len(title) > 60:
        raise ReminderError(N_("标题太长（最多 60 个字）"), "title", code="title.too_long")
    if len(message) > 1000:
        raise ReminderError(N_("消息太长（最多 1000 个字）"), "message", code="message.too_long")
    if member_id is not None and session.get(Member, member_id) is None:
        missing = N_("找不到团员 {id}")
        raise ReminderError(missing, "member", code="member.not_found", id=member_id)
    reminder = Reminder(
        member_id=member_id,
        due_on=due_on,
        kind=ReminderKind.MANUAL,
        title=title or message[:20],
        message=message,
        created_at=clock.now(),
    )
    session.add(reminder)
    return reminder


_WEEKDAY_RE = re.compile(r"^(下)?(?:周|星期|礼拜)([一二三四五六日天])$")
_DAYS_RE = re.compile(r"^\+?(\d{1,5}|[〇零一二两三四五六七八九十百千]+)\s*(?:天后|天|d)?$")
_FULL_DATE_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_SHORT_DATE_RE = re.compile(r"^(\d{1,2})[-/.月](\d{1,2})[日号]?$")
_RELATIVE = {"今天": 0, "明天": 1, "后天": 2, "大后天": 3}  # i18n-keep: input grammar
# The English interface suggests these words too: `today`, `tomorrow`, `wed`, `next wed`.
_RELATIVE_EN = {"today": 0, "tomorrow": 1}
_WEEKDAY_EN_RE = re.compile(r"^(next)?(mon|tue|wed|thu|fri|sat|sun)[a-z]*$")
WEEKDAYS_EN = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def parse_due(text: str, today: date | None = None) -> date:
    """Read a due date: `今天` `明天` `3天后` `+3` `12-01` `12月1日` `2026-12-01` `周三` `下周三`.

    The English words `today`, `tomorrow`, `3d`, `wed` and `next wed` are read too.

    Raises:
        ReminderError: the text is not one of those shapes, not a real date, or already past.
    """
    today = today or clock.today()
    due = _read_due(text, today)
    if due < today:
        message = N_("到期日 {due} 已经过了，请填今天或以后的日期")
        raise ReminderError(message, "due", code="due.past", due=due.isoformat())
    return due


def _read_due(text: str, today: date) -> date:
    raw = to_halfwidth(text).strip().replace(" ", "")
    if not raw:
        message = N_("请填写到期日，例如 明天、3天后、12-01 或 周三")
        raise ReminderError(message, "due", code="due.empty")
    if raw in _RELATIVE:
        return today + timedelta(days=_RELATIVE[raw])
    if raw.lower() in _RELATIVE_EN:
        return today + timedelta(days=_RELATIVE_EN[raw.lower()])
    if match := _WEEKDAY_EN_RE.match(raw.lower()):
        target = WEEKDAYS_EN.index(match.group(2))
        return today + timedelta(days=(target - today.weekday()) % 7 + (7 if match.group(1) else 0))
    if match := _DAYS_RE.match(raw):
        days = cn_to_int(match.group(1))
        if days is not None and days > 3650:
            message = N_("到期日太远了：{text}，最多 3650 天以后")
            raise ReminderError(message, "due", code="due.too_far", text=text)
        if days is not None:
            return today + timedelta(days=days)
    if match := _WEEKDAY_RE.match(raw):
        # i18n-keep: input grammar
        target = "一二三四五六日".find(match.group(2).replace("天", "日"))
        ahead = (target - today.weekday()) % 7 + (7 if match.group(1) else 0)
        return today + timedelta(days=ahead)
    try:
        if match := _FULL_DATE_RE.match(raw):
            return date(*(int(g) for g in match.groups()))
        if match := _SHORT_DATE_RE.match(raw):
            month, day = int(match.group(1)), int(match.group(2))
            found = date(today.year, month, day)
            return found if found >= today - timedelta(days=31) else found.replace(today.year + 1)
    except ValueError:
        message = N_("没有这一天：{text}，请检查月份和日期")
        raise ReminderError(message, "due", code="due.no_such_day", text=text) from None
    message = N_("看不懂的日期：{text}，例如 明天、3天后、12-01 或 周三")
    raise ReminderError(message, "due", code="due.malformed", text=text)
