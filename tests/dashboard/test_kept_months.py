"""The months the database keeps (`member_months`, `month_margins`; dashboard/kept_months.py).

What the triggers keep always equals what the orders count to (the views beside the tables),
after every kind of write, by tuan or by another tool; and the dashboard's months read from
them, with nothing stored, equal every month computed afresh from every order (the
definitions). The demo is frozen on 2026-11-26 (UTC+8), as in test_closed_months.py.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.dashboard.test_closed_months import (
    NOW,
    TODAY,
    _another_tool,
    _cancel_in_october,
    _cost_set,
    _place_in_october,
    _price_set_on_old_lines,
    _refund_in_october,
    _refund_whole,
    _sql,
    full,
    october_order,
    read,
)
from tuan import clock
from tuan.db import Database
from tuan.domain.dashboard import closed, kept_months, metrics, month_sums
from tuan.domain.dashboard.ledger import Ledger, advance
from tuan.domain.dashboard.order_rows import (
    ORDER_REFUNDS,
    cursor_rows,
    order_facts,
    order_facts_sql,
)
from tuan.domain.dashboard.quick import numbers
from tuan.domain.shared.orders import LineRequest, place_order, update_order
from tuan.domain.shared.refunds import delete_refund

pytestmark = pytest.mark.sqlite_only

KEPT = {
    "member_months": "SELECT * FROM member_months ORDER BY member_id, month",
    "month_margins": "SELECT * FROM month_margins WHERE sold <> 0 OR cost <> 0 OR units <> 0 "
    "ORDER BY month",
}
COUNTED = {
    "member_months": "SELECT * FROM member_months_counted ORDER BY member_id, month",
    "month_margins": "SELECT * FROM month_margins_counted ORDER BY month",
}


@pytest.fixture
def kept(demo_db: Database) -> Iterator[Database]:
    clock.freeze(NOW)
    assert kept_months.ensure(demo_db)
    yield demo_db
    clock.freeze(None)


def assert_kept(db: Database) -> list[tuple[Any, ...]]:
    """The kept rows equal the counted ones; returns them (the members' months, then the
    months' margins)."""
    conn = _sql(db)
    found = []
    try:
        for table, query in KEPT.items():
            rows = conn.execute(query).fetchall()
            assert rows == conn.execute(COUNTED[table]).fetchall(), table
            found += rows
        return found
    finally:
        conn.close()


def forget_months(db: Database) -> None:
    """No stored ledger: the months are read from what the database keeps."""
    conn = _sql(db)
    try:
        for key in closed.KEYS:
            conn.execute("DELETE FROM meta WHERE key = ?", (key,))
    finally:
        conn.close()


@pytest.fixture
def no_fold(monkeypatch: pytest.MonkeyPatch) -> None:
    """The orders before this month are never read one member and month at a time: the kept
    months were used."""

    def never(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("every order read: the kept months were not used")

    monkeypatch.setattr(month_sums, "facts_before", never)


def from_kept(db: Database) -> list[dict[str, Any]]:
    """The dashboard's months with nothing stored."""
    forget_months(db)
    return read(db, deep=False)


def test_the_upgrade_keeps_nothing_until_the_app_counts_once(demo_db: Database) -> None:
    conn = _sql(demo_db)
    try:  # the demo as the upgrade leaves it: no zone, so the triggers kept nothing
        assert conn.execute("SELECT count(*) FROM month_zone").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM member_months").fetchone() == (0,)
        clock.freeze(NOW)
        assert kept_months.ensure(demo_db)
        assert conn.execute("SELECT shift FROM month_zone").fetchall() == [("+480 minutes",)]
    finally:
        conn.close()
    rows = assert_kept(demo_db)
    assert len(rows) > 1000  # the demo's members and months
    try:
        assert kept_months.ensure(demo_db)  # the same zone: nothing counted again
        assert assert_kept(demo_db) == rows
    finally:
        clock.freeze(None)


@pytest.mark.usefixtures("no_fold")
def test_the_months_read_from_what_is_kept_are_every_month_computed_afresh(
    kept: Database,
) -> None:
    expected = full(kept)
    assert any(m["dormant"] for m in expected) and any(m["refunds_cents"] for m in expected)
    assert any(m["costed_gmv_cents"] for m in expected)
    assert from_kept(kept) == expected
    # It stored this month's start as it found it: the next reading reads only what is new.
    assert read(kept, deep=True) == expected


def test_the_ledger_at_this_month_s_start_is_the_one_folded_from_every_order(
    kept: Database,
) -> None:
    conn = _sql(kept)
    try:
        rows = cursor_rows(conn)
        zone = clock.local_zone()
        refunds = rows(ORDER_REFUNDS, ())
        start = kept_months.start(rows, zone, "2026-11", refunds)
        assert start is not None
        margins: dict[str, list[int]] = {}
        every = order_facts(rows(order_facts_sql(), ()), zone, refunds, margins)
        folded = advance(Ledger(), every, margins, TODAY, keep=True).closed
    finally:
        conn.close()
    assert folded is not None
    assert start.ledger == folded


def _delete_order(db: Database) -> None:
    _another_tool(db, "DELETE FROM orders WHERE id = ?", october_order(db, 5))


def _move_to_another_member(db: Database) -> None:
    _another_tool(
        db, "UPDATE orders SET member_id = member_id + 1 WHERE id = ?", october_order(db, 6)
    )


def _move_to_another_month(db: Database) -> None:
    _another_tool(
        db,
        "UPDATE orders SET created_at = '2026-08-31T17:00:00+00:00' WHERE id = ?",
        october_order(db, 7),
    )


def _one(db: Database, sql: str) -> tuple[Any, ...]:
    with db.session() as s:
        return tuple(s.connection().exec_driver_sql(sql).one())


def _edit_an_order(db: Database) -> None:
    order, item, qty = _one(
        db,
        "SELECT o.id, l.item_id, l.qty FROM orders o JOIN chain c ON c.id = o.chain_id "
        "JOIN orderline l ON l.order_id = o.id "
        "WHERE c.status = 'open' AND o.status = 'active' ORDER BY o.id LIMIT 1",
    )
    with db.transaction() as s:
        update_order(s, order, [LineRequest(int(item), 1 if qty > 1 else 2)])


def _refund_deleted(db: Database) -> None:
    with db.transaction() as s:
        refund = s.connection().exec_driver_sql("SELECT min(id) FROM refund").scalar_one()
        delete_refund(s, int(refund))


def _a_new_order_today(db: Database) -> None:
    chain, member, item = _one(
        db,
        "SELECT c.id, (SELECT max(id) FROM member), i.id FROM chain c "
        "JOIN chainitem i ON i.chain_id = c.id "
        "WHERE c.status = 'open' AND i.price_known ORDER BY i.id LIMIT 1",
    )
    with db.transaction() as s:
        place_order(s, chain, member, [LineRequest(item, 2)])


@pytest.mark.parametrize(
    "write",
    [_place_in_october, _refund_in_october, _refund_whole, _cancel_in_october,
     _price_set_on_old_lines, _cost_set, _delete_order, _move_to_another_member,
     _move_to_another_month, _edit_an_order, _refund_deleted, _a_new_order_today],
)  # fmt: skip
@pytest.mark.usefixtures("no_fold")
def test_every_write_keeps_the_months_and_their_figures(kept: Database, write: Any) -> None:
    before = assert_kept(kept)
    figures = full(kept)
    write(kept)
    assert assert_kept(kept) != before  # the write moved a member's month, or a margin
    expected = full(kept)
    assert expected != figures
    assert from_kept(kept) == expected


@pytest.mark.usefixtures("no_fold")
def test_random_edits_by_another_tool_keep_the_months(kept: Database) -> None:
    """A differential test, as test_closed_months' for the stored ledgers."""
    rng = random.Random(16)
    conn = _sql(kept)
    orders = [r[0] for r in conn.execute("SELECT id FROM orders ORDER BY id")]
    conn.close()
    edits = [
        "UPDATE orders SET status = CASE status WHEN 'active' THEN 'cancelled' ELSE 'active' END "
        "WHERE id = ?",
        "UPDATE orderline SET qty = qty + 1 WHERE order_id = ?",
        "UPDATE orderline SET unit_price_cents = 0 WHERE order_id = ?",
        "DELETE FROM orderline WHERE id = (SELECT max(id) FROM orderline WHERE order_id = ?)",
        "DELETE FROM refund WHERE order_id = ?",
        "INSERT INTO refund (order_id, line_id, qty, amount_cents, reason, refunded_on, note, "
        "created_at) SELECT order_id, id, qty, 0, 'other', '2026-11-26', '', "
        "'2026-11-26T02:00:00+00:00' FROM orderline WHERE order_id = ? LIMIT 1",
        "UPDATE orders SET created_at = '2026-06-20T04:00:00+00:00' WHERE id = ?",
        "UPDATE chainitem SET cost_cents = CASE WHEN cost_cents IS NULL THEN 321 "
        "WHEN cost_cents % 2 = 0 THEN cost_cents + 55 ELSE NULL END "
        "WHERE id = (SELECT item_id FROM orderline WHERE order_id = ? LIMIT 1)",
        "UPDATE chainitem SET price_known = 1 - price_known "
        "WHERE id = (SELECT item_id FROM orderline WHERE order_id = ? LIMIT 1)",
    ]
    for step in range(14):
        sql = rng.choice(edits)
        _another_tool(kept, sql, rng.choice(orders))
        assert_kept(kept)
        assert from_kept(kept) == full(kept), (step, sql)


@pytest.mark.usefixtures("no_fold")
def test_another_zone_counts_every_month_again_in_its_own(kept: Database) -> None:
    before = assert_kept(kept)
    clock.freeze(datetime.fromisoformat("2026-11-26T10:00:00-03:00"))
    conn = _sql(kept)
    try:  # the months kept are Beijing's: not used for another zone
        rows = cursor_rows(conn)
        assert kept_months.start(rows, clock.local_zone(), "2026-11", []) is None
    finally:
        conn.close()
    assert kept_months.ensure(kept)
    after = assert_kept(kept)
    assert after != before  # orders near midnight moved to another day, some to another month
    assert from_kept(kept) == full(kept)


def test_a_zone_with_summer_time_keeps_nothing(kept: Database) -> None:
    clock.freeze(datetime(2026, 11, 26, 10, tzinfo=ZoneInfo("Europe/Berlin")))
    assert not kept_months.ensure(kept)
    conn = _sql(kept)
    try:
        assert conn.execute("SELECT count(*) FROM member_months").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM month_zone").fetchone() == (0,)
    finally:
        conn.close()
    _a_new_order_today(kept)  # nothing to keep: the triggers do nothing
    assert read(kept) == full(kept)  # every order read, as before


def test_a_zone_without_summer_time_is_one_shift() -> None:
    shanghai = ZoneInfo("Asia/Shanghai")
    assert kept_months.shift(shanghai, "2025-01-03T00:00:00+00:00", "2026-11") == "+480 minutes"
    berlin = ZoneInfo("Europe/Berlin")
    assert kept_months.shift(berlin, "2026-12-01T00:00:00+00:00", "2026-12") == "+60 minutes"
    assert kept_months.shift(berlin, "2026-01-03T00:00:00+00:00", "2026-12") is None
    kolkata = ZoneInfo("Asia/Kolkata")
    assert kept_months.shift(kolkata, None, "2026-11") == "+330 minutes"


def test_a_file_from_before_the_upgrade_reads_every_order(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "old.db")
    conn.execute("CREATE TABLE orders (created_at TEXT)")
    assert kept_months.start(cursor_rows(conn), clock.local_zone(), "2026-11", []) is None
    conn.close()


@pytest.mark.usefixtures("no_fold")
def test_the_quick_numbers_with_nothing_stored_read_the_kept_months(kept: Database) -> None:
    assert kept.path is not None
    forget_months(kept)
    found = numbers(kept.path, NOW)
    assert found is not None
    with kept.session() as s:
        expected = metrics.monthly_stats(s, 12, TODAY)
    assert found.overview.months == expected


def test_the_app_s_chores_and_the_commands_count_the_months(demo_db: Database) -> None:
    """`renew_snapshot` (after a command's writes, and the demo) counts them when not yet."""
    from tuan.domain.dashboard.overview import renew_snapshot

    clock.freeze(NOW)
    try:
        renew_snapshot(demo_db)
        assert len(assert_kept(demo_db)) > 1000
    finally:
        clock.freeze(None)


@pytest.mark.usefixtures("no_fold")
def test_a_member_turns_dormant_sixty_days_before_a_month_s_end_to_the_minute(
    kept: Database,
) -> None:
    """New members each with one order at the edges of the dormant count (local times, UTC+8):
    the last minute of the day 60 days before a month's end, and the first minute after."""
    moments = [
        "2026-08-01T23:59:00+08:00", "2026-08-02T00:00:00+08:00",  # September's end
        "2026-09-01T23:59:00+08:00", "2026-09-02T00:00:00+08:00",  # October's
        "2026-01-29T23:59:00+08:00", "2026-01-30T00:00:00+08:00",  # February's
        "2026-09-30T23:59:00+08:00", "2026-10-01T00:00:00+08:00",  # a month's turn
    ]  # fmt: skip
    conn = _sql(kept)
    try:
        chain, item = conn.execute("SELECT chain_id, id FROM chainitem LIMIT 1").fetchone()
        for n, moment in enumerate(moments):
            stored = datetime.fromisoformat(moment).astimezone(UTC).isoformat()
            member = conn.execute(
                "INSERT INTO member (nickname, name, phone, building, room, source, initials, "
                "is_koc, commission_bp, notes, joined_on) "
                "VALUES (?, '', '', '', '', 'offline', '', 0, 0, '', '2025-12-01')",
                (f"边界{n}",),
            ).lastrowid
            order = conn.execute(
                "INSERT INTO orders (chain_id, seq, member_id, status, paid, note, leader_note, "
                "raw, channel, created_at, updated_at) VALUES (?, (SELECT max(seq) + 1 FROM "
                "orders WHERE chain_id = ?), ?, 'active', 0, '', '', '', 'chain', ?, ?)",
                (chain, chain, member, stored, stored),
            ).lastrowid
            conn.execute(
                "INSERT INTO orderline (order_id, item_id, qty, unit_price_cents, "
                "collected_qty, gift) VALUES (?, ?, 1, 990, 0, '')",
                (order, item),
            )
    finally:
        conn.close()
    assert_kept(kept)
    assert from_kept(kept) == full(kept)


@pytest.mark.usefixtures("no_fold")
def test_orders_taken_today_move_the_latest_months_as_a_full_count_would(kept: Database) -> None:
    """The frequent write (a line on an order of the member's latest month, no refund) moves
    that month's row instead of counting the member again: for a member who already bought
    this month, one whose last order was months ago, a new member, and several lines."""
    with kept.transaction() as s:
        conn = s.connection()
        chain, first, second = conn.exec_driver_sql(
            "SELECT c.id, min(i.id), max(i.id) FROM chain c JOIN chainitem i ON i.chain_id = c.id "
            "WHERE c.status = 'open' AND i.price_known GROUP BY c.id ORDER BY c.id LIMIT 1"
        ).one()
        this_month = conn.exec_driver_sql(
            "SELECT member_id FROM orders WHERE status = 'active' AND created_at >= ? LIMIT 1",
            ("2026-10-31T16:00:00+00:00",),
        ).scalar_one()
        months_ago = conn.exec_driver_sql(
            "SELECT member_id FROM orders GROUP BY member_id HAVING max(created_at) < ? LIMIT 1",
            ("2026-08-31T16:00:00+00:00",),
        ).scalar_one()
        newcomer = conn.exec_driver_sql(
            "INSERT INTO member (nickname, name, phone, building, room, source, initials, "
            "is_koc, commission_bp, notes, joined_on) "
            "VALUES ('新邻居', '', '', '', '', 'offline', 'xlj', 0, 0, '', '2026-11-26')"
        ).lastrowid
        for member in (this_month, months_ago, newcomer):
            place_order(s, chain, member, [LineRequest(first, 1), LineRequest(second, 2)])
    assert_kept(kept)
    with kept.transaction() as s:
        order = s.connection().exec_driver_sql("SELECT max(id) FROM orders").scalar_one()
        update_order(s, order, [LineRequest(first, 2)])  # a line dropped, one changed
    assert_kept(kept)
    assert from_kept(kept) == full(kept)
