"""Follow-up reminders (跟进提醒): the inbox grouped overdue, today and upcoming."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from tuan import clock
from tuan.models import Member, Reminder


@dataclass(frozen=True)
class ReminderRow:
    """One open reminder with its member's nickname."""

    id: int
    due_on: date
    kind: str
    member_id: int | None
    member: str
    title: str
    message: str


def due_bucket(reminder: ReminderRow, today: date | None = None) -> str:
    """`overdue`, `today` or `upcoming`."""
    today = today or clock.today()
    if reminder.due_on < today:
        return "overdue"
    return "today" if reminder.due_on == today else "upcoming"


def open_reminders(session: Session) -> list[ReminderRow]:
    """Open reminders, earliest due first."""
    stmt = (
        select(Reminder, Member.nickname)
        .outerjoin(Member, col(Member.id) == col(Reminder.member_id))
        .where(col(Reminder.status) == "open")
        .order_by(col(Reminder.due_on), col(Reminder.id))
    )
    return [
        ReminderRow(r.id or 0, r.due_on, r.kind, r.member_id, nick or "", r.title, r.message)
        for r, nick in session.exec(stmt)  # type: ignore[call-overload]
    ]
