"""A small shop for livestream tests: one chain, three items, seven neighbours, one planned live."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from tuan import clock
from tuan.db import Database
from tuan.domain.live.flash import FlashDraft, add_flash_sale
from tuan.domain.live.shows import LiveDraft, SegmentDraft, add_segment, create_livestream
from tuan.models import Chain, ChainItem, Member

GIFT = "《家庭用油指南》"

# nickname, building, room, initials
NEIGHBOURS = [
    ("王阿姨", "1", "302", "way"),
    ("小李", "3", "1202", "xl"),
    ("张姐", "5", "601", "zj"),
    ("陈晨", "2", "101", "cc"),
    ("刘叔", "6", "502", "ls"),
    ("吴悦", "7", "1503", "wy"),
    ("王姐", "1", "303", "wj"),
]


@dataclass
class Shop:
    """Ids of what `build_shop` made."""

    chain: int
    kit: int
    linseed: int
    olive: int
    live: int
    segments: list[int]
    sale: int
    members: dict[str, int]


def build_shop(db: Database, *, cap: int = 3, gifts: int = 2, tied: bool = True) -> Shop:
    """A chain with 套装 ¥259, 亚麻籽油 ¥69, 橄榄油 ¥89; a planned live sells the kit at ¥199."""
    with db.transaction() as s:
        chain = Chain(
            title="第73期 食用油专场", status="open", deadline=clock.now() + timedelta(days=2)
        )
        s.add(chain)
        s.flush()
        assert chain.id is not None
        kit = ChainItem(
            chain_id=chain.id,
            position=0,
            code="A",
            name="健康厨房入门套装",
            price_cents=25900,
            stock=100,
            limit_per_person=5,
            aliases="套装 入门套装",
        )
        linseed = ChainItem(
            chain_id=chain.id,
            position=1,
            code="B",
            name="冷榨亚麻籽油",
            spec="500ml",
            price_cents=6900,
            aliases="亚麻 亚麻油",
        )
        olive = ChainItem(
            chain_id=chain.id, position=2, code="C", name="冷榨橄榄油", price_cents=8900
        )
        members = [Member(nickname=n, building=b, room=r, initials=i) for n, b, r, i in NEIGHBOURS]
        s.add_all([kit, linseed, olive, *members])
        s.flush()
        live = create_livestream(
            s,
            LiveDraft(
                theme="食用油的选择",
                series="厨房里的健康密码",
                episode=3,
                host="营养师林老师",
                scheduled_at=clock.now(),
                chain_id=chain.id,
            ),
        )
        segs = [
            add_segment(s, live.id or 0, SegmentDraft("开场：厨房里的油", 5, "今天的福利")),
            add_segment(s, live.id or 0, SegmentDraft("秒杀：入门套装", 10, "¥199", kit.id)),
            add_segment(s, live.id or 0, SegmentDraft("答疑与收尾", 5, "发接龙", linseed.id)),
        ]
        sale = add_flash_sale(
            s,
            live.id or 0,
            FlashDraft(
                item_id=kit.id or 0,
                live_price_cents=19900,
                start_minute=5,
                end_minute=15,
                segment_id=segs[1].id if tied else None,
                cap=cap,
                gift_name=GIFT,
                gift_count=gifts,
            ),
        )
        return Shop(
            chain=chain.id or 0,
            kit=kit.id or 0,
            linseed=linseed.id or 0,
            olive=olive.id or 0,
            live=live.id or 0,
            segments=[seg.id or 0 for seg in segs],
            sale=sale.id or 0,
            members={m.nickname: m.id or 0 for m in members},
        )
