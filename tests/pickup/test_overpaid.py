"""Paid more than is due: a 拼团 that formed after she paid the normal price, a coupon redeemed
after she paid. The pickup list says `多付¥10` and how much is owed back in all; `o` records
that it went back, and `u` takes that back."""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from tests.chains.team_fixtures import TeamShop, make_team_shop, order
from tuan.db import Database
from tuan.domain.pickup.checklist import CheckRow, checklist, progress
from tuan.domain.pickup.collect import give_back, set_paid, undo
from tuan.domain.shared.refunds import add_refund
from tuan.models import OrderLine, Payment


@pytest.fixture
def shop(db: Database) -> TeamShop:
    return make_team_shop(db)


def _rows(db: Database, shop: TeamShop) -> dict[str, CheckRow]:
    with db.session() as s:
        return {row.nickname: row for row in checklist(s, shop.chain)}


def _payments(db: Database, order_id: int) -> list[int]:
    with db.session() as s:
        found = s.exec(select(Payment.amount_cents).where(col(Payment.order_id) == order_id))
        return sorted(found)


def test_a_team_formed_after_she_paid_is_money_owed_back(db: Database, shop: TeamShop) -> None:
    with db.transaction() as s:
        first = order(s, shop, "王阿姨", {shop.rice: 1}).id or 0
        set_paid(s, [first], True)  # ¥89, the normal price: the team is not full yet
        order(s, shop, "李叔", {shop.rice: 1})
        order(s, shop, "小周", {shop.rice: 1})  # the team forms: ¥79 each
    rows = _rows(db, shop)
    assert rows["王阿姨"].paid and rows["王阿姨"].overpaid_cents == 1000
    assert rows["李叔"].overpaid_cents == 0 and not rows["李叔"].paid
    found = progress(list(rows.values()))
    assert (found.overpaid, found.overpaid_cents) == (1, 1000)
    with db.transaction() as s:
        mark = give_back(s, first, label="退还多付")
    rows = _rows(db, shop)
    assert rows["王阿姨"].paid and rows["王阿姨"].overpaid_cents == 0
    assert _payments(db, first) == [7900]
    assert progress(list(rows.values())).overpaid == 0
    with db.transaction() as s:
        assert undo(s, mark).skipped == 0
    assert _payments(db, first) == [8900]
    assert _rows(db, shop)["王阿姨"].overpaid_cents == 1000


def test_money_refunded_went_back_already(db: Database, shop: TeamShop) -> None:
    with db.transaction() as s:
        placed = order(s, shop, "王阿姨", {shop.rice: 1, shop.eggs: 2}).id or 0
        set_paid(s, [placed], True)  # ¥129
        eggs = s.exec(
            select(OrderLine.id).where(OrderLine.order_id == placed, OrderLine.item_id == shop.eggs)
        ).one()
        add_refund(s, placed, line_id=eggs, qty=1, reason="质量")  # ¥20 back to her
    row = _rows(db, shop)["王阿姨"]
    assert (row.paid, row.amount_cents, row.overpaid_cents) == (True, 10900, 0)
    with db.transaction() as s:
        assert give_back(s, placed).empty
    assert _payments(db, placed) == [12900]


def test_a_household_transfer_is_lowered_not_deleted(db: Database, shop: TeamShop) -> None:
    # One transfer paid two orders: the second payment points at the first (`part_of`), and
    # deleting the first would take the second with it.
    from tuan.domain.shared.payments import record_payment

    with db.transaction() as s:
        mine = order(s, shop, "王阿姨", {shop.rice: 1}).id or 0
        other = order(s, shop, "陈晨", {shop.eggs: 1}).id or 0
        head = record_payment(s, mine, 8900, source="bill", trade_no="42000001")
        record_payment(s, other, 2000, source="bill", part_of=head.id)
        order(s, shop, "李叔", {shop.rice: 1})
        order(s, shop, "小周", {shop.rice: 1})
    with db.transaction() as s:
        give_back(s, mine)
    assert _payments(db, mine) == [7900] and _payments(db, other) == [2000]


async def test_the_pickup_list_shows_it_and_o_records_it_went_back(tmp_path) -> None:
    from textual.widgets import DataTable, Static

    from tests.helpers import settle
    from tuan.db import open_database
    from tuan.tui.app import TuanApp

    path = tmp_path / "tuan.db"
    database = open_database(path)
    shop = make_team_shop(database)
    with database.transaction() as s:
        first = order(s, shop, "王阿姨", {shop.rice: 1}).id or 0
        set_paid(s, [first], True)
        order(s, shop, "李叔", {shop.rice: 1})
        order(s, shop, "小周", {shop.rice: 1})
    database.close()

    app = TuanApp(str(path))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("4")
        await settle(app, pilot)
        table = app.screen.query_one("#checklist", DataTable)

        def paid_column() -> list[str]:
            return [str(table.get_row_at(i)[5]) for i in range(table.row_count)]

        def header() -> str:
            return str(app.screen.query_one("#pickup-unpaid", Static).render())

        assert paid_column() == ["多付¥10", "未付", "未付"]  # 王阿姨 3-1202 first
        assert "多付 1 单 ¥10，要退给团员" in header()
        await pilot.press("o")
        await settle(app, pilot)
        assert paid_column() == ["已付", "未付", "未付"]
        assert "多付" not in header()
        await pilot.press("u")
        await settle(app, pilot)
        assert paid_column()[0] == "多付¥10"


def test_the_printed_list_and_the_exports_say_it_too(
    db: Database, shop: TeamShop, tmp_path
) -> None:
    from pypdf import PdfReader

    from tuan.domain.pickup.export_data import ExportOptions, load_export, text_lines
    from tuan.domain.pickup.exports import export

    with db.transaction() as s:
        first = order(s, shop, "王阿姨", {shop.rice: 1}).id or 0
        set_paid(s, [first], True)
        order(s, shop, "李叔", {shop.rice: 1})
        order(s, shop, "小周", {shop.rice: 1})
    with db.session() as s:
        data = load_export(s, shop.chain)
    text = text_lines(data, ExportOptions(format="txt"))
    assert any("王阿姨" in line and line.endswith("多付¥10") for line in text)
    path = tmp_path / "list.pdf"
    export(data, path, ExportOptions(format="pdf"))
    printed = "".join(page.extract_text() for page in PdfReader(path).pages)
    assert "多付 1 单 ¥10，要退给团员" in printed.replace("\n", "")
    assert "未付款 2 单 ¥158" in printed.replace("\n", "")
