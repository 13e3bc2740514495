"""Referrals (老带新) and KOC commission.

Each member may have one referrer. A KOC's attributed orders are the active orders of the members
they brought directly (their referral children); the commission for a period is
`commission_bp` basis points of those orders' GMV (quantity × captured unit price), rounded to the
nearest fen (half up). Periods are calendar months in the leader's zone, by order time.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from tuan import clock
from tuan.domain.members.listing import aware
from tuan.domain.shared.sql import int_sum, select_columns
from tuan.domain.shared.states import OrderStatus
from tuan.models import Member, Order, OrderLine

MAX_DEPTH = 6


@dataclass
class ReferralNode:
    """A member and everyone they brought, recursively."""

    id: int
    nickname: str
    joined_on: date
    children: list[ReferralNode] = field(default_factory=list)

    @property
    def size(self) -> int:
        """Everyone below this member, at any depth."""
        return sum(1 + child.size for child in self.children)

    def lines(self, depth: int = 0) -> list[tuple[int, ReferralNode]]:
        """The tree flattened: (depth, node), parents before their children."""
        out = [(depth, self)]
        for child in self.children:
            out += child.lines(depth + 1)
        return out


def _people(session: Session) -> dict[int, tuple[str, date, int | None]]:
    stmt = select(
        col(Member.id), col(Member.nickname), col(Member.joined_on), col(Member.referrer_id)
    )
    return {m or 0: (n, j, r) for m, n, j, r in session.connection().execute(stmt)}


def referral_tree(session: Session, member_id: int, max_depth: int = MAX_DEPTH) -> ReferralNode:
    """Who a member brought, who those brought, … (`max_depth` levels; cycles cut)."""
    people = _people(session)
    children: dict[int, list[int]] = defaultdict(list)
    for person, (_nick, _joined, referrer) in sorted(people.items()):
        if referrer is not None:
            children[referrer].append(person)
    seen = {member_id}

    def build(person: int, depth: int) -> ReferralNode:
        nick, joined, _ref = people[person]
        node = ReferralNode(person, nick, joined)
        if depth < max_depth:
            for child in children.get(person, []):
                if child not in seen:
                    seen.add(child)
                    node.children.append(build(child, depth + 1))
        return node

    if member_id not in people:
        raise KeyError(member_id)
    return build(member_id, 0)


def upline(session: Session, member_id: int) -> list[tuple[int, str]]:
    """The chain of referrers above a member, nearest first (cycles cut)."""
    people = _people(session)
    chain, seen = [], {member_id}
    current = people.get(member_id, ("", None, None))[2]
    while current is not None and current not in seen and current in people:
        seen.add(current)
        chain.append((current, people[current][0]))
        current = people[current][2]
    return chain


def would_cycle(session: Session, member_id: int, referrer_id: int) -> bool:
    """Whether making `referrer_id` the referrer of `member_id` would loop back."""
    if member_id == referrer_id:
        return True
    return any(m == member_id for m, _n in upline(session, referrer_id))


def commission_cents(gmv_cents: int, bp: int) -> int:
    """`bp` basis points of `gmv_cents`, rounded half up to the fen."""
    return (gmv_cents * bp + 5000) // 10000


@dataclass(frozen=True)
class AttributedOrder:
    """An order credited to a KOC because they brought its buyer."""

    order_id: int
    member_id: int
    nickname: str
    created_at: datetime
    cents: int

    @property
    def month(self) -> str:
        """`2026-11` in the leader's zone."""
        return clock.local(self.created_at).strftime("%Y-%m")


def attributed_orders(session: Session, koc_ids: list[int]) -> dict[int, list[AttributedOrder]]:
    """Active orders of the members each KOC brought directly, oldest first."""
    stmt = (
        select_columns(
            Member.referrer_id,
            Order.id,
            Order.member_id,
            Member.nickname,
            Order.created_at,
            int_sum(OrderLine.qty * OrderLine.unit_price_cents),
        )
        .join(Member, col(Member.id) == col(Order.member_id))
        .join(OrderLine, col(OrderLine.order_id) == col(Order.id))
        .where(col(Member.referrer_id).in_(koc_ids), col(Order.status) == OrderStatus.ACTIVE)
        .group_by(col(Order.id), col(Member.referrer_id), col(Member.nickname))
        .order_by(col(Order.created_at), col(Order.id))
    )
    found: dict[int, list[AttributedOrder]] = {k: [] for k in koc_ids}
    for koc, order_id, member_id, nick, created, cents in session.connection().execute(stmt):
        placed = aware(created)
        assert placed is not None
        found[koc].append(AttributedOrder(order_id, member_id, nick, placed, int(cents or 0)))
    return found


@dataclass(frozen=True)
class PeriodCommission:
    """One KOC's attributed orders and commission in one month."""

    month: str
    orders: int
    gmv_cents: int
    commission_cents: int


def commission_by_month(
    orders: list[AttributedOrder], bp: int, months: int = 6, today: date | None = None
) -> list[PeriodCommission]:
    """The last `months` months, oldest first (months without orders show zero)."""
    gmv: dict[str, int] = defaultdict(int)
    count: dict[str, int] = defaultdict(int)
    for order in orders:
        gmv[order.month] += order.cents
        count[order.month] += 1
    return [
        PeriodCommission(m, count[m], gmv[m], commission_cents(gmv[m], bp))
        for m in last_months(today or clock.today(), months)
    ]


def last_months(today: date, count: int) -> list[str]:
    """`count` month labels (`2026-11`) ending with today's, oldest first."""
    labels, year, month = [], today.year, today.month
    for _ in range(count):
        labels.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return labels[::-1]


@dataclass(frozen=True)
class KocRow:
    """A KOC's figures for one month."""

    id: int
    nickname: str
    commission_bp: int
    brought: int
    orders: int
    gmv_cents: int
    commission_cents: int


def koc_report(session: Session, month: str | None = None) -> list[KocRow]:
    """Every KOC with members brought and, for `month` (default: this one), GMV and commission."""
    month = month or clock.today().strftime("%Y-%m")
    kocs = session.exec(select(Member).where(col(Member.is_koc)).order_by(col(Member.id))).all()
    ids = [k.id or 0 for k in kocs]
    brought_stmt = (
        select(Member.referrer_id, func.count())
        .where(col(Member.referrer_id).in_(ids))
        .group_by(col(Member.referrer_id))
    )
    brought = {k: n for k, n in session.connection().execute(brought_stmt)}
    orders = attributed_orders(session, ids) if ids else {}
    rows = []
    for koc in kocs:
        in_month = [o for o in orders.get(koc.id or 0, []) if o.month == month]
        gmv = sum(o.cents for o in in_month)
        rows.append(
            KocRow(
                koc.id or 0,
                koc.nickname,
                koc.commission_bp,
                brought.get(koc.id, 0),
                len(in_month),
                gmv,
                commission_cents(gmv, koc.commission_bp),
            )
        )
    return rows
