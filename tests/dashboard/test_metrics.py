"""The business numbers on a small hand-computed fixture, and their CLI and report."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tuan.cli import app
from tuan.db import Database
from tuan.domain.dashboard.metrics import live_conversions, monthly_stats
from tuan.models import Chain, ChainItem, Livestream, Member, Order, OrderLine


def _at(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T12:00:00+08:00")


@pytest.fixture
def shop(db: Database) -> Database:
    with db.transaction() as s:
        s.add_all(
            [
                Member(
                    id=1, nickname="A", source="offline", is_koc=True, joined_on=date(2026, 9, 1)
                ),
                Member(
                    id=2,
                    nickname="B",
                    source="referral",
                    referrer_id=1,
                    joined_on=date(2026, 10, 2),
                ),
                Member(
                    id=3,
                    nickname="C",
                    source="partner",
                    partner_id=None,
                    joined_on=date(2026, 10, 20),
                ),
                Member(id=4, nickname="D", source="offline", joined_on=date(2026, 8, 1)),
                Chain(id=1, title="T", status="done"),
            ]
        )
        s.flush()
        s.add(ChainItem(id=1, chain_id=1, name="油", price_cents=100))
        orders = [
            (1, "2026-09-05", 10000, "active"),
            (1, "2026-10-01", 5000, "active"),
            (2, "2026-10-15", 3000, "active"),
            (3, "2026-11-02", 2000, "active"),
            (4, "2026-08-01", 4000, "active"),
            (2, "2026-11-03", 99900, "cancelled"),
        ]
        for seq, (member, day, cents, status) in enumerate(orders, start=1):
            s.add(
                Order(
                    id=seq,
                    chain_id=1,
                    seq=seq,
                    member_id=member,
                    status=status,
                    created_at=_at(day),
                    updated_at=_at(day),
                )
            )
            s.flush()
            s.add(OrderLine(order_id=seq, item_id=1, qty=1, unit_price_cents=cents))
        s.add(
            Livestream(
                theme="食用油的选择",
                episode=1,
                status="ended",
                peak_viewers=100,
                summary_json=json.dumps({"peak_viewers": 100, "buyers": 65, "gmv_cents": 1}),
                scheduled_at=_at("2026-10-01"),
            )
        )
    return db


def test_monthly_numbers_match_the_hand_computation(shop: Database) -> None:
    with shop.session() as s:
        sep, oct_, nov = monthly_stats(s, 3)
    assert [m.month for m in (sep, oct_, nov)] == ["2026-09", "2026-10", "2026-11"]
    assert [m.gmv_cents for m in (sep, oct_, nov)] == [10000, 8000, 2000], "cancelled excluded"
    assert [m.buyers for m in (sep, oct_, nov)] == [1, 2, 1]
    assert [m.repurchase_rate for m in (sep, oct_, nov)] == [0.0, 0.5, 0.0]
    assert [m.avg_ltv_cents for m in (sep, oct_, nov)] == [7000, 7333, 6000]
    assert [m.top_ltv_cents for m in (sep, oct_, nov)] == [10000, 15000, 15000]
    assert [m.dormant for m in (sep, oct_, nov)] == [1, 1, 1], "only D, silent since 08-01"
    assert (oct_.new_members, oct_.referral_share, oct_.koc_share) == (2, 0.5, 0.5)
    assert sep.new_members == 1 and sep.referral_share == 0.0


def test_live_conversion_is_buyers_over_peak_viewers(shop: Database) -> None:
    with shop.session() as s:
        (live,) = live_conversions(s)
    assert live.conversion == 0.65


def test_stats_json_and_month_option(shop: Database) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["--db", shop.target, "stats", "--json", "--month", "2026-10"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["months"][-1]["month"] == "2026-10"
    assert document["months"][-1]["repurchase_rate"] == 0.5
    assert document["livestreams"][0]["conversion"] == 0.65
    bad = runner.invoke(app, ["--db", shop.target, "stats", "--month", "2026-13"])
    assert bad.exit_code == 2 and "YYYY-MM" in bad.output


def test_report_is_a_self_contained_page_with_charts(shop: Database, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["--db", shop.target, "report", "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.count("<svg") == 8
    assert "复购率" in page and "直播转化率" in page
    assert "http" not in page.replace("http-equiv", ""), "no external resources"
