"""The top bar: the area in front, the database, and a clock that moves each second."""

from __future__ import annotations

from datetime import datetime, timedelta

from rich.text import Text
from textual.app import App, ComposeResult

from tests.helpers import settle
from tuan import clock
from tuan.tui.shared.topbar import TopBar


class _Host(App[None]):
    db_label = "/home/leader/Documents/团购/tuan-" + "很长的名字" * 20 + ".db"

    def compose(self) -> ComposeResult:
        yield TopBar("接龙")


async def test_the_bar_names_the_area_keeps_the_clock_whole_and_ticks() -> None:
    start = datetime(2026, 12, 6, 10, 0, 0, tzinfo=clock.local_zone())
    clock.freeze(start)
    try:
        app = _Host()
        async with app.run_test(size=(120, 3)) as pilot:
            await settle(app, pilot)
            line = app.screen.query_one(TopBar).render()
            text = line.plain
            assert text.startswith(" 团 tuan ") and "2 接龙" in text
            assert text.endswith(" 12-06 10:00:00 ") and line.cell_len == 120
            assert "…" in text, "a long database name is cut, never the clock"
            current = text.index("2 接龙")
            assert line.get_style_at_offset(app.console, current).reverse, "the area in front"
            bar, drawn = app.screen.query_one(TopBar), []
            original = bar.render

            def render() -> Text:
                drawn.append(original().plain)
                return original()

            bar.render = render  # type: ignore[method-assign]
            clock.freeze(start + timedelta(seconds=5))
            await pilot.pause(1.2)
            assert drawn and "12-06 10:00:05" in drawn[-1], "redrawn within the second"
    finally:
        clock.freeze(None)
