"""接龙 Chains: every group buy with its status, deadline, entries, stock and GMV.

From here the leader creates and edits chains, opens one to take entries, exports the chain
text for WeChat and pastes a chain back in to import its entries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Static

from tuan.domain.shared.states import ChainStatus
from tuan.i18n import N_, _
from tuan.tui.shared.base import AreaScreen
from tuan.tui.shared.fast_table import FastTable
from tuan.tui.shared.host import tuan_app

if TYPE_CHECKING:
    from tuan.domain.shared.rows import ChainRow

HELP = N_(
    """接龙是每一次团购：商品、价格、限购、库存、截止时间和自提点。

列表里进行中的接龙排在最前，右边是选中接龙的商品和已售数量。

- `n` 新建接龙，`e` 编辑选中的接龙（标题、商品、价格、限购、库存、简称、截止和自提）。
- `c` 复制成下一期：商品、价格、限购、库存、说明和自提点照旧，第72期变成第73期，截止和自提时间
  按上一期到这一期的间隔顺延（没有上一期就是 7 天），存为草稿并打开表单，改好按 `ctrl+s` 保存。
- `回车` 打开接龙的条目：添加、修改、取消条目，看各商品已售、剩余和成交额。
- `x` 导出接龙文字：复制到剪贴板，同时显示出来可以手动选择；`o` 只导出开团文案（不带条目）。
- `i` 导入：把群里复制回来的接龙粘贴进来，先预览每一条怎么读的，确认后再写入。
  再次导入同一个接龙只会添加新条目、更新改过的条目，不会重复下单。
