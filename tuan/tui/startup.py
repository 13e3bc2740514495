"""What the app does once its database is open: apply the rules (reminders, tags, points).

`TuanApp.db` calls `on_database_open` right after it opens and migrates the database, in the
worker thread that asked for it, so the rules never hold up the first frame.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tuan.db import Database
    from tuan.domain.members.rules import RulesReport

log = logging.getLogger(__name__)

# Runs that read without the write lock, before one that waits its turn for it.
OPTIMISTIC_TRIES = 2

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
