"""Matching a bill to unpaid orders and recording it: the hand-checked shop of `fixtures`."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import col, select

from tests.payments.fixtures import (
    ALIPAY,
    WECHAT,
    WECHAT_ORDERNO,
    Shop,
    make_shop,
    paid_orders,
    wechat_xlsx,
)
from tuan.db import Database
from tuan.domain.payments.apply import apply_plan, import_report
from tuan.domain.payments.bill import parse_bill, read_bill
from tuan.domain.payments.match import Decisions, PayPlan, build_draft, choices, plan_payments
from tuan.domain.shared.states import BillRowStatus as S
from tuan.models import Order, Payment


@pytest.fixture
def shop(db: Database) -> Shop:
    return make_shop(db)


def _plan(db: Database, path: Path, decisions: Decisions | None = None):
    with db.session() as s:
        draft = build_draft(s, read_bill(path))
    return draft, plan_payments(draft, decisions)


def _by_line(plan: PayPlan, shop: Shop) -> dict[int, tuple[str, tuple[tuple[int, int], ...]]]:
    """line → (status, ((order seq, cents), …))."""
    seq = {order_id: n for n, order_id in shop.orders.items()}
    return {
        r.row.line: (r.status, tuple((seq[a.order_id], a.cents) for a in r.allocations))
        for r in plan.rows
    }


def _record(db: Database, path: Path, decisions: Decisions | None = None):
    draft, plan = _plan(db, path, decisions)
    with db.transaction() as s:
        return apply_plan(s, draft, plan)


def _payments(db: Database) -> list[tuple[int, int, str | None, int | None, str, str]]:
    with db.session() as s:
        return [
            (p.order_id, p.amount_cents, p.trade_no, p.part_of, p.method, p.source)
            for p in s.exec(select(Payment).order_by(col(Payment.id)))
        ]


EXPECTED = {
    18: (S.MATCHED, ((1, 19900), (2, 6900))),  # 🌸王阿姨 ¥268: her 套装 and 李叔's 亚麻 (3-1202)
    19: (S.MATCHED, ((3, 7800),)),  # 小张 ¥78: what was left of ¥178
    20: (S.MATCHED, ((3, 10000),)),  # 小张 ¥100 first: a part
    21: (S.MATCHED, ((6, 13800),)),  # 🌸Amy妈妈～ is Amy妈妈
    22: (S.MATCHED, ((4, 19900),)),  # 陈姐's red packet
    23: (S.AMBIGUOUS, ()),  # 清风徐来 ¥89: nobody by that name; 赵六 and 孙阿姨 owe ¥89
    24: (S.SKIPPED, ()),  # 支出
    25: (S.UNMATCHED, ()),  # 路人甲 ¥55
    26: (S.SKIPPED, ()),  # 已退还
    27: (S.SKIPPED, ()),  # 零钱提现
}


def test_the_wechat_bill_plans_as_computed_by_hand(db: Database, shop: Shop) -> None:
    _draft, plan = _plan(db, WECHAT)
    assert _by_line(plan, shop) == EXPECTED
    assert plan.summary() == {
        "matched": 5, "ambiguous": 1, "unmatched": 1, "skipped": 3,
        "recorded": 5, "recorded_cents": 26800 + 7800 + 10000 + 13800 + 19900,
    }  # fmt: skip
    ambiguous = next(r for r in plan.rows if r.row.line == 23)
    seq = {order_id: n for n, order_id in shop.orders.items()}
    assert [seq[o.order_ids[0]] for o in ambiguous.options] == [7, 5], "the nearer order first"
    assert "找不到叫“清风徐来”的团员" in ambiguous.reasons[0]


def test_every_shape_of_the_same_bill_plans_alike(db: Database, shop: Shop, tmp_path: Path) -> None:
    for path in (WECHAT_ORDERNO, wechat_xlsx(tmp_path / "bill.xlsx")):
        assert _by_line(_plan(db, path)[1], shop) == EXPECTED, path.name


def test_recording_pays_the_orders_in_one_go(db: Database, shop: Shop) -> None:
    result = _record(db, WECHAT)
    assert (result.recorded, result.recorded_cents) == (5, 78300)
    assert paid_orders(db, shop) == {1, 2, 3, 4, 6, 8}, "8 was marked paid by hand before"
    assert len(result.orders_paid) == 5
    bill = [p for p in _payments(db) if p[5] == "bill"]
    o = shop.orders
    assert [(p[0], p[1]) for p in bill] == [
        (o[1], 19900), (o[2], 6900), (o[3], 7800), (o[3], 10000), (o[6], 13800), (o[4], 19900)
    ]  # fmt: skip
    assert all(p[4] == "wechat" for p in bill)
    household = [p for p in bill if p[0] in (o[1], o[2])]
    assert household[0][2] == "1000050001202611250123456789001" and household[0][3] is None
    assert household[1][2] is None and household[1][3] is not None, "the share points at it"


def test_importing_the_same_bill_again_changes_nothing(
    db: Database, shop: Shop, tmp_path: Path
) -> None:
    _record(db, WECHAT)
    before = _payments(db)
    for path in (WECHAT, WECHAT_ORDERNO, wechat_xlsx(tmp_path / "bill.xlsx")):
        _draft, plan = _plan(db, path)
        assert plan.summary()["recorded"] == 0
        assert [r.status for r in plan.rows].count(S.SKIPPED) == 8, "5 imported before + 3"
        assert "已经导入过" in plan.rows[0].reasons[0]
        result = _record(db, path)
        assert result.recorded == 0
    assert _payments(db) == before


def test_a_transaction_recorded_meanwhile_is_left_alone(db: Database, shop: Shop) -> None:
    draft, plan = _plan(db, WECHAT)
    _record(db, WECHAT)  # another window, between the preview and the confirm
    with db.transaction() as s:
        result = apply_plan(s, draft, plan)
    assert (result.recorded, result.already) == (0, 5)


def test_the_leader_picks_the_order_of_an_ambiguous_row(db: Database, shop: Shop) -> None:
    index = next(r.row.index for r in _plan(db, WECHAT)[1].rows if r.row.line == 23)
    decisions = Decisions(picks={index: (shop.orders[7],)})
    _draft, plan = _plan(db, WECHAT, decisions)
    assert _by_line(plan, shop)[23] == (S.MATCHED, ((7, 8900),))
    assert plan.summary()["recorded"] == 6
    _record(db, WECHAT, decisions)
    assert paid_orders(db, shop) == {1, 2, 3, 4, 6, 7, 8}


def test_the_leader_may_record_nothing_or_skip_a_row(db: Database, shop: Shop) -> None:
    rows = {r.row.line: r.row.index for r in _plan(db, WECHAT)[1].rows}
    decisions = Decisions(picks={rows[22]: ()}, skipped={rows[18]})
    _draft, plan = _plan(db, WECHAT, decisions)
    found = _by_line(plan, shop)
    assert found[22] == (S.UNMATCHED, ()) and found[18] == (S.SKIPPED, ())
    assert plan.summary()["recorded"] == 3
    _record(db, WECHAT, decisions)
    assert paid_orders(db, shop) == {3, 6, 8}


def test_a_pick_of_more_than_is_owed_records_what_came(db: Database, shop: Shop) -> None:
    rows = {r.row.line: r.row.index for r in _plan(db, WECHAT)[1].rows}
    decisions = Decisions(picks={rows[25]: (shop.orders[2],)})  # 路人甲 ¥55 for 李叔's ¥69
    _draft, plan = _plan(db, WECHAT, decisions)
    assert _by_line(plan, shop)[25] == (S.MATCHED, ((2, 5500),))
    extra = Decisions(picks={rows[22]: (shop.orders[5],)})  # 陈姐 ¥199 for 赵六's ¥89
    _draft, plan = _plan(db, WECHAT, extra)
    row = next(r for r in plan.rows if r.row.line == 22)
    assert row.allocations[0].cents == 19900 and "多付了 ¥110" in row.reasons


def test_choices_for_an_unmatched_row_are_the_orders_around_its_time(
    db: Database, shop: Shop
) -> None:
    draft, plan = _plan(db, WECHAT)
    unmatched = next(r for r in plan.rows if r.row.line == 25)
    offered = choices(draft, unmatched)
    assert {o.order_ids[0] for o in offered} == {shop.orders[n] for n in range(1, 8)}
    ambiguous = next(r for r in plan.rows if r.row.line == 23)
    assert choices(draft, ambiguous) == list(ambiguous.options)


def test_the_alipay_statement_matches_masked_names(db: Database, shop: Shop) -> None:
    _draft, plan = _plan(db, ALIPAY)
    found = _by_line(plan, shop)
    assert found[19] == (S.MATCHED, ((4, 19900),)), "陈* is 陈姐 (陈静)"
    assert found[20] == (S.MATCHED, ((1, 19900), (2, 6900))), (
        "*秀兰 is 王阿姨 (王秀兰) and her household"
    )
    assert [found[n][0] for n in (21, 22, 23)] == [S.SKIPPED] * 3
    _record(db, ALIPAY)
    assert paid_orders(db, shop) == {1, 2, 4, 8}
    assert {p[4] for p in _payments(db) if p[5] == "bill"} == {"alipay"}


WECHAT_HEAD = (
    "微信支付账单明细\n----------------------微信支付账单明细列表--------------------\n"
    "交易时间,交易类型,交易对方,商品,收/支,金额(元),支付方式,当前状态,交易单号,商户单号,备注\n"
)


def _bill_plan(db: Database, *rows: str) -> PayPlan:
    data = (WECHAT_HEAD + "\n".join(rows) + "\n").encode()
    with db.session() as s:
        return plan_payments(build_draft(s, parse_bill(data)))


def _transfer(when: str, payer: str, amount: str, trade_no: str) -> str:
    return f"{when},转账,{payer},/,收入,¥{amount},/,已收钱,{trade_no}\t,/,/"


def test_an_order_far_from_the_payment_in_time_is_not_matched(db: Database, shop: Shop) -> None:
    plan = _bill_plan(db, _transfer("2027-01-15 10:00:00", "陈姐", "199.00", "T1"))
    assert plan.rows[0].status == S.UNMATCHED, "陈姐's order was taken two months before"


def test_the_same_payer_with_two_orders_of_the_amount_is_for_the_leader(
    db: Database, shop: Shop
) -> None:
    from tuan.domain.shared.orders import LineRequest, place_order
    from tuan.models import ChainItem

    with db.transaction() as s:
        item = s.exec(select(ChainItem).where(col(ChainItem.name) == "健康厨房入门套装")).one()
        order = s.get(Order, shop.orders[4])
        assert order is not None and item.id is not None
        place_order(s, shop.chain, order.member_id, [LineRequest(item.id, 1)],
                    moment=datetime.fromisoformat("2026-11-22T09:00:00+08:00"))  # fmt: skip
    plan = _bill_plan(db, _transfer("2026-11-23 12:00:30", "陈姐", "199.00", "T1"))
    assert plan.rows[0].status == S.AMBIGUOUS and len(plan.rows[0].options) == 2


def test_a_payment_of_one_household_member_order(db: Database, shop: Shop) -> None:
    plan = _bill_plan(db, _transfer("2026-11-21 10:00:00", "王阿姨", "69.00", "T1"))
    (row,) = plan.rows
    assert row.status == S.MATCHED and row.allocations[0].order_id == shop.orders[2]
    assert "同一户 李叔" in row.reasons[0]


def test_the_report_has_the_documented_shape(db: Database, shop: Shop) -> None:
    draft, plan = _plan(db, WECHAT)
    with db.transaction() as s:
        result = apply_plan(s, draft, plan)
        s.rollback()
    report = import_report(draft, plan, result)
    assert set(report) == {"bill", "rows", "summary"}
    assert report["bill"] == {
        "source": "wechat", "file": "wechat_bill.csv", "account": "绿源生活-小林",
        "period": ["2026-11-01 00:00:00", "2026-11-26 09:30:00"],
    }  # fmt: skip
    row = report["rows"][0]
    assert set(row) == {"line", "time", "kind", "payer", "direction", "amount_cents", "trade_no",
                        "status", "applies", "orders", "options", "reasons"}  # fmt: skip
    assert row["orders"][0] == {"order_id": shop.orders[1], "chain_id": shop.chain,
                                "chain": "第72期 健康粮油团", "number": "1", "member": "王阿姨",
                                "cents": 19900}  # fmt: skip
    assert report["rows"][5]["options"][0]["orders"][0]["number"] == "7"
    assert report["summary"] == {
        "matched": 5, "ambiguous": 1, "unmatched": 1, "skipped": 3,
        "recorded": 5, "recorded_cents": 78300, "orders_paid": 5,
    }  # fmt: skip
    assert paid_orders(db, shop) == {8}, "rolled back"
