"""The next chain of a series in one step: a draft copy of a chain, moved on by one period.

Most leaders run the same line-up every few days (`绿源生活｜第72期 健康粮油团`). `copy_chain`
makes a new draft with the same items (every column: prices, costs, limits, stock, short names,
codes), description, pickup point and WeChat group, and no entries. Its title counts one period
on (`next_title`), and its deadline and pickup window move by the series' interval
(`series_interval`: from the chain before this one to this one, else 7 days), as many times as it
takes to be after now.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from tuan import clock
from tuan.domain.chains.edit import MAX_TITLE
from tuan.domain.shared.errors import DomainError
from tuan.domain.shared.states import ChainStatus
from tuan.i18n import N_
from tuan.models import Chain, ChainItem

DEFAULT_INTERVAL = timedelta(days=7)
CONTINUED = "（续）"  # i18n-keep: chain text, stays Chinese
# The period number, first match wins: 第72期 (or 第72团/波/弹/轮/季), 72期, No.72, #72.
_NUMBER_RES = (
    re.compile(r"(?<=第)\s*(\d+)(?=\s*[期团波弹轮季])"),  # i18n-keep: title grammar
    re.compile(r"(\d+)(?=\s*期)"),  # i18n-keep: title grammar
    re.compile(r"(?<![A-Za-z])(?:No|NO|no|nO)\s*[.．:：]?\s*(\d+)"),
    re.compile(r"[#＃]\s*(\d+)"),
)
_CONTINUED_RE = re.compile(r"（续(\d*)）$")  # i18n-keep: title grammar
_ITEM_SKIP = {"id", "chain_id"}


class ChainCopyError(DomainError):
    """No chain has this id."""

    code = "chain.copy.unknown"


@dataclass(frozen=True)
class ChainCopy:
    """What `copy_chain` made: the new chain, the one it came from, and how far it moved."""

    chain: Chain
    source_id: int
    shift: timedelta
    items: int


def _number(title: str) -> re.Match[str] | None:
    for pattern in _NUMBER_RES:
        found = pattern.search(title)
        if found is not None:
            return found
    return None


def _renumber(title: str, found: re.Match[str], value: int) -> str:
    digits = found.group(1)
    text = str(value).zfill(len(digits)) if digits.startswith("0") else str(value)
    return title[: found.start(1)] + text + title[found.end(1) :]


def next_title(title: str) -> str:
    """The next period's title: `第72期` → `第73期` (also `72期`, `No.72`, `#72`; zero padding
    kept); a title without a number gets `（续）`, then `（续2）`, `（续3）` …
    """
    found = _number(title)
    if found is not None:
        return _renumber(title, found, int(found.group(1)) + 1)
    continued = _CONTINUED_RE.search(title)
    if continued is not None:
        n = int(continued.group(1) or 1) + 1
        return f"{title[: continued.start()]}（续{n}）"  # i18n-keep: chain text
    base = title[: MAX_TITLE - len(CONTINUED)].rstrip()
    return base + CONTINUED


def previous_title(title: str) -> str | None:
    """The title of the period before (`第72期` → `第71期`, `（续）` → the bare title), or None."""
    found = _number(title)
    if found is not None:
        value = int(found.group(1))
        return _renumber(title, found, value - 1) if value > 1 else None
    continued = _CONTINUED_RE.search(title)
    if continued is None:
        return None
    n = int(continued.group(1) or 1)
    base = title[: continued.start()]
    return base if n <= 1 else (f"{base}（续）" if n == 2 else f"{base}（续{n - 1}）")  # i18n-keep


def _anchor(chain: Chain) -> datetime | None:
    """The moment a chain is placed in time by: its deadline, else its pickup, else creation."""
    return chain.deadline or chain.pickup_start or chain.created_at


def series_interval(session: Session, chain: Chain) -> timedelta:
    """How often this series runs: from the period before (same title, number one less) to this
    chain; 7 days when there is no such chain or it is not earlier.
    """
    before = previous_title(chain.title)
    here = _anchor(chain)
    if before is None or here is None:
        return DEFAULT_INTERVAL
    candidates = session.exec(
        select(Chain).where(col(Chain.title) == before, col(Chain.id) != chain.id)
    ).all()
    earlier = [a for a in (_anchor(c) for c in candidates) if a is not None and a < here]
    return here - max(earlier) if earlier else DEFAULT_INTERVAL


def shift_for(times: list[datetime], interval: timedelta, now: datetime) -> timedelta:
    """The interval times the fewest periods (at least one) that puts every time after `now`."""
    if not times:
        return interval
    earliest = min(times)
    periods = 1
    if earliest + interval <= now:
        periods = (now - earliest) // interval + 1
    while earliest + interval * periods <= now:  # guards rounding
        periods += 1
    return interval * periods


def copy_chain(session: Session, chain_id: int) -> ChainCopy:
    """A new draft chain: the next period of `chain_id`, with its items and no entries.

    Flushed, not committed (the caller's transaction).

    Raises:
        ChainCopyError: no chain has this id.
    """
    source = session.get(Chain, chain_id)
    if source is None:
        raise ChainCopyError(N_("找不到接龙 {id}"), "chain", id=chain_id)
    times = [t for t in (source.deadline, source.pickup_start, source.pickup_end) if t]
    shift = shift_for(times, series_interval(session, source), clock.now())

    def moved(moment: datetime | None) -> datetime | None:
        return None if moment is None else moment + shift

    chain = Chain(
        title=next_title(source.title),
        description=source.description,
        status=ChainStatus.DRAFT,
        deadline=moved(source.deadline),
        pickup_point_id=source.pickup_point_id,
        pickup_start=moved(source.pickup_start),
        pickup_end=moved(source.pickup_end),
        last_group=source.last_group,
    )
    session.add(chain)
    session.flush()
    items = session.exec(
        select(ChainItem)
        .where(col(ChainItem.chain_id) == chain_id)
        .order_by(col(ChainItem.position), col(ChainItem.id))
    ).all()
    for item in items:
        values = {k: v for k, v in item.model_dump().items() if k not in _ITEM_SKIP}
        session.add(ChainItem(chain_id=chain.id or 0, **values))
    session.flush()
    return ChainCopy(chain, chain_id, shift, len(items))
