"""The dashboard: facts that follow the calendar, and the snapshot the next start shows at once."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import select

from tests.helpers import hold_fetch, wait_for_workers
from tuan.db import Database, open_database
from tuan.domain.dashboard import snapshot, snapshot_key
from tuan.domain.dashboard.overview import cached_overview, dashboard_facts, overview, save_snapshot
from tuan.domain.dashboard.view import project
from tuan.models import Meta, Reminder
from tuan.tui.app import TuanApp

NOW = datetime.fromisoformat("2026-11-26T10:00:00+08:00")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text + "+08:00")


def test_facts_read_today_give_what_a_fresh_reading_gives_later_this_month(
    demo_db: Database,
) -> None:
    with demo_db.session() as s:
        facts = dashboard_facts(s, NOW)
        for later in ("2026-11-26T23:30", "2026-11-27T08:00", "2026-11-30T21:00"):
            assert project(facts, at(later)) == overview(s, at(later)), later
    today, month_end = project(facts, NOW), project(facts, at("2026-11-30T21:00"))
    assert today is not None and month_end is not None
    # the calendar really moves these numbers, so the comparison above is not vacuous
    assert (today.overdue, today.due_today) != (month_end.overdue, month_end.due_today)
    assert today.months[-1].dormant != month_end.months[-1].dormant


def test_facts_do_not_pretend_for_another_month_or_an_earlier_day(demo_db: Database) -> None:
    with demo_db.session() as s:
        facts = dashboard_facts(s, NOW)
    assert project(facts, at("2026-12-01T08:00")) is None
    assert project(facts, at("2026-11-25T20:00")) is None


def _stored(db: Database) -> Path:
    """Read the dashboard fresh and store its snapshot, as the app does; the file's path."""
    with db.session() as s:
        _shown, document = cached_overview(s)
    assert document is not None
    save_snapshot(db, document)
    assert db.path is not None
    return db.path


def _closed_with_snapshot(demo_db: Database) -> Path:
    """The demo file with a stored snapshot, closed for an app or a script to open."""
    if demo_db.path is None:
        pytest.skip("the snapshot is for SQLite files")
    path = _stored(demo_db)
    demo_db.close()
    return path


@pytest.mark.sqlite_only
def test_snapshot_shows_what_a_fresh_reading_shows_until_something_is_written(
    demo_db: Database,
) -> None:
    assert demo_db.path is not None
    assert snapshot.read(demo_db.path) is None, "nothing stored yet"
    path = _stored(demo_db)
    with demo_db.session() as s:
        fresh = overview(s)
        assert cached_overview(s) == (fresh, None), "the fresh reading reuses a snapshot that holds"
    assert snapshot.read(path) == fresh
    assert snapshot.read(path, at("2026-11-28T09:00")) is not None

    with demo_db.transaction() as s:  # a transaction that changes nothing keeps it
        s.exec(select(Reminder)).first()
    assert snapshot.read(path) == fresh

    with demo_db.transaction() as s:
        due = select(Reminder).where(Reminder.status == "open", Reminder.due_on <= NOW.date())
        reminder = s.exec(due).first()
        assert reminder is not None
        reminder.status = "done"
        s.add(reminder)
    assert snapshot.read(path) is None, "a reminder marked done makes the snapshot stale"
    with demo_db.session() as s:
        shown, document = cached_overview(s)
    assert document is not None and shown.due_today + shown.overdue == (
        fresh.due_today + fresh.overdue - 1
    )


@pytest.mark.sqlite_only
def test_an_edit_made_with_another_tool_is_caught_by_the_fresh_reading(
    demo_db: Database,
) -> None:
    path = _stored(demo_db)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE orderline SET qty = qty + 1 WHERE id = 1")
    with demo_db.session() as s:
        _shown, document = cached_overview(s)
    assert document is not None, "the deep key saw the changed quantity"


@pytest.mark.sqlite_only
def test_a_cost_set_with_another_tool_is_caught_by_the_fresh_reading(demo_db: Database) -> None:
    # The margins shown stayed those of the old cost: the snapshot's key never read the items.
    path = _stored(demo_db)
    with demo_db.session() as s:
        before, _document = cached_overview(s)
    with sqlite3.connect(path) as conn:
        conn.execute(
            "UPDATE chainitem SET cost_cents = cost_cents + 500 WHERE id = "
            "(SELECT item_id FROM orderline l JOIN orders o ON o.id = l.order_id "
            " WHERE o.status = 'active' ORDER BY o.created_at DESC LIMIT 1)"
        )
    assert snapshot.held_key(path) is None
    with demo_db.session() as s:
        shown, document = cached_overview(s)
    assert document is not None, "the deep key saw the cost"
    assert shown.months[-1].cost_cents > before.months[-1].cost_cents


