"""The items' costs behind the stored months' margins, and what a cost set since moves.

A closed month's margin sums (what the lines whose item has a cost sold for, what their pieces
cost, how many) depend on the items' costs as well as on the orders. The members' running
figures do not. So when only costs (or whether a price is known) changed since a ledger was
stored, the ledger still holds: the stored months' margin sums are moved by the difference, read
from the lines of the items that changed (an indexed lookup per item), instead of every month
being computed again (2.2 s on the xl demo; the leader sets costs often, chain by chain).

The stored costs are those of the items that count (a cost and a known price; `COSTED`),
kept under their own `meta` key with the items whose price is not known yet: 18,000 items on
the xl demo are ~300 KB, read only when the sums (`SUMS`, checked on every reading) say
something changed. A price set on an item imported without one is not a cost: it changes its
lines' prices (the orders' worth), so the ledgers no longer hold (`Items.unpriced`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

from tuan.domain.dashboard.order_rows import (
    ACTIVE,
    KEPT,
    LINE_REFUNDS,
    SOLD,
    Rows,
    local_day_reader,
    whole_hours,
)

KEY = "dashboard.months.items"
FORMAT = 1
# Compared on every reading (milliseconds over 20,000 items). The sums weighted by id tell
# two costs moved by the same amount the other way apart.
SUMS = (
    "SELECT count(*), total(cost_cents), total(price_known), total(id * cost_cents), "
    "total(id * price_known) FROM chainitem WHERE id <= ?"
)
_COSTED = (
    "SELECT id, cost_cents FROM chainitem "
    "WHERE id <= ? AND cost_cents IS NOT NULL AND price_known ORDER BY id"
)
_UNPRICED = "SELECT id FROM chainitem WHERE id <= ? AND NOT price_known ORDER BY id"
# What the lines of some items sold for net of refunds, and their pieces not refunded, per
# stored UTC hour (per minute in a zone whose offset is not whole hours): cost-free sums, so
# any cost can be applied to them.
_LINES = (
    f"SELECT l.item_id, min(o.created_at), SUM({SOLD}), SUM({KEPT}) "
    "FROM orderline l JOIN orders o ON o.id = l.order_id "
    f"LEFT JOIN {LINE_REFUNDS} r ON r.line_id = l.id "
    "WHERE l.item_id IN ({ids}) "
    f"AND o.status = '{ACTIVE}' AND o.created_at < ? "
    "GROUP BY l.item_id, substr(o.created_at, 1, {width})"
)

_IDS_A_QUERY = 500
Change = tuple[int | None, int | None]  # an item's counted cost before and now (None: not counted)


def sums(rows: Rows, last_item: int) -> list[Any]:
    found = rows(SUMS, (last_item,))
    return list(found[0]) if found else []


@dataclass
class Items:
    """The items up to one id: the counted cost of each that has one, and those whose price is
    not known yet."""

    costs: dict[int, int]
    unpriced: list[int]


def items(rows: Rows, last_item: int) -> Items:
    costs = {int(item): int(cost) for item, cost in rows(_COSTED, (last_item,))}
    return Items(costs, [int(item) for (item,) in rows(_UNPRICED, (last_item,))])


def document(found: Items) -> str:
    ids = sorted(found.costs)
    costs = [found.costs[i] for i in ids]
    doc = {"format": FORMAT, "ids": ids, "costs": costs, "unpriced": found.unpriced}
    return json.dumps(doc, separators=(",", ":"))


def stored(rows: Rows) -> Items | None:
    """The items stored with the ledgers, or None when there are none that can be read."""
    found = rows("SELECT value FROM meta WHERE key = ?", (KEY,))
    try:
        doc = json.loads(found[0][0])
        if doc.get("format") != FORMAT:
            return None
        costs = {int(i): int(c) for i, c in zip(doc["ids"], doc["costs"], strict=True)}
        return Items(costs, [int(i) for i in doc["unpriced"]])
    except (IndexError, ValueError, KeyError, TypeError, AttributeError):
        return None


def changes(before: dict[int, int], now: dict[int, int]) -> dict[int, Change]:
    """The items whose counted cost is not what it was."""
    return {
        item: (before.get(item), now.get(item))
        for item in before.keys() | now.keys()
        if before.get(item) != now.get(item)
    }


def margin_moves(
    rows: Rows, zone: tzinfo, until: str, moved: dict[int, Change]
) -> dict[str, list[int]]:
    """What `moved` changes in each local month's margin sums (`margin.Margin`'s fields, the
    first, every line's worth, untouched) over the active orders before `until` (UTC text)."""
    if not moved:
        return {}
    width = 13 if whole_hours(zone) else 16
    local_day = local_day_reader(zone)
    found: dict[str, list[int]] = {}
    items = sorted(moved)
    found_rows = []
    # A few hundred ids a query: older SQLite builds allow 999 parameters in all.
    for start in range(0, len(items), _IDS_A_QUERY):
        chunk = items[start : start + _IDS_A_QUERY]
        sql = _LINES.format(width=width, ids=", ".join("?" * len(chunk)))
        found_rows += rows(sql, (*chunk, until))
    for item, created, sold, kept in found_rows:
        before, now = moved[int(item)]
        sold, kept = int(sold or 0), int(kept or 0)
        acc = found.setdefault(local_day(str(created))[1], [0, 0, 0, 0])
        for cost, sign in ((before, -1), (now, 1)):
            if cost is not None:
                acc[1] += sign * sold
                acc[2] += sign * kept * cost
                acc[3] += sign * kept
    return found
