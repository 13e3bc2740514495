"""A DataTable that draws its one-line rows directly (checklists, lists of members, chains).

A stock DataTable renders every visible cell through Rich's Padding and Styled renderables, about
0.2 ms a cell: 25-60 ms for one screenful, on every keystroke of a search (the filtered rows are
new rows, so nothing is cached). Our list cells are single lines of plain text in columns
of fixed width, so each visible row is drawn here as a handful of segments instead (well under a
millisecond a screen). Everything else (rows, keys, cursor, scrolling, events) is DataTable's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Self

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip
from textual.widgets import DataTable
from textual.widgets.data_table import Column, ColumnKey, RowKey

from tuan.domain.shared.width import cells, fit
from tuan.tui.shared.textual_private import table_extent


@dataclass(frozen=True)
class _Look:
    """What every line of one frame shares (computing it per line would cost more than drawing)."""

    base: Style
    header: Style
    even: Style
    odd: Style
    cursor: Style
    widths: tuple[int, ...]  # each column's width, padding included
    pad: int
    width: int


class FastTable(DataTable[Any]):
    """A row-cursor table whose cells are one-line `Text` (or `str`) in fixed-width columns."""

    class NearEnd(Message):
        """Scrolled close to the last row: the screen may add the next page of rows."""

    _look: _Look | None = None
    _hold_refresh = False
    _columns_in_order: list[Column] | None = None
    _metas: dict[int, Style] | None = None

    @property
    def ordered_columns(self) -> list[Column]:
        """DataTable's, kept until the columns change: it rebuilt the list for every row drawn
        (`get_row_at`), a tenth of drawing a screenful."""
        found = self._columns_in_order
        if found is None:
            found = self._columns_in_order = super().ordered_columns
        return found

    def remove_column(self, column_key: ColumnKey | str) -> None:
        self._columns_in_order = None
        super().remove_column(column_key)

    def clear(self, columns: bool = False) -> Self:
        if columns:
            self._columns_in_order = None
        return super().clear(columns)

    def add_column(
        self,
        label: str | Text,
        *,
        width: int | None = None,
        key: str | None = None,
        default: Any | None = None,
    ) -> ColumnKey:
        """A column whose label is plain text, as the cells are.

        DataTable reads a `str` label as Rich markup; the first such reading in a process loads
        Rich's emoji table (~16 ms), in the first frame of the first area opened.
        """
        plain = Text(label) if isinstance(label, str) else label
        self._columns_in_order = None
        return super().add_column(plain, width=width, key=key, default=default)

    def replace_row(self, row_key: RowKey | str, cells: Iterable[Any]) -> None:
        """Put new cells in one row, redrawing that row only (column widths stay as they are).

        `update_cell` repaints the whole table for each cell (a screenful of rows, 5-10 ms,
        and the compositor's work for the whole region); a tick on a checklist changes a row.
        """
        self._hold_refresh = True
        try:
            for column, value in zip(self.ordered_columns, cells):  # noqa: B905
                self.update_cell(row_key, column.key, value)
        finally:
            self._hold_refresh = False
        self.refresh_row(self.get_row_index(row_key))

    def refresh(self, *regions: Region, **kwargs: Any) -> FastTable:
        if self._hold_refresh:
            return self
        super().refresh(*regions, **kwargs)
        return self

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if new_value > old_value and new_value >= self.max_scroll_y - 5:
            self.post_message(self.NearEnd())

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        """Column widths from each cell's plain text, as `_draw_cells` draws it.

        Overrides a private DataTable method (guarded in `textual_private.overridden`).

        DataTable measures every new cell through Rich (~50 µs each: 0.2 s for 500 chains of
        eight columns); a one-line cell's width is simply its text's cell length.
        """
        columns = self.ordered_columns
        for row_key in new_rows:
            if row_key not in self.rows:
                continue  # removed before the table was idle
            for column, cell in zip(columns, self.get_row(row_key)):  # noqa: B905
                text = cell.plain if isinstance(cell, Text) else str(cell)
                column.content_width = max(column.content_width, cells(text))
        header = self.header_height if self.show_header else 0
        labels, rows = table_extent(self)
        self.virtual_size = Size(
            sum(c.get_render_width(self) for c in columns) + labels, rows + header
        )

    def render_lines(self, crop: Region) -> list[Strip]:
        self._look = self._measure_look()
        try:
            return super().render_lines(crop)
        finally:
            self._look = None

    def _measure_look(self) -> _Look:
        style = self.get_component_rich_style
        even, odd = (
            (style("datatable--even-row"), style("datatable--odd-row"))
            if self.zebra_stripes
            else (Style(), Style())
        )
        return _Look(
            base=self.rich_style,
            header=style("datatable--header"),
            even=even,
            odd=odd,
            cursor=style("datatable--cursor") if self.show_cursor else Style(),
            widths=tuple(c.get_render_width(self) for c in self.ordered_columns),
            pad=self.cell_padding,
            width=self.size.width,
        )

    def render_line(self, y: int) -> Strip:
        look = self._look or self._measure_look()
        scroll_x, scroll_y = self.scroll_offset
        if self.show_header and y == 0:
            labels = [c.label for c in self.ordered_columns]
            segments = self._draw_cells(look, -1, labels, look.base + look.header)
        else:
            index = y + scroll_y - (1 if self.show_header else 0)
            if not 0 <= index < self.row_count:
                return Strip.blank(look.width, look.base)
            row_style = look.base + (look.odd if index % 2 else look.even)
            if index == self.cursor_row:
                row_style += look.cursor
            segments = self._draw_cells(look, index, self.get_row_at(index), row_style)
        strip = Strip(segments)
        if scroll_x:
            strip = strip.crop(scroll_x, scroll_x + look.width)
        return strip.adjust_cell_length(look.width, look.base)

    def _draw_cells(self, look: _Look, index: int, cells: list[Any], style: Style) -> list[Segment]:
        """One row's segments; on the cursor row the cursor's colours win over the cell's.

        Neighbouring cells drawn alike are one segment, and a row's cells share one mouse meta
        (the row's: a row cursor only needs the row; the header's name each column, for
        clicks on a title). A search redraws a screenful of new rows at each keystroke: per
        cell styles and metas were two thirds of drawing them.
        """
        on_cursor = index >= 0 and index == self.cursor_row
        pad = " " * look.pad
        header = index < 0
        row_style = style if header else style + self._row_meta(index)
        segments: list[Segment] = []
        bodies: list[str] = []
        run_style: Style | None = None
        for column, (width, cell) in enumerate(zip(look.widths, cells)):  # noqa: B905
            own: Style | None = None
            if isinstance(cell, Text):
                plain = cell.plain
                own = Style.parse(cell.style) if isinstance(cell.style, str) else cell.style
            else:
                plain = str(cell)
            cell_style = row_style
            if own:
                cell_style = row_style + own + look.cursor if on_cursor else row_style + own
            if header:  # clicks on a title say which column
                cell_style += Style.from_meta({"row": -1, "column": column})
            if cell_style is not run_style and bodies:  # the same object: kept by Rich's cache
                segments.append(Segment("".join(bodies), run_style))
                bodies = []
            run_style = cell_style
            bodies.append(pad + fit(plain, width - 2 * look.pad) + pad)
        if bodies:
            segments.append(Segment("".join(bodies), run_style))
        rest = look.width - sum(look.widths)
        if rest > 0:
            segments.append(Segment(" " * rest, style))
        return segments

    def _row_meta(self, index: int) -> Style:
        """The mouse meta of row `index` (kept: the same rows are drawn frame after frame)."""
        metas = self._metas
        if metas is None or len(metas) > 2000:
            metas = self._metas = {}
        meta = metas.get(index)
        if meta is None:
            meta = metas[index] = Style.from_meta({"row": index, "column": 0})
        return meta
