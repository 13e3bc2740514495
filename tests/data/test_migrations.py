"""Schema migrations: the migrated schema matches the models; upgrades keep every row."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect
from sqlmodel import SQLModel, select
from typer.testing import CliRunner

import tuan.models  # noqa: F401  (registers the tables)
from tuan.cli import app
from tuan.db import Database, make_engine, open_database
from tuan.domain.dashboard import kept_months
from tuan.migrations import _statements, current_version, latest_version, steps, upgrade
from tuan.models import Member, ReminderRule


def _schema(engine) -> dict[str, set[str]]:
    found = inspect(engine)
    return {t: {c["name"] for c in found.get_columns(t)} for t in found.get_table_names()}


def test_migrations_build_exactly_the_models_schema(db: Database) -> None:
    """The models' tables, and on SQLite those the database keeps for the dashboard's months
    (no model: only triggers write them, only plain SQL reads them)."""
    reference = create_engine("sqlite://")
    SQLModel.metadata.create_all(reference)
    found = _schema(db.engine)
    kept = {name: found.pop(name) for name in kept_months.TABLES if name in found}
    assert found == _schema(reference)
    assert len(kept) == (len(kept_months.TABLES) if db.engine.dialect.name == "sqlite" else 0)


def _database_at_version_1(path: Path) -> Database:
    database = Database(str(path), make_engine(str(path)))
    first = steps()[0]
    with database.engine.begin() as conn:
        for statement in _statements(first.sql):
            conn.exec_driver_sql(statement)
        conn.exec_driver_sql(f"PRAGMA user_version = {first.version}")
    return database


def test_upgrade_from_the_first_version_keeps_every_row(tmp_path: Path) -> None:
    old = _database_at_version_1(tmp_path / "old.db")
    with old.transaction() as s:
        s.add_all([Member(nickname=f"邻居{i}", initials=f"lj{i}") for i in range(50)])
    applied = upgrade(old)
    assert [s.version for s in applied] == [s.version for s in steps()[1:]]
    with old.engine.connect() as conn:
        assert current_version(conn) == latest_version()
    with old.session() as s:
        assert len(s.exec(select(Member)).all()) == 50
        assert s.exec(select(ReminderRule)).first() is not None, "v2 adds the default rules"
    backups = list((tmp_path / "backups").glob("old-*-before-upgrade-v1.db"))
    assert len(backups) == 1, "a backup is taken before migrating"
    old.close()


@pytest.mark.sqlite_only
def test_opening_a_current_database_changes_nothing(db: Database) -> None:
    assert upgrade(db) == []
    assert db.path is not None
    assert not (db.path.parent / "backups").exists()


def test_db_upgrade_command(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _database_at_version_1(path).close()
    result = CliRunner().invoke(app, ["--db", str(path), "db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert f"v{latest_version()}" in result.output
    again = CliRunner().invoke(app, ["--db", str(path), "db", "upgrade"])
    assert "已是最新版本" in again.output
    database = open_database(path, migrate=False)
    with database.engine.connect() as conn:
        assert current_version(conn) == latest_version()


def test_chains_made_before_groups_become_one_group_unchanged(tmp_path: Path) -> None:
    """v3 (groups): a chain and its numbered entries read exactly as before the upgrade."""
    from tuan.domain.chains.entries import list_entries
    from tuan.domain.chains.export import export_chain

    old = Database(str(tmp_path / "v2.db"), make_engine(str(tmp_path / "v2.db")))
    with old.engine.begin() as conn:
        for step in steps()[:2]:
            for statement in _statements(step.sql):
                conn.exec_driver_sql(statement)
        conn.exec_driver_sql("PRAGMA user_version = 2")
        conn.exec_driver_sql(
            "INSERT INTO member (id, nickname, name, phone, building, room, source, initials, "
            "is_koc, commission_bp, notes, joined_on, referrer_id, partner_id) VALUES "
            "(1, '王阿姨', '', '', '3', '1202', 'offline', 'wy', 0, 0, '', '2026-11-01', NULL, "
            "NULL), (2, '小李', '', '', '5', '601', 'offline', 'xl', 0, 0, '', '2026-11-01', "
            "NULL, NULL)"
        )
        conn.exec_driver_sql(
            "INSERT INTO chain (id, title, description, status, created_at) VALUES "
            "(1, '第1期 冷榨油团', '', 'open', '2026-11-20T02:00:00+00:00')"
        )
        conn.exec_driver_sql(
            "INSERT INTO chainitem (id, chain_id, position, code, name, spec, price_cents, "
            "aliases) VALUES (1, 1, 0, 'A', '冷榨橄榄油', '500ml', 8900, '')"
        )
        for order_id, seq, member in ((1, 1, 1), (2, 4, 2)):
            conn.exec_driver_sql(
                "INSERT INTO orders (id, chain_id, seq, member_id, status, paid, note, "
                "leader_note, raw, channel, created_at, updated_at) VALUES "
                f"({order_id}, 1, {seq}, {member}, 'active', 0, '', '', '', 'import', "
                "'2026-11-21T02:00:00+00:00', '2026-11-21T02:00:00+00:00')"
            )
            conn.exec_driver_sql(
                "INSERT INTO orderline (order_id, item_id, qty, unit_price_cents, collected_qty, "
                f"gift) VALUES ({order_id}, 1, 1, 8900, 0, '')"
            )
    upgrade(old)
    with old.session() as s:
        entries = list_entries(s, 1)
        text = export_chain(s, 1).text
    assert [(e.number, e.nickname, e.group) for e in entries] == [
        ("1", "王阿姨", ""),
        ("4", "小李", ""),
    ]
    assert "1. 王阿姨 3-1202" in text and "4. 小李 5-601" in text
    old.close()
