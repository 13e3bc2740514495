"""Refunded pieces are not handed out: the checklist, the sorting list, collecting whole orders
and the exports (快团团's 退款金额) on the fruit shop after `refund_three`."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.shared.refund_fixtures import make_fruit_shop, refund_three
from tuan.db import Database
from tuan.domain.pickup.checklist import checklist, item_totals, items_text
from tuan.domain.pickup.collect import CollectError, collect_orders, set_collected
from tuan.domain.pickup.export_data import ExportOptions, load_export, text_lines
from tuan.domain.pickup.exports import export
from tuan.domain.shared.states import PickupState
from tuan.models import OrderLine


@pytest.fixture
def shop(db: Database) -> Database:
    make_fruit_shop(db)
    refund_three(db)
    return db


def test_the_checklist_hands_out_net_quantities(shop: Database) -> None:
    with shop.session() as s:
        rows = {r.order_id: r for r in checklist(s, 1)}
    assert items_text(rows[2]) == "橙子×2 苹果×1"
    row = rows[2]
    assert (row.amount_cents, row.gross_cents, row.refund.short) == (14000, 19000, "退1")
    assert items_text(rows[3]) == "橙子×1" and rows[3].amount_cents == 4500
    assert rows[4].lines == [] and rows[4].state == PickupState.ALL, "nothing left to hand out"
    assert rows[4].amount_cents == 0 and rows[4].refund.short == "退2"
    assert item_totals(list(rows.values())) == {"橙子": 3, "苹果": 1, "榴莲": 1}


def test_collecting_a_whole_order_takes_only_what_was_not_refunded(shop: Database) -> None:
    with shop.transaction() as s:
        collect_orders(s, [2])
    with shop.session() as s:
        assert s.get(OrderLine, 2).collected_qty == 2  # type: ignore[union-attr]
        assert checklist(s, 1, [2])[0].state == PickupState.ALL
    with pytest.raises(CollectError) as caught, shop.transaction() as s:
        set_collected(s, {2: 3})
    assert caught.value.code == "qty.range" and "0 到 2" in str(caught.value)


def test_exports_show_net_pieces_and_the_ktt_refund_column(shop: Database, tmp_path: Path) -> None:
    with shop.session() as s:
        data = load_export(s, 1)
    assert [r.order_id for r in data.rows] == [2, 3, 5], "order 4 has nothing to hand out"
    sheet = data.sheet
    assert (sheet.totals["橙子"], sheet.totals["苹果"], sheet.cards) == (3, 1, 3)
    text = "\n".join(text_lines(data, ExportOptions(format="txt")))
    assert "橙子×2 苹果×1" in text and "老周" not in text
    path = tmp_path / "ktt.xlsx"
    export(data, path, ExportOptions(format="xlsx", preset="ktt"))
    book = load_workbook(path).active
    assert book is not None
    sheet_rows = list(book.iter_rows(values_only=True))
    header = list(sheet_rows[0])
    amount, refund = header.index("订单金额"), header.index("退款金额")
    by_seq = {row[0]: (str(row[amount]), str(row[refund])) for row in sheet_rows[1:]}
    assert by_seq == {1: ("190", "50"), 2: ("90", "45"), 3: ("80", "80"), 4: ("0", "0")}
