"""v7 (refunds): a database from the version before keeps every order; nothing is refunded,
and refunds can be recorded right after the upgrade."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import func, select

from tests.data.old_schema import add_wang, database_before
from tuan.domain.shared.payments import order_amounts
from tuan.domain.shared.refunds import add_refund
from tuan.migrations import current_version, latest_version, steps, upgrade
from tuan.models import OrderLine, Refund


@pytest.mark.sqlite_only
def test_upgrade_to_refunds_keeps_every_order(tmp_path: Path) -> None:
    path = tmp_path / "v6.db"
    old = database_before(path, 7)
    with old.engine.begin() as conn:
        add_wang(conn)
        conn.exec_driver_sql(
            "INSERT INTO chain (id, title, description, status, created_at) VALUES "
            "(1, '第1期 水果团', '', 'open', '2026-11-20T02:00:00+00:00')"
        )
        conn.exec_driver_sql(
            "INSERT INTO chainitem (id, chain_id, position, code, name, spec, price_cents, "
            "price_known, aliases, cost_cents) VALUES (1, 1, 1, '', '橙子', '', 5000, 1, '', 3000)"
        )
        conn.exec_driver_sql(
            "INSERT INTO orders (id, chain_id, seq, member_id, status, paid, note, leader_note, "
            "raw, channel, group_name, created_at, updated_at) VALUES (1, 1, 1, 1, 'active', 0, "
            "'', '', '', 'manual', '', '2026-11-21T02:00:00+00:00', '2026-11-21T02:00:00+00:00')"
        )
        conn.exec_driver_sql(
            "INSERT INTO orderline (id, order_id, item_id, qty, unit_price_cents, collected_qty, "
            "gift) VALUES (1, 1, 1, 3, 5000, 0, '')"
        )
    applied = upgrade(old, backup=False)
    assert [s.version for s in applied] == [s.version for s in steps() if s.version >= 7]
    with old.engine.connect() as conn:
        assert current_version(conn) == latest_version()
    with old.session() as s:
        assert s.exec(select(func.count()).select_from(Refund)).one() == 0
        assert [(ln.qty, ln.unit_price_cents) for ln in s.exec(select(OrderLine))] == [(3, 5000)]
        assert order_amounts(s, [1]) == {1: 15000}
    with old.transaction() as s:
        add_refund(s, 1, qty=1, reason="坏果")
    with old.session() as s:
        assert order_amounts(s, [1]) == {1: 10000}
