"""Entries typed by the leader: items read from one line, rules checked before saving, totals."""

from __future__ import annotations

from tests.chains.fixtures import make_shop, order_count, view_of
from tuan.db import Database
from tuan.domain.chains.entries import (
    EntryDraft,
    cancel_entry,
    check_entry,
    project_totals,
    read_lines,
    save_entry,
)
from tuan.domain.chains.listing import chain_items
from tuan.domain.shared.orders import LineRequest
from tuan.domain.shared.people import MemberDraft, find_members


def test_one_line_of_items_and_quantities(db: Database) -> None:
    shop = make_shop(db)
    with db.session() as session:
        items = chain_items(session, shop.chain)
    reading = read_lines("套装2 亚麻1", items)
    assert reading.lines == (
        LineRequest(shop.items["套装"], 2),
        LineRequest(shop.items["亚麻籽油"], 1),
    )
    assert reading.problems == ()
    assert "不认识的商品" in read_lines("榴莲2", items).problems[0]


def test_limit_and_stock_are_reported_before_saving(db: Database) -> None:
    shop = make_shop(db)
    wang = shop.members["王阿姨3-1202"]
    too_many = EntryDraft(wang, None, (LineRequest(shop.items["橄榄油"], 4),))
    with db.session() as session:
        problem = check_entry(session, shop.chain, too_many)
    assert problem is not None and "超出限购" in problem and "每人限 3 件" in problem
    assert order_count(db, shop.chain) == 0, "checking never keeps anything"
    fine = EntryDraft(wang, None, (LineRequest(shop.items["橄榄油"], 3),))
    with db.session() as session:
        assert check_entry(session, shop.chain, fine) is None


def test_new_member_on_the_fly_and_sequence_numbers(db: Database) -> None:
    shop = make_shop(db)
    newcomer = MemberDraft(nickname="张奶奶", building="9", room="901")
    with db.transaction() as session:
        first = save_entry(
            session, shop.chain, EntryDraft(None, newcomer, (LineRequest(shop.items["套装"], 1),))
        )
        second = save_entry(
            session,
            shop.chain,
            EntryDraft(shop.members["小李5-601"], None, (LineRequest(shop.items["亚麻籽油"], 2),)),
        )
    assert (first.seq, second.seq) == (1, 2)
    with db.session() as session:
        assert [m.nickname for m in find_members(session, "znn")] == ["张奶奶"]
        view = view_of(session, shop.chain)
    assert [(e.seq, e.nickname, e.room) for e in view.entries] == [
        (1, "张奶奶", "9-901"),
        (2, "小李", "5-601"),
    ]
    assert view.gmv_cents == 25900 + 2 * 6900


def test_editing_and_cancelling_keep_the_number(db: Database) -> None:
    shop = make_shop(db)
    wang = shop.members["王阿姨3-1202"]
    with db.transaction() as session:
        order = save_entry(
            session, shop.chain, EntryDraft(wang, None, (LineRequest(shop.items["套装"], 1),))
        )
    with db.transaction() as session:
        save_entry(
            session,
            shop.chain,
            EntryDraft(wang, None, (LineRequest(shop.items["套装"], 2),), note="周六取"),
            order.id,
        )
    with db.transaction() as session:
        cancel_entry(session, order.id or 0)
    with db.session() as session:
        (entry,) = view_of(session, shop.chain).entries
        kit = next(i for i in chain_items(session, shop.chain) if i.id == shop.items["套装"])
    assert (entry.seq, entry.status, entry.note, entry.items) == (
        1,
        "cancelled",
        "周六取",
        ((shop.items["套装"], 2),),
    )
    assert kit.left == 10, "a cancelled entry gives its units back"


def test_totals_follow_what_is_being_typed(db: Database) -> None:
    shop = make_shop(db)
    wang = shop.members["王阿姨3-1202"]
    with db.transaction() as session:
        save_entry(
            session, shop.chain, EntryDraft(wang, None, (LineRequest(shop.items["套装"], 2),))
        )
    with db.session() as session:
        view = view_of(session, shop.chain)
    typing = (LineRequest(shop.items["套装"], 3),)
    totals, gmv = project_totals(view.items, view.gmv_cents, typing)
    kit = next(t for t in totals if t.item.id == shop.items["套装"])
    assert (kit.sold, kit.left, kit.wanted) == (5, 5, 3)
    assert gmv == 5 * 25900
    # Editing the existing entry replaces its units instead of adding to them.
    totals, gmv = project_totals(view.items, view.gmv_cents, typing, view.entries[0])
    kit = next(t for t in totals if t.item.id == shop.items["套装"])
    assert (kit.sold, gmv) == (3, 3 * 25900)
