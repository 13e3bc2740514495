"""Backups: one a day on first start, the last 14 kept, restorable, owner-only."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tuan import clock
from tuan.backup import daily_backup
from tuan.db import Database, open_database
from tuan.tui.app import TuanApp

pytestmark = pytest.mark.sqlite_only


def test_first_start_of_the_day_backs_up_once(db: Database) -> None:
    first = daily_backup(db)
    assert first is not None and first.exists()
    assert first.stat().st_mode & 0o077 == 0
    assert daily_backup(db) is None, "a second start the same day adds nothing"


def test_only_the_last_fourteen_daily_backups_are_kept(db: Database) -> None:
    start = clock.now()
    for day in range(20):
        clock.freeze(start + timedelta(days=day))
        daily_backup(db)
    assert db.path is not None
    kept = sorted((db.path.parent / "backups").glob("tuan-daily-*.db"))
    assert len(kept) == 14
    last = (start + timedelta(days=19)).strftime("%Y%m%d")
    assert kept[-1].name == f"tuan-daily-{last}.db"


def test_a_backup_opens_with_the_same_data(demo_db: Database) -> None:
    made = daily_backup(demo_db)
    assert made is not None
    copy = open_database(made)
    with copy.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM member").scalar() == 300
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    copy.close()


async def test_opening_the_app_makes_the_daily_backup(demo_path: Path) -> None:
    app = TuanApp(str(demo_path))
    async with app.run_test() as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
    today = datetime.fromisoformat("2026-11-26T10:00:00+08:00").strftime("%Y%m%d")
    assert (demo_path.parent / "backups" / f"demo-daily-{today}.db").exists()
