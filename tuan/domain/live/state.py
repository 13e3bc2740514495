"""What the live mode shows, read in one go: segments with planned vs actual times, flash sales
with their windows, sold vs cap and gifts left, recent orders and the running totals.

Read once after each change; between changes the screen only moves the clock, and every
time-dependent answer (`elapsed`, `schedule_delta`, `active_sale`, countdowns) takes `now`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from tuan.domain.live.flash import list_flash_sales
from tuan.domain.live.shows import get_live, run_of_show
from tuan.domain.live.summary import LiveSummary, compute_summary, stored_summary
from tuan.domain.shared.pricing import flash_window
from tuan.domain.shared.rooms import format_room
from tuan.domain.shared.states import LiveStatus, SaleStatus
from tuan.models import Chain, ChainItem, FlashSale, Member, Order, OrderLine, Segment

RECENT_ORDERS = 8


@dataclass(frozen=True)
class SegmentState:
    """A segment with its planned place and what really happened."""

    id: int
    position: int
    title: str
    planned_minutes: int
    talking_points: str
    item_id: int | None
    item_name: str
    planned_start: int  # minutes into the live
    started_at: datetime | None
    ended_at: datetime | None

    def actual_seconds(self, now: datetime) -> float | None:
        """How long it ran (or has run so far); None if it has not started."""
        if self.started_at is None:
            return None
        return ((self.ended_at or now) - self.started_at).total_seconds()


@dataclass(frozen=True)
class SaleState:
    """A flash sale with its real window and how much of it is used."""

    id: int
    item_id: int
    item_name: str
    price_cents: int
    live_price_cents: int
    cap: int | None
    sold: int
    gift_name: str
    gift_count: int
    gifts_given: int
    opens_at: datetime | None
    closes_at: datetime | None
    start_minute: int
    end_minute: int | None
    segment_id: int | None

    @property
    def left(self) -> int | None:
        """Units left at the live price (None: no cap)."""
        return None if self.cap is None else max(self.cap - self.sold, 0)

    @property
    def gifts_left(self) -> int:
        """First-N gifts not yet given."""
        return max(self.gift_count - self.gifts_given, 0)

    def in_window(self, now: datetime) -> bool:
        """True while `now` lies inside the window (start inclusive, end exclusive)."""
        if self.opens_at is None or now < self.opens_at:
            return False
        return self.closes_at is None or now < self.closes_at

    def status(self, now: datetime) -> str:
        """`waiting`, `open`, `sold_out` (window open, cap used up) or `closed`."""
        if self.in_window(now):
            return SaleStatus.SOLD_OUT if self.left == 0 else SaleStatus.OPEN
        if self.opens_at is not None and now >= self.opens_at:
            return SaleStatus.CLOSED
        return SaleStatus.WAITING


@dataclass(frozen=True)
class OrderState:
    """A live order as the order log shows it."""

    id: int
    seq: int
    member: str
    room: str
    items: str
    cents: int
    gift: str
    flash: bool
    status: str
    created_at: datetime


@dataclass(frozen=True)
class LiveState:
    """Everything the live mode shows about one livestream."""

    id: int
    series: str
    episode: int
    theme: str
    host: str
    status: str
    scheduled_at: datetime | None
    started_at: datetime | None
    ended_at: datetime | None
    chain_id: int | None
    chain_title: str
    current: int
    viewers: int
    peak_viewers: int
    segments: tuple[SegmentState, ...]
    sales: tuple[SaleState, ...]
    orders: tuple[OrderState, ...]
    totals: LiveSummary

    @property
    def current_segment(self) -> SegmentState | None:
        """The segment on air (the first one before the live starts)."""
        return self.segments[self.current] if 0 <= self.current < len(self.segments) else None

    @property
    def next_segment(self) -> SegmentState | None:
        """The segment after the current one."""
        index = self.current + 1
        return self.segments[index] if index < len(self.segments) else None

    @property
    def planned_minutes(self) -> int:
        """The whole run-of-show's planned length."""
        return sum(s.planned_minutes for s in self.segments)

    def elapsed(self, now: datetime) -> float:
        """Seconds on air (0 before the start; frozen at the end)."""
        if self.started_at is None:
            return 0.0
        return ((self.ended_at or now) - self.started_at).total_seconds()

    def schedule_delta(self, now: datetime) -> float:
        """Seconds behind the plan (negative: ahead of it)."""
        if self.started_at is None:
            return 0.0
        if self.status == LiveStatus.ENDED and self.ended_at is not None:
            return self.elapsed(now) - self.planned_minutes * 60
        seg = self.current_segment
        if seg is None or seg.started_at is None:
            return 0.0
        planned_start = self.started_at + timedelta(minutes=seg.planned_start)
        late_start = (seg.started_at - planned_start).total_seconds()
        overrun = max((seg.actual_seconds(now) or 0) - seg.planned_minutes * 60, 0)
        return late_start + overrun

    def next_expected(self, now: datetime) -> datetime | None:
        """When the next segment will start if the current one keeps its planned length."""
        seg = self.current_segment
        if seg is None or seg.started_at is None or self.next_segment is None:
            return None
        return max(seg.started_at + timedelta(minutes=seg.planned_minutes), now)

    def planned_at(self, segment: SegmentState) -> datetime | None:
        """The clock time a segment should start, by plan."""
        base = self.started_at or self.scheduled_at
        return None if base is None else base + timedelta(minutes=segment.planned_start)

    def active_sale(self, now: datetime) -> SaleState | None:
        """The flash sale whose window is open now."""
        return next((s for s in self.sales if s.in_window(now)), None)

    def focus_sale(self, now: datetime) -> SaleState | None:
        """The sale to show: the open one, else the next waiting one, else the last that ran."""
        open_now = self.active_sale(now)
        if open_now is not None:
            return open_now
        waiting = [s for s in self.sales if s.status(now) == SaleStatus.WAITING]
        if waiting:
            return waiting[0]
        return self.sales[-1] if self.sales else None


