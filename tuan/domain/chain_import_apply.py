"""Importing a chain, step three: write the plan in one transaction.

Cancellations, updates and entries that might hit a rule (stock running out, a per-person limit,
an open flash sale, a finished chain) go through `orders` one by one, each in a savepoint: what
`orders` refuses is reported for that row and the rest still applies. New entries that provably
cannot hit any rule — every item's stock covers the whole import's demand, and every member stays
within every limit even with all their lines counted — are inserted in bulk at the chain price,
which is what `orders.place_order` would record for them, only a thousand times faster.
The caller owns the transaction (`Database.transaction()`), so a dry run simply rolls back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert
from sqlmodel import Session, col, select

from tuan import clock
from tuan.domain.chain_from_text import create_chain_from_header
from tuan.domain.chain_import import ImportDraft
from tuan.domain.chain_import_plan import ADD, NEW, REMOVE, UPDATE, ImportPlan, PlannedRow
from tuan.domain.member_match import core_name, plain_nickname
from tuan.domain.orders import (
    MAX_QTY,
    LineRequest,
    OrderError,
    cancel_order,
    place_order,
    update_order,
)
from tuan.domain.people import pinyin_initials
from tuan.domain.pricing import open_flash_sale
from tuan.domain.rooms import parse_room
from tuan.domain.sql import int_sum
from tuan.models import Chain, ChainItem, Member, Order, OrderLine


@dataclass(frozen=True)
class ApplyResult:
    """What applying did.

    Attributes:
        chain_id: The chain written to (new when the import created it).
        summary: added / updated / unchanged / removed, counting only what was written.
        errors: Row index → why `orders` refused it (nothing of that row was written).
        members_created: New members added for people the chain did not know.
    """

    chain_id: int
    summary: dict[str, int]
    errors: dict[int, str]
    members_created: int


def apply_plan(
    session: Session, draft: ImportDraft, plan: ImportPlan, *, moment: datetime | None = None
) -> ApplyResult:
    """Write the plan's rows that apply; flushes, never commits."""
    moment = moment or clock.now()
    chain_id, keys = draft.chain_id, draft.key_to_item
    if chain_id is None:
        chain_id, keys = create_chain_from_header(session, draft.parsed.header)
    rows = list(enumerate(plan.rows))
    members = _create_members(session, [(n, r) for n, r in rows if r.applies], moment)
    errors: dict[int, str] = {}
    for _n, row in rows:
        if row.applies and row.action == REMOVE and row.order_id is not None:
            cancel_order(session, row.order_id)
    for n, row in rows:
        if row.applies and row.action == UPDATE and row.order_id is not None:
            with _refusal(session, errors, n):
                order = update_order(session, row.order_id, _lines(row, keys), note=row.note,
                                     moment=moment)  # fmt: skip
                order.raw = row.raw
                session.add(order)
    adds = [
        (n, row, members.get(n, row.member_id))
        for n, row in rows
        if row.applies and row.action == ADD
    ]
    _add_orders(session, chain_id, adds, keys, moment, errors)
    session.flush()
    return ApplyResult(chain_id, plan.summary(set(errors)), errors, len(set(members.values())))


@contextmanager
def _refusal(session: Session, errors: dict[int, str], n: int) -> Iterator[None]:
    """Run one row in a savepoint; a refusal undoes just that row and is noted."""
    savepoint = session.begin_nested()
    try:
        yield
        session.flush()
    except OrderError as exc:
        savepoint.rollback()
        errors[n] = str(exc)
    else:
        savepoint.commit()


def _lines(row: PlannedRow, keys: dict[str, int]) -> list[LineRequest]:
    merged: dict[int, int] = defaultdict(int)
    for item in row.items:
        if item.key is not None and item.key in keys:
            merged[keys[item.key]] += item.qty
    return [LineRequest(item_id, qty) for item_id, qty in merged.items()]


def _create_members(
    session: Session, rows: list[tuple[int, PlannedRow]], moment: datetime
) -> dict[int, int]:
    """Add one member per new person (several lines by one person share one); row → member."""
    people: dict[tuple[str, str | None], list[int]] = defaultdict(list)
    firsts: dict[tuple[str, str | None], PlannedRow] = {}
    for n, row in rows:
        if row.member_status == NEW and row.action != REMOVE:
            key = (core_name(row.name), row.room)
            people[key].append(n)
            firsts.setdefault(key, row)
    if not people:
        return {}
    params = [_member_row(firsts[key], moment) for key in people]
    table = Member.__table__  # type: ignore[attr-defined]
    result = session.connection().execute(
        insert(table).returning(table.c.id, sort_by_parameter_order=True), params
    )
    ids = [row[0] for row in result]
    return {n: member_id for member_id, key in zip(ids, people, strict=True) for n in people[key]}


def _member_row(row: PlannedRow, moment: datetime) -> dict[str, object]:
    """The fields `people.create_member` would set for someone first seen in a chain."""
    room = parse_room(row.room) if row.room else None
    nickname = (plain_nickname(row.name) or (row.room or "")).strip()[:40]
    return {
        "nickname": nickname, "name": "", "building": room.building if room else "",
        "room": room.room if room else (row.room or ""), "phone": "",
        "initials": pinyin_initials(nickname), "source": "offline", "partner_id": None,
        "referrer_id": None, "is_koc": False, "commission_bp": 0,
        "joined_on": clock.local(moment).date(), "notes": "",
    }  # fmt: skip


@dataclass
class _Stock:
    """What the bulk path must know to prove an entry safe."""

    items: dict[int, ChainItem]
    left: dict[int, int | None]
    have: dict[tuple[int, int], int]
    flash: set[int]
    done: bool


