"""The run-of-show editor: segments in order and the flash sales of one livestream.

Segments are reordered from the keyboard (K/J or ctrl+up/down), added after the cursor (a),
edited (e or enter) and deleted (d). The flash-sale table below takes the same keys once focused
(tab); f adds a flash sale from anywhere. The total planned time and the linked chain show above.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from tuan.domain.shared.states import LiveStatus
from tuan.i18n import N_, _
from tuan.tui.shared.host import tuan_app
from tuan.tui.shared.key_bar import KeyBar
from tuan.tui.shared.loading import DataScreen
from tuan.tui.shared.topbar import TopBar

if TYPE_CHECKING:
    from tuan.domain.live.flash import FlashRow
    from tuan.domain.live.shows import SegmentRow
    from tuan.models import Livestream

HELP = N_(
    """流程编辑：这一场直播的环节顺序、时长、要点和主推商品，以及秒杀（直播专享价）。

- **a** 在光标后添加环节，**e**/回车 编辑，**d** 删除。
- **K** / **J**（或 ctrl+↑ / ctrl+↓）把环节上移 / 下移，顶部实时显示总时长。
- **f** 添加秒杀：商品、直播价、时间（开播后第几分钟，或绑定一个环节）、限量、前 N 名赠品。
  直播价高于接龙价、同一商品时间重叠、限量超过库存都会被拒绝并说明原因。
- **tab** 在环节表和秒杀表之间切换；在秒杀表里 e 编辑、d 删除。
- **c** 修改直播信息并关联接龙，**x** 复制流程文本发给主播，**g** 开播。"""
)


@dataclass(frozen=True)
class RunOfShowReading:
    """A livestream, its title, its chain's title, its segments and its flash sales."""

    live: Livestream
    title: str
    chain_title: str
    segments: list[SegmentRow]
    sales: list[FlashRow]


