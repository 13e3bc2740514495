"""拼团 in the demo: the open chain sells its olive oil in teams of 3 (¥79 instead of ¥89), and
the chain past its deadline sells rice in teams of 3 (¥79 instead of ¥89), one team still
short, for the leader to settle with `t`.

The item's orders join teams in the order they were taken (as `shared.teams` fills them), and
the members of a full team are at the team price, so GMV and payments agree with the app. But
one: the first to open a team of the chain being collected today paid the full price before her
team formed, so pickup shows ¥10 to give back to her (多付).
"""

from __future__ import annotations

from typing import Any

from tuan.domain.shared.states import ChainStatus, TeamStatus
from tuan.domain.shared.team_words import team_name_of
from tuan.models import Chain, ChainItem, Order, OrderLine, Team, TeamMember

#: (chain status, product key, team size, team price in cents)
TEAM_ITEMS = ((ChainStatus.OPEN, "olive", 3, 7900), (ChainStatus.CLOSED, "rice", 3, 7900))


def add_teams(builder: Any) -> None:
    """Make one item of the open chain and one of the closed chain team items, with teams."""
    tables = builder.rows.tables
    for row in tables[ChainItem]:  # every row of a bulk insert has the same columns
        row.setdefault("team_size", None)
        row.setdefault("team_price_cents", None)
    chains = {row["id"]: row for row in tables[Chain]}
    for status, key, size, price in TEAM_ITEMS:
        chain_id = max(cid for cid, row in chains.items() if row["status"] == status)
        item = builder.items_by_chain[chain_id].get(key)
        if item is None:
            continue
        row = next(r for r in tables[ChainItem] if r["id"] == item["id"])
        row["team_size"], row["team_price_cents"] = size, price
        _fill(builder, chain_id, item["id"], size, price, closed=status == ChainStatus.CLOSED)


def _fill(
    builder: Any, chain_id: int, item_id: int, size: int, price: int, *, closed: bool
) -> None:
    tables = builder.rows.tables
    lines = [line for line in tables[OrderLine] if line["item_id"] == item_id]
    ordered = {line["order_id"] for line in lines}
    orders = sorted(
        (o for o in tables[Order] if o["id"] in ordered and o["status"] == "active"),
        key=lambda o: (o["created_at"], o["id"]),  # the order they were taken in
    )
    nicknames = {m["id"]: m["nickname"] for m in builder.members}
    taken: set[str] = set()
    paid_first = closed  # the first team's opener, who paid before it formed
    for start in range(0, len(orders), size):
        members = orders[start : start + size]
        full = len(members) == size
        name = team_name_of(nicknames.get(members[0]["member_id"], "?"))
        while name in taken:
            name += "2"
        taken.add(name)
        team_id = builder.rows.add(
            Team, chain_id=chain_id, item_id=item_id, leader_id=members[0]["member_id"],
            name=name, status=TeamStatus.FORMED if full else TeamStatus.OPEN,
            created_at=members[0]["created_at"],
            formed_at=members[-1]["created_at"] if full else None, settled_at=None,
        )  # fmt: skip
        for order in members:
            builder.rows.add(TeamMember, team_id=team_id, order_id=order["id"],
                             joined_at=order["created_at"])  # fmt: skip
        if full:
            mine = {order["id"] for order in members}
            for line in lines:
                if line["order_id"] in mine and line["flash_sale_id"] is None:
                    if line["order_id"] == members[0]["id"] and paid_first:
                        builder.paid_over[line["order_id"]] = (
                            line["unit_price_cents"] - price
                        ) * line["qty"]
                        paid_first = False
                    line["unit_price_cents"] = price
