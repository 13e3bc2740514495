"""Importing a chain: which rows no rule of `orders` can refuse, proven before anything is written.

`orders` refuses a change when the chain is done, a quantity is out of range, an item is not the
chain's, stock would run out, or a member would pass an item's limit; an open flash sale changes
the price and the gifts. A row is safe when none of that can happen whatever else the import
writes: every item it touches (wants, or holds on its order) has no open flash sale and stock for
the whole import's increases (every new entry and every update's extra units, counted at once,
reductions not counted), and its member stays within that item's limit counting all of their
increases. Then every check `orders` would make on those items passes in any order of writing.

That is also why writing the safe rows first, in bulk, changes no other row's outcome: the rows
that still go one by one can only fail on an item or a limit without that room, and no safe row
touches one of those.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, select

from tuan.domain.shared.orders import MAX_QTY
from tuan.domain.shared.pricing import is_open
from tuan.domain.shared.sql import int_sum, select_columns
from tuan.domain.shared.states import ChainStatus, OrderStatus
from tuan.models import Chain, ChainItem, FlashSale, Livestream, Order, OrderLine

# Order ids per IN (...) list: well below SQLite's limit on bound parameters.
CHUNK = 500


@dataclass
class Ledger:
    """The chain's items, what is left of each, what each member holds, and the import's demand.

    Attributes:
        items: The chain's items by id.
        left: Units still free per item (None: unlimited); negative when oversold.
        have: Units each (member, item) holds on active orders.
        flash: Items with a flash sale open at the import's moment.
        done: The chain is finished (every change is refused).
        demand: The import's extra units per item (see `want`).
        member_demand: The import's extra units per (member, item).
    """

    items: dict[int, ChainItem]
    left: dict[int, int | None]
    have: dict[tuple[int, int], int]
    flash: set[int]
    done: bool
    demand: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    member_demand: dict[tuple[int, int], int] = field(default_factory=lambda: defaultdict(int))

    def want(self, member_id: int, wanted: dict[int, int], held: dict[int, int]) -> None:
        """Count a row's increases: what it wants beyond what its order holds (active) now."""
        for item_id, qty in wanted.items():
            extra = qty - held.get(item_id, 0)
            if extra > 0:
                self.demand[item_id] += extra
                self.member_demand[(member_id, item_id)] += extra

    def roomy(self, member_id: int, item_id: int) -> bool:
        """Whether every stock and limit check on this item for this member passes, in any order."""
        item = self.items.get(item_id)
        if item is None or item_id in self.flash:
            return False
        left = self.left[item_id]
        if left is not None and self.demand.get(item_id, 0) > left:
            return False
        key = (member_id, item_id)
        limit = item.limit_per_person
        return limit is None or self.have.get(key, 0) + self.member_demand.get(key, 0) <= limit

    def safe(self, member_id: int, wanted: dict[int, int], touched: Iterable[int] = ()) -> bool:
        """Whether no rule can refuse a row wanting `wanted` (and holding `touched` items)."""
        if self.done or not wanted or not all(0 < qty <= MAX_QTY for qty in wanted.values()):
            return False
        return all(self.roomy(member_id, item_id) for item_id in {*wanted, *touched})


def load_ledger(session: Session, chain_id: int, moment: datetime) -> Ledger:
    """The chain's items, stock left, holdings per member and open flash sales, in four queries."""
    chain = session.get(Chain, chain_id)
    items = {
        item.id or 0: item
        for item in session.exec(select(ChainItem).where(col(ChainItem.chain_id) == chain_id))
    }
    active = (
        select(Order.member_id, OrderLine.item_id, int_sum(OrderLine.qty))
        .join(Order, col(Order.id) == col(OrderLine.order_id))
        .where(col(Order.chain_id) == chain_id, col(Order.status) == OrderStatus.ACTIVE)
        .group_by(col(Order.member_id), col(OrderLine.item_id))
    )
    have: dict[tuple[int, int], int] = {}
    sold: dict[int, int] = defaultdict(int)
    for member_id, item_id, qty in session.exec(active):
        have[(member_id, item_id)] = int(qty)
        sold[item_id] += int(qty)
    left = {i: None if it.stock is None else it.stock - sold[i] for i, it in items.items()}
    done = chain is None or chain.status == ChainStatus.DONE
    return Ledger(items, left, have, _flash_items(session, chain_id, moment), done)


def _flash_items(session: Session, chain_id: int, moment: datetime) -> set[int]:
    """The chain's items with a flash sale open now (`pricing.open_flash_sale`, in one query)."""
    stmt = (
        select(FlashSale, Livestream)
        .join(Livestream, col(Livestream.id) == col(FlashSale.livestream_id))
        .join(ChainItem, col(ChainItem.id) == col(FlashSale.item_id))
        .where(col(ChainItem.chain_id) == chain_id, col(Livestream.status) == "live")
    )
    return {sale.item_id for sale, live in session.exec(stmt) if is_open(sale, live, moment)}


@dataclass(frozen=True)
class HeldLine:
    """One line of an order as it stands."""

    id: int
    item_id: int
    qty: int
    unit_price_cents: int
    collected_qty: int


@dataclass
class HeldOrder:
    """An order as it stands, with its lines in the order `orders.update_order` reads them."""

    id: int
    chain_id: int
    member_id: int
    status: str
    lines: list[HeldLine] = field(default_factory=list)

    def active(self) -> dict[int, int]:
        """Units per item this order counts against stock and limits (none when cancelled)."""
        held: dict[int, int] = defaultdict(int)
        if self.status == OrderStatus.ACTIVE:
            for line in self.lines:
                held[line.item_id] += line.qty
        return held


def load_held(session: Session, order_ids: list[int]) -> dict[int, HeldOrder]:
    """The orders with these ids and their lines (ids that name no order are left out)."""
    held: dict[int, HeldOrder] = {}
    for start in range(0, len(order_ids), CHUNK):
        chunk = order_ids[start : start + CHUNK]
        for order_id, chain_id, member_id, status in session.exec(
            select(Order.id, Order.chain_id, Order.member_id, Order.status).where(
                col(Order.id).in_(chunk)
            )
        ):
            held[order_id or 0] = HeldOrder(order_id or 0, chain_id, member_id, status)
        lines = select_columns(
            OrderLine.id, OrderLine.order_id, OrderLine.item_id, OrderLine.qty,
            OrderLine.unit_price_cents, OrderLine.collected_qty,
        ).where(col(OrderLine.order_id).in_(chunk)).order_by(col(OrderLine.id))  # fmt: skip
        for line_id, order_id, item_id, qty, price, collected in session.exec(lines):
            held[order_id].lines.append(HeldLine(line_id, item_id, qty, price, collected))
    return held
