"""A member's page: profile, tags, orders, points, reminders and referrals, and what to do next."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from tuan.domain.shared.states import CouponStatus, ReminderStatus
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
    from tuan.domain.members.edit import MemberForm
    from tuan.domain.members.page import MemberPage

HELP = N_(
    """团员页是一位邻居的全部：资料（完整手机号只在这里显示）、标签、订单历史、累计消费、
积分流水、跟进提醒，以及推荐关系（KOC 还有每月佣金）。

- `t` 标签：数字键一下加上或去掉，`n` 新建标签。自动标签由规则维护。
- `e` 编辑资料：房号、手机号格式会检查；重名会提醒你确认。
- `p` 记积分：签到、分享、晒单、月度最佳厨艺奖，兑换商品，或更正（流水只追加不修改）。
- `m` 新提醒；在「提醒」页：`c` 复制消息、`d` 完成、`s` 推迟。
- `g` 发券：金额、门槛（满多少可用）、有效期（天数或日期）和原因。「券」页列出这位团员的券：
  可用、已用（用在哪一单）和已过期的；沉睡唤醒和老带新的券由规则自动发放。
- `[` `]` 切换下方的页签，Esc 返回列表。"""
)

TABS = ["tab-orders", "tab-points", "tab-reminders", "tab-referrals", "tab-coupons"]


@dataclass(frozen=True)
class MemberPageReading:
    """A member's page and the form to edit them; both None once the member is gone."""

    page: MemberPage | None
    form: MemberForm | None = None


