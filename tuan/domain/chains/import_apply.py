"""Importing a chain, step three: write the plan in one transaction.

Every row is written as `orders` would write it. Rows that provably no rule can refuse (see
`chain_import_safety`: stock and every limit cover the whole import's increases, no open flash
sale, a chain still open) are written in a few bulk statements (`chain_import_bulk`), a thousand
times faster than one by one. The rest go through `orders` one by one, each in a savepoint: what
`orders` refuses is reported for that row and the rest still applies. The caller owns the
transaction (`Database.transaction()`), so a dry run simply rolls back.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import insert
from sqlmodel import Session, col, select

from tuan import clock
from tuan.domain.chains.from_text import create_chain_from_header
from tuan.domain.chains.import_bulk import (
    Change,
    NewOrder,
    cancel_orders,
    insert_orders,
    write_changes,
)
from tuan.domain.chains.import_draft import ImportDraft
from tuan.domain.chains.import_plan import ADD, REMOVE, UPDATE, ImportPlan, PlannedRow
from tuan.domain.chains.import_safety import Ledger, load_held, load_ledger
from tuan.domain.shared.collector import collector_paused
from tuan.domain.shared.member_match import NEW, core_name, plain_nickname
from tuan.domain.shared.orders import (
    LineRequest,
    OrderError,
    cancel_order,
    place_order,
    update_order,
)
from tuan.domain.shared.payments import refunded_cents
from tuan.domain.shared.people import pinyin_initials
from tuan.domain.shared.rooms import parse_room
from tuan.domain.shared.sql import insert_many, table_of
from tuan.domain.shared.states import OrderChannel
from tuan.domain.shared.teams import TeamError, is_team_item
from tuan.models import Chain, ChainItem, Member, Order


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


@collector_paused()
def apply_plan(
    session: Session,
    draft: ImportDraft,
    plan: ImportPlan,
    *,
    moment: datetime | None = None,
    bulk: bool = True,
) -> ApplyResult:
    """Write the plan's rows that apply; flushes, never commits.

    `bulk=False` sends every row through `orders` one by one: slower, and the same result (the
    tests hold the bulk path to it).
    """
    moment = moment or clock.now()
    chain_id, keys = draft.chain_id, draft.key_to_item
    if chain_id is None:
        chain_id, keys = create_chain_from_header(session, draft.parsed.header, draft.new_items)
    rows = [(n, row) for n, row in enumerate(plan.rows) if row.applies]
    # 拼团: every order of a team item joins or leaves a team, which only `orders` does.
    bulk = bulk and not _has_team_items(session, chain_id)
    members = _create_members(session, rows, moment)
    errors: dict[int, str] = {}
    removed = [
        row.order_id for _n, row in rows if row.action == REMOVE and row.order_id is not None
    ]
    if bulk:
        cancel_orders(session, removed)
    else:
        for order_id in removed:
            cancel_order(session, order_id)
    updates = [
        (n, row, _lines(row, keys))
        for n, row in rows
        if row.action == UPDATE and row.order_id is not None
    ]
    adds = sorted(
        ((n, row, members.get(n, row.member_id), _lines(row, keys))
         for n, row in rows if row.action == ADD),
        key=lambda a: a[1].seq,
    )  # fmt: skip
    if updates or adds:
        _write_orders(session, chain_id, updates, adds, _Run(moment, errors, bulk, draft.group))
    _remember_group(session, chain_id, draft.group)
    session.flush()
    return ApplyResult(chain_id, plan.summary(set(errors)), errors, len(set(members.values())))


def _has_team_items(session: Session, chain_id: int) -> bool:
    items = session.exec(select(ChainItem).where(col(ChainItem.chain_id) == chain_id))
    return any(is_team_item(item) for item in items)


@contextmanager
def _refusal(session: Session, errors: dict[int, str], n: int) -> Iterator[None]:
    """Run one row in a savepoint; a refusal undoes just that row and is noted."""
    savepoint = session.begin_nested()
    try:
        yield
        session.flush()
    except (OrderError, TeamError) as exc:
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
    joined_on = clock.local(moment).date()
    ids = _insert_members(session, [_member_row(firsts[key], joined_on) for key in people])
    return {n: member_id for member_id, key in zip(ids, people, strict=True) for n in people[key]}


def _insert_members(session: Session, params: list[dict[str, object]]) -> list[int]:
    """Insert the members; their ids, in the order given."""
    table = table_of(Member)
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return [row[0] for row in connection.execute(stmt, params)]
    # On SQLite, RETURNING in parameter order runs one INSERT per row (20 ms for 1,000). A new
    # row's id is one above the highest, and after writing, this transaction holds the write
    # lock: the rows just inserted are the highest ids, in the order given.
    insert_many(connection, table, params)
    newest = select(table.c.id).order_by(table.c.id.desc()).limit(len(params))
    return sorted(connection.execute(newest).scalars())


def _member_row(row: PlannedRow, joined_on: date) -> dict[str, object]:
    """The fields `people.create_member` would set for someone first seen in a chain."""
    room = parse_room(row.room) if row.room else None
    nickname = (plain_nickname(row.name) or (row.room or "")).strip()[:40]
    return {
        "nickname": nickname, "name": "", "building": room.building if room else "",
        "room": room.room if room else (row.room or ""), "phone": "",
        "initials": pinyin_initials(nickname), "source": "offline", "partner_id": None,
        "referrer_id": None, "is_koc": False, "commission_bp": 0,
        "joined_on": joined_on, "notes": "",
    }  # fmt: skip


_Update = tuple[int, PlannedRow, list[LineRequest]]
_Add = tuple[int, PlannedRow, int | None, list[LineRequest]]


@dataclass(frozen=True)
class _Run:
    """What every write of one apply shares."""

    moment: datetime
    errors: dict[int, str]
    bulk: bool
    group: str = ""


def _write_orders(
    session: Session, chain_id: int, updates: list[_Update], adds: list[_Add], run: _Run
) -> None:
    """Updates, then new entries: the safe ones in bulk, the rest one by one, in plan order."""
    ledger = load_ledger(session, chain_id, run.moment)
    held = load_held(session, [row.order_id for _n, row, _l in updates if row.order_id])
    twice = {i for i, k in Counter(row.order_id for _n, row, _l in updates).items() if k > 1}
    # An order with refunds goes the careful way: `update_order` refuses to drop refunded pieces.
    refunded = set(refunded_cents(session, held))
    for _n, row, lines in updates:  # every increase counts before any row is judged safe
        order = held.get(row.order_id or 0)
        if order is not None:
            ledger.want(order.member_id, _wanted(lines), order.active())
    for _n, _row, member_id, lines in adds:
        ledger.want(member_id or 0, _wanted(lines), {})
    changes, slow = [], []
    for n, row, lines in updates:
        order = held.get(row.order_id or 0)
        safe = (
            run.bulk and order is not None and order.chain_id == chain_id
            and order.id not in twice and order.id not in refunded
            and ledger.safe(order.member_id, _wanted(lines), [x.item_id for x in order.lines])
        )  # fmt: skip
        if safe and order is not None:
            changes.append(Change(order, _wanted(lines), row.note, row.raw))
        else:
            slow.append((n, row, lines))
    write_changes(session, changes, ledger, run.moment)
    for n, row, lines in slow:
        with _refusal(session, run.errors, n):
            updated = update_order(session, row.order_id or 0, lines, note=row.note,
                                   moment=run.moment, teams=row.teams)  # fmt: skip
            updated.raw = row.raw
            session.add(updated)
    _add_orders(session, chain_id, adds, ledger, run)


def _wanted(lines: list[LineRequest]) -> dict[int, int]:
    return {line.item_id: line.qty for line in lines}


def _add_orders(
    session: Session, chain_id: int, adds: list[_Add], ledger: Ledger, run: _Run
) -> None:
    """New entries: numbers as pasted where free; safe ones in bulk, the rest one by one."""
    if not adds:
        return
    pasted = [row.seq for _n, row, _m, _l in adds]
    if run.group:  # a named group numbers its own copy; the chain's seq is just the next free
        numbers: list[int | None] = list(_assign_seqs(session, chain_id, pasted, run.group))
        seqs = _assign_seqs(session, chain_id, [0] * len(adds))
    else:
        seqs = _assign_seqs(session, chain_id, pasted)
        numbers = [None] * len(adds)
    new, slow = [], []
    for (n, row, member_id, lines), seq, number in zip(adds, seqs, numbers, strict=True):
        if run.bulk and member_id is not None and ledger.safe(member_id, _wanted(lines)):
            new.append(NewOrder(seq, member_id, lines, row.note, row.raw, run.group, number))
        else:
            slow.append((n, row, member_id, lines, seq, number))
    insert_orders(session, chain_id, new, ledger, run.moment)
    # 拼团: a line that opens a team (`开团`) goes first, so a line above it that joins that team
    # (`跟王阿姨的团`) finds it; numbers are given, so the order of writing changes none.
    slow.sort(key=lambda s: not any(ref.new for ref in s[1].teams))
    for n, row, member_id, lines, seq, number in slow:
        with _refusal(session, run.errors, n):
            place_order(session, chain_id, member_id or 0, lines, note=row.note,
                        channel=OrderChannel.IMPORT, raw=row.raw, seq=seq, moment=run.moment,
                        group=run.group, group_seq=number, teams=row.teams)  # fmt: skip


def _remember_group(session: Session, chain_id: int, group: str) -> None:
    """The app offers the group last imported from first, next time."""
    chain = session.get(Chain, chain_id)
    if chain is not None and chain.last_group != group:
        chain.last_group = group
        session.add(chain)


def _assign_seqs(
    session: Session, chain_id: int, wanted: list[int], group: str | None = None
) -> list[int]:
    """Each new entry keeps its pasted number unless an order already has it.

    With `group`, the numbers are that group's own (`group_seq`); else the chain's `seq`.
    """
    if group:
        query = select(Order.group_seq).where(
            col(Order.chain_id) == chain_id, col(Order.group_name) == group
        )
        taken = {n for n in session.exec(query) if n is not None}
    else:
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
