"""Whether a livestream is on air, read without the ORM (at start-up, beside the first screen).

A live left on air when the app closed (or crashed) comes straight back; asking through the ORM
meant importing SQLAlchemy at the first frame, which held the interpreter while the dashboard's
numbers were being read.
"""

from __future__ import annotations

from pathlib import Path

from tuan.domain.shared.sqlite_file import read_file
from tuan.domain.shared.states import LiveStatus

_ON_AIR = f"SELECT 1 FROM livestream WHERE status = '{LiveStatus.LIVE.value}' LIMIT 1"


def on_air(path: Path) -> bool | None:
    """Whether the SQLite file at `path` has a live on air; None when it cannot be read."""
    return read_file(path, lambda conn: conn.execute(_ON_AIR).fetchone() is not None)
