"""自提 Pickup: tick off who collected what, search as you type, the sorting list, exports.

The chosen chain's checklist is read once (in a worker) and kept in memory: typing in the search
box filters those rows at once, and the table holds one page of them at a time (more are added
as the cursor nears the end), so a 2,000-order chain stays quick. Marks are written by a serial
writer in a thread and the changed rows are read back.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.widgets import ContentSwitcher, DataTable, Input
from textual.worker import Worker, WorkerState, get_current_worker

from tuan.domain.shared.states import PickupState
from tuan.domain.shared.width import cells as cell_width
from tuan.i18n import N_, _, ngettext
from tuan.tui.pickup.actions import PickupActions, PickupReading
from tuan.tui.pickup.sorting import SortingView
from tuan.tui.pickup.summary import PickupSummary
from tuan.tui.shared.base import AreaScreen
from tuan.tui.shared.fast_table import FastTable
from tuan.tui.shared.host import tuan_app
from tuan.tui.shared.textual_private import SteadyInput

if TYPE_CHECKING:
    from textual.widget import AwaitMount

HELP = N_(
    """自提日用的核对清单：每一单一行，按楼栋和房号排序，一户人家的订单排在一起。

- 左边选接龙，右边是它的清单；Tab 在两边之间切换焦点。
- 顶部进度条是已领取的单数；红字是未付款的单数和合计金额。
- `/` 搜索：序号、昵称、房号（1202 或 3-1202）、拼音首字母（wy）、手机尾号。
- 边打字边筛选；回车回到清单，Esc 清空搜索。
- 空格：整单领取，再按一次取消。
- 回车：逐项填写已领数量（部分领取）。
- `h`：同一户（同楼栋同房号）的订单全部领取。
- `u`：撤销最近的标记（本次打开以来的领取和付款标记）。
- `c` 只看未领取；`n` 只看未付款（部分付款的也算）；`p` 记录这一单已付或未付（付款在微信里完成）。
- 紫字「多付¥10」：收到的钱比应付的多（付款后拼团成了、付款后用了券）；
  在微信里退给团员后按 `o` 记下。
- `b`：导入微信或支付宝的账单，收到的转账、群收款和红包自动对上未付的订单。
- `r`：复制这一单的催款消息；`R`：复制这个接龙所有未付订单的催款消息。
- `s`：分拣单，有商品合计、按楼栋分、赠品名单和感谢卡张数。
- `e`：导出 PDF（A4，可打勾）、Excel、快团团订单表、CSV 或纯文本；手机号默认打码。
- `t`：自提时间过后，为没取货的订单生成跟进提醒，在团员页的提醒里。
- `f`：退款/售后（坏果、少发、质量、其他）：退掉的件数不再发，商品栏写着“退1”，金额和催款都扣掉；
  `F`：这一单的退款记录，在那里按 `d` 删除一笔。"""
)

ITEMS_COLUMN = 3
PAGE = 50  # rows added to the table at a time; more follow as the cursor nears the end
TITLES = (N_("序号"), N_("团员"), N_("房号"), N_("商品"), N_("金额"), N_("付款"), N_("领取"))
MIN_WIDTHS = (4, 6, 6, 10, 8, 4, 8)
MAX_WIDTHS = (6, 14, 10, 48, 12, 10, 10)  # status columns: room for English labels, 多付¥10


def natural_widths(cells: dict[int, tuple[Any, ...]]) -> list[int]:
    """Column widths that fit every row's cells (within bounds), in terminal cells."""
    widths = list(MIN_WIDTHS)
    for row in cells.values():
        widths = [max(w, cell_width(str(c))) for w, c in zip(widths, row, strict=True)]
    return [min(w, top) for w, top in zip(widths, MAX_WIDTHS, strict=True)]


