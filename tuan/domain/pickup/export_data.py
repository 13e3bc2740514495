"""What a pickup export holds: options, the data read once, and its tables and text lines.

The writers (`pdf`, `xlsx`, and `exports` for csv and txt) all read from here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from tuan import clock
from tuan.domain.pickup.checklist import (
    ChainProduct,
    CheckRow,
    PickupChain,
    chain_products,
    checklist,
    items_text,
    paid_mark,
    pickup_chain,
    state_label,
)
from tuan.domain.pickup.sorting import SortingList, sorting_list, sorting_text
from tuan.domain.shared.errors import DomainError
from tuan.domain.shared.money import format_amount
from tuan.domain.shared.people import mask_phone
from tuan.domain.shared.states import PickupState
from tuan.domain.shared.timefmt import time_window
from tuan.domain.shared.width import pad
from tuan.i18n import N_, _, ngettext

FORMATS = ("pdf", "xlsx", "csv", "txt")
PRESETS = ("", "ktt")
Progress = Callable[[int, int], None]
KTT_COLUMNS = (
    N_("跟团号"),
    N_("下单人"),
    N_("团员备注"),
    N_("支付时间"),
    N_("团长备注"),
    N_("商品"),
    N_("订单金额"),
    N_("退款金额"),
    N_("订单状态"),
    N_("自提点"),
    N_("收货人"),
    N_("联系电话"),
    N_("详细地址"),
)


class ExportError(DomainError, ValueError):
    """An export could not be made; the message says why and what to do."""

    code = "export.refused"


@dataclass(frozen=True)
class ExportOptions:
    """What to export and how."""

    format: str = "pdf"
    sorting: bool = False  # the sorting list (分拣单) instead of the checklist
    show_phone: bool = False
    preset: str = ""  # "ktt": 快团团's order export columns (xlsx, csv)

    def check(self) -> None:
        """Refuse combinations that cannot be made.

        Raises:
            ExportError: unknown format or preset, or a preset with the sorting list.
        """
        if self.format not in FORMATS:
            message = N_("不支持的格式：{f}（可选 pdf、xlsx、csv、txt）")
            raise ExportError(message, "format", code="export.format", f=self.format)
        if self.preset not in PRESETS:
            message = N_("不认识的预设：{p}（可选 ktt）")
            raise ExportError(message, "preset", code="export.preset", p=self.preset)
        if self.preset and (self.sorting or self.format not in ("xlsx", "csv")):
            message = N_("快团团格式只用于核对清单的 xlsx 或 csv 导出")
            raise ExportError(message, "preset", code="export.preset_format")


@dataclass
class ExportData:
    """A chain's pickup data, read once."""

    chain: PickupChain
    products: list[ChainProduct]
    rows: list[CheckRow]  # orders with something to hand out (refunded whole ones are not)
    made_at: datetime
    orders: list[CheckRow] | None = None  # every active order (快团团's order export); None: rows

    @property
    def sheet(self) -> SortingList:
        """The sorting list."""
        return sorting_list(self.chain, self.products, self.rows)

    def phone(self, row: CheckRow, show: bool) -> str:
        """The member's phone, masked unless `show`."""
        return row.phone if show else mask_phone(row.phone)

    def header_lines(self) -> list[str]:
        """Title, pickup point and window, and when this was printed."""
        lines = [self.chain.title]
        place = "  ".join(p for p in (self.chain.point, self.chain.point_address) if p)
        if place:
            lines.append(_("自提点：{place}").format(place=place))
        window = time_window(self.chain.pickup_start, self.chain.pickup_end)
        if window:
            lines.append(_("自提时间：{window}").format(window=window))
        lines.append(_("打印时间：{at:%Y-%m-%d %H:%M}").format(at=clock.local(self.made_at)))
        return lines


def load_export(session: Session, chain_id: int) -> ExportData:
    """Read what an export needs.

    Raises:
        ExportError: no chain with that id.
    """
    chain = pickup_chain(session, chain_id)
    if chain is None:
        message = N_("找不到接龙 {id}，用 `tuan chain list` 查看")
        raise ExportError(message, code="chain.not_found", id=chain_id)
    products = chain_products(session, chain_id)
    rows = checklist(session, chain_id)
    handed = [row for row in rows if row.lines]
    return ExportData(chain, products, handed, clock.now(), orders=rows)


def default_filename(chain: PickupChain, options: ExportOptions) -> str:
    """`pickup-71-checklist.pdf`, `pickup-71-sorting.xlsx`, `pickup-71-ktt.xlsx`."""
    kind = "ktt" if options.preset else ("sorting" if options.sorting else "checklist")
    return f"pickup-{chain.id}-{kind}.{options.format}"


