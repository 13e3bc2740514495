"""A redeemed coupon lowers what an order owes, so a bill's transfer of the amount less the coupon
pays it (the bill of `fixtures`: 陈姐's order 4 is a ¥199 kit)."""

from __future__ import annotations

from sqlmodel import select

from tests.payments.fixtures import Shop, make_shop
from tests.payments.test_match import _bill_plan, _transfer
from tuan.db import Database
from tuan.domain.members.coupons import issue_coupon, redeem_coupon
from tuan.domain.payments.match import Allocation
from tuan.domain.shared.states import BillRowStatus as S
from tuan.models import Order


def test_a_transfer_of_what_is_owed_after_the_coupon_pays_the_order(db: Database) -> None:
    shop: Shop = make_shop(db)
    order_id = shop.orders[4]
    with db.transaction() as s:
        order = s.get(Order, order_id)
        assert order is not None
        coupon = issue_coupon(s, order.member_id, 2000)
        redeem_coupon(s, coupon.id or 0, order_id)
    plan = _bill_plan(db, _transfer("2026-11-23 12:00:30", "陈姐", "179.00", "T1"))
    (row,) = plan.rows
    assert row.status == S.MATCHED
    assert row.allocations == (Allocation(order_id, 17900),)
    full = _bill_plan(db, _transfer("2026-11-23 12:00:30", "陈姐", "199.00", "T2"))
    assert full.rows[0].status != S.MATCHED, "the lines' ¥199 is no longer what the order owes"
    with db.session() as s:
        assert s.exec(select(Order).where(Order.id == order_id)).one().paid is False
