"""Coupons (券) as a ledger: issuing, redeeming against an order, the rules that give them, and
every refusal leaving the database as it was. Orders from the chains' small shop: 冷榨橄榄油 ¥89,
冷榨亚麻籽油 ¥69, 健康厨房入门套装 ¥259; the clock stands at 2026-11-26 10:00 (UTC+8)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlmodel import col, select

from tests.chains.fixtures import Shop, make_shop
from tests.members.test_rules import NOW, build_town
from tuan import clock
from tuan.db import Database
from tuan.domain.members.coupons import (
    CouponError,
    best_coupon,
    issue_coupon,
    list_coupons,
    read_amount,
    read_expiry,
    redeem_best,
    redeem_coupon,
    set_order_coupon,
)
from tuan.domain.members.rule_coupons import CouponTerms, set_rule_terms
from tuan.domain.members.rules import run_rules
from tuan.domain.payments.remind import unpaid_reminders
from tuan.domain.shared.coupons import coupon_offer, coupon_status
from tuan.domain.shared.orders import LineRequest, cancel_order, place_order, update_order
from tuan.domain.shared.payments import order_amounts, record_payment
from tuan.domain.shared.states import CouponOrigin, CouponStatus
from tuan.models import Coupon, Order, Reminder

TODAY = date(2026, 11, 26)


@pytest.fixture
def shop(db: Database) -> Shop:
    return make_shop(db)


def _order(db: Database, shop: Shop, member: str, **items: int) -> int:
    with db.transaction() as s:
        lines = [LineRequest(shop.items[name], qty) for name, qty in items.items()]
        return place_order(s, shop.chain, shop.members[member], lines).id or 0


def _coupon(db: Database, shop: Shop, member: str, cents: int, **extra: object) -> int:
    with db.transaction() as s:
        return issue_coupon(s, shop.members[member], cents, **extra).id or 0  # type: ignore[arg-type]


def _state(db: Database, coupon_id: int, order_id: int) -> tuple[int | None, int, bool]:
    """The coupon's order, what the order owes, and whether it is paid."""
    with db.session() as s:
        coupon = s.get(Coupon, coupon_id)
        order = s.get(Order, order_id)
        assert coupon is not None and order is not None
        return coupon.order_id, order_amounts(s, [order_id])[order_id], bool(order.paid)


def test_a_coupon_lowers_what_the_order_owes_once(db: Database, shop: Shop) -> None:
    order = _order(db, shop, "小李5-601", 橄榄油=2)  # 2 × ¥89 = ¥178
    coupon = _coupon(db, shop, "小李5-601", 2000, min_spend_cents=9900)
    with db.transaction() as s:
        redeemed = redeem_coupon(s, coupon, order)
        assert redeemed.redeemed_at == clock.now()
    assert _state(db, coupon, order) == (order, 15800, False)
    with db.transaction() as s:  # ¥158 received: paid, though the lines are ¥178
        record_payment(s, order, 15800)
    assert _state(db, coupon, order) == (order, 15800, True)
    with db.session() as s:
        [row] = list_coupons(s, member_id=shop.members["小李5-601"])
    assert (row.status, row.order_id, row.words) == (CouponStatus.REDEEMED, order, "满¥99减¥20券")


def test_the_order_never_owes_less_than_nothing(db: Database, shop: Shop) -> None:
    order = _order(db, shop, "小李5-601", 亚麻籽油=1)  # ¥69
    coupon = _coupon(db, shop, "小李5-601", 10000)  # ¥100, 无门槛
    with db.transaction() as s:
        redeem_coupon(s, coupon, order)
    assert _state(db, coupon, order) == (order, 0, True), "owes 0: paid"


def _refused(db: Database, coupon: int, order: int, code: str, words: str) -> None:
    before = _state(db, coupon, order)
    with pytest.raises(CouponError) as refused, db.transaction() as s:
        redeem_coupon(s, coupon, order)
    assert refused.value.code == code
    assert words in str(refused.value)
    assert _state(db, coupon, order) == before, "nothing changed"


