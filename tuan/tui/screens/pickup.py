"""自提 Pickup: the checklist of who collects what for a chain, sorted by household."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Static

from tuan.i18n import _
from tuan.tui.screens.base import AreaScreen

HELP = """自提日用的核对清单：每一单一行，按楼栋和房号排序，一户人家的订单排在一起。

左边选择接龙，右边是这个接龙的清单和各商品合计。"""

STATE_LABELS = {
    "none": ("未领取", "red"),
    "partial": ("部分领取", "yellow"),
    "all": ("已领取", "green"),
}


class PickupScreen(AreaScreen):
    """Chains being collected and the selected chain's checklist."""

    AREA = _("自提")
    HELP = HELP
    DEFAULT_CSS = """
    PickupScreen #pickup-chains { width: 52; }
    PickupScreen #pickup-summary { height: auto; }
    """

    def compose_body(self) -> ComposeResult:
        with Horizontal():
            yield DataTable(id="pickup-chains", cursor_type="row")
            with Vertical():
                yield Static("", id="pickup-summary", classes="panel")
                yield DataTable(id="checklist", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.query_one("#pickup-chains", DataTable).add_columns(_("接龙"), _("自提时间"))
        self.query_one("#checklist", DataTable).add_columns(
            _("序号"), _("团员"), _("房号"), _("商品"), _("金额"), _("付款"), _("领取")
        )
        super().on_mount()

    def fetch(self) -> Any:
        from tuan.domain.pickup import pickup_chains

        with self.app.db.session() as session:  # type: ignore[attr-defined]
            return pickup_chains(session)

    def show(self, data: Any) -> None:
        from tuan.domain.timefmt import time_window

        table = self.query_one("#pickup-chains", DataTable)
        table.clear()
        for chain in data:
            table.add_row(
                chain.title, time_window(chain.pickup_start, chain.pickup_end), key=str(chain.id)
            )

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "pickup-chains" and event.row_key.value:
            chain_id = int(event.row_key.value)
            self.run_worker(
                lambda: self._checklist(chain_id), thread=True, exclusive=True, group="checklist"
            )

    def _checklist(self, chain_id: int) -> None:
        from tuan.domain.pickup import checklist, item_totals

        with self.app.db.session() as session:  # type: ignore[attr-defined]
            rows = checklist(session, chain_id)
        self.app.call_from_thread(self.show_checklist, rows, item_totals(rows))

    def show_checklist(self, rows: list[Any], totals: dict[str, int]) -> None:
        """Fill the checklist and the totals line."""
        from tuan.domain.money import format_money

        done = sum(1 for r in rows if r.state == "all")
        unpaid = [r for r in rows if not r.paid]
        summary = Text(_("已领取 {a}/{b} 单").format(a=done, b=len(rows)), style="bold")
        summary.append(
            "   "
            + _("未付款 {n} 单 {amount}").format(
                n=len(unpaid), amount=format_money(sum(r.amount_cents for r in unpaid))
            ),
            style="red" if unpaid else "",
        )
        summary.append("\n" + "  ".join(f"{name}×{qty}" for name, qty in totals.items()))
        self.query_one("#pickup-summary", Static).update(summary)
        table = self.query_one("#checklist", DataTable)
        table.clear()
        for r in rows:
            label, style = STATE_LABELS[r.state]
            table.add_row(
                str(r.seq),
                r.nickname,
                r.room_label,
                " ".join(f"{name}×{qty}" for name, qty, _c in r.items),
                format_money(r.amount_cents),
                Text(_("已付") if r.paid else _("未付"), style="" if r.paid else "red"),
                Text(_(label), style=style),
            )
