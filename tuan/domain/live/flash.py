"""Flash sales (秒杀 / 直播专享价) of a livestream: writing them down and refusing bad ones.

A flash sale sells one chain item at a live price, inside a window given as minutes into the live
(or tied to a segment, whose planned place gives the window), up to a cap, and may give the first
N orders a gift (`前20名赠《健康食谱手册》`). Refused with a reason: a live price above the item's
price, a window overlapping another flash sale of the same item, a cap above the item's stock.
The price rule itself lives in `pricing`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import Session, col, select

from tuan.domain.live.errors import LiveError
from tuan.domain.live.shows import get_live
from tuan.domain.live.windows import check_overlaps, planned_offsets
from tuan.domain.shared.money import format_money
from tuan.domain.shared.pricing import gifts_given, sold_at_flash
from tuan.domain.shared.states import LiveStatus
from tuan.domain.shared.text import cn_to_int, to_halfwidth
from tuan.i18n import N_
from tuan.models import ChainItem, FlashSale, Livestream, OrderLine, Segment

_GIFT_RE = re.compile(
    r"^\s*前\s*(?P<n>\d+|[零〇一二两三四五六七八九十百]+)\s*[名位个]\s*[赠送]\s*(?P<name>.+)$"
)


@dataclass(frozen=True)
class FlashDraft:
    """What the leader fills in for a flash sale.

    Attributes:
        item_id: The chain item on sale.
        live_price_cents: The live-only price.
        start_minute: Minutes into the live when it opens (ignored when tied to a segment).
        end_minute: Minutes into the live when it closes; None: until the live ends.
        segment_id: Tie the window to this segment's planned place instead.
        cap: Most units sold at the live price; None: no cap.
        gift_name: The first-N gift, e.g. `《健康食谱手册》`.
        gift_count: How many orders get it.
    """

    item_id: int
    live_price_cents: int
    start_minute: int = 0
    end_minute: int | None = None
    segment_id: int | None = None
    cap: int | None = None
    gift_name: str = ""
    gift_count: int = 0


@dataclass(frozen=True)
class FlashRow:
    """A flash sale as the editor lists it."""

    id: int
    item_id: int
    item_name: str
    price_cents: int
    live_price_cents: int
    start_minute: int
    end_minute: int | None
    segment_id: int | None
    segment_title: str
    cap: int | None
    gift_name: str
    gift_count: int
    sold: int
    gifts_given: int


def parse_gift(text: str) -> tuple[int, str]:
    """Read `前20名赠《健康食谱手册》` as (20, `《健康食谱手册》`); a bare name gives (0, name).

    Raises:
        LiveError: the count is not a number.
    """
    norm = to_halfwidth(text).strip()
    if not norm:
        return 0, ""
    match = _GIFT_RE.match(norm)
    if match is None:
        return 0, norm
    raw = match.group("n")
    count = int(raw) if raw.isdigit() else cn_to_int(raw)
    if count is None:
        message = N_("看不懂赠品名额：{text}，例如 前20名赠《健康食谱手册》")
        raise LiveError(message, "gift", code="gift.malformed", text=text)
    return count, match.group("name").strip()


def list_flash_sales(session: Session, live_id: int) -> list[FlashRow]:
    """A livestream's flash sales by planned start, with units sold and gifts given so far."""
    stmt = (
        select(FlashSale, ChainItem, Segment.title)
        .join(ChainItem, col(ChainItem.id) == col(FlashSale.item_id))
        .outerjoin(Segment, col(Segment.id) == col(FlashSale.segment_id))
        .where(col(FlashSale.livestream_id) == live_id)
        .order_by(col(FlashSale.start_minute), col(FlashSale.id))
    )
    return [
        FlashRow(
            id=sale.id or 0,
            item_id=item.id or 0,
            item_name=item.name,
            price_cents=item.price_cents,
            live_price_cents=sale.live_price_cents,
            start_minute=sale.start_minute,
            end_minute=sale.end_minute,
            segment_id=sale.segment_id,
            segment_title=title or "",
            cap=sale.cap,
            gift_name=sale.gift_name,
            gift_count=sale.gift_count,
            sold=sold_at_flash(session, sale.id or 0),
            gifts_given=gifts_given(session, sale.id or 0),
        )
        for sale, item, title in session.exec(stmt)
    ]


def _check_draft(session: Session, live: Livestream, draft: FlashDraft) -> ChainItem:
    item = session.get(ChainItem, draft.item_id)
    if item is None or live.chain_id is None or item.chain_id != live.chain_id:
        message = N_("秒杀商品要在这场直播关联的接龙里：先关联接龙")
        raise LiveError(message, "item_id", code="sale.item_not_in_chain")
    if draft.live_price_cents < 0:
        raise LiveError(N_("直播价不能为负数"), "live_price", code="price.negative")
    if draft.live_price_cents > item.price_cents:
        message = N_("直播价 {live} 比接龙价 {price} 还高：直播专享价应该更便宜")
        live_price, price = format_money(draft.live_price_cents), format_money(item.price_cents)
        raise LiveError(
            message, "live_price", code="price.above_chain", live=live_price, price=price
        )
    _check_window(draft)
    _check_cap(item, draft)
    return item


