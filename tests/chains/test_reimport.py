"""Pasting a later copy of the same chain: new entries added, changed ones updated, vanished ones
listed and only cancelled when the leader agrees; never a duplicate order."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import col, select

from tests.chains.fixtures import make_shop, order_count, view_of
from tuan.db import Database
from tuan.domain.chains.entries import EntryDraft, save_entry
from tuan.domain.chains.export import export_chain
from tuan.domain.chains.import_apply import apply_plan
from tuan.domain.chains.import_draft import build_draft
from tuan.domain.chains.import_plan import Decisions, plan_import
from tuan.domain.shared.orders import LineRequest
from tuan.domain.shared.people import MemberDraft, create_member
from tuan.models import Order

FIRST = """#接龙
绿源生活｜第1期 冷榨油团
例：1. 王阿姨 3-1202 A×1

1. 王阿姨 3-1202 套装1
2. 小李 5-601 亚麻2
3. 李阿姨 2-301 橄榄油1
"""


def _import(db: Database, text: str, chain_id: int, decisions: Decisions | None = None):
    with db.transaction() as session:
        draft = build_draft(session, text, chain_id)
        plan = plan_import(draft, decisions)
        result = apply_plan(session, draft, plan)
    return plan, result


def _entries(
    db: Database, chain_id: int
) -> list[tuple[int, str, str, tuple[tuple[int, int], ...]]]:
    with db.session() as session:
        view = view_of(session, chain_id)
    return [(e.seq, e.nickname, e.status, e.items) for e in view.entries]


def test_the_same_copy_twice_changes_nothing(db: Database) -> None:
    shop = make_shop(db)
    _import(db, FIRST, shop.chain)
    before = _entries(db, shop.chain)
    plan, result = _import(db, FIRST, shop.chain)
    assert [row.action for row in plan.rows] == ["unchanged"] * 3
    assert result.summary == {"added": 0, "updated": 0, "unchanged": 3, "removed": 0}
    assert _entries(db, shop.chain) == before
    assert order_count(db, shop.chain) == 3


def test_a_longer_copy_adds_only_the_new_entries(db: Database) -> None:
    shop = make_shop(db)
    _import(db, FIRST, shop.chain)
    later = FIRST + "4. 陈晨 套装1\n5. 新邻居 8-808 橄榄油2\n"
    plan, result = _import(db, later, shop.chain)
    assert [row.action for row in plan.rows] == ["unchanged"] * 3 + ["add", "add"]
    assert result.summary["added"] == 2
    assert [seq for seq, *_rest in _entries(db, shop.chain)] == [1, 2, 3, 4, 5]


def test_a_changed_line_updates_its_order(db: Database) -> None:
    shop = make_shop(db)
    _import(db, FIRST, shop.chain)
    changed = FIRST.replace("2. 小李 5-601 亚麻2", "2. 小李 5-601 亚麻3 橄榄油1（周六取）")
    plan, result = _import(db, changed, shop.chain)
    assert [row.action for row in plan.rows] == ["unchanged", "update", "unchanged"]
    assert result.summary["updated"] == 1
    with db.session() as session:
        xiaoli = view_of(session, shop.chain).entries[1]
    assert dict(xiaoli.items) == {shop.items["亚麻籽油"]: 3, shop.items["橄榄油"]: 1}
    assert xiaoli.note == "周六取"
    assert order_count(db, shop.chain) == 3


def test_a_vanished_line_is_listed_and_only_cancelled_when_confirmed(db: Database) -> None:
    shop = make_shop(db)
    _import(db, FIRST, shop.chain)
    # 小李 withdrew: WeChat renumbers, so 李阿姨 is now number 2.
    shorter = FIRST.replace("2. 小李 5-601 亚麻2\n", "").replace("3. 李阿姨", "2. 李阿姨")
    plan, result = _import(db, shorter, shop.chain)
    assert [(row.seq, row.name, row.action, row.applies) for row in plan.rows] == [
        (1, "王阿姨", "unchanged", True),
        (2, "李阿姨", "unchanged", True),
        (2, "小李", "remove", False),
    ]
    assert result.summary["removed"] == 0
    assert order_count(db, shop.chain, "active") == 3, "nothing cancelled without the leader"
    _plan, result = _import(db, shorter, shop.chain, Decisions(cancel_removed=True))
    assert result.summary["removed"] == 1
    assert [(seq, name, status) for seq, name, status, _i in _entries(db, shop.chain)] == [
        (1, "王阿姨", "active"),
        (2, "小李", "cancelled"),
        (3, "李阿姨", "active"),
    ]
    plan, result = _import(db, shorter, shop.chain)
    assert not any(row.action == "remove" for row in plan.rows), "already cancelled"


def test_entries_taken_in_the_app_after_the_copy_are_not_removed(db: Database) -> None:
    shop = make_shop(db)
    _import(db, FIRST, shop.chain)
    with db.transaction() as session:
        draft = EntryDraft(shop.members["陈晨"], None, (LineRequest(shop.items["套装"], 1),))
        save_entry(session, shop.chain, draft)  # number 4, newer than the copy
    plan, _result = _import(db, FIRST, shop.chain)
    assert [row.action for row in plan.rows] == ["unchanged"] * 3


def test_same_person_twice_the_first_line_stands_until_the_leader_agrees(db: Database) -> None:
    shop = make_shop(db)
    twice = FIRST + "4. 小李 5-601 亚麻5\n"
    plan, _result = _import(db, twice, shop.chain)
    assert plan.duplicates == 1
    assert (plan.rows[3].applies, plan.rows[3].status) == (False, "review")
    assert "以第 2 条为准" in plan.rows[3].reasons[0]
    assert order_count(db, shop.chain) == 3
    plan, result = _import(db, twice, shop.chain, Decisions(later_wins=True))
    assert result.summary == {"added": 0, "updated": 1, "unchanged": 2, "removed": 0}
    with db.session() as session:
        xiaoli = view_of(session, shop.chain).entries[1]
    assert (xiaoli.seq, xiaoli.items) == (2, ((shop.items["亚麻籽油"], 5),))
    assert order_count(db, shop.chain) == 3, "the later line replaced the first, no new order"


def test_a_leaders_member_pick_is_remembered_by_the_order(db: Database) -> None:
    shop = make_shop(db)
    text = "1. 王阿姨 套装1\n"
    _import(db, text, shop.chain, Decisions(members={0: shop.members["王阿姨7-101"]}))
    plan, _result = _import(db, text, shop.chain)
    row = plan.rows[0]
    assert (row.member_status, row.member_id, row.action) == (
        "matched",
        shop.members["王阿姨7-101"],
        "unchanged",
    )


NAMES = st.sampled_from(["阿花", "小明", "Amy", "老周", "丹丹", "Coco", "春燕", "大壮", "甜甜"])


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    entries=st.lists(
        st.tuples(
            NAMES,
            st.integers(1, 30),  # building
            st.integers(101, 2604),  # room
            st.dictionaries(
                st.sampled_from(["橄榄油", "亚麻籽油", "套装"]), st.integers(1, 2), min_size=1
            ),
            st.sampled_from(["", "", "周六取", "放门口"]),
        ),
        min_size=1,
        max_size=5,  # the kit has 10 in stock
    )
)
def test_any_chain_exported_and_imported_back_is_unchanged(db: Database, entries) -> None:
    shop = make_shop(db, title="往返测试")
    with db.transaction() as session:
        for name, building, room, items, note in entries:
            draft = MemberDraft(nickname=name, building=str(building), room=str(room))
            member = create_member(session, draft)
            session.flush()
            lines = tuple(LineRequest(shop.items[alias], qty) for alias, qty in items.items())
            save_entry(session, shop.chain, EntryDraft(member.id, None, lines, note))
    with db.session() as session:
        text = export_chain(session, shop.chain).text
        orders_before = session.exec(
            select(Order.id).where(col(Order.chain_id) == shop.chain)
        ).all()
    plan, result = _import(db, text, shop.chain)
    assert [(row.action, row.member_status) for row in plan.rows] == [
        ("unchanged", "matched")
    ] * len(entries)
    assert result.summary["unchanged"] == len(entries)
    with db.session() as session:
        orders_after = session.exec(select(Order.id).where(col(Order.chain_id) == shop.chain)).all()
    assert orders_after == orders_before


def test_a_later_copy_cannot_drop_pieces_already_refunded(db: Database) -> None:
    from tuan.domain.shared.refunds import add_refund
    from tuan.models import Refund

    shop = make_shop(db)
    _import(db, FIRST, shop.chain)
    with db.transaction() as session:
        li = session.exec(
            select(Order).where(col(Order.chain_id) == shop.chain, col(Order.seq) == 2)
        ).one()
        add_refund(session, li.id or 0, qty=1, reason="坏果")  # 小李's 亚麻2: one bad bottle
    later = FIRST.replace("2. 小李 5-601 亚麻2", "2. 小李 5-601 橄榄油1").replace(
        "3. 李阿姨 2-301 橄榄油1", "3. 李阿姨 2-301 橄榄油2"
    )
    _plan, result = _import(db, later, shop.chain)
    assert set(result.errors) == {1}  # the second row (0-based 1): refused, with the reason
    assert "退款" in result.errors[1]
    entries = _entries(db, shop.chain)
    assert entries[1][3] == ((shop.items["亚麻籽油"], 2),)  # 小李's order and its refund stay
    assert entries[2][3] == ((shop.items["橄榄油"], 2),)  # the other change went in
    with db.session() as session:
        assert len(session.exec(select(Refund)).all()) == 1
