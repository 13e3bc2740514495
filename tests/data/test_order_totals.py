"""Each order's stored totals (`Order.lines_qty`, `lines_cents`) are what its lines add up to,
after every kind of write to them: the app's one-by-one and bulk paths, a plain SQL statement
from another tool, an upgrade of a database that already holds orders. The members list ranks
by them and the chains list totals them."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text as sql
from sqlmodel import Session, col, select

from tests.chains.fixtures import shop_form
from tests.data.old_schema import add_oil_chain, add_wang, database_before
from tuan.db import Database
from tuan.domain.chains.edit import save_chain
from tuan.domain.chains.import_apply import apply_plan
from tuan.domain.chains.import_draft import build_draft
from tuan.domain.chains.import_plan import plan_import
from tuan.domain.chains.listing import list_chains
from tuan.domain.members.listing import member_stats
from tuan.domain.partners.sites import list_partners, partner_members
from tuan.domain.shared.orders import LineRequest, cancel_order, place_order, update_order
from tuan.domain.shared.people import MemberDraft, create_member
from tuan.migrations import _statements, steps, upgrade
from tuan.models import Chain, ChainItem, Order, OrderLine, Refund

SPEND = (
    "SELECT member_id, count(*), sum(lines_cents), max(created_at), min(created_at) "
    "FROM orders WHERE status = 'active' GROUP BY member_id"
)
CHAINS = (
    "SELECT chain_id, count(*), sum(lines_qty), sum(lines_cents) FROM orders "
    "WHERE status = 'active' GROUP BY chain_id"
)
FIRST = """1. 王阿姨 3-1202 套装1
2. 小李 5-601 亚麻2
3. 陈晨 亚麻1 套装1
"""
LATER = """1. 王阿姨 3-1202 套装2
2. 小李 5-601 亚麻1 橄榄油1
4. 新邻居 8-808 橄榄油1
"""


def drifted(session: Session) -> list[tuple[int, tuple[int, int], tuple[int, int]]]:
    """Orders whose stored totals differ from their lines: (id, stored, summed)."""
    rows = session.connection().execute(
        sql(
            "SELECT o.id, o.lines_qty, o.lines_cents, "
            "COALESCE((SELECT SUM(l.qty) FROM orderline l WHERE l.order_id = o.id), 0), "
            "COALESCE((SELECT SUM(l.qty * l.unit_price_cents) FROM orderline l "
            "WHERE l.order_id = o.id), 0) FROM orders o"
        )
    )
    return [(i, (q, c), (sq, sc)) for i, q, c, sq, sc in rows if (q, c) != (sq, sc)]


def shop_and_neighbours(session: Session) -> Chain:
    """The oil shop's chain and the three neighbours of `FIRST` (flushed, not committed)."""
    chain = save_chain(session, shop_form())
    for nickname, building, room in (("王阿姨", "3", "1202"), ("小李", "5", "601")):
        create_member(session, MemberDraft(nickname=nickname, building=building, room=room))
    create_member(session, MemberDraft(nickname="陈晨"))
    session.flush()
    return chain


def test_every_write_to_a_line_keeps_its_orders_gross(db: Database) -> None:
    with db.transaction() as session:
        chain = shop_and_neighbours(session)
        draft = build_draft(session, FIRST, chain.id)
        apply_plan(session, draft, plan_import(draft))  # new orders, written in bulk
        session.flush()
        assert drifted(session) == []
        assert {o.lines_cents for o in session.exec(select(Order))} != {0}
        assert {o.lines_qty for o in session.exec(select(Order))} != {0}
        draft = build_draft(session, LATER, chain.id)
        apply_plan(session, draft, plan_import(draft))  # changed, new and vanished entries
        session.flush()
        assert drifted(session) == []
        items = list(session.exec(select(ChainItem).order_by(col(ChainItem.position))))
        wang = session.exec(select(Order).where(Order.seq == 1)).one()
        placed = place_order(
            session, chain.id or 0, wang.member_id, [LineRequest(items[0].id or 0, 1)], seq=9
        )
        update_order(session, wang.id or 0, [LineRequest(items[1].id or 0, 1)])
        session.flush()
        assert drifted(session) == []
        cancel_order(session, placed.id or 0)
        session.flush()
        assert drifted(session) == []
    with db.engine.begin() as conn:  # another tool, in plain SQL
        conn.execute(sql("UPDATE orderline SET qty = qty + 2, unit_price_cents = 1234"))
        conn.execute(sql("DELETE FROM orderline WHERE id = (SELECT min(id) FROM orderline)"))
    with db.session() as session:
        assert drifted(session) == []
        line = session.exec(select(OrderLine)).first()
        assert line is not None
        order = session.get(Order, line.order_id)
        assert order is not None and order.lines_cents == sum(
            x.qty * x.unit_price_cents
            for x in session.exec(select(OrderLine).where(OrderLine.order_id == order.id))
        )


def test_members_spend_is_their_lines_less_refunds(demo_db: Database) -> None:
    with demo_db.session() as session:
        stats = member_stats(session)
        lines = session.connection().execute(
            sql(
                "SELECT o.member_id, SUM(l.qty * l.unit_price_cents) FROM orderline l "
                "JOIN orders o ON o.id = l.order_id WHERE o.status = 'active' "
                "GROUP BY o.member_id"
            )
        )
        expected = {member: int(cents) for member, cents in lines}
        refunded = 0
        for refund in session.exec(select(Refund)):
            order = session.get(Order, refund.order_id)
            if order is not None and order.status == "active":
                expected[order.member_id] -= refund.amount_cents
                refunded += 1
    assert len(expected) > 20 and refunded > 0, "the demo has buyers, and refunds to take off"
    assert {m: s.ltv_cents for m, s in stats.items() if s.orders} == expected


