"""Chains (接龙): the list the leader sees and each chain's items with what sold."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Subquery, case, func
from sqlmodel import Session, col, select

from tuan.domain.shared.order_totals import totals_by
from tuan.domain.shared.rows import ChainRow
from tuan.domain.shared.sql import int_sum, select_columns
from tuan.domain.shared.states import ChainStatus, OrderStatus
from tuan.i18n import N_, _
from tuan.models import Chain, ChainItem, Order, OrderLine, Refund

STATUS_LABELS: dict[str, str] = {
    ChainStatus.DRAFT: N_("草稿"),
    ChainStatus.OPEN: N_("进行中"),
    ChainStatus.CLOSED: N_("已截单"),
    ChainStatus.DONE: N_("已完成"),
}


def status_label(status: str) -> str:
    """The Chinese label of a chain status."""
    return _(STATUS_LABELS.get(status, status))


@dataclass(frozen=True)
class ItemRow:
    """One item of a chain with what sold."""

    id: int
    code: str
    name: str
    spec: str
    price_cents: int
    original_price_cents: int | None
    limit_per_person: int | None
    stock: int | None
    aliases: str
    sold: int
    price_known: bool = True  # False: the text it came from gave no price (price_cents is 0)
    cost_cents: int | None = None  # 成本价; None: not entered
    team_size: int | None = None  # 拼团: people per team; None: not a team item
    team_price_cents: int | None = None

    @property
    def left(self) -> int | None:
        """Stock not yet taken (None: unlimited)."""
        return None if self.stock is None else self.stock - self.sold


def active_lines(status: str | None = None) -> Subquery:
    """Order lines of orders that are not cancelled (a subquery: order_id, item_id, qty, cents).

    `cents` is net of the line's refunds (GMV is, `dashboard.metrics`); `qty` is what was sold.
    With `status`, only the lines of chains in that status.
    """
    refunded = (
        select(func.coalesce(func.sum(Refund.amount_cents), 0))
        .where(col(Refund.line_id) == col(OrderLine.id))
        .correlate(OrderLine)
        .scalar_subquery()
    )
    return (
        select_columns(
            OrderLine.order_id,
            OrderLine.item_id,
            OrderLine.qty,
            (col(OrderLine.qty) * col(OrderLine.unit_price_cents) - refunded).label("cents"),
            Order.chain_id,
        )
        .join(Order, col(Order.id) == col(OrderLine.order_id))
        .where(col(Order.status) == OrderStatus.ACTIVE, *_of_chains(Order.chain_id, status))
        .subquery()
    )


def _of_chains(chain_id: object, status: str | None) -> list[Any]:
    """A condition keeping rows of chains in `status` (none without one)."""
    if status is None:
        return []
    return [col(chain_id).in_(select(Chain.id).where(col(Chain.status) == status))]


def unpriced_lines(status: str | None = None) -> Subquery:
    """Per chain, its active order lines whose item has no price yet (chain_id, unpriced).

    Those lines hold 0 cents until the leader sets the price: GMV leaves them out and says so.
    """
    return (
        select_columns(ChainItem.chain_id, func.count().label("unpriced"))
        .select_from(OrderLine)
        .join(ChainItem, col(ChainItem.id) == col(OrderLine.item_id))
        .join(Order, col(Order.id) == col(OrderLine.order_id))
        .where(
            col(Order.status) == OrderStatus.ACTIVE,
            col(ChainItem.price_known).is_(False),
            *_of_chains(ChainItem.chain_id, status),
        )
        .group_by(col(ChainItem.chain_id))
        .subquery()
    )


def missing_prices(items: list[ItemRow]) -> list[str]:
    """Names of the items whose price is not known yet, in menu order."""
    return [item.name for item in items if not item.price_known]


def sold_unpriced(items: Iterable[Any]) -> bool:
    """Whether pieces were sold of an item whose price is not known yet: they hold 0 cents, so
    GMV and profit leave them out until it is set. Takes item rows (`price_known`, `sold`) or
    projected totals (`item.price_known`, `sold`)."""
    return any(not getattr(getattr(i, "item", i), "price_known", True) and i.sold for i in items)


def list_chains(session: Session, limit: int = 500, status: str | None = None) -> list[ChainRow]:
    """Chains, open ones first, then by deadline (newest first); one query.

    Entries, pieces and GMV come from each order's stored totals (`shared.order_totals`); with
    `status`, only the chains in it are totalled.
    """
    totals = totals_by(col(Order.chain_id), *_of_chains(Order.chain_id, status))
    stock = (
        select(
            ChainItem.chain_id,
            int_sum(ChainItem.stock).label("stock"),
            func.count().label("n_items"),
            func.count(col(ChainItem.stock)).label("limited"),
        )
        .where(*_of_chains(ChainItem.chain_id, status))
        .group_by(col(ChainItem.chain_id))
        .subquery()
    )
    unpriced = unpriced_lines(status)
    order = func.coalesce(Chain.deadline, Chain.created_at)
    ranks = {ChainStatus.OPEN: 0, ChainStatus.DRAFT: 1, ChainStatus.CLOSED: 2}
    open_first = case(ranks, value=Chain.status, else_=3)
    stmt = (
        select_columns(
            Chain.id,
            Chain.title,
            Chain.status,
            Chain.deadline,
            totals.c.orders.label("entries"),
            totals.c.pieces.label("sold"),
            totals.c.cents.label("gmv"),
            stock.c.stock,
            stock.c.n_items,
            stock.c.limited,
            unpriced.c.unpriced,
        )
        .outerjoin(totals, totals.c.key == Chain.id)
        .outerjoin(unpriced, unpriced.c.chain_id == Chain.id)
        .outerjoin(stock, stock.c.chain_id == Chain.id)
        .where(*([] if status is None else [col(Chain.status) == status]))
        .order_by(open_first, order.desc())
        .limit(limit)
    )
    rows = []
    for r in session.execute(stmt):  # rows read by name
        all_limited = r.n_items and r.n_items == r.limited
        rows.append(
            ChainRow(
                id=r.id,
                title=r.title,
                status=r.status,
                deadline=r.deadline,
                entries=r.entries or 0,
                sold=r.sold or 0,
                stock=r.stock if all_limited else None,
                gmv_cents=r.gmv or 0,
                unpriced=r.unpriced or 0,
            )
        )
    return rows


def chain_items(session: Session, chain_id: int) -> list[ItemRow]:
    """A chain's items in menu order, each with the quantity sold."""
    lines = active_lines()
    sold = (
        select(lines.c.item_id, int_sum(lines.c.qty).label("sold"))
        .where(lines.c.chain_id == chain_id)
        .group_by(lines.c.item_id)
        .subquery()
    )
    stmt = (
        select(ChainItem, sold.c.sold)
        .outerjoin(sold, sold.c.item_id == ChainItem.id)
        .where(col(ChainItem.chain_id) == chain_id)
        .order_by(col(ChainItem.position), col(ChainItem.id))
    )
    return [
        ItemRow(
            id=item.id or 0,
            code=item.code,
            name=item.name,
            spec=item.spec,
            price_cents=item.price_cents,
            original_price_cents=item.original_price_cents,
            limit_per_person=item.limit_per_person,
            stock=item.stock,
            aliases=item.aliases,
            sold=qty or 0,
            price_known=item.price_known,
            cost_cents=item.cost_cents,
            team_size=item.team_size,
            team_price_cents=item.team_price_cents,
        )
        for item, qty in session.exec(stmt)
    ]
