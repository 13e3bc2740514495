"""The numbers of a livestream, defined once: the summary stored when it ends.

- peak viewers: the highest viewer count the leader entered during the live;
- orders: the live's active (not cancelled or undone) orders;
- buyers: distinct members behind those orders;
- conversion (转化率): buyers / peak viewers (0 when no viewer count was entered);
- GMV: the sum of those orders' lines, quantity × captured unit price, less their refunds
  (`shared.refunds`; a refund made after the live ended moves the stored summary's GMV);
- gifts given: first-N gifts handed out (one per order and flash sale);
- new members (新团员): buyers who had bought nothing before the live started — neighbours who
  joined for the live, including those added on the spot during it;
- teams formed (成团) and unfilled (未成团): the 拼团 teams the live's orders are in, counted by
  their state now: formed (full) or not (still waiting, or settled without filling).

`summarize` is pure, so the demo computes its past episodes' summaries with the same code. The
stored summary (`Livestream.summary_json`) is what `metrics.live_conversions` and the dashboard
read.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from typing import Any

from sqlmodel import Session, col, select

from tuan.domain.shared.refunds import refunded_by_line
from tuan.domain.shared.sql import select_columns
from tuan.domain.shared.states import LiveStatus, OrderStatus
from tuan.domain.shared.teams import live_team_counts
from tuan.models import Livestream, Order, OrderLine


@dataclass(frozen=True)
class LiveSummary:
    """A livestream's results."""

    peak_viewers: int = 0
    buyers: int = 0
    orders: int = 0
    conversion: float = 0.0
    gmv_cents: int = 0
    gifts_given: int = 0
    new_members: int = 0
    teams_formed: int = 0
    teams_unfilled: int = 0

    def as_dict(self) -> dict[str, int | float]:
        """The JSON-ready form stored in `Livestream.summary_json`."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LiveSummary:
        """Read a stored summary (unknown keys are ignored, missing ones are 0)."""
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**known)


@dataclass(frozen=True)
class LiveOrderFact:
    """One line of a live order, as the summary needs it."""

    order_id: int
    member_id: int
    cents: int
    gift_key: int | None  # the flash sale whose gift this line carries, or None
    first_purchase: bool  # the buyer had bought nothing before the live started


def summarize(peak_viewers: int, facts: Iterable[LiveOrderFact]) -> LiveSummary:
    """The summary of a live from its order lines and the peak viewer count."""
    facts = list(facts)
    orders = {f.order_id for f in facts}
    buyers = {f.member_id for f in facts}
    new = {f.member_id for f in facts if f.first_purchase}
    gifts = {(f.order_id, f.gift_key) for f in facts if f.gift_key is not None}
    return LiveSummary(
        peak_viewers=peak_viewers,
        buyers=len(buyers),
        orders=len(orders),
        conversion=round(len(buyers) / peak_viewers, 4) if peak_viewers else 0.0,
        gmv_cents=sum(f.cents for f in facts),
        gifts_given=len(gifts),
        new_members=len(new),
    )


def live_order_facts(session: Session, live: Livestream) -> list[LiveOrderFact]:
    """The active order lines of a livestream, each marked with its buyer's first-purchase flag."""
    stmt = (
        select_columns(
            Order.id,
            Order.member_id,
            OrderLine.id,
            OrderLine.qty,
            OrderLine.unit_price_cents,
            OrderLine.gift,
            OrderLine.flash_sale_id,
        )
        .join(OrderLine, col(OrderLine.order_id) == col(Order.id))
        .where(col(Order.livestream_id) == live.id, col(Order.status) == OrderStatus.ACTIVE)
    )
    rows = list(session.exec(stmt))
    refunded = refunded_by_line(session, [row[2] for row in rows])
    members = {row[1] for row in rows}
    earlier: set[int] = set()
    if members and live.started_at is not None:
        before = select(Order.member_id).where(
            col(Order.member_id).in_(members),
            col(Order.status) == OrderStatus.ACTIVE,
            col(Order.created_at) < live.started_at,
            col(Order.livestream_id).is_distinct_from(live.id),
        )
        earlier = set(session.exec(before.distinct()))
    return [
        LiveOrderFact(
            order_id=order_id,
            member_id=member_id,
            cents=qty * price - refunded.get(line_id, (0, 0))[1],
            gift_key=sale_id if gift else None,
            first_purchase=member_id not in earlier,
        )
        for order_id, member_id, line_id, qty, price, gift, sale_id in rows
    ]


def compute_summary(session: Session, live_id: int) -> LiveSummary:
    """A livestream's summary computed from its orders now (used while live and when it ends)."""
    live = session.get(Livestream, live_id)
    if live is None:
        return LiveSummary()
    summary = summarize(live.peak_viewers, live_order_facts(session, live))
    formed, unfilled = live_team_counts(session, live_id)
    return replace(summary, teams_formed=formed, teams_unfilled=unfilled)


def stored_summary(live: Livestream) -> LiveSummary | None:
    """The summary stored when the live ended, if any."""
    if not live.summary_json:
        return None
    return LiveSummary.from_dict(json.loads(live.summary_json))


def summary_of(session: Session, live_id: int) -> LiveSummary | None:
    """The stored summary of an ended live, the running numbers of a live one, else None."""
    live = session.get(Livestream, live_id)
    if live is None or live.status == LiveStatus.PLANNED:
        return None
    if live.status == LiveStatus.ENDED:
        return stored_summary(live) or compute_summary(session, live_id)
    return compute_summary(session, live_id)