def test_each_chains_entries_pieces_and_gmv_are_its_lines_less_refunds(demo_db: Database) -> None:
    with demo_db.session() as session:
        rows = list_chains(session, limit=1000)
        lines = session.connection().execute(
            sql(
                "SELECT o.chain_id, COUNT(DISTINCT o.id), SUM(l.qty), "
                "SUM(l.qty * l.unit_price_cents) - COALESCE(SUM((SELECT SUM(r.amount_cents) "
                "FROM refund r WHERE r.line_id = l.id)), 0) FROM orderline l "
                "JOIN orders o ON o.id = l.order_id WHERE o.status = 'active' GROUP BY o.chain_id"
            )
        )
        expected = {chain: (n, int(qty), int(cents)) for chain, n, qty, cents in lines}
    found = {c.id: (c.entries, c.sold, c.gmv_cents) for c in rows if c.entries}
    assert len(found) > 5 and found == expected


def test_each_partners_members_and_their_spend_are_their_lines_less_refunds(
    demo_db: Database,
) -> None:
    with demo_db.session() as session:
        per_member = {
            member: (n, int(cents))
            for member, n, cents in session.connection().execute(
                sql(
                    "SELECT o.member_id, COUNT(DISTINCT o.id), SUM(l.qty * l.unit_price_cents) - "
                    "COALESCE(SUM((SELECT SUM(r.amount_cents) FROM refund r "
                    "WHERE r.line_id = l.id)), 0) FROM orderline l JOIN orders o "
                    "ON o.id = l.order_id WHERE o.status = 'active' GROUP BY o.member_id"
                )
            )
        }
        partners = list_partners(session)
        members = {p.id: partner_members(session, p.id or 0, limit=100_000) for p in partners}
        found_brought = session.connection().execute(
            sql("SELECT id, partner_id FROM member WHERE partner_id IS NOT NULL")
        )
        brought = {member: partner for member, partner in found_brought}
    assert len(partners) > 1 and any(p.spend_cents for p in partners)
    for partner in partners:
        theirs = [m for m, p in brought.items() if p == partner.id]
        assert partner.spend_cents == sum(per_member.get(m, (0, 0))[1] for m in theirs)
        found = {m.id: (m.orders, m.spend_cents) for m in members[partner.id]}
        assert found == {m: per_member.get(m, (0, 0)) for m in theirs}


@pytest.mark.sqlite_only
def test_upgrading_a_database_with_orders_stores_each_orders_gross(tmp_path: Path) -> None:
    old = database_before(tmp_path / "v12.db", 13)
    with old.engine.begin() as conn:
        add_wang(conn)
        add_oil_chain(conn)
        for order_id in (1, 2):
            conn.exec_driver_sql(
                "INSERT INTO orders (id, chain_id, seq, member_id, status, paid, note, "
                "leader_note, raw, channel, created_at, updated_at) VALUES "
                f"({order_id}, 1, {order_id}, 1, 'active', 0, '', '', '', 'manual', "
                "'2026-11-21T02:00:00+00:00', '2026-11-21T02:00:00+00:00')"
            )
        conn.exec_driver_sql(
            "INSERT INTO orderline (order_id, item_id, qty, unit_price_cents, collected_qty, "
            "gift) VALUES (1, 1, 2, 8900, 0, ''), (1, 2, 1, 6900, 0, '')"
        )
    upgrade(old, backup=False)
    with old.engine.connect() as conn:
        plan = " ".join(str(r[-1]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {SPEND}"))
    assert "COVERING INDEX ix_orders_member_figures" in plan, "every member's spend, from the index"
    with old.engine.connect() as conn:
        plan = " ".join(str(r[-1]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {CHAINS}"))
    assert "COVERING INDEX ix_orders_chain_totals" in plan, "every chain's totals, from the index"
    with old.session() as session:
        found = {o.id: (o.lines_qty, o.lines_cents) for o in session.exec(select(Order))}
        assert found == {1: (3, 24700), 2: (0, 0)}
        session.add(OrderLine(order_id=2, item_id=2, qty=3, unit_price_cents=6900))
        session.commit()
        second = session.get(Order, 2)
        assert second is not None and (second.lines_qty, second.lines_cents) == (3, 20700)
    old.close()


def test_a_trigger_body_is_one_statement() -> None:
    step = next(s for s in steps() if s.version == 13)
    assert step.name == "order_totals"
    sqlite = step.statements("sqlite")
    postgresql = step.statements("postgresql")
    assert sum(s.startswith("CREATE TRIGGER") for s in sqlite) == 3
    assert all(s.rstrip().endswith("END") for s in sqlite if s.startswith("CREATE TRIGGER"))
    assert [s.split()[1] for s in postgresql[-2:]] == ["FUNCTION", "TRIGGER"]
    assert postgresql[-2].rstrip().endswith("$$")
    assert _statements("SELECT 1; SELECT 2;") == ["SELECT 1", "SELECT 2"]
