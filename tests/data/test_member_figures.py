"""Each member's stored figures (`member_figures`: active orders, spend after refunds, first and
last order, points) are what their orders, refunds and points add up to, after every kind of
write: the app's paths, a plain SQL statement from another tool, an order moved to another
member or deleted, an upgrade of a database that already holds orders. The members list shows
them and ranks by them."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text as sql
from sqlmodel import Session, col, select

from tests.data.old_schema import add_oil_chain, add_wang, database_before
from tests.data.test_order_totals import FIRST, LATER, shop_and_neighbours
from tuan.db import Database
from tuan.domain.chains.import_apply import apply_plan
from tuan.domain.chains.import_draft import build_draft
from tuan.domain.chains.import_plan import plan_import
from tuan.domain.members.points import correct, redeem
from tuan.domain.shared.orders import LineRequest, cancel_order, place_order, update_order
from tuan.domain.shared.refunds import add_refund, delete_refund
from tuan.migrations import steps, upgrade
from tuan.models import ChainItem, Member, Order

# What the figures were before they were stored: summed from every order, refund and points line.
COUNTED = """
SELECT m.id,
    (SELECT COUNT(*) FROM orders o WHERE o.member_id = m.id AND o.status = 'active'),
    COALESCE((SELECT SUM(l.qty * l.unit_price_cents) FROM orderline l JOIN orders o
        ON o.id = l.order_id WHERE o.member_id = m.id AND o.status = 'active'), 0)
    - COALESCE((SELECT SUM(r.amount_cents) FROM refund r JOIN orders o ON o.id = r.order_id
        WHERE o.member_id = m.id AND o.status = 'active'), 0),
    (SELECT MIN(o.created_at) FROM orders o WHERE o.member_id = m.id AND o.status = 'active'),
    (SELECT MAX(o.created_at) FROM orders o WHERE o.member_id = m.id AND o.status = 'active'),
    COALESCE((SELECT SUM(p.delta) FROM pointsentry p WHERE p.member_id = m.id), 0)
