"""Re-importing writes changed entries in bulk when no rule can refuse them, and what it writes
is exactly what `orders` writes one row at a time (`apply_plan(..., bulk=False)`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text as sql
from sqlmodel import Session, col, select

from tests.chains.fixtures import shop_form
from tuan import clock
from tuan.db import Database
from tuan.domain.chains import import_apply as chain_import_apply
from tuan.domain.chains.edit import save_chain
from tuan.domain.chains.import_apply import ApplyResult, apply_plan
from tuan.domain.chains.import_draft import build_draft
from tuan.domain.chains.import_plan import Decisions, plan_import
from tuan.domain.shared.orders import LineRequest, cancel_order, update_order
from tuan.domain.shared.people import MemberDraft, create_member
from tuan.models import ChainItem, FlashSale, Livestream, Order, OrderLine

NEIGHBOURS = [("王阿姨", "3", "1202"), ("小李", "5", "601"), ("李阿姨", "2", "301"),
              ("王阿姨", "7", "101"), ("陈晨", "", "")]  # fmt: skip
BASE = """1. 王阿姨 3-1202 套装1
2. 小李 5-601 亚麻2
3. 李阿姨 2-301 橄榄油1
4. 陈晨 亚麻1 套装1
5. 王阿姨 7-101 亚麻1
"""
# 1 more kit; 2 gives back three linseed; 3 more olive oil and new linseed; 4 drops its linseed;
# 5 vanished (cancelled when confirmed); 6 is new.
LATER = """1. 王阿姨 3-1202 套装2
2. 小李 5-601 亚麻1 周六取
3. 李阿姨 2-301 橄榄油2 亚麻1
4. 陈晨 套装1
6. 新邻居 8-808 橄榄油1
"""
Tweak = Callable[[Session, dict[str, int]], None]


def _scene(session: Session) -> dict[str, int]:
    """The shop with BASE imported; 小李 holds linseed at two prices, partly collected."""
    chain = save_chain(session, shop_form())
    for nickname, building, room in NEIGHBOURS:
        create_member(session, MemberDraft(nickname=nickname, building=building, room=room))
    session.flush()
    draft = build_draft(session, BASE, chain.id)
    apply_plan(session, draft, plan_import(draft))
    items = {i.aliases.split()[0]: i for i in session.exec(select(ChainItem))}
    ids = {alias: item.id or 0 for alias, item in items.items()}
    orders = {o.seq: o.id or 0 for o in session.exec(select(Order))}
    linseed = items["亚麻籽油"]
    linseed.price_cents = 5900  # the price changed after 小李 joined: two more at 59
    session.add(linseed)
    update_order(session, orders[2], [LineRequest(linseed.id or 0, 4)])
    for line in session.exec(select(OrderLine).where(col(OrderLine.order_id) == orders[2])):
        line.collected_qty = 1 if line.unit_price_cents == 6900 else 2
        session.add(line)
    session.flush()
    return {"chain": chain.id or 0, **ids, **{f"order{seq}": oid for seq, oid in orders.items()}}


def _dump(session: Session) -> list[tuple[object, ...]]:
    """Every order and its lines (by item and price), without ids (PostgreSQL never reuses them)."""
    orders = session.connection().execute(
        sql(
            "SELECT o.id, o.seq, m.nickname, m.building, m.room, o.status, o.paid, o.note,"
            " o.leader_note, o.raw, o.channel, o.created_at, o.updated_at FROM orders o"
            " JOIN member m ON m.id = o.member_id ORDER BY o.seq"
        )
    )
    dump = []
    for order_id, *fields in orders:
        lines = session.connection().execute(
            sql(
                "SELECT i.name, l.qty, l.unit_price_cents, l.collected_qty,"
                " l.flash_sale_id IS NOT NULL, l.gift FROM orderline l"
                " JOIN chainitem i ON i.id = l.item_id WHERE l.order_id = :id"
            ),
            {"id": order_id},
        )
        # Sorted here: line ids follow insertion order, which neither path promises (and
        # PostgreSQL's collation would sort the names differently).
        dump.append((*fields, tuple(sorted(tuple(line) for line in lines))))
    return dump


def _orm_view(session: Session) -> list[tuple[object, ...]]:
    """The same orders read through the session, which must not hold stale copies."""
    lines: dict[int, list[tuple[int, int, int]]] = {}
    for line in session.exec(select(OrderLine).order_by(col(OrderLine.id))):
        lines.setdefault(line.order_id, []).append((line.qty, line.unit_price_cents,
                                                    line.collected_qty))  # fmt: skip
    return [
        (
            order.seq,
            order.status,
            order.note,
            order.raw,
            order.updated_at.astimezone(UTC).isoformat(timespec="seconds"),
            sorted(lines[order.id or 0]) if order.id in lines else None,
        )
        for order in session.exec(select(Order).order_by(col(Order.seq)))
    ]


def _orm_view_of(dump: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """What `_orm_view` must show, from the rows read straight from the database."""
    return [
        (row[0], row[4], row[6], row[8], row[11],
         sorted(line[1:4] for line in row[-1]) or None)
        for row in dump
    ]  # fmt: skip


def _run(
    db: Database,
    text: str,
    *,
    bulk: bool,
    tweak: Tweak | None = None,
    after_draft: Tweak | None = None,
) -> tuple[ApplyResult, list[tuple[object, ...]]]:
    """Build the scene, import `text` over it, read back every order; then undo it all."""
    with db.transaction() as session:
        scene = _scene(session)
        if tweak:
            tweak(session, scene)
        draft = build_draft(session, text, scene["chain"])
        plan = plan_import(draft, Decisions(cancel_removed=True))
        if after_draft:  # the database moved on while the leader looked at the preview
            after_draft(session, scene)
        # Orders and lines the session holds (as a screen might) must not go stale.
        held = [*session.exec(select(Order)), *session.exec(select(OrderLine))]
        result = apply_plan(session, draft, plan, bulk=bulk)
        dump = _dump(session)
        assert _orm_view(session) == _orm_view_of(dump), "the session holds no stale copies"
        del held
        session.rollback()
    return result, dump


def _same_both_ways(
    db: Database, text: str, spied: list[int] | None = None, **tweaks: Tweak | None
) -> tuple[ApplyResult, list[tuple[object, ...]]]:
    """Import one by one, then with the bulk path; both must write the same (`spied`: only the
    bulk run's one-by-one calls are kept)."""
    slow, slow_rows = _run(db, text, bulk=False, **tweaks)
    if spied is not None:
        spied.clear()
    fast, fast_rows = _run(db, text, bulk=True, **tweaks)
    assert fast_rows == slow_rows
    assert (fast.summary, fast.errors, fast.members_created) == (
        slow.summary,
        slow.errors,
        slow.members_created,
    )
    return fast, fast_rows


def _by_seq(rows: list[tuple[Any, ...]]) -> dict[Any, tuple[Any, ...]]:
    return {row[0]: row for row in rows}


@pytest.fixture
def spied(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Order ids `update_order` was called for from the import (the one-by-one path)."""
    calls: list[int] = []

    def spy(session: Session, order_id: int, *args: Any, **kwargs: Any) -> Order:
        calls.append(order_id)
        return update_order(session, order_id, *args, **kwargs)

    monkeypatch.setattr(chain_import_apply, "update_order", spy)
    return calls


def test_changed_entries_are_written_in_bulk_exactly_as_one_by_one(
    db: Database, spied: list[int]
) -> None:
    result, rows = _same_both_ways(db, LATER, spied)
    assert result.errors == {}
    assert result.summary == {"added": 1, "updated": 4, "unchanged": 0, "removed": 1}
    assert spied == [], "every change was provably safe, so none went one by one"
    orders = _by_seq(rows)
    kept_units = ("冷榨亚麻籽油", 1, 5900, 1, False, "")
    assert orders[2][-1] == (kept_units,), "the dearer units went back first, collected clamped"
    assert orders[2][6] == "周六取" and orders[2][4] == "active"
    assert orders[1][-1] == (("健康厨房入门套装", 1, 25900, 0, False, ""),) * 2
    olive = ("冷榨橄榄油", 1, 8900, 0, False, "")
    assert orders[3][-1] == (("冷榨亚麻籽油", 1, 5900, 0, False, ""), olive, olive), "new lines"
    assert orders[4][-1] == (("健康厨房入门套装", 1, 25900, 0, False, ""),)
    assert orders[5][4] == "cancelled" and orders[6][4] == "active"


def test_a_cancelled_order_comes_back_counting_its_full_quantity(db: Database) -> None:
    def cancel_lis(session: Session, scene: dict[str, int]) -> None:
        cancel_order(session, scene["order3"])

    def olive_short(session: Session, scene: dict[str, int]) -> None:
        olive = session.get(ChainItem, scene["橄榄油"])
        assert olive is not None
        olive.stock = 2  # 李阿姨 back with 2: none for the newcomer
        session.add(olive)

    result, rows = _same_both_ways(db, LATER, tweak=olive_short, after_draft=cancel_lis)
    assert list(result.errors) == [4] and "库存不足" in result.errors[4]
    orders = _by_seq(rows)
    assert orders[3][4] == "active"
    assert [line[:2] for line in orders[3][-1]] == [("冷榨亚麻籽油", 1), ("冷榨橄榄油", 1),
                                                    ("冷榨橄榄油", 1)]  # fmt: skip
    assert 6 not in orders


def test_rows_past_stock_or_limit_are_refused_and_the_rest_apply(
    db: Database, spied: list[int]
) -> None:
    def tight(session: Session, scene: dict[str, int]) -> None:
        kit = session.get(ChainItem, scene["套装"])
        assert kit is not None
        kit.stock = 2  # all sold: 王阿姨 cannot have one more
        session.add(kit)

    text = LATER.replace("李阿姨 2-301 橄榄油2", "李阿姨 2-301 橄榄油4")  # limit 3
    result, rows = _same_both_ways(db, text, spied, tweak=tight)
    assert sorted(result.errors) == [0, 2]
    assert "库存不足" in result.errors[0] and "超出限购" in result.errors[2]
    assert result.summary == {"added": 1, "updated": 2, "unchanged": 0, "removed": 1}
    orders = _by_seq(rows)
    assert orders[1][-1] == (("健康厨房入门套装", 1, 25900, 0, False, ""),), "refused: unchanged"
    assert orders[2][-1] == (("冷榨亚麻籽油", 1, 5900, 1, False, ""),), "applied"
    assert len(spied) == 3, "only rows touching the sold-out kit or over a limit went one by one"


def _flash_on_kit(session: Session, scene: dict[str, int]) -> None:
    live = Livestream(theme="好油", status="live", chain_id=scene["chain"],
                      started_at=clock.now() - timedelta(minutes=5))  # fmt: skip
    session.add(live)
    session.flush()
    assert live.id is not None
    session.add(FlashSale(livestream_id=live.id, item_id=scene["套装"], live_price_cents=19900,
                          start_minute=0, cap=1, gift_name="围裙", gift_count=1))  # fmt: skip
    session.flush()


def test_an_open_flash_sale_keeps_its_rows_one_by_one(db: Database, spied: list[int]) -> None:
    _result, rows = _same_both_ways(db, LATER, spied, tweak=_flash_on_kit)
    assert ("健康厨房入门套装", 1, 19900, 0, True, "围裙") in _by_seq(rows)[1][-1]
    assert len(spied) == 2, "王阿姨 and 陈晨 hold the kit on flash sale"


ALIASES = ("橄榄油", "亚麻", "套装")


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    wants=st.lists(
        st.dictionaries(st.sampled_from(ALIASES), st.integers(1, 4), min_size=1, max_size=3),
        min_size=4,
        max_size=4,
    ),
    kit_stock=st.integers(2, 7),
    olive_limit=st.integers(1, 4),
    cancel=st.sampled_from([None, "order1", "order3"]),
    flash=st.booleans(),
)
def test_any_changes_are_written_the_same_both_ways(
    db: Database, wants, kit_stock, olive_limit, cancel, flash
) -> None:
    people = ["王阿姨 3-1202", "小李 5-601", "李阿姨 2-301", "陈晨"]
    text = "".join(
        f"{seq}. {who} " + " ".join(f"{alias}{qty}" for alias, qty in want.items()) + "\n"
        for seq, (who, want) in enumerate(zip(people, wants, strict=True), 1)
    ) + "6. 新邻居 8-808 套装1\n"  # fmt: skip

    def tweak(session: Session, scene: dict[str, int]) -> None:
        kit, olive = session.get(ChainItem, scene["套装"]), session.get(ChainItem, scene["橄榄油"])
        assert kit is not None and olive is not None
        kit.stock, olive.limit_per_person = kit_stock, olive_limit
        session.add_all([kit, olive])
        if flash:
            _flash_on_kit(session, scene)

    def after_draft(session: Session, scene: dict[str, int]) -> None:
        if cancel:
            cancel_order(session, scene[cancel])

    _same_both_ways(db, text, tweak=tweak, after_draft=after_draft)


def test_new_members_are_created_once_and_attached_to_their_own_lines(db: Database) -> None:
    text = LATER + "7. 🌸阿花 9-901 亚麻1\n8. 老周 4-402 套装1\n9. 小明 1-101 橄榄油1\n"
    result, rows = _same_both_ways(db, text)
    assert result.members_created == 4 and result.errors == {}
    people = {row[0]: row[1:4] for row in _by_seq(rows).values()}
    assert [people[seq] for seq in (6, 7, 8, 9)] == [
        ("新邻居", "8", "808"), ("阿花", "9", "901"), ("老周", "4", "402"), ("小明", "1", "101"),
    ]  # fmt: skip


def test_a_free_entry_is_paid_and_a_priced_one_is_not(db: Database) -> None:
    # 套装 made a free gift (¥0): 陈晨's entry owes nothing, so it is paid on import; 小李's
    # linseed owes ¥138 and stays unpaid; the bulk path decides it without reading payments.
    with db.transaction() as session:
        chain = save_chain(session, shop_form())
        for nickname, building, room in NEIGHBOURS:
            create_member(session, MemberDraft(nickname=nickname, building=building, room=room))
        kit = session.exec(select(ChainItem).where(col(ChainItem.name) == "健康厨房入门套装")).one()
        kit.price_cents = 0
        session.add(kit)
        session.flush()
        draft = build_draft(session, "#接龙\n第1期\n1. 陈晨 套装1\n2. 小李 5-601 亚麻2\n", chain.id)
        apply_plan(session, draft, plan_import(draft))
    with db.session() as session:
        paid = {o.seq: o.paid for o in session.exec(select(Order))}
    assert paid == {1: True, 2: False}