class MemberPageScreen(ReminderActions[MemberPageReading]):
    """Everything about one member."""

    HELP = HELP
    RELOAD_ON_RESUME = True  # back from a form or another member: their figures may have moved
    BINDINGS = [
        Binding("escape", "back", N_("返回"), id="member.back"),
        Binding("t", "tags", N_("标签"), id="member.tags"),
        Binding("e", "edit", N_("编辑"), id="member.edit"),
        Binding("p", "points", N_("记积分"), id="member.points"),
        Binding("m", "new_reminder", N_("新提醒"), id="member.remind"),
        Binding("g", "coupon", N_("发券"), id="member.coupon"),
        *REMINDER_BINDINGS,
        Binding("left_square_bracket", "tab(-1)", N_("上一页签"), id="member.prev_tab", show=False),
        Binding("right_square_bracket", "tab(1)", N_("下一页签"), id="member.next_tab", show=False),
        Binding("ctrl+r", "reload", N_("刷新"), id="member.reload", show=False),
    ]
    DEFAULT_CSS = """
    MemberPageScreen #member-body { height: 1fr; }
    MemberPageScreen #member-side { width: 44; }
    MemberPageScreen #member-profile { height: auto; }
    MemberPageScreen #member-tags { height: auto; }
    MemberPageScreen TabbedContent { width: 1fr; }
    MemberPageScreen #member-reminder-message { height: auto; min-height: 3; }
    MemberPageScreen #member-tree { height: auto; }
    """

    def __init__(self, member_id: int) -> None:
        super().__init__()
        self.member_id = member_id
        self.page: MemberPage | None = None
        self.form: MemberForm | None = None

    def compose(self) -> ComposeResult:
        yield TopBar(self.AREA)
        with Horizontal(id="member-body"):
            with Vertical(id="member-side"):
                yield Static(_("加载中…"), id="member-profile", classes="panel")
                yield Static("", id="member-tags", classes="panel")
            with TabbedContent(id="member-tabs"):
                with TabPane(_("订单"), id="tab-orders"):
                    yield DataTable(id="member-orders", cursor_type="row", zebra_stripes=True)
                with TabPane(_("积分"), id="tab-points"):
                    yield DataTable(id="member-ledger", cursor_type="row", zebra_stripes=True)
                with TabPane(_("提醒"), id="tab-reminders"):
                    yield ReminderTable(show_member=False, id="member-reminders")
                    yield Static("", id="member-reminder-message", classes="panel")
                with TabPane(_("推荐"), id="tab-referrals"):
                    yield Static("", id="member-tree")
                with TabPane(_("券"), id="tab-coupons"):
                    yield DataTable(id="member-coupons", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        orders = self.query_one("#member-orders", DataTable)
        orders.add_columns(_("下单"), _("接龙"), _("商品"), _("金额"), _("付款"), _("自提"))
        ledger = self.query_one("#member-ledger", DataTable)
        ledger.add_columns(_("时间"), _("积分"), _("余额"), _("类型"), _("说明"))
        coupons = self.query_one("#member-coupons", DataTable)
        coupons.add_columns(
            _("券"), _("金额"), _("门槛"), _("到期"), _("状态"), _("来源"), _("说明")
        )
        self.reload()

    def fetch(self) -> MemberPageReading:
        """The member's page (None once the member is gone), and their form for editing."""
        from tuan.domain.members.edit import form_for
        from tuan.domain.members.page import MemberNotFound, member_page

        try:
            with tuan_app(self).db.session() as session:
                page = member_page(session, self.member_id)
                return MemberPageReading(page, form_for(session, page.member))
        except MemberNotFound:
            return MemberPageReading(None)

    def show(self, data: MemberPageReading) -> None:
        """Put the member on screen."""
        from tuan.tui.members import page_panels as panels

        page = data.page
        if page is None:
            self.notify(_("这位团员已不存在"), severity="error")
            self.dismiss()
            return
        self.page, self.form = page, data.form
        self.query_one("#member-profile", Static).update(panels.profile(page))
        self.query_one("#member-tags", Static).update(panels.tags(page))
        panels.fill_orders(self.query_one("#member-orders", DataTable), page)
        panels.fill_ledger(self.query_one("#member-ledger", DataTable), page)
        self.query_one("#member-tree", Static).update(panels.referrals(page))
        panels.fill_coupons(self.query_one("#member-coupons", DataTable), page)
        self.refresh_reminders_table()
        tabs = self.query_one(TabbedContent)
        tabs.get_tab("tab-orders").label = _("订单 {n}").format(n=len(page.orders))
        open_count = sum(1 for r in page.reminders if r.status == ReminderStatus.OPEN)
        tabs.get_tab("tab-reminders").label = _("提醒 {n}").format(n=open_count)
        usable = sum(1 for c in page.coupons if c.status == CouponStatus.USABLE)
        tabs.get_tab("tab-coupons").label = _("券 {n}").format(n=usable)
        self.refresh_bindings()

    # --- reminders (ReminderActions) ---------------------------------------------------------

    def reminder_table(self) -> ReminderTable:
        """The page's reminder table."""
        return self.query_one("#member-reminders", ReminderTable)

    def refresh_reminders_table(self) -> None:
        """Open reminders first, then done ones."""
        from tuan import clock

        rows = self.page.reminders if self.page else []
        self.reminder_table().fill([("", rows)], clock.today())
        self._show_message()

    def _show_message(self) -> None:
        row = self.reminder_table().current()
        text = Text(row.message or row.title) if row else Text(_("没有提醒"), style="dim")
        self.query_one("#member-reminder-message", Static).update(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "member-reminders":
            self._show_message()
        self.refresh_bindings()

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in REMINDER_ACTIONS:
            if self.query_one(TabbedContent).active != "tab-reminders":
                return False
            return self.reminder_action_allowed(action)
        if action in ("tags", "edit", "points", "new_reminder", "coupon"):
            return self.page is not None
        return True

    # --- actions -----------------------------------------------------------------------------

    def action_back(self) -> None:
        """Back to the members list."""
        self.dismiss()

    def action_tab(self, step: int) -> None:
        """Show the previous or next tab."""
        tabs = self.query_one(TabbedContent)
        index = TABS.index(tabs.active) if tabs.active in TABS else 0
        tabs.active = TABS[(index + step) % len(TABS)]

    def _after(self, changed: object, message: str) -> None:
        if changed:
            self.notify(message)
            self.reload()

    def _nickname(self) -> str:
        return self.page.member.nickname if self.page is not None else ""

    def action_tags(self) -> None:
        """Put tags on or take them off."""
        from tuan.tui.members.modals import TagPicker

        picker = TagPicker(self.member_id, self._nickname())
        self.app.push_screen(picker, lambda changed: self._after(changed, _("标签已更新")))

    def action_edit(self) -> None:
        """Edit the member's details."""
        from tuan.tui.members.forms import MemberFormScreen

        screen = MemberFormScreen(self.member_id, self.form)
        self.app.push_screen(screen, lambda saved: self._after(saved, _("资料已保存")))

    def action_points(self) -> None:
        """Record points: an action, a redemption or a correction."""
        from tuan.tui.members.forms import PointsFormScreen

        screen = PointsFormScreen(self.member_id, self._nickname())
        self.app.push_screen(screen, lambda saved: self._after(saved, _("积分已记下")))

    def action_new_reminder(self) -> None:
        """Add a reminder for this member."""
        from tuan.tui.members.forms import ReminderFormScreen

        screen = ReminderFormScreen(self._nickname(), self.member_id)
        self.app.push_screen(screen, lambda made: self._after(made, _("提醒已添加")))

    def action_coupon(self) -> None:
        """Give the member a coupon by hand."""
        from tuan.tui.members.coupon_form import CouponFormScreen

        screen = CouponFormScreen(self.member_id, self._nickname())
        self.app.push_screen(screen, lambda made: self._after(made, str(made or "")))
