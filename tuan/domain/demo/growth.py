"""The demo's growth story: the starter kit that leads to the full-size oil, and what each channel
cost.

"购买过入门套装的用户，三个月内对正装油的复购率 78%": a few chains four to six months ago also
offered the starter kit; about three in four of its buyers took the full-size linseed oil in a
later chain within 90 days. Lines are added to orders that already exist (no new orders, no
livestream orders), with a random of its own, so the rest of the story stays as it was. The
leader recorded what each channel cost in each of the last six months.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from tuan.domain.demo import story
from tuan.domain.demo.builder import SEED
from tuan.domain.shared.states import ChainStatus, MemberSource
from tuan.models import Chain, ChainItem, ChannelSpend, Member, Order, OrderLine

if TYPE_CHECKING:
    from tuan.domain.demo.builder import DemoBuilder

KIT_CHAINS = 4
KIT_TAKERS = 0.6  # of a kit chain's orders by members who come back for oil
FOLLOW_ON = 0.85  # of kit buyers with a later linseed chain within 90 days
# channel, yuan per month, note
# i18n-keep: demo data, in the language its leader wrote it
SPEND = [
    ("partner", 300, "5 家点位前台小礼品、海报打印"),
    ("koc", 150, "KOC 样品和感谢礼"),
    ("referral", 100, "老带新手写卡和小礼品"),
    ("live", 200, "直播试吃样品"),
]


def add_growth(builder: DemoBuilder) -> None:
    """The kit's follow-on purchases and the channels' spend."""
    rng = random.Random(SEED + 18)  # its own stream: the builder's draws stay as they were
    _kit_and_oil(builder, rng)
    _koc_neighbours(builder)
    _spend(builder)


def _kit_and_oil(builder: DemoBuilder, rng: random.Random) -> None:
    kit = next(p for p in story.PRODUCTS if p[0] == "kit")
    today = builder.today
    chains = [
        c
        for c in builder.rows.tables[Chain]
        if c["status"] == ChainStatus.DONE
        and today - timedelta(days=180) <= c["created_at"].date() <= today - timedelta(days=110)
    ]
    chosen = chains[:: max(1, len(chains) // KIT_CHAINS)][:KIT_CHAINS]
    lines: dict[int, list[dict[str, Any]]] = {}
    for line in builder.rows.tables[OrderLine]:
        lines.setdefault(line["order_id"], []).append(line)
    orders = [o for o in builder.rows.tables[Order] if o["livestream_id"] is None]
    by_member: dict[int, list[dict[str, Any]]] = {}
    for order in orders:
        by_member.setdefault(order["member_id"], []).append(order)

    def oil_orders(member: int, bought: Any) -> list[dict[str, Any]]:
        return [
            o
            for o in by_member[member]
            if bought < o["created_at"] <= bought + timedelta(days=90)
            and "linseed" in builder.items_by_chain[o["chain_id"]]
        ]

    buyers: dict[int, Any] = {}
    for chain in chosen:
        item = _add_kit(builder, chain["id"], kit)
        for order in (o for o in orders if o["chain_id"] == chain["id"]):
            # Members who come back for oil are the ones the kit won over.
            keen = bool(oil_orders(order["member_id"], order["created_at"]))
            if rng.random() < (KIT_TAKERS if keen else KIT_TAKERS / 4):
                _add_line(builder, order["id"], item)
                buyers.setdefault(order["member_id"], order["created_at"])
    for member, bought in buyers.items():
        later = oil_orders(member, bought)
        if not later or rng.random() >= FOLLOW_ON:
            continue
        order = later[0]
        linseed = builder.items_by_chain[order["chain_id"]]["linseed"]
        if all(line["item_id"] != linseed["id"] for line in lines.get(order["id"], [])):
            _add_line(builder, order["id"], linseed)


def _koc_neighbours(builder: DemoBuilder) -> None:
    """The other KOCs took after 小李 lately: every third recent referral is theirs."""
    kocs = [m["id"] for m in builder.rows.tables[Member] if m["is_koc"]][1:]
    since = builder.today - timedelta(days=180)
    recent = [
        m
        for m in builder.rows.tables[Member]
        if m["source"] == MemberSource.REFERRAL and m["joined_on"] >= since
        and m["referrer_id"] not in (None, 1) and m["referrer_id"] not in kocs
    ]  # fmt: skip
    for index, member in enumerate(recent[::3]):
        member["referrer_id"] = kocs[index % len(kocs)]


def _add_kit(builder: DemoBuilder, chain_id: int, kit: tuple[Any, ...]) -> dict[str, Any]:
    items = builder.items_by_chain[chain_id]
    _key, name, spec, price, original, limit, _stock, aliases = kit
    row: dict[str, Any] = {
        "chain_id": chain_id,
        "position": len(items),
        "code": "ABCDEFGHIJ"[len(items)],
        "name": name,
        "spec": spec,
        "price_cents": price,
        "original_price_cents": original,
        "limit_per_person": limit,
        "stock": None,
        "aliases": aliases,
        "cost_cents": story.COSTS.get("kit"),
    }
    row["id"] = builder.rows.add(ChainItem, **row)
    items["kit"] = row
    return row


def _add_line(builder: DemoBuilder, order_id: int, item: dict[str, Any]) -> None:
    builder.rows.add(
        OrderLine,
        order_id=order_id,
        item_id=item["id"],
        qty=1,
        unit_price_cents=item["price_cents"],
        collected_qty=1,
        flash_sale_id=None,
        gift="",
    )


def _spend(builder: DemoBuilder) -> None:
    year, month = builder.today.year, builder.today.month
    for back in range(5, -1, -1):
        index = year * 12 + month - 1 - back
        label = f"{index // 12:04d}-{index % 12 + 1:02d}"
        first_day = date(index // 12, index % 12 + 1, 1)
        for channel, yuan, note in SPEND:
            # The KOC gifts grew as 小李's neighbours kept coming; the rest stayed steady.
            amount = yuan + (30 * (5 - back) if channel == "koc" else 0)
            builder.rows.add(
                ChannelSpend,
                channel=channel,
                month=label,
                amount_cents=amount * 100,
                note=note,
                created_at=builder.at(first_day, 10),
            )
