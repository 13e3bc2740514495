"""FastTable: the lists' table draws each row as a few segments, and behaves as a DataTable does
(a click on any cell of a row picks that row, a click on a title names its column), however its
columns change."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import DataTable

from tuan.tui.shared.fast_table import FastTable


class TableApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.picked: list[Any] = []

    def compose(self) -> ComposeResult:
        yield FastTable(id="t", cursor_type="row", zebra_stripes=True)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.picked.append(("row", event.row_key.value))

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        self.picked.append(("title", event.column_key.value))


def _filled(table: FastTable) -> None:
    table.add_column("昵称", key="name")
    table.add_column("房号", key="room")
    table.add_column("消费", key="spend")
    for n, (name, room) in enumerate((("王阿姨", "3-1202"), ("小李", "5-601"), ("陈晨", ""))):
        table.add_row(Text(name, style="bold"), room, f"¥{n + 1}.00", key=str(n))


@asynccontextmanager
async def filled_table() -> AsyncIterator[tuple[TableApp, FastTable, Pilot[None]]]:
    """The app running, its table holding three neighbours."""
    app = TableApp()
    async with app.run_test(size=(60, 10)) as pilot:
        table = app.query_one(FastTable)
        _filled(table)
        await pilot.pause()
        yield app, table, pilot


def _line(table: FastTable, y: int) -> str:
    return table.render_line(y).text


def _column_of(line: str, text: str) -> int:
    """The terminal cell where `text` starts in `line`."""
    return cell_len(line[: line.index(text)])


async def test_rows_are_drawn_in_their_columns_with_each_cells_style() -> None:
    async with filled_table() as (_app, table, _pilot):
        assert _line(table, 0).split() == ["昵称", "房号", "消费"]
        assert _line(table, 1).split() == ["王阿姨", "3-1202", "¥1.00"]
        assert _line(table, 3).split() == ["陈晨", "¥3.00"]
        assert _column_of(_line(table, 1), "3-1202") == _column_of(_line(table, 0), "房号")
        name = next(s for s in list(table.render_line(2)) if "小李" in s.text)
        assert name.style is not None and name.style.bold, "the cell's own style is kept"
        room = next(s for s in list(table.render_line(2)) if "5-601" in s.text)
        assert room.style is not None and not room.style.bold


async def test_a_click_on_any_cell_picks_its_row_and_a_title_names_its_column() -> None:
    async with filled_table() as (app, table, pilot):
        room_x = _column_of(_line(table, 0), "房号") + 1
        await pilot.click(FastTable, offset=(room_x, 2))  # 小李's room
        await pilot.pause()
        assert table.cursor_row == 1
        await pilot.click(FastTable, offset=(2, 2))  # the highlighted row again, its name
        await pilot.pause()
        assert app.picked == [("row", "1")]
        await pilot.click(FastTable, offset=(room_x, 0))
        await pilot.pause()
        assert app.picked[-1] == ("title", "room")


async def test_the_columns_drawn_follow_columns_added_removed_and_cleared() -> None:
    async with filled_table() as (_app, table, pilot):
        table.remove_column("room")
        await pilot.pause()
        assert _line(table, 1).split() == ["王阿姨", "¥1.00"]
        table.clear(columns=True)
        table.add_column("标签", key="tag")
        table.add_row("KOC", key="k")
        await pilot.pause()
        assert _line(table, 0).split() == ["标签"]
        assert _line(table, 1).split() == ["KOC"]
