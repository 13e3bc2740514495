"""Shared fixtures: a frozen clock, empty and demo databases on real SQLite files.

With `TUAN_TEST_DATABASE_URL` set to a PostgreSQL server URL, the same fixtures give each test
its own fresh PostgreSQL database instead (tests marked `sqlite_only` are skipped then).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from tuan import clock
from tuan.db import Database, open_database
from tuan.i18n import set_language

FROZEN_NOW = "2026-11-26T10:00:00+08:00"
SERVER_URL = os.environ.get("TUAN_TEST_DATABASE_URL", "")
# One demo template per test process: per xdist worker (`gw0`, `gw1`, …; `main` when serial) and
# per run, so no worker, nor another run on the same server, copies from or re-creates it meanwhile.
_RUN = os.environ.get("PYTEST_XDIST_TESTRUNUID", f"{os.getpid()}")[:8]
DEMO_TEMPLATE = f"tuan_demo_template_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{_RUN}"


@pytest.hookimpl(optionalhook=True)  # a pytest-xdist hook; fine without xdist (-p no:xdist)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """`-n auto` (the default): two workers per core.

    An app test spends much of its time idle (Pilot waits for the app to go quiet, subprocesses
    start), so one worker per core would leave the cores half busy. The usual
    PYTEST_XDIST_AUTO_NUM_WORKERS still decides when it is set.
    """
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # xdist's own answer
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return 2 * (cores or 1)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only: needs a SQLite file (WAL, backups, paths)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if not SERVER_URL:
        return
    skip = pytest.mark.skip(reason="SQLite files only; TUAN_TEST_DATABASE_URL is a server")
    for item in items:
        if item.get_closest_marker("sqlite_only"):
            item.add_marker(skip)


def _server_database(name: str, template: str | None = None) -> str:
    """Create database `name` on the test server (optionally as a copy) and return its URL."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    admin = create_engine(SERVER_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        copy = f' TEMPLATE "{template}"' if template else ""
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"{copy}')
    admin.dispose()
    return make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False)


def _drop_server_database(name: str) -> None:
    from sqlalchemy import create_engine

    admin = create_engine(SERVER_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


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
    """An empty, migrated database (a file, or a fresh server database)."""
    if SERVER_URL:
        name = f"tuan_t_{uuid.uuid4().hex[:12]}"
        database = open_database(_server_database(name))
        yield database
        database.close()
        _drop_server_database(name)
        return
    database = open_database(tmp_path / "tuan.db")
    yield database
    database.close()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The demo database, seeded once per test process (each xdist worker) at the frozen moment."""
    from tuan.domain.demo.seed import seed_demo

    clock.freeze(datetime.fromisoformat(FROZEN_NOW))
    if SERVER_URL:
        database = open_database(_server_database(DEMO_TEMPLATE))
        seed_demo(database)
        database.close()
        clock.freeze(None)
        yield Path(DEMO_TEMPLATE)
        _drop_server_database(DEMO_TEMPLATE)
        return
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    database = open_database(path)
    seed_demo(database)
    with database.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()
    clock.freeze(None)
    yield path


@pytest.fixture
def demo_path(demo_template: Path, tmp_path: Path) -> Iterator[Path | str]:
    """A private copy of the demo database for one test: a file, or a server database URL.

    Pass it on as `str(demo_path)`; tests that use it as a file are marked `sqlite_only`.
    """
    if SERVER_URL:
        name = f"tuan_d_{uuid.uuid4().hex[:12]}"
        yield _server_database(name, template=DEMO_TEMPLATE)
        _drop_server_database(name)
        return
    path = tmp_path / "demo.db"
    shutil.copy(demo_template, path)
    yield path


@pytest.fixture
def demo_db(demo_path: Path | str) -> Iterator[Database]:
    """The demo database, opened."""
    database = open_database(demo_path)
    yield database
    database.close()
