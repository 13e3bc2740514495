"""Importing a bill, steps one and two: load what the bill may pay, then pair rows with orders.

`build_draft` reads, for the bill's dates, the unpaid orders (what each still owes, whose it is,
when it was taken), the members, and which 交易单号 were recorded before. `plan_payments` is a
pure function of that draft and the leader's decisions, so the preview re-plans at once.

A row pairs with orders by its payer's nickname (against the members' nicknames and names, as
`member_match` compares names; Alipay's masked `*秀兰` too), its amount and its time: the
orders must have been taken within `DAYS_BEFORE` days before the payment (or `DAYS_AFTER` after:
a chain imported after people paid). In turn, for the payer's members:

1. one unpaid order owing exactly the amount: `matched`;
2. several of the payer's and their household's (same building and room) orders adding up to
   it: `matched` when only one set does (one transfer for the family);
3. the payer's only unpaid order owing more: `matched`, a part payment (the rest comes in a
   second transfer, which then pays what is left);
4. otherwise orders owing exactly the amount, whoever's: `ambiguous`, the leader picks;
5. nothing fits: `unmatched`.

Rows are taken in time order and each takes what it pays off what the orders still owe, so two
transfers for one order, or a bill imported again, never pay more than is owed. Rows the leader
decided are planned first.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from tuan.domain.payments.bill import CHINA, Bill, BillRow
from tuan.domain.shared.groups import order_number
from tuan.domain.shared.member_match import MemberIndex, core_name, plain_nickname
from tuan.domain.shared.money import format_money
from tuan.domain.shared.payments import (
    known_trade_nos,
    order_amounts,
    received_cents,
    unpriced_orders,
)
from tuan.domain.shared.rooms import format_room
from tuan.domain.shared.sql import select_columns
from tuan.domain.shared.states import BillRowStatus, OrderStatus
from tuan.i18n import _
from tuan.models import Chain, ChainItem, Member, Order, OrderLine

MATCHED, AMBIGUOUS, UNMATCHED, SKIPPED = (
    BillRowStatus.MATCHED,
    BillRowStatus.AMBIGUOUS,
    BillRowStatus.UNMATCHED,
    BillRowStatus.SKIPPED,
)
DAYS_BEFORE = 30  # an order taken up to a month before its payment
DAYS_AFTER = 7  # or a week after (the chain imported after people paid)
MAX_TOGETHER = 4  # orders one transfer may pay together
MAX_POOL = 12  # orders considered for paying together
MAX_OPTIONS = 8  # choices offered for an ambiguous row


@dataclass(frozen=True)
class OpenOrder:
    """An unpaid order the bill may pay."""

    id: int
    chain_id: int
    chain_title: str
    number: str
    member_id: int
    nickname: str
    name: str
    building: str
    room: str
    amount_cents: int
    received_cents: int
    created_at: datetime
    items: str

    @property
    def owed_cents(self) -> int:
        """What it still owes."""
        return max(self.amount_cents - self.received_cents, 0)

    @property
    def household(self) -> tuple[str, str] | None:
        """Building and room, when it has a room."""
        return (self.building, self.room) if self.room else None

    @property
    def label(self) -> str:
        """`第72期 健康粮油团 5号 王阿姨 3-1202`."""
        room = format_room(self.building, self.room)
        who = f"{self.nickname} {room}".strip()
        return _("{chain} {number}号 {who}").format(
            chain=self.chain_title, number=self.number, who=who
        )


@dataclass
class PayDraft:
    """A bill with what it may pay: open orders, members, 交易单号 recorded before."""

    bill: Bill
    orders: dict[int, OpenOrder]
    members: MemberIndex
    imported: set[str]


@dataclass(frozen=True)
class Allocation:
    """Part of a row's money going to one order."""

    order_id: int
    cents: int


@dataclass(frozen=True)
class Option:
    """One way a row may be paired: the orders it pays, and why it was offered."""

    allocations: tuple[Allocation, ...]
    why: str

    @property
    def order_ids(self) -> tuple[int, ...]:
        """The orders it pays."""
        return tuple(a.order_id for a in self.allocations)


@dataclass
class Decisions:
    """What the leader decided in the preview.

    Attributes:
        picks: Row index → the orders it pays (an empty tuple: record nothing for this row).
        skipped: Row indexes not to record.
    """

    picks: dict[int, tuple[int, ...]] = field(default_factory=dict)
    skipped: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class PlannedRow:
    """One bill row in the preview.

    Attributes:
        row: The bill row.
        status: matched, ambiguous, unmatched or skipped.
        allocations: What applying records (matched rows the leader did not skip).
        options: The choices for the leader (for ambiguous rows; the likely ones first).
        reasons: Why, in the leader's language.
        applies: Whether applying records it.
    """

    row: BillRow
    status: BillRowStatus
    allocations: tuple[Allocation, ...] = ()
    options: tuple[Option, ...] = ()
    reasons: tuple[str, ...] = ()
    applies: bool = False

    @property
    def cents(self) -> int:
        """What applying records for this row."""
        return sum(a.cents for a in self.allocations) if self.applies else 0


