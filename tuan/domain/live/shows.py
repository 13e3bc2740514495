"""Livestreams (直播): the list, creating and editing a livestream, and its run-of-show.

The run-of-show is an ordered list of segments (环节). Positions are kept dense (0, 1, 2, …) after
every change, and flash sales tied to a segment follow it: their planned window is the segment's
planned place in the show (see `sync_tied_sales`). Functions add to the caller's session; the
caller commits with `Database.transaction()`, so a refused change leaves nothing behind.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from tuan import clock
from tuan.domain.live.errors import LiveError as LiveError  # other areas catch it from here
from tuan.domain.live.windows import check_overlaps, planned_offsets
from tuan.domain.shared.rows import LiveRow
from tuan.domain.shared.states import LiveStatus
from tuan.i18n import N_, _
from tuan.models import Chain, ChainItem, FlashSale, Livestream, Segment

STATUS_LABELS: dict[str, str] = {
    LiveStatus.PLANNED: N_("待开播"),
    LiveStatus.LIVE: N_("直播中"),
    LiveStatus.ENDED: N_("已结束"),
}
MAX_SEGMENT_MINUTES = 600
MAX_TITLE = 60


def status_label(status: str) -> str:
    """The Chinese label of a livestream status."""
    return _(STATUS_LABELS.get(status, status))


@dataclass(frozen=True)
class SegmentRow:
    """One row of a run-of-show."""

    id: int
    position: int
    title: str
    planned_minutes: int
    talking_points: str
    item_name: str
    item_id: int | None = None
    start_minute: int = 0  # planned offset into the live


def list_livestreams(session: Session) -> list[LiveRow]:
    """Livestreams, the next one first, then past ones newest first."""
    rows = session.exec(
        select(Livestream, Chain.title).outerjoin(Chain, col(Chain.id) == col(Livestream.chain_id))
    ).all()
    titles = {live.id: title or "" for live, title in rows}
    lives = [live for live, _title in rows]
    upcoming = sorted((x for x in lives if x.status != LiveStatus.ENDED), key=_when)
    past = sorted((x for x in lives if x.status == LiveStatus.ENDED), key=_when, reverse=True)
    return [
        LiveRow(
            id=x.id or 0,
            series=x.series,
            episode=x.episode,
            theme=x.theme,
            host=x.host,
            scheduled_at=x.scheduled_at,
            status=x.status,
            chain_id=x.chain_id,
            summary=json.loads(x.summary_json) if x.summary_json else {},
            chain_title=titles.get(x.id, ""),
        )
        for x in [*upcoming, *past]
    ]


def _when(live: Livestream) -> str:
    return live.scheduled_at.isoformat() if live.scheduled_at else ""


def run_of_show(session: Session, livestream_id: int) -> list[SegmentRow]:
    """The segments of a livestream in order, with the featured item and planned start minute."""
    stmt = (
        select(Segment, ChainItem.name)
        .outerjoin(ChainItem, col(ChainItem.id) == col(Segment.item_id))
        .where(col(Segment.livestream_id) == livestream_id)
        .order_by(col(Segment.position), col(Segment.id))
    )
    rows, offset = [], 0
    for seg, item_name in session.exec(stmt):
        rows.append(
            SegmentRow(
                id=seg.id or 0,
                position=seg.position,
                title=seg.title,
                planned_minutes=seg.planned_minutes,
                talking_points=seg.talking_points,
                item_name=item_name or "",
                item_id=seg.item_id,
                start_minute=offset,
            )
        )
        offset += seg.planned_minutes
    return rows


def get_live(session: Session, live_id: int) -> Livestream:
    """The livestream, or a LiveError saying it does not exist."""
    live = session.get(Livestream, live_id)
    if live is None:
        raise LiveError(N_("找不到直播 {id}"), code="live.not_found", id=live_id)
    return live


# --- creating and editing a livestream -------------------------------------------------------


@dataclass(frozen=True)
class LiveDraft:
    """What the leader fills in for a livestream."""

    theme: str
    series: str = ""
    episode: int = 1
    host: str = ""
    scheduled_at: datetime | None = None
    chain_id: int | None = None


def _check_live_draft(session: Session, draft: LiveDraft) -> None:
    if not draft.theme.strip():
        message = N_("主题不能为空：写这一期讲什么，例如 食用油的选择")
        raise LiveError(message, "theme", code="theme.empty")
    if len(draft.theme.strip()) > MAX_TITLE:
        message = N_("主题太长（最多 {n} 个字）")
        raise LiveError(message, "theme", code="theme.too_long", n=MAX_TITLE)
    if len(draft.series.strip()) > MAX_TITLE:
        message = N_("系列名太长（最多 {n} 个字）")
        raise LiveError(message, "series", code="series.too_long", n=MAX_TITLE)
    if len(draft.host.strip()) > 40:
        raise LiveError(N_("主播名太长（最多 40 个字）"), "host", code="host.too_long")
    if draft.episode < 1:
        raise LiveError(N_("期数必须是正整数"), "episode", code="episode.range")
    if draft.chain_id is not None and session.get(Chain, draft.chain_id) is None:
        message = N_("找不到接龙 {id}：用接龙区的编号")
        raise LiveError(message, "chain_id", code="chain.not_found", id=draft.chain_id)


def _check_time(draft: LiveDraft, old: datetime | None) -> None:
    """A new or changed start time may not lie in the past (keeping a saved one is fine)."""
    when = draft.scheduled_at
    if when is None or when >= clock.now():
        return
    shown = f"{clock.local(when):%Y-%m-%d %H:%M}"
    if old is not None and f"{clock.local(old):%Y-%m-%d %H:%M}" == shown:
        return
    message = N_("开播时间已经过了：{when}，请填以后的时间（马上开播可以不填）")
    raise LiveError(message, "scheduled_at", code="when.past", when=shown)


def create_livestream(session: Session, draft: LiveDraft) -> Livestream:
    """Add a planned livestream (flushed, not committed)."""
    _check_live_draft(session, draft)
    _check_time(draft, None)
    live = Livestream(
        theme=draft.theme.strip(),
        series=draft.series.strip(),
        episode=draft.episode,
        host=draft.host.strip(),
        scheduled_at=draft.scheduled_at,
        chain_id=draft.chain_id,
    )
    session.add(live)
    session.flush()
    return live


def update_livestream(session: Session, live_id: int, draft: LiveDraft) -> Livestream:
    """Change a livestream's details; the chain can change only while nothing uses its items."""
    live = get_live(session, live_id)
    _check_live_draft(session, draft)
    _check_time(draft, live.scheduled_at)
    if draft.chain_id != live.chain_id:
        _check_chain_change(session, live, draft.chain_id)
    live.theme = draft.theme.strip()
    live.series = draft.series.strip()
    live.episode = draft.episode
    live.host = draft.host.strip()
    live.scheduled_at = draft.scheduled_at
    live.chain_id = draft.chain_id
    session.add(live)
    session.flush()
    return live


