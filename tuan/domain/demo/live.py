"""The demo's livestream series 《厨房里的健康密码》: two past episodes and the next one."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from tuan.domain.demo import story
from tuan.domain.live.summary import LiveOrderFact, summarize
from tuan.models import Chain, ChainItem, FlashSale, Livestream, Order, OrderLine, Segment

if TYPE_CHECKING:
    from tuan.domain.demo.builder import DemoBuilder

# episode → (days ago, conversion, flash price share, cap, gift, gift count)
PAST = {1: (60, 0.48, 0.8, 30, "小米试吃装", 20), 2: (25, 0.65, 0.75, 40, "燕麦片试吃装", 20)}


def add_livestreams(builder: DemoBuilder) -> None:
    """Add the series; past episodes get actual timings, flash-sale orders and a summary."""
    for episode, theme, host, peak, segments in story.EPISODES:
        if episode in PAST:
            _past_episode(builder, episode, theme, host, peak, segments)
        else:
            _upcoming_episode(builder, episode, theme, host, segments)


def _chain_opened_near(builder: DemoBuilder, days_ago: int) -> dict[str, Any]:
    target = builder.today - timedelta(days=days_ago)
    chains = [c for c in builder.rows.tables[Chain] if c["status"] == "done"]
    return min(chains, key=lambda c: abs((c["created_at"].date() - target).days))


def _ensure_item(builder: DemoBuilder, chain_id: int, key: str) -> dict[str, Any]:
    items = builder.items_by_chain[chain_id]
    if key not in items:
        product = next(p for p in story.PRODUCTS if p[0] == key)
        _key, name, spec, price, original, limit, stock, aliases = product
        row = {
            "chain_id": chain_id,
            "position": len(items),
            "code": "ABCDEFGHIJ"[len(items)],
            "name": name,
            "spec": spec,
            "price_cents": price,
            "original_price_cents": original,
            "limit_per_person": limit,
            "stock": stock,
            "aliases": aliases,
            "cost_cents": story.COSTS.get(key),
        }
        row["id"] = builder.rows.add(ChainItem, **row)
        items[key] = row
    return items[key]


def _add_segments(
    builder: DemoBuilder, live_id: int, chain_id: int, segments: list[tuple], start: Any
) -> list[int]:
    ids, moment = [], start
    for position, (title, minutes, points, product) in enumerate(segments):
        item = _ensure_item(builder, chain_id, product) if product else None
        actual: int = minutes + builder.rng.randint(-1, 3) if start else 0  # 0: not shown yet
        ids.append(
            builder.rows.add(
                Segment,
                livestream_id=live_id,
                position=position,
                title=title,
                planned_minutes=minutes,
                talking_points=points,
                item_id=item["id"] if item else None,
                started_at=moment,
                ended_at=moment + timedelta(minutes=actual) if start else None,
            )
        )
        if start:
            moment = moment + timedelta(minutes=actual)
    return ids


def _flash_segment(segments: list[tuple]) -> tuple[int, int, str]:
    """Index, start minute and product of the run-of-show's 秒杀 segment."""
    offset = 0
    for index, (title, minutes, _points, product) in enumerate(segments):
        if title.startswith("秒杀"):
            return index, offset, product
        offset += minutes
    raise ValueError("episode without a flash sale")


def _past_episode(
    builder: DemoBuilder, episode: int, theme: str, host: str, peak: int, segments: list[tuple]
) -> None:
    days_ago, conversion, share, cap, gift, gift_count = PAST[episode]
    chain = _chain_opened_near(builder, days_ago)
    day = chain["created_at"].date()
    start = builder.at(day, 19, 30)
    live_id = _add_live(
        builder, episode, theme, host, start, chain["id"], status="ended", started_at=start,
        current_segment=len(segments) - 1, peak_viewers=peak,
    )  # fmt: skip
    seg_ids = _add_segments(builder, live_id, chain["id"], segments, start)
    rows = builder.rows.tables[Segment][-len(segments) :]
    builder.rows.tables[Livestream][live_id - 1]["ended_at"] = rows[-1]["ended_at"]
    index, offset, product = _flash_segment(segments)
    item = _ensure_item(builder, chain["id"], product)
    flash_id = builder.rows.add(
        FlashSale,
        livestream_id=live_id,
        item_id=item["id"],
        live_price_cents=round(item["price_cents"] * share / 100) * 100,
        start_minute=offset,
        end_minute=offset + segments[index][1],
        segment_id=seg_ids[index],
        cap=cap,
        gift_name=gift,
        gift_count=gift_count,
        started_at=rows[index]["started_at"],
        stopped_at=rows[index]["ended_at"],
    )
    facts = _live_orders(builder, live_id, chain, item, flash_id, round(peak * conversion))
    summary = summarize(peak, facts)
    builder.rows.tables[Livestream][live_id - 1]["summary_json"] = json.dumps(summary.as_dict())


