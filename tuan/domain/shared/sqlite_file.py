"""A tuan SQLite file read with `sqlite3` alone, before the ORM loads.

Importing SQLAlchemy costs a third of a second of the interpreter: what the first screen needs
(the dashboard's numbers, whether a live is on air) is read this way instead.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def read_file(path: Path, reading: Callable[[sqlite3.Connection], T]) -> T | None:
    """`reading(conn)` inside one transaction on the SQLite file at `path` (one consistent
    reading, never a write), or None when the file is missing, locked, of an older schema or
    not a tuan file: the caller then reads through the ORM instead."""
    if not path.is_file():
        return None  # never a new, empty file
    try:
        conn = sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=0.2)
    except sqlite3.Error:
        return None
    try:
        conn.execute("BEGIN")
        return reading(conn)
    except sqlite3.Error:
        return None
    finally:
        conn.close()


@contextmanager
def second_reading(path: Path | None) -> Iterator[sqlite3.Connection | None]:
    """Another connection to the SQLite file at `path`, in its own read transaction and usable
    from another thread (to read beside the first on the other core), or None when it cannot
    be had. Its snapshot is taken at its first read: the caller checks that it reads what the
    first does."""
    conn = None
    if path is not None:
        try:
            conn = sqlite3.connect(
                f"file:{path}?mode=rw", uri=True, timeout=0.2, check_same_thread=False
            )
            conn.execute("BEGIN")
        except sqlite3.Error:
            if conn is not None:
                conn.close()
            conn = None
    try:
        yield conn
    finally:
        if conn is not None:
            conn.close()
