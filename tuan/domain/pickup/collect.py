"""Ticking off pickup: collected quantities per order line, paid flags, and undo.

Every change returns a `Mark` holding each value before and after, so the leader can take back
the last marks (`UndoStack`). Undo restores a value only where it still holds what the mark set;
a line changed since (by another window, say) is left alone and reported. Marking an order fully
collected also closes its open "uncollected" reminder; undo opens it again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from sqlmodel import Session, col, select

from tuan import clock
from tuan.domain.pickup.checklist import CheckRow
from tuan.domain.shared.errors import DomainError
from tuan.domain.shared.payments import PaidChange, give_back_overpaid, mark_paid, undo_paid
from tuan.domain.shared.refunds import refunded_by_line
from tuan.domain.shared.states import ReminderStatus
from tuan.i18n import N_
from tuan.models import Order, OrderLine, Reminder

_Stored = TypeVar("_Stored", Order, OrderLine, Reminder)

UNDO_LIMIT = 200


class CollectError(DomainError, ValueError):
    """A collected quantity was refused; the message says why."""

    code = "collect.refused"


@dataclass(frozen=True)
class LineChange:
    """One order line's collected quantity, before and after."""

    line_id: int
    order_id: int
    before: int
    after: int


@dataclass(frozen=True)
class Mark:
    """What one keypress changed."""

    label: str
    lines: tuple[LineChange, ...] = ()
    paid: tuple[PaidChange, ...] = ()
    closed_reminders: tuple[int, ...] = ()

    @property
    def order_ids(self) -> list[int]:
        """Orders touched, each once."""
        ids = [c.order_id for c in self.lines] + [c.order_id for c in self.paid]
        return list(dict.fromkeys(ids))

    @property
    def empty(self) -> bool:
        """True when nothing changed (already in that state)."""
        return not self.lines and not self.paid


@dataclass(frozen=True)
class UndoResult:
    """What an undo restored, and what it left because it had changed since."""

    mark: Mark
    order_ids: list[int]
    skipped: int


@dataclass
class UndoStack:
    """The last marks, newest on top (kept in memory for the session)."""

    marks: list[Mark] = field(default_factory=list)
    limit: int = UNDO_LIMIT

    def push(self, mark: Mark) -> None:
        """Remember a mark (an empty one has nothing to undo)."""
        if not mark.empty:
            self.marks.append(mark)
            del self.marks[: -self.limit]

    def pop(self) -> Mark | None:
        """The newest mark, removed (None when there is nothing to undo)."""
        return self.marks.pop() if self.marks else None

    def __len__(self) -> int:
        return len(self.marks)


def household(rows: Iterable[CheckRow], row: CheckRow) -> list[CheckRow]:
    """The orders of `row`'s household (same building and room); just `row` if no room."""
    if not row.room:
        return [row]
    return [r for r in rows if r.household == row.household]


def collect_orders(
    session: Session, order_ids: Iterable[int], *, collected: bool = True, label: str = ""
) -> Mark:
    """Mark whole orders collected (every line's quantity less refunded pieces; a line collected
    before its refund keeps its count), or not collected at all."""
    lines = list(
        session.exec(select(OrderLine).where(col(OrderLine.order_id).in_(list(order_ids))))
    )
    net = _net_qty(session, lines)
    targets = {
        line.id or 0: (max(net[line.id or 0], line.collected_qty) if collected else 0)
        for line in lines
    }
    return set_collected(session, targets, label=label)


def _net_qty(session: Session, lines: Iterable[OrderLine]) -> dict[int, int]:
    """Order line id → pieces to hand out: bought less refunded."""
    found = list(lines)
    refunded = refunded_by_line(session, [line.id or 0 for line in found])
    return {
        line.id or 0: max(line.qty - refunded.get(line.id or 0, (0, 0))[0], 0) for line in found
    }