class RunOfShowScreen(DataScreen[RunOfShowReading]):
    """Edit one livestream's segments and flash sales."""

    AREA = N_("直播流程")
    HELP = HELP
    AUTO_FOCUS = "#segments"
    DEFAULT_CSS = """
    RunOfShowScreen #show-head { height: auto; padding: 0 1; }
    RunOfShowScreen #segments { height: 2fr; }
    RunOfShowScreen #sales-title { padding: 1 1 0 1; text-style: bold; }
    RunOfShowScreen #sales { height: 1fr; }
    RunOfShowScreen DataTable > .datatable--cursor { text-style: bold; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("返回"), id="show.back"),
        Binding("a", "add_segment", N_("添加环节"), id="show.add"),
        Binding("e", "edit", N_("编辑"), id="show.edit"),
        Binding("d,delete", "delete", N_("删除"), id="show.delete"),
        Binding("K,ctrl+up", "move(-1)", N_("上移"), id="show.up"),
        Binding("J,ctrl+down", "move(1)", N_("下移"), id="show.down"),
        Binding("f", "add_sale", N_("添加秒杀"), id="show.flash"),
        Binding("c", "edit_live", N_("直播信息/关联接龙"), id="show.chain", show=False),
        Binding("x", "copy_show", N_("复制流程"), id="show.copy", show=False),
        Binding("g", "go_live", N_("开播"), id="show.go", show=False),
    ]

    def __init__(self, live_id: int) -> None:
        super().__init__()
        self.live_id = live_id
        self.segment_ids: list[int] = []
        self.sale_ids: list[int] = []
        self.status = "planned"
        self.focus_segment: int | None = None  # the segment the cursor goes to once read

    def compose(self) -> ComposeResult:
        yield TopBar(self.AREA)
        yield Static("", id="show-head")
        yield DataTable(id="segments", cursor_type="row", zebra_stripes=True)
        yield Static(_("秒杀"), id="sales-title")
        yield DataTable(id="sales", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#segments", DataTable).add_columns(
            _("序"), _("计划时间"), _("环节"), _("分钟"), _("主推商品"), _("要点")
        )
        self.query_one("#sales", DataTable).add_columns(
            _("商品"), _("直播价"), _("接龙价"), _("时间"), _("限量"), _("已售"), _("赠品")
        )
        self.reload()

    def reload(self, focus_segment: int | None = None) -> None:
        """Read the run-of-show again (after every change), then put the cursor on a segment."""
        self.focus_segment = focus_segment
        super().reload()

    def fetch(self) -> RunOfShowReading:
        """The live, its title, its chain's title, its segments and its flash sales."""
        from tuan.domain.live.flash import list_flash_sales
        from tuan.domain.live.shows import get_live, run_of_show
        from tuan.domain.live.text import live_title
        from tuan.models import Chain

        with tuan_app(self).db.session() as session:
            live = get_live(session, self.live_id)
            chain = session.get(Chain, live.chain_id) if live.chain_id else None
            return RunOfShowReading(
                live,
                live_title(live),
                chain.title if chain else "",
                run_of_show(session, self.live_id),
                list_flash_sales(session, self.live_id),
            )

    def show(self, data: RunOfShowReading) -> None:
        """Fill both tables, keeping the cursor (or moving it to `focus_segment`)."""
        from tuan.tui.live.show_rows import head_text, sale_row, segment_row

        live, title, chain_title = data.live, data.title, data.chain_title
        segments, sales = data.segments, data.sales
        self.status = live.status
        self.query_one("#show-head", Static).update(head_text(live, title, chain_title, segments))
        table = self.query_one("#segments", DataTable)
        keep = table.cursor_row
        table.clear()
        table.add_rows([segment_row(live, seg) for seg in segments])
        self.segment_ids = [seg.id for seg in segments]
        if self.focus_segment in self.segment_ids:
            keep = self.segment_ids.index(self.focus_segment)
        if segments:
            table.move_cursor(row=min(keep, len(segments) - 1))
        sales_table = self.query_one("#sales", DataTable)
        sales_table.clear()
        sales_table.add_rows([sale_row(sale) for sale in sales])
        self.sale_ids = [sale.id for sale in sales]
        self.refresh_bindings()

    # --- which row the keys act on ---------------------------------------------------------

    def _on_sales(self) -> bool:
        return self.focused is self.query_one("#sales", DataTable)

    def _cursor_id(self, ids: list[int], selector: str) -> int | None:
        table = self.query_one(selector, DataTable)
        if not ids or not 0 <= table.cursor_row < len(ids):
            return None
        return ids[table.cursor_row]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        changes = {"add_segment", "add_sale", "delete", "move", "go_live"}
        if action in changes and self.status == LiveStatus.ENDED:
            return None
        if action == "move" and self._on_sales():
            return None
        return True

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    # --- actions ----------------------------------------------------------------------------

    def action_back(self) -> None:
        """Back to the livestream list."""
        self.dismiss()

    def action_add_segment(self) -> None:
        """Add a segment after the cursor."""
        current = self._cursor_id(self.segment_ids, "#segments")
        position = self.segment_ids.index(current) + 1 if current is not None else 0
        self._open_form("segment", None, position)

    def action_add_sale(self) -> None:
        """Add a flash sale."""
        self._open_form("sale", None, 0)

    def action_edit(self) -> None:
        """Edit the segment or flash sale under the cursor."""
        if self._on_sales():
            sale = self._cursor_id(self.sale_ids, "#sales")
            if sale is not None:
                self._open_form("sale", sale, 0)
            return
        segment = self._cursor_id(self.segment_ids, "#segments")
        if segment is not None:
            self._open_form("segment", segment, 0)

    def action_edit_live(self) -> None:
        """Edit the livestream's details and its linked chain."""
        self._open_form("live", self.live_id, 0)

    @work(thread=True, group="form", exit_on_error=False)
    def _open_form(self, kind: str, ident: int | None, position: int) -> None:
        from tuan.tui.live import specs as live_specs
        from tuan.tui.live.forms import open_form

        db = tuan_app(self).db
        if kind == "segment":
            spec = live_specs.segment_form(db, self.live_id, ident, position)
        elif kind == "sale":
            spec = live_specs.flash_form(db, self.live_id, ident)
        else:
            spec = live_specs.live_form(db, ident)
        open_form(self, spec)

    def action_delete(self) -> None:
        """Delete the segment or flash sale under the cursor (after a yes)."""
        from tuan.tui.shared.confirm import ConfirmScreen

        on_sales = self._on_sales()
        if on_sales:
            ident = self._cursor_id(self.sale_ids, "#sales")
        else:
            ident = self._cursor_id(self.segment_ids, "#segments")
        if ident is None:
            return
        question = _("删除这个秒杀？") if on_sales else _("删除这个环节？")

        def answered(yes: bool | None) -> None:
            if yes:
                self._write("delete_sale" if on_sales else "delete_segment", ident)

        self.app.push_screen(ConfirmScreen(question), answered)

    def action_move(self, delta: int) -> None:
        """Move the segment under the cursor up or down."""
        segment = self._cursor_id(self.segment_ids, "#segments")
        if segment is not None:
            self._write("move", segment, delta)

    @work(thread=True, group="write", exit_on_error=False)
    def _write(self, what: str, ident: int, delta: int = 0) -> None:
        from tuan.domain.live.flash import delete_flash_sale
        from tuan.domain.live.shows import LiveError, delete_segment, move_segment

        try:
            with tuan_app(self).db.transaction() as session:
                if what == "move":
                    move_segment(session, ident, delta)
                elif what == "delete_segment":
                    delete_segment(session, ident)
                else:
                    delete_flash_sale(session, ident)
        except LiveError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error")
            return
        self.app.call_from_thread(self.reload, ident if what == "move" else None)

    def action_copy_show(self) -> None:
        """Copy the run-of-show text for the host."""
        self._copy()

    @work(thread=True, group="copy", exit_on_error=False)
    def _copy(self) -> None:
        from tuan.tui.live.detail import copy_run_of_show

        copy_run_of_show(self, self.live_id)

    def action_go_live(self) -> None:
        """Open live mode."""
        from tuan.tui.live.mode import LiveModeScreen

        self.app.push_screen(LiveModeScreen(self.live_id))