FROM member m ORDER BY m.id
"""
STORED = """
SELECT member_id, order_count, spend_cents, first_order_at, last_order_at, points
FROM member_figures ORDER BY member_id
"""


def _rows(session: Session, query: str) -> list[tuple]:
    return [tuple(row) for row in session.connection().execute(sql(query))]


def assert_figures_hold(session: Session) -> list[tuple]:
    """The stored figures equal the counted ones, for every member; returns them."""
    session.flush()
    stored = _rows(session, STORED)
    assert stored == _rows(session, COUNTED)
    return stored


def test_every_write_keeps_each_members_figures(db: Database) -> None:
    with db.transaction() as session:
        chain = shop_and_neighbours(session)
        assert assert_figures_hold(session)[0][1:] == (0, 0, None, None, 0), "a row per member"
        draft = build_draft(session, FIRST, chain.id)
        apply_plan(session, draft, plan_import(draft))  # new orders, written in bulk
        figures = assert_figures_hold(session)
        assert all(f[1] == 1 and f[2] > 0 and f[3] is not None for f in figures)
        draft = build_draft(session, LATER, chain.id)
        apply_plan(session, draft, plan_import(draft))  # changed, new and vanished entries
        assert_figures_hold(session)
        items = list(session.exec(select(ChainItem).order_by(col(ChainItem.position))))
        wang = session.exec(select(Order).where(Order.seq == 1)).one()
        later = datetime(2031, 1, 2, 3, 4, tzinfo=UTC)
        placed = place_order(
            session, chain.id or 0, wang.member_id, [LineRequest(items[0].id or 0, 1)], seq=9
        )
        placed.created_at = later
        session.add(placed)
        assert assert_figures_hold(session)[wang.member_id - 1][4] == later.isoformat()
        update_order(session, wang.id or 0, [LineRequest(items[1].id or 0, 2)])
        assert_figures_hold(session)
        refund = add_refund(session, placed.id or 0, amount_cents=500)
        before = assert_figures_hold(session)[wang.member_id - 1][2]
        delete_refund(session, refund.id or 0)
        assert assert_figures_hold(session)[wang.member_id - 1][2] == before + 500
        add_refund(session, placed.id or 0, amount_cents=300)
        cancel_order(session, placed.id or 0)  # its refund no longer counts either
        assert assert_figures_hold(session)[wang.member_id - 1][4] != later.isoformat()
        correct(session, wang.member_id, 120, "补录积分")
        redeem(session, wang.member_id, 20, "燕麦片1袋")
        assert assert_figures_hold(session)[wang.member_id - 1][5] == 100
    with db.engine.begin() as conn:  # another tool, in plain SQL
        conn.execute(sql("UPDATE orderline SET qty = qty + 2, unit_price_cents = 1234"))
        conn.execute(sql("DELETE FROM orderline WHERE id = (SELECT min(id) FROM orderline)"))
        conn.execute(sql("UPDATE orders SET status = 'active'"))
        conn.execute(sql("UPDATE refund SET amount_cents = amount_cents + 7"))
        conn.execute(sql("UPDATE orders SET member_id = 1 WHERE member_id = 2"))
        conn.execute(sql("UPDATE pointsentry SET delta = delta * 3"))
    with db.session() as session:
        figures = assert_figures_hold(session)
        assert figures[1][1:] == (0, 0, None, None, 0), "小李's orders moved to 王阿姨"
    with db.engine.begin() as conn:
        conn.execute(sql("DELETE FROM refund"))
        conn.execute(sql("DELETE FROM pointsentry"))
        conn.execute(sql("DELETE FROM orders WHERE id = (SELECT max(id) FROM orders)"))
    with db.session() as session:
        assert_figures_hold(session)
        newcomer = session.exec(select(Member).where(Member.nickname == "新邻居")).one()
    with db.engine.begin() as conn:  # a member leaves with the orders made for them
        conn.execute(sql(f"DELETE FROM orders WHERE member_id = {newcomer.id}"))
        conn.execute(sql(f"DELETE FROM member WHERE id = {newcomer.id}"))
    with db.session() as session:
        assert newcomer.id not in {f[0] for f in assert_figures_hold(session)}


def test_the_demos_figures_are_its_orders_refunds_and_points(demo_db: Database) -> None:
    with demo_db.session() as session:
        figures = assert_figures_hold(session)
    assert sum(1 for f in figures if f[1]) > 20, "the demo has buyers"
    assert any(f[5] for f in figures), "and points"


@pytest.mark.sqlite_only
def test_upgrading_a_database_with_orders_counts_each_members_figures(tmp_path: Path) -> None:
    old = database_before(tmp_path / "v14.db", 15)
    with old.engine.begin() as conn:
        add_wang(conn)
        conn.exec_driver_sql(
            "INSERT INTO member (id, nickname, name, phone, building, room, source, initials, "
            "is_koc, commission_bp, notes, joined_on) VALUES "
            "(2, '小李', '', '', '5', '601', 'offline', 'xl', 0, 0, '', '2026-11-01')"
        )
        add_oil_chain(conn)
        for order_id, status, day in ((1, "active", 21), (2, "active", 23), (3, "cancelled", 25)):
            conn.exec_driver_sql(
                "INSERT INTO orders (id, chain_id, seq, member_id, status, paid, note, "
                "leader_note, raw, channel, created_at, updated_at) VALUES "
                f"({order_id}, 1, {order_id}, 1, '{status}', 0, '', '', '', 'manual', "
                f"'2026-11-{day}T02:00:00+00:00', '2026-11-{day}T02:00:00+00:00')"
            )
        conn.exec_driver_sql(
            "INSERT INTO orderline (order_id, item_id, qty, unit_price_cents, collected_qty, "
            "gift) VALUES (1, 1, 2, 8900, 0, ''), (1, 2, 1, 6900, 0, ''), (3, 1, 1, 8900, 0, '')"
        )
        conn.exec_driver_sql(
            "INSERT INTO pointsentry (member_id, delta, reason, created_at) VALUES "
            "(1, 247, '消费积分', '2026-11-22T02:00:00+00:00')"
        )
    upgrade(old, backup=False)
    with old.session() as session:
        assert assert_figures_hold(session) == [
            (1, 2, 24700, "2026-11-21T02:00:00+00:00", "2026-11-23T02:00:00+00:00", 247),
            (2, 0, 0, None, None, 0),
        ]
        session.add(Member(nickname="新邻居", initials="xlj"))
        session.commit()
        assert len(assert_figures_hold(session)) == 3, "a member added after the upgrade"
    old.close()


def test_the_figures_triggers_are_whole_statements() -> None:
    step = next(s for s in steps() if s.version == 15)
    assert step.name == "member_figures"
    sqlite = step.statements("sqlite")
    triggers = [s for s in sqlite if s.startswith("CREATE TRIGGER")]
    assert len(triggers) == 11 and all(s.rstrip().endswith("END") for s in triggers)
    postgresql = step.statements("postgresql")
    assert sum(s.startswith("CREATE TRIGGER") for s in postgresql) == 4
    assert all(s.rstrip().endswith("$$") for s in postgresql if s.startswith("CREATE FUNCTION"))
