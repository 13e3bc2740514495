"""The tiny shop of the growth tests (tests/dashboard/test_growth*.py), worked out by hand.

The clock is frozen at 2026-11-26 (UTC+8). Items: chain 71 sells 入门套装 (#1) and 冷榨亚麻籽油
(#2); chain 72 sells 入门套装 again under another spec (#3), 冷榨亚麻籽油 (#4), 大米 (#5) and
冷榨橄榄油 (#6, never sold). Members and how they came:

    1 小李   KOC, offline          joined 2026-06-01   no channel
    2 王阿姨 KOC, partner poster   joined 2026-06-10   partner
    3 B      referral by 小李 (KOC) 2026-10-02        koc
    4 C      referral by D (not KOC) 2026-10-05       referral (UGC)
    5 D      partner poster        2026-10-20         partner
    6 E      livestream            2026-11-03         live
    7 F      offline               2026-11-10         no channel
    8 G      referral by 王阿姨     2026-11-12         koc

Orders (all at noon):

    o1 小李   2026-06-05 kit(#1)
    o2 小李   2026-07-10 oil(#4)            35 days after her kit
    o3 王阿姨 2026-06-06 kit(#1) + oil(#2)  the same order: not a follow-on
    o4 王阿姨 2026-10-01 oil(#4)            117 days after her kit
    o5 B      2026-10-03 kit(#3)
    o6 B      2026-10-20 oil(#4)            17 days after
    o7 C      2026-10-06 rice
    o8 D      2026-11-20 kit(#3)            her 90 days run to 2027-02-18: still waiting
    o9 C      2026-11-02 oil(#4)            never bought the kit
    o10 E     2026-11-05 kit(#3), cancelled: counts nowhere
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tuan.db import Database
from tuan.models import Chain, ChainItem, Member, Order, OrderLine

KIT, OIL = "入门套装", "冷榨亚麻籽油"


def _at(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T12:00:00+08:00")


@pytest.fixture
def growth_shop(db: Database) -> Database:
    members = [
        (1, "小李", "offline", None, True, "2026-06-01"),
        (2, "王阿姨", "partner", None, True, "2026-06-10"),
        (3, "B", "referral", 1, False, "2026-10-02"),
        (5, "D", "partner", None, False, "2026-10-20"),
        (4, "C", "referral", 5, False, "2026-10-05"),
        (6, "E", "live", None, False, "2026-11-03"),
        (7, "F", "offline", None, False, "2026-11-10"),
        (8, "G", "referral", 2, False, "2026-11-12"),
    ]
    items = [
        (1, 71, KIT, "3瓶装", 25900),
        (2, 71, OIL, "500ml", 6900),
        (3, 72, KIT, "新版", 25900),
        (4, 72, OIL, "500ml", 6900),
        (5, 72, "大米", "5kg", 8900),
        (6, 72, "冷榨橄榄油", "500ml", 8900),
    ]
    orders = [
        (1, 1, 71, "2026-06-05", [1], "active"),
        (2, 1, 72, "2026-07-10", [4], "active"),
        (3, 2, 71, "2026-06-06", [1, 2], "active"),
        (4, 2, 72, "2026-10-01", [4], "active"),
        (5, 3, 72, "2026-10-03", [3], "active"),
        (6, 3, 72, "2026-10-20", [4], "active"),
        (7, 4, 72, "2026-10-06", [5], "active"),
        (8, 5, 72, "2026-11-20", [3], "active"),
        (9, 4, 72, "2026-11-02", [4], "active"),
        (10, 6, 72, "2026-11-05", [3], "cancelled"),
    ]
    prices = {i[0]: i[4] for i in items}
    with db.transaction() as s:
        for mid, nick, source, _referrer, koc, joined in members:
            s.add(
                Member(
                    id=mid, nickname=nick, source=source, is_koc=koc,
                    joined_on=date.fromisoformat(joined),
                )
            )  # fmt: skip
        s.add_all([Chain(id=71, title="第71期", status="done"), Chain(id=72, title="第72期")])
        s.flush()
        for mid, _nick, _source, referrer, _koc, _joined in members:
            if referrer is not None:
                member = s.get(Member, mid)
                assert member is not None
                member.referrer_id = referrer
        for iid, chain, name, spec, price in items:
            s.add(ChainItem(id=iid, chain_id=chain, name=name, spec=spec, price_cents=price))
        s.flush()
        for oid, member_id, chain, day, lines, status in orders:
            s.add(
                Order(
                    id=oid, chain_id=chain, seq=oid, member_id=member_id, status=status,
                    created_at=_at(day), updated_at=_at(day),
                )
            )  # fmt: skip
            s.flush()
            for item in lines:
                s.add(OrderLine(order_id=oid, item_id=item, qty=1, unit_price_cents=prices[item]))
    return db