@dataclass(frozen=True)
class PayPlan:
    """Every row of the preview."""

    rows: tuple[PlannedRow, ...]

    def summary(self) -> dict[str, int]:
        """Rows per status, and the rows and cents applying records."""
        counts = Counter(row.status for row in self.rows)
        recorded = [row for row in self.rows if row.applies]
        return {
            "matched": counts[MATCHED],
            "ambiguous": counts[AMBIGUOUS],
            "unmatched": counts[UNMATCHED],
            "skipped": counts[SKIPPED],
            "recorded": len(recorded),
            "recorded_cents": sum(row.cents for row in recorded),
        }


def build_draft(session: Session, bill: Bill) -> PayDraft:
    """What matching `bill` needs from the database (reads only)."""
    payments = [row for row in bill.payments if row.time is not None]
    imported = known_trade_nos(session, [row.trade_no for row in bill.rows])
    if not payments:
        return PayDraft(bill, {}, MemberIndex([]), imported)
    start = min(row.time for row in payments if row.time) - timedelta(days=DAYS_BEFORE)
    end = max(row.time for row in payments if row.time) + timedelta(days=DAYS_AFTER)
    return PayDraft(bill, _open_orders(session, start, end), MemberIndex.load(session), imported)


def _open_orders(session: Session, start: datetime, end: datetime) -> dict[int, OpenOrder]:
    stmt = (
        select_columns(
            Order.id, Order.chain_id, Chain.title, Order.seq, Order.group_name, Order.group_seq,
            Member.id, Member.nickname, Member.name, Member.building, Member.room,
            Order.created_at,
        )
        .join(Chain, col(Chain.id) == col(Order.chain_id))
        .join(Member, col(Member.id) == col(Order.member_id))
        .where(
            col(Order.status) == OrderStatus.ACTIVE,
            col(Order.paid).is_(False),
            col(Order.created_at) >= start,
            col(Order.created_at) <= end,
        )
        .order_by(col(Order.id))
    )  # fmt: skip
    found = list(session.exec(stmt))
    ids = [row[0] for row in found]
    amounts = order_amounts(session, ids)
    received = received_cents(session, ids)
    unpriced = unpriced_orders(session, ids)  # what they cost is not known yet
    items = _items(session, ids)
    orders = {}
    for oid, chain_id, title, seq, group, group_seq, mid, nick, name, building, room, at in found:
        order = OpenOrder(
            oid, chain_id, title, order_number(group, group_seq, seq), mid, nick, name,
            building, room, amounts.get(oid, 0), received.get(oid, 0), at, items.get(oid, ""),
        )  # fmt: skip
        if order.owed_cents > 0 and oid not in unpriced:
            orders[oid] = order
    return orders


def _items(session: Session, order_ids: list[int]) -> dict[int, str]:
    """Order id → `套装×1 亚麻籽油×2`."""
    words: dict[int, list[str]] = defaultdict(list)
    for start in range(0, len(order_ids), 500):
        chunk = order_ids[start : start + 500]
        stmt = (
            select(OrderLine.order_id, ChainItem.name, OrderLine.qty)
            .join(ChainItem, col(ChainItem.id) == col(OrderLine.item_id))
            .where(col(OrderLine.order_id).in_(chunk))
            .order_by(col(OrderLine.order_id), col(ChainItem.position), col(OrderLine.id))
        )
        for order_id, name, qty in session.exec(stmt):
            words[order_id].append(f"{name}×{qty}")
    return {order_id: " ".join(parts) for order_id, parts in words.items()}


# --- the plan ----------------------------------------------------------------------------------


def plan_payments(draft: PayDraft, decisions: Decisions | None = None) -> PayPlan:
    """Pair each bill row with the orders it pays, as far as can be told."""
    decisions = decisions or Decisions()
    owed = {order.id: order.owed_cents for order in draft.orders.values()}
    planned: dict[int, PlannedRow] = {}
    rows = draft.bill.rows
    for row in rows:
        early = _not_for_orders(draft, row, decisions)
        if early is not None:
            planned[row.index] = early
    for index, order_ids in decisions.picks.items():
        if index in planned or index >= len(rows):
            continue
        planned[index] = _picked(draft, rows[index], order_ids, owed)
    for row in sorted(rows, key=_in_time):
        if row.index not in planned:
            planned[row.index] = _auto(draft, row, owed)
    return PayPlan(tuple(planned[row.index] for row in rows))


