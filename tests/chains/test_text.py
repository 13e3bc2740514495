"""Exporting the chain text that the leader pastes into WeChat."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tuan import i18n
from tuan.domain.chains.text import (
    ChainText,
    EntryItemText,
    EntryText,
    ItemText,
    example_line,
    format_entry_line,
    format_item_line,
    format_span,
    render_chain,
    render_opening_post,
)
from tuan.i18n import set_language

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEADLINE = datetime(2026, 11, 28, 20, 0, tzinfo=SHANGHAI)  # a Saturday
OLIVE = ItemText("冷榨橄榄油", 8900, "500ml", 12800, 2, None, "A")
LINSEED = ItemText("冷榨亚麻籽油", 5900, "250ml", None, None, 50, "B")
KIT = ItemText("健康厨房入门套装", 19900, code="C")

CHAIN = ChainText(
    title="绿源生活｜冷榨油第3期",
    description="冷榨工艺，保留营养。\n\n\n\n直播间专享价，限时三天。",
    items=(OLIVE, LINSEED, KIT),
    deadline=DEADLINE,
    pickup_place="绿源小屋（3号楼底商）",
    pickup_start=datetime(2026, 11, 29, 10, 0, tzinfo=SHANGHAI),
    pickup_end=datetime(2026, 11, 29, 18, 0, tzinfo=SHANGHAI),
    entries=(
        EntryText(
            1, "王阿姨", "3-1202", (EntryItemText("橄榄油", 1), EntryItemText("亚麻籽油", 2))
        ),
        EntryText(2, "小李", "5-601", (EntryItemText("B", 1),), "不要发票"),
        EntryText(3),
        EntryText(4, "🌸Lily", "12-1103", (EntryItemText("套装", 2),)),
    ),
)

EXPECTED = """#接龙
绿源生活｜冷榨油第3期

冷榨工艺，保留营养。

直播间专享价，限时三天。

A. 冷榨橄榄油 500ml ¥89（原价¥128）每人限2
B. 冷榨亚麻籽油 250ml ¥59 限量50
C. 健康厨房入门套装 ¥199

截止：11月28日 周六 20:00
自提：绿源小屋（3号楼底商）
自提时间：11月29日 周日 10:00-18:00

例：1. 王阿姨 3-1202 A×1

