"""The dashboard's quicker readings give what the per-row readings give (issue 19)."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.helpers import count_fetch, wait_for_workers
from tuan import clock
from tuan.db import Database
from tuan.domain.chains.listing import list_chains
from tuan.domain.dashboard.metrics import load_margins, margins_by, month_margins
from tuan.domain.shared.states import ChainStatus
from tuan.tui.app import TuanApp


@pytest.mark.parametrize("zone", ["+08:00", "+05:30", "-03:00"])
def test_margins_per_month_match_the_per_order_reading_in_any_zone(
    demo_db: Database, zone: str
) -> None:
    # +05:30: not whole hours, so an hour's orders may fall on two local days (minutes then)
    clock.freeze(datetime.fromisoformat(f"2026-11-26T10:00:00{zone}"))
    with demo_db.session() as s:
        per_order = margins_by(load_margins(s), lambda f: f.month)
        assert month_margins(s) == per_order
    assert len(per_order) >= 6 and any(m.cost_cents for m in per_order.values())


def test_the_open_chains_alone_are_the_open_chains_of_the_whole_list(demo_db: Database) -> None:
    with demo_db.session() as s:
        everything = list_chains(s)
        open_only = list_chains(s, status=ChainStatus.OPEN)
    assert open_only == [c for c in everything if c.status == ChainStatus.OPEN]
    assert open_only and len(open_only) < len(everything)


@pytest.mark.parametrize("stored", [False, True])
async def test_the_app_reads_the_dashboard_once_at_start(
    demo_db: Database, monkeypatch: pytest.MonkeyPatch, stored: bool
) -> None:
    from tuan.domain.dashboard.overview import cached_overview, save_snapshot
    from tuan.tui.dashboard.screen import DashboardScreen

    if demo_db.path is None:
        pytest.skip("the app opens a file")
    if stored:
        with demo_db.session() as s:
            _shown, document = cached_overview(s)
        assert document is not None
        save_snapshot(demo_db, document)
    path = demo_db.path
    demo_db.close()
    calls = count_fetch(monkeypatch, DashboardScreen)
    app = TuanApp(str(path))
    app.PREBUILD_AFTER = None  # only the dashboard: no areas built ahead
    async with app.run_test(size=(140, 40)) as pilot:
        for _ in range(40):
            await pilot.pause(0.05)
            await wait_for_workers(app)
            if calls or app._started_chores:
                break
        await pilot.pause(0.3)
        await wait_for_workers(app)
        assert "逾期" in str(app.screen.query_one("#reminders").render()), "the reading is shown"
    # At most one fresh reading: two side by side each slowed the other. With a snapshot that
    # holds on the deep check (done without the ORM), none at all.
    assert len(calls) == (0 if stored else 1)
