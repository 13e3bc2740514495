"""The one source of "now", so tests, snapshots and the demo can freeze time.

`TUAN_NOW` (ISO 8601, e.g. `2026-11-26T10:00:00+08:00`) or `freeze()` pins the clock.
Times are timezone-aware; the leader's local zone is the default.
"""

from __future__ import annotations

import os
from datetime import date, datetime, tzinfo

_frozen: datetime | None = None


def local_zone() -> tzinfo:
    """The leader's zone (the machine's local zone, or the frozen clock's)."""
    zone = (_frozen_now() or datetime.now().astimezone()).tzinfo
    assert zone is not None  # both are aware: freeze() and TUAN_NOW give an aware time
    return zone


def _frozen_now() -> datetime | None:
    if _frozen is not None:
        return _frozen
    pinned = os.environ.get("TUAN_NOW")
    if pinned:
        value = datetime.fromisoformat(pinned)
        return value if value.tzinfo else value.astimezone()
    return None


def now() -> datetime:
    """The current time, aware, in the leader's zone."""
    return _frozen_now() or datetime.now().astimezone()


def today() -> date:
    """Today's date in the leader's zone."""
    return now().date()


def freeze(moment: datetime | None) -> None:
    """Pin the clock to `moment` (aware), or release it with None."""
    if moment is not None and moment.tzinfo is None:
        raise ValueError("freeze() needs an aware datetime")
    global _frozen
    _frozen = moment


def local(moment: datetime) -> datetime:
    """A stored (UTC) time in the leader's zone, for display."""
    return moment.astimezone(local_zone())
