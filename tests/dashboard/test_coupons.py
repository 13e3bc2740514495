"""The coupon figures of a month, on a hand-computed fixture (the clock: 2026-11-26 10:00 UTC+8).

    coupon  member (source)   amount  issued  last day  used on                 order lines
    A       小李 (referral)    ¥50     10-20   11-19     11-05 21:00 (order 1)   ¥69 → cost ¥50
    B       李阿姨 (offline)   ¥20     11-01   11-30     11-10 (order 2)         ¥89 → cost ¥20
    C       陈晨 (offline)     ¥100    11-03   11-30     11-12 (order 3)         ¥69 → cost ¥69
    D       小李 (referral)    ¥10     11-05   11-20     —                       expired in 11
    E       李阿姨 (offline)   ¥15     11-10   11-25     —                       expired in 11
    F       陈晨 (offline)     ¥30     11-20   12-20     —                       usable
    G       李阿姨 (offline)   ¥5      10-01   10-31     —                       expired in 10
    H       小李 (referral)    ¥8      11-20   11-26     —                       today: usable
    I       陈晨 (offline)     ¥40     11-15   12-15     cancelled order → given back: usable

November: issued B C D E F H I = 7 (¥20+100+10+15+30+8+40 = ¥223); redeemed A B C = 3, cost
¥50+20+69 = ¥139; expired D E = 2 (¥25); issued in November and used: B C = 2 → 2/7.
October: issued A G = 2 (¥55), redeemed 0, expired G = 1 (¥5), used A → 1/2.
"""

from __future__ import annotations

from datetime import date, datetime

from tests.chains.fixtures import make_shop
from tuan.db import Database
from tuan.domain.dashboard.coupon_rows import CouponMonth
from tuan.domain.dashboard.coupons import CouponCost, coupon_cost, coupon_lapsing, coupon_months
from tuan.domain.dashboard.overview import dashboard_facts
from tuan.domain.dashboard.view import project
from tuan.domain.members.coupons import issue_coupon, redeem_coupon
from tuan.domain.shared.orders import LineRequest, cancel_order, place_order
from tuan.models import Member

TODAY = date(2026, 11, 26)


def _at(text: str) -> datetime:
    return datetime.fromisoformat(f"2026-{text}:00+08:00")


def _build(db: Database) -> None:
    shop = make_shop(db)
    li, lee, chen = shop.members["小李5-601"], shop.members["李阿姨2-301"], shop.members["陈晨"]
    with db.transaction() as s:
        member = s.get(Member, li)
        assert member is not None
        member.source = "referral"
        s.add(member)

        def order(who: int, item: str, when: str) -> int:
            line = [LineRequest(shop.items[item], 1)]
            return place_order(s, shop.chain, who, line, moment=_at(when)).id or 0

        def coupon(who: int, cents: int, issued: str, last: str) -> int:
            made = issue_coupon(
                s, who, cents, issued_on=date.fromisoformat(f"2026-{issued}"),
                expires_on=date.fromisoformat(f"2026-{last}"),
            )  # fmt: skip
            return made.id or 0

        a = coupon(li, 5000, "10-20", "11-19")
        redeem_coupon(s, a, order(li, "亚麻籽油", "11-05T20:00"), _at("11-05T21:00"))
        b = coupon(lee, 2000, "11-01", "11-30")
        redeem_coupon(s, b, order(lee, "橄榄油", "11-10T09:00"), _at("11-10T09:00"))
        c = coupon(chen, 10000, "11-03", "11-30")
        redeem_coupon(s, c, order(chen, "亚麻籽油", "11-12T09:00"), _at("11-12T09:00"))
        coupon(li, 1000, "11-05", "11-20")
        coupon(lee, 1500, "11-10", "11-25")
        coupon(chen, 3000, "11-20", "12-20")
        coupon(lee, 500, "10-01", "10-31")
        coupon(li, 800, "11-20", "11-26")
        i = coupon(chen, 4000, "11-15", "12-15")
        gone = order(chen, "套装", "11-16T09:00")
        redeem_coupon(s, i, gone, _at("11-16T09:00"))
        cancel_order(s, gone)


def test_a_month_of_coupons_by_hand(db: Database) -> None:
    _build(db)
    with db.session() as s:
        october, november = coupon_months(s, ["2026-10", "2026-11"], TODAY)
        costs = coupon_cost(s)
    assert november == CouponMonth("2026-11", issued=7, issued_cents=22300, redeemed=3,
                                   cost_cents=13900, expired=2, expired_cents=2500,
                                   issued_redeemed=2)  # fmt: skip
    assert round(november.redemption_rate, 4) == round(2 / 7, 4)
    assert october == CouponMonth("2026-10", issued=2, issued_cents=5500, expired=1,
                                  expired_cents=500, issued_redeemed=1)  # fmt: skip
    assert october.redemption_rate == 0.5
    assert costs == [
        CouponCost("2026-11", "offline", 2, 8900),
        CouponCost("2026-11", "referral", 1, 5000),
    ]


def test_the_dashboard_counts_a_coupon_expired_the_day_after_its_last(db: Database) -> None:
    _build(db)
    now = _at("11-26T10:00")
    with db.session() as s:
        facts = dashboard_facts(s, now)
        assert coupon_lapsing(s, TODAY) == {"2026-11-26": [1, 800]}  # B (11-30) is used
    today = project(facts, now)
    assert today is not None and today.coupons[-1].expired == 2
    later = project(facts, _at("11-27T09:00"))  # H's last day (11-26) has passed
    assert later is not None
    assert (later.coupons[-1].expired, later.coupons[-1].expired_cents) == (3, 3300)


def test_a_redeemed_coupon_is_noticed_by_the_snapshot_key(db: Database) -> None:
    from tuan.domain.dashboard.snapshot_key import current_key

    _build(db)
    if db.engine.dialect.name != "sqlite":
        return  # the snapshot is SQLite's

    def key() -> list[object]:
        with db.engine.connect() as conn:
            return current_key(lambda sql: conn.exec_driver_sql(sql).fetchone(), deep=True)

    before = key()
    with db.engine.begin() as conn:  # another tool redeems a coupon
        conn.exec_driver_sql("UPDATE coupon SET order_id = 4 WHERE amount_cents = 3000")
    assert key() != before
