"""The live summary: one definition for the live mode, the demo's past episodes and the CLI."""

from __future__ import annotations

import pytest
from sqlmodel import select

from tuan.db import Database
from tuan.domain.dashboard.metrics import live_conversions
from tuan.domain.live.summary import (
    LiveOrderFact,
    LiveSummary,
    compute_summary,
    stored_summary,
    summarize,
)
from tuan.models import Livestream


def test_summarize_counts_buyers_orders_gifts_and_new_members() -> None:
    facts = [
        LiveOrderFact(order_id=1, member_id=7, cents=19900, gift_key=1, first_purchase=True),
        LiveOrderFact(order_id=1, member_id=7, cents=6900, gift_key=None, first_purchase=True),
        LiveOrderFact(order_id=2, member_id=8, cents=19900, gift_key=1, first_purchase=False),
        LiveOrderFact(order_id=3, member_id=7, cents=25900, gift_key=None, first_purchase=True),
    ]
    assert summarize(4, facts) == LiveSummary(
        peak_viewers=4,
        buyers=2,
        orders=3,
        conversion=0.5,
        gmv_cents=19900 + 6900 + 19900 + 25900,
        gifts_given=2,
        new_members=1,
    )
    assert summarize(0, []).conversion == 0.0, "no viewer count: no conversion, no crash"


def test_demo_episodes_store_what_the_summary_function_computes(demo_db: Database) -> None:
    with demo_db.session() as s:
        ended = s.exec(select(Livestream).where(Livestream.status == "ended")).all()
        assert len(ended) == 2
        for live in ended:
            stored = stored_summary(live)
            assert stored is not None
            assert stored == compute_summary(s, live.id or 0)
            assert stored.orders > 0 and stored.gifts_given == 20
            assert stored.conversion == round(stored.buyers / stored.peak_viewers, 4)
        feeds = {lv.id: lv for lv in live_conversions(s)}  # what the dashboard shows
        for live in ended:
            stored = stored_summary(live)
            assert stored is not None
            assert feeds[live.id or 0].conversion == pytest.approx(stored.conversion, abs=1e-4)
            assert feeds[live.id or 0].gmv_cents == stored.gmv_cents
