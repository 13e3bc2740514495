"""Driving the members area from the keyboard on the demo: tags, reminders, edits, rules, points."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, col, select
from textual.widgets import DataTable, Input, Select, Static

from tests.helpers import settle, until
from tuan.db import open_database
from tuan.domain.members.reminders import ReminderRow
from tuan.models import Member, MemberTag, PointsEntry, Reminder, ReminderRule, Tag
from tuan.tui.app import TuanApp
from tuan.tui.members.reminder_inbox import ReminderInboxScreen
from tuan.tui.members.screen import _cells

TODAY = date(2026, 11, 26)


@pytest.fixture(autouse=True)
def no_system_clipboard(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Keep tests away from the machine's real clipboard; remember what pyperclip got."""
    import pyperclip

    copied: list[str] = []
    monkeypatch.setattr(pyperclip, "copy", copied.append)
    return copied


def _text(app: TuanApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def _rows(app: TuanApp, selector: str) -> list[list[str]]:
    table = app.screen.query_one(selector, DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def _open_member(app: TuanApp, pilot, query: str) -> None:
    await pilot.press("5")
    await settle(app, pilot, rounds=4)
    await pilot.press("slash", *query, "enter")
    await settle(app, pilot, rounds=4)
    await pilot.press("enter")
    await settle(app, pilot, rounds=4)
    assert type(app.screen).__name__ == "MemberPageScreen"


async def test_tag_a_member_in_two_keystrokes(demo_path: Path) -> None:
    app = TuanApp(str(demo_path))
    async with app.run_test(size=(140, 40)) as pilot:
        await _open_member(app, pilot, "3-1202")
        assert "19714252306" in _text(app, "#member-profile"), "full phone on the page"
        await pilot.press("t", "1")
        await settle(app, pilot, rounds=4)
        await pilot.press("escape")
        await settle(app, pilot, rounds=4)
        assert "宝妈" in _text(app, "#member-tags")
        await pilot.press("escape")
        await settle(app, pilot, rounds=4)
        row = next(r for r in _rows(app, "#member-table") if r[1] == "小李")
        assert row[3] == "197****2306" and "宝妈" in row[7]
    database = open_database(demo_path)
    with database.session() as s:
        tag = s.exec(select(Tag).where(col(Tag.name) == "宝妈")).one()
        assert s.get(MemberTag, (1, tag.id)) is not None
    database.close()


async def _inbox(app: TuanApp, pilot) -> ReminderRow:
    await pilot.press("5")
    await settle(app, pilot, rounds=4)
    await pilot.press("r")
    await settle(app, pilot, rounds=4)
    assert isinstance(app.screen, ReminderInboxScreen)
    current = app.screen.reminder_table().current()
    assert current is not None and current.due_on < TODAY, "the cursor starts on the oldest"
    return current


def _reminder(path: Path, reminder_id: int) -> Reminder:
    database = open_database(path)
    with database.session() as s:
        found = s.get(Reminder, reminder_id)
    database.close()
    assert found is not None
    return found


async def test_inbox_copy_done_and_snooze(demo_path: Path, no_system_clipboard: list[str]) -> None:
    app = TuanApp(str(demo_path))
    async with app.run_test(size=(140, 40)) as pilot:
        first = await _inbox(app, pilot)
        assert "逾期" in _text(app, "#inbox-summary")
        assert first.message in _text(app, "#inbox-message")
        await pilot.press("c")
        await pilot.pause()
        assert app.clipboard == first.message
        assert no_system_clipboard == [first.message]
        await pilot.press("d")
        await settle(app, pilot, rounds=4)
        assert isinstance(app.screen, ReminderInboxScreen)
        second = app.screen.reminder_table().current()
        assert second is not None and second.id != first.id
        await pilot.press("s", "3")
        await settle(app, pilot, rounds=4)
        await pilot.press("u")  # undo the done
        await settle(app, pilot, rounds=4)
    assert _reminder(demo_path, first.id).status == "open"
    assert _reminder(demo_path, second.id).due_on == TODAY + timedelta(days=3)


async def test_done_stays_done(demo_path: Path) -> None:
    app = TuanApp(str(demo_path))
    async with app.run_test(size=(140, 40)) as pilot:
        first = await _inbox(app, pilot)
        await pilot.press("d")
        await settle(app, pilot, rounds=4)
        summary = _text(app, "#inbox-summary")
    assert _reminder(demo_path, first.id).status == "done"
    assert "逾期 5" in summary


async def test_manual_reminder_from_the_inbox(demo_path: Path) -> None:
    app = TuanApp(str(demo_path))
    async with app.run_test(size=(140, 40)) as pilot:
        await _inbox(app, pilot)
        await pilot.press("n")
        await settle(app, pilot, rounds=4)
        await pilot.press(*"小李", "enter")  # member, then the due date (明天) stays
        await pilot.press("enter", *"送试吃装", "ctrl+s")
        await settle(app, pilot, rounds=4)
        assert type(app.screen).__name__ == "ReminderInboxScreen"
    database = open_database(demo_path)
    with database.session() as s:
        made = s.exec(select(Reminder).where(col(Reminder.title) == "送试吃装")).one()
    database.close()
    assert made.member_id == 1 and made.due_on == TODAY + timedelta(days=1)


async def test_edit_refuses_a_bad_phone_and_keeps_the_data(demo_path: Path) -> None:
    app = TuanApp(str(demo_path))
    async with app.run_test(size=(140, 40)) as pilot:
        await _open_member(app, pilot, "3-1202")
        await pilot.press("e")
        await settle(app, pilot, rounds=4)
        phone = app.screen.query_one("#f-phone", Input)
        phone.value = "1381234"
        await pilot.press("ctrl+s")
        await settle(app, pilot, rounds=4)
        assert type(app.screen).__name__ == "MemberFormScreen"
        assert "手机号格式不对" in _text(app, "#p-phone")
        phone.value = "13900001111"
        await pilot.press("ctrl+s")
        await settle(app, pilot, rounds=4)
        assert type(app.screen).__name__ == "MemberPageScreen"
        assert "13900001111" in _text(app, "#member-profile")


async def test_record_points_for_a_check_in(demo_path: Path) -> None:
    app = TuanApp(str(demo_path))
    async with app.run_test(size=(140, 40)) as pilot:
        await _open_member(app, pilot, "3-1202")
        await pilot.press("p")
        await settle(app, pilot, rounds=4)
        await pilot.press("ctrl+s")  # 签到, 5 points, as prefilled
        await settle(app, pilot, rounds=4)
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert _rows(app, "#member-ledger")[0][1] == "+5"
    database = open_database(demo_path)
    with database.session() as s:
        last = s.exec(select(PointsEntry).order_by(col(PointsEntry.id).desc())).first()
    database.close()
    assert last is not None and (last.member_id, last.delta, last.reason) == (1, 5, "签到")


async def test_filters_and_rules_view(demo_path: Path) -> None:
    app = TuanApp(str(demo_path))
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("5")
        await settle(app, pilot, rounds=4)
        app.screen.query_one("#filter-koc", Select).value = "koc"
        await settle(app, pilot, rounds=4)
        assert {r[1] for r in _rows(app, "#member-table")} == {
            "小李",
            "张姐",
            "王阿姨",
            "健身达人阿杰",
        }
        await pilot.press("escape")
        await settle(app, pilot, rounds=4)
        assert "共 300 人" in _text(app, "#member-count")
        await pilot.press("g")
        await settle(app, pilot, rounds=4)
        assert [r[2] for r in _rows(app, "#tag-rules")] == [
            "买过亚麻籽油",
            "沉睡60天",
            "高价值沉睡",
        ]
        await pilot.press("tab", "space")  # the first reminder rule, off
        await settle(app, pilot, rounds=4)
    database = open_database(demo_path)
    with database.session() as s:
        assert [r.enabled for r in s.exec(select(ReminderRule).order_by(col(ReminderRule.id)))][
            :2
        ] == [
            False,
            True,
        ]
        assert s.get(Member, 1) is not None
    database.close()


async def test_add_a_member_and_find_them_by_initials(tmp_path: Path) -> None:
    app = TuanApp(str(tmp_path / "new.db"))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("5")
        await settle(app, pilot, rounds=4)
        await pilot.press("n")
        await settle(app, pilot, rounds=4)
        await pilot.press(*"新邻居", "enter", "enter", *"9号楼909", "ctrl+s")
        await settle(app, pilot, rounds=4)
        assert type(app.screen).__name__ == "MemberPageScreen"
        assert "9-909" in _text(app, "#member-profile")
        await pilot.press("escape")
        await settle(app, pilot, rounds=4)
        await pilot.press("slash", *"xlj")
        await settle(app, pilot, rounds=4)
        assert [r[1] for r in _rows(app, "#member-table")] == ["新邻居"]


async def test_a_nickname_in_brackets_shows_as_typed_in_the_list(demo_path: Path) -> None:
    """Cells are plain strings: `[b]`-like text in a nickname is never read as markup."""
    db = open_database(str(demo_path))
    with db.transaction() as s:
        s.add(Member(nickname="[b]小满[/b] [VIP]", building="3", room="0303"))
    db.close()
    app = TuanApp(str(demo_path))
    app.PREBUILD_AFTER = None
    async with app.run_test(size=(140, 36)) as pilot:
        await pilot.press("5")
        await settle(app, pilot, rounds=4)
        await pilot.press("slash", *"小满")
        await settle(app, pilot, rounds=4)
        table = app.screen.query_one("#member-table", DataTable)
        assert table.row_count == 1
        drawn = "".join(segment.text for segment in table.render_line(1))  # under the header
        assert "[b]小满[/b] [VIP]" in drawn


async def test_the_list_shows_before_every_members_figures_are_read(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first page (the biggest spenders, unfiltered) comes from the index on spend: it is on
    screen while everyone's figures, which the searches need, are still being read."""
    import tuan.domain.members.listing as listing

    database = open_database(demo_path)
    with database.session() as s:
        first = listing.top_spenders(s, 100)
        assert first is not None, "the demo has more than a page of buyers"
    database.close()
    page, total = first
    gate = threading.Event()
    read = listing.member_stats

    def held_up(session: Session) -> dict[int, listing.MemberStats]:
        gate.wait(10)
        return read(session)

    monkeypatch.setattr(listing, "member_stats", held_up)
    app = TuanApp(str(demo_path))
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("5")
        await until(pilot, lambda: bool(_rows(app, "#member-table")))
        assert _rows(app, "#member-table") == [list(_cells(m)) for m in page]
        assert f"共 {total} 人" in _text(app, "#member-count")
        assert not gate.is_set()
        gate.set()
        await pilot.press("slash", *"3-1202")
        await settle(app, pilot, rounds=4)
        assert [r[1] for r in _rows(app, "#member-table")] == ["小李"]
