"""直播 Live: the livestream series, each episode's run-of-show and, once over, its summary.

Enter opens the run-of-show editor, `g` goes on air (live mode), `n`/`e` create and edit a
livestream (with the chain it sells). A live still on air when the app was closed is resumed:
the first visit to this area opens its live mode again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Static

from tuan.domain.shared.states import LiveStatus
from tuan.i18n import N_, _
from tuan.tui.shared.base import AreaScreen
from tuan.tui.shared.fast_table import FastTable
from tuan.tui.shared.host import tuan_app

if TYPE_CHECKING:
    from tuan.domain.shared.rows import LiveRow

HELP = N_(
    """直播区安排每一场私域直播：环节、时长、要讲的要点、主推商品和直播专享价（秒杀）。

- 列表里即将开播的排在最前；右边是选中直播的流程、秒杀和（结束后的）数据。
- **回车** 打开流程编辑：增删环节、调整顺序、设置秒杀。
- **g** 开播：进入全屏直播模式（大时钟、当前环节、秒杀倒计时、一行记单）。
- 直播中关掉应用也没关系：再打开时会回到直播模式，环节、秒杀和订单都还在。"""
)


@dataclass(frozen=True)
class LiveReading:
    """Every livestream, and each one's run-of-show and sales panels (drawn in the worker)."""

    lives: list[LiveRow]
    details: dict[int, tuple[Text, Text]]