def test_every_refusal_says_why_and_changes_nothing(db: Database, shop: Shop) -> None:
    mine = _order(db, shop, "小李5-601", 亚麻籽油=1)  # ¥69
    other = _order(db, shop, "李阿姨2-301", 亚麻籽油=1)
    big = _order(db, shop, "陈晨", 套装=1)
    used = _coupon(db, shop, "小李5-601", 1000)
    with db.transaction() as s:
        redeem_coupon(s, used, mine)
    _refused(db, used, mine, "coupon.used", "已经用过了")  # twice on the same order
    _refused(db, used, big, "coupon.used", "每张券只能用一次")
    threshold = _coupon(db, shop, "李阿姨2-301", 2000, min_spend_cents=9900)
    _refused(db, threshold, other, "coupon.below_min", "这单 ¥69，不够券")
    _refused(db, threshold, big, "coupon.other_member", "是李阿姨的")
    lapsed = _coupon(db, shop, "陈晨", 1000, issued_on=TODAY - timedelta(days=20),
                     expires_on=TODAY - timedelta(days=1))  # fmt: skip
    _refused(db, lapsed, big, "coupon.expired", "已在 2026-11-25 过期")
    second = _coupon(db, shop, "小李5-601", 500)
    _refused(db, second, mine, "coupon.order_has_one", "每单只能用一张券")


def test_the_last_day_is_still_usable_and_the_next_is_not(db: Database, shop: Shop) -> None:
    assert coupon_status(None, TODAY, TODAY) == CouponStatus.USABLE
    assert coupon_status(None, TODAY, TODAY + timedelta(days=1)) == CouponStatus.EXPIRED
    assert coupon_status(7, TODAY - timedelta(days=9), TODAY) == CouponStatus.REDEEMED
    coupon = _coupon(db, shop, "陈晨", 1000, expires_on=TODAY)
    with db.session() as s:
        assert [r.id for r in list_coupons(s, status="usable")] == [coupon]
        later = TODAY + timedelta(days=1)
        assert [r.id for r in list_coupons(s, status="expired", today=later)] == [coupon]


def test_bad_amounts_and_dates_are_refused(db: Database, shop: Shop) -> None:
    bad = [("-5", "price.negative"), ("19.999", "price.decimals"), ("0", "coupon.amount"),
           ("abc", "price.malformed"), ("9999999", "coupon.amount_large")]  # fmt: skip
    for text, code in bad:
        with pytest.raises(CouponError) as refused:
            read_amount(text)
        assert (refused.value.code, refused.value.field) == (code, "amount")
    assert read_amount("19.9") == 1990
    assert read_expiry("30", TODAY) == date(2026, 12, 26)
    assert read_expiry("2027-01-31", TODAY) == date(2027, 1, 31)
    for text in ("0", "昨天x", "2026-11-01"):
        with pytest.raises(CouponError) as refused:
            read_expiry(text, TODAY)
        assert refused.value.field == "expires"
    with pytest.raises(CouponError) as refused, db.transaction() as s:
        issue_coupon(s, shop.members["陈晨"], -100)
    assert refused.value.code == "coupon.amount"
    with pytest.raises(CouponError), db.transaction() as s:
        issue_coupon(s, 9999, 1000)
    with db.session() as s:
        assert list_coupons(s) == [], "nothing was issued"


def test_cancelling_an_order_gives_its_coupon_back(db: Database, shop: Shop) -> None:
    order = _order(db, shop, "小李5-601", 橄榄油=1)
    coupon = _coupon(db, shop, "小李5-601", 2000)
    with db.transaction() as s:
        redeem_coupon(s, coupon, order)
    with db.transaction() as s:
        cancel_order(s, order)
    with db.session() as s:
        [row] = list_coupons(s)
        assert (row.status, row.order_id, row.redeemed_at) == (CouponStatus.USABLE, None, None)
    again = _order(db, shop, "小李5-601", 亚麻籽油=1)
    with db.transaction() as s:
        redeem_coupon(s, coupon, again)
    assert _state(db, coupon, again) == (again, 4900, False)