def _check_chain_change(session: Session, live: Livestream, chain_id: int | None) -> None:
    if live.status != LiveStatus.PLANNED:
        raise LiveError(N_("开播后不能再换接龙"), "chain_id", code="live.started")
    keep = set() if chain_id is None else set(_chain_item_ids(session, chain_id))
    used = {s.item_id for s in segments_of(session, live.id or 0) if s.item_id is not None}
    used |= {s.item_id for s in _sales(session, live.id or 0)}
    if used - keep:
        message = N_("流程或秒杀里用到了原接龙的商品：先改掉这些环节的主推商品、删掉秒杀，再换接龙")
        raise LiveError(message, "chain_id", code="chain.items_in_use")


def _chain_item_ids(session: Session, chain_id: int) -> list[int]:
    stmt = select(ChainItem.id).where(col(ChainItem.chain_id) == chain_id)
    return [int(i) for i in session.exec(stmt) if i is not None]


def segments_of(session: Session, live_id: int) -> list[Segment]:
    """A livestream's segments in run-of-show order."""
    stmt = (
        select(Segment)
        .where(col(Segment.livestream_id) == live_id)
        .order_by(col(Segment.position), col(Segment.id))
    )
    return list(session.exec(stmt))


def _sales(session: Session, live_id: int) -> list[FlashSale]:
    stmt = select(FlashSale).where(col(FlashSale.livestream_id) == live_id)
    return list(session.exec(stmt.order_by(col(FlashSale.id))))


def delete_livestream(session: Session, live_id: int) -> None:
    """Delete a planned livestream with its run-of-show and flash sales."""
    live = get_live(session, live_id)
    if live.status != LiveStatus.PLANNED:
        message = N_("只能删除还没开播的直播；开过播的直播有订单和数据要保留")
        raise LiveError(message, code="live.started")
    for sale in _sales(session, live_id):
        session.delete(sale)
    session.flush()
    for segment in segments_of(session, live_id):
        session.delete(segment)
    session.flush()
    session.delete(live)
    session.flush()


# --- the run-of-show -------------------------------------------------------------------------


@dataclass(frozen=True)
class SegmentDraft:
    """What the leader fills in for a segment."""

    title: str
    planned_minutes: int = 5
    talking_points: str = ""
    item_id: int | None = None