def _stock(session: Session, chain_id: int, moment: datetime) -> _Stock:
    chain = session.get(Chain, chain_id)
    items = {
        item.id or 0: item
        for item in session.exec(select(ChainItem).where(col(ChainItem.chain_id) == chain_id))
    }
    active = (
        select(Order.member_id, OrderLine.item_id, int_sum(OrderLine.qty))
        .join(Order, col(Order.id) == col(OrderLine.order_id))
        .where(col(Order.chain_id) == chain_id, col(Order.status) == "active")
        .group_by(Order.member_id, OrderLine.item_id)
    )
    have: dict[tuple[int, int], int] = {}
    sold: dict[int, int] = defaultdict(int)
    for member_id, item_id, qty in session.exec(active):
        have[(member_id, item_id)] = int(qty)
        sold[item_id] += int(qty)
    left = {i: None if it.stock is None else it.stock - sold[i] for i, it in items.items()}
    flash = {i for i in items if open_flash_sale(session, i, moment) is not None}
    return _Stock(items, left, have, flash, chain is None or chain.status == "done")


def _safe_rows(
    stock: _Stock, adds: list[tuple[int, PlannedRow, int | None, list[LineRequest]]]
) -> set[int]:
    """Rows no rule can refuse, even with every other new entry counted first."""
    demand: dict[int, int] = defaultdict(int)
    member_demand: dict[tuple[int, int], int] = defaultdict(int)
    for _n, _row, member_id, lines in adds:
        for line in lines:
            demand[line.item_id] += line.qty
            member_demand[(member_id or 0, line.item_id)] += line.qty
    if stock.done:
        return set()

    def safe(member_id: int | None, lines: list[LineRequest]) -> bool:
        for line in lines:
            item = stock.items.get(line.item_id)
            left = stock.left.get(line.item_id)
            if item is None or line.item_id in stock.flash or not 0 < line.qty <= MAX_QTY:
                return False
            if left is not None and demand[line.item_id] > left:
                return False
            key = (member_id or 0, line.item_id)
            limit = item.limit_per_person
            if limit is not None and stock.have.get(key, 0) + member_demand[key] > limit:
                return False
        return bool(lines) and member_id is not None

    return {n for n, _row, member_id, lines in adds if safe(member_id, lines)}


def _add_orders(
    session: Session,
    chain_id: int,
    adds: list[tuple[int, PlannedRow, int | None]],
    keys: dict[str, int],
    moment: datetime,
    errors: dict[int, str],
) -> None:
    """New entries: numbers as pasted where free; safe ones in bulk, the rest one by one."""
    if not adds:
        return
    planned = sorted(((n, row, m, _lines(row, keys)) for n, row, m in adds), key=lambda a: a[1].seq)
    stock = _stock(session, chain_id, moment)
    safe = _safe_rows(stock, planned)
    seqs = _assign_seqs(session, chain_id, [row.seq for _n, row, _m, _l in planned])
    bulk = [(a, seq) for a, seq in zip(planned, seqs, strict=True) if a[0] in safe]
    _insert_orders(session, chain_id, bulk, stock, moment)
    for (n, row, member_id, lines), seq in zip(planned, seqs, strict=True):
        if n in safe:
            continue
        with _refusal(session, errors, n):
            place_order(session, chain_id, member_id or 0, lines, note=row.note, channel="import",
                        raw=row.raw, seq=seq, moment=moment)  # fmt: skip


def _assign_seqs(session: Session, chain_id: int, wanted: list[int]) -> list[int]:
    """Each new entry keeps its pasted number unless an order already has it."""
    taken = set(session.exec(select(Order.seq).where(col(Order.chain_id) == chain_id)))
    top = max(taken | set(wanted), default=0)
    seqs = []
    for seq in wanted:
        if seq <= 0 or seq in taken:
            top += 1
            seq = top
        taken.add(seq)
        seqs.append(seq)
    return seqs


def _insert_orders(
    session: Session,
    chain_id: int,
    bulk: list[tuple[tuple[int, PlannedRow, int | None, list[LineRequest]], int]],
    stock: _Stock,
    moment: datetime,
) -> None:
    if not bulk:
        return
    orders = Order.__table__  # type: ignore[attr-defined]
    params = [
        {"chain_id": chain_id, "seq": seq, "member_id": member_id, "status": "active",
         "paid": False, "note": row.note.strip(), "leader_note": "", "raw": row.raw,
         "channel": "import", "livestream_id": None, "created_at": moment, "updated_at": moment}
        for (_n, row, member_id, _lines), seq in bulk
    ]  # fmt: skip
    connection = session.connection()
    # A plain executemany, then one query for the ids: far cheaper than RETURNING row by row.
    connection.execute(insert(orders), params)
    seqs = [seq for _a, seq in bulk]
    found = dict(
        connection.execute(
            select(orders.c.seq, orders.c.id).where(
                orders.c.chain_id == chain_id, orders.c.seq >= min(seqs)
            )
        ).all()
    )
    ids = [found[seq] for seq in seqs]
    lines = [
        {"order_id": order_id, "item_id": line.item_id, "qty": line.qty,
         "unit_price_cents": stock.items[line.item_id].price_cents, "collected_qty": 0,
         "flash_sale_id": None, "gift": ""}
        for order_id, ((_n, _row, _m, requests), _seq) in zip(ids, bulk, strict=True)
        for line in requests
    ]  # fmt: skip
    connection.execute(insert(OrderLine.__table__), lines)  # type: ignore[attr-defined]
