"""The reminder table and the actions on a reminder (copy, done, snooze, undo).

Both the reminder inbox and a member's page show reminders and act on them the same way: a
screen is a `ReminderActions`, lists `REMINDER_BINDINGS` and says which table holds them.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.widgets import DataTable

from tuan.domain.shared.states import ReminderStatus
from tuan.i18n import N_, _
from tuan.tui.members.base import MemberAreaScreen
from tuan.tui.shared.clipboard import copy_text
from tuan.tui.shared.host import tuan_app
from tuan.tui.shared.loading import ReadingT

if TYPE_CHECKING:
    from tuan.domain.members.reminders import ReminderRow

BUCKET_STYLES = {"overdue": "bold red", "today": "bold yellow", "upcoming": "bold cyan"}
REMINDER_BINDINGS = [
    Binding("c", "copy_message", N_("复制消息"), id="reminder.copy"),
    Binding("d", "done", N_("完成"), id="reminder.done"),
    Binding("s", "snooze", N_("推迟"), id="reminder.snooze"),
    Binding("u", "undo_done", N_("撤销完成"), id="reminder.undo", show=False),
]
REMINDER_ACTIONS = {"copy_message", "done", "snooze", "undo_done"}


def relative_due(due: date, today: date) -> str:
    """`逾期3天`, `今天`, `明天`, `5天后`."""
    days = (due - today).days
    if days < 0:
        return _("逾期{n}天").format(n=-days)
    if days == 0:
        return _("今天")
    return _("明天") if days == 1 else _("{n}天后").format(n=days)


class ReminderTable(DataTable[Any]):
    """Reminders under a heading per group (overdue, today, upcoming), or a flat list."""

    def __init__(self, *, show_member: bool = True, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.show_member = show_member
        self.rows_by_key: dict[str, ReminderRow] = {}

    def on_mount(self) -> None:
        columns = [_("到期"), _("日期")]
        if self.show_member:
            columns.append(_("团员"))
        self.add_columns(*columns, _("类型"), _("标题"))

    def fill(self, groups: list[tuple[str, list[ReminderRow]]], today: date) -> None:
        """Show reminders; a group named '' gets no heading row."""
        from tuan.domain.members.reminders import BUCKET_LABELS, kind_label
        from tuan.domain.shared.timefmt import weekday

        had_rows = bool(self.rows_by_key)
        keep = self.cursor_row
        self.clear()
        self.rows_by_key = {}
        width = len(self.columns)
        for bucket, rows in groups:
            if bucket:
                label = _("【{group} {n}】").format(group=_(BUCKET_LABELS[bucket]), n=len(rows))
                heading = Text(label, style=BUCKET_STYLES[bucket])
                self.add_row(heading, *[""] * (width - 1), key=f"h:{bucket}")
            for row in rows:
                due = Text(relative_due(row.due_on, today))
                if row.status == ReminderStatus.DONE:
                    due = Text(_("已完成"), style="dim")
                elif row.due_on < today:
                    due.stylize("red")
                cells: list[Any] = [due, f"{row.due_on:%m-%d} {weekday(row.due_on)}"]
                if self.show_member:
                    cells.append(row.member or "-")
                cells += [kind_label(row.kind), row.title]
                self.add_row(*cells, key=str(row.id))
                self.rows_by_key[str(row.id)] = row
        keys = [row.key.value for row in self.ordered_rows]
        # Stay where the leader was (the next reminder slides under the cursor after done or
        # snooze); on the first fill start at the first reminder, below its heading.
        start = min(keep, len(keys) - 1) if had_rows else 0
        target = next(
            (i for i in range(max(start, 0), len(keys)) if keys[i] in self.rows_by_key), None
        )
        if target is None:
            target = next((i for i, key in enumerate(keys) if key in self.rows_by_key), 0)
        self.move_cursor(row=target)

    def current_key(self) -> str | None:
        """The highlighted row's key."""
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        return str(key.value) if key.value is not None else None

    def current(self) -> ReminderRow | None:
        """The highlighted reminder (None on a heading or an empty table)."""
        return self.rows_by_key.get(self.current_key() or "")


class ReminderActions(MemberAreaScreen[ReadingT]):
    """Copy, done, snooze and undo for the screen's `reminder_table()` (member page, inbox)."""

    _undo_id: int | None = None

    def reminder_table(self) -> ReminderTable:
        """The table whose highlighted reminder the actions work on."""
        raise NotImplementedError

    def refresh_reminders(self) -> None:
        """Read the screen again after a change (its `reload()`, as a `DataScreen` has)."""
        self.reload()

    def reminder_action_allowed(self, action: str) -> bool | None:
        """For `check_action`: reminder actions need an open reminder under the cursor."""
        if action == "undo_done":
            return self._undo_id is not None
        row = self.reminder_table().current()
        if row is None:
            return False
        return action == "copy_message" or row.status == ReminderStatus.OPEN

    def action_copy_message(self) -> None:
        """Copy the highlighted reminder's message, ready to paste into WeChat."""
        row = self.reminder_table().current()
        if row is None:
            return
        copy_text(self.app, row.message or row.title)
        self.app.notify(
            _("已复制给 {name} 的消息，去微信粘贴吧").format(name=row.member or _("群里"))
        )

    def action_done(self) -> None:
        """Mark the highlighted reminder done (u undoes it)."""
        row = self.reminder_table().current()
        if row is not None and row.status == ReminderStatus.OPEN:
            self._write_done(row.id, row.title)

    @work(thread=True, group="reminder-write")
    def _write_done(self, reminder_id: int, title: str) -> None:
        from tuan.domain.members.reminders import mark_done

        with tuan_app(self).db.transaction() as session:
            mark_done(session, reminder_id)
        self._undo_id = reminder_id
        self.app.call_from_thread(
            self.app.notify, _("已完成：{title}（按 u 撤销）").format(title=title)
        )
        self.app.call_from_thread(self.refresh_reminders)

    def action_undo_done(self) -> None:
        """Reopen the reminder just marked done."""
        if self._undo_id is not None:
            self._write_reopen(self._undo_id)
            self._undo_id = None

    @work(thread=True, group="reminder-write")
    def _write_reopen(self, reminder_id: int) -> None:
        from tuan.domain.members.reminders import reopen

        with tuan_app(self).db.transaction() as session:
            reopen(session, reminder_id)
        self.app.call_from_thread(self.app.notify, _("已撤销，提醒重新打开"))
        self.app.call_from_thread(self.refresh_reminders)

    def action_snooze(self) -> None:
        """Ask how long (1, 3 or 7 days) and move the highlighted reminder."""
        from tuan.tui.members.modals import SnoozePicker

        row = self.reminder_table().current()
        if row is None or row.status != ReminderStatus.OPEN:
            return

        def chosen(days: int | None) -> None:
            if days:
                self._write_snooze(row.id, days)

        self.app.push_screen(SnoozePicker(row.title), chosen)

    @work(thread=True, group="reminder-write")
    def _write_snooze(self, reminder_id: int, days: int) -> None:
        from tuan.domain.members.reminders import snooze

        with tuan_app(self).db.transaction() as session:
            moved = snooze(session, reminder_id, days)
        message = _("已推迟到 {due}").format(due=f"{moved.due_on:%m-%d}")
        self.app.call_from_thread(self.app.notify, message)
        self.app.call_from_thread(self.refresh_reminders)
