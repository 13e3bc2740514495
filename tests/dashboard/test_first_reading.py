"""The dashboard's first reading, forked at launch (first_reading.py), is the one the app would
read itself, and the app shows it (issue 19: the numbers with nothing stored)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.dashboard.test_closed_months import NOW, _text, stored_cutoff
from tests.dashboard.test_dashboard import _stored
from tuan import clock
from tuan.db import Database, open_database
from tuan.domain.dashboard import first_reading, quick, snapshot
from tuan.domain.shared.forked import Send, fork

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def shop(demo_db: Database) -> Iterator[Database]:
    clock.freeze(NOW)
    yield demo_db
    clock.freeze(None)


def _read_ahead(path: Path) -> list[tuple[str, Any]]:
    reading = first_reading.start(path)
    assert reading is not None
    return list(first_reading.messages(reading))


def test_with_a_snapshot_the_child_reads_the_snapshot(shop: Database) -> None:
    path = _stored(shop)
    stored = snapshot.read(path)
    assert stored is not None
    assert _read_ahead(path) == [("stored", stored), ("done", None)]


def test_with_nothing_stored_the_child_computes_the_quick_numbers(shop: Database) -> None:
    assert shop.path is not None and stored_cutoff(shop) is None
    found = quick.numbers(shop.path)
    assert found is not None and found.documents
    assert _read_ahead(shop.path) == [
        ("numbers", found.overview),
        ("documents", found.documents),
        ("done", None),
    ]


def test_no_file_no_child(tmp_path: Path) -> None:
    assert first_reading.start(tmp_path / "missing.db") is None
    assert first_reading.start(None) is None


async def _numbers_then_the_rest(app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The numbers panel shows while the fresh reading is held back, then the other panels."""
    from textual.widgets import Static

    from tests.helpers import hold_fetch, settle, until
    from tuan.tui.dashboard.screen import DashboardScreen

    release = hold_fetch(monkeypatch, DashboardScreen)
    async with app.run_test(size=(140, 40)) as pilot:
        numbers = app.screen.query_one("#numbers", Static)
        await until(pilot, lambda: "团员总数" in _text(numbers.content))
        assert "逾期" not in str(app.screen.query_one("#reminders").render())
        release.set()
        await until(pilot, lambda: "逾期" in str(app.screen.query_one("#reminders").render()))
        await settle(app, pilot)


def _counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Calls of the quick reading in this process (the child was forked before: unchanged)."""
    calls: list[int] = []
    numbers = quick.numbers

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return numbers(*args, **kwargs)

    monkeypatch.setattr(quick, "numbers", counted)
    return calls


async def test_the_app_shows_the_numbers_read_ahead_and_stores_the_months(
    shop: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tuan.tui.app import TuanApp

    path = shop.path
    assert path is not None and stored_cutoff(shop) is None
    shop.close()
    reading = first_reading.start(path)
    assert reading is not None
    here = _counted(monkeypatch)
    app = TuanApp(str(path), first_reading=reading)
    app.PREBUILD_AFTER = None
    await _numbers_then_the_rest(app, monkeypatch)
    assert here == [], "read by the child, not again here"
    reopened = open_database(path)
    try:
        assert stored_cutoff(reopened) == "2026-11", "the months it computed were stored"
    finally:
        reopened.close()


async def test_when_the_child_fails_the_app_reads_itself(
    shop: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tuan.tui.app import TuanApp

    path = shop.path
    assert path is not None
    shop.close()

    def broken(send: Send) -> None:
        raise RuntimeError("the child could not read")

    here = _counted(monkeypatch)
    app = TuanApp(str(path), first_reading=fork(broken))
    app.PREBUILD_AFTER = None
    await _numbers_then_the_rest(app, monkeypatch)
    assert here == [1]
