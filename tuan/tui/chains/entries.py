"""One chain's entries (接龙条目): sequence, member, room, items, amount, note, and the totals.

Pushed from the chains list with Enter. The leader adds, edits and cancels entries from the
keyboard; totals per item (sold, left) and the GMV beside the list follow every change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Static

from tuan.domain.shared.states import OrderStatus
from tuan.i18n import N_, _
from tuan.tui.chains.totals import ChainTotals
from tuan.tui.shared.base import AreaScreen
from tuan.tui.shared.fast_table import FastTable
from tuan.tui.shared.host import tuan_app

if TYPE_CHECKING:
    from tuan.domain.chains.entries import ChainView, EntryRow
    from tuan.domain.dashboard.metrics import Margin

HELP = N_(
    """一个接龙的所有条目：接龙序号、团员、房号、商品和数量、金额、备注。
右边是各商品已售、剩余和成交额。

- `a` 添加条目：输入昵称、房号（1202 或 3-1202）或拼音首字母（wy）找到团员，找不到就当场新建；
  回车选第一位，对上好几位时紧接着按列表前的数字（1–9）直接选。再输入商品和数量，例如
  `套装2 亚麻1`，商品也可写拼音首字母或编号：`tz2`、`A2`。ctrl+s 随时保存：`wy⏎tz2` 加
  ctrl+s 就记下一条。库存不够或超出限购会在保存前说明。
  团员有可用的券时表单里多一项「用券」：Tab 到那里选一张，这单应付的金额减去券的金额；
  取消条目时券退回给团员。
- `e` 或 `回车` 修改选中的条目，`d` 取消条目（会先确认；取消后序号保留，库存退回）。
- `f` 退款/售后：选商品，填退几件、退多少钱（按下单单价自动算）、原因（坏果、少发、质量、其他）；
  退掉的件数自提时不再发，金额从成交额和应付款里扣掉。有退款的条目状态栏写着“退1”；
  `F` 查看这一单的退款记录，在那里按 `d` 删除一笔。
- `x` 导出接龙文字，`o` 开团文案，`i` 粘贴群里的接龙导入，`esc` 回到接龙列表。"""
)


@dataclass(frozen=True)
class EntriesReading:
    """One chain's entries and totals (`view` None: no such chain), and its gross profit."""

    view: ChainView | None
    margin: Margin
    teams: dict[int, str] = field(default_factory=dict)  # order id → its 拼团 state