def _in_time(row: BillRow) -> tuple[datetime, int]:
    """Oldest first (a row without a time last: it is skipped anyway)."""
    return (row.time or datetime.max.replace(tzinfo=CHINA), row.index)


def _not_for_orders(draft: PayDraft, row: BillRow, decisions: Decisions) -> PlannedRow | None:
    """Rows that pay no order whatever is decided: skipped by the bill, imported before, or by
    the leader."""
    if row.skip is not None:
        return PlannedRow(row, SKIPPED, reasons=(row.skip,))
    if row.trade_no in draft.imported:
        return PlannedRow(row, SKIPPED, reasons=(_("已经导入过（交易单号相同），不会重复记"),))
    if row.index in decisions.skipped:
        return PlannedRow(row, SKIPPED, reasons=(_("已跳过（按 s 恢复）"),))
    return None


def _picked(
    draft: PayDraft, row: BillRow, order_ids: tuple[int, ...], owed: dict[int, int]
) -> PlannedRow:
    """A row whose orders the leader chose: its money goes to them in turn."""
    chosen = [order_id for order_id in order_ids if order_id in draft.orders]
    if not chosen:
        return PlannedRow(row, UNMATCHED, reasons=(_("你选了不记这一笔"),))
    allocations = _allocate(row.amount_cents, chosen, owed)
    reasons = [_("你选的")]
    extra = row.amount_cents - sum(owed.get(order_id, 0) for order_id in chosen)
    if extra > 0:
        reasons.append(_("多付了 {amount}").format(amount=format_money(extra)))
    _take(owed, allocations)
    return PlannedRow(row, MATCHED, allocations, reasons=tuple(reasons), applies=True)


def _allocate(amount: int, order_ids: list[int], owed: dict[int, int]) -> tuple[Allocation, ...]:
    """`amount` spread over the orders in turn, each up to what it owes; what is left over goes
    to the last one (a payment of more than was owed is recorded as it came)."""
    allocations = []
    left = amount
    for n, order_id in enumerate(order_ids):
        last = n == len(order_ids) - 1
        cents = left if last else min(left, owed.get(order_id, 0))
        if cents > 0:
            allocations.append(Allocation(order_id, cents))
        left -= cents
    return tuple(allocations)


def _take(owed: dict[int, int], allocations: tuple[Allocation, ...]) -> None:
    for allocation in allocations:
        owed[allocation.order_id] = max(owed.get(allocation.order_id, 0) - allocation.cents, 0)


def _auto(draft: PayDraft, row: BillRow, owed: dict[int, int]) -> PlannedRow:
    """Pair a row by payer, amount and time (see the module's rules)."""
    amount = row.amount_cents
    near = [o for o in draft.orders.values() if owed[o.id] > 0 and _near(o, row)]
    strong, loose = _payers(draft, row, near)
    for members, why_name in ((strong, ""), (loose, _("名字部分对上"))):
        if not members:
            continue
        found = _by_member(row, near, members, owed, why_name)
        if found is not None:
            return _decided(row, *found, owed)
    same = sorted((o for o in near if owed[o.id] == amount), key=lambda o: _distance(o, row))
    known = bool(strong or loose)
    if same:
        why = _("只有金额对上，请确认是哪一单")
        options = tuple(Option((Allocation(o.id, amount),), why) for o in same[:MAX_OPTIONS])
        reason = (
            _("“{payer}”的未付订单金额对不上").format(payer=row.payer)
            if known
            else _("找不到叫“{payer}”的团员").format(payer=row.payer)
        )
        return PlannedRow(row, AMBIGUOUS, options=options, reasons=(reason, why))
    money = format_money(amount)
    reason = (
        _("“{payer}”没有 {amount} 的未付订单").format(payer=row.payer, amount=money)
        if known
        else _("找不到叫“{payer}”的团员，也没有 {amount} 的未付订单").format(
            payer=row.payer, amount=money
        )
    )
    return PlannedRow(row, UNMATCHED, reasons=(reason,))


def _decided(row: BillRow, options: list[Option], sure: bool, owed: dict[int, int]) -> PlannedRow:
    if sure and len(options) == 1:
        allocations = options[0].allocations
        _take(owed, allocations)
        return PlannedRow(row, MATCHED, allocations, options=tuple(options),
                          reasons=(options[0].why,), applies=True)  # fmt: skip
    reason = (
        _("有 {n} 种可能，请选择").format(n=len(options))
        if len(options) > 1
        else _("请确认是不是这一单")
    )
    return PlannedRow(row, AMBIGUOUS, options=tuple(options[:MAX_OPTIONS]), reasons=(reason,))


