"""GMV, LTV, repurchase, a live's GMV and gross profit net of refunds, computed by hand on the
fruit shop (`tests/shared/refund_fixtures.py`), today 2026-11-26.

November before refunds: GMV 190 + 90 + 80 + 0 (榴莲, no price yet) = ¥360 over orders 2, 3, 4,
5; buyers 王阿姨, 小李, 老周, of whom 王阿姨 (October) returns: 1 / 3. After the three refunds:
- GMV 140 + 45 + 0 (order 4 refunded whole: no order, 老周 no buyer) + 0 = ¥185, 3 orders;
- refunds of November ¥175 (50 + 45 + 80);
- repurchase 王阿姨 of 王阿姨, 小李: 1 / 2;
- LTV at month end: 王阿姨 100 + 140 = 240, 小李 45: average 285 / 2 = ¥142.50, top ¥240;
- gross profit: 橙子 (cost ¥30) sold 150 − 50 + 90 − 45 = ¥145 on 2 + 1 pieces kept, costing
  ¥90: ¥55, margin 55 / 145 = 37.9%; 苹果 (no cost) 40 + 0 = ¥40 without cost;
- the live: ¥90 − ¥45 = ¥45, profit 45 − 30 = ¥15.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.shared.refund_fixtures import make_fruit_shop, refund_three
from tuan.cli import app
from tuan.db import Database
from tuan.domain.dashboard.metrics import (
    chain_margins,
    live_conversions,
    live_margin,
    month_margin,
    monthly_stats,
)
from tuan.domain.live.summary import compute_summary


@pytest.fixture
def shop(db: Database) -> Database:
    return make_fruit_shop(db)


def _november(db: Database):
    with db.session() as s:
        return monthly_stats(s, 2)[-1]


def test_before_refunds_the_fixture_reads_as_computed(shop: Database) -> None:
    nov = _november(shop)
    assert (nov.gmv_cents, nov.orders, nov.buyers, nov.returning_buyers) == (36000, 4, 3, 1)
    assert (nov.avg_ltv_cents, nov.top_ltv_cents, nov.refunds_cents) == (15333, 29000, 0)


def test_refunds_lower_gmv_ltv_repurchase_and_profit(shop: Database) -> None:
    _november(shop)  # a reading cached before the refunds must not survive them
    refund_three(shop)
    nov = _november(shop)
    assert (nov.gmv_cents, nov.orders, nov.refunds_cents) == (18500, 3, 17500)
    assert (nov.buyers, nov.returning_buyers, round(nov.repurchase_rate, 2)) == (2, 1, 0.5)
    assert (nov.avg_ltv_cents, nov.top_ltv_cents) == (14250, 24000)
    margin = month_margin(nov)
    assert (margin.covered_cents, margin.cost_cents, margin.profit_cents) == (14500, 9000, 5500)
    assert round(margin.margin or 0, 3) == 0.379 and margin.uncovered_cents == 4000
    with shop.session() as s:
        chain, items = chain_margins(s, 1)
        assert chain.gmv_cents == 18500 and items[1].covered_units == 3
        live = live_margin(s, 1)
        assert (live.gmv_cents, live.profit_cents) == (4500, 1500)
        assert compute_summary(s, 1).gmv_cents == 4500
        assert [lv.gmv_cents for lv in live_conversions(s)] == [4500]


def test_stats_json_has_the_months_refunds(shop: Database, tmp_path: Path) -> None:
    refund_three(shop)
    result = CliRunner().invoke(app, ["--db", shop.target, "stats", "--json"])
    assert result.exit_code == 0, result.output
    months = {m["month"]: m for m in json.loads(result.stdout)["months"]}
    assert months["2026-11"]["refunds_cents"] == 17500
    assert months["2026-11"]["gmv_cents"] == 18500
    assert months["2026-10"]["refunds_cents"] == 0


def test_a_members_lifetime_value_is_net_of_refunds(shop: Database) -> None:
    from tuan.domain.members.listing import member_stats
    from tuan.domain.members.page import member_page

    refund_three(shop)
    with shop.session() as s:
        stats = member_stats(s)
        page = member_page(s, 1)
    assert (stats[1].ltv_cents, stats[3].ltv_cents) == (24000, 0)
    assert page.ltv_cents == 24000
    assert [o.cents for o in page.orders] == [14000, 10000]


@pytest.mark.sqlite_only
def test_a_refund_written_by_another_tool_makes_the_dashboard_snapshot_stale(
    shop: Database,
) -> None:
    import sqlite3

    from tuan.domain.dashboard import snapshot
    from tuan.domain.dashboard.overview import cached_overview, save_snapshot

    with shop.session() as s:
        before, document = cached_overview(s)
    assert document is not None and before.months[-1].gmv_cents == 36000
    save_snapshot(shop, document)
    assert shop.path is not None and snapshot.read(shop.path) is not None
    with sqlite3.connect(shop.path) as conn:  # no write generation bumped: only the key sees it
        conn.execute(
            "INSERT INTO refund (order_id, line_id, qty, amount_cents, reason, refunded_on, "
            "note, created_at) VALUES (2, 2, 1, 5000, 'bad_fruit', '2026-11-26', '', "
            "'2026-11-26T02:00:00+00:00')"
        )
    assert snapshot.read(shop.path) is None, "the refund's row is part of the key"
    with shop.session() as s:
        after, _document = cached_overview(s)
    assert (after.months[-1].gmv_cents, after.months[-1].refunds_cents) == (31000, 5000)
