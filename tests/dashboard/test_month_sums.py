"""With no stored ledger that holds, the months before this one are folded from sums per member
and month (dashboard/month_sums.py): the figures are still the definitions', in any zone, with
refunds that void an order, unpriced orders and orders left without lines."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.dashboard.test_closed_months import (
    OCTOBER,
    _another_tool,
    full,
    october_order,
    read,
    shop,
)
from tuan import clock
from tuan.db import Database
from tuan.domain.dashboard import month_sums

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

    def counted(*args: Any) -> Any:
        facts, margins = before(*args)
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