def _check_segment_draft(session: Session, live: Livestream, draft: SegmentDraft) -> None:
    if not draft.title.strip():
        raise LiveError(N_("环节标题不能为空，例如 开场：今天聊什么"), "title", code="title.empty")
    if len(draft.title.strip()) > MAX_TITLE:
        message = N_("环节标题太长（最多 {n} 个字）")
        raise LiveError(message, "title", code="title.too_long", n=MAX_TITLE)
    if not 0 <= draft.planned_minutes <= MAX_SEGMENT_MINUTES:
        message = N_("时长要在 0 到 {max} 分钟之间")
        raise LiveError(message, "planned_minutes", code="minutes.range", max=MAX_SEGMENT_MINUTES)
    if draft.item_id is not None:
        item = session.get(ChainItem, draft.item_id)
        if item is None or live.chain_id is None or item.chain_id != live.chain_id:
            message = N_("主推商品要在这场直播关联的接龙里：先关联接龙，再从它的商品里选")
            raise LiveError(message, "item_id", code="segment.item_not_in_chain")


def _editable(live: Livestream) -> None:
    if live.status == LiveStatus.ENDED:
        raise LiveError(N_("直播已结束，流程不能再改"), code="live.ended")


def _locked(live: Livestream, position: int) -> bool:
    """While live, segments already reached are history: they cannot move or go."""
    return live.status == LiveStatus.LIVE and position <= live.current_segment


def add_segment(
    session: Session, live_id: int, draft: SegmentDraft, position: int | None = None
) -> Segment:
    """Insert a segment at `position` (default: the end); returns it (flushed)."""
    live = get_live(session, live_id)
    _editable(live)
    _check_segment_draft(session, live, draft)
    segments = segments_of(session, live_id)
    at = len(segments) if position is None else max(0, min(position, len(segments)))
    if live.status == LiveStatus.LIVE and at <= live.current_segment:
        at = live.current_segment + 1
    segment = Segment(
        livestream_id=live_id,
        title=draft.title.strip(),
        planned_minutes=draft.planned_minutes,
        talking_points=draft.talking_points.strip(),
        item_id=draft.item_id,
    )
    segments.insert(at, segment)
    session.add(segment)
    _renumber(session, segments)
    sync_tied_sales(session, live_id)
    return segment


def update_segment(session: Session, segment_id: int, draft: SegmentDraft) -> Segment:
    """Change a segment's title, minutes, talking points or featured item."""
    segment = _get_segment(session, segment_id)
    live = get_live(session, segment.livestream_id)
    _editable(live)
    _check_segment_draft(session, live, draft)
    segment.title = draft.title.strip()
    segment.planned_minutes = draft.planned_minutes
    segment.talking_points = draft.talking_points.strip()
    segment.item_id = draft.item_id
    session.add(segment)
    session.flush()
    sync_tied_sales(session, live.id or 0)
    return segment


def delete_segment(session: Session, segment_id: int) -> None:
    """Remove a segment; a flash sale tied to it keeps its window as plain minutes."""
    segment = _get_segment(session, segment_id)
    live = get_live(session, segment.livestream_id)
    _editable(live)
    if _locked(live, segment.position):
        raise LiveError(N_("这个环节已经播过或正在播，不能删除"), code="segment.locked")
    for sale in _sales(session, live.id or 0):
        if sale.segment_id == segment_id:
            sale.segment_id = None
            session.add(sale)
    session.flush()
    session.delete(segment)
    session.flush()
    _renumber(session, segments_of(session, live.id or 0))
    sync_tied_sales(session, live.id or 0)


def move_segment(session: Session, segment_id: int, delta: int) -> int:
    """Move a segment up (delta < 0) or down; returns its new position (unchanged at an end)."""
    segment = _get_segment(session, segment_id)
    live = get_live(session, segment.livestream_id)
    _editable(live)
    segments = segments_of(session, live.id or 0)
    index = next(i for i, s in enumerate(segments) if s.id == segment_id)
    target = max(0, min(index + delta, len(segments) - 1))
    if target == index:
        return index
    if _locked(live, index) or _locked(live, target):
        raise LiveError(N_("直播中只能调整还没开始的环节"), code="segment.locked")
    segments.insert(target, segments.pop(index))
    _renumber(session, segments)
    sync_tied_sales(session, live.id or 0)
    return target


def _get_segment(session: Session, segment_id: int) -> Segment:
    segment = session.get(Segment, segment_id)
    if segment is None:
        raise LiveError(N_("找不到环节 {id}"), code="segment.not_found", id=segment_id)
    return segment


def _renumber(session: Session, segments: list[Segment]) -> None:
    for position, segment in enumerate(segments):
        if segment.position != position:
            segment.position = position
        session.add(segment)
    session.flush()


def sync_tied_sales(session: Session, live_id: int) -> None:
    """Give flash sales tied to a segment that segment's planned window, then re-check overlaps.

    Raises:
        LiveError: the new run-of-show would make two flash sales of one item overlap.
    """
    offsets = planned_offsets(segments_of(session, live_id))
    for sale in _sales(session, live_id):
        if sale.segment_id is not None and sale.segment_id in offsets:
            sale.start_minute, sale.end_minute = offsets[sale.segment_id]
            session.add(sale)
    session.flush()
    check_overlaps(session, live_id)
