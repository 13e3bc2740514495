"""XLSX exports of pickup data (openpyxl): the checklist, 快团团's columns, the sorting list."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from tuan.domain.pickup.export_data import (
    ExportData,
    ExportOptions,
    Progress,
    checklist_table,
    ktt_table,
    sorting_tables,
)
from tuan.domain.shared.width import cells
from tuan.i18n import _

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

MONEY_FORMAT = "¥#,##0.00"
MAX_WIDTH = 40


def write_xlsx(
    data: ExportData, path: Path, options: ExportOptions, progress: Progress | None = None
) -> None:
    """Write the workbook: one sheet for a checklist, three for the sorting list."""
    from openpyxl import Workbook

    workbook = Workbook()
    first = workbook.active
    assert first is not None
    if options.sorting:
        workbook.remove(first)
        for title, table in sorting_tables(data.sheet).items():
            _fill(workbook.create_sheet(title), table, money_columns=())
        if progress is not None:
            progress(len(data.rows), len(data.rows))
    elif options.preset == "ktt":
        first.title = _("订单")
        _fill(first, ktt_table(data, options.show_phone, progress), money_columns=(7, 8))
    else:
        first.title = _("核对清单")
        table = checklist_table(data, options.show_phone, progress)
        money = table[0].index(_("金额")) + 1
        _fill(first, table, money_columns=(money,), total_row=True)
    workbook.properties.title = data.chain.title
    workbook.save(path)


def _fill(
    sheet: Worksheet,
    table: list[list[Any]],
    *,
    money_columns: tuple[int, ...],
    total_row: bool = False,
) -> None:
    """Rows into a sheet: bold frozen header, money formatted, columns wide enough to read."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    for row in table:
        sheet.append(row)
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
    if total_row and sheet.max_row > 1:
        for cell in sheet[sheet.max_row]:
            cell.font = bold
    sheet.freeze_panes = "A2"
    for column in money_columns:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = MONEY_FORMAT
    widths: dict[int, int] = {}
    for row in table:
        for index, value in enumerate(row, start=1):
            width = cells(str(value)) if value is not None else 0
            widths[index] = max(widths.get(index, 0), width)
    for index, width in widths.items():
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, MAX_WIDTH)
