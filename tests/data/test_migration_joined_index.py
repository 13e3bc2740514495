"""v14 (when members joined, in an index): a database from before counts its new members the
same, and the count reads the index alone (the dashboard asks it at every start without a stored
snapshot; 50,000 members on big data)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.data.old_schema import database_before
from tuan.domain.dashboard.order_rows import JoinedGroup, cursor_rows, joined_since
from tuan.migrations import upgrade


@pytest.mark.sqlite_only
def test_upgrade_counts_new_members_the_same_from_the_index(tmp_path: Path) -> None:
    path = tmp_path / "v13.db"
    old = database_before(path, 14)
    with old.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO member (id, nickname, name, phone, building, room, source, initials, "
            "is_koc, commission_bp, notes, joined_on, referrer_id) VALUES "
            "(1, '王阿姨', '', '', '3', '1202', 'offline', 'wy', 1, 0, '', '2026-10-03', NULL), "
            "(2, '李叔', '', '', '3', '1203', 'referral', 'ls', 0, 0, '', '2026-11-01', 1), "
            "(3, '小陈', '', '', '5', '601', 'referral', 'xc', 0, 0, '', '2026-11-20', 1), "
            "(4, '老张', '', '', '5', '602', 'offline', 'lz', 0, 0, '', '2026-09-30', NULL)"
        )
    upgrade(old, backup=False)
    old.close()
    asked: list[str] = []
    with sqlite3.connect(path) as raw:
        rows = cursor_rows(raw)

        def recording(sql: str, params: Any = ()) -> list[tuple[Any, ...]]:
            asked.append(sql)
            return rows(sql, params)

        groups = joined_since(recording, "2026-10")
        plan = " ".join(str(r[-1]) for r in raw.execute(f"EXPLAIN QUERY PLAN {asked[0]}", ("x",)))
    assert sorted(groups) == [
        JoinedGroup("2026-10", "offline", False, "", 1),
        JoinedGroup("2026-11", "referral", True, "", 2),
    ]
    assert "COVERING INDEX ix_member_joined" in plan
