"""The ORM is imported by one thread at a time, before any worker's own work.

SQLAlchemy's package imports itself in a cycle (`sqlalchemy` → `.engine` → `..event` →
`sqlalchemy`). When two threads import it for the first time at the same moment, Python's
per-module import locks see a deadlock and hand one of them a half-initialised module: that
thread fails with "cannot import name … from partially initialized module". At start-up this
happened whenever an area was opened at once (its reading, the dashboard's and the check for a
live on air all started together): the area showed 读取数据失败 and the live was not resumed.

So the workers that read or write (a screen's reading, the app's own workers) first take this
lock and import the models (SQLAlchemy, SQLModel and pydantic with them); once done, it costs a
flag check. The dashboard's stored snapshot is read without the ORM and does not wait for it.
The main thread never imports it while opening an area (tests/members/test_opened_at_once.py).
"""

from __future__ import annotations

import functools
import gc
import inspect
import threading
from importlib import import_module
from typing import Any

_lock = threading.Lock()
_imported = False


def import_orm() -> None:
    """Import the models (and the ORM under them) unless done; one thread at a time."""
    global _imported
    if _imported:
        return
    with _lock:
        if not _imported:
            import_module("tuan.models")
            # What is alive now (Textual, the app, the ORM: some 400,000 objects) lives as long
            # as the app: leave it out of later collections, whose full passes over it held the
            # interpreter lock 40-100 ms at a time while the first areas were being opened.
            gc.freeze()
            _imported = True


def orm_first(work: Any, thread: bool) -> Any:
    """`work` for `run_worker`: a thread worker's plain function imports the ORM first."""
    if not thread or not callable(work) or inspect.iscoroutinefunction(work):
        return work

    @functools.wraps(work)
    def run() -> Any:
        import_orm()
        return work()

    return run
