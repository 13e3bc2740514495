"""The demo story is rich enough for every screen and deterministic."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from tuan import clock
from tuan.db import Database
from tuan.domain.demo import build_demo
from tuan.domain.metrics import monthly_stats
from tuan.models import Chain, Livestream, Member, Order, Partner, Poster, Reminder


def _count(s: Session, model: type, *where: object) -> int:
    return int(s.exec(select(func.count()).select_from(model).where(*where)).one())  # type: ignore[call-overload]


def test_partners_members_and_kocs(demo_db: Database) -> None:
    with demo_db.session() as s:
        assert _count(s, Partner) == 5
        assert _count(s, Poster) == 5
        assert _count(s, Member) >= 150
        assert len(set(s.exec(select(Member.building)).all())) >= 6
        assert _count(s, Member, col(Member.is_koc)) >= 3
        xiaoli = s.exec(select(Member).where(Member.nickname == "小李")).one()
        assert xiaoli.is_koc
        assert _count(s, Member, Member.referrer_id == xiaoli.id) == 12
        for source in ("partner", "referral", "offline", "live"):
            assert _count(s, Member, Member.source == source) > 0


def test_a_year_of_chains_with_one_open_and_one_waiting_for_pickup(demo_db: Database) -> None:
    today = clock.today()
    with demo_db.session() as s:
        assert _count(s, Chain, Chain.status == "open") == 1
        waiting = s.exec(select(Chain).where(Chain.status == "closed")).one()
        assert waiting.pickup_start is not None
        assert clock.local(waiting.pickup_start).date() == today
        months = monthly_stats(s, 12)
    assert all(m.orders > 0 for m in months), "every one of the last 12 months has orders"
    assert months[1].repurchase_rate < months[-1].repurchase_rate, "repurchase grows"
    assert months[-1].repurchase_rate > 0.8


def test_the_livestream_series(demo_db: Database) -> None:
    with demo_db.session() as s:
        lives = s.exec(select(Livestream).order_by(col(Livestream.episode))).all()
        assert [lv.status for lv in lives] == ["ended", "ended", "planned"]
        assert lives[2].theme == "食用油的选择"
        assert all(lv.series == "厨房里的健康密码" for lv in lives)
        for past in lives[:2]:
            summary = json.loads(past.summary_json)
            assert summary["buyers"] > 0 and summary["gifts_given"] > 0
            assert _count(s, Order, Order.livestream_id == past.id) == summary["orders"]


def test_reminders_overdue_today_and_upcoming(demo_db: Database) -> None:
    today = clock.today()
    with demo_db.session() as s:
        assert _count(s, Reminder, Reminder.due_on < today) > 0
        assert _count(s, Reminder, Reminder.due_on == today) > 0
        assert _count(s, Reminder, Reminder.due_on > today) > 0


def test_demo_is_deterministic() -> None:
    day = date(2026, 11, 26)
    first, second = build_demo(today=day), build_demo(today=day)
    assert {k: v for k, v in first.tables.items()} == {k: v for k, v in second.tables.items()}
