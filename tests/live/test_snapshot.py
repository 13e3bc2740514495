"""Live mode on the demo's episode 3, 42 minutes in, with the clock frozen at 10:00:00."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from textual.widgets import Input

from tests.helpers import settle
from tuan import clock
from tuan.db import open_database
from tuan.domain.live.entry import enter_line
from tuan.domain.live.session import next_segment, set_viewers, start_live
from tuan.tui.app import TuanApp

EPISODE_3 = 3


def _on_air(path: Path) -> None:
    """Episode 3 started 42 minutes ago; its flash-sale segment began 4 minutes ago."""
    t0 = clock.now()
    db = open_database(path)
    with db.transaction() as s:
        start_live(s, EPISODE_3, t0 - timedelta(minutes=42))
        for minutes_ago in (37, 25, 15, 4):
            next_segment(s, EPISODE_3, t0 - timedelta(minutes=minutes_ago))
        set_viewers(s, EPISODE_3, 128)
    for seconds_ago, line in ((200, "王阿姨 1"), (130, "3-1202 套装1"), (45, "张姐 1")):
        result = enter_line(db, EPISODE_3, line, t0 - timedelta(seconds=seconds_ago))
        assert result.ok, result.message
    db.close()


def test_live_mode_snapshot(demo_path: Path, snap_compare) -> None:
    _on_air(demo_path)

    async def resume(pilot) -> None:
        await settle(pilot.app, pilot)
        # the live on air reopens live mode by itself, no key pressed
        await settle(pilot.app, pilot)
        pilot.app.screen.query_one("#entry", Input).cursor_blink = False
        pilot.app.clear_notifications()
        await pilot.pause()

    app = TuanApp(str(demo_path), db_label="demo.db")
    assert snap_compare(app, terminal_size=(140, 40), run_before=resume)
