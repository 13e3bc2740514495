"""Opening the app, from the console script and from the CLI alike (`tuan`, `tuan demo`).

Imports only what is light until the app itself: what runs here runs before Textual loads.
"""

from __future__ import annotations


def run_app(target: str, *, notice: str | None = None) -> None:
    """Open the app on `target`, its dashboard's first reading started beside it."""
    import threading

    from tuan.db import sqlite_path
    from tuan.domain.dashboard import first_reading
    from tuan.tui import startup
    from tuan.tui.shared import full_collections

    before = full_collections.hold()  # from the first import on: one delayed the first screen

    reading = rules = None
    if threading.active_count() == 1:  # a fork copies no other thread (nor the locks it holds)
        # Before Textual and the ORM load: the children are small and start at once.
        reading = first_reading.start(sqlite_path(target))
        rules = startup.start_apart(target)
    from tuan.tui.app import TuanApp
    from tuan.tui.early_keys import kept

    try:
        # `tuan demo` comes here through the commands (the plain `tuan` is kept from launch).
        with kept():
            TuanApp(db_target=target, notice=notice, first_reading=reading, rules=rules).run()
    finally:
        full_collections.release(before)