def set_collected(session: Session, quantities: dict[int, int], *, label: str = "") -> Mark:
    """Set how many of each order line were handed over (partial collection).

    Args:
        session: a writing session (the caller's transaction commits).
        quantities: order line id → collected quantity (0 up to the line's quantity).
        label: what the leader did, shown when it is undone.

    Raises:
        CollectError: a quantity below 0 or above what was ordered, or an unknown line.
    """
    found = {
        line.id: line
        for line in session.exec(select(OrderLine).where(col(OrderLine.id).in_(list(quantities))))
    }
    changes = []
    net = _net_qty(session, found.values())
    for line_id, qty in quantities.items():
        line = found.get(line_id)
        if line is None:
            raise CollectError(
                N_("找不到这一行订单（可能已被删除），请刷新"), code="line.not_found"
            )
        # Refunded pieces are not handed out; a count taken before the refund may stay.
        most = max(net[line_id], line.collected_qty) if qty == line.collected_qty else net[line_id]
        if not 0 <= qty <= most:
            message = N_("领取数量应在 0 到 {n} 之间")
            raise CollectError(message, "qty", code="qty.range", n=most)
        if line.collected_qty != qty:
            changes.append(LineChange(line_id, line.order_id, line.collected_qty, qty))
            line.collected_qty = qty
            session.add(line)
    _touch(session, [c.order_id for c in changes])
    closed = _close_reminders(session, [c.order_id for c in changes])
    return Mark(label, lines=tuple(changes), closed_reminders=closed)


def set_paid(session: Session, order_ids: Iterable[int], paid: bool, *, label: str = "") -> Mark:
    """Record that orders were paid (in WeChat) or not: a payment of what is owed, marked by
    hand, or those payments taken away again (`shared.payments.mark_paid`)."""
    return Mark(label, paid=tuple(mark_paid(session, order_ids, paid)))


def give_back(session: Session, order_id: int, *, label: str = "") -> Mark:
    """Record that what an order was paid beyond its due went back to her (in WeChat); an empty
    mark when it was not overpaid (`shared.payments.give_back_overpaid`)."""
    change = give_back_overpaid(session, order_id)
    return Mark(label, paid=() if change is None else (change,))


def undo(session: Session, mark: Mark) -> UndoResult:
    """Take a mark back, value by value, where nothing changed it since."""
    skipped = 0
    lines = _by_id(session, OrderLine, [c.line_id for c in mark.lines])
    for change in mark.lines:
        line = lines.get(change.line_id)
        if line is None or line.collected_qty != change.after:
            skipped += 1
            continue
        line.collected_qty = change.before
        session.add(line)
    for paid in mark.paid:
        if not undo_paid(session, paid):
            skipped += 1
    for reminder in _by_id(session, Reminder, list(mark.closed_reminders)).values():
        reminder.status, reminder.done_at = ReminderStatus.OPEN, None
        session.add(reminder)
    _touch(session, mark.order_ids)
    return UndoResult(mark, mark.order_ids, skipped)


def _by_id(session: Session, model: type[_Stored], ids: list[int]) -> dict[int, _Stored]:
    if not ids:
        return {}
    stmt = select(model).where(col(model.id).in_(ids))
    return {row.id or 0: row for row in session.exec(stmt)}


def _touch(session: Session, order_ids: list[int]) -> None:
    now = clock.now()
    for order in _by_id(session, Order, list(dict.fromkeys(order_ids))).values():
        order.updated_at = now
        session.add(order)
    session.flush()


def _close_reminders(session: Session, order_ids: list[int]) -> tuple[int, ...]:
    """Close open "uncollected" reminders of orders now fully collected."""
    if not order_ids:
        return ()
    keys = [f"uncollected:{order_id}" for order_id in set(order_ids)]
    reminders = session.exec(
        select(Reminder).where(
            col(Reminder.rule_key).in_(keys), col(Reminder.status) == ReminderStatus.OPEN
        )
    ).all()
    closed = []
    for reminder in reminders:
        lines = session.exec(
            select(OrderLine).where(col(OrderLine.order_id) == reminder.order_id)
        ).all()
        net = _net_qty(session, lines)
        if all(line.collected_qty >= net[line.id or 0] for line in lines):
            reminder.status, reminder.done_at = ReminderStatus.DONE, clock.now()
            session.add(reminder)
            closed.append(reminder.id or 0)
    session.flush()
    return tuple(closed)
