"""The growth figures on the tiny shop of conftest.py, each number worked out by hand there
and in the comments below."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlmodel import func, select

from tests.dashboard.conftest import KIT, OIL
from tuan.db import Database
from tuan.domain.dashboard.acquisition import (
    SpendError,
    SpendSource,
    acquisition_costs,
    channel_of,
    format_cost,
    record_spend,
    recorded_spend,
)
from tuan.domain.dashboard.cohorts import add_months
from tuan.domain.dashboard.follow_on import (
    FollowOnError,
    follow_on,
    format_follow_on,
    months_before,
)
from tuan.domain.dashboard.growth import growth_as_dict, growth_facts
from tuan.domain.dashboard.growth_text import cohort_cells
from tuan.domain.shared.item_names import product_key
from tuan.domain.shared.states import AcquisitionChannel, MemberSource
from tuan.models import ChannelSpend

# -- follow-on purchase -------------------------------------------------------------------------


def test_follow_on_counts_later_orders_within_n_days(growth_shop: Database) -> None:
    # Period 2026-05-26 .. 2026-11-26 (the default 6 months). Kit buyers: 小李, 王阿姨, B, D = 4
    # (E's order was cancelled). Followed within 90 days: 小李 (35 days), B (17 days) = 2;
    # 王阿姨's oil came in the same order and again after 117 days: no. D: still in her 90 days.
    with growth_shop.session() as s:
        result = follow_on(s, KIT, OIL, 90)
    assert (result.buyers, result.followed, result.waiting) == (4, 2, 1)
    assert (result.start, result.end) == (date(2026, 5, 26), date(2026, 11, 26))
    assert format_follow_on(result) == "50%（2/4）"
    assert result.first == KIT and result.then == OIL


def test_follow_on_with_fewer_days_and_a_shorter_period(growth_shop: Database) -> None:
    with growth_shop.session() as s:
        # 30 days: 小李's oil came after 35 days, so only B follows on: 1 of 4.
        assert format_follow_on(follow_on(s, KIT, OIL, 30)) == "25%（1/4）"
        # Bought the kit from October on: B and D; B followed.
        october = follow_on(s, KIT, OIL, "90", "2026-10-01", "2026-11-26")
    assert format_follow_on(october) == "50%（1/2）"


def test_a_product_is_one_name_across_chains(growth_shop: Database) -> None:
    # The kit of chain 71 (#1, 3瓶装) and of chain 72 (#3, 新版) is one product; a part of the
    # name that fits one product only finds it; width and case do not matter.
    assert product_key("Ｏｍｅｇａ  3") == product_key("omega 3")
    with growth_shop.session() as s:
        assert format_follow_on(follow_on(s, "套装", "亚麻籽油", 90)) == "50%（2/4）"


def test_nobody_bought_x_in_the_period(growth_shop: Database) -> None:
    with growth_shop.session() as s:
        result = follow_on(s, KIT, OIL, 90, "2026-01-01", "2026-05-31")
    assert result.rate is None and format_follow_on(result) == "—（0/0）"


@pytest.mark.parametrize(
    ("first", "then", "days", "start", "end", "field", "code"),
    [
        (KIT, OIL, 0, None, None, "days", "follow_on.days"),
        (KIT, OIL, "九十", None, None, "days", "follow_on.days"),
        (KIT, OIL, 3651, None, None, "days", "follow_on.days"),
        ("酸奶", OIL, 90, None, None, "first", "follow_on.unknown"),
        (KIT, "油", 90, None, None, "then", "follow_on.ambiguous"),
        ("", OIL, 90, None, None, "first", "follow_on.empty"),
        (KIT, OIL, 90, "2026-11-01", "2026-10-01", "start", "follow_on.period"),
        (KIT, OIL, 90, "11/01", None, "start", "follow_on.date"),
    ],
)
def test_follow_on_refuses_what_it_cannot_answer(
    growth_shop: Database, first: str, then: str, days: object, start: str | None, end: str | None,
    field: str, code: str,
) -> None:  # fmt: skip
    with growth_shop.session() as s, pytest.raises(FollowOnError) as caught:
        follow_on(s, first, then, days, start, end)  # type: ignore[arg-type]
    assert (caught.value.field, caught.value.code) == (field, code)


def test_an_unknown_product_is_named_with_the_ones_there_are(growth_shop: Database) -> None:
    with growth_shop.session() as s, pytest.raises(FollowOnError) as caught:
        follow_on(s, "酸奶", OIL, 90)
    assert str(caught.value).startswith("没有叫「酸奶」的商品，请从数据里的商品中选：")
    assert "入门套装" in str(caught.value) and "大米" in str(caught.value)


def test_six_months_before_keeps_the_day_or_takes_the_month_end() -> None:
    assert months_before(date(2026, 11, 26), 6) == date(2026, 5, 26)
    assert months_before(date(2026, 8, 31), 6) == date(2026, 2, 28)


# -- cohorts --------------------------------------------------------------------------------------


def test_cohorts_by_month_of_first_order(growth_shop: Database) -> None:
    # First orders: 小李 and 王阿姨 in June, B and C in October, D in November (E's was
    # cancelled). Ordering per month: June {小李, 王阿姨}, July {小李}, October {王阿姨, B, C},
    # November {C, D}.
    # June cohort (2): July 1 (50%), August 0, September 0; December has not begun.
    # October cohort (2): November 1 (C): 50%; the rest has not begun.
    with growth_shop.session() as s:
        facts = growth_facts(s)
    cohorts = {c.month: c for c in facts.cohorts}
    assert facts.cohorts[0].month == "2025-12"
    assert facts.cohorts[-1].month == "2026-11"
    assert (cohorts["2026-06"].size, cohorts["2026-06"].retained) == (
        2, {1: 1, 2: 0, 3: 0, 6: None}
    )  # fmt: skip
    assert cohorts["2026-06"].share(1) == 0.5
    assert (cohorts["2026-10"].size, cohorts["2026-10"].retained) == (
        2, {1: 1, 2: None, 3: None, 6: None}
    )  # fmt: skip
    assert cohorts["2026-11"].size == 1 and cohorts["2026-11"].retained[1] is None
    assert cohort_cells(cohorts["2026-06"]) == ["2026-06", "2", "50% 1", "0% 0", "0% 0", "—"]
    assert cohort_cells(cohorts["2026-01"]) == ["2026-01", "0", "—", "—", "—", "—"]


def test_months_move_across_the_year() -> None:
    assert add_months("2026-11", 2) == "2027-01"
    assert add_months("2026-07", 6) == "2027-01"
    assert add_months("2026-12", 1) == "2027-01"


# -- acquisition cost ----------------------------------------------------------------------------


def _spend(shop: Database) -> None:
    with shop.transaction() as s:
        record_spend(s, "partner", "2026-10", "300", "点位费")
        record_spend(s, "海报", "2026-10", "45.5")  # the same channel by its Chinese word
        record_spend(s, "koc", "2026-10", "100")
        record_spend(s, "KOC", "2026-11", "¥60")
        record_spend(s, "直播", "2026-09", "200")  # a month without new live members


def test_cost_per_new_member_by_channel_and_month(growth_shop: Database) -> None:
    # New members per channel: partner June (王阿姨) and October (D); koc October (B) and
    # November (G); referral October (C); live November (E). 小李 and F came offline.
    # partner October: (300 + 45.50) ÷ 1 = ¥345.50; June: nothing spent ÷ 1 = ¥0.
    # koc: October ¥100 ÷ 1, November ¥60 ÷ 1; together ¥160 ÷ 2 = ¥80.
    # live: September ¥200 ÷ 0 → —; November ¥0 ÷ 1; together ¥200 ÷ 1 = ¥200.
    _spend(growth_shop)
    months = ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"]
    with growth_shop.session() as s:
        costs = {c.channel: c for c in acquisition_costs(s, months)}
    partner = {m.month: m for m in costs[AcquisitionChannel.PARTNER].months}
    assert (partner["2026-10"].spend_cents, partner["2026-10"].new_members) == (34550, 1)
    assert partner["2026-10"].cost_cents == 34550
    assert partner["2026-06"].cost_cents == 0
    assert costs[AcquisitionChannel.PARTNER].total.cost_cents == 17275  # ¥345.50 ÷ 2
    koc = costs[AcquisitionChannel.KOC]
    assert [m.cost_cents for m in koc.months] == [None, None, None, None, 10000, 6000]
    assert koc.total.cost_cents == 8000
    live = {m.month: m for m in costs[AcquisitionChannel.LIVE].months}
    assert live["2026-09"].cost_cents is None and format_cost(live["2026-09"].cost_cents) == "—"
    assert live["2026-11"].cost_cents == 0
    assert costs[AcquisitionChannel.LIVE].total.cost_cents == 20000
    assert costs[AcquisitionChannel.REFERRAL].total.new_members == 1


def test_spend_sources_add_up(growth_shop: Database) -> None:
    # Coupons redeemed will be one more source: ¥40 more for KOC in November → (60 + 40) ÷ 1.
    _spend(growth_shop)

    def coupons(_s: object, _months: list[str]) -> dict[tuple[str, str], int]:
        return {("koc", "2026-11"): 4000}

    sources = [
        SpendSource("recorded", "记录的投入", recorded_spend),
        SpendSource("c", "券", coupons),
    ]
    with growth_shop.session() as s:
        koc = next(c for c in acquisition_costs(s, ["2026-11"], sources) if c.channel == "koc")
    assert koc.months[0].cost_cents == 10000


def test_cost_rounds_to_the_fen() -> None:
    from tuan.domain.dashboard.acquisition import ChannelMonth

    assert ChannelMonth("2026-11", 1000, 3).cost_cents == 333
    assert ChannelMonth("2026-11", 1001, 2).cost_cents == 501


def test_channel_of_each_way_a_member_comes() -> None:
    assert channel_of(MemberSource.REFERRAL, True) is AcquisitionChannel.KOC
    assert channel_of(MemberSource.REFERRAL, False) is AcquisitionChannel.REFERRAL
    assert channel_of(MemberSource.PARTNER, False) is AcquisitionChannel.PARTNER
    assert channel_of(MemberSource.LIVE, False) is AcquisitionChannel.LIVE
    assert channel_of(MemberSource.OFFLINE, False) is None


@pytest.mark.parametrize(
    ("channel", "month", "amount", "field", "code"),
    [
        ("tv", "2026-11", "300", "channel", "spend.channel"),
        ("", "2026-11", "300", "channel", "spend.channel"),
        ("koc", "2026-13", "300", "month", "spend.month"),
        ("koc", "11月", "300", "month", "spend.month"),
        ("koc", "2026-12", "300", "month", "spend.future"),
        ("koc", "1999-12", "300", "month", "spend.early"),
        ("koc", "2026-11", "0", "amount", "spend.zero"),
        ("koc", "2026-11", "-5", "amount", "spend.negative"),
        ("koc", "2026-11", "三百", "amount", "spend.malformed"),
        ("koc", "2026-11", "", "amount", "spend.empty"),
    ],
)
def test_bad_spend_is_refused_and_nothing_is_written(
    growth_shop: Database, channel: str, month: str, amount: str, field: str, code: str
) -> None:
    with pytest.raises(SpendError) as caught, growth_shop.transaction() as s:
        record_spend(s, "koc", "2026-11", "50")  # written first, rolled back with the rest
        record_spend(s, channel, month, amount)
    assert (caught.value.field, caught.value.code) == (field, code)
    with growth_shop.session() as s:
        assert s.exec(select(func.count()).select_from(ChannelSpend)).one() == 0


# -- KOC and UGC --------------------------------------------------------------------------------


def test_koc_and_ugc_share_and_each_koc(growth_shop: Database) -> None:
    # Joined 2025-12 .. 2026-11: all 8. By a KOC: B (小李), G (王阿姨) = 2; by another member
    # (UGC): C (by D) = 1. Share (2 + 1) ÷ 8 = 37.5%.
    # 小李 brought B, who bought the kit ¥259 and the oil ¥69 = ¥328; 王阿姨 brought G: ¥0.
    with growth_shop.session() as s:
        wom = growth_facts(s).word_of_mouth
    assert (wom.new_members, wom.koc_new, wom.ugc_new) == (8, 2, 1)
    assert wom.share == 0.375
    assert [(k.nickname, k.new_members, k.sales_cents) for k in wom.kocs] == [
        ("小李", 1, 32800),
        ("王阿姨", 1, 0),
    ]


def test_the_json_document(growth_shop: Database) -> None:
    _spend(growth_shop)
    with growth_shop.session() as s:
        doc: Any = growth_as_dict(growth_facts(s))
    june = next(c for c in doc["cohorts"] if c["month"] == "2026-06")
    assert june == {
        "month": "2026-06",
        "size": 2,
        "retained": {"1": 1, "2": 0, "3": 0, "6": None},
        "retention": {"1": 0.5, "2": 0.0, "3": 0.0, "6": None},
    }
    acquisition = doc["acquisition"]
    assert acquisition["spend_sources"] == ["recorded", "referral_coupons"]
    koc = acquisition["channels"][2]
    assert {k: koc[k] for k in ("channel", "label", "spend_cents", "new_members")} == {
        "channel": "koc",
        "label": "KOC",
        "spend_cents": 16000,
        "new_members": 2,
    }
    assert koc["cost_per_new_member_cents"] == 8000
    assert koc["months"][-1] == {
        "month": "2026-11",
        "spend_cents": 6000,
        "new_members": 1,
        "cost_per_new_member_cents": 6000,
    }
    wom = doc["word_of_mouth"]
    assert wom["share"] == 0.375 and wom["from_month"] == "2025-12"
    assert wom["kocs"][0] == {
        "id": 1,
        "nickname": "小李",
        "new_members": 1,
        "sales_cents": 32800,
    }


# -- empty data ----------------------------------------------------------------------------------


def test_an_empty_shop_has_no_figures_and_no_division_errors(db: Database) -> None:
    with db.session() as s:
        facts = growth_facts(s)
        with pytest.raises(FollowOnError) as caught:
            follow_on(s, KIT, OIL, 90)
    assert all(c.size == 0 for c in facts.cohorts)
    assert all(m.cost_cents is None for c in facts.costs for m in c.months)
    assert facts.word_of_mouth.share is None and facts.word_of_mouth.kocs == []
    assert facts.products == []
    assert caught.value.code == "follow_on.unknown"
    assert "还没有商品" in str(caught.value)


def test_referral_coupons_used_are_acquisition_spend(growth_shop: Database) -> None:
    # 王阿姨 (KOC) brought G in November: her ¥50 reward, used on o4 (¥69), is KOC spend.
    # D (no KOC) brought C: C's ¥80 first-order coupon, used on o9 (¥69), costs ¥69 only.
    # A wake-up coupon used and a referral coupon not used yet are no acquisition spend.
    from datetime import datetime

    from tuan.domain.dashboard.acquisition import referral_coupon_spend
    from tuan.models import Coupon

    used = datetime.fromisoformat("2026-11-21T10:00:00+08:00")
    with growth_shop.transaction() as s:
        s.add_all([
            Coupon(member_id=2, amount_cents=5000, expires_on=date(2026, 12, 31),
                   origin="referral", rule_key="referral:9:8:referrer", order_id=4,
                   redeemed_at=used),
            Coupon(member_id=4, amount_cents=8000, expires_on=date(2026, 12, 31),
                   origin="referral", rule_key="referral:9:4:friend", order_id=9,
                   redeemed_at=used),
            Coupon(member_id=5, amount_cents=1000, expires_on=date(2026, 12, 31),
                   origin="wake_up", rule_key="wake_up:3:5:2026-11", order_id=8,
                   redeemed_at=used),
            Coupon(member_id=8, amount_cents=5000, expires_on=date(2026, 12, 31),
                   origin="referral", rule_key="referral:9:8:friend"),
        ])  # fmt: skip
    with growth_shop.session() as s:
        assert referral_coupon_spend(s, ["2026-10", "2026-11"]) == {
            ("koc", "2026-11"): 5000,
            ("referral", "2026-11"): 6900,
        }
        koc = next(c for c in acquisition_costs(s, ["2026-11"]) if c.channel == "koc")
    assert koc.months[0].spend_cents == 5000 and koc.months[0].cost_cents == 5000  # G alone
