"""Print-ready A4 PDFs of pickup data (fpdf2 with an embedded Chinese font).

The checklist prints one order per row, grouped by building, with a box before each item to tick
by hand as it is handed over (a drawn tick for what was already collected). The sorting list
prints product totals with a box to tick when packed, the per-building table, the gifts and the
number of thank-you cards.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tuan.domain.pickup.checklist import CheckLine, CheckRow, paid_mark
from tuan.domain.pickup.checklist import progress as pickup_progress
from tuan.domain.pickup.export_data import ExportData, ExportError, ExportOptions, Progress
from tuan.domain.pickup.sorting import SortingList
from tuan.domain.shared.fonts import FontError, find_cjk_font, pdf_output
from tuan.domain.shared.money import format_amount, format_money
from tuan.domain.shared.states import PickupState
from tuan.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from fpdf import FPDF

FONT = "cjk"
MARGIN = 12.0
LINE = 6.0
BOX = 3.2
# (title, width in mm) of the checklist's columns; 186 mm fill A4 between the margins.
COLUMNS = (
    (N_("序号"), 12),
    (N_("团员"), 30),
    (N_("房号"), 18),
    (N_("电话"), 26),
    (N_("商品"), 70),
    (N_("金额"), 18),
)
PAID_WIDTH = 12


def write_pdf(
    data: ExportData, path: Path, options: ExportOptions, progress: Progress | None = None
) -> None:
    """Write the checklist (or, with `options.sorting`, the sorting list) as an A4 PDF.

    Raises:
        ExportError: no Chinese font on this machine (the message says what to install).
    """
    pdf = _document(data)
    if options.sorting:
        _sorting(pdf, data.sheet)
        if progress is not None:
            progress(len(data.rows), len(data.rows))
    else:
        _checklist(pdf, data, options.show_phone, progress)
    pdf.output(str(path), output_producer_class=pdf_output())


def _document(data: ExportData) -> FPDF:
    from fpdf import FPDF

    try:
        font = find_cjk_font()
    except FontError as missing:
        raise ExportError(missing, code=missing.code) from missing

    class Document(FPDF):
        def footer(self) -> None:
            self.set_y(-10)
            self.set_font(FONT, size=8)
            text = _("{title}  第 {page}/{{nb}} 页").format(title=data.chain.title, page=self.page)
            self.cell(0, 5, text, align="C")

    pdf = Document(orientation="portrait", unit="mm", format="A4")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(auto=False, margin=14)
    pdf.add_font(FONT, fname=str(font.path), collection_font_number=font.index)
    pdf.set_title(data.chain.title)
    pdf.set_creator("tuan")
    pdf.add_page()
    pdf.set_font(FONT, size=15)
    pdf.cell(0, 9, data.chain.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=9)
    for line in data.header_lines()[1:]:
        pdf.cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    return pdf


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """`text` cut so it fits `width` mm."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "..") > width:
        text = text[:-1]
    return text + ".."


def _room_for(pdf: FPDF, height: float, header: tuple[tuple[str, float], ...] = ()) -> None:
    """Start a new page (repeating the table header) when `height` does not fit."""
    if pdf.get_y() + height > pdf.page_break_trigger:
        pdf.add_page()
        if header:
            _header(pdf, header)


def _header(pdf: FPDF, columns: tuple[tuple[str, float], ...]) -> None:
    pdf.set_font(FONT, size=9)
    pdf.set_fill_color(225, 225, 225)
    for title, width in columns:
        pdf.cell(width, LINE, _(title), border=1, fill=True)
    pdf.ln(LINE)


def _box(pdf: FPDF, x: float, y: float, ticked: bool) -> None:
    """A square to tick by hand; a drawn tick when already done."""
    top = y + (LINE - BOX) / 2
    pdf.rect(x, top, BOX, BOX)
    if ticked:
        pdf.line(x + 0.6, top + BOX * 0.55, x + BOX * 0.42, top + BOX - 0.5)
        pdf.line(x + BOX * 0.42, top + BOX - 0.5, x + BOX - 0.3, top + 0.4)


def _line_text(line: CheckLine) -> str:
    text = f"{line.name}×{line.qty}"
    if line.state == PickupState.PARTIAL:
        text += _("（已领{n}）").format(n=line.collected)
    return text + (_("  赠：{gift}").format(gift=line.gift) if line.gift else "")


