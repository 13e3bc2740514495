"""The sorting list (分拣单) on screen: product totals, per building, gifts, thank-you cards."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from tuan.i18n import _, ngettext


class SortingView(VerticalScroll):
    """A scrollable view of one chain's sorting list."""

    DEFAULT_CSS = """
    SortingView { height: 1fr; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        yield Static("", id="sorting-body")

    def show(self, sheet: Any) -> None:
        """Render a `tuan.domain.pickup.sorting.SortingList`."""
        self.query_one("#sorting-body", Static).update(
            Group(
                Text(
                    ngettext("分拣单：共 {n} 件", "分拣单：共 {n} 件", sheet.pieces).format(
                        n=sheet.pieces
                    ),
                    style="bold",
                ),
                _totals(sheet),
                _buildings(sheet),
                _gifts(sheet),
                Text(_("感谢卡：{n} 张（每单一张）").format(n=sheet.cards), style="bold"),
            )
        )


def _table(title: str) -> Table:
    return Table(
        title=title, title_justify="left", title_style="bold", box=box.SIMPLE_HEAD, expand=False
    )


def _totals(sheet: Any) -> Table:
    table = _table(_("商品合计"))
    table.add_column(_("商品"))
    table.add_column(_("数量"), justify="right")
    table.add_column(_("待领"), justify="right")
    for name in sheet.products:
        table.add_row(name, str(sheet.totals[name]), str(sheet.left[name]))
    return table


def _buildings(sheet: Any) -> Table:
    names = [n for n in sheet.products if sheet.totals[n]]
    table = _table(_("按楼栋"))
    table.add_column(_("楼栋"))
    table.add_column(_("单数"), justify="right")
    for name in names:
        table.add_column(name, justify="right")
    for share in sheet.buildings:
        table.add_row(share.label, str(share.orders), *(str(share.qty[n] or "") for n in names))
    table.add_row(_("合计"), str(sheet.cards), *(str(sheet.totals[n]) for n in names), style="bold")
    return table


def _gifts(sheet: Any) -> Table | Text:
    if not sheet.gifts:
        return Text(_("赠品：本次没有赠品"))
    counts = "  ".join(f"{gift}×{n}" for gift, n in sheet.gift_totals.items())
    table = _table(_("赠品（{counts}）").format(counts=counts))
    for title in (_("序号"), _("团员"), _("房号"), _("商品"), _("赠品")):
        table.add_column(title)
    for gift in sheet.gifts:
        table.add_row(str(gift.number), gift.nickname, gift.room, gift.item, gift.gift)
    return table
