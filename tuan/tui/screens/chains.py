"""接龙 Chains: every group buy with its status, deadline, entries, stock and GMV."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import DataTable, Static

from tuan.i18n import _
from tuan.tui.screens.base import AreaScreen

HELP = """接龙是每一次团购：商品、价格、限购、库存、截止时间和自提点。

列表里进行中的接龙排在最前，右边是选中接龙的商品和已售数量。"""


class ChainsScreen(AreaScreen):
    """The list of chains and the highlighted chain's items."""

    AREA = _("接龙")
    HELP = HELP
    DEFAULT_CSS = """
    ChainsScreen #chain-table { width: 3fr; }
    ChainsScreen #chain-detail { width: 2fr; height: 100%; }
    """

    def compose_body(self) -> ComposeResult:
        with Horizontal():
            yield DataTable(id="chain-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="chain-detail", classes="panel")

    def on_mount(self) -> None:
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

    def fetch(self) -> Any:
        from tuan.domain.chains import list_chains

        with self.app.db.session() as session:  # type: ignore[attr-defined]
            return list_chains(session)

    def show(self, data: Any) -> None:
        from tuan.domain.chains import status_label
        from tuan.domain.money import format_money
        from tuan.domain.timefmt import short_datetime, time_left

        table = self.query_one("#chain-table", DataTable)
        table.clear()
        styles = {"open": "bold green", "closed": "yellow", "draft": "dim", "done": ""}
        table.add_rows(
            [
                (
                    str(c.id),
                    c.title,
                    Text(status_label(c.status), style=styles[c.status]),
                    short_datetime(c.deadline),
                    time_left(c.deadline) if c.status == "open" else "",
                    str(c.entries),
                    f"{c.sold}/{c.stock}" if c.stock is not None else f"{c.sold}/{_('不限')}",
                    format_money(c.gmv_cents),
                )
                for c in data
            ]
        )
        if data:
            self.show_detail(data[0].id)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        row = event.data_table.get_row_at(event.cursor_row)
        self.show_detail(int(row[0]))

    def show_detail(self, chain_id: int) -> None:
        """Load the highlighted chain's items beside the list."""
        self._load_detail(chain_id)

    def _load_detail(self, chain_id: int) -> None:
        self.run_worker(lambda: self._detail(chain_id), thread=True, exclusive=True, group="detail")

    def _detail(self, chain_id: int) -> None:
        from tuan.domain.chains import chain_items
        from tuan.domain.money import format_money

        with self.app.db.session() as session:  # type: ignore[attr-defined]
            items = chain_items(session, chain_id)
        text = Text(_("商品") + "\n", style="bold")
        for item in items:
            text.append(f"{item.code}. {item.name} {item.spec}\n")
            text.append(f"   {format_money(item.price_cents)}", style="bold")
            if item.original_price_cents and item.original_price_cents > item.price_cents:
                text.append(f" {format_money(item.original_price_cents)}", style="strike dim")
            left = _("不限") if item.left is None else str(item.left)
            text.append("  " + _("已售 {sold}  剩余 {left}").format(sold=item.sold, left=left))
            if item.limit_per_person:
                text.append("  " + _("每人限{n}").format(n=item.limit_per_person), style="dim")
            text.append("\n")
        self.app.call_from_thread(self.query_one("#chain-detail", Static).update, text)