def _live_orders(
    builder: DemoBuilder,
    live_id: int,
    chain: dict[str, Any],
    item: dict[str, Any],
    flash_id: int,
    count: int,
) -> list[LiveOrderFact]:
    """Orders of the flash-sale segment, priced and gifted by the one price rule.

    Their times stay the history's (spread over the day), so other areas' views keep their data.
    """
    flash = builder.rows.tables[FlashSale][flash_id - 1]
    live = builder.rows.tables[Livestream][live_id - 1]
    already = {o["member_id"] for o in builder.rows.tables[Order] if o["chain_id"] == chain["id"]}
    bought_before = {
        o["member_id"] for o in builder.rows.tables[Order] if o["created_at"] < live["started_at"]
    }
    candidates = [m["id"] for m in builder.members if m["id"] not in already]
    buyers = builder.rng.sample(candidates, k=min(count, len(candidates)))
    facts: list[LiveOrderFact] = []
    sold = gifts = 0
    for member_id in buyers:
        fact, at_flash = _live_order(
            builder, live_id, chain["id"], item, flash, member_id, sold, gifts
        )
        sold += at_flash
        gifts += fact.gift_key is not None
        facts.append(replace(fact, first_purchase=member_id not in bought_before))
    return facts


def _live_order(
    builder: DemoBuilder,
    live_id: int,
    chain_id: int,
    item: dict[str, Any],
    flash: dict[str, Any],
    member_id: int,
    sold: int,
    gifts: int,
) -> tuple[LiveOrderFact, bool]:
    """One unit of the flash item: the live price while the cap lasts, the gift to the first N."""
    at_flash = sold < flash["cap"]
    gift = flash["gift_name"] if at_flash and gifts < flash["gift_count"] else ""
    price = flash["live_price_cents"] if at_flash else item["price_cents"]
    order_id = builder.add_order(
        chain_id,
        member_id,
        flash["started_at"].date(),
        "done",
        channel="live",
        livestream_id=live_id,
        items=[item],
        price=price,
        flash_sale_id=flash["id"] if at_flash else None,
        gift=gift,
    )
    line = builder.rows.tables[OrderLine][-1]
    line["qty"] = line["collected_qty"] = 1
    gift_key = flash["id"] if gift else None
    return LiveOrderFact(order_id, member_id, price, gift_key, first_purchase=False), at_flash


def _add_live(
    builder: DemoBuilder,
    episode: int,
    theme: str,
    host: str,
    start: Any,
    chain_id: int,
    **state: Any,
) -> int:
    """One episode of the series; `state` overrides the not-yet-started defaults."""
    row = {
        "series": story.SERIES, "episode": episode, "theme": theme, "host": host,
        "scheduled_at": start, "chain_id": chain_id, "status": "planned", "started_at": None,
        "ended_at": None, "current_segment": 0, "viewers": 0, "peak_viewers": 0,
        "summary_json": "",
    }  # fmt: skip
    return builder.rows.add(Livestream, **(row | state))


def _upcoming_episode(
    builder: DemoBuilder, episode: int, theme: str, host: str, segments: list[tuple]
) -> None:
    chain = builder.rows.tables[Chain][-1]  # the chain open now sells the kit
    start = builder.at(builder.today + timedelta(days=1), 19, 30)
    live_id = _add_live(builder, episode, theme, host, start, chain["id"], status="planned")
    seg_ids = _add_segments(builder, live_id, chain["id"], segments, None)
    index, offset, product = _flash_segment(segments)
    item = _ensure_item(builder, chain["id"], product)
    builder.rows.add(
        FlashSale,
        livestream_id=live_id,
        item_id=item["id"],
        live_price_cents=19900,
        start_minute=offset,
        end_minute=offset + segments[index][1],
        segment_id=seg_ids[index],
        cap=50,
        gift_name="电子书《家庭用油指南》",
        gift_count=20,
        started_at=None,
        stopped_at=None,
    )
