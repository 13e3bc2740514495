"""A hand-checked fruit shop for the refund tests (domain, metrics, pickup, CLI and screens).

Chain 1 第80期 水果团 (open): A 橙子 ¥50 (cost ¥30), B 苹果 ¥40 (no cost), C 榴莲 (price not
known yet). Livestream 1 (ended) sold A at the flash price ¥45; its stored summary says ¥90.

| order | member | day (China)  | lines                  | amount | notes                |
|-------|--------|--------------|------------------------|--------|----------------------|
| 1     | 王阿姨 | 2026-10-10   | A×2 @50 (chain 2)      | ¥100   | an earlier month     |
| 2     | 王阿姨 | 2026-11-20   | A×3 @50, B×1 @40       | ¥190   |                      |
| 3     | 小李   | 2026-11-20   | A×2 @45 (flash, live)  | ¥90    |                      |
| 4     | 老周   | 2026-11-21   | B×2 @40                | ¥80    | his only order       |
| 5     | 小李   | 2026-11-21   | C×1 (price unknown)    | 待定   |                      |
| 6     | 小李   | 2026-11-21   | A×1 @50                | ¥50    | cancelled            |

`refund_three` then refunds: order 2 one 橙子 (坏果, ¥50 by default), order 3 one flash 橙子
(¥45 by default), order 4 both 苹果 (¥80: refunded whole).
"""

from __future__ import annotations

import json
from datetime import datetime

from tuan.db import Database
from tuan.domain.shared.refunds import add_refund
from tuan.models import Chain, ChainItem, FlashSale, Livestream, Member, Order, OrderLine

NOV20 = datetime.fromisoformat("2026-11-20T20:00:00+08:00")
NOV21 = datetime.fromisoformat("2026-11-21T09:00:00+08:00")
OCT10 = datetime.fromisoformat("2026-10-10T09:00:00+08:00")


def make_fruit_shop(db: Database) -> Database:
    with db.transaction() as s:
        s.add_all([Member(id=1, nickname="王阿姨", building="3", room="1202"),
                   Member(id=2, nickname="小李", building="5", room="301"),
                   Member(id=3, nickname="老周", building="7", room="101")])  # fmt: skip
        s.add(Chain(id=1, title="第80期 水果团", status="open"))
        s.add(Chain(id=2, title="第79期 水果团", status="done"))
        s.flush()
        s.add_all([
            ChainItem(id=1, chain_id=1, position=1, code="A", name="橙子", price_cents=5000,
                      cost_cents=3000),
            ChainItem(id=2, chain_id=1, position=2, code="B", name="苹果", price_cents=4000),
            ChainItem(id=3, chain_id=1, position=3, code="C", name="榴莲", price_cents=0,
                      price_known=False),
            ChainItem(id=4, chain_id=2, position=1, code="A", name="橙子", price_cents=5000),
        ])  # fmt: skip
        s.add(
            Livestream(id=1, theme="秋天的橙子", status="ended", chain_id=1, started_at=NOV20,
                       summary_json=json.dumps({"buyers": 1, "orders": 1, "gmv_cents": 9000}))
        )  # fmt: skip
        s.flush()
        s.add(FlashSale(id=1, livestream_id=1, item_id=1, live_price_cents=4500))
        s.add_all([
            Order(id=1, chain_id=2, seq=1, member_id=1, created_at=OCT10),
            Order(id=2, chain_id=1, seq=1, member_id=1, created_at=NOV20),
            Order(id=3, chain_id=1, seq=2, member_id=2, created_at=NOV20, livestream_id=1,
                  channel="live"),
            Order(id=4, chain_id=1, seq=3, member_id=3, created_at=NOV21),
            Order(id=5, chain_id=1, seq=4, member_id=2, created_at=NOV21),
            Order(id=6, chain_id=1, seq=5, member_id=2, created_at=NOV21, status="cancelled"),
        ])  # fmt: skip
        s.flush()
        s.add_all([
            OrderLine(id=1, order_id=1, item_id=4, qty=2, unit_price_cents=5000),
            OrderLine(id=2, order_id=2, item_id=1, qty=3, unit_price_cents=5000),
            OrderLine(id=3, order_id=2, item_id=2, qty=1, unit_price_cents=4000),
            OrderLine(id=4, order_id=3, item_id=1, qty=2, unit_price_cents=4500,
                      flash_sale_id=1),
            OrderLine(id=5, order_id=4, item_id=2, qty=2, unit_price_cents=4000),
            OrderLine(id=6, order_id=5, item_id=3, qty=1, unit_price_cents=0),
            OrderLine(id=7, order_id=6, item_id=1, qty=1, unit_price_cents=5000),
        ])  # fmt: skip
    return db


def refund_three(db: Database) -> None:
    with db.transaction() as s:
        add_refund(s, 2, line_id=2, qty=1, reason="坏果")
        add_refund(s, 3, qty=1, reason="质量")
        add_refund(s, 4, qty=2, reason="少发", note="没到货")
