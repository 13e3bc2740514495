"""Referral trees and KOC commission per month, on hand-checked numbers."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tuan.db import Database
from tuan.domain.members.referrals import (
    AttributedOrder,
    commission_by_month,
    commission_cents,
    koc_report,
    referral_tree,
    upline,
    would_cycle,
)
from tuan.models import Member

TZ = datetime.fromisoformat("2026-11-26T10:00:00+08:00").tzinfo


@pytest.fixture
def family(db: Database) -> dict[str, int]:
    """小李 brought 甲 and 乙; 甲 brought 丙; 丙 brought 丁."""
    ids: dict[str, int] = {}
    with db.transaction() as s:
        for name, referrer in [
            ("小李", None),
            ("甲", "小李"),
            ("乙", "小李"),
            ("丙", "甲"),
            ("丁", "丙"),
        ]:
            m = Member(nickname=name, referrer_id=ids.get(referrer or ""), is_koc=name == "小李")
            s.add(m)
            s.flush()
            ids[name] = m.id or 0
    return ids


def test_tree_and_upline(db: Database, family: dict[str, int]) -> None:
    with db.session() as s:
        tree = referral_tree(s, family["小李"])
        assert [(d, n.nickname) for d, n in tree.lines()] == [
            (0, "小李"),
            (1, "甲"),
            (2, "丙"),
            (3, "丁"),
            (1, "乙"),
        ]
        assert tree.size == 4
        assert [n for _i, n in upline(s, family["丁"])] == ["丙", "甲", "小李"]
        assert would_cycle(s, family["小李"], family["丁"])
        assert not would_cycle(s, family["乙"], family["丁"])


def test_a_loop_in_old_data_does_not_hang(db: Database, family: dict[str, int]) -> None:
    with db.transaction() as s:
        head = s.get(Member, family["小李"])
        assert head is not None
        head.referrer_id = family["丁"]
        s.add(head)
    with db.session() as s:
        assert referral_tree(s, family["小李"]).size == 4
        assert [n for _i, n in upline(s, family["小李"])] == ["丁", "丙", "甲"]


@pytest.mark.parametrize(
    ("gmv", "bp", "owed"),
    [(10000, 1000, 1000), (3900, 1200, 468), (12345, 800, 988), (5, 1000, 1), (4, 1000, 0)],
)
def test_commission_rounds_half_up_to_the_fen(gmv: int, bp: int, owed: int) -> None:
    assert commission_cents(gmv, bp) == owed


def test_commission_per_month() -> None:
    def order(month: int, day: int, cents: int) -> AttributedOrder:
        return AttributedOrder(1, 2, "甲", datetime(2026, month, day, 23, 30, tzinfo=TZ), cents)

    orders = [order(9, 30, 10000), order(10, 31, 20000), order(11, 1, 5000), order(11, 20, 5000)]
    months = commission_by_month(orders, 1200, 3, date(2026, 11, 26))
    assert [(m.month, m.orders, m.gmv_cents, m.commission_cents) for m in months] == [
        ("2026-09", 1, 10000, 1200),
        ("2026-10", 1, 20000, 2400),  # 23:30 on the 31st local time is still October
        ("2026-11", 2, 10000, 1200),
    ]


def test_koc_report_on_the_demo(demo_db: Database) -> None:
    with demo_db.session() as s:
        rows = {r.nickname: r for r in koc_report(s, "2026-10")}
    xiaoli = rows["小李"]
    assert xiaoli.brought == 12 and xiaoli.commission_bp == 1200
    assert xiaoli.commission_cents == commission_cents(xiaoli.gmv_cents, 1200) > 0