- `I`（大写）从一段接龙文字新建接龙：标题和带价格的商品从文字里读出来。
- 拼团：在商品那一行填成团人数和团购价。右边显示每个拼团商品已成团几个、哪个团还差几人；
  满员的团按团购价算，没满的先按单买价（待成团）。条目里写 `跟王阿姨的团` 参团、`开团` 开新团，
  不写就补进最早没满的团。`t` 截止后（或改成已截单后）结算没成团的团：
  按原价成交，或取消这些订单。"""
)


@dataclass(frozen=True)
class ChainsReading:
    """What the chains list shows: every chain, open ones first."""

    rows: list[ChainRow]


class ChainsScreen(AreaScreen[ChainsReading]):
    """The list of chains and the highlighted chain's items."""

    AREA = N_("接龙")
    CLOCK_TEXT = True
    HELP = HELP
    BINDINGS = [
        *AreaScreen.BINDINGS,
        Binding("n", "new_chain", N_("新建"), id="chains.new"),
        Binding("e", "edit_chain", N_("编辑"), id="chains.edit"),
        Binding("c", "copy_chain", N_("复制下一期"), id="chains.copy"),
        Binding("enter", "open_chain", N_("条目"), id="chains.open", priority=True),
        Binding("x", "export_chain", N_("导出"), id="chains.export"),
        Binding("o", "opening_post", N_("开团文案"), id="chains.opening"),
        Binding("i", "import_chain", N_("导入"), id="chains.import"),
        Binding("I", "import_new", N_("从接龙文字新建"), id="chains.import_new", show=False),
        Binding("t", "settle_teams", N_("结算拼团"), id="chains.settle_teams"),
    ]
    DEFAULT_CSS = """
    ChainsScreen #chain-table { width: 3fr; }
    ChainsScreen #chain-detail { width: 2fr; height: 100%; }
    """

    pending_select: int | None = None

    def compose_body(self) -> ComposeResult:
        with Horizontal():
            yield FastTable(id="chain-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="chain-detail", classes="panel")

    def on_mount(self) -> None:
        if not self.app.is_running:
            return  # built ahead as the app closed: its widgets are already gone
        table = self.query_one("#chain-table", DataTable)
        table.add_columns(
            _("编号"),
            _("标题"),
            _("状态"),
            _("截止"),
            _("剩余时间"),
            _("单数"),
            _("已售/库存"),
            _("成交额"),
        )
        super().on_mount()

    def fetch(self) -> ChainsReading:
        from tuan.domain.chains.listing import list_chains

        with tuan_app(self).db.session() as session:
            return ChainsReading(list_chains(session))

    def show(self, data: ChainsReading) -> None:
        from tuan.domain.chains.listing import status_label
        from tuan.domain.shared.money import format_amount
        from tuan.domain.shared.timefmt import short_datetime, time_left

        table = self.query_one("#chain-table", DataTable)
        selected = self.pending_select or self.selected_chain()
        self.pending_select = None
        table.clear()
        styles: dict[str, str] = {
            ChainStatus.OPEN: "bold green",
            ChainStatus.CLOSED: "yellow",
            ChainStatus.DRAFT: "dim",
            ChainStatus.DONE: "",
        }
        for c in data.rows:
            table.add_row(
                str(c.id),
                c.title,
                Text(status_label(c.status), style=styles.get(c.status, "")),
                short_datetime(c.deadline),
                time_left(c.deadline) if c.status == ChainStatus.OPEN else "",
                str(c.entries),
                f"{c.sold}/{c.stock}" if c.stock is not None else f"{c.sold}/{_('不限')}",
                format_amount(c.gmv_cents, bool(c.unpriced)),
                key=str(c.id),
            )
        if selected is not None and str(selected) in table.rows:
            table.move_cursor(row=table.get_row_index(str(selected)))
        self.refresh_bindings()
        if data.rows:
            self.show_detail(self.selected_chain() or data.rows[0].id)

    def selected_chain(self) -> int | None:
        """The id of the chain under the cursor, if any."""
        table = self.query_one("#chain-table", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return int(key.value) if key.value else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        needs_chain = {
            "edit_chain",
            "copy_chain",
            "open_chain",
            "export_chain",
            "opening_post",
            "import_chain",
            "settle_teams",
        }
        return not (action in needs_chain and self.is_mounted and self.selected_chain() is None)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value:
            self.show_detail(int(event.row_key.value))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open_chain()

    def action_new_chain(self) -> None:
        """Create a chain in its form."""
        from tuan.tui.chains.form import ChainFormScreen

        self.app.push_screen(ChainFormScreen(None), self._chain_saved)

    def action_edit_chain(self) -> None:
        """Edit the highlighted chain in its form."""
        from tuan.tui.chains.form import ChainFormScreen

        chain_id = self.selected_chain()
        if chain_id is not None:
            self.app.push_screen(ChainFormScreen(chain_id), self._chain_saved)

    def action_copy_chain(self) -> None:
        """Copy the highlighted chain as the next period (a draft) and open its form."""
        chain_id = self.selected_chain()
        if chain_id is not None:
            self._copy(chain_id)

    @work(thread=True, exclusive=True, group="chain-copy")
    def _copy(self, chain_id: int) -> None:
        from tuan.domain.chains.copy import ChainCopyError, copy_chain

        try:
            with tuan_app(self).db.transaction() as session:
                new_id = copy_chain(session, chain_id).chain.id
        except ChainCopyError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error")
            return
        if new_id is not None:
            self.app.call_from_thread(self._copied, new_id)

    def _copied(self, chain_id: int) -> None:
        """The copy is saved as a draft: select it in the list and open its form to adjust."""
        from tuan.tui.chains.form import ChainFormScreen

        self.notify(_("已复制为草稿接龙 {id}，改好后按 ctrl+s 保存").format(id=chain_id))
        self.reload_and_select(chain_id)
        self.app.push_screen(ChainFormScreen(chain_id), self._chain_saved)

    def _chain_saved(self, saved: int | None) -> None:
        if saved is not None:
            self.notify(_("已保存接龙 {id}").format(id=saved))
            self.reload_and_select(saved)

    def reload_and_select(self, chain_id: int) -> None:
        """Reload the list and put the cursor on this chain."""
        self.pending_select = chain_id
        self.reload()

    def action_open_chain(self) -> None:
        """Open the highlighted chain's entries."""
        from tuan.tui.chains.entries import ChainEntriesScreen

        chain_id = self.selected_chain()
        if chain_id is not None:
            self.app.push_screen(ChainEntriesScreen(chain_id))

    def action_export_chain(self) -> None:
        """Copy the highlighted chain's text and show it."""
        self._export(with_entries=True)

    def action_opening_post(self) -> None:
        """Copy the opening post (no entries) and show it."""
        self._export(with_entries=False)

    def _export(self, *, with_entries: bool) -> None:
        from tuan.tui.chains.export import ChainExportScreen

        chain_id = self.selected_chain()
        if chain_id is not None:
            self.app.push_screen(ChainExportScreen(chain_id, with_entries=with_entries))

    def action_import_chain(self) -> None:
        """Paste a chain copied from WeChat into the highlighted chain."""
        from tuan.tui.chains.import_ import ChainImportScreen

        chain_id = self.selected_chain()
        if chain_id is not None:
            self.app.push_screen(ChainImportScreen(chain_id), self._imported)

    def action_import_new(self) -> None:
        """Paste a chain from WeChat and create a new chain from its header and entries."""
        from tuan.tui.chains.import_ import ChainImportScreen

        self.app.push_screen(ChainImportScreen(None), self._imported)

    def _imported(self, chain_id: int | None) -> None:
        if chain_id is not None:  # the new chain (or the one filled) is the one to look at next
            self.reload_and_select(chain_id)

    def action_settle_teams(self) -> None:
        """Settle the highlighted chain's unfilled 拼团 teams, as the leader chooses."""
        chain_id = self.selected_chain()
        if chain_id is not None:
            self._load_teams(chain_id)

    @work(thread=True, exclusive=True, group="chain-teams")
    def _load_teams(self, chain_id: int) -> None:
        from tuan.domain.chains.teams_view import settle_choice_text, teams_view

        with tuan_app(self).db.session() as session:
            view = teams_view(session, chain_id)
        if not view.items:
            message, severity = _("这个接龙没有拼团商品：在编辑里填成团人数和团购价"), "warning"
        elif not view.unfilled:
            message, severity = _("没有待成团的团，不用结算"), "information"
        elif not view.can_settle:
            message = _("接龙还没截止：截止后（或先把接龙改成已截单）再结算没成团的团")
            severity = "warning"
        else:
            self.app.call_from_thread(self._ask_settle, chain_id, settle_choice_text(view))
            return
        self.app.call_from_thread(self.notify, message, severity=severity)

    def _ask_settle(self, chain_id: int, text: str) -> None:
        from tuan.tui.chains.settle_teams import SettleTeamsScreen

        def chosen(mode: str | None) -> None:
            if mode:
                self._settle(chain_id, mode)

        self.app.push_screen(SettleTeamsScreen(text), chosen)

    @work(thread=True, exclusive=True, group="chain-teams")
    def _settle(self, chain_id: int, mode: str) -> None:
        from tuan.domain.chains.teams_view import settled_message
        from tuan.domain.shared.teams import TeamError, settle_teams

        try:
            with tuan_app(self).db.transaction() as session:
                done = settle_teams(session, chain_id, mode)
        except TeamError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error")
            return
        self.app.call_from_thread(self.notify, settled_message(done))
        self.app.call_from_thread(self.reload_and_select, chain_id)

    def show_detail(self, chain_id: int) -> None:
        """Load the highlighted chain's items beside the list."""
        self.run_worker(lambda: self._detail(chain_id), thread=True, exclusive=True, group="detail")

    def _detail(self, chain_id: int) -> None:
        from tuan.domain.chains.listing import chain_items, missing_prices, sold_unpriced
        from tuan.domain.chains.teams_view import teams_view
        from tuan.domain.dashboard.metrics import chain_margins
        from tuan.tui.chains.totals import items_text, margin_text

        with tuan_app(self).db.session() as session:
            items = chain_items(session, chain_id)
            margin, by_item = chain_margins(session, chain_id)
            teams = teams_view(session, chain_id)
        text = Text(_("商品") + "\n", style="bold")
        text.append_text(items_text(items, by_item))
        missing = missing_prices(items)
        text.append_text(margin_text(margin, unpriced_sold=sold_unpriced(items)))
        text.append("\n")
        if teams.items:  # 拼团: formed so far, and the teams still missing people
            text.append("\n" + _("拼团") + "\n", style="bold")
            for item in teams.items:
                text.append(item.line() + "\n")
        if missing:  # imported without prices: lead the leader to fill them in
            line = _("价格待定：{names} — 按 e 填写").format(names=_("、").join(missing))
            text.append("\n" + line + "\n", style="bold yellow")
        self.app.call_from_thread(self.query_one("#chain-detail", Static).update, text)