def _check_window(draft: FlashDraft) -> None:
    if draft.segment_id is not None:
        return
    if draft.start_minute < 0:
        message = N_("开始时间不能为负：写开播后第几分钟，例如 47")
        raise LiveError(message, "start_minute", code="window.negative")
    if draft.end_minute is not None and draft.end_minute <= draft.start_minute:
        message = N_("结束（第 {end} 分钟）要晚于开始（第 {start} 分钟）")
        end, start = draft.end_minute, draft.start_minute
        raise LiveError(message, "end_minute", code="window.end_before_start", end=end, start=start)


def _check_cap(item: ChainItem, draft: FlashDraft) -> None:
    if draft.cap is not None and draft.cap <= 0:
        raise LiveError(N_("限量要大于 0；不限量就留空"), "cap", code="cap.range")
    if draft.cap is not None and item.stock is not None and draft.cap > item.stock:
        message = N_("限量 {cap} 件超过了 {name} 的库存 {stock} 件：调低限量或先加库存")
        raise LiveError(
            message, "cap", code="cap.above_stock", cap=draft.cap, name=item.name, stock=item.stock
        )
    if draft.gift_count < 0:
        raise LiveError(N_("赠品名额不能为负"), "gift", code="gift.negative")
    if draft.gift_count and not draft.gift_name.strip():
        message = N_("写上赠品名称，例如 前20名赠《健康食谱手册》")
        raise LiveError(message, "gift", code="gift.no_name")
    if draft.gift_name.strip() and not draft.gift_count:
        message = N_("写上赠品名额，例如 前20名赠{gift}")
        raise LiveError(message, "gift", code="gift.no_count", gift=draft.gift_name)
    if draft.cap is not None and draft.gift_count > draft.cap:
        message = N_(
            "赠品名额 {n} 比限量 {cap} 还多：只有按直播价成交的订单才送赠品，请调低名额或提高限量"
        )
        raise LiveError(message, "gift", code="gift.above_cap", n=draft.gift_count, cap=draft.cap)


def _apply(session: Session, live: Livestream, sale: FlashSale, draft: FlashDraft) -> None:
    sale.item_id = draft.item_id
    sale.live_price_cents = draft.live_price_cents
    sale.segment_id = draft.segment_id
    sale.start_minute, sale.end_minute = draft.start_minute, draft.end_minute
    if draft.segment_id is not None:
        segments = session.exec(
            select(Segment)
            .where(col(Segment.livestream_id) == live.id)
            .order_by(col(Segment.position), col(Segment.id))
        ).all()
        offsets = planned_offsets(list(segments))
        if draft.segment_id not in offsets:
            message = N_("要绑定的环节不在这场直播的流程里")
            raise LiveError(message, "segment_id", code="segment.not_in_show")
        sale.start_minute, sale.end_minute = offsets[draft.segment_id]
    sale.cap = draft.cap
    sale.gift_name = draft.gift_name.strip()
    sale.gift_count = draft.gift_count
    session.add(sale)
    session.flush()
    check_overlaps(session, live.id or 0)


def add_flash_sale(session: Session, live_id: int, draft: FlashDraft) -> FlashSale:
    """Add a flash sale to a livestream (flushed, not committed)."""
    live = get_live(session, live_id)
    if live.status == LiveStatus.ENDED:
        raise LiveError(N_("直播已结束，不能再加秒杀"), code="live.ended")
    _check_draft(session, live, draft)
    sale = FlashSale(livestream_id=live_id, item_id=draft.item_id, live_price_cents=0)
    _apply(session, live, sale, draft)
    return sale


def update_flash_sale(session: Session, sale_id: int, draft: FlashDraft) -> FlashSale:
    """Change a flash sale; orders already taken keep the price they were taken at."""
    sale = get_sale(session, sale_id)
    live = get_live(session, sale.livestream_id)
    if live.status == LiveStatus.ENDED:
        raise LiveError(N_("直播已结束，秒杀不能再改"), code="live.ended")
    _check_draft(session, live, draft)
    if draft.item_id != sale.item_id and _has_orders(session, sale_id):
        message = N_("这个秒杀已经有订单，不能换商品；可以停止它再新建一个")
        raise LiveError(message, "item_id", code="sale.has_orders")
    _apply(session, live, sale, draft)
    return sale


def delete_flash_sale(session: Session, sale_id: int) -> None:
    """Delete a flash sale that has sold nothing."""
    sale = get_sale(session, sale_id)
    if _has_orders(session, sale_id):
        message = N_("已经有订单按这个秒杀价成交，不能删除；直播中可以停止它")
        raise LiveError(message, code="sale.has_orders")
    session.delete(sale)
    session.flush()


def get_sale(session: Session, sale_id: int) -> FlashSale:
    """The flash sale, or a LiveError saying it does not exist."""
    sale = session.get(FlashSale, sale_id)
    if sale is None:
        raise LiveError(N_("找不到秒杀 {id}"), code="sale.not_found", id=sale_id)
    return sale


def _has_orders(session: Session, sale_id: int) -> bool:
    stmt = select(OrderLine.id).where(col(OrderLine.flash_sale_id) == sale_id).limit(1)
    return session.exec(stmt).first() is not None
