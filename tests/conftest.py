"""Shared fixtures: a frozen clock, empty and demo databases on real SQLite files."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from tuan import clock
from tuan.db import Database, open_database
from tuan.i18n import set_language

FROZEN_NOW = "2026-11-26T10:00:00+08:00"


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[datetime]:
    """Every test runs at 2026-11-26 10:00 in UTC+8, in Chinese, with real data dirs hidden."""
    moment = datetime.fromisoformat(FROZEN_NOW)
    monkeypatch.setenv("TUAN_NOW", FROZEN_NOW)
    monkeypatch.delenv("TUAN_DB", raising=False)
    monkeypatch.delenv("TUAN_LANG", raising=False)
    clock.freeze(moment)
    set_language("zh")
    yield moment
    clock.freeze(None)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """An empty, migrated database file."""
    database = open_database(tmp_path / "tuan.db")
    yield database
    database.close()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database, seeded once per test run at the frozen moment."""
    from tuan.domain.demo import seed_demo

    clock.freeze(datetime.fromisoformat(FROZEN_NOW))
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    database = open_database(path)
    seed_demo(database)
    with database.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()
    clock.freeze(None)
    return path


@pytest.fixture
def demo_path(demo_template: Path, tmp_path: Path) -> Path:
    """A private copy of the demo database file for one test."""
    path = tmp_path / "demo.db"
    shutil.copy(demo_template, path)
    return path


@pytest.fixture
def demo_db(demo_path: Path) -> Iterator[Database]:
    """The demo database, opened."""
    database = open_database(demo_path)
    yield database
    database.close()
