"""The demo's coupons (券): a few months of them, so the member page and the dashboard show some
usable, used and expired.

The wake-up and referral coupons the rules give on the leader's first morning come with the
reminders (`demo.reminders`, from the real rules engine). Here: coupons of the months before,
wake-up, referral and by hand, most used on the member's next order (that order's payment is the
amount less the coupon), the rest left to expire; and a few by hand that are still usable. A
random generator of its own keeps the rest of the story as it was.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from tuan.domain.demo.builder import SEED
from tuan.models import Coupon, Order, OrderLine, Payment

if TYPE_CHECKING:
    from tuan.domain.demo.builder import DemoBuilder

HISTORY_DAYS = 150
EVERY_NTH_MEMBER = 5
# origin, reason, amount (cents), minimum spend (cents), days it lasts
KINDS = [
    ("wake_up", "沉睡唤醒：60天未下单", 1000, 0, 14),
    ("referral", "老带新奖励", 5000, 0, 30),
    ("manual", "生日券", 2000, 9900, 30),
    ("manual", "补偿：上期少发一袋小米", 1500, 0, 30),
]
# nickname, amount, minimum spend, reason: usable today
USABLE = [
    ("王阿姨", 2000, 9900, "KOC 感谢券"),
    ("小李", 3000, 0, "带来 12 位邻居的感谢券"),
    ("张姐", 1000, 0, "补偿：送货晚了"),
]


def add_coupons(builder: DemoBuilder) -> None:
    """Past coupons (used or expired) and a few usable ones, relative to the demo's today."""
    rng = random.Random(SEED + 8)
    today = builder.today
    totals: dict[int, int] = defaultdict(int)
    for line in builder.rows.tables[OrderLine]:
        totals[line["order_id"]] += line["qty"] * line["unit_price_cents"]
    orders_of: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for order in builder.rows.tables[Order]:
        if order["status"] == "active":
            orders_of[order["member_id"]].append(order)
    taken = {row["order_id"] for row in builder.rows.tables[Coupon] if row.get("order_id")}
    payments = {row["order_id"]: row for row in builder.rows.tables[Payment]}
    for member in builder.members[::EVERY_NTH_MEMBER]:
        if not orders_of.get(member["id"]):
            continue
        origin, reason, amount, least, days = KINDS[rng.randrange(len(KINDS))]
        issued = today - timedelta(days=rng.randint(4, HISTORY_DAYS))
        last = issued + timedelta(days=days)
        used = None
        if rng.random() < 0.65:
            used = _next_order(
                builder, orders_of[member["id"]], issued, last, totals, taken, amount, least
            )
        _add(builder, member["id"], amount, least, issued, last, reason, origin, used)
        if used is not None:
            taken.add(used["id"])
            payment = payments.get(used["id"])
            if payment is not None:  # paid by transfer: the member paid the amount less the coupon
                payment["amount_cents"] -= amount
    by_nickname = {m["nickname"]: m["id"] for m in builder.members}
    for nickname, amount, least, reason in USABLE:
        if nickname in by_nickname:
            issued = today - timedelta(days=3)
            _add(builder, by_nickname[nickname], amount, least, issued,
                 issued + timedelta(days=30), reason, "manual", None)  # fmt: skip


def _next_order(
    builder: DemoBuilder,
    orders: list[dict[str, Any]],
    issued: date,
    last: date,
    totals: dict[int, int],
    taken: set[int],
    amount: int,
    least: int,
) -> dict[str, Any] | None:
    """The member's first order while the coupon lasts that it can be used on."""
    for order in sorted(orders, key=lambda o: o["created_at"]):
        day = order["created_at"].astimezone(builder.zone).date()
        if issued <= day <= last and order["id"] not in taken:
            total = totals.get(order["id"], 0)
            if total > amount and total >= least:
                return order
    return None


def _add(
    builder: DemoBuilder,
    member_id: int,
    amount: int,
    least: int,
    issued: date,
    last: date,
    reason: str,
    origin: str,
    order: dict[str, Any] | None,
) -> None:
    builder.rows.add(
        Coupon,
        member_id=member_id,
        amount_cents=amount,
        min_spend_cents=least,
        issued_on=issued,
        expires_on=last,
        reason=reason,
        origin=origin,
        rule_key=None,
        order_id=order["id"] if order else None,
        redeemed_at=order["created_at"] + timedelta(minutes=1) if order else None,
        created_at=builder.at(issued, 9),
    )
