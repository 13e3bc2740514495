"""The dashboard's first reading, forked at launch (first_reading.py), is the one the app would
read itself, and the app shows it (issue 19: the numbers with nothing stored)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.dashboard.test_closed_months import NOW, _text, stored_cutoff
from tests.dashboard.test_dashboard import _stored
from tuan import clock
from tuan.db import Database, open_database
from tuan.domain.dashboard import first_reading, quick, snapshot, snapshot_key
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
    reading.resume()  # as the app does once its first frame is out
    reading.resume()  # and once no key came for a moment
    return list(first_reading.messages(reading))


def test_with_a_snapshot_the_child_reads_it_and_checks_it_deeply(shop: Database) -> None:
    path = _stored(shop)
    stored = snapshot.read(path)
    assert stored is not None
    key = snapshot.quick_key(path)
    assert key is not None
    assert _read_ahead(path) == [("stored", stored), ("held", key), ("done", None)]


def _resume_later(reading: Any, seconds: float = 0.4) -> None:
    """Resume the child after `seconds`, as the app does after a while."""
    import threading
    import time

    def resume() -> None:  # a sleep: a Timer's timed wait never ends under faketime
        time.sleep(seconds)
        reading.resume()

    threading.Thread(target=resume, daemon=True).start()


def test_a_snapshot_is_decoded_once_the_first_frame_is_out_and_checked_deeply_later(
    shop: Database,
) -> None:
    """Beside the app's own start, the child only checks the snapshot's key (decoding it
    imports the dashboard's row types: 13 ms that made the first screen 5% later); it reads
    the snapshot at the app's first resume (its first frame is out), and checks it deeply at
    the second (no key for a moment)."""
    import time

    path = _stored(shop)
    reading = first_reading.start(path)
    assert reading is not None
    got = first_reading.messages(reading)
    for wanted in ("stored", "held"):
        started = time.monotonic()
        _resume_later(reading)
        assert next(got)[0] == wanted
        assert time.monotonic() - started >= 0.35, f"{wanted}: only once resumed"
    assert [kind for kind, _value in got] == ["done"]


def test_without_a_snapshot_that_holds_the_numbers_are_computed_at_once(
    shop: Database,
) -> None:
    """No snapshot to show (a language switch, a write, a first start): the numbers are
    computed from the first moment, without waiting for the app's first frame."""
    import time

    path = _stored(shop)
    with sqlite3.connect(path) as conn:
        conn.execute(f"DELETE FROM meta WHERE key = '{snapshot_key.SNAPSHOT_KEY}'")
    reading = first_reading.start(path)
    assert reading is not None
    started = time.monotonic()
    got = first_reading.messages(reading)
    assert next(got)[0] == "numbers"
    assert time.monotonic() - started < first_reading.FIRST_FRAME_SECONDS, "not resumed: at once"
    reading.close()


def test_the_child_reads_behind_the_app(shop: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the snapshot, the child's whole-table reads run at a lower priority than the app."""
    import os

    path = _stored(shop)
    # The child reports its own priority where the deep check's key would be.
    monkeypatch.setattr(snapshot, "held_key", lambda _path: [os.getpriority(os.PRIO_PROCESS, 0)])
    held = dict(_read_ahead(path))["held"]
    assert held[0] > os.getpriority(os.PRIO_PROCESS, 0)


def test_a_snapshot_an_edit_in_place_made_stale_is_shown_but_not_held(shop: Database) -> None:
    """Another tool's edit keeps every index end and the write generation: only the deep key
    (sums) sees it, so the snapshot is shown at once but the fresh reading must follow."""
    import sqlite3

    path = _stored(shop)
    shop.close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE orderline SET unit_price_cents = unit_price_cents + 100 WHERE id = 1")
    kinds = [kind for kind, _value in _read_ahead(path)]
    assert kinds == ["stored", "done"]


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


def _fetches(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Calls of the dashboard's fresh reading in this app."""
    from tests.helpers import count_fetch
    from tuan.tui.dashboard.screen import DashboardScreen

    return count_fetch(monkeypatch, DashboardScreen)


async def _opened(app: Any) -> str:
    """The reminders panel once the dashboard counts as read (the start-up chores may run)."""
    from tests.helpers import settle, until

    async with app.run_test(size=(140, 40)) as pilot:
        await until(pilot, lambda: app._started_chores)
        await settle(app, pilot)
        return str(app.screen.query_one("#reminders").render())


async def test_a_snapshot_the_child_held_is_not_read_again(
    shop: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tuan.tui.app import TuanApp

    path = _stored(shop)
    shop.close()
    fetches = _fetches(monkeypatch)
    app = TuanApp(str(path), first_reading=first_reading.start(path))
    app.PREBUILD_AFTER = None
    assert "逾期" in await _opened(app)
    assert fetches == [], "the child's deep check stands for the fresh reading"


async def test_the_deep_check_waits_while_the_leader_types(shop: Database) -> None:
    import time

    from tests.helpers import until
    from tuan.tui.app import TuanApp
    from tuan.tui.dashboard.screen import DashboardScreen

    path = _stored(shop)
    shop.close()
    app = TuanApp(str(path), first_reading=first_reading.start(path))
    app.PREBUILD_AFTER = None
    async with app.run_test(size=(140, 40)) as pilot:
        dashboard = app.screen
        assert isinstance(dashboard, DashboardScreen)
        started = time.monotonic()
        while time.monotonic() - started < 1.0:  # a key every 0.1 s (one the dashboard ignores)
            await pilot.press("x")
            await pilot.pause(0.1)
        assert dashboard._held_key is None, "not checked while keys come"
        await until(pilot, lambda: dashboard._held_key is not None)


async def test_when_the_check_after_opening_fails_the_app_reads_afresh(
    shop: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tuan.tui.app import TuanApp

    path = _stored(shop)
    shop.close()
    reading = first_reading.start(path)  # forked before the check below is broken

    def unreadable(_path: Path) -> list[Any]:
        raise OSError("the file could not be read")

    monkeypatch.setattr(snapshot, "quick_key", unreadable)
    fetches = _fetches(monkeypatch)
    app = TuanApp(str(path), first_reading=reading)
    app.PREBUILD_AFTER = None
    assert "逾期" in await _opened(app)
    assert fetches == [1]


async def test_a_write_after_the_childs_check_is_read_afresh(
    shop: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A script's write between the child's check and the app opening the database: the
    snapshot on screen may no longer hold, so the app reads afresh."""
    from tuan.models import Member
    from tuan.tui.app import TuanApp

    path = _stored(shop)
    reading = first_reading.start(path)
    assert reading is not None
    reading.resume()
    messages = list(first_reading.messages(reading))
    assert [kind for kind, _value in messages][:2] == ["stored", "held"]
    with shop.transaction() as session:
        session.add(Member(nickname="新来的邻居"))
    shop.close()

    class Replayed:  # the child's messages, as read before the write
        def messages(self) -> Iterator[object]:
            yield from messages

        def resume(self) -> None:
            pass

        def close(self) -> None:
            pass

    fetches = _fetches(monkeypatch)
    app = TuanApp(str(path), first_reading=Replayed())  # type: ignore[arg-type]
    app.PREBUILD_AFTER = None
    await _opened(app)
    assert fetches == [1], "read afresh: the write came after the check"


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
