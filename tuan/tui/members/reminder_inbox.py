"""The reminder inbox: overdue, today and upcoming follow-ups, each with its message ready."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from tuan.i18n import N_, _
from tuan.tui.members.reminders import (
    REMINDER_ACTIONS,
    REMINDER_BINDINGS,
    ReminderActions,
    ReminderTable,
)
from tuan.tui.shared.host import tuan_app
from tuan.tui.shared.key_bar import KeyBar
from tuan.tui.shared.topbar import TopBar

if TYPE_CHECKING:
    from tuan.domain.members.reminders import Inbox

HELP = N_(
    """跟进提醒按「逾期、今天、即将到期」分组。规则会自动生成提醒（下单后回访、沉睡唤醒、
老带新奖励、未取货、每周三食谱），你也可以按 `n` 手动添加。

- `c` 复制消息：消息进剪贴板，到微信里粘贴发给团员。
- `d` 完成（`u` 撤销），`s` 推迟 1、3 或 7 天。
- 回车打开这位团员的页面；`x` 立即运行规则（重复运行不会重复生成）。"""
)


@dataclass(frozen=True)
class InboxReading:
    """The open reminders by bucket (overdue, today, upcoming), and the day they were read on."""

    inbox: Inbox
    today: date


class ReminderInboxScreen(ReminderActions[InboxReading]):
    """Work through today's follow-ups."""

    HELP = HELP
    RELOAD_ON_RESUME = True  # back from a member's page or a form: reminders may have changed
    BINDINGS = [
        Binding("escape", "back", N_("返回"), id="inbox.back"),
        *REMINDER_BINDINGS,
        Binding("enter", "open_member", N_("团员页"), id="inbox.member"),
        Binding("n", "new_reminder", N_("新提醒"), id="inbox.new"),
        Binding("x", "run_rules", N_("运行规则"), id="inbox.run"),
        Binding("ctrl+r", "reload", N_("刷新"), id="inbox.reload", show=False),
    ]
    DEFAULT_CSS = """
    ReminderInboxScreen #inbox-summary { height: 1; padding: 0 1; }
    ReminderInboxScreen #inbox-table { height: 1fr; }
    ReminderInboxScreen #inbox-message { height: auto; min-height: 4; }
    """

    def compose(self) -> ComposeResult:
        yield TopBar(self.AREA)
        yield Static(_("加载中…"), id="inbox-summary")
        yield ReminderTable(id="inbox-table")
        yield Static("", id="inbox-message", classes="panel")
        yield KeyBar()

    def on_mount(self) -> None:
        self.reload()

    def fetch(self) -> InboxReading:
        """Today's date and the reminders due around it."""
        from tuan import clock
        from tuan.domain.members.reminders import inbox

        today = clock.today()
        with tuan_app(self).db.session() as session:
            return InboxReading(inbox(session, today), today)

    def show(self, data: InboxReading) -> None:
        """Fill the table group by group."""
        box, today = data.inbox, data.today
        summary = Text()
        summary.append(_("逾期 {n}").format(n=len(box.overdue)), style="bold red")
        summary.append("    " + _("今天 {n}").format(n=len(box.today)), style="bold yellow")
        summary.append("    " + _("即将到期 {n}").format(n=len(box.upcoming)), style="bold cyan")
        self.query_one("#inbox-summary", Static).update(summary)
        groups = [(b, box.group(b)) for b in ("overdue", "today", "upcoming")]
        self.reminder_table().fill([(b, rows) for b, rows in groups if rows], today)
        self._show_message()
        self.refresh_bindings()

    def reminder_table(self) -> ReminderTable:
        """The inbox table."""
        return self.query_one("#inbox-table", ReminderTable)

    def _show_message(self) -> None:
        row = self.reminder_table().current()
        if row is None:
            text = Text(_("选中一条提醒，这里显示要发的消息"), style="dim")
        else:
            text = Text(_("{label}：").format(label=row.member or _("群里")), style="bold")
            text.append(row.message or row.title, style="")
        self.query_one("#inbox-message", Static).update(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_message()
        self.refresh_bindings()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open_member()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in REMINDER_ACTIONS:
            return self.reminder_action_allowed(action)
        if action == "open_member":
            row = self.reminder_table().current()
            return row is not None and row.member_id is not None
        return True

    def action_back(self) -> None:
        """Back to the members list."""
        self.dismiss()

    def action_open_member(self) -> None:
        """Open the highlighted reminder's member."""
        from tuan.tui.members.page import MemberPageScreen

        row = self.reminder_table().current()
        if row is not None and row.member_id is not None:
            self.app.push_screen(MemberPageScreen(row.member_id))

    def action_new_reminder(self) -> None:
        """Add a manual reminder."""
        from tuan.tui.members.forms import ReminderFormScreen

        def made(reminder_id: int | None) -> None:
            if reminder_id:
                self.notify(_("提醒已添加"))
                self.reload()

        self.app.push_screen(ReminderFormScreen(), made)

    def action_run_rules(self) -> None:
        """Apply the rules now."""
        self.run_rules()