def load_live_state(session: Session, live_id: int) -> LiveState:
    """Read everything the live mode shows (a handful of queries)."""
    live = get_live(session, live_id)
    chain = session.get(Chain, live.chain_id) if live.chain_id else None
    segments = tuple(
        SegmentState(
            id=row.id,
            position=row.position,
            title=row.title,
            planned_minutes=row.planned_minutes,
            talking_points=row.talking_points,
            item_id=row.item_id,
            item_name=row.item_name,
            planned_start=row.start_minute,
            started_at=actual[0],
            ended_at=actual[1],
        )
        for row, actual in zip(
            run_of_show(session, live_id), _actuals(session, live_id), strict=True
        )
    )
    summary = stored_summary(live) if live.status == LiveStatus.ENDED else None
    return LiveState(
        id=live.id or 0,
        series=live.series,
        episode=live.episode,
        theme=live.theme,
        host=live.host,
        status=live.status,
        scheduled_at=live.scheduled_at,
        started_at=live.started_at,
        ended_at=live.ended_at,
        chain_id=live.chain_id,
        chain_title=chain.title if chain else "",
        current=live.current_segment,
        viewers=live.viewers,
        peak_viewers=live.peak_viewers,
        segments=segments,
        sales=_sale_states(session, live_id),
        orders=recent_orders(session, live_id),
        totals=summary or compute_summary(session, live_id),
    )


def _actuals(session: Session, live_id: int) -> list[tuple[datetime | None, datetime | None]]:
    stmt = (
        select(Segment.started_at, Segment.ended_at)
        .where(col(Segment.livestream_id) == live_id)
        .order_by(col(Segment.position), col(Segment.id))
    )
    return [(start, end) for start, end in session.exec(stmt)]


def _sale_states(session: Session, live_id: int) -> tuple[SaleState, ...]:
    live = get_live(session, live_id)
    stored = {
        s.id: s
        for s in session.exec(select(FlashSale).where(col(FlashSale.livestream_id) == live_id))
    }
    states = []
    for row in list_flash_sales(session, live_id):
        opens, closes = flash_window(stored[row.id], live)
        states.append(
            SaleState(
                id=row.id,
                item_id=row.item_id,
                item_name=row.item_name,
                price_cents=row.price_cents,
                live_price_cents=row.live_price_cents,
                cap=row.cap,
                sold=row.sold,
                gift_name=row.gift_name,
                gift_count=row.gift_count,
                gifts_given=row.gifts_given,
                opens_at=opens if live.status != LiveStatus.PLANNED else None,
                closes_at=closes if live.status != LiveStatus.PLANNED else None,
                start_minute=row.start_minute,
                end_minute=row.end_minute,
                segment_id=row.segment_id,
            )
        )
    return tuple(states)


def recent_orders(
    session: Session, live_id: int, limit: int = RECENT_ORDERS
) -> tuple[OrderState, ...]:
    """The live's latest orders (cancelled ones too, marked), newest first."""
    stmt = (
        select(Order, Member.nickname, Member.building, Member.room)
        .join(Member, col(Member.id) == col(Order.member_id))
        .where(col(Order.livestream_id) == live_id)
        .order_by(col(Order.created_at).desc(), col(Order.id).desc())
        .limit(limit)
    )
    found = list(session.exec(stmt))
    ids = [order.id for order, *_rest in found]
    lines: dict[int, list[tuple[str, int, int, str, bool]]] = {}
    line_stmt = (
        select(OrderLine, ChainItem.name)
        .join(ChainItem, col(ChainItem.id) == col(OrderLine.item_id))
        .where(col(OrderLine.order_id).in_(ids))
        .order_by(col(OrderLine.id))
    )
    for line, name in session.exec(line_stmt):
        lines.setdefault(line.order_id, []).append(
            (name, line.qty, line.unit_price_cents, line.gift, line.flash_sale_id is not None)
        )
    return tuple(
        _order_state(order, nick, b, r, lines.get(order.id or 0, [])) for order, nick, b, r in found
    )


def _order_state(
    order: Order,
    nickname: str,
    building: str,
    room: str,
    lines: list[tuple[str, int, int, str, bool]],
) -> OrderState:
    qty_by_name: dict[str, int] = {}
    for name, qty, *_rest in lines:
        qty_by_name[name] = qty_by_name.get(name, 0) + qty
    return OrderState(
        id=order.id or 0,
        seq=order.seq,
        member=nickname,
        room=format_room(building, room),
        items=" ".join(f"{name}×{qty}" for name, qty in qty_by_name.items()),
        cents=sum(qty * price for _n, qty, price, *_r in lines),
        gift=next((gift for *_a, gift, _f in lines if gift), ""),
        flash=any(flash for *_a, flash in lines),
        status=order.status,
        created_at=order.created_at,
    )
