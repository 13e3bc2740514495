"""The dashboard's last reading, kept in the database so the next start shows it at once.

Reading 50,000 orders and importing the ORM take most of a second; the snapshot is a few
kilobytes of JSON in the `meta` table that plain `sqlite3` reads in milliseconds. It is only
used when its key still matches the database: the schema version, the write generation that
`Database.transaction()` bumps on every commit that changed something, a fingerprint of the
orders and refunds (so even a write from another tool is noticed), the language and the time
zone. The facts
are projected onto the current moment (`dashboard_view.project`), so the reminders, pickups and
dormant counts follow the calendar. SQLite only; a server database always reads fresh.

The JSON names each value's type, and only the dashboard's own row types are ever rebuilt from
it, so a database from elsewhere cannot make the app run anything.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tuan import clock
from tuan.domain.dashboard.coupon_rows import CouponMonth
from tuan.domain.dashboard.snapshot_key import (
    Query,
    current_key,
    jsonable,
    key_holds,
    stored_document,
)
from tuan.domain.dashboard.view import DashboardFacts, DueReminder, Overview, TodayPickup, project
from tuan.domain.shared.rows import ChainRow, LiveConversion, LiveRow, MonthStats
from tuan.domain.shared.sqlite_file import read_file

TYPES: dict[str, type] = {
    cls.__name__: cls
    for cls in (DashboardFacts, DueReminder, TodayPickup, ChainRow, LiveRow, MonthStats,
                LiveConversion, CouponMonth)
}  # fmt: skip


def holding(query: Query, *, deep: bool = False) -> tuple[list[Any], DashboardFacts | None]:
    """The current key (deep: the one to store), and the stored facts if they still hold.

    The stored key is always a deep one; the quick key is its beginning.
    """
    key = current_key(query, deep=deep)
    found = _stored(query)
    if found is None:
        return key, None
    return key, found[1] if key_holds(found[0], key) else None


def _stored(query: Query) -> tuple[list[Any], DashboardFacts] | None:
    """The stored key and facts, or None when there is none or it cannot be read."""
    document = stored_document(query)
    try:
        facts = _decode(document["facts"])
    except (KeyError, TypeError):
        return None  # an older or damaged snapshot: the fresh reading replaces it
    if not isinstance(facts, DashboardFacts) or not isinstance(document["key"], list):
        return None
    return document["key"], facts


def read(path: Path, now: datetime | None = None) -> Overview | None:
    """The overview from the snapshot in a SQLite file, if it still holds; never writes."""

    def from_snapshot(conn: sqlite3.Connection) -> Overview | None:
        _key, facts = holding(lambda sql: conn.execute(sql).fetchone())
        return None if facts is None else project(facts, now or clock.now())

    return read_file(path, from_snapshot)


def held_key(path: Path) -> list[Any] | None:
    """When the stored snapshot holds on the deep key too (what the fresh reading checks), the
    quick key it held at; else None. The app compares that key with the file's once it has
    opened the database: equal, nothing was written in between, and the snapshot shown is
    what a fresh reading would show (`quick_key`). Never writes."""

    def check(conn: sqlite3.Connection) -> list[Any] | None:
        def query(sql: str) -> Any:
            return conn.execute(sql).fetchone()

        _key, facts = holding(query, deep=True)
        return None if facts is None else jsonable(current_key(query))

    return read_file(path, check)


def quick_key(path: Path) -> list[Any] | None:
    """The file's quick key now (index ends, the write generation; milliseconds)."""
    return read_file(
        path, lambda conn: jsonable(current_key(lambda sql: conn.execute(sql).fetchone()))
    )


def document(key: list[Any], facts: DashboardFacts) -> str:
    """The JSON stored under `SNAPSHOT_KEY`."""
    return json.dumps({"key": jsonable(key), "facts": _encode(facts)}, ensure_ascii=False)


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"$type": type(value).__name__, **fields}
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _encode(v) for k, v in value.items()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "$datetime" in value:
        return datetime.fromisoformat(value["$datetime"])
    if "$date" in value:
        return date.fromisoformat(value["$date"])
    if "$type" in value:
        cls = TYPES[value["$type"]]
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: _decode(v) for k, v in value.items() if k in names})
    return {k: _decode(v) for k, v in value.items()}
