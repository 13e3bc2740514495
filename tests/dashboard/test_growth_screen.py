"""The growth screen (g on the dashboard) on the demo: its figures, the follow-on form and the
spend form, driven from the keyboard."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console
from sqlmodel import select
from textual.widgets import Input, Select, Static

from tests.helpers import notes, settle
from tuan.db import Database
from tuan.models import ChannelSpend
from tuan.tui.app import TuanApp
from tuan.tui.dashboard.growth import GrowthScreen
from tuan.tui.dashboard.growth_forms import GrowthForm
from tuan.tui.dashboard.screen import DashboardScreen
from tuan.tui.shared.help import HelpScreen


def _text(app: TuanApp, selector: str) -> str:
    console = Console(width=160, record=True, file=io.StringIO())
    console.print(app.screen.query_one(selector, Static).content)
    return console.export_text()


async def _open(app: TuanApp, pilot: object) -> None:
    await settle(app, pilot)  # type: ignore[arg-type]
    await pilot.press("g")  # type: ignore[attr-defined]
    await settle(app, pilot)  # type: ignore[arg-type]
    assert isinstance(app.screen, GrowthScreen)


async def test_g_opens_the_growth_figures(demo_path: Path) -> None:
    app = TuanApp(str(demo_path))
    async with app.run_test(size=(160, 45)) as pilot:
        await _open(app, pilot)
        cohorts = _text(app, "#cohorts")
        assert "首单月份" in cohorts and "6 个月后" in cohorts and "2026-05" in cohorts
        wom = _text(app, "#word-of-mouth")
        assert "KOC 和 UGC 带新占比（2025-12 至 2026-11）" in wom
        assert "小李" in wom and "王阿姨" in wom
        costs = _text(app, "#costs")
        for label in ("合作点位海报", "老带新", "KOC", "直播"):
            assert label in costs
        assert "按 f" in _text(app, "#follow")
        await pilot.press("question_mark")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        assert "获客成本：每个渠道" in app.screen.body
        assert ("f", "连带复购") in app.screen.keys and ("s", "记录投入") in app.screen.keys
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, GrowthScreen)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("question_mark")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        assert "连带复购：在所选期间" in app.screen.body and "成交额：" in app.screen.body
        assert ("g", "增长") in app.screen.keys


async def test_the_follow_on_form_shows_the_answer_with_its_counts(demo_path: Path) -> None:
    app = TuanApp(str(demo_path))
    async with app.run_test(size=(160, 45), message_hook=notes(app)) as pilot:
        await _open(app, pilot)
        await pilot.press("f")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, GrowthForm)
        form.query_one("#field-first", Select).value = "健康厨房入门套装"
        form.query_one("#field-then", Select).value = "冷榨亚麻籽油"
        assert form.query_one("#field-days", Input).value == "90"
        assert form.query_one("#field-start", Input).value == "2026-05-26"
        form.query_one("#field-days", Input).value = "0"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form, "refused: the form stays with what was typed"
        assert "天数要在 1 到 3650 之间" in _text(app, "#error-days")
        form.query_one("#field-days", Input).value = "90"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, GrowthScreen)
        shown = _text(app, "#follow")
        assert "买过「健康厨房入门套装」的团员，90 天内又买「冷榨亚麻籽油」" in shown
        assert "%（" in shown and any("连带复购" in m for m in notes(app).messages())


async def test_the_spend_form_records_and_the_costs_move(
    demo_path: Path, demo_db: Database
) -> None:
    app = TuanApp(str(demo_path))
    async with app.run_test(size=(160, 45), message_hook=notes(app)) as pilot:
        await _open(app, pilot)
        await pilot.press("s")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, GrowthForm)
        assert form.query_one("#field-month", Input).value == "2026-11"
        form.query_one("#field-channel", Select).value = "koc"
        form.query_one("#field-amount", Input).value = "0"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form and "投入金额要大于 0" in _text(app, "#error-amount")
        form.query_one("#field-amount", Input).value = "88"
        form.query_one("#field-note", Input).value = "样品"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, GrowthScreen)
        assert "已记录获客投入" in notes(app).messages()
    with demo_db.session() as s:
        rows = s.exec(select(ChannelSpend).where(ChannelSpend.note == "样品")).all()
    assert [(r.channel, r.month, r.amount_cents) for r in rows] == [("koc", "2026-11", 8800)]