class LiveScreen(AreaScreen[LiveReading]):
    """Livestreams and the highlighted one's run-of-show."""

    AREA = N_("直播")
    HELP = HELP
    DEFAULT_CSS = """
    LiveScreen #live-table { height: 4; }
    LiveScreen #live-detail-box { height: 1fr; }
    LiveScreen #live-detail-box > VerticalScroll { width: 3fr; }
    LiveScreen #live-side { width: 2fr; padding-left: 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        *AreaScreen.BINDINGS,
        Binding("enter", "edit_show", N_("流程编辑"), id="live.show", priority=True),
        Binding("g", "go_live", N_("开播/直播模式"), id="live.go"),
        Binding("n", "new_live", N_("新建直播"), id="live.new"),
        Binding("e", "edit_live", N_("编辑/关联接龙"), id="live.edit"),
        Binding("x", "copy_show", N_("复制流程给主播"), id="live.copy"),
        Binding("d", "delete_live", N_("删除（未开播的）"), id="live.delete", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.lives: dict[int, LiveRow] = {}
        self.details: dict[int, tuple[Text, Text]] = {}
        self.resumed = False

    def compose_body(self) -> ComposeResult:
        with Vertical():
            yield FastTable(id="live-table", cursor_type="row", zebra_stripes=True)
            with Horizontal(id="live-detail-box", classes="panel"):
                yield VerticalScroll(Static("", id="live-detail"))
                yield Static("", id="live-side")

    def on_mount(self) -> None:
        self.query_one("#live-table", DataTable).add_columns(
            _("编号"),
            _("系列"),
            _("期"),
            _("主题"),
            _("开播时间"),
            _("主播"),
            _("状态"),
            _("观看"),
            _("下单人数"),
            _("转化率"),
            _("成交额"),
        )
        super().on_mount()

    def fetch(self) -> LiveReading:
        from tuan.domain.live.flash import list_flash_sales
        from tuan.domain.live.shows import list_livestreams, run_of_show
        from tuan.tui.live.detail import detail_text

        with tuan_app(self).db.session() as session:
            lives = list_livestreams(session)
            details = {
                live.id: detail_text(
                    live, run_of_show(session, live.id), list_flash_sales(session, live.id)
                )
                for live in lives
            }
        return LiveReading(lives, details)

    def show(self, data: LiveReading) -> None:
        from tuan.domain.live.shows import status_label
        from tuan.domain.shared.money import format_money
        from tuan.domain.shared.timefmt import short_datetime

        lives, self.details = data.lives, data.details
        self.lives = {live.id: live for live in lives}
        table = self.query_one("#live-table", DataTable)
        keep = table.cursor_row
        table.clear()
        styles: dict[str, str] = {
            LiveStatus.LIVE: "bold red",
            LiveStatus.PLANNED: "green",
            LiveStatus.ENDED: "",
        }
        for live in lives:
            s = live.summary
            table.add_row(
                str(live.id),
                live.series,
                str(live.episode),
                live.theme,
                short_datetime(live.scheduled_at),
                live.host,
                Text(status_label(live.status), style=styles.get(live.status, "")),
                str(s.get("peak_viewers", "")),
                str(s.get("buyers", "")),
                f"{s['conversion']:.0%}" if "conversion" in s else "",
                format_money(int(s["gmv_cents"])) if "gmv_cents" in s else "",
            )
        table.styles.height = min(len(lives) + 1, 14)  # the run-of-show gets the rest
        if lives:
            table.move_cursor(row=min(keep, len(lives) - 1))
            self.show_detail(self.selected_id() or lives[0].id)
        self.refresh_bindings()
        self._resume(lives)

    def _resume(self, lives: list[LiveRow]) -> None:
        """Reopen live mode once if a live was still on air (the app was closed or crashed)."""
        if self.resumed:
            return
        self.resumed = True
        running = next((live for live in lives if live.status == LiveStatus.LIVE), None)
        if running is not None:
            self.notify(_("《{theme}》还在直播中，已回到直播模式").format(theme=running.theme))
            self._open_live_mode(running.id)

    def selected_id(self) -> int | None:
        """The highlighted livestream's id."""
        tables = self.query("#live-table").results(DataTable)
        table = next(tables, None)
        if table is None or not table.row_count:
            return None
        return int(str(table.get_row_at(table.cursor_row)[0]))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        row = event.data_table.get_row_at(event.cursor_row)
        self.show_detail(int(str(row[0])))
        self.refresh_bindings()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit_show()

    def show_detail(self, live_id: int) -> None:
        """Show the run-of-show of one livestream beside the list."""
        show, side = self.details.get(live_id, (Text(""), Text("")))
        self.query_one("#live-detail", Static).update(show)
        self.query_one("#live-side", Static).update(side)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        needs_live = {"edit_show", "go_live", "edit_live", "copy_show", "delete_live"}
        if action in needs_live and self.selected_id() is None:
            return None
        live = self.lives.get(self.selected_id() or 0)
        if action == "go_live":
            return None if live is None or live.status == LiveStatus.ENDED else True
        if action == "delete_live":
            return None if live is None or live.status != LiveStatus.PLANNED else True
        return True

    def action_delete_live(self) -> None:
        """Delete the highlighted planned livestream (after a yes)."""
        from tuan.tui.shared.confirm import ConfirmScreen

        live_id = self.selected_id()
        live = self.lives.get(live_id or 0)
        if live is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete(live.id)

        question = _("删除直播《{theme}》和它的流程、秒杀？").format(theme=live.theme)
        self.app.push_screen(ConfirmScreen(question), answered)

    @work(thread=True, group="write", exit_on_error=False)
    def _delete(self, live_id: int) -> None:
        from tuan.domain.live.shows import LiveError, delete_livestream

        try:
            with tuan_app(self).db.transaction() as session:
                delete_livestream(session, live_id)
        except LiveError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error")
            return
        self.app.call_from_thread(self.reload)

    def action_edit_show(self) -> None:
        """Open the run-of-show editor of the highlighted livestream."""
        from tuan.tui.live.show import RunOfShowScreen

        live_id = self.selected_id()
        if live_id is not None:
            self.app.push_screen(RunOfShowScreen(live_id))

    def action_go_live(self) -> None:
        """Open live mode for the highlighted livestream."""
        live_id = self.selected_id()
        if live_id is not None:
            self._open_live_mode(live_id)

    def _open_live_mode(self, live_id: int) -> None:
        from tuan.tui.live.mode import LiveModeScreen

        self.app.push_screen(LiveModeScreen(live_id))

    def action_new_live(self) -> None:
        """Create a livestream."""
        self._open_live_form(None)

    def action_edit_live(self) -> None:
        """Edit the highlighted livestream, including the chain it sells."""
        self._open_live_form(self.selected_id())

    @work(thread=True, group="form", exit_on_error=False)
    def _open_live_form(self, live_id: int | None) -> None:
        from tuan.tui.live.forms import open_form
        from tuan.tui.live.specs import live_form

        open_form(self, live_form(tuan_app(self).db, live_id))

    def action_copy_show(self) -> None:
        """Copy the run-of-show text for the host."""
        live_id = self.selected_id()
        if live_id is not None:
            self._copy_show(live_id)

    @work(thread=True, group="copy", exit_on_error=False)
    def _copy_show(self, live_id: int) -> None:
        from tuan.tui.live.detail import copy_run_of_show

        copy_run_of_show(self, live_id)
