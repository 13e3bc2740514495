"""What a stored dashboard snapshot must match to be used, read with `sqlite3` alone.

Apart from the snapshot itself (`snapshot.py`): checking the key needs none of the dashboard's
row types, whose imports are most of what reading a snapshot costs (13 of 16 ms). The first
reading's child checks the key at launch and, when it holds, decodes the snapshot only once
the app's first frame is out (`first_reading.py`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tuan import clock, i18n
from tuan.domain.shared.sqlite_file import read_file
from tuan.domain.shared.states import OrderStatus

FORMAT = 3  # bump when a stored type changes shape
SNAPSHOT_KEY = "dashboard.snapshot"
# The quick key reads the ends of indexes only (max(id): a B-tree's last entry, microseconds
# whatever the size; count(*) is not: it walks a whole index, 100 ms over 520,000 orders, which
# the xl demo paid before its stored numbers showed). A row added anywhere moves a max(id); the
# deep key (counts, sums; ~20 ms on 50,000 orders, ~0.3 s on 500,000) also sees a row deleted or
# edited in place by another tool (an item's cost too), and is checked by the fresh reading that
# always follows the snapshot on screen (and replaces it within the second when it no longer
# holds).
_QUICK = (
    "PRAGMA user_version",
    "SELECT value FROM meta WHERE key = 'generation'",
    "SELECT max(id) FROM orders",
    "SELECT max(id) FROM orderline",
    "SELECT max(id) FROM refund",  # a refund lowers GMV: its own write is noticed
    "SELECT max(id) FROM coupon",
)
_DEEP = (
    "SELECT count(*) FROM orders",
    "SELECT count(*) FROM orderline",
    "SELECT count(*) FROM refund",
    "SELECT count(*) FROM coupon",
    f"SELECT max(updated_at), total(status = '{OrderStatus.ACTIVE}') FROM orders",
    "SELECT total(qty), total(unit_price_cents), total(collected_qty) FROM orderline",
    "SELECT total(qty), total(amount_cents) FROM refund",
    "SELECT total(order_id), max(redeemed_at), total(amount_cents) FROM coupon",
    # an item's cost or known price moves the margins (weighted by id: two costs moved by the
    # same amount the other way are told apart)
    "SELECT count(*), total(cost_cents), total(price_known), total(id * cost_cents) FROM chainitem",
)

Query = Callable[[str], Any]


def current_key(query: Query, *, deep: bool = False) -> list[Any]:
    """What a stored snapshot must match to be used; `query(sql)` returns one row."""
    key: list[Any] = [FORMAT, i18n.language(), str(clock.local_zone())]
    for sql in (*_QUICK, *_DEEP) if deep else _QUICK:
        row = query(sql)
        key.extend(list(row) if row is not None else [None])
    return key


def stored_document(query: Query) -> Any:
    """The stored snapshot's JSON, parsed (None when there is none or it cannot be read)."""
    row = query(f"SELECT value FROM meta WHERE key = '{SNAPSHOT_KEY}'")
    if row is None:
        return None
    try:
        return json.loads(row[0])
    except (ValueError, TypeError):
        return None


def key_holds(stored: Any, key: list[Any]) -> bool:
    """Whether a stored key (always a deep one) begins with `key` (quick or deep)."""
    wanted = jsonable(key)
    return isinstance(stored, list) and stored[: len(wanted)] == wanted


def may_hold(path: Path) -> bool:
    """Whether the snapshot stored in the SQLite file at `path` holds on the quick key (what
    `snapshot.read` checks before it decodes anything); never writes."""

    def check(conn: Any) -> bool:
        def query(sql: str) -> Any:
            return conn.execute(sql).fetchone()

        document = stored_document(query)
        return isinstance(document, dict) and key_holds(document.get("key"), current_key(query))

    return bool(read_file(path, check))


def jsonable(key: list[Any]) -> list[Any]:
    """The key as it reads back from JSON (datetimes and decimals become text)."""
    read: list[Any] = json.loads(json.dumps(key, default=str))
    return read
