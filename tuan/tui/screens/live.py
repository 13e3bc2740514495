"""直播 Live: the livestream series, each episode's run-of-show and, once over, its summary."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import DataTable, Static

from tuan.i18n import _
from tuan.tui.screens.base import AreaScreen

HELP = """直播区安排每一场私域直播：环节、时长、要讲的要点、主推商品和直播专享价。

列表里即将开播的排在最前；右边是选中直播的流程（run-of-show）和已结束直播的数据。"""


class LiveScreen(AreaScreen):
    """Livestreams and the highlighted one's run-of-show."""

    AREA = _("直播")
    HELP = HELP
    DEFAULT_CSS = """
    LiveScreen #live-table { width: 3fr; }
    LiveScreen #live-detail { width: 2fr; height: 100%; }
    """

    def compose_body(self) -> ComposeResult:
        with Horizontal():
            yield DataTable(id="live-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="live-detail", classes="panel")

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

    def fetch(self) -> Any:
        from tuan.domain.live import list_livestreams, run_of_show

        with self.app.db.session() as session:  # type: ignore[attr-defined]
            lives = list_livestreams(session)
            shows = {live.id: run_of_show(session, live.id) for live in lives}
        return lives, shows

    def show(self, data: Any) -> None:
        from tuan.domain.live import status_label
        from tuan.domain.money import format_money
        from tuan.domain.timefmt import short_datetime

        lives, self.shows = data
        self.lives = {live.id: live for live in lives}
        table = self.query_one("#live-table", DataTable)
        table.clear()
        for live in lives:
            s = live.summary
            table.add_row(
                str(live.id),
                live.series,
                str(live.episode),
                live.theme,
                short_datetime(live.scheduled_at),
                live.host,
                status_label(live.status),
                str(s.get("peak_viewers", "")),
                str(s.get("buyers", "")),
                f"{s['conversion']:.0%}" if "conversion" in s else "",
                format_money(int(s["gmv_cents"])) if "gmv_cents" in s else "",
            )
        if lives:
            self.show_detail(lives[0].id)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        row = event.data_table.get_row_at(event.cursor_row)
        self.show_detail(int(row[0]))

    def show_detail(self, live_id: int) -> None:
        """Show the run-of-show of one livestream."""
        segments = self.shows.get(live_id, [])
        live = self.lives[live_id]
        text = Text(f"{live.theme}\n", style="bold")
        total = sum(s.planned_minutes for s in segments)
        text.append(_("流程 {n} 个环节，共 {m} 分钟").format(n=len(segments), m=total) + "\n\n")
        for seg in segments:
            text.append(f"{seg.position + 1}. {seg.title}", style="bold")
            text.append(f"  {seg.planned_minutes}{_('分钟')}\n")
            if seg.item_name:
                text.append(f"   {_('主推')}：{seg.item_name}\n", style="green")
            if seg.talking_points:
                text.append(f"   {seg.talking_points}\n", style="dim")
        self.query_one("#live-detail", Static).update(text)