def test_an_order_edited_below_the_minimum_gives_its_coupon_back(db: Database, shop: Shop) -> None:
    order = _order(db, shop, "小李5-601", 橄榄油=2)  # ¥178
    coupon = _coupon(db, shop, "小李5-601", 2000, min_spend_cents=15000)  # 满150减20
    with db.transaction() as s:
        redeem_coupon(s, coupon, order)
    assert _state(db, coupon, order) == (order, 15800, False)
    with db.transaction() as s:
        update_order(s, order, [LineRequest(shop.items["橄榄油"], 1)])  # ¥89: below ¥150
    assert _state(db, coupon, order) == (None, 8900, False)
    with db.session() as s:
        [row] = list_coupons(s)
        assert row.status == CouponStatus.USABLE
    with db.transaction() as s:
        update_order(
            s, order, [LineRequest(shop.items["橄榄油"], 1), LineRequest(shop.items["亚麻籽油"], 1)]
        )
        redeem_coupon(s, coupon, order)  # ¥158: usable again
    with db.transaction() as s:
        update_order(s, order, [LineRequest(shop.items["橄榄油"], 3)])  # ¥267: still above
    assert _state(db, coupon, order) == (order, 24700, False)


def test_the_entry_form_choice_swaps_and_drops_a_coupon(db: Database, shop: Shop) -> None:
    order = _order(db, shop, "小李5-601", 橄榄油=2)
    small = _coupon(db, shop, "小李5-601", 1000)
    large = _coupon(db, shop, "小李5-601", 3000)
    with db.transaction() as s:
        set_order_coupon(s, order, small)
    with db.transaction() as s:
        set_order_coupon(s, order, large)
    assert _state(db, small, order)[0] is None
    assert _state(db, large, order) == (order, 14800, False)
    with db.transaction() as s:
        set_order_coupon(s, order, None)
    assert _state(db, large, order) == (None, 17800, False)


def test_the_best_coupon_takes_most_off(db: Database, shop: Shop) -> None:
    order = _order(db, shop, "小李5-601", 亚麻籽油=1)  # ¥69
    _coupon(db, shop, "小李5-601", 1000)
    best = _coupon(db, shop, "小李5-601", 3000, expires_on=TODAY + timedelta(days=5))
    _coupon(db, shop, "小李5-601", 5000, min_spend_cents=9900)  # not for a ¥69 order
    with db.session() as s:
        found = best_coupon(s, shop.members["小李5-601"], 6900)
        assert found is not None and found.id == best
    with db.transaction() as s:
        assert redeem_best(s, order).id == best
    poor = _order(db, shop, "陈晨", 亚麻籽油=1)
    with pytest.raises(CouponError, match="陈晨没有可用的券"), db.transaction() as s:
        redeem_best(s, poor)


def test_the_pay_reminder_asks_for_what_is_owed(db: Database, shop: Shop) -> None:
    order = _order(db, shop, "小李5-601", 橄榄油=2)
    coupon = _coupon(db, shop, "小李5-601", 2000)
    with db.transaction() as s:
        redeem_coupon(s, coupon, order)
    with db.session() as s:
        [reminder] = unpaid_reminders(s, shop.chain)
    assert reminder.owed_cents == 15800
    assert "共¥178，用券抵¥20，应付¥158 还未付款" in reminder.message


def test_the_message_names_the_coupon() -> None:
    assert coupon_offer(2000, 0, date(2026, 12, 31)) == "¥20 无门槛券，12月31日前下单可用"
    assert coupon_offer(2000, 9900, date(2027, 1, 5)) == "满¥99减¥20券，1月5日前下单可用"


