"""Importing a chain: writing rows proven safe (`chain_import_safety`) in a few bulk statements.

Each function writes exactly the rows `orders` would write for the same rows (`place_order`,
`update_order`, `cancel_order`), without their per-row queries and flushes: a thousand entries in
a few statements instead of thousands. They bypass the ORM, so afterwards any of the touched
orders or lines the session holds is expired, to be read again from the database.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, delete, update
from sqlmodel import Session, col, select

from tuan import clock
from tuan.domain.chains.import_safety import CHUNK, HeldLine, HeldOrder, Ledger
from tuan.domain.shared.coupons import release_orders
from tuan.domain.shared.orders import LineRequest, cancel_order
from tuan.domain.shared.payments import settle_paid
from tuan.domain.shared.sql import insert_many, table_of
from tuan.domain.shared.states import OrderChannel, OrderStatus
from tuan.models import Order, OrderLine

_ORDERS = table_of(Order)
_LINES = table_of(OrderLine)


@dataclass(frozen=True)
class Change:
    """A safe update: the order as it stands, the units wanted per item, the new note and raw."""

    held: HeldOrder
    wanted: dict[int, int]
    note: str
    raw: str


@dataclass(frozen=True)
class NewOrder:
    """A safe new entry: its sequence number, member, lines, note and raw text."""

    seq: int
    member_id: int
    lines: list[LineRequest]
    note: str
    raw: str
    group: str = ""
    group_seq: int | None = None


def insert_orders(
    session: Session, chain_id: int, new: list[NewOrder], ledger: Ledger, moment: datetime
) -> None:
    """What `place_order` records with no flash sale open: lines at the chain price."""
    if not new:
        return
    params = [
        {"chain_id": chain_id, "seq": order.seq, "member_id": order.member_id,
         "status": OrderStatus.ACTIVE, "paid": False, "note": order.note.strip(),
         "leader_note": "", "raw": order.raw, "channel": OrderChannel.IMPORT,
         "livestream_id": None, "created_at": moment,
         "updated_at": moment, "group_name": order.group, "group_seq": order.group_seq}
        for order in new
    ]  # fmt: skip
    connection = session.connection()
    # A plain executemany, then one query for the ids: far cheaper than RETURNING row by row.
    insert_many(connection, _ORDERS, params)
    seqs = [order.seq for order in new]
    found: dict[int, int] = dict(
        connection.execute(
            select(_ORDERS.c.seq, _ORDERS.c.id).where(
                _ORDERS.c.chain_id == chain_id, _ORDERS.c.seq >= min(seqs)
            )
        ).all()
    )
    lines = [
        {"order_id": found[order.seq], "item_id": line.item_id, "qty": line.qty,
         "unit_price_cents": ledger.items[line.item_id].price_cents, "collected_qty": 0,
         "flash_sale_id": None, "gift": ""}
        for order in new
        for line in order.lines
    ]  # fmt: skip
    insert_many(connection, _LINES, lines)
    # A new order has no payment, refund or coupon yet: it stays unpaid unless it is free (owes
    # nothing and every price is known), so only those need settling.
    free = [
        found[order.seq]
        for order in new
        if all(
            ledger.items[line.item_id].price_known
            and not line.qty * ledger.items[line.item_id].price_cents
            for line in order.lines
        )
    ]
    settle_paid(session, free)


@dataclass
class _Writes:
    """The statements' parameters, collected over every change."""

    deleted: list[int]
    resized: list[dict[str, int]]
    added: list[dict[str, object]]


def write_changes(
    session: Session, changes: list[Change], ledger: Ledger, moment: datetime
) -> None:
    """What `update_order` writes for each change, with no flash sale open on its items."""
    if not changes:
        return
    writes = _Writes([], [], [])
    for change in changes:
        by_item: dict[int, list[HeldLine]] = defaultdict(list)
        for line in change.held.lines:
            by_item[line.item_id].append(line)
        # The same walk as `update_order`, so new lines are added in the same order.
        for item_id in set(by_item) | set(change.wanted):
            _resize(writes, change.held.id, ledger, item_id, by_item[item_id],
                    change.wanted.get(item_id, 0))  # fmt: skip
    orders = [
        {"b_id": c.held.id, "note": c.note.strip(), "raw": c.raw, "updated_at": moment,
         "status": OrderStatus.ACTIVE if c.held.status == OrderStatus.CANCELLED
                   else c.held.status}
        for c in changes
    ]  # fmt: skip
    session.flush()
    connection = session.connection()
    for start in range(0, len(writes.deleted), CHUNK):
        chunk = writes.deleted[start : start + CHUNK]
        connection.execute(delete(_LINES).where(_LINES.c.id.in_(chunk)))
    if writes.resized:
        connection.execute(update(_LINES).where(_LINES.c.id == bindparam("b_id")), writes.resized)
    if writes.added:
        insert_many(connection, _LINES, writes.added)
    connection.execute(update(_ORDERS).where(_ORDERS.c.id == bindparam("b_id")), orders)
    _expire(session, {change.held.id for change in changes})
    settle_paid(session, [change.held.id for change in changes])  # still covered by payments?


def _resize(
    writes: _Writes, order_id: int, ledger: Ledger, item_id: int, lines: list[HeldLine], qty: int
) -> None:
    """`orders._resize`: more units are a new line at the chain price; fewer give back the
    dearest units first (the leader's cheaper captured prices survive), clamping collected."""
    have = sum(line.qty for line in lines)
    if qty > have:
        writes.added.append(
            {"order_id": order_id, "item_id": item_id, "qty": qty - have,
             "unit_price_cents": ledger.items[item_id].price_cents, "collected_qty": 0,
             "flash_sale_id": None, "gift": ""}
        )  # fmt: skip
        return
    surplus = have - qty
    for line in sorted(lines, key=lambda x: -x.unit_price_cents):
        if surplus == 0:
            break
        take = min(surplus, line.qty)
        surplus -= take
        if take == line.qty:
            writes.deleted.append(line.id)
        else:
            kept = line.qty - take
            writes.resized.append(
                {"b_id": line.id, "qty": kept, "collected_qty": min(line.collected_qty, kept)}
            )


def cancel_orders(session: Session, order_ids: list[int]) -> None:
    """What `cancel_order` does to each order, in one statement per few hundred orders."""
    chunks = [order_ids[start : start + CHUNK] for start in range(0, len(order_ids), CHUNK)]
    found = {
        order_id or 0
        for chunk in chunks
        for order_id in session.exec(select(Order.id).where(col(Order.id).in_(chunk)))
    }
    if found != set(order_ids):
        for order_id in order_ids:  # one is gone: `orders` refuses it with its own words
            cancel_order(session, order_id)
        return
    session.flush()
    for chunk in chunks:
        session.connection().execute(
            update(_ORDERS)
            .where(_ORDERS.c.id.in_(chunk))
            .values(status=OrderStatus.CANCELLED, updated_at=clock.now())
        )
    _expire(session, found)
    if release_orders(session, found):  # as `cancel_order`: a cancelled order's coupon comes back
        settle_paid(session, found)


def _expire(session: Session, order_ids: set[int]) -> None:
    """Forget what the session holds of these orders and their lines: the database changed."""
    for obj in list(session.identity_map.values()):
        # Read from the instance's own dict: an expired attribute must not trigger a load here.
        key = "id" if isinstance(obj, Order) else "order_id" if isinstance(obj, OrderLine) else ""
        if key and obj.__dict__.get(key) in order_ids:
            session.expire(obj)
