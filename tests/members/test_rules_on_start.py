"""The rules run on start read without SQLite's write lock: the leader's first tick or order
never waits for them (seconds on the xl demo), and a write of theirs during the run is kept,
the run done again after it."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlmodel import col, select

from tests.conftest import SERVER_URL
from tests.members.test_rules import build_town
from tuan.db import Database
from tuan.domain.members import rules
from tuan.models import Member, Reminder
from tuan.tui import startup

pytestmark = pytest.mark.skipif(bool(SERVER_URL), reason="SQLite's write lock")


@contextmanager
def leader(db: Database, *, wait: float = 0.05) -> Iterator[sqlite3.Connection]:
    """Another connection to the file, as the app's own writes use one: it gives up on the
    write lock after `wait` seconds, so a write held up by the rules fails the test."""
    assert db.path is not None
    conn = sqlite3.connect(db.path, timeout=wait, isolation_level=None)
    try:
        yield conn
    finally:
        conn.close()


def _renamed(conn: sqlite3.Connection, old: str, new: str) -> None:
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE member SET nickname = ? WHERE nickname = ?", (new, old))
    conn.execute("COMMIT")


def test_a_run_with_nothing_new_finishes_while_the_leader_holds_the_write_lock(
    db: Database,
) -> None:
    build_town(db)
    startup.on_database_open(db)  # the first run makes the town's reminders and tags
    first = startup.last_report()
    assert first is not None and first.changed
    with leader(db) as conn:
        conn.execute("BEGIN IMMEDIATE")  # the leader is writing: a tick, a live order
        startup.on_database_open(db)
        conn.execute("UPDATE member SET nickname = '王阿姨2' WHERE nickname = '王阿姨'")
        conn.execute("COMMIT")
    again = startup.last_report()
    assert startup.last_error() == ""
    assert again is not None and not again.changed


def _leader_writes_mid_run(db: Database, monkeypatch: pytest.MonkeyPatch, times: int) -> list[int]:
    """In each of the first `times` runs, once the rules have read everything, the leader
    renames 新人 (新人 → 新人1 → 新人2 …); how many reminders each run planned."""
    planned = rules.plan_reminder_rules
    runs: list[int] = []

    def plan_then_the_leader_writes(ctx: Any) -> list[Any]:
        found = planned(ctx)
        runs.append(len(found))
        if len(runs) <= times:
            with leader(db) as conn:  # fails after 0.05 s if the rules hold the lock
                _renamed(conn, f"新人{len(runs) - 1 or ''}", f"新人{len(runs)}")
        return found

    monkeypatch.setattr(rules, "plan_reminder_rules", plan_then_the_leader_writes)
    return runs


def _made(db: Database) -> tuple[int, set[str]]:
    """The rule-made reminders, and the members' names."""
    with db.session() as s:
        made = s.exec(select(Reminder).where(col(Reminder.rule_key).is_not(None))).all()
        return len(made), set(s.exec(select(Member.nickname)))


def test_the_leaders_write_during_the_run_never_waits_and_both_land(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_town(db)
    runs = _leader_writes_mid_run(db, monkeypatch, 1)
    startup.on_database_open(db)
    assert startup.last_error() == ""
    assert runs == [9, 9]  # the first run's writes met the leader's: it ran again
    report = startup.last_report()
    assert report is not None and len(report.reminders) == 9
    made, names = _made(db)
    assert made == 9
    assert "新人1" in names and "新人" not in names


def test_a_run_that_keeps_meeting_the_leaders_writes_at_last_waits_its_turn(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_town(db)
    runs = _leader_writes_mid_run(db, monkeypatch, startup.OPTIMISTIC_TRIES)
    startup.on_database_open(db)
    assert startup.last_error() == ""
    assert len(runs) == startup.OPTIMISTIC_TRIES + 1
    made, names = _made(db)
    assert made == 9
    assert f"新人{startup.OPTIMISTIC_TRIES}" in names


def test_the_app_runs_the_rules_in_a_child_that_says_what_it_did(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_town(db)
    child = startup.start_apart(db.target)
    assert child is not None

    def not_here(_database: Database) -> None:
        raise AssertionError("the rules ran in the app's own process")

    monkeypatch.setattr(startup, "on_database_open", not_here)  # the child was forked before
    startup.run_rules(db, child)
    report = startup.last_report()
    assert startup.last_error() == ""
    assert report is not None and len(report.reminders) == 9
    with db.session() as s:
        assert len(s.exec(select(Reminder).where(col(Reminder.rule_key).is_not(None))).all()) == 9


def test_a_child_gone_before_its_go_leaves_the_run_to_the_app(db: Database) -> None:
    build_town(db)
    child = startup.start_apart(db.target)
    assert child is not None
    child.close()  # gone: a crash, or killed
    startup.run_rules(db, child)
    report = startup.last_report()
    assert report is not None and len(report.reminders) == 9


def test_a_closing_app_does_not_run_the_rules_its_child_did_not(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_town(db)
    monkeypatch.setattr(startup, "_last_report", None)
    child = startup.start_apart(db.target)
    assert child is not None
    child.close()  # as the app does when it closes
    startup.run_rules(db, child, wanted=lambda: False)
    assert startup.last_report() is None
    with db.session() as s:
        assert s.exec(select(Reminder).where(col(Reminder.rule_key).is_not(None))).all() == []
