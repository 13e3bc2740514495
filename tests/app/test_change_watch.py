"""The app notices another process's writes, even when its own fall in the same moment."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from tuan.db import ChangeWatch, Database, open_database
from tuan.models import Reminder

pytestmark = pytest.mark.sqlite_only


def _touch(database: Database) -> None:
    """One real change (a reminder's note) through tuan's own transaction."""
    with database.transaction() as session:
        reminder = session.exec(select(Reminder)).first()
        assert reminder is not None
        reminder.title = reminder.title + "·"
        session.add(reminder)


def test_own_writes_are_not_news_but_a_script_writing_beside_them_is(demo_db: Database) -> None:
    assert demo_db.path is not None
    watch = ChangeWatch(demo_db)
    script = open_database(demo_db.path)  # another process's connection, as `tuan` from a script
    try:
        assert not watch.changed_elsewhere()
        _touch(demo_db)
        assert not watch.changed_elsewhere(), "our own write"
        _touch(script)
        assert watch.changed_elsewhere(), "a script's write"
        _touch(demo_db)
        _touch(script)
        assert watch.changed_elsewhere(), "ours, then a script's, in one interval"
        _touch(script)
        _touch(demo_db)
        assert watch.changed_elsewhere(), "a script's, then ours, in one interval"
        assert not watch.changed_elsewhere()
    finally:
        script.close()
        watch.close()


def test_a_transaction_that_changes_nothing_leaves_the_generation_alone(demo_db: Database) -> None:
    watch = ChangeWatch(demo_db)
    try:
        before = demo_db.own_generation
        with demo_db.transaction() as session:
            session.exec(select(Reminder)).first()
        assert demo_db.own_generation == before
        _touch(demo_db)
        assert demo_db.own_generation == (before or 0) + 1
    finally:
        watch.close()


async def test_a_script_writing_while_the_app_closes_is_no_crash(demo_path: Path) -> None:
    """The watch's reload lands after the last screen is gone: quitting must still be quiet."""
    from tuan.tui.app import TuanApp

    app = TuanApp(str(demo_path))
    async with app.run_test(size=(120, 36)):
        pass
    assert app.screen_stack == []
    app._reload_screen()  # what `call_from_thread` runs once the change watch saw the write