1. 王阿姨 3-1202 橄榄油×1 亚麻籽油×2
2. 小李 5-601 B×1（不要发票）
3.
4. 🌸Lily 12-1103 套装×2
"""


@pytest.fixture(autouse=True)
def chinese() -> None:
    set_language("zh")


def test_the_whole_chain_text() -> None:
    assert render_chain(CHAIN) == EXPECTED


def test_the_opening_post_has_no_entries() -> None:
    text = render_opening_post(CHAIN)
    assert text == EXPECTED.split("\n\n1. ")[0] + "\n"
    assert render_chain(CHAIN, with_entries=False) == text


def test_first_line_is_the_chain_tag_so_wechat_makes_a_chain_card() -> None:
    assert render_chain(ChainText("周末水果团")).splitlines()[0] == "#接龙"


def test_a_minimal_chain() -> None:
    assert render_chain(ChainText("周末水果团")) == "#接龙\n周末水果团\n\n例：1. 王阿姨 3-1202\n"


def test_lines_are_short_enough_for_a_phone() -> None:
    # WeChat wraps long lines; a product or entry line should still fit about two screen rows.
    assert all(len(line) <= 40 for line in render_chain(CHAIN).splitlines())


@pytest.mark.parametrize(
    ("item", "line"),
    [
        (OLIVE, "A. 冷榨橄榄油 500ml ¥89（原价¥128）每人限2"),
        (LINSEED, "B. 冷榨亚麻籽油 250ml ¥59 限量50"),
        (ItemText("山茶油", 6850), "山茶油 ¥68.50"),
        (ItemText("山茶油", 6800, original_price_cents=6800), "山茶油 ¥68"),
        (ItemText("山茶油", 6800, original_price_cents=5000), "山茶油 ¥68"),
        (ItemText("山茶油", 6800, stock=0), "山茶油 ¥68 已售罄"),
        (ItemText("山茶油", 6800, limit=1, stock=3, code="d"), "D. 山茶油 ¥68 每人限1 限量3"),
        (ItemText("山茶油\n礼盒", 0), "山茶油 礼盒 ¥0"),
    ],
)
def test_item_lines(item: ItemText, line: str) -> None:
    assert format_item_line(item) == line


@pytest.mark.parametrize(
    ("entry", "line"),
    [
        (EntryText(7), "7."),
        (EntryText(7, "王阿姨"), "7. 王阿姨"),
        (EntryText(7, "王阿姨", "1202"), "7. 王阿姨 1202"),
        (EntryText(7, "", "3-1202", (EntryItemText("A", 3),)), "7. 3-1202 A×3"),
        (EntryText(7, "王阿姨", note="周六下午3点后取"), "7. 王阿姨（周六下午3点后取）"),
        (EntryText(7, "王阿姨", note="放(门口)"), "7. 王阿姨（放门口）"),
        (EntryText(7, "王 阿姨\n", note="第一行\n第二行"), "7. 王 阿姨（第一行 第二行）"),
    ],
)
def test_entry_lines(entry: EntryText, line: str) -> None:
    assert format_entry_line(entry) == line


def test_example_line_uses_the_first_items_code_or_name() -> None:
    assert example_line(CHAIN) == "例：1. 王阿姨 3-1202 A×1"
    assert (
        example_line(ChainText("t", items=(ItemText("山茶油", 6800),)))
        == "例：1. 王阿姨 3-1202 山茶油×1"
    )
    assert example_line(ChainText("t", example_item="套装")) == "例：1. 王阿姨 3-1202 套装×1"


def test_times_show_in_the_leaders_zone() -> None:
    # The suite runs in UTC+8 (conftest); a deadline stored in UTC reads as local time.
    chain = ChainText("t", deadline=DEADLINE.astimezone(UTC))
    assert "截止：11月28日 周六 20:00" in render_chain(chain).splitlines()
    # Same day in UTC, but 23:00 to 01:00 across midnight for the leader.
    start, end = datetime(2026, 11, 29, 15, tzinfo=UTC), datetime(2026, 11, 29, 17, tzinfo=UTC)
    assert format_span(start, end) == "11月29日 周日 23:00 至 11月30日 周一 01:00"


def test_pickup_spans() -> None:
    start = datetime(2026, 11, 29, 10, 0, tzinfo=SHANGHAI)
    assert format_span(start, start.replace(hour=18)) == "11月29日 周日 10:00-18:00"
    assert (
        format_span(start, start + timedelta(days=1))
        == "11月29日 周日 10:00 至 11月30日 周一 10:00"
    )
    assert format_span(start, None) == "11月29日 周日 10:00起"
    assert format_span(None, start) == "11月29日 周日 10:00前"
    assert format_span(None, None) == ""


def test_pickup_time_without_place() -> None:
    chain = ChainText("t", pickup_start=DEADLINE)
    assert "自提时间：11月28日 周六 20:00起" in render_chain(chain).splitlines()


def test_the_chain_text_stays_chinese_whatever_the_interface_language(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Neighbours read it in a Chinese WeChat group and the importer reads its words back.
    english = {
        "#接龙": "#Chain",
        "截止": "Deadline",
        "自提": "Pickup",
        "例": "Example",
        "周六": "Sat",
        "每人限{n}": "max {n} each",
        "{pickup}时间": "{pickup} time",
    }
    from gettext import NullTranslations

    class English(NullTranslations):
        def gettext(self, message: str) -> str:
            return english.get(message, message)

    monkeypatch.setattr(i18n, "_translations", English())
    assert i18n._("截止") == "Deadline"
    assert render_chain(CHAIN) == EXPECTED
