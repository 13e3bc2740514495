"""v12 (points index): a database from before keeps every member's points balance, and a balance
is summed from the index alone (the members list and the rules sum 500,000 lines on big data)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.data.old_schema import database_before
from tuan.domain.members.listing import member_stats
from tuan.migrations import upgrade

BALANCES = "SELECT member_id, sum(delta) FROM pointsentry GROUP BY member_id"


@pytest.mark.sqlite_only
def test_upgrade_keeps_the_balances_and_sums_them_from_the_index(tmp_path: Path) -> None:
    old = database_before(tmp_path / "v11.db", 12)
    with old.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO member (id, nickname, name, phone, building, room, source, initials, "
            "is_koc, commission_bp, notes, joined_on) VALUES "
            "(1, '王阿姨', '', '', '3', '1202', 'partner', 'wy', 0, 0, '', '2026-11-01'), "
            "(2, '李叔', '', '', '3', '1203', 'partner', 'ls', 0, 0, '', '2026-11-01')"
        )
        conn.exec_driver_sql(
            "INSERT INTO pointsentry (member_id, delta, reason, created_at) VALUES "
            "(1, 120, 'order', '2026-11-02T02:00:00+00:00'), "
            "(1, -20, 'redeem', '2026-11-03T02:00:00+00:00'), "
            "(2, 35, 'order', '2026-11-04T02:00:00+00:00')"
        )
    upgrade(old, backup=False)
    with old.engine.connect() as conn:
        plan = " ".join(
            str(row[-1]) for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {BALANCES}")
        )
    with old.session() as s:
        stats = member_stats(s)
    old.close()
    assert "COVERING INDEX ix_pointsentry_member_delta" in plan
    assert (stats[1].points, stats[2].points) == (100, 35)
