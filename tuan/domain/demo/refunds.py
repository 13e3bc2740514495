"""A few refunds (售后) in the demo: bad fruit, short deliveries and a quality complaint on
orders of the last weeks, so the dashboard's 退款 row, a chain's entries (`退1`) and the pickup
checklist show them.

Their own seeded random, so the rest of the story stays as it was. Only paid orders that were
not taken during a live: a paid order stays paid with less to pay, and the lives' stored
summaries need no change.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from tuan.domain.shared.states import ChainStatus, RefundReason
from tuan.models import Chain, Order, OrderLine, Refund

if TYPE_CHECKING:
    from tuan.domain.demo.builder import DemoBuilder

SEED = 20261207
NOTES = {  # what the leader wrote down: stored data, in her language
    RefundReason.BAD_FRUIT: "到货压坏了一个",  # i18n-keep: demo data
    RefundReason.SHORT: "少发了一件",  # i18n-keep: demo data
    RefundReason.QUALITY: "有点受潮",  # i18n-keep: demo data
    RefundReason.OTHER: "",
}


def add_refunds(builder: DemoBuilder, count: int = 9) -> None:
    """Refund one piece (or, once in a while, a little money) of `count` recent orders."""
    rng = random.Random(SEED)
    status = {c["id"]: c["status"] for c in builder.rows.tables[Chain]}
    lines: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for line in builder.rows.tables[OrderLine]:
        lines[line["order_id"]].append(line)
    since = builder.today - timedelta(days=45)
    candidates = [
        o
        for o in builder.rows.tables[Order]
        if o["paid"]
        and o["livestream_id"] is None
        and status[o["chain_id"]] in (ChainStatus.CLOSED, ChainStatus.DONE)
        and o["created_at"].date() >= since
        and any(line["unit_price_cents"] > 0 for line in lines[o["id"]])
    ]
    reasons = list(RefundReason)
    for order in rng.sample(candidates, k=min(count, len(candidates))):
        line = rng.choice([ln for ln in lines[order["id"]] if ln["unit_price_cents"] > 0])
        reason = rng.choice(reasons[:3]) if rng.random() < 0.85 else RefundReason.OTHER
        money_only = reason == RefundReason.SHORT and rng.random() < 0.3
        day = min(order["created_at"].date() + timedelta(days=rng.randint(1, 4)), builder.today)
        builder.rows.add(
            Refund,
            order_id=order["id"],
            line_id=line["id"],
            qty=0 if money_only else 1,
            amount_cents=500 if money_only else line["unit_price_cents"],
            reason=reason,
            refunded_on=day,
            note=NOTES[reason],
            created_at=builder.at(day, 20),
        )
