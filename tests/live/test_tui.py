"""A whole live driven from the keyboard, resuming after a restart, and the run-of-show editor."""

from __future__ import annotations

import io
import json
from datetime import timedelta

from rich.console import Console
from rich.text import Text
from sqlmodel import col, select
from textual.widgets import Input, Select, Static

from tests.helpers import settle
from tests.live.helpers import GIFT, Shop, build_shop
from tuan import clock
from tuan.db import Database
from tuan.models import Livestream, Order, OrderLine, Segment
from tuan.tui.app import TuanApp
from tuan.tui.live.mode import LiveModeScreen
from tuan.tui.live.screen import LiveScreen
from tuan.tui.live.show import RunOfShowScreen
from tuan.tui.shared.help import HelpScreen


def _text(app: TuanApp, selector: str) -> str:
    """What a panel shows, as plain text (Rich tables included)."""
    content = app.screen.query_one(selector, Static).content
    if isinstance(content, str | Text):
        return str(content)
    console = Console(width=140, record=True, file=io.StringIO())
    console.print(content)
    return console.export_text()


async def _type(app: TuanApp, pilot, line: str, keys: bool = False) -> None:
    """Enter a line in the focused input: key by key, or pasted in one go (faster)."""
    if keys:
        await pilot.press(*line)
    else:
        focused = app.focused
        assert isinstance(focused, Input)
        focused.value = line
    await pilot.press("enter")
    await settle(app, pilot)


async def _open_live_mode(app: TuanApp, pilot) -> None:
    await settle(app, pilot)
    await pilot.press("3")
    await settle(app, pilot)
    if not isinstance(app.screen, LiveModeScreen):
        await pilot.press("g")
        await settle(app, pilot)
    assert isinstance(app.screen, LiveModeScreen)


def _orders(db: Database) -> list[tuple[str, int, int, str]]:
    """(member id as text, qty, unit price, gift) of the live's lines, in order."""
    with db.session() as s:
        rows = s.exec(
            select(Order.member_id, OrderLine.qty, OrderLine.unit_price_cents, OrderLine.gift)
            .join(Order, col(Order.id) == col(OrderLine.order_id))
            .order_by(col(OrderLine.id))
        ).all()
        return [(str(m), q, p, g) for m, q, p, g in rows]


async def test_a_whole_live_start_segments_flash_sale_orders_and_summary(db: Database) -> None:
    shop = build_shop(db, cap=3, gifts=2)
    t0 = clock.now()
    app = TuanApp(db.target)
    async with app.run_test(size=(140, 40)) as pilot:
        await _open_live_mode(app, pilot)
        assert "待开播" in _text(app, "#status")
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen) and "一行记一单" in app.screen.body
        await pilot.press("escape")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "开场：厨房里的油" in _text(app, "#now")

        clock.freeze(t0 + timedelta(minutes=5))
        await pilot.press("pagedown")  # the flash-sale segment: its tied sale opens
        await settle(app, pilot)
        assert "秒杀：入门套装" in _text(app, "#now")
        assert "进行中" in _text(app, "#flash")
        await pilot.press("ctrl+g")
        await settle(app, pilot)
        await _type(app, pilot, "100")

        for minute, line in [(6, "王阿姨 1"), (7, "3-1202 1"), (8, "zj 套装1"), (9, "陈晨 1")]:
            clock.freeze(t0 + timedelta(minutes=minute))
            await _type(app, pilot, line, keys=minute == 6)
        assert "已抢光" in _text(app, "#flash"), "the cap of 3 is used up"
        assert "接龙价" in _text(app, "#entry-result"), "the fourth order took the chain price"
        clock.freeze(t0 + timedelta(minutes=16))  # the ten-minute window closed at minute 15
        await _type(app, pilot, "刘叔 套装1")
        assert app.screen.query_one("#entry", Input).value == "", "each saved line clears"

        await pilot.press("ctrl+t")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert app.screen.has_class("ended")
        assert "转化率    5.0%" in _text(app, "#end-summary")
        app.screen.query_one("#chain-text").focus()  # keys still work from the text box
        await pilot.press("c")
        assert app.clipboard.startswith("#接龙\n第73期 食用油专场")
        assert "5. 刘叔 6-502 套装×1" in app.clipboard

    m = {name: str(i) for name, i in shop.members.items()}
    assert _orders(db) == [
        (m["王阿姨"], 1, 19900, GIFT),
        (m["小李"], 1, 19900, GIFT),
        (m["张姐"], 1, 19900, ""),
        (m["陈晨"], 1, 25900, ""),
        (m["刘叔"], 1, 25900, ""),
    ]
    with db.session() as s:
        live = s.get(Livestream, shop.live)
        assert live is not None and live.status == "ended"
        assert json.loads(live.summary_json) == {
            "peak_viewers": 100,
            "buyers": 5,
            "orders": 5,
            "conversion": 0.05,
            "gmv_cents": 3 * 19900 + 2 * 25900,
            "gifts_given": 2,
            "new_members": 5,
            "teams_formed": 0,
            "teams_unfilled": 0,
        }
        starts = [seg.started_at for seg in s.exec(select(Segment).order_by(col(Segment.position)))]
        assert starts == [t0, t0 + timedelta(minutes=5), None]


