"""Pickup domain: the checklist order, the sorting list, search, marks with undo, reminders.

The fixture is small enough to check by hand:

| seq | member | room    | lines                                  |
|-----|--------|---------|----------------------------------------|
| 1   | 王阿姨 | 3-1202  | 冷榨橄榄油×2 (+电子书), 五常大米×1     |
| 2   | 小张   | 5-301   | 亚麻籽油×3                             |
| 3   | 李叔   | 3-1202  | 冷榨橄榄油×1 (+电子书)                 |
| 4   | 陈姐   | 12-1202 | 五常大米×2, 亚麻籽油×1                 |
| 5   | 赵六   | (none)  | 冷榨橄榄油×1                           |
| 6   | 小张   | 5-301   | 冷榨橄榄油×5, cancelled (never counts)  |

Totals: 冷榨橄榄油 4, 亚麻籽油 4, 五常大米 3; 5 thank-you cards; 2 gifts.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import col, select

from tuan.db import Database, open_database
from tuan.domain.pickup.checklist import (
    chain_products,
    checklist,
    create_uncollected_reminders,
    items_text,
    pickup_chain,
    progress,
)
from tuan.domain.pickup.collect import (
    CollectError,
    UndoStack,
    collect_orders,
    household,
    set_collected,
    set_paid,
    undo,
)
from tuan.domain.pickup.search import Filters, filter_rows
from tuan.domain.pickup.sorting import sorting_list, sorting_text
from tuan.domain.shared.people import MemberDraft, create_member
from tuan.models import Chain, ChainItem, Order, OrderLine, PickupPoint, Reminder, ReminderRule

PICKUP_START = datetime.fromisoformat("2026-11-26T09:00:00+08:00")
PICKUP_END = datetime.fromisoformat("2026-11-26T21:00:00+08:00")
MEMBERS = [
    ("王阿姨", "3", "1202", "13812341234"),
    ("小张", "5", "301", "13900005678"),
    ("李叔", "3", "1202", ""),
    ("陈姐", "12", "1202", "13700001111"),
    ("赵六", "", "", "18600002222"),
]
ORDERS = [  # seq, member index, [(item, qty, gift)], status, paid
    (1, 0, [("橄榄油", 2, "电子书"), ("大米", 1, "")], "active", True),
    (2, 1, [("亚麻", 3, "")], "active", False),
    (3, 2, [("橄榄油", 1, "电子书")], "active", True),
    (4, 3, [("大米", 2, ""), ("亚麻", 1, "")], "active", True),
    (5, 4, [("橄榄油", 1, "")], "active", False),
    (6, 1, [("橄榄油", 5, "")], "cancelled", False),
]
ITEMS = {"橄榄油": ("冷榨橄榄油", 8900), "亚麻": ("亚麻籽油", 6900), "大米": ("五常大米", 8900)}


def build_pickup_chain(database: Database, status: str = "closed") -> int:
    """The hand-checked chain above; returns its id."""
    with database.transaction() as s:
        point = PickupPoint(name="3号楼门口", address="阳光花园3号楼大堂")
        s.add(point)
        s.flush()
        chain = Chain(
            title="测试团",
            status=status,
            pickup_point_id=point.id,
            pickup_start=PICKUP_START,
            pickup_end=PICKUP_END,
        )
        s.add(chain)
        s.flush()
        assert chain.id is not None
        items = {}
        for position, (key, (name, price)) in enumerate(ITEMS.items()):
            item = ChainItem(chain_id=chain.id, position=position, name=name, price_cents=price)
            s.add(item)
            items[key] = item
        members = [
            create_member(s, MemberDraft(nick, building, room, phone))
            for nick, building, room, phone in MEMBERS
        ]
        s.flush()
        for seq, who, lines, order_status, paid in ORDERS:
            member_id = members[who].id
            assert member_id is not None
            order = Order(
                chain_id=chain.id, seq=seq, member_id=member_id, status=order_status, paid=paid
            )
            s.add(order)
            s.flush()
            assert order.id is not None
            for key, qty, gift in lines:
                item = items[key]
                assert item.id is not None
                s.add(
                    OrderLine(
                        order_id=order.id,
                        item_id=item.id,
                        qty=qty,
                        unit_price_cents=item.price_cents,
                        gift=gift,
                    )
                )
        return chain.id or 0


@pytest.fixture
def chain_id(db: Database) -> int:
    return build_pickup_chain(db)


@pytest.fixture
def pickup_path(tmp_path: Path) -> Path:
    """A database file holding only the hand-checked chain."""
    path = tmp_path / "pickup.db"
    database = open_database(path)
    build_pickup_chain(database)
    database.close()
    return path


def _rows(db: Database, chain_id: int):
    with db.session() as s:
        return checklist(s, chain_id)


def test_checklist_sits_households_together_and_skips_cancelled(db: Database, chain_id: int):
    rows = _rows(db, chain_id)
    assert [(r.seq, r.room_label) for r in rows] == [
        (1, "3-1202"),
        (3, "3-1202"),
        (2, "5-301"),
        (4, "12-1202"),
        (5, ""),
    ]
    first = rows[0]
    assert first.amount_cents == 2 * 8900 + 8900
    assert items_text(first) == "冷榨橄榄油×2 +电子书 五常大米×1"
    assert first.state == "none"


def test_sorting_list_totals_match_the_hand_count(db: Database, chain_id: int):
    with db.session() as s:
        chain = pickup_chain(s, chain_id)
        products = chain_products(s, chain_id)
        rows = checklist(s, chain_id)
    assert chain is not None
    sheet = sorting_list(chain, products, rows)
    assert sheet.products == ["冷榨橄榄油", "亚麻籽油", "五常大米"]
    assert dict(sheet.totals) == {"冷榨橄榄油": 4, "亚麻籽油": 4, "五常大米": 3}
    by_building = {b.label: (b.orders, dict(b.qty)) for b in sheet.buildings}
    assert by_building == {
        "3号楼": (2, {"冷榨橄榄油": 3, "五常大米": 1}),
        "5号楼": (1, {"亚麻籽油": 3}),
        "12号楼": (1, {"五常大米": 2, "亚麻籽油": 1}),
        "未填楼栋": (1, {"冷榨橄榄油": 1}),
    }
    assert [b.label for b in sheet.buildings] == ["3号楼", "5号楼", "12号楼", "未填楼栋"]
    assert [(g.seq, g.nickname, g.gift) for g in sheet.gifts] == [
        (1, "王阿姨", "电子书"),
        (3, "李叔", "电子书"),
    ]
    assert dict(sheet.gift_totals) == {"电子书": 2}
    assert sheet.cards == 5
    text = "\n".join(sorting_text(sheet))
    assert "【感谢卡】5 张" in text and "电子书 ×2" in text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("1202", [1, 3, 4]),  # a bare room matches every building
        ("3-1202", [1, 3]),
        ("3号楼1202", [1, 3]),
        ("wy", [1]),  # pinyin initials, in order: 王阿姨 = way
        ("WY", [1]),
        ("2", [2]),  # sequence number
        ("#4", [4]),
        ("１２３４", [1]),  # full-width phone tail
        ("小张", [2]),
        ("", [1, 3, 2, 4, 5]),
        ("没有这个人", []),
    ],
)
def test_search_by_room_initials_sequence_and_name(
    db: Database, chain_id: int, query: str, expected: list[int]
) -> None:
    rows = _rows(db, chain_id)
    assert [r.seq for r in filter_rows(rows, Filters(query=query))] == expected


def test_uncollected_and_unpaid_filters(db: Database, chain_id: int) -> None:
    with db.transaction() as s:
        collect_orders(s, [_order_id(db, chain_id, 1)])
    rows = _rows(db, chain_id)
    assert [r.seq for r in filter_rows(rows, Filters(uncollected_only=True))] == [3, 2, 4, 5]
    assert [r.seq for r in filter_rows(rows, Filters(unpaid_only=True))] == [2, 5]
    both = Filters(query="5-301", uncollected_only=True, unpaid_only=True)
    assert [r.seq for r in filter_rows(rows, both)] == [2]


def _order_id(db: Database, chain_id: int, seq: int) -> int:
    with db.session() as s:
        order = s.exec(select(Order).where(Order.chain_id == chain_id, Order.seq == seq)).one()
        return order.id or 0


def test_partial_collection_then_undo(db: Database, chain_id: int) -> None:
    first = _rows(db, chain_id)[0]
    olive, rice = first.lines
    stack = UndoStack()
    with db.transaction() as s:
        stack.push(set_collected(s, {olive.line_id: 1}, label="部分"))
    row = _rows(db, chain_id)[0]
    assert row.state == "partial" and row.collected == 1
    assert items_text(row, gifts=False) == "冷榨橄榄油×2(已领1) 五常大米×1"
    with db.transaction() as s:
        stack.push(set_collected(s, {olive.line_id: 2, rice.line_id: 1}))
    assert _rows(db, chain_id)[0].state == "all"
    with db.transaction() as s:
        mark = stack.pop()
        assert mark is not None
        result = undo(s, mark)
    assert result.skipped == 0
    assert _rows(db, chain_id)[0].collected == 1
    with db.transaction() as s:
        mark = stack.pop()
        assert mark is not None
        undo(s, mark)
    assert _rows(db, chain_id)[0].state == "none"
    assert stack.pop() is None


def test_collected_quantity_out_of_range_is_refused(db: Database, chain_id: int) -> None:
    olive = _rows(db, chain_id)[0].lines[0]
    with pytest.raises(CollectError, match="0 到 2"), db.transaction() as s:
        set_collected(s, {olive.line_id: 3})
    assert _rows(db, chain_id)[0].collected == 0, "nothing written"


def test_household_batch_and_undo_leaves_later_changes(db: Database, chain_id: int) -> None:
    rows = _rows(db, chain_id)
    home = household(rows, rows[0])
    assert [r.seq for r in home] == [1, 3]
    assert [r.seq for r in household(rows, rows[-1])] == [5], "no room: just that order"
    with db.transaction() as s:
        mark = collect_orders(s, [r.order_id for r in home], label="3-1202 整户领取")
    assert [r.state for r in _rows(db, chain_id)[:2]] == ["all", "all"]
    with db.transaction() as s:  # someone changes one line afterwards
        set_collected(s, {home[1].lines[0].line_id: 0})
    with db.transaction() as s:
        result = undo(s, mark)
    assert result.skipped == 1
    assert [r.state for r in _rows(db, chain_id)[:2]] == ["none", "none"]


def test_paid_toggle_and_progress(db: Database, chain_id: int) -> None:
    before = progress(_rows(db, chain_id))
    assert (before.orders, before.unpaid, before.unpaid_cents) == (5, 2, 3 * 6900 + 8900)
    with db.transaction() as s:
        mark = set_paid(s, [_order_id(db, chain_id, 2)], True)
        again = set_paid(s, [_order_id(db, chain_id, 2)], True)
    assert again.empty
    after = progress(_rows(db, chain_id))
    assert (after.unpaid, after.unpaid_cents) == (1, 8900)
    with db.transaction() as s:
        undo(s, mark)
    assert progress(_rows(db, chain_id)).unpaid == 2


def _reminders(db: Database) -> list[Reminder]:
    with db.session() as s:
        return list(s.exec(select(Reminder).order_by(col(Reminder.id))))


def test_uncollected_reminders_after_the_window(db: Database, chain_id: int) -> None:
    with db.transaction() as s:
        collect_orders(s, [_order_id(db, chain_id, 1)])
        assert create_uncollected_reminders(s, PICKUP_END - timedelta(minutes=1)) == 0
    later = PICKUP_END + timedelta(hours=13)
    with db.transaction() as s:
        assert create_uncollected_reminders(s, later) == 4
    with db.transaction() as s:
        assert create_uncollected_reminders(s, later) == 0, "running twice never duplicates"
    reminders = _reminders(db)
    assert {r.rule_key for r in reminders} == {
        f"uncollected:{_order_id(db, chain_id, seq)}" for seq in (2, 3, 4, 5)
    }
    by_order = {r.order_id: r for r in reminders}
    third = by_order[_order_id(db, chain_id, 3)]
    assert third.message == "您的冷榨橄榄油还在3号楼门口，记得来取哦"
    assert third.kind == "uncollected" and third.status == "open"
    assert str(third.due_on) == "2026-11-27"
    fourth = by_order[_order_id(db, chain_id, 4)]
    assert fourth.message == "您的亚麻籽油、五常大米还在3号楼门口，记得来取哦"


def test_collecting_closes_the_reminder_and_undo_reopens_it(db: Database, chain_id: int) -> None:
    with db.transaction() as s:
        create_uncollected_reminders(s, PICKUP_END + timedelta(hours=1))
    order_id = _order_id(db, chain_id, 2)
    with db.transaction() as s:
        mark = collect_orders(s, [order_id])
    reminder = next(r for r in _reminders(db) if r.order_id == order_id)
    assert reminder.status == "done"
    with db.transaction() as s:
        undo(s, mark)
    reminder = next(r for r in _reminders(db) if r.order_id == order_id)
    assert reminder.status == "open"


def test_no_reminders_for_done_chains_or_a_disabled_rule(db: Database, chain_id: int) -> None:
    later = PICKUP_END + timedelta(days=1)
    with db.transaction() as s:
        for rule in s.exec(select(ReminderRule).where(ReminderRule.kind == "uncollected")):
            rule.enabled = False
            s.add(rule)
    with db.transaction() as s:
        assert create_uncollected_reminders(s, later) == 0
        for rule in s.exec(select(ReminderRule).where(ReminderRule.kind == "uncollected")):
            rule.enabled = True
            s.add(rule)
        chain = s.get(Chain, chain_id)
        assert chain is not None
        chain.status = "done"
        s.add(chain)
    with db.transaction() as s:
        assert create_uncollected_reminders(s, later) == 0
