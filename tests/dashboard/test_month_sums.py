"""With no stored ledger that holds, the months before this one are folded from sums per member
and month (dashboard/month_sums.py): the figures are still the definitions', in any zone, with
refunds that void an order, unpriced orders and orders left without lines."""

from __future__ import annotations

import shutil
import sqlite3
import threading
import time
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.dashboard.test_closed_months import (
    NOW,
    OCTOBER,
    TODAY,
    _another_tool,
    full,
    october_order,
    read,
    shop,
)
from tuan import clock
from tuan.db import Database
from tuan.domain.dashboard import metrics, month_sums, quick
from tuan.domain.dashboard.order_rows import cursor_rows
from tuan.domain.dashboard.quick import numbers
from tuan.domain.shared.sqlite_file import second_reading

__all__ = ["shop"]  # the fixture, from the closed months' tests
pytestmark = pytest.mark.sqlite_only

REFUND = (
    "INSERT INTO refund (order_id, line_id, qty, amount_cents, reason, refunded_on, note, "
    "created_at) SELECT order_id, id, {qty}, {cents}, 'other', '2026-11-26', '', "
    "'2026-11-26T02:00:00+00:00' FROM orderline WHERE order_id = ?"
)


def _forget(db: Database) -> None:
    _another_tool(db, "DELETE FROM meta WHERE key LIKE 'dashboard.months%'")


@pytest.fixture
def folded(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many facts each reading folded from sums (one entry per reading that did)."""
    counts: list[int] = []
    before = month_sums.facts_before

    def counted(*args: Any, **named: Any) -> Any:
        facts, margins = before(*args, **named)
        counts.append(len(facts))
        return facts, margins

    monkeypatch.setattr(month_sums, "facts_before", counted)
    return counts


@pytest.mark.parametrize(
    "zone",
    [ZoneInfo("Asia/Shanghai"), ZoneInfo("America/New_York"), ZoneInfo("Asia/Kathmandu")],
    ids=["shanghai", "summer-time", "quarter-hour"],
)
def test_with_nothing_stored_the_months_from_sums_are_the_definitions(
    shop: Database, folded: list[int], zone: ZoneInfo
) -> None:
    clock.freeze(datetime(2026, 11, 26, 10, 0, tzinfo=zone))
    voided, partial, unpriced, emptied = (october_order(shop, n) for n in (1, 3, 4, 6))
    _another_tool(shop, REFUND.format(qty="qty", cents="qty * unit_price_cents"), voided)
    _another_tool(shop, REFUND.format(qty=0, cents=100), partial)
    _another_tool(shop, "UPDATE orderline SET unit_price_cents = 0 WHERE order_id = ?", unpriced)
    _another_tool(shop, "DELETE FROM orderline WHERE order_id = ?", emptied)
    _forget(shop)
    assert read(shop) == full(shop)
    assert len(folded) == 1  # every closed month came from the sums
    # fewer facts than orders: one per member and month, but for the refunded
    assert shop.path is not None
    conn = sqlite3.connect(shop.path)
    orders = conn.execute(
        "SELECT count(*) FROM orders WHERE status = 'active' AND created_at < ?", (OCTOBER[1],)
    ).fetchone()[0]
    conn.close()
    assert 0 < folded[0] < orders


def test_the_ledgers_stored_from_sums_fold_on_like_any_other(
    shop: Database, folded: list[int]
) -> None:
    _forget(shop)
    read(shop)  # computed from sums, and stored
    _another_tool(shop, REFUND.format(qty=0, cents=500), october_order(shop, 2))  # last month
    assert read(shop) == full(shop)
    assert len(folded) == 1  # the second reading folded on from what the first stored


@pytest.fixture
def margins_read(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """For each reading of the margin sums: whether it ran in a thread (the second connection)."""
    sides: list[bool] = []
    summed = month_sums.margin_sums

    def spied(rows: Any, *args: Any) -> Any:
        sides.append(threading.current_thread() is not threading.main_thread())
        return summed(rows, *args)

    monkeypatch.setattr(month_sums, "margin_sums", spied)
    return sides


def _as_defined(db: Database, found: Any) -> None:
    with db.session() as s:
        expected = metrics.monthly_stats(s, 12, TODAY)
    assert [asdict(m) for m in found.overview.months] == [asdict(m) for m in expected]


def test_the_quick_numbers_read_the_margins_beside_on_a_second_connection(
    shop: Database, margins_read: list[bool]
) -> None:
    assert shop.path is not None
    found = numbers(shop.path, NOW)
    assert found is not None
    assert margins_read == [True]  # read in a thread, on the second connection
    _as_defined(shop, found)


def test_a_second_reading_that_sees_other_data_is_not_used(
    shop: Database, margins_read: list[bool], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A write between the two readings' first reads: the margins are read on the first."""
    assert shop.path is not None
    other = tmp_path / "other.db"
    shutil.copy(shop.path, other)
    with sqlite3.connect(other) as conn:  # what the second reading would see: a new order line
        conn.execute(
            "INSERT INTO orderline (order_id, item_id, qty, unit_price_cents, collected_qty, gift) "
            "SELECT order_id, item_id, 5, unit_price_cents, 0, gift FROM orderline "
            "WHERE order_id = ? LIMIT 1",
            (october_order(shop),),
        )
    monkeypatch.setattr(quick, "second_reading", lambda _path: second_reading(other))
    found = numbers(shop.path, NOW)
    assert found is not None and margins_read == [False]
    _as_defined(shop, found)


def test_a_failed_reading_waits_for_the_margins_beside_before_it_lets_go(
    shop: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The caller closes the second connection once the reading ends, however it ends: the
    thread reading on it must be done by then (sqlite3 crashes on a connection closed under a
    running statement)."""
    assert shop.path is not None
    conn = sqlite3.connect(shop.path)
    rows = cursor_rows(conn)
    finished: list[bool] = []

    def slow_margins(*_args: Any) -> dict[str, list[int]]:
        time.sleep(0.3)
        finished.append(True)
        return {}

    def failing(sql: str, params: Any = ()) -> Any:
        if "GROUP BY 1, 2" in sql:
            raise sqlite3.OperationalError("database is locked")
        return rows(sql, params)

    monkeypatch.setattr(month_sums, "margin_sums", slow_margins)
    try:
        with pytest.raises(sqlite3.OperationalError):
            month_sums.facts_before(failing, ZoneInfo("Asia/Shanghai"), "2026-11", [], beside=rows)
        assert finished == [True], "the reading ended while the thread still read"
    finally:
        conn.close()