class ChainEntriesScreen(AreaScreen[EntriesReading]):
    """The entries of one chain with live totals."""

    AREA = N_("接龙")
    HELP = HELP
    BINDINGS = [
        *AreaScreen.BINDINGS,
        Binding("a", "add_entry", N_("添加条目"), id="entries.add"),
        Binding("e", "edit_entry", N_("修改"), id="entries.edit"),
        Binding("d", "cancel_entry", N_("取消条目"), id="entries.cancel"),
        Binding("f", "refund", N_("退款"), id="entries.refund"),
        Binding("F", "refunds", N_("退款记录"), id="entries.refunds", show=False),
        Binding("x", "export_chain", N_("导出"), id="entries.export"),
        Binding("o", "opening_post", N_("开团文案"), id="entries.opening", show=False),
        Binding("i", "import_chain", N_("导入"), id="entries.import"),
        Binding("escape", "back", N_("返回"), id="entries.back"),
    ]
    DEFAULT_CSS = """
    ChainEntriesScreen #entries-title { height: 1; padding: 0 1; text-style: bold; }
    ChainEntriesScreen #entry-table { width: 3fr; }
    ChainEntriesScreen #entry-totals { width: 1fr; min-width: 30; }
    """

    def __init__(self, chain_id: int) -> None:
        super().__init__()
        self.chain_id = chain_id
        self.view: ChainView | None = None

    def compose_body(self) -> ComposeResult:
        yield Static("", id="entries-title")
        with Horizontal():
            yield FastTable(id="entry-table", cursor_type="row", zebra_stripes=True)
            yield ChainTotals(id="entry-totals")

    def on_mount(self) -> None:
        self.query_one("#entry-table", DataTable).add_columns(
            _("序号"), _("团员"), _("房号"), _("商品"), _("金额"), _("备注"), _("状态")
        )
        super().on_mount()

    def fetch(self) -> EntriesReading:
        from tuan.domain.chains.entries import chain_view
        from tuan.domain.chains.teams_view import entry_team_states
        from tuan.domain.dashboard.metrics import chain_margins

        with tuan_app(self).db.session() as session:
            view = chain_view(session, self.chain_id)
            teams = entry_team_states(session, self.chain_id)
            return EntriesReading(view, chain_margins(session, self.chain_id)[0], teams)

    def show(self, reading: EntriesReading) -> None:
        from tuan.domain.chains.entries import items_text, project_totals
        from tuan.domain.chains.listing import status_label
        from tuan.domain.shared.money import format_amount

        data, margin = reading.view, reading.margin
        if data is None:
            self.notify(_("找不到接龙 {id}").format(id=self.chain_id), severity="error")
            return
        self.view = data
        active = [e for e in data.entries if e.status == OrderStatus.ACTIVE]
        title = f"{data.title}  [{status_label(data.status)}]"
        self.query_one("#entries-title", Static).update(title)
        table = self.query_one("#entry-table", DataTable)
        selected = self.selected_entry()
        table.clear()
        items = {item.id: item for item in data.items}
        for e in data.entries:
            cancelled = e.status != OrderStatus.ACTIVE
            style = "dim strike" if cancelled else ""
            table.add_row(
                e.number,
                Text(e.nickname, style=style),
                e.room,
                Text(items_text(e.items, items), style=style),
                Text(format_amount(e.amount_cents, _unpriced(e.items, items)), style=style),
                e.note,
                _status_cell(cancelled, e.refund.short, reading.teams.get(e.order_id)),
                key=str(e.order_id),
            )
        if selected is not None and str(selected.order_id) in table.rows:
            table.move_cursor(row=table.get_row_index(str(selected.order_id)))
        totals, gmv = project_totals(data.items, data.gmv_cents, ())
        self.query_one("#entry-totals", ChainTotals).show_totals(totals, gmv, len(active), margin)
        self.refresh_bindings()

    def selected_entry(self) -> EntryRow | None:
        """The entry under the cursor, if any."""
        table = self.query_one("#entry-table", DataTable)
        if self.view is None or not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((e for e in self.view.entries if str(e.order_id) == key), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.is_mounted:
            return True
        if action in ("edit_entry", "cancel_entry", "refund", "refunds"):
            entry = self.selected_entry()
            if entry is None:
                return False
            if action in ("cancel_entry", "refund") and entry.status != OrderStatus.ACTIVE:
                return False
        return not (action == "add_entry" and self.view is None)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_edit_entry()

    def action_add_entry(self) -> None:
        """Add an entry in the entry form."""
        self._entry_form(None)

    def action_edit_entry(self) -> None:
        """Change the highlighted entry's items and note."""
        entry = self.selected_entry()
        if entry is not None:
            self._entry_form(entry)

    def _entry_form(self, entry: EntryRow | None) -> None:
        from tuan.tui.chains.entry_form import EntryFormScreen

        if self.view is not None:
            self.app.push_screen(EntryFormScreen(self.view, entry), self._entry_saved)

    def _entry_saved(self, message: str | None) -> None:
        if message:
            self.notify(message)
            self.reload()

    def action_cancel_entry(self) -> None:
        """Cancel the highlighted entry after the leader confirms."""
        from tuan.tui.shared.confirm import ConfirmScreen

        entry = self.selected_entry()
        if entry is None or entry.status != OrderStatus.ACTIVE:
            return
        question = _("取消第 {seq} 条（{name}）？库存会退回，序号保留。").format(
            seq=entry.number, name=entry.nickname
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self._cancel(entry.order_id, entry.seq)

        self.app.push_screen(ConfirmScreen(question, _("取消条目")), answered)

    @work(thread=True, exclusive=True, group="entry-write")
    def _cancel(self, order_id: int, seq: int) -> None:
        from tuan.domain.chains.entries import cancel_entry

        with tuan_app(self).db.transaction() as session:
            cancel_entry(session, order_id)
        self.app.call_from_thread(self.notify, _("已取消第 {seq} 条").format(seq=seq))
        self.app.call_from_thread(self.reload)

    def action_refund(self) -> None:
        """Refund pieces or money of the highlighted entry (退款/售后)."""
        from tuan.tui.shared.refunds import RefundFormScreen

        entry = self.selected_entry()
        if entry is not None and entry.status == OrderStatus.ACTIVE:
            self.app.push_screen(RefundFormScreen(entry.order_id, _who(entry)), self._entry_saved)

    def action_refunds(self) -> None:
        """The highlighted entry's refunds, to take one back."""
        from tuan.tui.shared.refunds import RefundListScreen

        entry = self.selected_entry()
        if entry is not None:
            self.app.push_screen(RefundListScreen(entry.order_id, _who(entry)), self._entry_saved)

    def action_export_chain(self) -> None:
        """Copy this chain's text and show it."""
        from tuan.tui.chains.export import ChainExportScreen

        self.app.push_screen(ChainExportScreen(self.chain_id, with_entries=True))

    def action_opening_post(self) -> None:
        """Copy this chain's opening post and show it."""
        from tuan.tui.chains.export import ChainExportScreen

        self.app.push_screen(ChainExportScreen(self.chain_id, with_entries=False))

    def action_import_chain(self) -> None:
        """Paste this chain back from WeChat and import its entries."""
        from tuan.tui.chains.import_ import ChainImportScreen

        self.app.push_screen(ChainImportScreen(self.chain_id))

    def action_back(self) -> None:
        """Back to the chains list."""
        self.app.pop_screen()


def _who(entry: EntryRow) -> str:
    """`第3号 王阿姨`."""
    return _("第{seq}号 {name}").format(seq=entry.number, name=entry.nickname)


def _status_cell(cancelled: bool, refund: str, team: str | None = None) -> Text:
    """`有效` (or the entry's 拼团 state), `已取消`, with `退1` after it when it has refunds."""
    cell = Text(_("已取消"), style="dim") if cancelled else Text(team or _("有效"))
    if refund:
        cell.append(f" {refund}", style="magenta")
    return cell


def _unpriced(lines: tuple[tuple[int, int], ...], items: dict[int, Any]) -> bool:
    """Whether an entry holds an item whose price is not known yet (its amount reads 待定)."""
    return any(not getattr(items.get(item_id), "price_known", True) for item_id, _qty in lines)
