"""Everything the member's page shows, gathered in a handful of queries."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from sqlmodel import Session, col

from tuan import clock
from tuan.domain.members.coupons import CouponRow, list_coupons
from tuan.domain.members.listing import aware
from tuan.domain.members.points import LedgerRow, PointsSummary, ledger, summary
from tuan.domain.members.referrals import (
    PeriodCommission,
    ReferralNode,
    attributed_orders,
    commission_by_month,
    referral_tree,
    upline,
)
from tuan.domain.members.reminders import ReminderRow, member_reminders
from tuan.domain.members.tags import TagInfo, member_tags
from tuan.domain.shared.payments import refunded_cents
from tuan.domain.shared.people import MemberNotFound as MemberNotFound  # raised by member_page
from tuan.domain.shared.sql import select_columns
from tuan.domain.shared.states import OrderStatus
from tuan.i18n import N_, _
from tuan.models import Chain, ChainItem, Member, Order, OrderLine, Partner


@dataclass(frozen=True)
class OrderHistoryRow:
    """One of the member's orders."""

    order_id: int
    chain_id: int
    chain_title: str
    created_at: datetime
    items: str  # 冷榨橄榄油×2、有机黄小米×1
    cents: int
    status: str  # active | cancelled
    paid: bool
    pickup: str  # all | partial | none


@dataclass
class MemberPage:
    """A member's profile, history, points, reminders and referrals."""

    member: Member
    partner: str = ""
    referrer: str = ""
    tags: list[TagInfo] = field(default_factory=list)
    orders: list[OrderHistoryRow] = field(default_factory=list)
    points: PointsSummary | None = None
    ledger: list[LedgerRow] = field(default_factory=list)
    reminders: list[ReminderRow] = field(default_factory=list)
    tree: ReferralNode | None = None
    upline: list[tuple[int, str]] = field(default_factory=list)
    commission: list[PeriodCommission] = field(default_factory=list)
    coupons: list[CouponRow] = field(default_factory=list)  # newest first

    @property
    def active_orders(self) -> list[OrderHistoryRow]:
        """Orders that were not cancelled."""
        return [o for o in self.orders if o.status == OrderStatus.ACTIVE]

    @property
    def ltv_cents(self) -> int:
        """Lifetime value: what the member has spent on orders not cancelled."""
        return sum(o.cents for o in self.active_orders)

    @property
    def last_order_at(self) -> datetime | None:
        """When the member last ordered (None: never)."""
        active = self.active_orders
        return max(o.created_at for o in active) if active else None


def order_history(session: Session, member_id: int) -> list[OrderHistoryRow]:
    """Every order of a member, newest first, with its items and pickup state."""
    stmt = (
        select_columns(
            Order.id,
            Order.chain_id,
            Chain.title,
            Order.created_at,
            Order.status,
            Order.paid,
            ChainItem.name,
            OrderLine.qty,
            OrderLine.unit_price_cents,
            OrderLine.collected_qty,
        )
        .join(Chain, col(Chain.id) == col(Order.chain_id))
        .join(OrderLine, col(OrderLine.order_id) == col(Order.id))
        .join(ChainItem, col(ChainItem.id) == col(OrderLine.item_id))
        .where(col(Order.member_id) == member_id)
        .order_by(col(Order.created_at).desc(), col(Order.id).desc(), col(ChainItem.position))
    )
    grouped: dict[int, tuple[tuple, list[tuple[str, int, int, int]]]] = {}
    for (
        oid,
        chain,
        title,
        created,
        status,
        paid,
        name,
        qty,
        price,
        got,
    ) in session.connection().execute(stmt):
        head = (oid, chain, title, aware(created), status, bool(paid))
        grouped.setdefault(oid, (head, []))[1].append((name, qty, price, got))
    refunded = refunded_cents(session, grouped)
    return [
        replace(row, cents=max(row.cents - refunded.get(row.order_id, 0), 0))
        for row in (_history_row(head, items) for head, items in grouped.values())
    ]


def _history_row(head: tuple, items: list[tuple[str, int, int, int]]) -> OrderHistoryRow:
    """One order from its head (id, chain, title, time, status, paid) and lines."""
    qty = sum(q for _n, q, _p, _g in items)
    got = sum(g for _n, _q, _p, g in items)
    return OrderHistoryRow(
        order_id=head[0],
        chain_id=head[1],
        chain_title=head[2],
        created_at=head[3],
        items=_("、").join(f"{n}×{q}" for n, q, _p, _g in items),
        cents=sum(q * p for _n, q, p, _g in items),
        status=head[4],
        paid=head[5],
        pickup="all" if got >= qty else ("partial" if got else "none"),
    )


def member_page(session: Session, member_id: int, today: date | None = None) -> MemberPage:
    """Gather a member's page.

    Raises:
        MemberNotFound: no such member.
    """
    member = session.get(Member, member_id)
    if member is None:
        raise MemberNotFound(N_("找不到团员 {id}"), id=member_id)
    page = MemberPage(member=member)
    if member.partner_id is not None:
        partner = session.get(Partner, member.partner_id)
        page.partner = partner.name if partner else ""
    if member.referrer_id is not None:
        referrer = session.get(Member, member.referrer_id)
        page.referrer = referrer.nickname if referrer else ""
    page.tags = member_tags(session, member_id)
    page.orders = order_history(session, member_id)
    page.points = summary(session, member_id)
    page.ledger = ledger(session, member_id)[::-1]
    page.reminders = member_reminders(session, member_id)
    page.tree = referral_tree(session, member_id)
    page.upline = upline(session, member_id)
    page.coupons = list_coupons(session, member_id=member_id, today=today)
    if member.is_koc:
        attributed = attributed_orders(session, [member_id])[member_id]
        today = today or clock.today()
        page.commission = commission_by_month(attributed, member.commission_bp, 6, today)
    return page
