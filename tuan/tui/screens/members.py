"""团员 Members: search by nickname, room, pinyin initials or phone tail; spend and source."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static

from tuan.i18n import _
from tuan.tui.screens.base import AreaScreen

HELP = """团员是群里的邻居：楼栋房号、来源（哪个合作点位的海报、谁推荐的）、标签、KOC 和消费。

在搜索框输入昵称、房号（1202 或 3-1202）、拼音首字母（wy 找到王阿姨）或手机尾号。"""


class MembersScreen(AreaScreen):
    """The members list with search."""

    AREA = _("团员")
    HELP = HELP
    BINDINGS = [
        *AreaScreen.BINDINGS,
        Binding("slash", "search", _("搜索"), id="members.search"),
        Binding("escape", "clear_search", _("清除搜索"), id="members.clear", show=False),
    ]
    DEFAULT_CSS = """
    MembersScreen #member-count { height: 1; padding: 0 1; color: $text-muted; }
    """

    def compose_body(self) -> ComposeResult:
        yield Input(placeholder=_("搜索：昵称 / 房号 / 拼音首字母 / 手机尾号"), id="member-search")
        yield Static("", id="member-count")
        yield DataTable(id="member-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.query_one("#member-table", DataTable).add_columns(
            _("编号"),
            _("昵称"),
            _("房号"),
            _("手机"),
            _("来源"),
            _("来源详情"),
            "KOC",
            _("入群"),
            _("订单"),
            _("累计消费"),
            _("最近下单"),
        )
        super().on_mount()

    def action_search(self) -> None:
        """Focus the search box."""
        self.query_one("#member-search", Input).focus()

    def action_clear_search(self) -> None:
        """Empty the search box and go back to the list."""
        self.query_one("#member-search", Input).value = ""
        self.query_one("#member-table", DataTable).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.reload()

    def fetch(self) -> Any:
        from tuan.domain.members import list_members

        query = self.query_one("#member-search", Input).value
        with self.app.db.session() as session:  # type: ignore[attr-defined]
            return list_members(session, query)

    def show(self, data: Any) -> None:
        from tuan.domain.members import source_label
        from tuan.domain.money import format_money
        from tuan.domain.people import mask_phone
        from tuan.domain.rooms import format_room
        from tuan.domain.timefmt import short_datetime

        rows, total = data
        shown = _("共 {total} 人").format(total=total)
        if total > len(rows):
            shown += _("，显示消费最高的 {n} 人，输入搜索缩小范围").format(n=len(rows))
        self.query_one("#member-count", Static).update(shown)
        table = self.query_one("#member-table", DataTable)
        table.clear()
        table.add_rows(
            (
                str(m.id),
                m.nickname,
                format_room(m.building, m.room),
                mask_phone(m.phone),
                source_label(m.source),
                m.source_detail,
                "KOC" if m.is_koc else "",
                m.joined_on.isoformat(),
                str(m.orders),
                format_money(m.ltv_cents),
                short_datetime(m.last_order_at),
            )
            for m in rows
        )