def paid_cell(row: Any) -> Text:
    """`已付`, `多付¥10` (more came than is due: to give back), `部分付` (some money came,
    not all of it) or `未付`."""
    if row.overpaid_cents > 0:
        from tuan.domain.pickup.checklist import paid_mark

        return Text(paid_mark(row), style="bold magenta")
    if row.paid:
        return Text(_("已付"))
    if row.partly_paid:
        return Text(_("部分付"), style="bold yellow")
    return Text(_("未付"), style="bold red")


def _items_cell(items: str, refund: str) -> Text:
    """What to hand out, with `退1` after it when the order has refunds."""
    cell = Text(items)
    if refund:
        cell.append(f"  {refund}", style="magenta")
    return cell


class PickupScreen(PickupActions):
    """Chains being collected and the selected chain's checklist or sorting list."""

    AREA = N_("自提")
    HELP = HELP
    AUTO_FOCUS = "#checklist"
    BINDINGS: ClassVar[list[BindingType]] = [
        *AreaScreen.BINDINGS,
        # A priority key acts at once, so the keys typed right after it land in the box.
        Binding("slash", "search", N_("搜索"), id="pickup.search", priority=True),
        Binding("space", "toggle_collect", N_("领取"), id="pickup.collect"),
        Binding("enter", "collect_lines", N_("部分领取"), id="pickup.partial", show=False),
        Binding("h", "collect_household", N_("整户领取"), id="pickup.household"),
        Binding("u", "undo", N_("撤销"), id="pickup.undo"),
        Binding("p", "toggle_paid", N_("付款"), id="pickup.paid", show=False),
        Binding("o", "give_back", N_("退还多付"), id="pickup.give_back", show=False),
        Binding("c", "only_uncollected", N_("只看未领"), id="pickup.uncollected", show=False),
        Binding("n", "only_unpaid", N_("只看未付"), id="pickup.unpaid", show=False),
        Binding("s", "toggle_sorting", N_("分拣单"), id="pickup.sorting"),
        Binding("e", "export", N_("导出"), id="pickup.export"),
        Binding("t", "remind", N_("未取提醒"), id="pickup.remind", show=False),
        Binding("f", "refund", N_("退款"), id="pickup.refund", show=False),
        Binding("F", "refunds", N_("退款记录"), id="pickup.refunds", show=False),
        Binding("b", "import_bill", N_("导入账单"), id="pickup.bill", show=False),
        Binding("r", "remind_pay", N_("催款（这一单）"), id="pickup.remind_pay", show=False),
        Binding(
            "R", "remind_pay_all", N_("催款（全部未付）"), id="pickup.remind_pay_all", show=False
        ),
        Binding("escape", "clear_search", N_("清除搜索"), id="pickup.clear", show=False),
    ]
    DEFAULT_CSS = """
    PickupScreen #pickup-chains { width: 54; }
    PickupScreen #pickup-search { margin: 0; }
    PickupScreen #pickup-views { height: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.init_state()

    def compose_body(self) -> ComposeResult:
        with Horizontal():
            yield FastTable(id="pickup-chains", cursor_type="row")
            with Vertical():
                yield PickupSummary(id="pickup-summary")
                yield SteadyInput(
                    placeholder=_("搜索：序号 / 昵称 / 房号 1202 或 3-1202 / 拼音首字母 wy"),
                    id="pickup-search",
                )
                with ContentSwitcher(initial="checklist", id="pickup-views"):
                    yield FastTable(id="checklist", cursor_type="row", zebra_stripes=True)
                    # The sorting list (hidden until `s`) is built after the first frame.

    def on_mount(self) -> None:
        if not self.app.is_running:
            return  # built ahead as the app closed: its widgets are already gone
        self.query_one("#pickup-chains", DataTable).add_columns(_("接龙"), _("自提时间"))
        self.set_columns(natural_widths({}))
        super().on_mount()
        # What the first frame can do without (the sorting list, hidden; the progress bar, in
        # its place): built right after it, which made the area's first frame ~8 ms quicker.
        self.call_after_refresh(self.build_later)

    def build_later(self) -> AwaitMount | None:
        """Build the sorting list and the progress bar, unless done (or the app is closing)."""
        if not self.is_attached or not self.app.is_running:
            return None
        try:
            self.query_one(PickupSummary).build_progress()
            if self.query("#sorting"):
                return None
            view = SortingView(id="sorting")
            view.display = False  # the switcher shows it when it becomes current
            return self.query_one(ContentSwitcher).mount(view)
        except NoMatches:  # closing: the widgets are already gone
            return None

    def set_columns(self, widths: list[int]) -> None:
        """Columns of fixed width (from `natural_widths`); products take what is left.

        Fixed widths keep columns still while the leader types, and spare the table from
        re-measuring on idle (rows painted before that would keep stale widths).
        """
        table = self.query_one("#checklist", DataTable)
        table.clear(columns=True)
        widths = list(widths)
        if table.size.width:  # the products column takes what is left (scrollbar: 2 cells)
            others = sum(w + 2 for i, w in enumerate(widths) if i != ITEMS_COLUMN)
            widths[ITEMS_COLUMN] = max(min(widths[ITEMS_COLUMN], table.size.width - 4 - others), 10)
        pairs = zip((_(t) for t in TITLES), widths, strict=True)
        self.columns = [table.add_column(title, width=width) for title, width in pairs]

    def fetch(self) -> PickupReading:
        from tuan.domain.pickup.checklist import pickup_chains

        with tuan_app(self).db.session() as session:
            return PickupReading(pickup_chains(session))

    def show(self, data: PickupReading) -> None:
        from tuan.domain.shared.timefmt import time_window

        self.chains = {chain.id: chain for chain in data.chains}
        table = self.query_one("#pickup-chains", DataTable)
        table.clear()
        for chain in data.chains:
            window = time_window(chain.pickup_start, chain.pickup_end)
            table.add_row(chain.title, window, key=str(chain.id))
        if self.chain_id in self.chains:
            table.move_cursor(row=table.get_row_index(str(self.chain_id)))
        if not data.chains:
            self.query_one(PickupSummary).show_message(
                _("还没有待自提的接龙：接龙进行中或截单后会出现在这里。")
            )

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "pickup-chains" and event.row_key.value:
            self.load_checklist(int(event.row_key.value))
        elif event.data_table.id == "checklist" and event.cursor_row >= self.loaded - 10:
            self.append_page()

    def on_fast_table_near_end(self, _event: FastTable.NearEnd) -> None:
        if self.loaded < len(self.shown):
            self.append_page()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "pickup-chains":
            self.query_one("#checklist", DataTable).focus()
        else:
            self.action_collect_lines()

    def load_checklist(self, chain_id: int) -> None:
        """Read a chain's checklist in a worker (the newest request wins)."""
        self.run_worker(
            lambda: self._read_checklist(chain_id),
            thread=True,
            exclusive=True,
            group="checklist",
            exit_on_error=False,
        )

    def _read_checklist(self, chain_id: int) -> None:
        """Read the rows and format every row's cells here, off the main thread."""
        from tuan.domain.pickup.checklist import chain_products, checklist

        with tuan_app(self).db.session() as session:
            products = chain_products(session, chain_id)
            rows = checklist(session, chain_id)
        cells = {row.order_id: self.cells(row) for row in rows}
        if not get_current_worker().is_cancelled:  # another chain was chosen meanwhile
            self.app.call_from_thread(self.show_checklist, chain_id, products, rows, cells)

    def show_checklist(
        self, chain_id: int, products: list[Any], rows: list[Any], cells: dict[int, Any]
    ) -> None:
        """Put a freshly read checklist on screen, keeping the cursor's order if it is there."""
        keep = self.current_row() if chain_id == self.chain_id else None
        self.cell_cache = cells
        self.set_columns(natural_widths(cells))
        self.chain_id, self.products = chain_id, products
        self.rows = rows
        self.by_id = {row.order_id: row for row in rows}
        self.refill(keep.order_id if keep else None)
        self.refresh_summary()

    def refill(self, keep: int | None = None) -> None:
        """Filter the loaded rows and show the first page (cursor back on order `keep`)."""
        from tuan.domain.pickup.search import Filters, filter_rows

        self.filters = self.filters or Filters()
        self.shown = filter_rows(self.rows, self.filters)
        table = self.query_one("#checklist", DataTable)
        table.clear()
        self.loaded = 0
        index = next((i for i, r in enumerate(self.shown) if r.order_id == keep), 0)
        while self.loaded < len(self.shown) and self.loaded <= index:
            self.append_page()
        if index:
            table.move_cursor(row=index, animate=False)
        self.query_one(PickupSummary).show_filters(self.filter_text())

    def append_page(self) -> None:
        """Add the next page of filtered rows to the table."""
        table = self.query_one("#checklist", DataTable)
        page = self.shown[self.loaded : self.loaded + PAGE]
        for row in page:
            cells = self.cell_cache.get(row.order_id) or self.cells(row)
            table.add_row(*cells, key=str(row.order_id))
        self.loaded += len(page)

    def cells(self, row: Any) -> tuple[Any, ...]:
        """The table cells of one order.

        Cells are `Text`, never `str`: the table would parse a string as markup (a nickname
        like `[小李]` would vanish) and that parsing is a good part of each redraw's cost.
        """
        from tuan.domain.pickup.checklist import items_text, state_label
        from tuan.domain.shared.money import format_amount

        colours = {PickupState.NONE: "red", PickupState.PARTIAL: "yellow", PickupState.ALL: "green"}
        style = colours[row.state]
        return (
            Text(row.number),
            Text(row.nickname),
            Text(row.room_label),
            _items_cell(items_text(row), row.refund.short),
            Text(format_amount(row.amount_cents, row.unpriced)),
            paid_cell(row),
            Text(state_label(row.state), style=style),
        )

    def refresh_summary(self) -> None:
        """Progress, unpaid total and product totals (after the rows changed, not per key)."""
        from tuan.domain.pickup.checklist import progress
        from tuan.domain.pickup.sorting import sorting_list

        chain = self.chains.get(self.chain_id or 0)
        if chain is None:
            return
        sheet = sorting_list(chain, self.products, self.rows)
        totals = Text("  ".join(f"{n}×{sheet.totals[n]}" for n in sheet.products))
        summary = self.query_one(PickupSummary)
        summary.show(chain, progress(self.rows), totals)
        summary.show_filters(self.filter_text())
        self.refresh_bindings()
        if self.query_one(ContentSwitcher).current == "sorting":
            self.query_one(SortingView).show(sheet)

    def filter_text(self) -> Text:
        """`只看未领  显示 12/43 单` when some rows are hidden."""
        if self.filters is None:
            return Text("")
        parts = [_("只看未领")] if self.filters.uncollected_only else []
        parts += [_("只看未付")] if self.filters.unpaid_only else []
        if self.filters.active:
            shown = ngettext("显示 {a}/{b} 单", "显示 {a}/{b} 单", len(self.rows))
            parts.append(shown.format(a=len(self.shown), b=len(self.rows)))
        return Text("  ".join(parts), style="cyan")

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "pickup-search":
            return
        if event.value.startswith("/"):  # `/` pressed again while already searching
            event.input.value = event.value.lstrip("/")
            return
        self.set_filters(query=event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "pickup-search":
            self.query_one("#checklist", DataTable).focus()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            self.notify(_("出错了：{error}").format(error=error), severity="error", timeout=10)

    def folder(self) -> Path:
        """Where exports go by default: the current folder."""
        return Path.cwd()
