"""A tuan SQLite file read (or its caches written) with `sqlite3` alone, before the ORM loads.

Importing SQLAlchemy costs a third of a second of the interpreter: what the first screen needs
(the dashboard's numbers, whether a live is on air) is read this way instead.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def _connect(path: Path) -> sqlite3.Connection | None:
    """A connection to the tuan file at `path` (never a new, empty file), or None."""
    if not path.is_file():
        return None
    try:
        # A short wait: a busy file is read (or its cache stored) another time.
        return sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=0.2)
    except sqlite3.Error:
        return None


def read_file(path: Path, reading: Callable[[sqlite3.Connection], T]) -> T | None:
    """`reading(conn)` inside one transaction on the SQLite file at `path` (one consistent
    reading, never a write), or None when the file is missing, locked, of an older schema or
    not a tuan file: the caller then reads through the ORM instead."""
    conn = _connect(path)
    if conn is None:
        return None
    try:
        conn.execute("BEGIN")
        return reading(conn)
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def store_meta(path: Path, entries: dict[str, str]) -> bool:
    """Write `meta` entries (caches, never the leader's data) in one transaction; False when
    the file is busy or cannot be written (a cache not stored is only computed again)."""
    if not entries:
        return True
    conn = _connect(path)
    if conn is None:
        return False
    try:
        with conn:
            conn.executemany(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                entries.items(),
            )
        return True
    except sqlite3.Error:
        return False
    finally:
        conn.close()
