"""`Order.paid` is true exactly when an order's payments cover its amount, everywhere it can change:
payments recorded, orders changed (by hand or by a chain import), marks on the pickup list and
their undo, payments deleted, and databases upgraded from before payments existed."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import col, select

from tests.payments.fixtures import WECHAT, Shop, make_shop, paid_orders
from tuan.db import Database, make_engine
from tuan.domain.payments.apply import apply_plan
from tuan.domain.payments.bill import read_bill
from tuan.domain.payments.listing import PaymentNotFound, delete_payment, list_payments
from tuan.domain.payments.match import build_draft, plan_payments
from tuan.domain.pickup.collect import set_paid, undo
from tuan.domain.shared.orders import LineRequest, update_order
from tuan.domain.shared.payments import (
    PaymentError,
    is_paid,
    order_amounts,
    received_cents,
    record_payment,
    settle_paid,
)
from tuan.migrations import _statements, steps, upgrade
from tuan.models import ChainItem, Order, OrderLine, Payment


@pytest.fixture
def shop(db: Database) -> Shop:
    return make_shop(db)


def _paid(db: Database, order_id: int) -> bool:
    with db.session() as s:
        order = s.get(Order, order_id)
        assert order is not None
        return bool(order.paid)


def _money(db: Database, order_id: int) -> tuple[int, int]:
    with db.session() as s:
        return order_amounts(s, [order_id])[order_id], received_cents(s, [order_id])[order_id]


def test_the_rule() -> None:
    assert is_paid(19900, 19900) and is_paid(19900, 20000) and is_paid(0, 0)
    assert not is_paid(19900, 19899) and not is_paid(1, 0)


def test_two_payments_make_an_order_paid(db: Database, shop: Shop) -> None:
    order = shop.orders[3]  # 小张 ¥178
    with db.transaction() as s:
        record_payment(s, order, 10000, payer="小张")
    assert not _paid(db, order) and _money(db, order) == (17800, 10000)
    with db.transaction() as s:
        record_payment(s, order, 7800, payer="小张")
    assert _paid(db, order)


def test_more_items_after_paying_are_owed_again(db: Database, shop: Shop) -> None:
    order = shop.orders[4]  # 陈姐 套装×1 ¥199
    with db.transaction() as s:
        record_payment(s, order, 19900)
        item = s.exec(select(OrderLine.item_id).where(col(OrderLine.order_id) == order)).one()
        update_order(s, order, [LineRequest(item, 2)])
    assert not _paid(db, order) and _money(db, order) == (39800, 19900)
    with db.transaction() as s:
        update_order(s, order, [LineRequest(item, 1)])
    assert _paid(db, order)


def test_a_chain_import_that_adds_items_makes_a_paid_order_owe_again(db: Database) -> None:
    from tests.chains.fixtures import make_shop as chain_shop
    from tuan.domain.chains.import_apply import apply_plan as apply_chain
    from tuan.domain.chains.import_draft import build_draft as chain_draft
    from tuan.domain.chains.import_plan import plan_import

    shop = chain_shop(db)
    text = "#接龙\n绿源生活｜第1期 冷榨油团\n\n1. 小李 5-601 亚麻{n}\n"

    def imported(n: int) -> int:
        with db.transaction() as s:
            draft = chain_draft(s, text.format(n=n), shop.chain)
            apply_chain(s, draft, plan_import(draft))
            found = s.exec(select(Order.id).where(col(Order.chain_id) == shop.chain)).one()
            assert found is not None
            return found

    order = imported(1)
    with db.transaction() as s:
        set_paid(s, [order], True)
    assert _paid(db, order)
    imported(2)  # the bulk writer's path: a safe update of a known entry
    assert not _paid(db, order) and _money(db, order) == (13800, 6900)


def test_a_free_order_owes_nothing(db: Database, shop: Shop) -> None:
    with db.transaction() as s:
        s.add(ChainItem(chain_id=shop.chain, position=9, name="电子书", price_cents=0))
        s.flush()
        item = s.exec(select(ChainItem.id).where(col(ChainItem.name) == "电子书")).one()
        from tuan.domain.shared.orders import place_order

        order = place_order(s, shop.chain, 1, [LineRequest(item or 0, 1)]).id
    assert _paid(db, order or 0)


def test_marking_by_hand_records_what_is_owed_and_undo_takes_it_back(
    db: Database, shop: Shop
) -> None:
    order = shop.orders[3]
    with db.transaction() as s:
        record_payment(s, order, 10000)
        mark = set_paid(s, [order], True, label="3 已付")
    assert _paid(db, order) and _money(db, order) == (17800, 17800), "the ¥78 still owed"
    (change,) = mark.paid
    assert (change.before, change.after, len(change.added)) == (False, True, 1)
    with db.transaction() as s:
        assert undo(s, mark).skipped == 0
    assert not _paid(db, order) and _money(db, order) == (17800, 10000)


def test_unmarking_removes_the_hand_marked_payments_and_undo_restores_them(
    db: Database, shop: Shop
) -> None:
    order = shop.orders[8]  # 周叔, marked paid by hand in the fixture
    with db.transaction() as s:
        mark = set_paid(s, [order], False)
    assert not _paid(db, order) and _money(db, order) == (19900, 0)
    with db.transaction() as s:
        undo(s, mark)
    assert _paid(db, order) and _money(db, order) == (19900, 19900)


def test_an_order_paid_by_a_bill_is_not_unmarked_by_hand(db: Database, shop: Shop) -> None:
    with db.session() as s:
        draft = build_draft(s, read_bill(WECHAT))
    with db.transaction() as s:
        apply_plan(s, draft, plan_payments(draft))
    with pytest.raises(PaymentError) as caught, db.transaction() as s:
        set_paid(s, [shop.orders[4]], False)
    assert caught.value.code == "payment.from_bill" and "tuan pay list" in str(caught.value)
    assert _paid(db, shop.orders[4])


def test_an_old_flag_without_payments_can_still_be_unmarked(db: Database, shop: Shop) -> None:
    order = shop.orders[5]
    with db.transaction() as s:
        row = s.get(Order, order)
        assert row is not None
        row.paid = True
        s.add(row)
    with db.transaction() as s:
        mark = set_paid(s, [order], False)
    assert not _paid(db, order) and mark.paid[0].before is True


def test_settling_says_which_orders_changed(db: Database, shop: Shop) -> None:
    with db.transaction() as s:
        s.add(Payment(order_id=shop.orders[7], amount_cents=8900))
        s.flush()
        assert settle_paid(s, shop.orders.values()) == [shop.orders[7]]
        assert settle_paid(s, shop.orders.values()) == []


def test_a_payment_must_be_positive_and_for_an_order(db: Database, shop: Shop) -> None:
    with pytest.raises(PaymentError) as caught, db.transaction() as s:
        record_payment(s, shop.orders[1], 0)
    assert caught.value.code == "payment.amount" and caught.value.field == "amount"
    with pytest.raises(PaymentError) as missing, db.transaction() as s:
        record_payment(s, 999, 100)
    assert missing.value.field == "order"


def test_deleting_a_share_deletes_the_whole_transfer(db: Database, shop: Shop) -> None:
    with db.session() as s:
        draft = build_draft(s, read_bill(WECHAT))
    with db.transaction() as s:
        apply_plan(s, draft, plan_payments(draft))
    with db.session() as s:
        share = next(p for p in list_payments(s) if p.part_of is not None)
    assert share.trade_no == "1000050001202611250123456789001", "the list shows its 交易单号"
    with db.transaction() as s:
        touched = delete_payment(s, share.id)
    assert set(touched) == {shop.orders[1], shop.orders[2]}
    assert paid_orders(db, shop) == {3, 4, 6, 8}
    with pytest.raises(PaymentNotFound), db.transaction() as s:
        delete_payment(s, share.id)


@pytest.mark.sqlite_only
def test_upgrading_keeps_orders_marked_paid_as_paid(tmp_path: Path) -> None:
    """v4 (payments): each order marked paid by hand gets one payment of its whole amount."""
    path = tmp_path / "v3.db"
    old = Database(str(path), make_engine(str(path)))
    with old.engine.begin() as conn:
        for step in steps()[:3]:
            for statement in _statements(step.sql):
                conn.exec_driver_sql(statement)
        conn.exec_driver_sql("PRAGMA user_version = 3")
        conn.exec_driver_sql(
            "INSERT INTO member (id, nickname, name, phone, building, room, source, initials, "
            "is_koc, commission_bp, notes, joined_on) VALUES "
            "(1, '王阿姨', '', '', '3', '1202', 'offline', 'wy', 0, 0, '', '2026-11-01')"
        )
        conn.exec_driver_sql(
            "INSERT INTO chain (id, title, description, status, created_at, last_group) VALUES "
            "(1, '第1期', '', 'open', '2026-11-20T02:00:00+00:00', '')"
        )
        conn.exec_driver_sql(
            "INSERT INTO chainitem (id, chain_id, position, code, name, spec, price_cents, "
            "aliases) VALUES (1, 1, 0, 'A', '冷榨橄榄油', '', 8900, '')"
        )
        for order_id, paid, qty in ((1, 1, 2), (2, 0, 1)):
            conn.exec_driver_sql(
                "INSERT INTO orders (id, chain_id, seq, member_id, status, paid, note, "
                "leader_note, raw, channel, created_at, updated_at, group_name) VALUES "
                f"({order_id}, 1, {order_id}, 1, 'active', {paid}, '', '', '', 'import', "
                "'2026-11-21T02:00:00+00:00', '2026-11-21T03:00:00+00:00', '')"
            )
            conn.exec_driver_sql(
                "INSERT INTO orderline (order_id, item_id, qty, unit_price_cents, collected_qty, "
                f"gift) VALUES ({order_id}, 1, {qty}, 8900, 0, '')"
            )
    upgrade(old, backup=False)
    with old.session() as s:
        payments = s.exec(select(Payment)).all()
        assert [(p.order_id, p.amount_cents, p.method, p.source, p.trade_no) for p in payments] == [
            (1, 17800, "other", "manual", None)
        ]
        assert payments[0].paid_at.isoformat() == "2026-11-21T03:00:00+00:00"
        assert settle_paid(s, [1, 2]) == [], "the rule already holds"
    old.close()


def test_an_order_with_a_price_not_known_yet_is_not_paid_until_it_is(db: Database) -> None:
    from tuan.domain.chains.edit import edit_context, save_chain
    from tuan.domain.chains.import_apply import apply_plan as apply_chain
    from tuan.domain.chains.import_draft import build_draft as chain_draft
    from tuan.domain.chains.import_plan import plan_import

    text = "#接龙 周五水果\n\n1. 王阿姨 3-1202 西瓜2\n"  # no price anywhere: 西瓜 price unknown
    with db.transaction() as s:
        draft = chain_draft(s, text)
        chain = apply_chain(s, draft, plan_import(draft)).chain_id
        found = s.exec(select(Order.id).where(col(Order.chain_id) == chain)).one()
    assert found is not None
    order = found
    assert not _paid(db, order), "an amount of 0 that is not known is not paid"
    with pytest.raises(PaymentError) as caught, db.transaction() as s:
        set_paid(s, [order], True)
    assert caught.value.code == "payment.unpriced"
    with db.transaction() as s:
        record_payment(s, order, 1000, payer="王阿姨")  # she paid ¥10 before the price was set
    assert not _paid(db, order)
    with db.transaction() as s:
        form = edit_context(s, chain).form
        form.items[0].price = "5"
        save_chain(s, form, chain)
    assert _paid(db, order) and _money(db, order) == (1000, 1000)
