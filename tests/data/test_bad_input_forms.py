"""Every form, opened from the keyboard on the demo and fed bad values.

Each refusal must show beside its field (and in an error notification), keep the form open with
everything typed still there, and leave the database exactly as it was. One app session per area
walks all of that area's forms; the full catalogue of bad values per field runs against the
domain functions the forms delegate to (`test_bad_input_domain.py`).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.widget import Widget
from textual.widgets import Input, Static, TextArea

from tests.data.bad_input import (
    EMOJI,
    EMPTY,
    HUGE,
    NEGATIVE,
    NON_NUMERIC,
    PAST_DATE,
    SQL,
    TOO_LONG,
    assert_clear_chinese,
    fingerprint,
)
from tests.helpers import notes, settle
from tuan.tui.app import TuanApp
from tuan.tui.chains.import_ import ChainImportScreen


@pytest.fixture(autouse=True)
def no_system_clipboard(monkeypatch: pytest.MonkeyPatch) -> None:
    import pyperclip

    monkeypatch.setattr(pyperclip, "copy", lambda _text: None)


async def put(app: TuanApp, pilot, selector: str, text: str, *, keys: bool = False) -> None:
    """Clear a field and enter `text`: pasted (as a terminal delivers a paste), or key by key."""
    widget = app.screen.query_one(selector)
    widget.focus()
    if isinstance(widget, TextArea):
        widget.clear()
    else:
        assert isinstance(widget, Input)
        widget.value = ""
    if keys:
        await pilot.press(*("space" if ch == " " else ch for ch in text))
    elif text:
        app.post_message(events.Paste(text))  # to the focused field, once
    await pilot.pause()


def value_of(app: TuanApp, selector: str) -> str:
    widget: Widget = app.screen.query_one(selector)
    if isinstance(widget, TextArea):
        return widget.text
    assert isinstance(widget, Input), f"{selector} is a text box"
    return widget.value


def shown(app: TuanApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def error_notes(app: TuanApp) -> list[str]:
    return notes(app).errors()


async def submit(app: TuanApp, pilot, keys: str = "ctrl+s") -> None:
    notes(app).clear()
    await pilot.press(keys)
    await settle(app, pilot)


def assert_refused(app: TuanApp, form: str, beside: str, *says: str) -> None:
    """Still on the form; the reason beside the field and in an error notification."""
    assert type(app.screen).__name__ == form, "a refused form stays open"
    assert_clear_chinese(shown(app, beside), *says)
    notes = error_notes(app)
    assert any(all(s in note for s in says) for note in notes), f"not notified: {notes}"


# --- chains: the chain form, the entry form, the import preview -------------------------------


async def test_chain_forms_refuse_bad_values_and_keep_what_was_typed(demo_path: Path) -> None:
    before = fingerprint(demo_path)
    app = TuanApp(str(demo_path))
    async with app.run_test(size=(150, 45), message_hook=notes(app)) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        await _chain_form(app, pilot)
        await _entry_form(app, pilot)
        await _import_new(app, pilot)
    assert fingerprint(demo_path) == before


CHAIN_FORM_BAD = [
    # (field selector, bad value, error line, words the reason must contain)
    ("#title", TOO_LONG, "#title-error", ("标题太长",)),
    ("#deadline", PAST_DATE, "#deadline-error", ("已经过了",)),
    ("#pickup_point", TOO_LONG, "#pickup_point-error", ("太长",)),
    ("#pickup_time", EMOJI, "#pickup_time-error", ("看不懂的时间",)),
    (".item-name", EMPTY, ".row-error", ("商品名不能为空",)),
    (".item-price", NON_NUMERIC, ".row-error", ("看不懂的金额",)),
    (".item-original", NEGATIVE, ".row-error", ("负数",)),
    (".item-limit", SQL, ".row-error", ("每人限购",)),
    (".item-stock", HUGE, ".row-error", ("库存最多",)),
    (".item-code", EMOJI, ".row-error", ("编号是一个字母",)),
    (".item-team_size", "1", ".row-error", ("成团人数至少 2 人",)),  # 拼团: a team of one
    (".item-team_price", "79.999", ".row-error", ("两位小数",)),
]


async def _chain_form(app: TuanApp, pilot) -> None:
    await pilot.press("n")
    await settle(app, pilot)
    for selector, bad, _line, _says in CHAIN_FORM_BAD:
        await put(app, pilot, selector, bad)
    await put(app, pilot, "#description", TOO_LONG)
    await submit(app, pilot)
    assert type(app.screen).__name__ == "ChainFormScreen"
    for selector, bad, line, says in CHAIN_FORM_BAD:
        assert_clear_chinese(shown(app, line), *says)
        assert value_of(app, selector) == bad, f"{selector} lost what was typed"
    assert "说明太长" in shown(app, "#items-error")
    assert "有 13 处需要修改" in error_notes(app)[0]
    await pilot.press("escape")
    await settle(app, pilot)


async def _entry_form(app: TuanApp, pilot) -> None:
    await pilot.press("enter")  # the newest chain: 第72期, open
    await settle(app, pilot)
    await pilot.press("a")
    await settle(app, pilot)
    await submit(app, pilot)
    assert_refused(app, "EntryFormScreen", "#entry-error", "请先选择团员")
    await pilot.press(*"小李")
    await settle(app, pilot)
    await pilot.press("enter")
    await settle(app, pilot)
    for items, says, keys in [
        (EMPTY, "请填写商品和数量", False),
        (SQL, "没读出商品", False),
        ("套装99999", "没读懂", True),
        ("-1套装", "负数", True),
    ]:
        await put(app, pilot, "#items", items, keys=keys)
        await settle(app, pilot)
        await submit(app, pilot)
        assert_refused(app, "EntryFormScreen", "#entry-error", says)
        assert value_of(app, "#items") == items
    await put(app, pilot, "#items", "套装1")
    await put(app, pilot, "#note", TOO_LONG)
    await submit(app, pilot)
    assert_refused(app, "EntryFormScreen", "#entry-error", "备注太长")
    assert value_of(app, "#note") == TOO_LONG
    await pilot.press("escape")
    await settle(app, pilot)
    await pilot.press("escape")
    await settle(app, pilot)


async def _import_new(app: TuanApp, pilot) -> None:
    await pilot.press("I")
    await settle(app, pilot)
    await submit(app, pilot)
    assert "先把群里的接龙粘贴进来" in " ".join(notes(app).messages())
    for pasted in (SQL, EMOJI * 20):  # entries alone make a chain (tests/chains/test_new_from_text)
        await put(app, pilot, "#import-text", pasted)
        await submit(app, pilot)
        assert isinstance(app.screen, ChainImportScreen)
        assert not app.screen.previewing
        assert_clear_chinese(error_notes(app)[0], "没有读到商品")
        assert value_of(app, "#import-text") == pasted, "the pasted text is kept to fix"
    await pilot.press("escape")
    await settle(app, pilot)


async def refuse_each(
    app: TuanApp, pilot, form: str, cases: list[tuple[str, str, str, str]], error: str
) -> None:
    """For each (field, bad value, words of the reason, good value): type, save, check, mend.

    `error` formats a field name into the selector of the line beside it.
    """
    for name, bad, says, good in cases:
        selector = FIELD[form].format(name=name)
        await put(app, pilot, selector, bad)
        await submit(app, pilot)
        assert_refused(app, form, error.format(name=name), *says.split("|"))
        assert value_of(app, selector) == bad, f"{name}: what was typed is kept"
        await put(app, pilot, selector, good)


#: How each kind of form names its fields.
FIELD = {
    "FormModal": "#field-{name}",
    "MemberFormScreen": "#f-{name}",
    "PointsFormScreen": "#f-{name}",
    "ReminderFormScreen": "#f-{name}",
    "PointsSettingsScreen": "#f-{name}",
    "TagRuleFormScreen": "#f-{name}",
}


# --- live: the livestream, segment and flash-sale forms; order entry in live mode --------------

LIVE_FORM_BAD = [
    ("theme", EMPTY, "主题不能为空", "早餐的健康密码"),
    ("episode", NON_NUMERIC, "期数", "4"),
    ("episode", HUGE, "期数太大", "4"),
    ("series", TOO_LONG, "系列名太长", "厨房里的健康密码"),
    ("scheduled_at", "2020-01-01 19:30", "已经过了", "明天 19:30"),
]
SEGMENT_FORM_BAD = [
    ("title", EMPTY, "环节标题不能为空", "抽奖"),
    ("planned_minutes", HUGE, "时长（分钟）太大", "5"),
]
FLASH_FORM_BAD = [
    ("live_price", NEGATIVE, "负数", "1"),
    ("live_price", EMOJI, "看不懂的金额", "1"),
    ("start_minute", NEGATIVE, "开始", "30"),
    ("live_price", "99999", "还高", "1"),
    ("cap", HUGE, "限量太大", "10"),
    ("gift", "前999名赠《食谱》", "比限量 10 还多", ""),
]


async def test_live_forms_refuse_bad_values_and_keep_what_was_typed(demo_path: Path) -> None:
    from textual.widgets import Select

    before = fingerprint(demo_path)
    app = TuanApp(str(demo_path))
    async with app.run_test(size=(150, 45), message_hook=notes(app)) as pilot:
        await settle(app, pilot)
        await pilot.press("3")
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        await refuse_each(app, pilot, "FormModal", LIVE_FORM_BAD, "#error-{name}")
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("enter")  # the planned live's run-of-show
        await settle(app, pilot)
        assert type(app.screen).__name__ == "RunOfShowScreen"
        await pilot.press("a")
        await settle(app, pilot)
        await refuse_each(app, pilot, "FormModal", SEGMENT_FORM_BAD, "#error-{name}")
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("f")
        await settle(app, pilot)
        items = app.screen.query_one("#field-item_id", Select)
        items.value = items._options[-1][1]  # the last product of the linked chain
        await refuse_each(app, pilot, "FormModal", FLASH_FORM_BAD, "#error-{name}")
        await pilot.press("escape")
        await settle(app, pilot)
    assert fingerprint(demo_path) == before


async def test_live_mode_refuses_bad_order_lines(demo_path: Path) -> None:
    app = TuanApp(str(demo_path))
    async with app.run_test(size=(150, 45), message_hook=notes(app)) as pilot:
        await settle(app, pilot)
        await pilot.press("3")
        await settle(app, pilot)
        await pilot.press("g")
        await settle(app, pilot)
        await pilot.press("ctrl+s")  # on air: from here on, only orders could change anything
        await settle(app, pilot)
        before = fingerprint(demo_path)
        for line, says in [
            (SQL, "找不到"),
            (EMOJI, "找不到"),
            ("小李 套装99999", "数量"),
            ("小李 -1", "数量"),
            ("不存在的人 套装1", "找不到"),
            (TOO_LONG, "找不到"),
        ]:
            await put(app, pilot, "#entry", line)
            await pilot.press("enter")
            await settle(app, pilot)
            assert_clear_chinese(shown(app, "#entry-result"), says)
            assert value_of(app, "#entry") == line, "a refused line stays to be fixed"
        await pilot.press("ctrl+g")
        await settle(app, pilot)
        await refuse_each(
            app, pilot, "FormModal", [("viewers", NON_NUMERIC, "观看人数", "120")], "#error-{name}"
        )
        await pilot.press("escape")
        await settle(app, pilot)
        assert fingerprint(demo_path) == before


# --- pickup: partial collection and the export form -------------------------------------------


async def test_pickup_forms_refuse_bad_values(demo_path: Path) -> None:
    before = fingerprint(demo_path)
    app = TuanApp(str(demo_path))
    async with app.run_test(size=(150, 45), message_hook=notes(app)) as pilot:
        await settle(app, pilot)
        await pilot.press("4")
        await settle(app, pilot)
        await pilot.press("enter")  # partial collection of the highlighted order
        await settle(app, pilot)
        assert type(app.screen).__name__ == "CollectLinesModal"
        first = app.screen.query("Input").first(Input)
        for bad in (HUGE, NEGATIVE, EMPTY, NON_NUMERIC):
            await put(app, pilot, f"#{first.id}", bad)
            await submit(app, pilot, "ctrl+s")
            error = f"#error-{(first.id or '').removeprefix('line-')}"
            assert_refused(app, "CollectLinesModal", error, "请填 0 到")
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        for path, says in ((EMPTY, "请填写文件名"), ("/no/such/folder/清单.pdf", "文件夹不存在")):
            await put(app, pilot, "#export-path", path)
            await submit(app, pilot, "ctrl+s")
            assert_refused(app, "ExportModal", "#export-error", says)
            assert value_of(app, "#export-path") == path
        await pilot.press("escape")
        await settle(app, pilot)
    assert fingerprint(demo_path) == before


# --- members: member, points, reminder, tags, rules, points settings ---------------------------

MEMBER_FORM_BAD = [
    ("nickname", EMPTY, "昵称不能为空"),
    ("name", TOO_LONG, "姓名太长"),
    ("room", EMOJI, "房号格式不对"),
    ("phone", NON_NUMERIC, "手机号格式不对"),
    ("referrer", SQL, "找不到推荐人"),
    ("notes", TOO_LONG, "备注太长"),
]
POINTS_FORM_BAD = [
    ("points", NON_NUMERIC, "请输入整数积分", "5"),
    ("points", HUGE, "1 到 100000", "5"),
    ("reason", TOO_LONG, "太长", "签到"),
]
REMINDER_FORM_BAD = [
    ("due", PAST_DATE, "已经过了", "明天"),
    ("member", SQL, "找不到团员", "小李"),
    ("title", TOO_LONG, "标题太长", "回电"),
]
RULE_FORM_BAD = [
    ("tag_name", TOO_LONG, "最多 20 个字", "买过山茶油"),
    ("param_text", TOO_LONG, "商品名太长", "山茶油"),
]
POINTS_SETTINGS_BAD = [
    ("rate", NEGATIVE, "0 到 100", "1"),
    ("levels", SQL, "看不懂的等级", "普通:0,银卡:500"),
]


async def test_member_forms_refuse_bad_values_and_keep_what_was_typed(demo_path: Path) -> None:
    before = fingerprint(demo_path)
    app = TuanApp(str(demo_path))
    async with app.run_test(size=(150, 45), message_hook=notes(app)) as pilot:
        await settle(app, pilot)
        await pilot.press("5")
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        for name, bad, _says in MEMBER_FORM_BAD:
            await put(app, pilot, f"#f-{name}", bad)
        await submit(app, pilot)
        assert type(app.screen).__name__ == "MemberFormScreen"
        for name, bad, says in MEMBER_FORM_BAD:
            assert_clear_chinese(shown(app, f"#p-{name}"), says)
            assert value_of(app, f"#f-{name}") == bad
        assert "昵称不能为空" in error_notes(app)[0], "the first problem is said out loud"
        await pilot.press("escape")
        await settle(app, pilot)

        await pilot.press("slash", *"3-1202", "enter")  # 小李, by her room
        await settle(app, pilot)
        await settle(app, pilot)  # the search runs after a pause in typing
        await pilot.press("enter")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "MemberPageScreen"
        await pilot.press("p")
        await settle(app, pilot)
        await refuse_each(app, pilot, "PointsFormScreen", POINTS_FORM_BAD, "#p-{name}")
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("m")
        await settle(app, pilot)
        await refuse_each(app, pilot, "ReminderFormScreen", REMINDER_FORM_BAD, "#p-{name}")
        await put(app, pilot, "#f-title", EMPTY)
        await submit(app, pilot)
        assert_refused(app, "ReminderFormScreen", "#p-title", "请写上标题或消息")
        await put(app, pilot, "#f-message", TOO_LONG)
        await submit(app, pilot)
        assert_refused(app, "ReminderFormScreen", "#p-title", "消息太长")
        await pilot.press("escape")
        await settle(app, pilot)
        await _tag_picker(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)

        await pilot.press("g")
        await settle(app, pilot)
        await pilot.press("a")
        await settle(app, pilot)
        await refuse_each(app, pilot, "TagRuleFormScreen", RULE_FORM_BAD, "#p-{name}")
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("j")
        await settle(app, pilot)
        await refuse_each(app, pilot, "PointsSettingsScreen", POINTS_SETTINGS_BAD, "#p-{name}")
        await pilot.press("escape")
        await settle(app, pilot)
    assert fingerprint(demo_path) == before


async def _tag_picker(app: TuanApp, pilot) -> None:
    await pilot.press("t")
    await settle(app, pilot)
    await pilot.press("n")
    for bad, says in ((EMOJI * 11, "太长"),):
        await put(app, pilot, "#new-tag", bad)
        await submit(app, pilot, "enter")
        assert type(app.screen).__name__ == "TagPicker"
        assert_clear_chinese(error_notes(app)[0], says)
        assert value_of(app, "#new-tag") == bad, "a refused tag name stays to be fixed"
    await pilot.press("escape")  # out of the name box
    await pilot.press("escape")
    await settle(app, pilot)


# --- partners: partner, poster ---------------------------------------------------------------

PARTNER_FORM_BAD = [
    ("name", EMPTY, "名称不能为空", "悦动健身（新店）"),
    ("name", TOO_LONG, "名称太长", "悦动健身（新店）"),
    ("code", SQL, "来源码只能用", ""),
    ("code", "YD01", "已经给了", ""),
]
POSTER_FORM_BAD = [
    ("headline", EMPTY, "标题不能为空", "扫码入群"),
    ("headline", TOO_LONG, "标题太长", "扫码入群"),
    ("qr_image", "/no/such/群二维码.png", "", ""),
]


async def test_partner_forms_refuse_bad_values_and_keep_what_was_typed(demo_path: Path) -> None:
    before = fingerprint(demo_path)
    app = TuanApp(str(demo_path))
    async with app.run_test(size=(150, 45), message_hook=notes(app)) as pilot:
        await settle(app, pilot)
        await pilot.press("6")
        await settle(app, pilot)
        await pilot.press("a")
        await settle(app, pilot)
        await refuse_each(app, pilot, "FormModal", PARTNER_FORM_BAD, "#error-{name}")
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("p")
        await settle(app, pilot)
        await refuse_each(app, pilot, "FormModal", POSTER_FORM_BAD, "#error-{name}")
        await pilot.press("escape")
        await settle(app, pilot)
    assert fingerprint(demo_path) == before
