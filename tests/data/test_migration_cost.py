"""v6 (cost prices): a database from the version before keeps every chain, item and order line;
every item's cost is NULL (not entered), so its sales count as GMV without cost."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import col, select

from tests.data.old_schema import add_oil_chain, add_wang, database_before
from tuan.domain.dashboard.metrics import chain_margins, format_margin
from tuan.migrations import current_version, latest_version, steps, upgrade
from tuan.models import ChainItem, OrderLine


@pytest.mark.sqlite_only
def test_upgrade_to_cost_prices_keeps_every_row(tmp_path: Path) -> None:
    path = tmp_path / "v5.db"
    old = database_before(path, 6)
    with old.engine.begin() as conn:
        add_wang(conn)
        add_oil_chain(conn)
        conn.exec_driver_sql(
            "INSERT INTO orders (id, chain_id, seq, member_id, status, paid, note, leader_note, "
            "raw, channel, created_at, updated_at) VALUES (1, 1, 1, 1, 'active', 0, '', '', '', "
            "'manual', '2026-11-21T02:00:00+00:00', '2026-11-21T02:00:00+00:00')"
        )
        conn.exec_driver_sql(
            "INSERT INTO orderline (order_id, item_id, qty, unit_price_cents, collected_qty, "
            "gift) VALUES (1, 1, 2, 8900, 0, ''), (1, 2, 1, 6900, 0, '')"
        )
    applied = upgrade(old, backup=False)
    assert [s.version for s in applied] == [s.version for s in steps() if s.version >= 6]
    with old.engine.connect() as conn:
        assert current_version(conn) == latest_version()
    with old.session() as s:
        items = s.exec(select(ChainItem).order_by(col(ChainItem.id))).all()
        lines = s.exec(select(OrderLine)).all()
        margin, _by_item = chain_margins(s, 1)
    assert [(i.name, i.price_cents, i.cost_cents) for i in items] == [
        ("冷榨橄榄油", 8900, None),
        ("亚麻籽油", 6900, None),
    ]
    assert len(lines) == 2
    assert format_margin(margin) == "毛利 未知：¥247 的商品都未填成本"
    with old.transaction() as s:  # the new column takes a cost, and refuses a negative one
        item = s.get(ChainItem, 1)
        assert item is not None
        item.cost_cents = 5000
    with pytest.raises(Exception, match=r"ck_item_cost|CHECK"), old.transaction() as s:
        item = s.get(ChainItem, 2)
        assert item is not None
        item.cost_cents = -1
    old.close()
