"""A hand-checked shop for the payment tests, and the sample bills in `data/`.

Chain 第72期 健康粮油团 (open): 健康厨房入门套装 ¥199, 冷榨亚麻籽油 ¥69, 有机五常大米 ¥89,
冷榨橄榄油 ¥89. Orders (taken 11-20 … 11-22, China time):

| seq | member (name)    | room    | items        | amount | paid          |
|-----|------------------|---------|--------------|--------|---------------|
| 1   | 王阿姨 (王秀兰)  | 3-1202  | 套装×1       | ¥199   |               |
| 2   | 李叔             | 3-1202  | 亚麻籽油×1   | ¥69    |               |
| 3   | 小张             | 5-301   | 五常大米×2   | ¥178   |               |
| 4   | 陈姐 (陈静)      | 12-1202 | 套装×1       | ¥199   |               |
| 5   | 赵六             | -       | 橄榄油×1     | ¥89    |               |
| 6   | Amy妈妈          | 7-502   | 亚麻籽油×2   | ¥138   |               |
| 7   | 孙阿姨           | 9-101   | 五常大米×1   | ¥89    |               |
| 8   | 周叔             | 2-201   | 套装×1       | ¥199   | marked by hand |

`data/wechat_bill.csv` (UTF-8 with BOM, 10 rows), by line, in time order:

| line | time        | payer       | kind     | amount | expected                             |
|------|-------------|-------------|----------|--------|--------------------------------------|
| 27   | 11-20 09:00 | 招商银行    | 零钱提现 | ¥500   | skipped: neutral (/)                 |
| 26   | 11-21 08:00 | 周叔        | 转账     | ¥199   | skipped: 已退还                      |
| 25   | 11-22 10:00 | 路人甲      | 转账     | ¥55    | unmatched: nobody, no ¥55 order     |
| 24   | 11-22 11:00 | 美团        | 商户消费 | ¥35.50 | skipped: 支出                        |
| 23   | 11-23 09:00 | 清风徐来    | 转账     | ¥89    | ambiguous: 5 (赵六) or 7 (孙阿姨)    |
| 22   | 11-23 12:00 | 陈姐        | 微信红包 | ¥199   | matched: order 4                     |
| 21   | 11-23 18:00 | 🌸Amy妈妈～ | 群收款   | ¥138   | matched: order 6                     |
| 20   | 11-24 19:02 | 小张        | 转账     | ¥100   | matched: order 3, part (¥78 left)    |
| 19   | 11-24 21:30 | 小张        | 转账     | ¥78    | matched: order 3, the rest           |
| 18   | 11-25 20:15 | 🌸王阿姨    | 转账     | ¥268   | matched: 1 + 2 (3-1202, 199 + 69)    |

So 5 matched, 1 ambiguous, 1 unmatched, 3 skipped; recorded ¥783 (26800 + 7800 + 10000 +
13800 + 19900 cents) and orders 1, 2, 3, 4 and 6 paid in full. Picking order 7 for line 23 adds
¥89 and order 7.

`data/wechat_bill_orderno.csv` is the same bill with an 订单号 column (the same 交易单号: importing
it after the first changes nothing). `data/alipay_statement_gbk.csv` (GBK) has 陈* ¥199 (陈姐 by
her masked name 陈静: order 4) and *秀兰 ¥268 (王秀兰's household: orders 1 + 2), a refund, a
purchase and a 余额宝 income: 2 matched, 3 skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlmodel import col, select

from tuan.db import Database
from tuan.domain.shared.orders import LineRequest, place_order
from tuan.domain.shared.payments import mark_paid
from tuan.domain.shared.people import MemberDraft, create_member
from tuan.models import Chain, ChainItem, Order, PickupPoint

DATA = Path(__file__).parent / "data"
WECHAT = DATA / "wechat_bill.csv"
WECHAT_ORDERNO = DATA / "wechat_bill_orderno.csv"
ALIPAY = DATA / "alipay_statement_gbk.csv"
TITLE = "第72期 健康粮油团"
ITEMS = {  # short name: (name, price cents, aliases)
    "套装": ("健康厨房入门套装", 19900),
    "亚麻": ("冷榨亚麻籽油", 6900),
    "大米": ("有机五常大米", 8900),
    "橄榄油": ("冷榨橄榄油", 8900),
}
MEMBERS = [  # nickname, building, room, name
    ("王阿姨", "3", "1202", "王秀兰"),
    ("李叔", "3", "1202", ""),
    ("小张", "5", "301", ""),
    ("陈姐", "12", "1202", "陈静"),
    ("赵六", "", "", ""),
    ("Amy妈妈", "7", "502", ""),
    ("孙阿姨", "9", "101", ""),
    ("周叔", "2", "201", ""),
]
ORDERS = [  # seq, member index, item, qty, taken at
    (1, 0, "套装", 1, "2026-11-20T10:00:00+08:00"),
    (2, 1, "亚麻", 1, "2026-11-20T10:05:00+08:00"),
    (3, 2, "大米", 2, "2026-11-20T11:00:00+08:00"),
    (4, 3, "套装", 1, "2026-11-21T09:00:00+08:00"),
    (5, 4, "橄榄油", 1, "2026-11-21T12:00:00+08:00"),
    (6, 5, "亚麻", 2, "2026-11-21T20:00:00+08:00"),
    (7, 6, "大米", 1, "2026-11-22T08:00:00+08:00"),
    (8, 7, "套装", 1, "2026-11-20T09:00:00+08:00"),
]


@dataclass(frozen=True)
class Shop:
    """The chain and its orders by sequence number."""

    chain: int
    orders: dict[int, int]


def make_shop(db: Database) -> Shop:
    """The chain, members and orders above; order 8 marked paid by hand."""
    with db.transaction() as s:
        point = PickupPoint(name="3号楼门口", address="阳光花园3号楼大堂")
        s.add(point)
        s.flush()
        chain = Chain(
            title=TITLE,
            status="open",
            pickup_point_id=point.id,
            pickup_start=datetime.fromisoformat("2026-11-26T09:00:00+08:00"),
            pickup_end=datetime.fromisoformat("2026-11-26T21:00:00+08:00"),
        )
        s.add(chain)
        s.flush()
        assert chain.id is not None
        items: dict[str, int] = {}
        for position, (short, (name, price)) in enumerate(ITEMS.items()):
            item = ChainItem(
                chain_id=chain.id, position=position, name=name, price_cents=price, aliases=short
            )
            s.add(item)
            s.flush()
            items[short] = item.id or 0
        created = [
            create_member(s, MemberDraft(nick, building, room, name=name))
            for nick, building, room, name in MEMBERS
        ]
        s.flush()
        members = [member.id for member in created]
        orders = {}
        for seq, who, short, qty, at in ORDERS:
            order = place_order(
                s, chain.id or 0, members[who] or 0, [LineRequest(items[short], qty)],
                seq=seq, moment=datetime.fromisoformat(at),
            )  # fmt: skip
            orders[seq] = order.id or 0
        mark_paid(s, [orders[8]], True)
        return Shop(chain.id or 0, orders)


def paid_orders(db: Database, shop: Shop) -> set[int]:
    """The sequence numbers of the shop's paid orders."""
    with db.session() as s:
        paid = s.exec(
            select(Order.seq).where(col(Order.chain_id) == shop.chain, col(Order.paid))
        ).all()
    return set(paid)


def wechat_xlsx(path: Path) -> Path:
    """`data/wechat_bill.csv` as WeChat's newer XLSX export: the summary lines in column A, the
    header, then the rows with times as dates and amounts as `¥` text."""
    import csv

    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    text = WECHAT.read_bytes().decode("utf-8-sig")
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    header_seen = False
    for cells in csv.reader(text.splitlines()):
        if not header_seen:
            header_seen = cells[0] == "交易时间"
            first = [c for c in cells if c]
            sheet.append(first if not header_seen else cells)
            continue
        row: list[object] = [c.strip() for c in cells]
        row[0] = datetime.strptime(str(row[0]), "%Y-%m-%d %H:%M:%S")  # noqa: DTZ007 (a cell)
        sheet.append(row)
    book.save(path)
    return path
