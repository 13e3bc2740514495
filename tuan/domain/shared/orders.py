"""Taking, changing and cancelling orders, with stock and per-person limits enforced.

Every front end (chain entry, chain import, live order entry) places orders through here, so the
rules hold everywhere: quantities are positive, stock is never oversold, a member never exceeds an
item's limit, each order keeps its chain sequence number (接龙序号), and every line captures the
unit price it was taken at (see `pricing`). Functions add to the caller's session; the caller
commits (use `Database.transaction()`), so a failed check leaves nothing behind.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from tuan import clock
from tuan.domain.shared.coupons import release_below_minimum, release_orders
from tuan.domain.shared.errors import DomainError
from tuan.domain.shared.payments import order_amounts, record_payment, settle_paid
from tuan.domain.shared.pricing import PricedQty, gifts_given, quote
from tuan.domain.shared.sql import int_sum
from tuan.domain.shared.states import ChainStatus, OrderChannel, OrderStatus
from tuan.domain.shared.team_words import TeamRef
from tuan.domain.shared.teams import sync_order_teams
from tuan.i18n import N_
from tuan.models import Chain, ChainItem, FlashSale, Member, Order, OrderLine, Refund

MAX_QTY = 9999


class OrderError(DomainError, ValueError):
    """An order was refused; the message says what was wrong and what to do."""

    code = "order.refused"


@dataclass(frozen=True)
class LineRequest:
    """An item and how many of it."""

    item_id: int
    qty: int


def next_seq(session: Session, chain_id: int) -> int:
    """The next free sequence number in a chain."""
    stmt = select(func.coalesce(func.max(Order.seq), 0)).where(col(Order.chain_id) == chain_id)
    return int(session.exec(stmt).one()) + 1


def _merge(lines: list[LineRequest]) -> dict[int, int]:
    merged: dict[int, int] = defaultdict(int)
    for line in lines:
        merged[line.item_id] += line.qty
    return dict(merged)


def sold_qty(session: Session, item_id: int, exclude_order_id: int | None = None) -> int:
    """Units of an item on active orders (optionally not counting one order)."""
    stmt = (
        select(func.coalesce(int_sum(OrderLine.qty), 0))
        .join(Order, col(Order.id) == col(OrderLine.order_id))
        .where(col(OrderLine.item_id) == item_id, col(Order.status) == OrderStatus.ACTIVE)
    )
    if exclude_order_id is not None:
        stmt = stmt.where(col(Order.id) != exclude_order_id)
    return int(session.exec(stmt).one())


def member_qty(
    session: Session, item_id: int, member_id: int, exclude_order_id: int | None = None
) -> int:
    """Units of an item a member already has on active orders."""
    stmt = (
        select(func.coalesce(int_sum(OrderLine.qty), 0))
        .join(Order, col(Order.id) == col(OrderLine.order_id))
        .where(
            col(OrderLine.item_id) == item_id,
            col(Order.member_id) == member_id,
            col(Order.status) == OrderStatus.ACTIVE,
        )
    )
    if exclude_order_id is not None:
        stmt = stmt.where(col(Order.id) != exclude_order_id)
    return int(session.exec(stmt).one())


def check_lines(
    session: Session,
    chain: Chain,
    member_id: int,
    wanted: dict[int, int],
    exclude_order_id: int | None = None,
) -> dict[int, ChainItem]:
    """Refuse empty orders, bad quantities, foreign items, overselling and over-limit buys."""
    if chain.status == ChainStatus.DONE:
        message = N_("这个接龙已经完成，不能再改订单：{title}")
        raise OrderError(message, code="order.chain_done", title=chain.title)
    if not wanted:
        raise OrderError(N_("这一单没有商品：请至少填一件商品和数量"), "items", code="order.empty")
    items = {
        item.id or 0: item
        for item in session.exec(select(ChainItem).where(col(ChainItem.chain_id) == chain.id))
    }
    member = session.get(Member, member_id)
    if member is None:
        raise OrderError(
            N_("找不到这位团员（编号 {id}）"), "member", code="member.not_found", id=member_id
        )
    for item_id, qty in wanted.items():
        item = items.get(item_id)
        if item is None:
            message = N_("这个接龙里没有这个商品（编号 {id}）")
            raise OrderError(message, "items", code="order.item_not_found", id=item_id)
        if qty <= 0 or qty > MAX_QTY:
            message = N_("数量必须是 1 到 {max} 之间的整数：{name} × {qty}")
            raise OrderError(
                message, "items", code="qty.range", max=MAX_QTY, name=item.name, qty=qty
            )
        _check_stock(session, item, qty, exclude_order_id)
        _check_limit(session, item, member, qty, exclude_order_id)
    return items


def _check_stock(session: Session, item: ChainItem, qty: int, exclude: int | None) -> None:
    if item.stock is None:
        return
    left = item.stock - sold_qty(session, item.id or 0, exclude)
    if qty > left:
        message = N_("库存不足：{name} 只剩 {left} 件，这一单要 {qty} 件")
        left = max(left, 0)
        raise OrderError(message, "items", code="order.stock", name=item.name, left=left, qty=qty)


def _check_limit(
    session: Session, item: ChainItem, member: Member, qty: int, exclude: int | None
) -> None:
    if item.limit_per_person is None:
        return
    have = member_qty(session, item.id or 0, member.id or 0, exclude)
    if have + qty > item.limit_per_person:
        message = N_(
            "超出限购：{name} 每人限 {limit} 件，{member} 已有 {have} 件，这一单要 {qty} 件"
        )
        raise OrderError(
            message,
            "items",
            code="order.limit",
            name=item.name,
            limit=item.limit_per_person,
            member=member.nickname,
            have=have,
            qty=qty,
        )


def _add_lines(session: Session, order: Order, item: ChainItem, parts: list[PricedQty]) -> None:
    for part in parts:
        gift = ""
        if part.flash_sale_id is not None:
            sale = session.get(FlashSale, part.flash_sale_id)
            if sale and sale.gift_name and gifts_given(session, sale.id or 0) < sale.gift_count:
                gift = sale.gift_name
        session.add(
            OrderLine(
                order_id=order.id or 0,
                item_id=item.id or 0,
                qty=part.qty,
                unit_price_cents=part.unit_price_cents,
                flash_sale_id=part.flash_sale_id,
                gift=gift,
            )
        )
        session.flush()  # the next part's gift count must see this one


def place_order(
    session: Session,
    chain_id: int,
    member_id: int,
    lines: list[LineRequest],
    *,
    note: str = "",
    channel: str = OrderChannel.MANUAL,
    raw: str = "",
    seq: int | None = None,
    livestream_id: int | None = None,
    paid: bool = False,
    moment: datetime | None = None,
    group: str = "",
    group_seq: int | None = None,
    teams: tuple[TeamRef, ...] = (),
) -> Order:
    """Record a member's entry in a chain; returns the order (flushed, not committed).

    `group` names the WeChat group whose copy the entry came from ('' is the chain's first);
    in a named group `group_seq` is the entry's number in that group's copy. `teams` is what
    the line said about its 拼团 team (`跟王阿姨的团`, `开团`); see `shared.teams`.
    """
    chain = session.get(Chain, chain_id)
    if chain is None:
        raise OrderError(N_("找不到接龙 {id}"), code="chain.not_found", id=chain_id)
    wanted = _merge(lines)
    items = check_lines(session, chain, member_id, wanted)
    if seq is not None and seq <= 0:
        raise OrderError(N_("接龙序号必须是正整数：{seq}"), "seq", code="order.seq", seq=seq)
    taken = session.exec(
        select(Order.id).where(col(Order.chain_id) == chain_id, col(Order.seq) == seq)
    ).first()
    if seq is None or taken is not None:
        seq = next_seq(session, chain_id)
    moment = moment or clock.now()
    order = Order(
        chain_id=chain_id,
        seq=seq,
        member_id=member_id,
        note=note.strip(),
        channel=channel,
        raw=raw,
        livestream_id=livestream_id,
        group_name=group,
        group_seq=group_seq if group else None,
        created_at=moment,
        updated_at=moment,
    )
    session.add(order)
    session.flush()
    for item_id, qty in wanted.items():
        item = items[item_id]
        _add_lines(session, order, item, quote(session, item, qty, moment))
    sync_order_teams(session, order, teams, moment)  # may change the captured team prices
    amount = order_amounts(session, [order.id or 0])[order.id or 0]
    if paid and amount > 0:  # already paid when taken: a payment of the whole amount
        record_payment(session, order.id or 0, amount, paid_at=moment)
    else:
        settle_paid(session, [order.id or 0])
    return order


def update_order(
    session: Session,
    order_id: int,
    lines: list[LineRequest],
    *,
    note: str | None = None,
    moment: datetime | None = None,
    teams: tuple[TeamRef, ...] = (),
) -> Order:
    """Change an order's items; units kept keep the price they were taken at (a team item's
    follow its team)."""
    order = _get_order(session, order_id)
    chain = session.get(Chain, order.chain_id)
    assert chain is not None
    wanted = _merge(lines)
    items = check_lines(session, chain, order.member_id, wanted, exclude_order_id=order.id)
    moment = moment or clock.now()
    existing = list(session.exec(select(OrderLine).where(col(OrderLine.order_id) == order.id)))
    _keep_refunded(session, existing, wanted)
    by_item: dict[int, list[OrderLine]] = defaultdict(list)
    for line in existing:
        by_item[line.item_id].append(line)
    for item_id in set(by_item) | set(wanted):
        _resize(
            session, order, items.get(item_id), by_item[item_id], wanted.get(item_id, 0), moment
        )
    if note is not None:
        order.note = note.strip()
    order.updated_at = moment
    if order.status == OrderStatus.CANCELLED:
        order.status = OrderStatus.ACTIVE
    session.add(order)
    session.flush()
    sync_order_teams(session, order, teams, moment)
    release_below_minimum(session, order.id or 0)  # 满99减10 on an order edited to ¥60: back
    settle_paid(session, [order.id or 0])  # more or fewer items: still covered?
    return order


def _keep_refunded(session: Session, lines: list[OrderLine], wanted: dict[int, int]) -> None:
    """Refuse fewer pieces of an item than were refunded: its refunds would go with them."""
    refunded: dict[int, int] = defaultdict(int)
    ids = [line.id for line in lines if line.id is not None]
    if not ids:
        return
    stmt = (
        select(Refund.line_id, int_sum(Refund.qty))
        .where(col(Refund.line_id).in_(ids))
        .group_by(col(Refund.line_id))
    )
    by_line = {line.id: line.item_id for line in lines}
    for line_id, qty in session.exec(stmt):
        refunded[by_line[line_id]] += int(qty or 0)
    for item_id, pieces in refunded.items():
        if pieces and wanted.get(item_id, 0) < pieces:
            item = session.get(ChainItem, item_id)
            raise OrderError(
                N_("{item} 已退款 {n} 件，不能改成少于 {n} 件：要改请先删除退款（按 F）"),
                "items", code="order.refunded", item=item.name if item else item_id, n=pieces,
            )  # fmt: skip


def _resize(
    session: Session,
    order: Order,
    item: ChainItem | None,
    lines: list[OrderLine],
    qty: int,
    moment: datetime,
) -> None:
    have = sum(line.qty for line in lines)
    if qty >= have:
        if qty > have and item is not None:
            _add_lines(session, order, item, quote(session, item, qty - have, moment))
        return
    # Give back the dearest units first, so the leader's cheaper captured prices survive.
    surplus = have - qty
    for line in sorted(lines, key=lambda x: -x.unit_price_cents):
        take = min(surplus, line.qty)
        surplus -= take
        if take == line.qty:
            session.delete(line)
        else:
            line.qty -= take
            line.collected_qty = min(line.collected_qty, line.qty)
            session.add(line)
        if surplus == 0:
            break


def cancel_order(session: Session, order_id: int) -> Order:
    """Cancel an order: its units go back to stock, its coupon to the member; it keeps its
    sequence number; it leaves its 拼团 teams (a formed team that drops below its size opens
    again)."""
    order = _get_order(session, order_id)
    order.status = OrderStatus.CANCELLED
    order.updated_at = clock.now()
    session.add(order)
    session.flush()
    sync_order_teams(session, order)
    if release_orders(session, [order_id]):
        settle_paid(session, [order_id])
    return order


def _get_order(session: Session, order_id: int) -> Order:
    order = session.get(Order, order_id)
    if order is None:
        raise OrderError(N_("找不到订单 {id}"), code="order.not_found", id=order_id)
    return order
