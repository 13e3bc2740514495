"""The bill import screen from the keyboard (preview, pick, confirm) and the 催款 keys of the
pickup list."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import ContentSwitcher, DataTable, Input, Static

from tests.helpers import notes, settle
from tests.payments.fixtures import WECHAT, Shop, make_shop, paid_orders
from tuan.db import open_database
from tuan.tui.app import TuanApp


@pytest.fixture
def shop_path(tmp_path: Path) -> tuple[Path, Shop]:
    path = tmp_path / "shop.db"
    database = open_database(path)
    shop = make_shop(database)
    database.close()
    return path, shop


def _column(app: TuanApp, table_id: str, column: int) -> list[str]:
    table = app.screen.query_one(table_id, DataTable)
    return [str(table.get_row_at(i)[column]) for i in range(table.row_count)]


async def _pickup(app: TuanApp, pilot) -> None:
    await settle(app, pilot)
    await pilot.press("4")
    await settle(app, pilot)


async def test_import_a_bill_preview_pick_then_confirm(shop_path) -> None:
    path, shop = shop_path
    app = TuanApp(str(path))
    async with app.run_test(size=(160, 45), message_hook=notes(app)) as pilot:
        await _pickup(app, pilot)
        assert "未付款 7 单 ¥961" in str(app.screen.query_one("#pickup-unpaid", Static).render())
        await pilot.press("b")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "PaymentImportScreen"
        app.screen.query_one("#pay-file", Input).value = str(WECHAT)
        await pilot.press("enter")
        await settle(app, pilot)
        assert _column(app, "#pay-table", 0) == [str(n) for n in range(18, 28)]
        statuses = [*["已对上"] * 5, "待选", "跳过", "未对上", "跳过", "跳过"]
        assert _column(app, "#pay-table", 4) == statuses
        assert _column(app, "#pay-table", 5)[0] == "1号 王阿姨、2号 李叔"
        summary = str(app.screen.query_one("#pay-summary", Static).render())
        assert (
            "已对上 5，待选 1，未对上 1，跳过 3" in summary
            and "确认后记入 5 笔，共 ¥783" in summary
        )
        assert app.screen.check_action("pick", ()) is True
        await pilot.press("down", "down", "down", "down", "down")  # line 23: 清风徐来 ¥89
        await pilot.press("m")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "PickOrderScreen"
        await pilot.press("enter")  # the first choice: 7号 孙阿姨, the nearer in time
        await settle(app, pilot)
        assert type(app.screen).__name__ == "PaymentImportScreen"
        assert _column(app, "#pay-table", 4)[5] == "已对上"
        assert _column(app, "#pay-table", 5)[5] == "7号 孙阿姨"
        await pilot.press("down")  # a skipped row (支出): nothing to pick
        assert app.screen.check_action("pick", ()) is False
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "ConfirmScreen"
        await pilot.press("y")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "PickupScreen"
        assert "已记入 6 笔付款，共 ¥872，6 单已付清" in notes(app).messages()
        assert "未付款 1 单 ¥89" in str(app.screen.query_one("#pickup-unpaid", Static).render())
    database = open_database(path)
    assert paid_orders(database, shop) == {1, 2, 3, 4, 6, 7, 8}
    database.close()


async def test_a_bad_bill_is_refused_in_the_screen(shop_path, tmp_path: Path) -> None:
    path, _shop = shop_path
    empty = tmp_path / "空.csv"
    empty.write_bytes(b"")
    app = TuanApp(str(path))
    async with app.run_test(size=(160, 45), message_hook=notes(app)) as pilot:
        await _pickup(app, pilot)
        await pilot.press("b")
        await settle(app, pilot)
        app.screen.query_one("#pay-file", Input).value = str(empty)
        await pilot.press("enter")
        await settle(app, pilot)
        assert any("文件是空的" in m for m in notes(app).errors())
        assert app.screen.query_one(ContentSwitcher).current == "file-stage", "no preview"
        await pilot.press("escape")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "PickupScreen"


async def test_the_command_palette_opens_the_import(shop_path) -> None:
    path, _shop = shop_path
    app = TuanApp(str(path))
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await settle(app, pilot)
        for key in "导入微信":
            await pilot.press(key)
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "PaymentImportScreen"


async def test_copy_the_reminder_of_one_order_or_all_unpaid(shop_path) -> None:
    path, _shop = shop_path
    app = TuanApp(str(path))
    copied: list[str] = []
    setattr(app, "copy_to_clipboard", copied.append)  # noqa: B010 (a stand-in clipboard)
    async with app.run_test(size=(160, 45), message_hook=notes(app)) as pilot:
        await _pickup(app, pilot)
        await pilot.press("n")  # only the unpaid: 7 of 8
        assert len(_column(app, "#checklist", 0)) == 7
        await pilot.press("r")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "RemindPayModal"
        assert copied[-1] == (
            "王阿姨您好，第72期 健康粮油团 您的 健康厨房入门套装×1 共¥199 还未付款，"
            "方便时微信转账即可，谢谢～"
        )
        assert "催款消息已复制，可以粘贴到微信" in notes(app).messages()
        await pilot.press("escape")
        await pilot.press("R")
        await settle(app, pilot)
        assert copied[-1].count("方便时微信转账即可") == 7
        assert "赵六您好" in copied[-1]


async def test_a_bill_dropped_on_the_terminal_is_read(shop_path, tmp_path: Path) -> None:
    # macOS Terminal drops `微信支付账单\(…\).csv`: the shell's backslashes, not the file's name.
    path, _shop = shop_path
    dropped = tmp_path / "微信支付账单 (20261201-20261206).csv"
    dropped.write_bytes(WECHAT.read_bytes())
    typed = str(dropped).replace(" ", "\\ ").replace("(", "\\(").replace(")", "\\)")
    app = TuanApp(str(path))
    async with app.run_test(size=(160, 45), message_hook=notes(app)) as pilot:
        await _pickup(app, pilot)
        await pilot.press("b")
        await settle(app, pilot)
        app.screen.query_one("#pay-file", Input).value = typed
        await pilot.press("enter")
        await settle(app, pilot)
        assert not notes(app).errors()
        assert _column(app, "#pay-table", 0) == [str(n) for n in range(18, 28)]
