"""The chains area from the keyboard: create a chain, take entries, export, paste back, import."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.widgets import DataTable, Input, Static, TextArea

from tests.helpers import settle
from tuan.db import open_database
from tuan.domain.shared.people import MemberDraft, create_member
from tuan.tui.app import TuanApp

NEIGHBOURS = [("王阿姨", "3", "1202"), ("小李", "5", "601"), ("李阿姨", "2", "301")]


@pytest.fixture
def neighbours_db(tmp_path: Path) -> Path:
    path = tmp_path / "tuan.db"
    database = open_database(path)
    with database.transaction() as session:
        for nickname, building, room in NEIGHBOURS:
            create_member(session, MemberDraft(nickname=nickname, building=building, room=room))
    database.close()
    return path


def _cells(app: TuanApp, selector: str) -> list[list[str]]:
    table = app.screen.query_one(selector, DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def _type(app: TuanApp, pilot, text: str, tabs: int = 1) -> None:
    await pilot.press(*text)
    await pilot.press(*["tab"] * tabs)


async def _create_chain(app: TuanApp, pilot) -> None:
    """From the start: the chains area, then a new chain saved through its form."""
    await settle(app, pilot, rounds=4)
    await pilot.press("2")
    await settle(app, pilot, rounds=4)
    await pilot.press("n")
    await settle(app, pilot, rounds=4)
    await _type(app, pilot, "第1期 冷榨油团", tabs=3)  # title → description → status → deadline
    await _type(app, pilot, "11-28 20:00")
    await _type(app, pilot, "3号楼门口", tabs=2)
    await _type(app, pilot, "11-29 09:00-21:00", tabs=2)  # → code "A" → name
    await _type(app, pilot, "冷榨橄榄油", tabs=2)  # → spec → price
    await _type(app, pilot, "89", tabs=2)  # → original → limit
    await _type(app, pilot, "3")
    await _type(app, pilot, "50")
    await pilot.press(*"橄榄油 橄榄")
    await pilot.press("ctrl+n")  # a second product row, code B, cursor in its name
    await settle(app, pilot, rounds=4)
    await _type(app, pilot, "健康厨房入门套装", tabs=2)
    await _type(app, pilot, "259", tabs=2)
    await _type(app, pilot, "2")
    await _type(app, pilot, "10")
    await pilot.press(*"套装")
    await pilot.press("ctrl+s")
    await settle(app, pilot, rounds=4)


async def _paste_and_preview(app: TuanApp, pilot, text: str) -> None:
    """In the import screen: paste `text` as WeChat would, then ask for the preview."""
    app.screen.query_one("#import-text", TextArea).post_message(events.Paste(text))
    await settle(app, pilot, rounds=4)
    await pilot.press("ctrl+s")
    await settle(app, pilot, rounds=4)


async def _add_entry(app: TuanApp, pilot, who: str, items: str, note: str = "") -> None:
    await pilot.press("a")
    await settle(app, pilot, rounds=4)
    await pilot.press(*who)
    await settle(app, pilot, rounds=4)
    await pilot.press("enter")  # the first suggestion (or "new member")
    await settle(app, pilot, rounds=4)
    if app.focused is not None and app.focused.id == "new-nickname":
        await pilot.press("enter", "enter")  # keep the prefilled nickname and room
    await pilot.press(*items)
    await settle(app, pilot, rounds=4)
    await pilot.press("enter", *note, "enter")  # → note → save
    await settle(app, pilot, rounds=4)


async def test_create_chain_take_entries_export_and_import_back(neighbours_db: Path) -> None:
    app = TuanApp(str(neighbours_db))
    async with app.run_test(size=(140, 40)) as pilot:
        await _create_chain(app, pilot)
        assert type(app.screen).__name__ == "ChainsScreen", "the form closed after saving"
        assert _cells(app, "#chain-table")[0][1] == "第1期 冷榨油团"

        await pilot.press("enter")
        await settle(app, pilot, rounds=4)
        await _add_entry(app, pilot, "wy", "套装1")  # pinyin initials of 王阿姨
        await _add_entry(app, pilot, "5-601", "橄榄油2", note="不要发票")  # a room
        await _add_entry(app, pilot, "张奶奶 9-901", "橄榄1 套装1")  # a new neighbour
        rows = _cells(app, "#entry-table")
        assert [r[:3] for r in rows] == [
            ["1", "王阿姨", "3-1202"],
            ["2", "小李", "5-601"],
            ["3", "张奶奶", "9-901"],
        ]
        assert "成交额 ¥785" in str(app.screen.query_one("#entry-totals", Static).render())

        await pilot.press("x")
        await settle(app, pilot, rounds=4)
        exported = app.clipboard
        assert exported.startswith("#接龙\n第1期 冷榨油团\n")
        assert exported.rstrip().splitlines()[-3:] == [
            "1. 王阿姨 3-1202 套装×1",
            "2. 小李 5-601 橄榄油×2（不要发票）",
            "3. 张奶奶 9-901 橄榄油×1 套装×1",
        ]
        assert app.screen.query_one("#export-text", TextArea).text == exported
        await pilot.press("escape")
        await settle(app, pilot, rounds=4)

        await pilot.press("i")
        await settle(app, pilot, rounds=4)
        longer = exported + "4. 李阿姨 2-301 橄榄油1\n5、🌸Amy 7-701 套装×1 谢谢\n"
        await _paste_and_preview(app, pilot, longer)
        preview = _cells(app, "#import-table")
        assert [(r[0], r[2], r[5]) for r in preview] == [
            ("1", "已有", "不变"),
            ("2", "已有", "不变"),
            ("3", "已有", "不变"),
            ("4", "已有", "新增"),
            ("5", "新团员", "新增"),
        ]
        await pilot.press("ctrl+s")
        await settle(app, pilot, rounds=4)
        assert type(app.screen).__name__ == "ChainEntriesScreen"
        rows = _cells(app, "#entry-table")
        assert [(r[0], r[1]) for r in rows][3:] == [("4", "李阿姨"), ("5", "Amy")]
        assert rows[4][5] == "谢谢"


async def test_a_paste_without_entries_says_how_they_are_written(neighbours_db: Path) -> None:
    app = TuanApp(str(neighbours_db))
    async with app.run_test(size=(140, 40)) as pilot:
        await _create_chain(app, pilot)
        await pilot.press("enter", "i")
        await settle(app, pilot, rounds=4)
        opening = "#接龙\n第1期 冷榨油团\n\n冷榨橄榄油 ¥89\n截止后不再加单\n"
        await _paste_and_preview(app, pilot, opening)
        summary = str(app.screen.query_one("#import-summary", Static).render())
        assert "没有读到接龙条目" in summary and "1. 王阿姨 3-1202 套装1" in summary


async def test_form_refuses_bad_input_beside_the_field(neighbours_db: Path) -> None:
    app = TuanApp(str(neighbours_db))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot, rounds=4)
        await pilot.press("2")
        await settle(app, pilot, rounds=4)
        await pilot.press("n")
        await settle(app, pilot, rounds=4)
        await pilot.press("tab", "tab", "tab", *"11-20 20:00")
        await pilot.press("ctrl+s")
        await settle(app, pilot, rounds=4)
        assert type(app.screen).__name__ == "ChainFormScreen", "nothing saved, nothing lost"
        assert "标题不能为空" in str(app.screen.query_one("#title-error", Static).render())
        assert "已经过了" in str(app.screen.query_one("#deadline-error", Static).render())
        assert app.screen.query_one("#deadline", Input).value == "11-20 20:00"
        await pilot.press("shift+tab", "shift+tab", "shift+tab", *"第2期")
        await settle(app, pilot, rounds=4)
        assert str(app.screen.query_one("#title-error", Static).render()) == ""