async def test_reopening_the_app_resumes_the_live(db: Database) -> None:
    shop: Shop = build_shop(db, tied=False)
    t0 = clock.now()
    app = TuanApp(db.target)
    async with app.run_test(size=(140, 40)) as pilot:
        await _open_live_mode(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        clock.freeze(t0 + timedelta(minutes=2))
        await pilot.press("pagedown")
        await settle(app, pilot)
        await pilot.press("ctrl+f")  # start the flash sale early, by hand
        await settle(app, pilot)
        await _type(app, pilot, "王阿姨 2")
        await _type(app, pilot, "wy 亚麻1")
    # The app is gone without ending the live (closed, or crashed).

    clock.freeze(t0 + timedelta(minutes=4))
    again = TuanApp(db.target)
    async with again.run_test(size=(140, 40)) as pilot:
        await settle(again, pilot)
        await settle(again, pilot)
        assert isinstance(again.screen, LiveModeScreen), "live mode reopens by itself"
        assert "秒杀：入门套装" in _text(again, "#now")
        assert "已进行 02:00" in _text(again, "#now")
        assert "进行中" in _text(again, "#flash") and "已售 2/3" in _text(again, "#flash")
        orders = _text(again, "#orders")
        assert "王阿姨" in orders and "吴悦" in orders
        await _type(again, pilot, "小李 1")
        assert "¥199（直播价）" in _text(again, "#entry-result"), "the running sale still applies"
        await pilot.press("ctrl+z")
        await settle(again, pilot)
        assert "已撤销" in _text(again, "#orders")
    with db.session() as s:
        statuses = [o.status for o in s.exec(select(Order).order_by(col(Order.id)))]
        assert statuses == ["active", "active", "cancelled"]
        live = s.get(Livestream, shop.live)
        assert live is not None and live.status == "live"


async def test_run_of_show_editor_reorders_adds_and_refuses(db: Database) -> None:
    shop = build_shop(db)
    app = TuanApp(db.target)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("3")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, RunOfShowScreen)
        assert "计划 20 分钟" in _text(app, "#show-head")
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen) and "K** / **J" in app.screen.body
        await pilot.press("escape")
        await pilot.press("J")  # the opening moves below the flash-sale segment
        await settle(app, pilot)
        await pilot.press("a")
        await settle(app, pilot)
        await pilot.press(*"抽奖", "tab", "backspace", *"3", "enter")  # title, then minutes
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "计划 23 分钟" in _text(app, "#show-head")

        await pilot.press("f")
        await settle(app, pilot)
        app.screen.query_one("#field-item_id", Select).value = str(shop.linseed)
        app.screen.query_one("#field-live_price", Input).value = "79"
        app.screen.query_one("#field-start_minute", Input).value = "16"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "比接龙价 ¥69 还高" in _text(app, "#error-live_price")
        await pilot.press("escape")
        await settle(app, pilot)

    with db.session() as s:
        titles = [seg.title for seg in s.exec(select(Segment).order_by(col(Segment.position)))]
        assert titles == ["秒杀：入门套装", "开场：厨房里的油", "抽奖", "答疑与收尾"]
        minutes = s.exec(select(Segment.planned_minutes).where(Segment.title == "抽奖")).one()
        assert minutes == 3


async def test_create_link_copy_and_delete_a_livestream(db: Database) -> None:
    shop = build_shop(db)
    app = TuanApp(db.target)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("3")
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        await pilot.press("ctrl+s")  # an empty theme is refused beside its field
        await settle(app, pilot)
        assert "主题不能为空" in _text(app, "#error-theme")
        app.screen.query_one("#field-theme", Input).value = "早餐怎么吃"
        app.screen.query_one("#field-scheduled_at", Input).value = "明天 19:30"
        app.screen.query_one("#field-chain_id", Select).value = str(shop.chain)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        with db.session() as s:
            new = s.exec(select(Livestream).where(Livestream.theme == "早餐怎么吃")).one()
            assert new.chain_id == shop.chain
            assert new.scheduled_at == clock.now().replace(hour=19, minute=30) + timedelta(days=1)

        # Upcoming lives come first, soonest first: the shop's live (today) before the new one.
        assert isinstance(app.screen, LiveScreen) and app.screen.selected_id() == shop.live
        await pilot.press("x")
        await settle(app, pilot)
        assert app.clipboard.startswith("《厨房里的健康密码》第3期 食用油的选择\n")
        assert "2. 10:05-10:15  秒杀：入门套装（10分钟）" in app.clipboard
        await pilot.press("d", "y")
        await settle(app, pilot)
    with db.session() as s:
        assert s.get(Livestream, shop.live) is None
        assert s.exec(select(Segment).where(Segment.livestream_id == shop.live)).all() == []
