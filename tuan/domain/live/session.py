"""Running a livestream: start, move through segments, open and close flash sales, end.

Everything the live mode shows is in the database the moment it happens — the status, the current
segment with actual start and end times, each flash sale's actual window, the viewer counts and the
orders — so reopening the app after a crash resumes the live where it was. Each function changes
the caller's session; live mode commits every step in its own transaction.

A flash sale tied to a segment opens when that segment starts and closes when it ends.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlmodel import Session, col, select

from tuan import clock
from tuan.domain.live.flash import get_sale
from tuan.domain.live.shows import LiveError, get_live, segments_of
from tuan.domain.live.summary import LiveSummary, compute_summary
from tuan.domain.shared.orders import cancel_order
from tuan.domain.shared.pricing import flash_window, is_open
from tuan.domain.shared.states import LiveStatus, OrderStatus
from tuan.i18n import N_
from tuan.models import FlashSale, Livestream, Member, Order, Segment

MAX_VIEWERS = 10_000_000


def running_live(session: Session) -> Livestream | None:
    """The livestream on air now, if any (only one at a time)."""
    stmt = (
        select(Livestream)
        .where(col(Livestream.status) == LiveStatus.LIVE)
        .order_by(col(Livestream.id))
    )
    return session.exec(stmt).first()


def _sales(session: Session, live_id: int) -> list[FlashSale]:
    stmt = select(FlashSale).where(col(FlashSale.livestream_id) == live_id)
    return list(session.exec(stmt.order_by(col(FlashSale.start_minute), col(FlashSale.id))))


def _on_air(session: Session, live_id: int) -> Livestream:
    live = get_live(session, live_id)
    if live.status == LiveStatus.PLANNED:
        raise LiveError(N_("直播还没开始：先开播"), code="live.not_started")
    if live.status == LiveStatus.ENDED:
        raise LiveError(N_("直播已经结束了"), code="live.ended")
    return live


def start_live(session: Session, live_id: int, moment: datetime | None = None) -> Livestream:
    """Go on air: the live and its first segment start now."""
    moment = moment or clock.now()
    live = get_live(session, live_id)
    if live.status == LiveStatus.LIVE:
        raise LiveError(N_("已经在直播中了"), code="live.on_air")
    if live.status == LiveStatus.ENDED:
        raise LiveError(N_("这场直播已经结束，不能再开播；可以新建下一期"), code="live.ended")
    other = running_live(session)
    if other is not None:
        message = N_("《{theme}》正在直播：先结束它再开新的一场")
        raise LiveError(message, code="live.other_on_air", theme=other.theme)
    segments = segments_of(session, live_id)
    if not segments:
        raise LiveError(N_("流程还是空的：先在流程里加至少一个环节"), code="live.no_segments")
    live.status, live.started_at, live.ended_at = LiveStatus.LIVE, moment, None
    live.current_segment = 0
    session.add(live)
    for segment in segments:
        segment.started_at = segment.ended_at = None
        session.add(segment)
    session.flush()
    _enter(session, live, segments[0], moment)
    return live


def _enter(session: Session, live: Livestream, segment: Segment, moment: datetime) -> None:
    segment.started_at, segment.ended_at = moment, None
    session.add(segment)
    for sale in _sales(session, live.id or 0):
        # A sale already opened by hand stays as it is; one waiting (or opened only by its
        # planned minute while the show ran late) runs from the segment's real start.
        manual = sale.started_at is not None and is_open(sale, live, moment)
        if sale.segment_id == segment.id and not manual:
            sale.started_at, sale.stopped_at = moment, None
            session.add(sale)
    session.flush()


def _leave(session: Session, live: Livestream, segment: Segment, moment: datetime) -> None:
    segment.ended_at = moment
    session.add(segment)
    for sale in _sales(session, live.id or 0):
        if sale.segment_id == segment.id and is_open(sale, live, moment):
            _close(sale, live, moment)
            session.add(sale)
    session.flush()


def _close(sale: FlashSale, live: Livestream, moment: datetime) -> None:
    start, _end = flash_window(sale, live)
    sale.started_at = sale.started_at or start
    sale.stopped_at = moment


def next_segment(session: Session, live_id: int, moment: datetime | None = None) -> Segment:
    """End the current segment and start the next one; returns the new current segment."""
    moment = moment or clock.now()
    live = _on_air(session, live_id)
    segments = segments_of(session, live_id)
    if live.current_segment >= len(segments) - 1:
        raise LiveError(N_("已经是最后一个环节了：要收尾就结束直播"), code="segment.last")
    _leave(session, live, segments[live.current_segment], moment)
    live.current_segment += 1
    session.add(live)
    _enter(session, live, segments[live.current_segment], moment)
    return segments[live.current_segment]


def previous_segment(session: Session, live_id: int, moment: datetime | None = None) -> Segment:
    """Undo a step forward: the current segment goes back to not started, the one before resumes."""
    moment = moment or clock.now()
    live = _on_air(session, live_id)
    segments = segments_of(session, live_id)
    if live.current_segment <= 0:
        raise LiveError(N_("已经是第一个环节了"), code="segment.first")
    current = segments[live.current_segment]
    for sale in _sales(session, live_id):
        if sale.segment_id == current.id and is_open(sale, live, moment):
            _close(sale, live, moment)
            session.add(sale)
    current.started_at = current.ended_at = None
    session.add(current)
    live.current_segment -= 1
    session.add(live)
    session.flush()
    back = segments[live.current_segment]
    started = back.started_at
    _enter(session, live, back, moment)
    back.started_at = started or moment  # it resumes: its actual start stays when it first began
    session.add(back)
    session.flush()
    return back


def start_flash(session: Session, sale_id: int, moment: datetime | None = None) -> FlashSale:
    """Open a flash sale now (for its planned length, or until stopped when it has no end)."""
    moment = moment or clock.now()
    sale = get_sale(session, sale_id)
    live = _on_air(session, sale.livestream_id)
    if is_open(sale, live, moment):
        raise LiveError(N_("这个秒杀已经在进行中"), code="sale.running")
    for other in _sales(session, live.id or 0):
        if other.id != sale.id and other.item_id == sale.item_id and is_open(other, live, moment):
            raise LiveError(
                N_("同一个商品已经有一个秒杀在进行：先停止它"), code="sale.item_running"
            )
    sale.started_at, sale.stopped_at = moment, None
    session.add(sale)
    session.flush()
    return sale


def stop_flash(session: Session, sale_id: int, moment: datetime | None = None) -> FlashSale:
    """Close a running flash sale now; later orders take the chain price."""
    moment = moment or clock.now()
    sale = get_sale(session, sale_id)
    live = _on_air(session, sale.livestream_id)
    if not is_open(sale, live, moment):
        raise LiveError(N_("这个秒杀没有在进行"), code="sale.not_running")
    _close(sale, live, moment)
    session.add(sale)
    session.flush()
    return sale


def toggle_flash(
    session: Session, live_id: int, moment: datetime | None = None
) -> tuple[FlashSale, bool]:
    """Stop the running flash sale, or start the one that fits now; returns it and True if started.

    The one that fits: tied to the current segment, else selling the current segment's featured
    item, else the first that has not run yet, else the first.
    """
    moment = moment or clock.now()
    live = _on_air(session, live_id)
    sales = _sales(session, live_id)
    running = [s for s in sales if is_open(s, live, moment)]
    if running:
        return stop_flash(session, running[0].id or 0, moment), False
    if not sales:
        raise LiveError(N_("这场直播没有秒杀：在流程编辑里添加"), code="sale.none")
    segments = segments_of(session, live_id)
    current = segments[live.current_segment] if segments else None
    ranked = sorted(
        sales,
        key=lambda s: (
            not (current is not None and s.segment_id == current.id),
            not (current is not None and s.item_id == current.item_id),
            s.started_at is not None,
            s.start_minute,
        ),
    )
    return start_flash(session, ranked[0].id or 0, moment), True


def set_viewers(session: Session, live_id: int, viewers: int) -> Livestream:
    """Record the viewer count the platform shows; the peak keeps the highest."""
    live = _on_air(session, live_id)
    if not 0 <= viewers <= MAX_VIEWERS:
        raise LiveError(N_("观看人数要是 0 或正整数"), "viewers", code="viewers.range")
    live.viewers = viewers
    live.peak_viewers = max(live.peak_viewers, viewers)
    session.add(live)
    session.flush()
    return live


def undo_last_order(session: Session, live_id: int) -> tuple[Order, str]:
    """Cancel the live's most recent active order; returns it and the member's nickname."""
    live = _on_air(session, live_id)
    stmt = (
        select(Order, Member.nickname)
        .join(Member, col(Member.id) == col(Order.member_id))
        .where(col(Order.livestream_id) == live.id, col(Order.status) == OrderStatus.ACTIVE)
        .order_by(col(Order.created_at).desc(), col(Order.id).desc())
    )
    found = session.exec(stmt).first()
    if found is None:
        raise LiveError(N_("这场直播还没有可以撤销的订单"), code="order.nothing_to_undo")
    order, nickname = found
    return cancel_order(session, order.id or 0), nickname


def end_live(session: Session, live_id: int, moment: datetime | None = None) -> LiveSummary:
    """End the live: close the segment and any running flash sale, compute and store the summary."""
    moment = moment or clock.now()
    live = _on_air(session, live_id)
    segments = segments_of(session, live_id)
    if segments:
        _leave(session, live, segments[min(live.current_segment, len(segments) - 1)], moment)
    for sale in _sales(session, live_id):
        if is_open(sale, live, moment):
            _close(sale, live, moment)
            session.add(sale)
    live.status, live.ended_at = LiveStatus.ENDED, moment
    session.add(live)
    session.flush()
    summary = compute_summary(session, live_id)
    live.summary_json = json.dumps(summary.as_dict())
    session.add(live)
    session.flush()
    return summary
