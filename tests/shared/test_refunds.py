"""Refund rules (`shared.refunds`) on the hand-checked fruit shop: each refusal names its field
and code and changes nothing; what a refund does to what is owed and to a live's GMV."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlmodel import func, select

from tests.shared.refund_fixtures import make_fruit_shop, refund_three
from tuan.db import Database
from tuan.domain.payments.remind import unpaid_reminders
from tuan.domain.shared.payments import order_amounts
from tuan.domain.shared.refunds import (
    RefundError,
    add_refund,
    delete_refund,
    find_line,
    list_refunds,
    parse_refund_amount,
    parse_refund_qty,
    reason_label,
    refundable_lines,
)
from tuan.models import Livestream, Order, Refund


@pytest.fixture
def shop(db: Database) -> Database:
    return make_fruit_shop(db)


def _count(db: Database) -> int:
    with db.session() as s:
        return int(s.exec(select(func.count()).select_from(Refund)).one())


def _refuse(db: Database, order_id: int, **kwargs: object) -> RefundError:
    before = _count(db)
    with pytest.raises(RefundError) as caught, db.transaction() as s:
        add_refund(s, order_id, **kwargs)  # type: ignore[arg-type]
    assert _count(db) == before, "a refused refund writes nothing"
    return caught.value


def test_a_quantity_only_refund_is_worth_the_captured_price(shop: Database) -> None:
    with shop.transaction() as s:
        plain = add_refund(s, 2, line_id=2, qty=1, reason="坏果")
        flash = add_refund(s, 3, qty=1, reason="quality", note="压坏了")
    assert (plain.qty, plain.amount_cents, plain.reason) == (1, 5000, "bad_fruit")
    assert (flash.amount_cents, flash.reason, flash.note) == (4500, "quality", "压坏了")
    assert plain.refunded_on == date(2026, 11, 26), "the date comes from tuan.clock"
    assert reason_label(plain.reason) == "坏果"


def test_too_many_pieces_are_refused_also_across_refunds(shop: Database) -> None:
    error = _refuse(shop, 2, line_id=2, qty=4, reason="坏果")
    assert (error.field, error.code) == ("qty", "refund.qty_too_large")
    assert "最多还能退 3 件" in str(error)
    with shop.transaction() as s:
        add_refund(s, 2, line_id=2, qty=2, reason="坏果")
    error = _refuse(shop, 2, line_id=2, qty=2, reason="坏果")
    assert "已退 2 件，最多还能退 1 件" in str(error)


def test_too_much_money_is_refused_also_across_refunds(shop: Database) -> None:
    error = _refuse(shop, 2, line_id=3, amount_cents=4001, reason="质量")
    assert (error.field, error.code) == ("amount", "refund.amount_too_large")
    with shop.transaction() as s:
        add_refund(s, 2, line_id=3, amount_cents=2500, reason="质量")
    error = _refuse(shop, 2, line_id=3, amount_cents=1501, reason="质量")
    assert "已退 ¥25，最多还能退 ¥15" in str(error)


@pytest.mark.parametrize(
    ("kwargs", "field", "code"),
    [
        ({"qty": -1}, "qty", "refund.qty_negative"),
        ({"amount_cents": -100}, "amount", "refund.amount_negative"),
        ({"qty": 0, "amount_cents": 0}, "qty", "refund.zero"),
        ({}, "qty", "refund.empty"),
    ],
)
def test_negative_zero_or_empty_refunds_are_refused(
    shop: Database, kwargs: dict[str, int], field: str, code: str
) -> None:
    error = _refuse(shop, 4, reason="其他", **kwargs)
    assert (error.field, error.code) == (field, code)


def test_typed_amounts_and_quantities_are_read_or_refused() -> None:
    assert parse_refund_amount("12.50") == 1250 and parse_refund_amount(" ") is None
    assert parse_refund_qty("2") == 2 and parse_refund_qty("") is None
    for text, code in (("1.234", "price.decimals"), ("-5", "price.negative"),
                       ("abc", "price.malformed")):  # fmt: skip
        with pytest.raises(RefundError) as caught:
            parse_refund_amount(text)
        assert (caught.value.field, caught.value.code) == ("amount", code)
    with pytest.raises(RefundError) as caught:
        parse_refund_qty("-1")
    assert (caught.value.field, caught.value.code) == ("qty", "refund.qty_negative")
    with pytest.raises(RefundError) as caught:
        parse_refund_qty("1.5")
    assert caught.value.code == "refund.qty_malformed"


def test_a_cancelled_order_an_unknown_line_or_reason_is_refused(shop: Database) -> None:
    error = _refuse(shop, 6, qty=1, reason="坏果")
    assert (error.field, error.code) == ("order", "refund.cancelled")
    error = _refuse(shop, 2, qty=1, reason="坏果")
    assert (error.field, error.code) == ("line", "refund.line_needed")
    error = _refuse(shop, 2, line_id=5, qty=1, reason="坏果")
    assert (error.field, error.code) == ("line", "refund.line")
    error = _refuse(shop, 4, qty=1, reason="不喜欢")
    assert (error.field, error.code) == ("reason", "refund.reason")
    assert "坏果、少发、质量、其他" in str(error)
    error = _refuse(shop, 99, qty=1, reason="坏果")
    assert error.code == "refund.order"


def test_an_unpriced_line_is_refunded_by_pieces_at_zero_or_a_typed_amount(shop: Database) -> None:
    with shop.transaction() as s:
        by_pieces = add_refund(s, 5, qty=1, reason="质量")
    assert (by_pieces.qty, by_pieces.amount_cents) == (1, 0)
    with shop.transaction() as s:
        delete_refund(s, by_pieces.id or 0)
        typed = add_refund(s, 5, qty=1, amount_cents=1000, reason="质量")
    assert typed.amount_cents == 1000


def test_a_line_is_found_by_name_position_or_item(shop: Database) -> None:
    with shop.session() as s:
        lines = refundable_lines(s, 2)
    assert find_line(lines, "苹果") == 3 and find_line(lines, "1") == 2
    assert find_line(lines, "2") == 3, "item 2 (苹果) before position 2"
    with pytest.raises(RefundError) as caught:
        find_line(lines, "榴莲")
    assert caught.value.field == "line" and "橙子、苹果" in str(caught.value)


def test_what_is_owed_is_net_and_a_refunded_order_is_not_chased(shop: Database) -> None:
    with shop.session() as s:
        assert order_amounts(s, [2, 4]) == {2: 19000, 4: 8000}
        chased = {r.order_id: r.owed_cents for r in unpaid_reminders(s, 1)}
    assert chased == {2: 19000, 3: 9000, 4: 8000}
    refund_three(shop)
    with shop.session() as s:
        assert order_amounts(s, [2, 4]) == {2: 14000, 4: 0}
        assert s.get(Order, 4).paid, "nothing is owed any more"  # type: ignore[union-attr]
        reminders = unpaid_reminders(s, 1)
    assert {r.order_id: r.owed_cents for r in reminders} == {2: 14000, 3: 4500}
    assert "橙子×2 苹果×1 共¥140" in reminders[0].message


def test_a_refund_moves_the_ended_lives_stored_gmv_and_delete_puts_it_back(
    shop: Database,
) -> None:
    def stored() -> int:
        with shop.session() as s:
            live = s.get(Livestream, 1)
            assert live is not None
            return int(json.loads(live.summary_json)["gmv_cents"])

    with shop.transaction() as s:
        refund = add_refund(s, 3, qty=1, reason="质量")
    assert stored() == 4500
    with shop.transaction() as s:
        delete_refund(s, refund.id or 0)
    assert stored() == 9000
    with pytest.raises(RefundError) as caught, shop.transaction() as s:
        delete_refund(s, refund.id or 0)
    assert caught.value.code == "refund.not_found"


def test_refunds_are_listed_newest_first_with_their_order(shop: Database) -> None:
    refund_three(shop)
    with shop.session() as s:
        rows = list_refunds(s, chain_id=1)
        assert [r.order_id for r in list_refunds(s, order_id=4)] == [4]
        assert list_refunds(s, chain_id=2) == []
    assert [r.as_dict()["member"] for r in rows] == ["老周", "小李", "王阿姨"]
    assert rows[0].as_dict() == {
        "id": rows[0].id, "order_id": 4, "chain_id": 1, "chain": "第80期 水果团",
        "number": "3", "member": "老周", "line_id": 5, "item": "苹果", "qty": 2,
        "amount_cents": 8000, "reason": "short", "reason_text": "少发", "date": "2026-11-26",
        "note": "没到货",
    }  # fmt: skip


def test_an_entry_cannot_drop_below_its_refunded_pieces(shop: Database) -> None:
    from tuan.domain.shared.orders import LineRequest, OrderError, update_order

    with shop.transaction() as s:
        add_refund(s, 2, line_id=2, qty=2, reason="坏果")
    with pytest.raises(OrderError) as caught, shop.transaction() as s:
        update_order(s, 2, [LineRequest(1, 1), LineRequest(2, 1)])
    assert (caught.value.field, caught.value.code) == ("items", "order.refunded")
    assert "橙子 已退款 2 件" in str(caught.value)
    with shop.transaction() as s:
        update_order(s, 2, [LineRequest(1, 2)])  # 苹果 gone, 橙子 down to its refunded 2
    assert _count(shop) == 1