@pytest.mark.sqlite_only
def test_a_damaged_or_foreign_snapshot_is_ignored_not_run(demo_db: Database) -> None:
    path = _stored(demo_db)
    for value in ("not json", json.dumps({"key": [], "facts": {"$type": "os.system"}})):
        with demo_db.transaction() as s:
            s.merge(Meta(key=snapshot_key.SNAPSHOT_KEY, value=value))
        assert snapshot.read(path) is None
        with demo_db.session() as s:
            shown, document = cached_overview(s)
            assert document is not None and shown == overview(s)


async def test_the_dashboard_shows_stored_numbers_before_the_fresh_reading(
    demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _closed_with_snapshot(demo_db)
    from tuan.tui.dashboard.screen import DashboardScreen

    release = hold_fetch(monkeypatch, DashboardScreen)
    app = TuanApp(str(path))
    async with app.run_test(size=(140, 40)) as pilot:
        for _ in range(50):
            await pilot.pause(0.05)
            if "逾期" in str(app.screen.query_one("#reminders").render()):
                break
        assert "逾期" in str(app.screen.query_one("#reminders").render())
        assert not release.is_set(), "numbers came from the snapshot, not the fresh reading"
        release.set()
        await asyncio.sleep(0)
        await wait_for_workers(app)


async def test_the_app_renews_the_snapshot_once_writes_settle(
    demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _closed_with_snapshot(demo_db)
    monkeypatch.setattr("tuan.tui.app.WATCH_SECONDS", 0.05)
    monkeypatch.setattr("tuan.tui.app.SNAPSHOT_QUIET_SECONDS", 0.1)
    app = TuanApp(str(path))
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_for_workers(app)
        before = snapshot.read(path)
        assert before is not None
        with app.db.transaction() as s:
            due = select(Reminder).where(Reminder.status == "open", Reminder.due_on <= NOW.date())
            reminder = s.exec(due).first()
            assert reminder is not None
            reminder.status = "done"
            s.add(reminder)
        assert snapshot.read(path) is None, "stale at once"
        for _ in range(60):
            await pilot.pause(0.05)
            await wait_for_workers(app)
            if (after := snapshot.read(path)) is not None:
                break
        assert after is not None, "renewed after the quiet time"
        assert after.overdue + after.due_today == before.overdue + before.due_today - 1


@pytest.mark.sqlite_only
def test_a_script_that_writes_leaves_a_fresh_snapshot_and_one_that_reads_writes_none(
    demo_db: Database,
) -> None:
    from typer.testing import CliRunner

    from tuan.cli import app

    path = _stored(demo_db)
    demo_db.close()
    with sqlite3.connect(path) as conn:
        before = conn.execute("SELECT value FROM meta WHERE key = 'dashboard.snapshot'").fetchone()
    runner = CliRunner()
    assert runner.invoke(app, ["--db", str(path), "chain", "list", "--json"]).exit_code == 0
    with sqlite3.connect(path) as conn:
        after_read = conn.execute("SELECT value FROM meta WHERE key = 'dashboard.snapshot'")
        assert after_read.fetchone() == before, "a read leaves the snapshot alone"
    pasted = "#接龙\n1. 王阿姨 3-1202 套装×1\n2. 新邻居 8-808 套装×2\n"
    result = runner.invoke(app, ["--db", str(path), "chain", "import", "-", "--chain", "72",
                                 "--yes"], input=pasted)  # fmt: skip
    assert result.exit_code == 0, result.output
    with sqlite3.connect(path) as conn:
        after_write = conn.execute("SELECT value FROM meta WHERE key = 'dashboard.snapshot'")
        assert after_write.fetchone() != before, "the import wrote, so the snapshot was renewed"
    shown = snapshot.read(path)
    assert shown is not None, "the script left a snapshot that holds after its write"
    database = open_database(path)
    try:
        with database.session() as s:
            assert shown == overview(s)
    finally:
        database.close()


async def test_leaving_the_app_right_after_a_write_leaves_a_fresh_snapshot(
    demo_db: Database,
) -> None:
    path = _closed_with_snapshot(demo_db)
    app = TuanApp(str(path))
    async with app.run_test(size=(140, 40)):
        await wait_for_workers(app)
        with app.db.transaction() as s:
            due = select(Reminder).where(Reminder.status == "open", Reminder.due_on <= NOW.date())
            reminder = s.exec(due).first()
            assert reminder is not None
            reminder.status = "done"
            s.add(reminder)
        assert snapshot.read(path) is None
    after = snapshot.read(path)
    assert after is not None, "renewed as the app closed, long before the quiet time"
