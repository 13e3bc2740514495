"""Refunds and after-sales (退款/售后): pieces and/or money given back on one order line.

A refund names one line of an order, a quantity (pieces not handed out after all, 0 for money
only), an amount in cents, a reason (坏果/少发/质量/其他), a date and a note. The rules:

- the order exists and is not cancelled (a cancelled order owes and hands out nothing);
- the quantity is at most the pieces bought less those already refunded, never negative;
- the amount is at most what the line is worth (quantity × the unit price captured when it was
  ordered, a flash-sale line at its live price) less what was already refunded on it, so
  several refunds together never exceed it; never negative, at most two decimals;
- given a quantity only, the amount is that many pieces at the captured unit price; a line whose
  price is not known yet (an item imported without one) is refunded by quantity at 0, or for an
  amount the leader types (what it is worth is not known, so that amount is not capped);
- a refund of nothing (quantity and amount both 0) is refused.

What follows from a refund is read elsewhere, always net of it: the pieces to hand out at pickup
(`refunded_by_line`), what an order costs and what its member owes (`shared.payments`), GMV,
LTV, repurchase and gross profit (`dashboard.metrics`), a live's GMV (`live.summary`). An ended
live keeps its summary stored; a refund on one of its orders moves the stored GMV with it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from tuan import clock
from tuan.domain.shared.errors import DomainError
from tuan.domain.shared.groups import order_number
from tuan.domain.shared.money import MoneyError, format_money, parse_money
from tuan.domain.shared.payments import settle_paid
from tuan.domain.shared.sql import id_chunks, int_sum, select_columns
from tuan.domain.shared.states import LiveStatus, OrderStatus, RefundReason
from tuan.i18n import N_, _
from tuan.models import Chain, ChainItem, Livestream, Member, Order, OrderLine, Refund

REASON_LABELS = {
    RefundReason.BAD_FRUIT: N_("坏果"),
    RefundReason.SHORT: N_("少发"),
    RefundReason.QUALITY: N_("质量"),
    RefundReason.OTHER: N_("其他"),
}

# Per order line: pieces and cents refunded. A subquery every reading query joins (LEFT JOIN
# … r ON r.line_id = l.id), so each figure is net of refunds the same way.
LINE_REFUNDS_SQL = (
    "(SELECT line_id, SUM(qty) AS qty, SUM(amount_cents) AS cents FROM refund GROUP BY line_id)"
)


class RefundError(DomainError, ValueError):
    """A refund was refused; `field` says which part of the form (qty, amount, line, reason)."""

    code = "refund.refused"
    field = "amount"


def reason_label(reason: str) -> str:
    """`坏果`, `少发`, `质量`, `其他` in the language in use."""
    label = REASON_LABELS.get(RefundReason(reason)) if reason in set(RefundReason) else None
    return _(label) if label else reason


def parse_reason(text: str) -> RefundReason:
    """A reason from its stored value (`bad_fruit`) or its words (`坏果`, or as translated)."""
    wanted = text.strip()
    for reason, label in REASON_LABELS.items():
        if wanted in (reason.value, label, _(label)):
            return reason
    choices = _("、").join(_(label) for label in REASON_LABELS.values())
    raise RefundError(
        N_("看不懂的退款原因：{text}，请选 {choices}"),
        "reason",
        code="refund.reason",
        text=text,
        choices=choices,
    )


def parse_refund_amount(text: str) -> int | None:
    """The amount typed in yuan as cents; None when left empty (then it follows the quantity).

    Raises:
        RefundError: negative, three decimals, or not a number (about the `amount` field).
    """
    if not text.strip():
        return None
    try:
        return parse_money(text)
    except MoneyError as error:
        raise RefundError(error, "amount", code=error.code) from error


def parse_refund_qty(text: str) -> int | None:
    """Pieces to refund; None when left empty (money only, or the line's amount).

    Raises:
        RefundError: not a whole number, or negative (about the `qty` field).
    """
    raw = text.strip()
    if not raw:
        return None
    if raw.lstrip("-−").isdigit() and raw[0] in "-−":
        raise RefundError(N_("退款数量不能为负数：{text}"), "qty", code="refund.qty_negative",
                          text=raw)  # fmt: skip
    if not raw.isdigit():
        raise RefundError(N_("退款数量请填整数件数，例如 1"), "qty", code="refund.qty_malformed")
    return int(raw)


@dataclass(frozen=True)
class RefundableLine:
    """One line of an order as a refund sees it: what was bought and what is left to refund."""

    line_id: int
    item_id: int
    name: str
    qty: int
    unit_price_cents: int
    price_known: bool
    refunded_qty: int = 0
    refunded_cents: int = 0

    @property
    def worth_cents(self) -> int:
        """What the line is worth: quantity × the captured unit price."""
        return self.qty * self.unit_price_cents

    @property
    def left_qty(self) -> int:
        """Pieces not refunded yet."""
        return max(self.qty - self.refunded_qty, 0)

    @property
    def left_cents(self) -> int:
        """Money not refunded yet."""
        return max(self.worth_cents - self.refunded_cents, 0)

    def default_cents(self, qty: int) -> int:
        """What `qty` pieces are refunded for when no amount is typed (0 with no price yet)."""
        if not self.price_known:
            return 0
        return min(qty * self.unit_price_cents, self.left_cents)

    @property
    def label(self) -> str:
        """`冷榨橄榄油 ×2 ¥89.00`, with what was refunded already."""
        text = f"{self.name} ×{self.qty} {format_money(self.unit_price_cents)}"
        if self.refunded_qty or self.refunded_cents:
            note = _("已退 {n} 件 {amount}").format(
                n=self.refunded_qty, amount=format_money(self.refunded_cents)
            )
            text = _("{text}（{note}）").format(text=text, note=note)
        return text


def _order(session: Session, order_id: int) -> Order:
    order = session.get(Order, order_id)
    if order is None:
        raise RefundError(N_("找不到订单 {id}"), "order", code="refund.order", id=order_id)
    return order


def refundable_lines(session: Session, order_id: int) -> list[RefundableLine]:
    """The order's lines in menu order, with what was refunded on each.

    Raises:
        RefundError: no such order.
    """
    _order(session, order_id)
    stmt = (
        select_columns(
            OrderLine.id,
            OrderLine.item_id,
            ChainItem.name,
            ChainItem.spec,
            OrderLine.qty,
            OrderLine.unit_price_cents,
            ChainItem.price_known,
            OrderLine.flash_sale_id,
        )
        .join(ChainItem, col(ChainItem.id) == col(OrderLine.item_id))
        .where(col(OrderLine.order_id) == order_id)
        .order_by(col(ChainItem.position), col(OrderLine.id))
    )
    rows = list(session.exec(stmt))
    done = refunded_by_line(session, [r[0] for r in rows])
    return [
        RefundableLine(
            line_id, item_id, f"{name} {spec}".strip(), qty, price,
            bool(known) or flash is not None, *done.get(line_id, (0, 0)),
        )
        for line_id, item_id, name, spec, qty, price, known, flash in rows
    ]  # fmt: skip


def refunded_by_line(session: Session, line_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
    """Order line id → (pieces, cents) refunded; lines without refunds are absent."""
    found: dict[int, tuple[int, int]] = {}
    for chunk in id_chunks(line_ids):
        stmt = (
            select(Refund.line_id, int_sum(Refund.qty), int_sum(Refund.amount_cents))
            .where(col(Refund.line_id).in_(chunk))
            .group_by(col(Refund.line_id))
        )
        found.update({line: (int(q or 0), int(c or 0)) for line, q, c in session.exec(stmt)})
    return found


@dataclass(frozen=True)
class RefundMark:
    """What an order's row shows about its refunds: how many, pieces and money."""

    count: int = 0
    qty: int = 0
    cents: int = 0

    @property
    def short(self) -> str:
        """`退1` (pieces refunded), `退¥5.00` (money only), or '' without refunds."""
        if not self.count:
            return ""
        if self.qty:
            return _("退{n}").format(n=self.qty)
        return _("退{amount}").format(amount=format_money(self.cents))


def refund_marks(session: Session, order_ids: Iterable[int]) -> dict[int, RefundMark]:
    """Order id → its refunds in short (orders without refunds are absent)."""
    found: dict[int, RefundMark] = {}
    for chunk in id_chunks(order_ids):
        stmt = (
            select(
                Refund.order_id,
                func.count(),
                int_sum(Refund.qty),
                int_sum(Refund.amount_cents),
            )
            .where(col(Refund.order_id).in_(chunk))
            .group_by(col(Refund.order_id))
        )
        for order, count, qty, cents in session.exec(stmt):
            found[order] = RefundMark(int(count or 0), int(qty or 0), int(cents or 0))
    return found


def add_refund(
    session: Session,
    order_id: int,
    *,
    line_id: int | None = None,
    qty: int | None = None,
    amount_cents: int | None = None,
    reason: str = RefundReason.OTHER,
    refunded_on: date | None = None,
    note: str = "",
) -> Refund:
    """Refund pieces and/or money of one order line (see the module's rules); not committed.

    Args:
        line_id: the line; may be left out when the order has one line.
        qty: pieces; None for none (money only), unless no amount is given either.
        amount_cents: money; None for the pieces at the captured unit price.

    Raises:
        RefundError: a rule refused it; its `field` is `order`, `line`, `qty`, `amount` or
            `reason`.
    """
    order = _order(session, order_id)
    if order.status == OrderStatus.CANCELLED:
        raise RefundError(N_("这一单已取消，不能退款"), "order", code="refund.cancelled")
    line = _pick_line(refundable_lines(session, order_id), line_id)
    the_reason = parse_reason(reason)
    if qty is None and amount_cents is None:
        raise RefundError(N_("请填退款数量或金额"), "qty", code="refund.empty")
    pieces = qty or 0
    if pieces < 0:
        raise RefundError(N_("退款数量不能为负数：{text}"), "qty", code="refund.qty_negative",
                          text=pieces)  # fmt: skip
    if pieces > line.left_qty:
        raise RefundError(
            N_("退款数量太多：这一行买了 {qty} 件，已退 {done} 件，最多还能退 {left} 件"),
            "qty", code="refund.qty_too_large", qty=line.qty, done=line.refunded_qty,
            left=line.left_qty,
        )  # fmt: skip
    cents = line.default_cents(pieces) if amount_cents is None else amount_cents
    if cents < 0:
        raise RefundError(N_("退款金额不能为负数"), "amount", code="refund.amount_negative")
    if line.price_known and cents > line.left_cents:
        raise RefundError(
            N_("退款金额太大：这一行共 {worth}，已退 {done}，最多还能退 {left}"),
            "amount", code="refund.amount_too_large", worth=format_money(line.worth_cents),
            done=format_money(line.refunded_cents), left=format_money(line.left_cents),
        )  # fmt: skip
    if pieces == 0 and cents == 0:
        raise RefundError(N_("退款数量和金额不能都是 0"), "qty", code="refund.zero")
    refund = Refund(
        order_id=order_id,
        line_id=line.line_id,
        qty=pieces,
        amount_cents=cents,
        reason=the_reason,
        refunded_on=refunded_on or clock.today(),
        note=note.strip(),
    )
    session.add(refund)
    _after_change(session, order, cents)
    return refund


def _pick_line(lines: list[RefundableLine], line_id: int | None) -> RefundableLine:
    if line_id is None:
        if len(lines) == 1:
            return lines[0]
        raise RefundError(
            N_("这一单有 {n} 样商品，请选要退的是哪一样"), "line", code="refund.line_needed",
            n=len(lines),
        )  # fmt: skip
    for line in lines:
        if line.line_id == line_id:
            return line
    raise RefundError(N_("这一单里没有这一行商品"), "line", code="refund.line")


def find_line(lines: list[RefundableLine], text: str) -> int:
    """The line a leader names by item id, position (1, 2 …) or (part of) the product's name.

    Raises:
        RefundError: nothing or several match (about the `line` field).
    """
    wanted = text.strip()
    if wanted.isdigit():
        number = int(wanted)
        by_item = [line for line in lines if line.item_id == number]
        if by_item:
            return by_item[0].line_id
        if 1 <= number <= len(lines):
            return lines[number - 1].line_id
    named = [line for line in lines if wanted and wanted in line.name]
    if len(named) == 1:
        return named[0].line_id
    choices = _("、").join(line.name for line in lines)
    raise RefundError(
        N_("找不到要退的商品：{text}（这一单有：{choices}）"), "line", code="refund.line",
        text=text, choices=choices,
    )  # fmt: skip


def find_order(session: Session, chain_id: int, number: str) -> int:
    """The order a leader names by its number in a chain (`3`, or `二群 3` in a named group).

    Raises:
        RefundError: no such entry in the chain (about the `order` field).
    """
    wanted = " ".join(number.split())
    stmt = select(Order.id, Order.group_name, Order.group_seq, Order.seq).where(
        col(Order.chain_id) == chain_id
    )
    for order_id, group, group_seq, seq in session.exec(stmt):
        if order_number(group, group_seq, seq) == wanted:
            return order_id or 0
    raise RefundError(
        N_("接龙 {chain} 里没有第 {number} 号"), "order", code="refund.order",
        chain=chain_id, number=number,
    )  # fmt: skip


def delete_refund(session: Session, refund_id: int) -> Refund:
    """Take a refund back (its pieces are handed out again, its money is owed again).

    Raises:
        RefundError: no such refund.
    """
    refund = session.get(Refund, refund_id)
    if refund is None:
        raise RefundError(
            N_("找不到退款 {id}，用 tuan refund list 查看编号"), "refund",
            code="refund.not_found", id=refund_id,
        )  # fmt: skip
    order = _order(session, refund.order_id)
    session.delete(refund)
    _after_change(session, order, -refund.amount_cents)
    return refund


def _after_change(session: Session, order: Order, cents: int) -> None:
    """An order's refunds changed by `cents`: its paid flag, its freshness, its live's GMV."""
    order.updated_at = clock.now()
    session.add(order)
    session.flush()
    settle_paid(session, [order.id or 0])
    if order.livestream_id is None or not cents:
        return
    live = session.get(Livestream, order.livestream_id)
    if live is None or live.status != LiveStatus.ENDED or not live.summary_json:
        return
    # The summary stored at the end holds the GMV net of refunds made until then; later ones
    # move it, so the dashboard and the live's page never show money given back.
    summary = json.loads(live.summary_json)
    summary["gmv_cents"] = int(summary.get("gmv_cents", 0)) - cents
    live.summary_json = json.dumps(summary)
    session.add(live)
    session.flush()


@dataclass(frozen=True)
class RefundRow:
    """One refund as a list shows it."""

    id: int
    order_id: int
    chain_id: int
    chain_title: str
    number: str
    nickname: str
    line_id: int
    item: str
    qty: int
    amount_cents: int
    reason: str
    refunded_on: date
    note: str

    @property
    def reason_text(self) -> str:
        """The reason in words."""
        return reason_label(self.reason)

    def as_dict(self) -> dict[str, object]:
        """The JSON shape of `tuan refund list --json` (and of `refund add --json`)."""
        return {
            "id": self.id,
            "order_id": self.order_id,
            "chain_id": self.chain_id,
            "chain": self.chain_title,
            "number": self.number,
            "member": self.nickname,
            "line_id": self.line_id,
            "item": self.item,
            "qty": self.qty,
            "amount_cents": self.amount_cents,
            "reason": self.reason,
            "reason_text": self.reason_text,
            "date": self.refunded_on.isoformat(),
            "note": self.note,
        }


def list_refunds(
    session: Session, *, chain_id: int | None = None, order_id: int | None = None
) -> list[RefundRow]:
    """Refunds, newest first; of one chain or one order when asked."""
    columns = (
        Refund.id, Refund.order_id, Order.chain_id, Chain.title, Order.group_name,
        Order.group_seq, Order.seq, Member.nickname, Refund.line_id, ChainItem.name,
        ChainItem.spec, Refund.qty, Refund.amount_cents, Refund.reason, Refund.refunded_on,
        Refund.note,
    )  # fmt: skip
    stmt = (
        select_columns(*columns)
        .join(Order, col(Order.id) == col(Refund.order_id))
        .join(Chain, col(Chain.id) == col(Order.chain_id))
        .join(Member, col(Member.id) == col(Order.member_id))
        .join(OrderLine, col(OrderLine.id) == col(Refund.line_id))
        .join(ChainItem, col(ChainItem.id) == col(OrderLine.item_id))
        .order_by(col(Refund.refunded_on).desc(), col(Refund.id).desc())
    )
    if chain_id is not None:
        stmt = stmt.where(col(Order.chain_id) == chain_id)
    if order_id is not None:
        stmt = stmt.where(col(Refund.order_id) == order_id)
    return [
        RefundRow(
            rid, oid, cid, title, order_number(group, group_seq, seq), nick, line,
            f"{name} {spec}".strip(), qty, cents, reason, on, note,
        )
        for (rid, oid, cid, title, group, group_seq, seq, nick, line, name, spec, qty, cents,
             reason, on, note) in session.exec(stmt)
    ]  # fmt: skip