def _checklist(pdf: FPDF, data: ExportData, show_phone: bool, progress: Progress | None) -> None:
    rows = data.rows
    sums = pickup_progress(rows)  # what the screen's header says: still owed, not the amount
    summary = _("共 {n} 单 {q} 件；未付款 {u} 单 {amount}；交货时在商品前的方框打勾").format(
        n=len(rows),
        q=sum(r.qty for r in rows),
        u=sums.unpaid,
        amount=format_money(sums.unpaid_cents),
    )
    if sums.overpaid:
        summary += _("；") + sums.overpaid_text()
    pdf.cell(0, 6, summary, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    header = (*COLUMNS, (N_("付款"), PAID_WIDTH))
    _header(pdf, header)
    building: str | None = None
    for done, row in enumerate(rows, start=1):
        if row.building != building:
            building = row.building
            _room_for(pdf, LINE * 2, header)
            count = sum(1 for r in rows if r.building == building)
            label = _("{b}号楼").format(b=building) if building else _("未填楼栋")
            pdf.set_fill_color(242, 242, 242)
            heading = ngettext("{label}（{n} 单）", "{label}（{n} 单）", count)
            pdf.cell(0, LINE, heading.format(label=label, n=count), fill=True)
            pdf.ln(LINE)
        _room_for(pdf, LINE * max(len(row.lines), 1), header)
        _order_row(pdf, data, row, show_phone)
        if progress is not None and (done % 50 == 0 or done == len(rows)):
            progress(done, len(rows))


def _order_row(pdf: FPDF, data: ExportData, row: CheckRow, show_phone: bool) -> None:
    top = pdf.get_y()
    height = LINE * max(len(row.lines), 1)
    cells = (row.number, row.nickname, row.room_label, data.phone(row, show_phone))
    x = pdf.l_margin
    for text, (_title, width) in zip(cells, COLUMNS, strict=False):
        pdf.set_xy(x, top)
        pdf.cell(width, LINE, _fit(pdf, text, width - 1))
        x += width
    items_width = COLUMNS[4][1]
    for index, line in enumerate(row.lines):
        y = top + index * LINE
        _box(pdf, x + 1, y, line.state == PickupState.ALL)
        pdf.set_xy(x + BOX + 2, y)
        pdf.cell(items_width - BOX - 2, LINE, _fit(pdf, _line_text(line), items_width - BOX - 3))
    x += items_width
    pdf.set_xy(x, top)
    pdf.cell(COLUMNS[5][1], LINE, format_amount(row.amount_cents, row.unpriced), align="R")
    pdf.cell(PAID_WIDTH, LINE, _fit(pdf, paid_mark(row), PAID_WIDTH), align="C")
    pdf.line(pdf.l_margin, top + height, pdf.w - pdf.r_margin, top + height)
    pdf.set_xy(pdf.l_margin, top + height)


def _sorting(pdf: FPDF, sheet: SortingList) -> None:
    pdf.ln(2)
    totals = ngettext(
        "商品合计（装好一项勾一项）：共 {n} 件",
        "商品合计（装好一项勾一项）：共 {n} 件",
        sheet.pieces,
    )
    _section(pdf, totals.format(n=sheet.pieces))
    for name in sheet.products:
        if sheet.totals[name]:
            _room_for(pdf, LINE)
            y = pdf.get_y()
            _box(pdf, pdf.l_margin + 1, y, False)
            pdf.set_x(pdf.l_margin + BOX + 3)
            left = _("（待领 {n}）").format(n=sheet.left[name])
            pdf.cell(0, LINE, f"{name}  ×{sheet.totals[name]}  {left}")
            pdf.ln(LINE)
    _section(pdf, _("按楼栋"))
    _building_table(pdf, sheet)
    _section(pdf, _("赠品"))
    if not sheet.gifts:
        pdf.cell(0, LINE, _("本次没有赠品"), new_x="LMARGIN", new_y="NEXT")
    for gift, count in sheet.gift_totals.items():
        pdf.cell(0, LINE, f"{gift}  ×{count}", new_x="LMARGIN", new_y="NEXT")
    for g in sheet.gifts:
        _room_for(pdf, LINE)
        _box(pdf, pdf.l_margin + 1, pdf.get_y(), False)
        pdf.set_x(pdf.l_margin + BOX + 3)
        text = _("第{seq}号 {name} {room}：{gift}（随{item}）").format(
            seq=str(g.number), name=g.nickname, room=g.room, gift=g.gift, item=g.item
        )
        pdf.cell(0, LINE, text, new_x="LMARGIN", new_y="NEXT")
    _section(pdf, _("感谢卡：{n} 张（每单一张）").format(n=sheet.cards))


def _section(pdf: FPDF, title: str) -> None:
    _room_for(pdf, LINE * 3)
    pdf.ln(3)
    pdf.set_font(FONT, size=11)
    pdf.cell(0, 7, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=9)


def _building_table(pdf: FPDF, sheet: SortingList) -> None:
    names = [n for n in sheet.products if sheet.totals[n]]
    first, orders = 24.0, 14.0
    width = (pdf.w - 2 * MARGIN - first - orders) / max(len(names), 1)
    header = ((_("楼栋"), first), (_("单数"), orders), *((n, width) for n in names))
    columns = tuple((_fit(pdf, title, w - 1), w) for title, w in header)
    _header(pdf, columns)
    body = [(s.label, s.orders, [s.qty[n] for n in names]) for s in sheet.buildings]
    body.append((_("合计"), sheet.cards, [sheet.totals[n] for n in names]))
    for label, count, quantities in body:
        _room_for(pdf, LINE, columns)
        pdf.cell(first, LINE, label, border=1)
        pdf.cell(orders, LINE, str(count), border=1, align="R")
        for qty in quantities:
            pdf.cell(width, LINE, str(qty) if qty else "", border=1, align="R")
        pdf.ln(LINE)
