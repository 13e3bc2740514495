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
from tuan.migrations import _statements, current_version, latest_version, steps, upgrade
from tuan.models import Member, ReminderRule


def _schema(engine) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
    found = inspect(engine)
    return {t: {c["name"] for c in found.get_columns(t)} for t in found.get_table_names()}


def test_migrations_build_exactly_the_models_schema(db: Database) -> None:
    reference = create_engine("sqlite://")
    SQLModel.metadata.create_all(reference)
    assert _schema(db.engine) == _schema(reference)


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