def yuan(cents: int) -> Decimal:
    """Cents as a yuan amount a spreadsheet sums exactly (never a float in tuan)."""
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def _report(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None and (done % 50 == 0 or done == total):
        progress(done, total)


def checklist_table(
    data: ExportData, show_phone: bool, progress: Progress | None = None
) -> list[list[Any]]:
    """The checklist with one column per product, so each product's quantities sum."""
    labels = [p.label for p in data.products]
    header = [_("序号"), _("团员"), _("房号"), _("电话"), *labels]
    header += [_("金额"), _("付款"), _("领取"), _("团员备注")]
    table: list[list[Any]] = [header]
    totals = [0] * len(labels)
    for done, row in enumerate(data.rows, start=1):
        qty = [sum(line.qty for line in row.lines if line.name == label) for label in labels]
        totals = [a + b for a, b in zip(totals, qty, strict=True)]
        table.append(
            [row.number_cell, row.nickname, row.room_label, data.phone(row, show_phone)]
            + [q or None for q in qty]
            + [yuan(row.amount_cents), _paid(row), state_label(row.state), row.note]
        )
        _report(progress, done, len(data.rows))
    amount = sum(row.amount_cents for row in data.rows)
    orders = ngettext("{n} 单", "{n} 单", len(data.rows)).format(n=len(data.rows))
    table.append([_("合计"), orders, None, None, *totals])
    table[-1] += [yuan(amount), None, None, None]
    return table


def ktt_table(
    data: ExportData, show_phone: bool, progress: Progress | None = None
) -> list[list[Any]]:
    """One row per order, in 快团团's order-export columns."""
    table: list[list[Any]] = [[_(c) for c in KTT_COLUMNS]]
    orders = data.rows if data.orders is None else data.orders
    for done, row in enumerate(sorted(orders, key=lambda r: r.seq), start=1):
        paid_at = clock.local(row.created_at) if row.paid and row.created_at else None
        table.append(
            [
                row.number_cell,
                row.nickname,
                row.note,
                f"{paid_at:%Y-%m-%d %H:%M:%S}" if paid_at else "",
                row.leader_note,
                _("，").join(f"{line.name}×{line.qty}" for line in row.lines),
                yuan(row.gross_cents),
                yuan(row.refund.cents),
                _ktt_status(row),
                data.chain.point,
                row.name or row.nickname,
                data.phone(row, show_phone),
                row.room_label,
            ]
        )
        _report(progress, done, len(orders))
    return table


def _ktt_status(row: CheckRow) -> str:
    if not row.paid:
        return _("待支付")
    labels = {
        PickupState.ALL: _("已核销"),
        PickupState.PARTIAL: _("部分核销"),
        PickupState.NONE: _("待核销"),
    }
    return labels[row.state]


def _paid(row: CheckRow) -> str:
    return paid_mark(row, _("已付"))


def sorting_tables(sheet: SortingList) -> dict[str, list[list[Any]]]:
    """The sorting list as tables: totals, per building, gifts (one sheet each in XLSX)."""
    totals: list[list[Any]] = [[_("商品"), _("数量"), _("待领")]]
    totals += [[n, sheet.totals[n], sheet.left[n]] for n in sheet.products]
    totals += [[_("合计"), sheet.pieces, sum(sheet.left.values())], []]
    totals += [[_("感谢卡（每单一张）"), sheet.cards]]
    buildings: list[list[Any]] = [[_("楼栋"), _("单数"), *sheet.products]]
    for share in sheet.buildings:
        quantities = [share.qty[n] or None for n in sheet.products]
        buildings.append([share.label, share.orders, *quantities])
    buildings.append([_("合计"), sheet.cards, *(sheet.totals[n] for n in sheet.products)])
    gifts: list[list[Any]] = [[_("序号"), _("团员"), _("房号"), _("商品"), _("赠品")]]
    gifts += [[g.number, g.nickname, g.room, g.item, g.gift] for g in sheet.gifts]
    return {_("商品合计"): totals, _("按楼栋"): buildings, _("赠品"): gifts}


def table_rows(
    data: ExportData, options: ExportOptions, progress: Progress | None = None
) -> list[list[Any]]:
    """The rows of a CSV export (sections separated by a blank row for the sorting list)."""
    if options.sorting:
        rows: list[list[Any]] = []
        for title, table in sorting_tables(data.sheet).items():
            rows += [[_("【{title}】").format(title=title)], *table, []]
        return rows
    if options.preset == "ktt":
        return ktt_table(data, options.show_phone, progress)
    return checklist_table(data, options.show_phone, progress)


def text_lines(
    data: ExportData, options: ExportOptions, progress: Progress | None = None
) -> list[str]:
    """A plain-text export: the sorting list, or the checklist grouped by building."""
    lines = data.header_lines()
    if options.sorting:
        return [*lines, "", *sorting_text(data.sheet, title=False)]
    lines.append(
        ngettext(
            "共 {n} 单，[ ] 未领，[v] 已领，[~] 部分领取",
            "共 {n} 单，[ ] 未领，[v] 已领，[~] 部分领取",
            len(data.rows),
        ).format(n=len(data.rows))
    )
    building = None
    marks = {PickupState.NONE: "[ ]", PickupState.PARTIAL: "[~]", PickupState.ALL: "[v]"}
    for done, row in enumerate(data.rows, start=1):
        if row.building != building:
            building = row.building
            lines += ["", f"== {_('{b}号楼').format(b=building) if building else _('未填楼栋')} =="]
        cells = [
            marks[row.state],
            pad(f"#{row.number}", 5),
            pad(row.nickname, 12),
            pad(row.room_label, 8),
            pad(data.phone(row, options.show_phone), 12),
            items_text(row),
            format_amount(row.amount_cents, row.unpriced),
            paid_mark(row),
        ]
        lines.append(" ".join(c for c in cells if c).rstrip())
        _report(progress, done, len(data.rows))
    return lines
