"""Livestreams (直播): the list, the run-of-show and the stored summary."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from tuan.i18n import _
from tuan.models import ChainItem, Livestream, Segment

STATUS_LABELS = {"planned": "待开播", "live": "直播中", "ended": "已结束"}


def status_label(status: str) -> str:
    """The Chinese label of a livestream status."""
    return _(STATUS_LABELS.get(status, status))


@dataclass(frozen=True)
class LiveRow:
    """One line of the livestreams list."""

    id: int
    series: str
    episode: int
    theme: str
    host: str
    scheduled_at: datetime | None
    status: str
    chain_id: int | None
    summary: dict[str, float | int]


@dataclass(frozen=True)
class SegmentRow:
    """One row of a run-of-show."""

    id: int
    position: int
    title: str
    planned_minutes: int
    talking_points: str
    item_name: str


def list_livestreams(session: Session) -> list[LiveRow]:
    """Livestreams, the next one first, then past ones newest first."""
    lives = session.exec(select(Livestream)).all()
    upcoming = sorted((x for x in lives if x.status != "ended"), key=_when)
    past = sorted((x for x in lives if x.status == "ended"), key=_when, reverse=True)
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
        )
        for x in [*upcoming, *past]
    ]


def _when(live: Livestream) -> str:
    return live.scheduled_at.isoformat() if live.scheduled_at else ""


def run_of_show(session: Session, livestream_id: int) -> list[SegmentRow]:
    """The segments of a livestream in order, with the featured item's name."""
    stmt = (
        select(Segment, ChainItem.name)
        .outerjoin(ChainItem, col(ChainItem.id) == col(Segment.item_id))
        .where(col(Segment.livestream_id) == livestream_id)
        .order_by(col(Segment.position))
    )
    return [
        SegmentRow(
            id=seg.id or 0,
            position=seg.position,
            title=seg.title,
            planned_minutes=seg.planned_minutes,
            talking_points=seg.talking_points,
            item_name=item_name or "",
        )
        for seg, item_name in session.exec(stmt)  # type: ignore[call-overload]
    ]
