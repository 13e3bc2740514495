"""Building the demo story's rows in memory: the scale, the row queue and the builder itself.

The story's steps live in `seed` (which runs them in order), `live` and `reminders`; each step
takes the builder, so the builder knows none of them.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlmodel import SQLModel

from tuan import clock
from tuan.domain.demo import story
from tuan.domain.shared.people import pinyin_initials
from tuan.domain.shared.states import ChainStatus, MemberSource
from tuan.models import (
    Chain,
    ChainItem,
    ChannelSpend,
    Coupon,
    FlashSale,
    Livestream,
    Member,
    MemberTag,
    Meta,
    Order,
    OrderLine,
    Partner,
    Payment,
    PickupPoint,
    PointsEntry,
    Poster,
    Refund,
    Reminder,
    Segment,
    Tag,
    Team,
    TeamMember,
)

SEED = 20261126


@dataclass(frozen=True)
class Scale:
    """How much data to make."""

    members: int
    chains: int
    orders_per_chain: tuple[int, int]


SCALES = {
    "small": Scale(members=300, chains=72, orders_per_chain=(6, 40)),
    "large": Scale(members=5000, chains=500, orders_per_chain=(55, 160)),
    # Ten times the large one (~520,000 orders): how the app holds up at that size
    # (benchmarks/RESULTS.md); never built by the test suite.
    "xl": Scale(members=50000, chains=5000, orders_per_chain=(55, 160)),
}


@dataclass
class Rows:
    """Every row to insert, per table, in insertion order."""

    tables: dict[type, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))

    def add(self, model: type, **values: Any) -> int:
        """Queue a row; returns its id (1-based, per table)."""
        rows = self.tables[model]
        if "id" not in values and model not in (MemberTag, Meta, TeamMember):
            values["id"] = len(rows) + 1
        rows.append(values)
        return int(values.get("id", 0))


class DemoBuilder:
    """Builds the story's rows; one instance per seeding."""

    def __init__(self, scale: Scale, today: date) -> None:
        self.scale = scale
        self.today = today
        self.zone = clock.local_zone()
        self.rng = random.Random(SEED)
        self.rows = Rows()
        self.members: list[dict[str, Any]] = []
        self.first_order: dict[int, date] = {}
        self.items_by_chain: dict[int, dict[str, dict[str, Any]]] = {}
        self.order_count: dict[int, int] = defaultdict(int)
        # Orders paid at their price before a 拼团 made them cheaper: cents paid over the lines.
        self.paid_over: dict[int, int] = {}

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        """An aware datetime in the leader's zone."""
        return datetime.combine(day, time(hour, minute), tzinfo=self.zone)

    def partners_and_posters(self) -> None:
        for index, (name, kind, address, contact, code) in enumerate(story.PARTNERS):
            pid = self.rows.add(
                Partner,
                name=name,
                kind=kind,
                address=address,
                contact=contact,
                code=code,
                notes="前台海报，每月更新",
                created_at=self.at(self.today - timedelta(340), 10),
            )
            added = self.today - timedelta(days=3 + index * 3)
            # Two desks show a WeChat group QR (lasts 7 days): one about to expire, one expired.
            group = code in ("LX02", "TG03")
            payload = f"https://weixin.qq.com/g/lvyuan{code}" if group else None
            self.rows.add(
                Poster,
                partner_id=pid,
                headline=story.POSTER_HEADLINE,
                offer=story.POSTER_OFFER,
                brand=story.BRAND,
                qr_payload=payload or f"https://work.weixin.qq.com/ca/lvyuan?src={code}",
                qr_added_at=self.at(added, 9),
                created_at=self.at(added, 9),
            )

    def pickup_points(self) -> None:
        for name, address in story.PICKUP_POINTS:
            self.rows.add(PickupPoint, name=name, address=address)

    def nickname(self, taken: set[str]) -> str:
        """A plausible, unique WeChat-group nickname."""
        rng = self.rng
        for _attempt in range(20):
            roll = rng.random()
            if roll < 0.45:
                name = rng.choice(story.SURNAMES) + rng.choice(story.NICK_SUFFIXES)
            elif roll < 0.7:
                name = rng.choice(story.GIVEN_NAMES) + rng.choice(["", "妈", "爸", "家"])
            else:
                name = rng.choice(story.SURNAMES) + rng.choice(story.FULL_GIVEN)
            if name not in taken:
                return name
        return f"{name}{len(taken)}"

    def people(self) -> None:
        taken: set[str] = set()
        for nickname, name, building, room, commission in story.KOCS:
            taken.add(nickname)
            self.add_member(nickname, name, building, room, is_koc=True, commission_bp=commission)
        while len(self.members) < self.scale.members:
            nickname = self.nickname(taken)
            taken.add(nickname)
            building = str(self.rng.randint(1, 8))
            room = f"{self.rng.randint(1, 18)}{self.rng.randint(1, 4):02d}"
            self.add_member(nickname, "", building, room)

    def add_member(self, nickname: str, name: str, building: str, room: str, **extra: Any) -> None:
        rng = self.rng
        phone = f"1{rng.choice('3589')}{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}"
        member = {
            "id": len(self.members) + 1,
            "nickname": nickname,
            "name": name,
            "building": building,
            "room": room,
            "initials": pinyin_initials(nickname),
            "phone": phone if rng.random() < 0.8 else "",
            "source": "offline",
            "partner_id": None,
            "referrer_id": None,
            "is_koc": False,
            "commission_bp": 0,
            "joined_on": None,
            "notes": "",
        }
        member.update(extra)
        self.members.append(member)

    def chain_dates(self) -> list[date]:
        """Chain opening days across the last 12 months, the last two reserved for now."""
        start = self.today - timedelta(days=360)
        count = self.scale.chains - 2
        step = (self.today - timedelta(days=8) - start).days / max(count - 1, 1)
        return [start + timedelta(days=round(i * step)) for i in range(count)]

    def history(self) -> None:
        # Neighbours find the group over the year; a few joined lately and have not bought yet.
        order = [m["id"] for m in self.members[len(story.KOCS) :]]
        self.rng.shuffle(order)
        start = self.today - timedelta(days=365)
        self.available_from = {m["id"]: start for m in self.members[: len(story.KOCS)]}
        for rank, member_id in enumerate(order):
            self.available_from[member_id] = start + timedelta(days=round(400 * rank / len(order)))
        products = story.PRODUCTS
        for number, opened in enumerate(self.chain_dates(), start=1):
            picks = self.rng.sample(products[:9], k=self.rng.randint(3, 5))
            self.add_chain(number, opened, picks, status="done")
        waiting = self.add_chain(
            self.scale.chains - 1,
            self.today - timedelta(days=4),
            [products[0], products[1], products[3], products[5]],
            status="closed",
        )
        self.add_chain(
            self.scale.chains,
            self.today - timedelta(days=1),
            [products[9], products[0], products[1], products[2]],
            status="open",
        )
        self.waiting_chain = waiting

    def add_chain(self, number: int, opened: date, picks: list[tuple], status: str) -> int:
        deadline_day = opened + timedelta(days=3)
        pickup_day = opened + timedelta(days=4)
        chain_id = self.rows.add(
            Chain,
            title=f"{story.BRAND}｜第{number}期 健康粮油团",
            status=status,
            description="产地直发，到货后在群里通知。每单附手写感谢卡。",
            deadline=self.at(deadline_day, 20),
            pickup_point_id=1 + (number % 5 == 0),
            pickup_start=self.at(pickup_day, 9),
            pickup_end=self.at(pickup_day, 21),
            created_at=self.at(opened, 9),
        )
        items: dict[str, dict[str, Any]] = {}
        for position, (key, name, spec, price, original, limit, stock, aliases) in enumerate(picks):
            stock = stock or (
                self.rng.choice([None, 60, 80, 120]) if status != ChainStatus.DONE else None
            )
            row = {
                "chain_id": chain_id,
                "position": position,
                "code": "ABCDEFGHIJ"[position],
                "name": name,
                "spec": spec,
                "price_cents": price,
                "original_price_cents": original,
                "limit_per_person": limit,
                "stock": stock,
                "aliases": aliases,
                "cost_cents": story.COSTS.get(key),
            }
            row["id"] = self.rows.add(ChainItem, **row)
            items[key] = row
        self.items_by_chain[chain_id] = items
        if status != ChainStatus.DRAFT:
            self.fill_orders(chain_id, opened, status)
        return chain_id

    def repurchase_target(self, day: date) -> float:
        """The share of buyers who bought before: 35% a year ago rising to 89% now."""
        progress = min(max((day - (self.today - timedelta(days=330))).days / 330, 0.0), 1.0)
        return 0.35 + (0.89 - 0.35) * progress

    def pick_buyers(self, day: date, count: int) -> list[int]:
        returning = [m for m, first in self.first_order.items() if first < day.replace(day=1)]
        fresh = [
            m["id"]
            for m in self.members
            if m["id"] not in self.first_order and self.available_from[m["id"]] <= day
        ]
        buyers: set[int] = set()
        share = self.repurchase_target(day)
        while len(buyers) < count and (returning or fresh):
            pool = returning if (self.rng.random() < share and returning) or not fresh else fresh
            buyers.add(self.rng.choice(pool))
            if len(buyers) >= len(returning) + len(fresh):
                break
        return sorted(buyers, key=lambda _m: self.rng.random())

    def fill_orders(self, chain_id: int, opened: date, status: str) -> None:
        # The group grows over the year: later chains take more entries.
        low, high = self.scale.orders_per_chain
        progress = 1 - (self.today - opened).days / 365
        expected = low + (high - low) * progress
        count = round(expected * self.rng.uniform(0.85, 1.15)) if status != ChainStatus.OPEN else 11
        for member_id in self.pick_buyers(opened, count):
            self.add_order(chain_id, member_id, opened, status)

    def add_order(self, chain_id: int, member_id: int, day: date, status: str, **extra: Any) -> int:
        self.order_count[chain_id] += 1
        seq = self.order_count[chain_id]
        self.first_order.setdefault(member_id, day)
        placed = self.at(day, self.rng.randint(8, 21), self.rng.randint(0, 59))
        done = status == ChainStatus.DONE
        order_id = self.rows.add(
            Order,
            chain_id=chain_id,
            seq=seq,
            member_id=member_id,
            status="active",
            paid=done or self.rng.random() < 0.85,
            note=self.rng.choice(["", "", "", "周六取"]),
            leader_note="",
            raw="",
            channel=extra.pop("channel", "import"),
            livestream_id=extra.pop("livestream_id", None),
            created_at=placed,
            updated_at=placed,
        )
        items = list(self.items_by_chain[chain_id].values())
        wanted = extra.pop("items", None) or self.rng.sample(items, k=self.rng.randint(1, 2))
        for item in wanted:
            qty = self.rng.randint(1, item["limit_per_person"] or 3)
            collected = (
                qty
                if done
                else (qty if self.rng.random() < 0.4 and status == ChainStatus.CLOSED else 0)
            )
            self.rows.add(
                OrderLine,
                order_id=order_id,
                item_id=item["id"],
                qty=qty,
                unit_price_cents=extra.get("price", item["price_cents"]),
                collected_qty=collected,
                flash_sale_id=extra.get("flash_sale_id"),
                gift=extra.get("gift", ""),
            )
        return order_id

    def payments(self) -> None:
        """Every paid order was paid in WeChat two hours after it was taken (no randomness, so
        the rest of the story stays as it was)."""
        amounts: dict[int, int] = defaultdict(int)
        for line in self.rows.tables[OrderLine]:
            amounts[line["order_id"]] += line["qty"] * line["unit_price_cents"]
        names = {m["id"]: m["nickname"] for m in self.members}
        for order in self.rows.tables[Order]:
            cents = amounts.get(order["id"], 0)
            if not order["paid"] or cents <= 0:
                continue
            cents += self.paid_over.get(order["id"], 0)
            paid_at = order["created_at"] + timedelta(hours=2)
            self.rows.add(
                Payment,
                order_id=order["id"],
                amount_cents=cents,
                method="wechat",
                source="manual",
                paid_at=paid_at,
                trade_no=None,
                part_of=None,
                payer=names.get(order["member_id"], ""),
                note="",
                created_at=paid_at,
            )

    def finish_members(self) -> None:
        """Join dates, sources and referrals, consistent with when each member first bought."""
        partners = len(story.PARTNERS)
        for member in self.members:
            first = self.first_order.get(member["id"])
            anchor = first or self.today - timedelta(days=self.rng.randint(0, 330))
            member["joined_on"] = anchor - timedelta(days=self.rng.randint(0, 12))
        by_join = sorted(self.members, key=lambda m: (m["joined_on"], m["id"]))
        xiaoli = self.members[0]
        xiaoli["joined_on"] = self.today - timedelta(days=365)
        brought_by_xiaoli = 0
        for index, member in enumerate(by_join):
            if member["is_koc"]:
                member["source"] = "partner" if member["id"] % 2 else "offline"
                member["partner_id"] = 1 if member["source"] == MemberSource.PARTNER else None
                continue
            roll = self.rng.random()
            # KOC 小李 shared the replay in her building's group and brought 12 neighbours.
            if brought_by_xiaoli < 12 and (member["building"] == "3" or roll < 0.06):
                member.update(source="referral", referrer_id=xiaoli["id"])
                brought_by_xiaoli += 1
                continue
            if roll < 0.33 and index > 10:
                earlier = [m for m in by_join[: max(index, 1)] if m is not xiaoli]
                referrer = self.rng.choice(earlier or by_join[:1])
                member.update(source="referral", referrer_id=referrer["id"])
            elif roll < 0.62:
                member.update(source="partner", partner_id=self.rng.randint(1, partners))
            elif roll < 0.72:
                member["source"] = "live"
        for member in self.members:
            self.rows.add(Member, **member)

    def tags(self) -> None:
        for name in story.TAGS:
            self.rows.add(Tag, name=name)
        for member in self.members:
            for tag_id in self.rng.sample(range(1, len(story.TAGS) + 1), k=self.rng.randint(0, 2)):
                self.rows.add(MemberTag, member_id=member["id"], tag_id=tag_id)

    def points(self) -> None:
        """1 point per yuan spent, plus check-ins, the monthly cooking award and redemptions."""
        spent: dict[int, int] = defaultdict(int)
        orders = {o["id"]: o for o in self.rows.tables[Order]}
        for line in self.rows.tables[OrderLine]:
            spent[line["order_id"]] += line["qty"] * line["unit_price_cents"]
        for order_id, cents in spent.items():
            order = orders[order_id]
            self.rows.add(
                PointsEntry,
                member_id=order["member_id"],
                delta=cents // 100,
                reason="消费积分",
                order_id=order_id,
                created_at=order["created_at"],
            )
        for month in range(1, 12):
            winner = self.rng.choice(self.members[:60])
            day = self.today - timedelta(days=30 * month)
            self.rows.add(
                PointsEntry,
                member_id=winner["id"],
                delta=200,
                reason="月度最佳厨艺奖（UGC）",
                order_id=None,
                created_at=self.at(day, 12),
            )
        for member in self.rng.sample(self.members[:80], k=15):
            self.rows.add(
                PointsEntry,
                member_id=member["id"],
                delta=-300,
                reason="兑换：燕麦片1袋",
                order_id=None,
                created_at=self.at(self.today - timedelta(days=9), 15),
            )


INSERT_ORDER: list[type[SQLModel]] = [
    Meta,
    Partner,
    Poster,
    PickupPoint,
    Member,
    Tag,
    MemberTag,
    Chain,
    ChainItem,
    Livestream,
    Segment,
    FlashSale,
    Order,
    OrderLine,
    Refund,
    Payment,
    PointsEntry,
    Reminder,
    ChannelSpend,
    Coupon,
    Team,
    TeamMember,
]


def complete_rows(model: type[SQLModel], batch: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Give every row the same columns (one INSERT for many rows needs that): a column some
    story step sets (a 拼团 item's `team_size`) takes the model's default in the others."""
    keys = {key for row in batch for key in row}
    missing = [key for key in keys if any(key not in row for row in batch)]
    if not missing:
        return batch
    fields = model.model_fields
    for row in batch:
        for key in missing:
            if key not in row:
                row[key] = fields[key].get_default(call_default_factory=True)
    return batch
