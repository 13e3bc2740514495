"""What the app does once its database is open: apply the rules (reminders, tags, points).

The app runs them once its database is open and migrated, after the day's backup, in its
start-up chores' thread (`TuanApp._after_open`): in a child process forked at launch
(`start_apart`) where there is one, else in that thread (`on_database_open`).

Apart, because they are seconds of Python on a big database (1.6 s on the xl demo, 3 s in one
of the app's threads, where they shared the interpreter with the leader's keys) and their
memory is not the app's: its peak on xl went from 182 to 123 MB. In their own process, at a
lower priority, they still take a core: what keeps them out of the leader's first seconds is
that they start only after a quiet moment (`tui/app.CHORES_QUIET_SECONDS`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from tuan.domain.shared.forked import Forked, Send, behind_the_parent, fork, wait_for_parent

if TYPE_CHECKING:
    from tuan.db import Database
    from tuan.domain.members.rules import RulesReport

log = logging.getLogger(__name__)

# Runs that read without the write lock, before one that waits its turn for it.
OPTIMISTIC_TRIES = 2
# How long the child waits for its go (the database opened, migrated and backed up) before it
# gives up: the app then runs the rules itself.
APART_WAIT_SECONDS = 120.0

_last_report: RulesReport | None = None
_last_error: str = ""


def on_database_open(database: Database) -> None:
    """Run the rules once for the database the app just opened.

    A failure is logged and kept (see `last_error`); it never stops the app from opening.
    """
    global _last_report, _last_error
    try:
        _last_report = _run_rules(database)
        _last_error = ""
    except Exception as error:  # the leader must still reach their data
        log.exception("rules run on start failed")
        _last_error = str(error) or type(error).__name__


def _run_rules(database: Database) -> RulesReport:
    """The run, reading without SQLite's write lock (seconds on the xl demo, while the leader
    may already tick or take an order); again when its writes met the leader's, and at last
    in turn with them."""
    from tuan import clock
    from tuan.db import is_write_conflict
    from tuan.domain.members.rules import run_rules

    for _attempt in range(OPTIMISTIC_TRIES):
        try:
            with database.transaction(optimistic=True) as session:
                return run_rules(session, clock.now())
        except Exception as error:
            if not is_write_conflict(error):
                raise
    with database.transaction() as session:
        return run_rules(session, clock.now())


def last_report() -> RulesReport | None:
    """What the run on start did (None until it has run)."""
    return _last_report


def last_error() -> str:
    """Why the run on start failed ('' when it did not)."""
    return _last_error


def start_apart(target: str) -> Forked | None:
    """The rules' child for the database at `target`, forked at launch (before any thread
    starts, before the ORM loads); it waits for `run_rules`. None where there is no fork."""
    return fork(partial(_apart, target))


def _apart(target: str, send: Send) -> None:
    """In the child: once told to go, the run on start, and what it did sent back."""
    if not wait_for_parent(APART_WAIT_SECONDS):
        return
    behind_the_parent()
    from tuan.db import open_database

    database = open_database(target, migrate=False)  # the app has migrated it
    try:
        on_database_open(database)
    finally:
        database.close()
    send((_last_report, _last_error))


def run_rules(
    database: Database,
    apart: Forked | None = None,
    *,
    wanted: Callable[[], bool] = lambda: True,
) -> None:
    """The run on start: in the child `apart` when there is one (told to go now), else here;
    here too when the child ends without saying what it did, unless no longer `wanted()` (the
    app is closing: it stopped the child)."""
    global _last_report, _last_error
    if apart is not None:
        apart.resume()
        found = [m for m in apart.messages() if isinstance(m, tuple) and len(m) == 2]
        if found:
            _last_report, _last_error = found[0]
            return
        if not wanted():
            return
    on_database_open(database)