# --- the rules ------------------------------------------------------------------------------------


def _coupons(db: Database) -> list[tuple[int, int, str, str | None, date, date]]:
    with db.session() as s:
        rows = s.exec(select(Coupon).order_by(col(Coupon.id))).all()
        return [(c.member_id, c.amount_cents, c.origin, c.rule_key, c.issued_on, c.expires_on)
                for c in rows]  # fmt: skip


def test_rules_give_wake_up_and_referral_coupons_once(db: Database) -> None:
    town = build_town(db)
    with db.transaction() as s:
        first = run_rules(s, NOW)
    issued = [
        (town["zhang"], 1000, CouponOrigin.WAKE_UP, f"dormant:3:{town['zhang']}:2026-09-20",
         TODAY, date(2026, 12, 10)),  # due 11-19 (in the past): 14 days from today
        (town["xiaoli"], 5000, CouponOrigin.REFERRAL, f"referral:4:{town['new']}:referrer",
         TODAY, date(2026, 12, 26)),
        (town["new"], 5000, CouponOrigin.REFERRAL, f"referral:4:{town['new']}:friend",
         TODAY, date(2026, 12, 26)),
    ]  # fmt: skip
    assert sorted(_coupons(db), key=lambda c: c[3] or "") == sorted(issued, key=lambda c: c[3])
    assert first.coupons == 3
    with db.session() as s:
        wake = s.exec(select(Reminder).where(col(Reminder.rule_key) == issued[0][3])).one()
        friend = s.exec(select(Reminder).where(col(Reminder.rule_key) == issued[2][3])).one()
    assert wake.message == "张姐，60天没见啦～送您一张 ¥10 无门槛券，12月10日前下单可用"
    assert friend.message.endswith("您的首单已完成，送您一张 ¥50 无门槛券，12月26日前下单可用")
    with db.transaction() as s:
        second = run_rules(s, NOW)
    with db.transaction() as s:
        later = run_rules(s, NOW + timedelta(days=2))
    assert second.coupons == 0 and later.coupons == 0 and not second.changed
    assert len(_coupons(db)) == 3, "running the rules again issues nothing"


def test_a_rule_without_a_coupon_or_with_other_terms(db: Database) -> None:
    town = build_town(db)
    with db.transaction() as s:
        set_rule_terms(s, 3, None)  # the wake-up rule gives no coupon
        set_rule_terms(s, 4, CouponTerms(2000, 9900, 10))
    with db.transaction() as s:
        run_rules(s, NOW)
    assert [(m, cents) for m, cents, *_rest in _coupons(db)] == [
        (town["xiaoli"], 2000),
        (town["new"], 2000),
    ]
    with db.session() as s:
        rule = s.exec(select(Reminder).where(col(Reminder.kind) == "referral")).first()
    assert rule is not None and "满¥99减¥20券，12月6日前下单可用" in rule.message


def test_a_template_without_the_placeholder_gets_the_coupon_added(db: Database) -> None:
    from tuan.models import ReminderRule

    build_town(db)
    with db.transaction() as s:
        rule = s.get(ReminderRule, 3)
        assert rule is not None
        rule.template = "{name}，好久不见"
        s.add(rule)
    with db.transaction() as s:
        run_rules(s, NOW)
    with db.session() as s:
        wake = s.exec(select(Reminder).where(col(Reminder.kind) == "dormant")).one()
    assert wake.message == "张姐，好久不见，送您一张 ¥10 无门槛券，12月10日前下单可用"


def test_redeemed_at_is_the_moment_given(db: Database, shop: Shop) -> None:
    order = _order(db, shop, "小李5-601", 橄榄油=1)
    coupon = _coupon(db, shop, "小李5-601", 1000)
    moment = datetime.fromisoformat("2026-11-26T11:30:00+08:00")
    with db.transaction() as s:
        assert redeem_coupon(s, coupon, order, moment).redeemed_at == moment
