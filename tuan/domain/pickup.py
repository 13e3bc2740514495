"""Pickup (自提): which chains are being collected and the checklist of who takes what."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, select

from tuan.domain.rooms import format_room
from tuan.models import Chain, ChainItem, Member, Order, OrderLine, PickupPoint


@dataclass(frozen=True)
class PickupChain:
    """A chain whose goods are (or will be) collected."""

    id: int
    title: str
    status: str
    point: str
    pickup_start: datetime | None
    pickup_end: datetime | None


@dataclass
class CheckRow:
    """One order on the checklist."""

    order_id: int
    seq: int
    member_id: int
    nickname: str
    initials: str
    building: str
    room: str
    paid: bool
    items: list[tuple[str, int, int]] = field(default_factory=list)  # name, qty, collected
    amount_cents: int = 0

    @property
    def room_label(self) -> str:
        """`3-1202`."""
        return format_room(self.building, self.room)

    @property
    def state(self) -> str:
        """`none`, `partial` or `all` collected."""
        total = sum(q for _n, q, _c in self.items)
        done = sum(c for _n, _q, c in self.items)
        return "all" if done >= total else ("partial" if done else "none")


def pickup_chains(session: Session) -> list[PickupChain]:
    """Chains closed or open, soonest pickup first (the ones a leader sorts and hands out)."""
    stmt = (
        select(Chain, PickupPoint.name)
        .outerjoin(PickupPoint, col(PickupPoint.id) == col(Chain.pickup_point_id))
        .where(col(Chain.status).in_(["open", "closed"]))
        .order_by(col(Chain.pickup_start))
    )
    return [
        PickupChain(
            id=c.id or 0,
            title=c.title,
            status=c.status,
            point=point or "",
            pickup_start=c.pickup_start,
            pickup_end=c.pickup_end,
        )
        for c, point in session.exec(stmt)  # type: ignore[call-overload]
    ]


def checklist(session: Session, chain_id: int) -> list[CheckRow]:
    """Active orders of a chain, one household's orders together (building, room, seq)."""
    stmt = (
        select(
            Order.id,
            Order.seq,
            Order.paid,
            Member.id,
            Member.nickname,
            Member.initials,
            Member.building,
            Member.room,
            ChainItem.name,
            OrderLine.qty,
            OrderLine.collected_qty,
            OrderLine.unit_price_cents,
        )
        .join(Member, col(Member.id) == col(Order.member_id))
        .join(OrderLine, col(OrderLine.order_id) == col(Order.id))
        .join(ChainItem, col(ChainItem.id) == col(OrderLine.item_id))
        .where(col(Order.chain_id) == chain_id, col(Order.status) == "active")
        .order_by(col(Order.seq), col(ChainItem.position))
    )
    rows: dict[int, CheckRow] = {}
    for r in session.exec(stmt):  # type: ignore[call-overload]
        row = rows.get(r[0])
        if row is None:
            row = rows[r[0]] = CheckRow(r[0], r[1], r[3], r[4], r[5], r[6], r[7], bool(r[2]))
        row.items.append((r[8], r[9], r[10]))
        row.amount_cents += r[9] * r[11]
    return sorted(rows.values(), key=_household_key)


def _household_key(row: CheckRow) -> tuple:
    building = int(row.building) if row.building.isdigit() else 10_000
    room = int(row.room) if row.room.isdigit() else 100_000
    return (building, row.building, room, row.room, row.seq)


def item_totals(rows: list[CheckRow]) -> dict[str, int]:
    """Quantity per item across the checklist."""
    totals: dict[str, int] = defaultdict(int)
    for row in rows:
        for name, qty, _collected in row.items:
            totals[name] += qty
    return dict(totals)