def _near(order: OpenOrder, row: BillRow) -> bool:
    if row.time is None:
        return False
    return (
        row.time - timedelta(days=DAYS_BEFORE)
        <= order.created_at
        <= row.time + timedelta(days=DAYS_AFTER)
    )


def _distance(order: OpenOrder, row: BillRow) -> float:
    return abs((order.created_at - row.time).total_seconds()) if row.time else 0.0


def _payers(draft: PayDraft, row: BillRow, near: list[OpenOrder]) -> tuple[set[int], set[int]]:
    """Members the payer's name is (`strong`), and, when none, those it partly fits (`loose`:
    one name holds the other, `Amy` and `Amy妈妈`, or Alipay's masked `*秀兰`)."""
    strong = {m.id for m in draft.members.by_name(row.payer)}
    if strong:
        return strong, set()
    key = core_name(row.payer)
    masked = _masked(row.payer)
    loose = {
        order.member_id
        for order in near
        if any(_partly(key, masked, name) for name in (order.nickname, order.name) if name)
    }
    return strong, loose


def _partly(key: str, masked: re.Pattern[str] | None, name: str) -> bool:
    """Whether a member's name partly fits the payer's (`key`: the payer's core name)."""
    if masked is not None:
        return masked.fullmatch(plain_nickname(name)) is not None
    other = core_name(name)
    return len(key) >= 2 and len(other) >= 2 and (key in other or other in key)


def _masked(payer: str) -> re.Pattern[str] | None:
    """Alipay hides part of a name (`*秀兰`, `王**`): each `*` stands for one character."""
    text = payer.strip()
    if "*" not in text or not text.strip("*"):
        return None
    return re.compile("".join("." if ch == "*" else re.escape(ch) for ch in text))


def _by_member(
    row: BillRow, near: list[OpenOrder], members: set[int], owed: dict[int, int], why_name: str
) -> tuple[list[Option], bool] | None:
    """Options from the payer's own orders and their household's, and whether one option is
    sure enough to apply; None when none fits."""
    amount = row.amount_cents
    mine = sorted((o for o in near if o.member_id in members), key=lambda o: _distance(o, row))
    if not mine:
        return None

    def option(orders: list[OpenOrder], why: str, cents: int | None = None) -> Option:
        allocations = (
            (Allocation(orders[0].id, cents),)
            if cents is not None
            else tuple(Allocation(o.id, owed[o.id]) for o in orders)
        )
        return Option(
            allocations, _("{text}（{note}）").format(text=why, note=why_name) if why_name else why
        )

    exact = [o for o in mine if owed[o.id] == amount]
    if exact:
        return [option([o], _("付款人和金额都对上")) for o in exact], True
    households = {o.household for o in mine if o.household}
    family = [o for o in near if o.household in households and o not in mine]
    pool = sorted([*mine, *family], key=lambda o: _distance(o, row))[:MAX_POOL]
    together = [
        list(combo)
        for size in range(1, MAX_TOGETHER + 1)
        for combo in itertools.combinations(pool, size)
        if sum(owed[o.id] for o in combo) == amount
    ]
    if together:  # the payer's own orders first (the first holds the 交易单号)
        ordered = [sorted(combo, key=lambda o: (o not in mine, o.created_at)) for combo in together]
        return [option(combo, _together(combo)) for combo in ordered], True
    less = [o for o in mine if amount < owed[o.id]]
    if less:
        options = [
            option(
                [o],
                _("部分付款：这一单 {owed}，还差 {left}").format(
                    owed=format_money(owed[o.id]), left=format_money(owed[o.id] - amount)
                ),
                cents=amount,
            )
            for o in less
        ]
        return options, len(mine) == 1  # sure only when the payer has no other unpaid order
    return None


def _together(orders: list[OpenOrder]) -> str:
    """Why one transfer pays these orders (one of the household's, or several together)."""
    who = _("、").join(dict.fromkeys(o.nickname for o in orders))
    if len(orders) == 1:
        return _("付的是同一户 {who} 的订单").format(who=who)
    return _("一笔付了同一户的 {n} 单（{who}）").format(n=len(orders), who=who)


MAX_CHOICES = 20  # orders offered when the leader picks by hand


def choices(draft: PayDraft, planned: PlannedRow) -> list[Option]:
    """What the leader may pick for a row: its options when it has them (an ambiguous row),
    else the unpaid orders around its time, those owing its amount first."""
    if planned.options:
        return list(planned.options)
    row = planned.row
    if row.time is None:
        return []
    near = [o for o in draft.orders.values() if _near(o, row)]
    near.sort(key=lambda o: (o.owed_cents != row.amount_cents, _distance(o, row)))
    return [
        Option(
            (Allocation(o.id, row.amount_cents),),
            _("金额相同") if o.owed_cents == row.amount_cents else _("金额不同"),
        )
        for o in near[:MAX_CHOICES]
    ]
