"""Member points: earned per yuan and for actions, redeemed, corrected, levels; never edited."""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from tests.members.test_rules import NOW, build_town
from tuan.db import Database
from tuan.domain.members import points as pts
from tuan.domain.members.rules import run_rules
from tuan.models import Member, PointsEntry


@pytest.fixture
def member(db: Database) -> int:
    with db.transaction() as s:
        m = Member(nickname="王阿姨")
        s.add(m)
        s.flush()
        return m.id or 0


def test_actions_redemption_and_correction_make_a_running_ledger(db: Database, member: int) -> None:
    with db.transaction() as s:
        pts.record_action(s, member, "签到", 5)
        pts.record_action(s, member, "月度最佳厨艺奖（UGC）", 200)
        pts.redeem(s, member, 150, "燕麦片1袋")
        pts.correct(s, member, -5, "签到记重了")
    with db.session() as s:
        rows = pts.ledger(s, member)
        summary = pts.summary(s, member)
    assert [(r.delta, r.kind, r.balance) for r in rows] == [
        (5, "action", 5),
        (200, "action", 205),
        (-150, "redeem", 55),
        (-5, "correct", 50),
    ]
    assert rows[2].reason == "兑换：燕麦片1袋"
    assert summary.balance == 50
    assert summary.growth == 200, "redeeming never lowers the level; corrections do count"


def test_redeeming_more_than_the_balance_is_refused(db: Database, member: int) -> None:
    with db.transaction() as s:
        pts.record_action(s, member, "分享接龙", 10)
    with db.transaction() as s, pytest.raises(pts.PointsError, match="积分不足：余额 10，需要 300"):
        pts.redeem(s, member, 300, "燕麦片1袋")
    with db.session() as s:
        assert pts.balance(s, member) == 10


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s, m: pts.record_action(s, m, "", 5), "原因"),
        (lambda s, m: pts.record_action(s, m, "签到", 0), "1 到 100000"),
        (lambda s, m: pts.redeem(s, m, 10, " "), "兑换的商品"),
        (lambda s, m: pts.correct(s, m, 10, ""), "原因"),
        (lambda s, m: pts.correct(s, m, 0, "没事"), "不能为 0"),
        (lambda s, m: pts.record_action(s, 999, "签到", 5), "找不到团员"),
    ],
)
def test_bad_entries_are_explained(db: Database, member: int, call, message: str) -> None:
    with db.transaction() as s, pytest.raises(pts.PointsError, match=message):
        call(s, member)


def test_levels_by_growth_points(db: Database, member: int) -> None:
    with db.transaction() as s:
        pts.set_levels(s, pts.parse_levels("普通:0，银卡:100, 金卡:300"))
        pts.record_action(s, member, "晒单", 120)
    with db.session() as s:
        summary = pts.summary(s, member)
    assert summary.level.name == "银卡" and summary.next_level is not None
    assert summary.next_level.name == "金卡" and summary.to_next == 180


@pytest.mark.parametrize("text", ["银卡:100", "普通:0, 银卡", "普通:0, 银卡:0", "普通:零"])
def test_bad_levels_are_refused(text: str) -> None:
    with pytest.raises(pts.PointsError):
        pts.parse_levels(text)


def test_rate_applies_to_orders_seen_after_the_change(db: Database) -> None:
    ids = build_town(db)
    with db.transaction() as s:
        pts.set_points_rate(s, 2)
        run_rules(s, NOW)
    with db.session() as s:
        zhou = s.exec(select(PointsEntry).where(col(PointsEntry.member_id) == ids["zhou"])).one()
    assert zhou.delta == 2 * 623 and zhou.reason == "消费积分"


def test_rate_must_be_sensible(db: Database) -> None:
    with db.transaction() as s, pytest.raises(pts.PointsError):
        pts.set_points_rate(s, 101)
    with db.session() as s:
        assert pts.points_rate(s) == 1


def test_demo_kinds_are_read_from_existing_entries(demo_db: Database) -> None:
    with demo_db.session() as s:
        redeemed = s.exec(select(PointsEntry).where(col(PointsEntry.delta) < 0)).first()
        assert redeemed is not None
        rows = pts.ledger(s, redeemed.member_id)
    assert {r.kind for r in rows} >= {"order", "redeem"}
