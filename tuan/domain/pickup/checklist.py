"""Pickup (自提): which chains are being collected, the checklist of who takes what, follow-ups.

The checklist is read in one query selecting only the columns it needs (2,000 orders load in a
few tens of milliseconds); search, filters, sorting lists and exports then work on those rows in
memory.

Refunded pieces are not handed out: a line's `qty` is what is left to hand out once its refunds
(`shared.refunds`) are taken off, and a line refunded whole leaves `lines` for `refunded_lines`,
so the checklist, the sorting list and every export show net quantities; an order's amount is
net of its refunded money.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, select

from tuan import clock
from tuan.domain.shared.coupons import due_cents, order_coupons
from tuan.domain.shared.groups import order_number
from tuan.domain.shared.money import format_money
from tuan.domain.shared.payments import overpaid_cents, received_cents
from tuan.domain.shared.refunds import RefundMark, refund_marks, refunded_by_line
from tuan.domain.shared.rooms import format_room
from tuan.domain.shared.sql import select_columns
from tuan.domain.shared.states import (
    ChainStatus,
    OrderStatus,
    PickupState,
    ReminderKind,
    ReminderStatus,
)
from tuan.i18n import NP_, _, ngettext, pgettext
from tuan.models import (
    Chain,
    ChainItem,
    Member,
    Order,
    OrderLine,
    PickupPoint,
    Reminder,
    ReminderRule,
)

# A column of the checklist: short English of their own (`pgettext("pickup state", …)`).
STATE_LABELS = {
    "none": NP_("pickup state", "未领取"),
    "partial": NP_("pickup state", "部分领取"),
    "all": NP_("pickup state", "已领取"),
}


@dataclass(frozen=True)
class PickupChain:
    """A chain whose goods are (or will be) collected."""

    id: int
    title: str
    status: str
    point: str
    pickup_start: datetime | None
    pickup_end: datetime | None
    point_address: str = ""

    def window_ended(self, now: datetime) -> bool:
        """True once the pickup window is over (uncollected orders need a nudge)."""
        return self.pickup_end is not None and self.pickup_end <= now


@dataclass(frozen=True)
class ChainProduct:
    """A product column of the checklist: the item and the label it is shown under."""

    id: int
    label: str
    price_cents: int


@dataclass
class CheckLine:
    """Item × quantity of one order, with how many were already handed over."""

    line_id: int
    item_id: int
    name: str
    qty: int
    collected: int
    unit_price_cents: int
    gift: str = ""
    price_known: bool = True  # False: the item has no price yet (unit_price_cents is 0)
    refunded: int = 0  # pieces refunded (already taken off `qty`)
    refunded_cents: int = 0

    @property
    def ordered(self) -> int:
        """Pieces bought, refunded ones included."""
        return self.qty + self.refunded

    @property
    def state(self) -> PickupState:
        """`none`, `partial` or `all` collected (快团团's 未/部分/已核销)."""
        if self.collected >= self.qty:
            return PickupState.ALL
        return PickupState.PARTIAL if self.collected else PickupState.NONE


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
    phone: str = ""
    name: str = ""
    note: str = ""
    leader_note: str = ""
    created_at: datetime | None = None
    lines: list[CheckLine] = field(default_factory=list)
    group: str = ""  # the WeChat group the entry came from ('' is the chain's first)
    group_seq: int | None = None
    received_cents: int = 0  # what its payments add up to (`paid` once they cover the amount)
    refunded_lines: list[CheckLine] = field(default_factory=list)  # refunded whole: nothing to hand
    refund: RefundMark = field(default_factory=RefundMark)

    coupon_cents: int = 0  # the coupon redeemed against it (it owes the amount less this)

    @property
    def number(self) -> str:
        """The entry's number as the leader knows it: `3`, or `二群 3` in a named group."""
        return order_number(self.group, self.group_seq, self.seq)

    @property
    def number_cell(self) -> int | str:
        """The number for a spreadsheet: a number in the first group (it sorts), else text."""
        return self.number if self.group else self.seq

    @property
    def room_label(self) -> str:
        """`3-1202`."""
        return format_room(self.building, self.room)

    @property
    def household(self) -> tuple[str, str]:
        """Building and room: orders of one household are collected together."""
        return (self.building, self.room)

    @property
    def amount_cents(self) -> int:
        """What the order costs, less what was refunded."""
        lines = [*self.lines, *self.refunded_lines]
        return max(sum(ln.ordered * ln.unit_price_cents - ln.refunded_cents for ln in lines), 0)

    @property
    def gross_cents(self) -> int:
        """What the order cost before refunds (快团团's 订单金额 beside its 退款金额)."""
        return sum(ln.ordered * ln.unit_price_cents for ln in [*self.lines, *self.refunded_lines])

    @property
    def unpriced(self) -> bool:
        """Whether some of it has no price yet: its amount is shown as 待定, never as 0."""
        return any(not line.price_known for line in self.lines)

    @property
    def due_cents(self) -> int:
        """What the member pays: the amount less the coupon, never below 0."""
        return due_cents(self.amount_cents, self.coupon_cents)

    @property
    def owed_cents(self) -> int:
        """What is still to pay: nothing once paid (also when marked paid before payments were
        recorded), else what is due less what was received."""
        return 0 if self.paid else max(self.due_cents - self.received_cents, 0)

    @property
    def overpaid_cents(self) -> int:
        """What came in beyond what is due, money refunded aside: a team (拼团) that formed
        after she paid the normal price, or a coupon redeemed after she paid. The leader owes
        it back."""
        refunded = sum(ln.refunded_cents for ln in [*self.lines, *self.refunded_lines])
        return overpaid_cents(self.received_cents, refunded, self.due_cents)

    @property
    def partly_paid(self) -> bool:
        """Some money came, not yet all of it."""
        return not self.paid and self.received_cents > 0

    @property
    def qty(self) -> int:
        """Pieces ordered."""
        return sum(line.qty for line in self.lines)

    @property
    def collected(self) -> int:
        """Pieces handed over."""
        return sum(min(line.collected, line.qty) for line in self.lines)

    @property
    def state(self) -> PickupState:
        """`none`, `partial` or `all` collected."""
        done = self.collected
        if done >= self.qty:
            return PickupState.ALL
        return PickupState.PARTIAL if done else PickupState.NONE

    @property
    def items(self) -> list[tuple[str, int, int]]:
        """(name, qty, collected) per line."""
        return [(line.name, line.qty, line.collected) for line in self.lines]


def paid_mark(row: CheckRow, paid: str = "") -> str:
    """What a list says of a row's payment: `多付¥10` (money to give back), `未付`, else
    `paid` (`已付` where a column must say something)."""
    if row.overpaid_cents > 0:
        return _("多付{amount}").format(amount=format_money(row.overpaid_cents))
    return paid if row.paid else _("未付")


def state_label(state: str) -> str:
    """`未领取`, `部分领取` or `已领取`."""
    return pgettext("pickup state", STATE_LABELS[state])


def items_text(row: CheckRow, *, with_collected: bool = True, gifts: bool = True) -> str:
    """`冷榨橄榄油×2(已领1) 有机五常大米×1 +电子书`: what to hand over, as one line.

    In a partly collected order each line says how much of it was taken.
    """
    parts = []
    partial = with_collected and row.state == PickupState.PARTIAL
    for line in row.lines:
        text = f"{line.name}×{line.qty}"
        if partial and line.state == PickupState.ALL:
            text += _("(已领)")
        elif partial and line.state == PickupState.PARTIAL:
            text += _("(已领{n})").format(n=line.collected)
        if gifts and line.gift:
            text += f" +{line.gift}"
        parts.append(text)
    return " ".join(parts)


def pickup_chains(session: Session) -> list[PickupChain]:
    """Chains closed or open, soonest pickup first (the ones a leader sorts and hands out)."""
    stmt = (
        select(Chain, PickupPoint.name, PickupPoint.address)
        .outerjoin(PickupPoint, col(PickupPoint.id) == col(Chain.pickup_point_id))
        .where(col(Chain.status).in_([ChainStatus.OPEN, ChainStatus.CLOSED]))
        .order_by(col(Chain.pickup_start))
    )
    return [_pickup_chain(c, point, address) for c, point, address in session.exec(stmt)]


def pickup_chain(session: Session, chain_id: int) -> PickupChain | None:
    """One chain with its pickup point, whatever its status (None if there is no such chain)."""
    stmt = (
        select(Chain, PickupPoint.name, PickupPoint.address)
        .outerjoin(PickupPoint, col(PickupPoint.id) == col(Chain.pickup_point_id))
        .where(col(Chain.id) == chain_id)
    )
    found = session.exec(stmt).first()
    return _pickup_chain(*found) if found else None


def _pickup_chain(chain: Chain, point: str | None, address: str | None) -> PickupChain:
    return PickupChain(
        id=chain.id or 0,
        title=chain.title,
        status=chain.status,
        point=point or "",
        pickup_start=chain.pickup_start,
        pickup_end=chain.pickup_end,
        point_address=address or "",
    )


def chain_products(session: Session, chain_id: int) -> list[ChainProduct]:
    """The chain's products in menu order; a name shared by two specs carries its spec."""
    stmt = (
        select(ChainItem.id, ChainItem.name, ChainItem.spec, ChainItem.price_cents)
        .where(col(ChainItem.chain_id) == chain_id)
        .order_by(col(ChainItem.position), col(ChainItem.id))
    )
    found = list(session.exec(stmt))
    names = [name for _id, name, _spec, _price in found]
    return [
        ChainProduct(item_id or 0, _label(name, spec, names.count(name) > 1), price)
        for item_id, name, spec, price in found
    ]


def _label(name: str, spec: str, shared: bool) -> str:
    return _("{text}（{note}）").format(text=name, note=spec) if spec and shared else name


def checklist(
    session: Session, chain_id: int, order_ids: list[int] | None = None
) -> list[CheckRow]:
    """Active orders of a chain, one household's orders together (building, room, seq).

    Args:
        session: an open session.
        chain_id: the chain.
        order_ids: only these orders (to refresh rows after a change); None for all.
    """
    labels = {p.id: p.label for p in chain_products(session, chain_id)}
    stmt = (
        select_columns(
            Order.id,
            Order.seq,
            Order.paid,
            Order.note,
            Order.leader_note,
            Order.created_at,
            Member.id,
            Member.nickname,
            Member.name,
            Member.initials,
            Member.building,
            Member.room,
            Member.phone,
            OrderLine.id,
            OrderLine.item_id,
            OrderLine.qty,
            OrderLine.collected_qty,
            OrderLine.unit_price_cents,
            OrderLine.gift,
            Order.group_name,
            Order.group_seq,
            ChainItem.price_known,
        )
        .join(Member, col(Member.id) == col(Order.member_id))
        .join(OrderLine, col(OrderLine.order_id) == col(Order.id))
        .join(ChainItem, col(ChainItem.id) == col(OrderLine.item_id))
        .where(col(Order.chain_id) == chain_id, col(Order.status) == OrderStatus.ACTIVE)
        .order_by(col(Order.seq), col(ChainItem.position), col(OrderLine.id))
    )
    if order_ids is not None:
        stmt = stmt.where(col(Order.id).in_(order_ids))
    rows: dict[int, CheckRow] = {}
    for r in session.exec(stmt):
        row = rows.get(r[0])
        if row is None:
            row = rows[r[0]] = CheckRow(
                order_id=r[0],
                seq=r[1],
                paid=bool(r[2]),
                note=r[3],
                leader_note=r[4],
                created_at=r[5],
                member_id=r[6],
                nickname=r[7],
                name=r[8],
                initials=r[9],
                building=r[10],
                room=r[11],
                phone=r[12],
                group=r[19],
                group_seq=r[20],
            )
        row.lines.append(CheckLine(r[13], r[14], labels.get(r[14], ""), r[15], r[16], r[17], r[18],
                                   bool(r[21])))  # fmt: skip
    for order_id, cents in received_cents(session, rows).items():
        rows[order_id].received_cents = cents
    _net_of_refunds(session, rows)

    for order_id, cents in order_coupons(session, rows).items():
        rows[order_id].coupon_cents = cents
    return sorted(rows.values(), key=household_key)


def _net_of_refunds(session: Session, rows: dict[int, CheckRow]) -> None:
    """Take refunded pieces off what each line hands out; lines refunded whole step aside."""
    marks = refund_marks(session, rows)
    if not marks:
        return
    lines = [line for order_id in marks for line in rows[order_id].lines]
    done = refunded_by_line(session, [line.line_id for line in lines])
    for order_id, mark in marks.items():
        row = rows[order_id]
        row.refund = mark
        kept: list[CheckLine] = []
        for line in row.lines:
            pieces, cents = done.get(line.line_id, (0, 0))
            line.refunded = min(pieces, line.qty)
            line.refunded_cents = cents
            line.qty -= line.refunded
            (kept if line.qty > 0 else row.refunded_lines).append(line)
        row.lines = kept


def household_key(row: CheckRow) -> tuple[int, str, int, str, int]:
    """Sort key: building, then room (numerically where they are numbers), then sequence."""
    building = int(row.building) if row.building.isdigit() else 10_000
    room = int(row.room) if row.room.isdigit() else 100_000
    return (building, row.building, room, row.room, row.seq)


def item_totals(rows: list[CheckRow]) -> dict[str, int]:
    """Quantity per item across the checklist."""
    totals: dict[str, int] = defaultdict(int)
    for row in rows:
        for line in row.lines:
            totals[line.name] += line.qty
    return dict(totals)


@dataclass(frozen=True)
class Progress:
    """Collected vs total and what is still unpaid (what those orders still owe), for the
    checklist's header."""

    orders: int
    collected: int
    partial: int
    unpaid: int
    unpaid_cents: int
    overpaid: int = 0  # orders paid beyond what they are due: money to give back
    overpaid_cents: int = 0

    def overpaid_text(self) -> str:
        """`多付 1 单 ¥10，要退给团员` (the screen's header and the printed list alike)."""
        text = ngettext(
            "多付 {n} 单 {amount}，要退给团员", "多付 {n} 单 {amount}，要退给团员", self.overpaid
        )
        return text.format(n=self.overpaid, amount=format_money(self.overpaid_cents))


def progress(rows: list[CheckRow]) -> Progress:
    """How far pickup has come: orders fully collected, partly collected, unpaid, overpaid."""
    unpaid = [r for r in rows if not r.paid]
    overpaid = [cents for r in rows if (cents := r.overpaid_cents) > 0]
    return Progress(
        orders=len(rows),
        collected=sum(1 for r in rows if r.state == PickupState.ALL),
        partial=sum(1 for r in rows if r.state == PickupState.PARTIAL),
        unpaid=len(unpaid),
        unpaid_cents=sum(r.owed_cents for r in unpaid),
        overpaid=len(overpaid),
        overpaid_cents=sum(overpaid),
    )


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def create_uncollected_reminders(session: Session, now: datetime) -> int:
    """Give each uncollected order a reminder once its chain's pickup window has ended.

    Only chains still open or closed count (a chain marked done is settled). The message comes
    from the enabled `uncollected` rule (`您的{product}还在{place}，记得来取哦`), with place the
    pickup point's name. Each order gets at most one such reminder (rule key
    `uncollected:{order_id}`), so running this again never doubles one. Not committed: the
    caller's transaction decides.

    Returns:
        How many reminders were created.
    """
    rule = session.exec(
        select(ReminderRule)
        .where(col(ReminderRule.kind) == ReminderKind.UNCOLLECTED, col(ReminderRule.enabled))
        .order_by(col(ReminderRule.id))
    ).first()
    if rule is None:
        return 0
    due = [
        c
        for c in pickup_chains(session)
        if c.window_ended(now) and c.status in (ChainStatus.OPEN, ChainStatus.CLOSED)
    ]
    taken = {
        key
        for key in session.exec(
            select(Reminder.rule_key).where(col(Reminder.rule_key).like("uncollected:%"))
        )
    }
    created = 0
    for chain in due:
        for row in checklist(session, chain.id):
            key = f"uncollected:{row.order_id}"
            if row.state == PickupState.ALL or key in taken:
                continue
            session.add(_uncollected_reminder(rule, chain, row, key, now))
            taken.add(key)
            created += 1
    session.flush()
    return created


def _uncollected_reminder(
    rule: ReminderRule, chain: PickupChain, row: CheckRow, key: str, now: datetime
) -> Reminder:
    # i18n-keep: these fill a message to a neighbour (a Chinese template), so they stay Chinese
    products = "、".join(line.name for line in row.lines if line.state != PickupState.ALL)
    place = chain.point or "自提点"  # i18n-keep
    values = _Blank(product=products, place=place, name=row.nickname, seq=row.number)
    return Reminder(
        member_id=row.member_id,
        due_on=clock.local(now).date(),
        kind=ReminderKind.UNCOLLECTED,
        title=_("未取货：{chain} 第{seq}号").format(chain=chain.title, seq=row.number),
        message=_fill(rule.template, values),
        status=ReminderStatus.OPEN,
        rule_key=key,
        order_id=row.order_id,
    )


def _fill(template: str, values: _Blank) -> str:
    """The rule's template with its fields filled; a template the leader broke stays as typed."""
    try:
        return template.format_map(values)
    except (ValueError, IndexError, AttributeError):
        return template
