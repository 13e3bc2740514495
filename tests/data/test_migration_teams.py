"""v9 (拼团): a database from before keeps every chain, item and order; no item is a team item
until the leader makes it one, and then its orders join teams."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import col, select

from tests.data.old_schema import database_before
from tuan.domain.shared.orders import LineRequest, place_order
from tuan.domain.shared.teams import chain_teams
from tuan.migrations import current_version, latest_version, steps, upgrade
from tuan.models import ChainItem, OrderLine


@pytest.mark.sqlite_only
def test_upgrade_to_teams_keeps_every_row(tmp_path: Path) -> None:
    path = tmp_path / "v6.db"
    old = database_before(path, 9)
    with old.engine.begin() as conn:
        for member_id, name in ((1, "王阿姨"), (2, "李叔")):
            conn.exec_driver_sql(
                "INSERT INTO member (id, nickname, name, phone, building, room, source, initials,"
                " is_koc, commission_bp, notes, joined_on) VALUES "
                f"({member_id}, '{name}', '', '', '3', '120{member_id}', 'offline', '', 0, 0, '',"
                " '2026-11-01')"
            )
        conn.exec_driver_sql(
            "INSERT INTO chain (id, title, description, status, created_at, last_group) VALUES "
            "(1, '第1期 粮油团', '', 'open', '2026-11-20T02:00:00+00:00', '')"
        )
        conn.exec_driver_sql(
            "INSERT INTO chainitem (id, chain_id, position, code, name, spec, price_cents, "
            "price_known, aliases, cost_cents) VALUES (1, 1, 0, 'A', '大米', '5kg', 8900, 1, "
            "'大米', 6000)"
        )
        conn.exec_driver_sql(
            "INSERT INTO orders (id, chain_id, seq, member_id, status, paid, note, leader_note, "
            "raw, channel, created_at, updated_at, group_name) VALUES (1, 1, 1, 1, 'active', 0, "
            "'', '', '', 'manual', '2026-11-21T02:00:00+00:00', '2026-11-21T02:00:00+00:00', '')"
        )
        conn.exec_driver_sql(
            "INSERT INTO orderline (order_id, item_id, qty, unit_price_cents, collected_qty, "
            "gift) VALUES (1, 1, 2, 8900, 0, '')"
        )
    applied = upgrade(old, backup=False)
    assert [s.version for s in applied] == [s.version for s in steps() if s.version >= 9]
    with old.engine.connect() as conn:
        assert current_version(conn) == latest_version()
    with old.session() as s:
        item = s.get(ChainItem, 1)
        assert item is not None
        assert (item.price_cents, item.cost_cents, item.team_size, item.team_price_cents) == (
            8900, 6000, None, None,
        )  # fmt: skip
        assert chain_teams(s, 1) == []
    with old.transaction() as s:  # made a team item: the next order joins a team with it
        item = s.get(ChainItem, 1)
        assert item is not None
        item.team_size, item.team_price_cents = 2, 7900
        s.add(item)
        s.flush()
        place_order(s, 1, 2, [LineRequest(1, 1)])
    with old.session() as s:
        assert [(t.name, t.status) for t in chain_teams(s, 1)] == [("李叔的团", "open")]
        prices = s.exec(select(OrderLine.unit_price_cents).order_by(col(OrderLine.id))).all()
        assert prices == [8900, 8900]
    with pytest.raises(Exception, match=r"ck_item_team_size|CHECK"), old.transaction() as s:
        item = s.get(ChainItem, 1)
        assert item is not None
        item.team_size = 1
    old.close()
