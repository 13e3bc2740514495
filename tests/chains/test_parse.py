"""Importing chains copied from WeChat: every shape neighbours really type."""

from __future__ import annotations

import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tuan.domain.chains.parse import (
    ParsedChain,
    ParsedEntry,
    parse_chain,
    parse_chain_with_items,
    read_entry,
)
from tuan.domain.chains.text import ChainText, EntryItemText, EntryText, ItemText, render_chain
from tuan.domain.shared.quantity import Catalog, CatalogItem

OILS = [
    CatalogItem("olive", "冷榨橄榄油", "500ml", (), "A"),
    CatalogItem("linseed", "冷榨亚麻籽油", "250ml", ("亚麻",), "B"),
    CatalogItem("kit", "健康厨房入门套装", "", ("套装",), "C"),
]
RICE = [CatalogItem("rice", "五常大米", "5kg")]
FRUIT = [
    CatalogItem("orange", "赣南脐橙", "", ("橙子",)),
    CatalogItem("kiwi", "猕猴桃"),
    CatalogItem("milk", "纯牛奶"),
]
MEAT = [CatalogItem("steak", "牛排", code="A"), CatalogItem("breast", "鸡胸肉", code="B")]

SAMPLE = (
    "#接龙\n"
    "绿源生活｜冷榨油第3期\n"
    "11.28号周六到货\n"
    "例 王阿姨 3-1202 A×1\n"
    "\n"
    "1. 王阿姨 3-1202 A×1\n"
    "2、小李 5-601 亚麻籽油2 不要发票\n"
    "3．🌸Lily 12号楼1103 套装×2 亚麻×1\n"
    "4. \n"  # WeChat leaves the next number waiting, with its space
    "5. 陈晨3盒"
)


def summary(entry: ParsedEntry) -> tuple[object, ...]:
    """(seq, name, room, [(item, qty)], note) of an entry."""
    items = [(line.item, line.qty) for line in entry.items]
    return (entry.seq, entry.name, entry.room, items, entry.note)


def entries(chain: ParsedChain) -> list[tuple[object, ...]]:
    return [summary(entry) for entry in chain.entries]


def nonblank_lines(text: str) -> set[int]:
    return {n for n, line in enumerate(text.splitlines(), 1) if line.strip()}


class TestTheSampleChain:
    chain = parse_chain_with_items(SAMPLE, OILS)

    def test_header(self) -> None:
        assert self.chain.header.title == "绿源生活｜冷榨油第3期"
        assert self.chain.header.description == ("11.28号周六到货",)
        assert self.chain.header.example == ("例 王阿姨 3-1202 A×1",)

    def test_entries(self) -> None:
        assert entries(self.chain) == [
            (1, "王阿姨", "3-1202", [("olive", 1)], ""),
            (2, "小李", "5-601", [("linseed", 2)], "不要发票"),
            (3, "🌸Lily", "12-1103", [("kit", 2), ("linseed", 1)], ""),
            (5, "陈晨", None, [(None, 3)], ""),
        ]

    def test_placeholder_is_not_an_order(self) -> None:
        assert self.chain.empty_seqs == (4,)

    def test_status_and_reasons(self) -> None:
        statuses = [(e.seq, e.status) for e in self.chain.entries]
        assert statuses == [(1, "ok"), (2, "ok"), (3, "ok"), (5, "review")]
        assert self.chain.entries[-1].reason == "没写是哪个商品"

    def test_line_numbers_and_raw_text(self) -> None:
        third = self.chain.entries[2]
        assert third.lines == (8,)
        assert third.raw == "3．🌸Lily 12号楼1103 套装×2 亚麻×1"

    def test_every_line_is_accounted_for(self) -> None:
        assert set(self.chain.line_kinds) == nonblank_lines(SAMPLE)
        assert self.chain.line_kinds[4] == "example"
        assert self.chain.line_kinds[9] == "empty"
        assert self.chain.unparsed == ()


EXPORTED = """#接龙
绿源生活｜冷榨油第3期

冷榨工艺，保留营养。

A. 冷榨橄榄油 500ml ¥89（原价¥128）每人限2
B. 冷榨亚麻籽油 250ml ¥59 限量50
C. 健康厨房入门套装 ¥199 已售罄

截止：11月28日 周六 20:00
自提：绿源小屋（3号楼底商）
自提时间：11月29日 周日 10:00-18:00

例：1. 王阿姨 3-1202 A×1

1. 王阿姨 3-1202 橄榄油×1 亚麻籽油×2（不要葱）
2. 小李 5-601 B×1
3.
4. 🌸小美 套装
"""


class TestWithoutKnownItems:
    chain = parse_chain(EXPORTED)

    def test_products_come_from_the_header(self) -> None:
        items = [
            (i.code, i.name, i.spec, i.price_cents, i.original_price_cents, i.limit, i.stock)
            for i in self.chain.header.items
        ]
        assert items == [
            ("A", "冷榨橄榄油", "500ml", 8900, 12800, 2, None),
            ("B", "冷榨亚麻籽油", "250ml", 5900, None, None, 50),
            ("C", "健康厨房入门套装", "", 19900, None, None, 0),
        ]
        assert [item.key for item in self.chain.catalog] == [
            "冷榨橄榄油",
            "冷榨亚麻籽油",
            "健康厨房入门套装",
        ]

    def test_deadline_and_pickup(self) -> None:
        assert self.chain.header.deadline == "11月28日 周六 20:00"
        assert self.chain.header.pickup == (
            "自提：绿源小屋（3号楼底商）",
            "自提时间：11月29日 周日 10:00-18:00",
        )
        assert self.chain.header.description == ("冷榨工艺，保留营养。",)

    def test_entries_use_short_names_and_codes(self) -> None:
        assert entries(self.chain) == [
            (1, "王阿姨", "3-1202", [("冷榨橄榄油", 1), ("冷榨亚麻籽油", 2)], "不要葱"),
            (2, "小李", "5-601", [("冷榨亚麻籽油", 1)], ""),
            (4, "🌸小美", None, [("健康厨房入门套装", 1)], ""),
        ]
        assert self.chain.empty_seqs == (3,)

    def test_known_items_win_over_the_header(self) -> None:
        chain = parse_chain_with_items(EXPORTED, OILS)
        assert [e.items[0].item for e in chain.entries] == ["olive", "linseed", "kit"]

    def test_no_known_items_falls_back_to_the_header(self) -> None:
        assert entries(parse_chain_with_items(EXPORTED, [])) == entries(self.chain)


@pytest.mark.parametrize(
    "text",
    [
        "#接龙 周末水果团\n1. 王阿姨 橙子2",
        "#接龙\n周末水果团\n1. 王阿姨 橙子2",
        "#接龙\n\n\n周末水果团\n\n1. 王阿姨 橙子2",
        "＃接龙：周末水果团\n1. 王阿姨 橙子2",
        "#接龙 周末水果团 1. 王阿姨 橙子2",
        "【接龙】周末水果团\n1. 王阿姨 橙子2",  # the title was `【接龙】周末水果团`
        "[接龙]\n周末水果团\n1. 王阿姨 橙子2",
    ],
)
def test_title_on_the_tag_line_or_the_next(text: str) -> None:
    chain = parse_chain_with_items(text, FRUIT)
    assert chain.header.title == "周末水果团"
    assert entries(chain) == [(1, "王阿姨", None, [("orange", 2)], "")]


@pytest.mark.parametrize(
    "line",
    [
        "1. 王阿姨 套装2",
        "1.王阿姨 套装2",
        "1、王阿姨 套装2",
        "1、 王阿姨 套装2",
        "1．王阿姨 套装2",
        "１.王阿姨 套装2",
        "１．王阿姨 套装2",
        "1 . 王阿姨 套装2",
        "1 、王阿姨 套装2",
        "  1. 王阿姨 套装2  ",
        "1. 王阿姨　套装２",
    ],
)
def test_entry_numbers_in_every_form(line: str) -> None:
    chain = parse_chain_with_items(f"{line}\n2. 李阿姨 亚麻1", OILS)
    assert entries(chain) == [
        (1, "王阿姨", None, [("kit", 2)], ""),
        (2, "李阿姨", None, [("linseed", 1)], ""),
    ]


def test_a_whole_chain_on_one_line() -> None:
    chain = parse_chain_with_items("1. 2. 张阿姨 3-502 3. 小敏", RICE)
    assert entries(chain) == [
        (2, "张阿姨", "3-502", [("rice", 1)], ""),
        (3, "小敏", None, [("rice", 1)], ""),
    ]
    assert chain.empty_seqs == (1,)
    assert chain.line_kinds == {1: "entry"}


def test_a_whole_chain_on_one_line_with_its_header() -> None:
    text = "#接龙 绿源 五常大米 例 王阿姨 1袋 1. 王阿姨 2袋 2. 小敏 3-502 1袋 3. 老赵 3袋"
    chain = parse_chain_with_items(text, RICE)
    assert [(e.seq, e.name, e.items[0].qty) for e in chain.entries] == [
        (1, "王阿姨", 2),
        (2, "小敏", 1),
        (3, "老赵", 3),
    ]


def test_header_lines_that_look_numbered() -> None:
    text = """绿源生活团购
11.28号周六到货
3.5公里内送货上门
1.商品介绍：冷榨橄榄油，一级初榨
2.到货时间：周六下午
1. 王阿姨 A×1
2. 李阿姨 B×2
"""
    chain = parse_chain_with_items(text, OILS)
    assert chain.header.title == "绿源生活团购"
    assert chain.header.description == (
        "11.28号周六到货",
        "3.5公里内送货上门",
        "1.商品介绍：冷榨橄榄油，一级初榨",
        "2.到货时间：周六下午",
    )
    assert entries(chain) == [
        (1, "王阿姨", None, [("olive", 1)], ""),
        (2, "李阿姨", None, [("linseed", 2)], ""),
    ]
    assert chain.unparsed == ()


def test_a_numbered_price_list_is_header_even_without_example() -> None:
    text = "#接龙 冷榨油\n1. 冷榨橄榄油 ¥89\n2. 冷榨亚麻籽油 59元\n1. 王阿姨 橄榄油1\n"
    chain = parse_chain(text)
    assert [item.name for item in chain.header.items] == ["冷榨橄榄油", "冷榨亚麻籽油"]
    assert entries(chain) == [(1, "王阿姨", None, [("冷榨橄榄油", 1)], "")]


@pytest.mark.parametrize(
    "lines",
    [
        ["1. 王姐 3-1202 橄榄油2 178元", "2. 李姐 5-601 亚麻1 69元"],  # each names a room
        ["1. 王姐 橄榄油2 178元", "2. 李姐 亚麻1"],  # the numbers carry on
        ["13. 王姐 橄榄油2 178元", "14. 李姐 亚麻1 69元"],  # a list of products starts at 1
        ["1. 王姐 橄榄油2 178元", "2. 李姐 亚麻1 69元"],  # each orders one of the chain's
    ],
)
def test_entries_that_say_what_they_paid_are_entries(lines: list[str]) -> None:
    chain = parse_chain_with_items("#接龙\n冷榨油第3期\n" + "\n".join(lines), OILS)
    assert chain.header.items == ()
    assert [(e.name, [(i.item, i.qty) for i in e.items], e.note) for e in chain.entries] == [
        ("王姐", [("olive", 2)], "178元"),
        ("李姐", [("linseed", 1)], "69元" if "69元" in lines[1] else ""),
    ]


def test_orders_without_numbers_under_the_tag_are_entries() -> None:
    text = "#接龙 冷榨油第3期\n产地直发\n王姐 3-1202 橄榄油2\n李姐 5-601 亚麻1\n谢谢大家\n"
    chain = parse_chain_with_items(text, OILS)
    assert (chain.header.title, chain.header.description) == ("冷榨油第3期", ("产地直发",))
    assert entries(chain) == [
        (1, "王姐", "3-1202", [("olive", 2)], ""),
        (2, "李姐", "5-601", [("linseed", 1)], ""),
    ]
    assert [(u.line, u.text) for u in chain.unparsed] == [(5, "谢谢大家")]


def test_a_price_list_of_the_chains_own_products_is_still_header() -> None:
    text = "#接龙\n冷榨油第3期\n1. 冷榨橄榄油 500ml ¥89\n2. 冷榨亚麻籽油 ¥69\n"
    chain = parse_chain_with_items(text, OILS)
    assert chain.entries == ()
    assert [item.name for item in chain.header.items] == ["冷榨橄榄油", "冷榨亚麻籽油"]


def test_an_opening_post_has_no_entries() -> None:
    text = "#接龙\n周末水果团\n1.赣南脐橙 ¥39\n2.猕猴桃 ¥29\n例 王阿姨 橙子2\n"
    chain = parse_chain(text)
    assert chain.entries == ()
    assert [item.name for item in chain.header.items] == ["赣南脐橙", "猕猴桃"]
    assert chain.unparsed == ()


def test_the_example_line_is_never_an_entry() -> None:
    text = "#接龙\n水果团\n例：1. 王阿姨 3-1202 橙子×1\n\n1. 李阿姨 橙子2\n"
    chain = parse_chain_with_items(text, FRUIT)
    assert entries(chain) == [(1, "李阿姨", None, [("orange", 2)], "")]
    assert chain.header.example == ("例：1. 王阿姨 3-1202 橙子×1",)


def test_a_wrapped_line_starting_with_li_is_not_an_example() -> None:
    text = "#接龙 冷榨油\n例 王阿姨 A×1\n1. 王阿姨 套装1\n例外再加一份亚麻\n2. 李阿姨 A1\n"
    chain = parse_chain_with_items(text, OILS)
    assert entries(chain)[0] == (1, "王阿姨", None, [("kit", 1), ("linseed", 1)], "例外再加")
    assert chain.header.example == ("例 王阿姨 A×1",)


def test_entries_that_wrap_onto_the_next_line() -> None:
    text = "1. 王阿姨 3-1202\n套装×2 亚麻×1\n不要葱\n2. 李阿姨\n5-601 B2\n"
    chain = parse_chain_with_items(text, OILS)
    assert entries(chain) == [
        (1, "王阿姨", "3-1202", [("kit", 2), ("linseed", 1)], "不要葱"),
        (2, "李阿姨", "5-601", [("linseed", 2)], ""),
    ]
    assert chain.entries[0].lines == (1, 2, 3)
    assert chain.entries[0].raw == "1. 王阿姨 3-1202\n套装×2 亚麻×1\n不要葱"


def test_empty_placeholders() -> None:
    text = "1. 王阿姨 套装1\n2.\n3. \n4、\n5. 小李 亚麻1\n6."
    chain = parse_chain_with_items(text, OILS)
    assert [e.seq for e in chain.entries] == [1, 5]
    assert chain.empty_seqs == (2, 3, 4, 6)
    assert chain.line_kinds[2] == "empty"


def test_a_list_with_no_header() -> None:
    chain = parse_chain_with_items("1. 王阿姨 2袋\n2. 李阿姨 3-1202 1袋\n", RICE)
    assert chain.header.title == ""
    assert entries(chain) == [
        (1, "王阿姨", None, [("rice", 2)], ""),
        (2, "李阿姨", "3-1202", [("rice", 1)], ""),
    ]


@pytest.mark.parametrize(
    ("line", "name", "room", "qty"),
    [
        ("12-1103 3份", "", "12-1103", 3),
        ("李阿姨 2袋", "李阿姨", None, 2),
        ("陈晨3盒", "陈晨", None, 3),
        ("3号楼1202王阿姨 2", "王阿姨", "3-1202", 2),
        ("3栋1单元1202 王阿姨 两袋", "王阿姨", "3-1-1202", 2),
        ("王阿姨 1202 x2", "王阿姨", "1202", 2),
        ("2袋 王阿姨 3-1202", "", "3-1202", 2),
        ("王阿姨 +1", "王阿姨", None, 1),
        ("王阿姨", "王阿姨", None, 1),
        ("3-1202", "", "3-1202", 1),
        ("王阿姨：2袋", "王阿姨", None, 2),
    ],
)
def test_names_and_rooms_in_any_order(line: str, name: str, room: str | None, qty: int) -> None:
    chain = parse_chain_with_items(f"1. {line}", RICE)
    entry = chain.entries[0]
    assert (entry.name, entry.room, [(i.item, i.qty) for i in entry.items]) == (
        name,
        room,
        [("rice", qty)],
    )


def test_chinese_numerals_and_units() -> None:
    text = (
        "1. 王阿姨 三斤橙子，两斤猕猴桃\n2. 李阿姨 牛奶两箱\n"
        "3. 老赵 十二个橙子\n4. 小敏 橙子x2 猕猴桃*3"
    )
    chain = parse_chain_with_items(text, FRUIT)
    assert [[(i.item, i.qty, i.unit) for i in e.items] for e in chain.entries] == [
        [("orange", 3, "斤"), ("kiwi", 2, "斤")],
        [("milk", 2, "箱")],
        [("orange", 12, "个")],
        [("orange", 2, None), ("kiwi", 3, None)],
    ]


def test_several_products_aliases_and_codes() -> None:
    text = "1. 王阿姨 A1 B2\n2. 李阿姨 套装、亚麻各1\n3. 老赵 b×2 C\n4. 小敏 橄榄油+亚麻籽油"
    chain = parse_chain_with_items(text, OILS)
    assert [[(i.item, i.qty) for i in e.items] for e in chain.entries] == [
        [("olive", 1), ("linseed", 2)],
        [("kit", 1), ("linseed", 1)],
        [("linseed", 2), ("kit", 1)],
        [("olive", 1), ("linseed", 1)],
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("陈老师 A+C 各1", [("olive", 1), ("kit", 1)]),
        ("陈老师 A、C各2", [("olive", 2), ("kit", 2)]),
        ("陈老师 A C 各1", [("olive", 1), ("kit", 1)]),
        ("陈老师 A B C各3", [("olive", 3), ("linseed", 3), ("kit", 3)]),
    ],
)
def test_menu_codes_listed_together_each_get_their_quantity(
    line: str, expected: list[tuple[str, int]]
) -> None:
    # `C 各1` used to leave C in the note: an order one product short, with nothing to review.
    entry = parse_chain_with_items(f"1. {line}", OILS).entries[0]
    assert ([(i.item, i.qty) for i in entry.items], entry.note) == (expected, "")


def test_codes_with_chinese_numerals_and_a_building_in_chinese() -> None:
    chain = parse_chain_with_items("1. 陈 A一份B两份\n2. 朱 三号楼1202 C1\n3. 三号楼 李 C1", OILS)
    assert entries(chain) == [
        (1, "陈", None, [("olive", 1), ("linseed", 2)], ""),
        (2, "朱", "3-1202", [("kit", 1)], ""),
        (3, "李", None, [("kit", 1)], "三号楼"),
    ]


@pytest.mark.parametrize(
    "line", ["张姐 5-1201 套装2✅", "张姐 5-1201 套装2🙏", "张姐 5-1201 套装×2✔️"]
)
def test_an_emoji_after_a_quantity_ends_it(line: str) -> None:
    # `套装2✅` used to read as one 套装 with `2✅` in the note: a wrong order, nothing to review.
    entry = parse_chain_with_items(f"1. {line}", OILS).entries[0]
    assert [(i.item, i.qty) for i in entry.items] == [("kit", 2)]


@pytest.mark.parametrize(
    "tally", ["——共 2 人参与——", "共2人参与接龙", "已有2人接龙", "- 2人参加 -"]
)
def test_wechats_count_under_the_list_is_nobodys_note(tally: str) -> None:
    chain = parse_chain_with_items(
        f"#接龙\n冷榨油\n1. 王阿姨 套装1\n2. 李叔 亚麻2\n\n{tally}", OILS
    )
    assert entries(chain)[-1] == (2, "李叔", None, [("linseed", 2)], "")
    assert chain.unparsed == ()
    assert chain.line_kinds[6] == "header"


@pytest.mark.parametrize(
    ("line", "expected", "note"),
    [
        ("王阿姨 3-1202 套装1 改成2", [("kit", 2)], ""),
        ("王阿姨 3-1202 套装1份 改为三份", [("kit", 3)], ""),
        ("王阿姨 3-1202 套装1 改成2号楼取", [("kit", 1)], "改成2号楼取"),  # where, not how many
        ("王阿姨 3-1202 套装1（改成2号楼取）", [("kit", 1)], "改成2号楼取"),
        ("王阿姨 3-1202 套装二", [("kit", 2)], ""),
        ("王阿姨 3-1202 b2c1", [("linseed", 2), ("kit", 1)], ""),
    ],
)
def test_a_correction_a_numeral_after_the_product_and_small_codes(
    line: str, expected: list[tuple[str, int]], note: str
) -> None:
    entry = parse_chain_with_items(f"1. {line}", OILS).entries[0]
    assert ([(i.item, i.qty) for i in entry.items], entry.note, entry.reasons) == (
        expected,
        note,
        (),
    )


def test_a_correction_with_two_products_is_for_the_leader_to_read() -> None:
    entry = parse_chain_with_items("1. 王阿姨 套装1 亚麻1 改成2", OILS).entries[0]
    assert [(i.item, i.qty) for i in entry.items] == [("kit", 1), ("linseed", 1)]
    assert entry.note == "改成2" and entry.status == "review"


def test_menu_code_with_its_name() -> None:
    chain = parse_chain_with_items("1. 王阿姨 B 鸡胸\n2. 李阿姨 A2 B鸡胸1", MEAT)
    assert entries(chain) == [
        (1, "王阿姨", None, [("breast", 1)], ""),
        (2, "李阿姨", None, [("steak", 2), ("breast", 1)], ""),
    ]


@pytest.mark.parametrize(
    ("line", "note"),
    [
        ("王阿姨 套装2 不要葱", "不要葱"),
        ("王阿姨 套装2（周六取）", "周六取"),
        ("王阿姨 套装2 (周六取)", "周六取"),
        ("王阿姨 套装2 备注:下午3点后取", "下午3点后取"),
        ("王阿姨 套装2 备注：要2个袋子", "要2个袋子"),
        ("王阿姨（周六取）套装2", "周六取"),
        ("王阿姨 晚点到 套装2", "晚点到"),
        ("王阿姨 套装2【放门口】谢谢", "放门口 谢谢"),
    ],
)
def test_trailing_notes(line: str, note: str) -> None:
    entry = parse_chain_with_items(f"1. {line}", OILS).entries[0]
    assert (entry.name, [(i.item, i.qty) for i in entry.items], entry.note) == (
        "王阿姨",
        [("kit", 2)],
        note,
    )


@pytest.mark.parametrize("name", ["🌸小美", "Lily🍀", "😊", "A姐", "@王阿姨", "Amy"])
def test_emoji_and_latin_in_names(name: str) -> None:
    entry = parse_chain_with_items(f"1. {name} 3-1202 套装×1", OILS).entries[0]
    assert entry.name == name.lstrip("@")
    assert [(i.item, i.qty) for i in entry.items] == [("kit", 1)]


@pytest.mark.parametrize(
    ("line", "name", "note"),
    [
        ("Coco 李 2-301 套装×1", "Coco 李", ""),
        ("Amy Wang 2-301 套装×1", "Amy Wang", ""),
        ("Lily 周六取 2-301 套装×1", "Lily", "周六取"),
        ("Coco 李 套装×1", "Coco", "李"),  # no room: the name may not run on
        ("Lily 2-301 Olive 套装×1", "Lily", "Olive"),  # after the room: not the name
        ("Lily 套装×1 不要袋子", "Lily", "不要袋子"),
        ("王阿姨 晚点 套装×1", "王阿姨", "晚点"),
    ],
)
def test_a_latin_name_with_a_second_word(line: str, name: str, note: str) -> None:
    entry = parse_chain_with_items(f"1. {line}", OILS).entries[0]
    assert (entry.name, entry.note, [(i.item, i.qty) for i in entry.items]) == (
        name,
        note,
        [("kit", 1)],
    )


def test_a_members_name_after_her_order() -> None:
    known = {"王阿姨"}.__contains__
    chain = parse_chain_with_items(
        "1. 套装2 王阿姨 3-1202 周六取\n2. 套装2 赵六 3-1202", OILS, known
    )
    assert entries(chain) == [
        (1, "王阿姨", "3-1202", [("kit", 2)], "周六取"),
        (2, "", "3-1202", [("kit", 2)], "赵六"),  # not a member: her room says who she is
    ]


def test_a_members_two_word_name_reads_back_without_a_room() -> None:
    # What `chain export` writes for a member without a room: her name, then her order.
    known = {"Coco 李"}.__contains__
    entry = parse_chain_with_items("1. Coco 李 套装×1", OILS, known).entries[0]
    assert (entry.name, entry.note) == ("Coco 李", "")
    entry = parse_chain_with_items("1. Lily 李 套装×1", OILS, known).entries[0]
    assert (entry.name, entry.note) == ("Lily", "李")
    spaced = {"王 阿姨", "Sunny 小雨 妈"}.__contains__
    for line, name in (
        ("王 阿姨 套装×1", "王 阿姨"),
        ("Sunny 小雨 妈 3-101 套装×1", "Sunny 小雨 妈"),
    ):
        entry = parse_chain_with_items(f"1. {line}", OILS, spaced).entries[0]
        assert (entry.name, entry.note) == (name, "")


@pytest.mark.parametrize(
    ("line", "name"),
    [("给王阿姨 3-1202 套装2份", "王阿姨"), ("帮李叔 套装2", "李叔"), ("给我留 套装2", "给我留"),
     ("帮帮 套装2", "帮帮")],
)  # fmt: skip
def test_an_order_typed_for_someone_else_is_hers(line: str, name: str) -> None:
    entry = parse_chain_with_items(f"1. {line}", OILS).entries[0]
    assert (entry.name, [(i.item, i.qty) for i in entry.items]) == (name, [("kit", 2)])


def test_full_width_digits_and_punctuation() -> None:
    text = "１．王阿姨　３－１２０２　套装×２\n２、李阿姨　亚麻＊３，山茶油（周六取）"
    chain = parse_chain_with_items(text, [*OILS, CatalogItem("tea", "山茶油")])
    assert entries(chain) == [
        (1, "王阿姨", "3-1202", [("kit", 2)], ""),
        (2, "李阿姨", None, [("linseed", 3), ("tea", 1)], "周六取"),
    ]


def test_blank_and_duplicated_lines() -> None:
    text = "1. 王阿姨 套装1\n\n\n2. 李阿姨 亚麻1\n2. 李阿姨 亚麻1\n\n3. 小敏 A1\n"
    chain = parse_chain_with_items(text, OILS)
    assert [e.seq for e in chain.entries] == [1, 2, 3]
    assert chain.duplicate_lines == (5,)
    assert chain.unparsed == ()


def test_the_whole_chain_pasted_twice_with_more_entries() -> None:
    first = "#接龙\n水果团\n例 王阿姨 橙子1\n1. 王阿姨 橙子1\n2. 李阿姨 猕猴桃2\n"
    text = first + first + "3. 小敏 牛奶1\n"
    chain = parse_chain_with_items(text, FRUIT)
    assert [(e.seq, e.name) for e in chain.entries] == [(1, "王阿姨"), (2, "李阿姨"), (3, "小敏")]
    assert chain.duplicate_lines == (6, 7, 8, 9, 10)
    assert set(chain.line_kinds) == nonblank_lines(text)


def test_a_repeated_short_note_under_two_entries_is_kept() -> None:
    text = "1. 王阿姨 套装1\n不要葱\n2. 李阿姨 套装1\n不要葱\n"
    chain = parse_chain_with_items(text, OILS)
    assert [e.note for e in chain.entries] == ["不要葱", "不要葱"]


def test_a_one_item_chain_takes_bare_quantities_and_names_alone() -> None:
    text = "1. 李阿姨 2袋\n2. 陈晨3盒\n3. +1\n4. 小敏\n5. 12-1103 3份"
    chain = parse_chain_with_items(text, RICE)
    assert [(e.seq, e.name, [(i.item, i.qty) for i in e.items]) for e in chain.entries] == [
        (1, "李阿姨", [("rice", 2)]),
        (2, "陈晨", [("rice", 3)]),
        (3, "", [("rice", 1)]),
        (4, "小敏", [("rice", 1)]),
        (5, "", [("rice", 3)]),
    ]
    assert chain.entries[2].reasons == ("没有名字或房号",)


class TestReview:
    def test_unknown_product(self) -> None:
        entry = parse_chain_with_items("1. 王阿姨 榴莲2", OILS).entries[0]
        assert entry.status == "review"
        assert entry.reasons == ("不认识的商品：榴莲",)
        assert entry.items[0].label == "榴莲"

    def test_no_product(self) -> None:
        entry = parse_chain_with_items("1. 王阿姨 3-1202", OILS).entries[0]
        assert entry.reasons == ("没写商品和数量",)

    def test_ambiguous_short_name(self) -> None:
        entry = parse_chain_with_items("1. 王阿姨 冷榨×2", OILS).entries[0]
        assert entry.status == "review"
        assert entry.items[0].item is None

    def test_large_and_zero_quantities(self) -> None:
        chain = parse_chain_with_items("1. 王阿姨 套装120\n2. 李阿姨 套装0", OILS)
        assert chain.entries[0].reasons == ("数量 120 偏大，请核对",)
        assert chain.entries[1].reasons == ("数量为 0",)

    def test_the_same_person_twice(self) -> None:
        chain = parse_chain_with_items("1. 王阿姨 套装1\n2. 李阿姨 A1\n3. 王阿姨 B1", OILS)
        assert chain.entries[2].reasons == ("和第 1 条像是同一个人",)

    def test_a_quantity_that_cannot_be_counted(self) -> None:
        entry = parse_chain_with_items("1. 郭 1.5斤橄榄油", OILS).entries[0]
        assert entry.reasons == ("看不懂的数量：1.5斤",)
        assert (entry.name, entry.note) == ("郭", "1.5斤")

    @pytest.mark.parametrize(
        "line", ["1. 王阿姨 -1套装", "1. 王阿姨 套装-1", "1. 王阿姨 套装 －２"]
    )
    def test_a_negative_quantity_goes_to_review(self, line: str) -> None:
        entry = parse_chain_with_items(line, OILS).entries[0]
        assert entry.status == "review"
        assert any("看不懂的数量" in reason for reason in entry.reasons)

    def test_a_room_or_range_dash_is_not_a_minus(self) -> None:
        entry = parse_chain_with_items("1. 王阿姨 3-1202 套装1", OILS).entries[0]
        assert entry.status == "ok"

    def test_a_total_after_the_items_is_only_a_note(self) -> None:
        entry = parse_chain_with_items("1. 罗 套装1，亚麻2，共3件", OILS).entries[0]
        assert (entry.status, entry.note) == ("ok", "共3件")

    def test_a_total_of_one_product_is_its_quantity(self) -> None:
        text = "1. 王阿姨 套装1\n2. 王姐 3-1202 橄榄油 共2瓶 178元"
        entry = parse_chain_with_items(text, OILS).entries[1]
        assert [(i.item, i.qty) for i in entry.items] == [("olive", 2)]
        assert (entry.status, entry.name, entry.room) == ("ok", "王姐", "3-1202")
        assert entry.note == "178元"

    def test_a_gap_in_the_numbers(self) -> None:
        chain = parse_chain_with_items("1. 王阿姨 套装1\n2. 李阿姨 A1\n5. 小敏 B1", OILS)
        assert chain.entries[2].reasons == ("前面缺少序号 3–4",)


class TestUnparsed:
    def test_numbers_out_of_order(self) -> None:
        text = "1. 王阿姨 2袋\n2. 李阿姨 1袋\n3. 小敏 1袋\n2. 老赵 1袋\n4. 小李 1袋"
        chain = parse_chain_with_items(text, RICE)
        assert [e.seq for e in chain.entries] == [1, 2, 3, 4]
        assert [u.as_dict() for u in chain.unparsed] == [
            {"line": 4, "text": "2. 老赵 1袋", "reason": "序号 2 重复了"}
        ]

    def test_a_line_after_an_unreadable_one(self) -> None:
        text = "1. 王阿姨 2袋\n2. 李阿姨 1袋\n1. 老赵\n1袋\n3. 小敏 1袋"
        chain = parse_chain_with_items(text, RICE)
        assert [u.line for u in chain.unparsed] == [3, 4]
        assert [e.seq for e in chain.entries] == [1, 2, 3]

    def test_the_leaders_text_after_the_entries(self) -> None:
        text = "1. 王阿姨 2袋\n2. 李阿姨 1袋\n截止今晚8点，过时不候"
        chain = parse_chain_with_items(text, RICE)
        assert [(u.line, u.reason) for u in chain.unparsed] == [
            (3, "像是接龙的说明文字，不是某一条的内容")
        ]
        assert chain.entries[1].note == ""


class TestUnnumberedList:
    def test_each_order_line_is_an_entry(self) -> None:
        text = "周末水果团\n王阿姨 3-1202 橙子2\n李阿姨 牛奶两箱\n随便说一句\n"
        chain = parse_chain_with_items(text, FRUIT)
        assert chain.header.title == "周末水果团"
        assert entries(chain) == [
            (1, "王阿姨", "3-1202", [("orange", 2)], ""),
            (2, "李阿姨", None, [("milk", 2)], ""),
        ]
        assert [u.line for u in chain.unparsed] == [4]
        assert set(chain.line_kinds) == nonblank_lines(text)

    def test_a_title_is_not_an_order_in_a_one_item_chain(self) -> None:
        text = "五常大米团购\n王阿姨 2袋\n李阿姨 3-1202\n大米真好吃\n"
        chain = parse_chain_with_items(text, RICE)
        assert chain.header.title == "五常大米团购"
        assert [u.line for u in chain.unparsed] == [4]
        assert entries(chain) == [
            (1, "王阿姨", None, [("rice", 2)], ""),
            (2, "李阿姨", "3-1202", [("rice", 1)], ""),
        ]


def test_json_shape() -> None:
    entry = parse_chain_with_items("1. 王阿姨 3-1202 套装2 两瓶亚麻 不要葱", OILS).entries[0]
    assert entry.as_dict() == {
        "seq": 1,
        "name": "王阿姨",
        "room": "3-1202",
        "items": [
            {"item": "kit", "qty": 2, "unit": None},
            {"item": "linseed", "qty": 2, "unit": "瓶"},
        ],
        "note": "不要葱",
        "raw": "1. 王阿姨 3-1202 套装2 两瓶亚麻 不要葱",
        "status": "ok",
    }


def test_read_one_entry() -> None:
    entry = read_entry("王阿姨 3-1202 套装×2", Catalog(OILS), seq=7)
    assert entry is not None
    assert summary(entry) == (7, "王阿姨", "3-1202", [("kit", 2)], "")
    assert read_entry("  ", Catalog(OILS)) is None


def test_pathological_pastes_stay_fast() -> None:
    long_product = "#接龙\n" + "长" * 5_000 + " ¥5\n1. 王阿姨 长长×2\n"
    ones = [f"1. 王阿姨 A1（{n}）" for n in range(3_000)]  # distinct, so not duplicates
    many_ones = "\n".join(ones + [f"{n}. 李 B1" for n in range(2, 3_000)])
    # CPU time of this process, not wall time: other tests running in parallel share the cores
    start = time.process_time()
    assert parse_chain(long_product).header.items[0].price_cents == 500
    assert len(parse_chain_with_items(many_ones, OILS).entries) == 2_999
    assert time.process_time() - start < 2.0


@pytest.mark.parametrize("text", ["", "\n\n", "   ", "#接龙", "例", "1.", "1. 2. 3."])
def test_nearly_empty_texts(text: str) -> None:
    chain = parse_chain(text)
    assert chain.entries == ()
    assert set(chain.line_kinds) == nonblank_lines(text)


def test_more_numbered_header_lines_than_entries() -> None:
    text = "水果团\n1.产地：赣南\n2.到货：周六\n3.自提：小区门口\n1. 王阿姨 橙子2\n"
    chain = parse_chain_with_items(text, FRUIT)
    assert entries(chain) == [(1, "王阿姨", None, [("orange", 2)], "")]
    assert chain.header.description == ("1.产地：赣南", "2.到货：周六", "3.自提：小区门口")


def test_an_inline_number_in_a_note_is_not_the_next_entry() -> None:
    text = "1. 王阿姨 套装1 备注 2.周六取\n2. 李阿姨 亚麻1\n"
    chain = parse_chain_with_items(text, OILS)
    assert [(e.seq, e.name) for e in chain.entries] == [(1, "王阿姨"), (2, "李阿姨")]
    assert chain.entries[0].note == "2.周六取"


# --- Property tests -------------------------------------------------------------------------

PRODUCTS = ["冷榨橄榄油", "亚麻籽油", "山茶油", "五常大米", "赣南脐橙", "土鸡蛋", "猕猴桃",
            "健康厨房入门套装", "有机燕麦片", "云南普洱茶"]  # fmt: skip
SPECS = ["", "500ml", "5kg", "250g", "10枚"]
NAME_CHARS = "王李张刘陈杨赵黄周吴徐孙阿姨姐哥叔婶晨敏丽华芳美小老"
NOTES = ["", "不要葱", "周六取", "放门口", "下午3点后取", "要发票", "谢谢团长！", "多给个袋子",
         "备注 晚点到", "周日上午10:30取"]  # fmt: skip
TITLES = ["绿源生活｜冷榨油第3期", "周末水果团", "11.28 有机蔬菜团", "健康厨房 直播专享"]
DESCRIPTIONS = ["", "冷榨工艺，保留营养。", "11.28号周六到货\n3.5公里内送货上门",
                "1.商品介绍：新鲜直达\n2.到货时间：周六", "直播间专享价\n\n限时三天"]  # fmt: skip
SHANGHAI = ZoneInfo("Asia/Shanghai")

names = st.one_of(
    st.text(NAME_CHARS, min_size=1, max_size=5),
    st.builds(lambda e, n: e + n, st.sampled_from("🌸🍀😊"), st.text(NAME_CHARS, max_size=3)),
    st.sampled_from(["Lily", "Amy", "Coco", "Tom"]),
)
rooms = st.one_of(
    st.just(""),
    st.builds(lambda b, r: f"{b}-{r}", st.integers(1, 30), st.integers(101, 3299)),
    st.integers(1001, 3299).map(str),
)


@st.composite
def items_strategy(draw: st.DrawFn) -> tuple[ItemText, ...]:
    chosen = draw(st.lists(st.sampled_from(PRODUCTS), min_size=1, max_size=5, unique=True))
    coded = draw(st.booleans())
    items = []
    for n, name in enumerate(chosen):
        price = draw(st.integers(1, 99_999))
        items.append(
            ItemText(
                name=name,
                price_cents=price,
                spec=draw(st.sampled_from(SPECS)),
                original_price_cents=draw(st.none() | st.integers(0, 200_000)),
                limit=draw(st.none() | st.integers(1, 9)),
                stock=draw(st.none() | st.integers(0, 500)),
                code="ABCDE"[n] if coded else "",
            )
        )
    return tuple(items)


@st.composite
def entry_strategy(draw: st.DrawFn, seq: int, items: tuple[ItemText, ...]) -> EntryText:
    if draw(st.integers(0, 9)) == 0:
        return EntryText(seq)  # a placeholder WeChat left waiting
    least = 1 if len(items) == 1 else 0  # a name alone in a one-item chain means one of it
    picked = draw(st.lists(st.sampled_from(items), min_size=least, max_size=3, unique=True))
    lines = tuple(
        EntryItemText(draw(st.sampled_from([i.name, i.code] if i.code else [i.name])),
                      draw(st.integers(1, 30)))
        for i in picked
    )  # fmt: skip
    return EntryText(seq, draw(names), draw(rooms), lines, draw(st.sampled_from(NOTES)))


@st.composite
def chains(draw: st.DrawFn) -> ChainText:
    items = draw(items_strategy())
    count = draw(st.integers(0, 12))
    entries = tuple(draw(entry_strategy(seq, items)) for seq in range(1, count + 1))
    deadline = datetime(2026, 11, 28, 20, 0, tzinfo=SHANGHAI)
    return ChainText(
        title=draw(st.sampled_from(TITLES)),
        description=draw(st.sampled_from(DESCRIPTIONS)),
        items=items,
        deadline=draw(st.sampled_from([None, deadline])),
        pickup_place=draw(st.sampled_from(["", "绿源小屋（3号楼底商）"])),
        pickup_start=draw(st.sampled_from([None, deadline.replace(day=29, hour=10)])),
        entries=entries,
    )


def expected_entries(chain: ChainText) -> list[tuple[object, ...]]:
    by_word = {i.name: i.name for i in chain.items} | {i.code: i.name for i in chain.items}
    return [
        (e.seq, e.name, e.room or None, [(by_word[i.name], i.qty) for i in e.items], e.note)
        for e in chain.entries
        if e.name
    ]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chains())
def test_exported_chains_import_back_to_the_same_entries(chain: ChainText) -> None:
    parsed = parse_chain(render_chain(chain))
    assert entries(parsed) == expected_entries(chain)
    assert parsed.empty_seqs == tuple(e.seq for e in chain.entries if not e.name)
    assert parsed.unparsed == ()
    assert parsed.header.title == chain.title


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chains())
def test_exported_products_import_back_from_the_header(chain: ChainText) -> None:
    header = parse_chain(render_chain(chain, with_entries=False)).header
    read = [(i.code, i.name, i.spec, i.price_cents, i.original_price_cents, i.limit, i.stock)
            for i in header.items]  # fmt: skip
    shown = [(i.code, i.name, i.spec, i.price_cents,
              i.original_price_cents
              if (i.original_price_cents or 0) > (i.price_cents or 0) else None,
              i.limit, i.stock) for i in chain.items]  # fmt: skip
    assert read == shown


CHAIN_BITS = st.sampled_from(
    ["#接龙", "＃接龙", "例", "例：", "1.", "2、", "3．", "１.", " ", "\n", "\n\n", "王阿姨", "🌸",
     "3-1202", "12号楼1103", "套装", "×2", "x", "*", "+1", "两份", "三斤", "十二个", "¥89",
     "原价", "每人限", "限量", "（", "）", "(", "备注:", "A", "b", "1202", "11.28", "0.", "9999.",
     "\u3000", "\r\n", "\u2028", "、", "，", "已售罄", "截止", "自提"]
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(CHAIN_BITS, max_size=60).map("".join))
def test_chain_like_text_never_raises_and_every_line_is_placed(text: str) -> None:
    for chain in (parse_chain(text), parse_chain_with_items(text, OILS)):
        assert set(chain.line_kinds) == nonblank_lines(text)
        assert all(entry.seq > 0 and entry.status in ("ok", "review") for entry in chain.entries)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_never_raises(text: str) -> None:
    parse_chain(text)
    parse_chain_with_items(text, RICE)


class TestEarlierMisreads:
    """Lines read wrong before: each is read as the neighbour meant it."""

    def test_a_nickname_ending_in_digits(self) -> None:
        text = "1. 小王12 套装1\n2. 小王12 3-1202 套装×1 亚麻2\n3. 晨晨2023 B×1"
        assert entries(parse_chain_with_items(text, OILS)) == [
            (1, "小王12", None, [("kit", 1)], ""),
            (2, "小王12", "3-1202", [("kit", 1), ("linseed", 2)], ""),
            (3, "晨晨2023", None, [("linseed", 1)], ""),
        ]
        assert all(entry.status == "ok" for entry in parse_chain_with_items(text, OILS).entries)

    def test_a_nickname_that_is_part_of_a_product_name(self) -> None:
        millet = [CatalogItem("millet", "有机小米", "2kg")]
        text = "1. 小米 有机小米2\n2. 小米 3-1202 有机小米×1 不要袋子"
        for catalog in (millet, millet + OILS):
            chain = parse_chain_with_items(text, catalog)
            assert entries(chain) == [
                (1, "小米", None, [("millet", 2)], ""),
                (2, "小米", "3-1202", [("millet", 1)], "不要袋子"),
            ]
            assert [entry.status for entry in chain.entries] == ["ok", "ok"]

    def test_a_member_named_like_the_only_product(self) -> None:
        millet = [CatalogItem("millet", "有机小米", "2kg")]
        members = {"小米", "小米妈妈"}
        chain = parse_chain_with_items("1. 小米 2\n2. 小米妈妈 3", millet, members.__contains__)
        assert entries(chain) == [
            (1, "小米", None, [("millet", 2)], ""),
            (2, "小米妈妈", None, [("millet", 3)], ""),
        ]
        assert [entry.status for entry in chain.entries] == ["ok", "ok"]
        # Nobody is called 小米: it is the product, and the line has no name.
        alone = parse_chain_with_items("1. 小米 2", millet).entries[0]
        assert (alone.name, alone.status) == ("", "review")
        assert [(i.item, i.qty) for i in alone.items] == [("millet", 2)]

    def test_a_product_first_is_not_taken_for_a_name_when_that_loses_it(self) -> None:
        chain = parse_chain_with_items("1. 套装 亚麻2\n2. 橄榄油 2", OILS, lambda name: True)
        assert entries(chain) == [
            (1, "", None, [("kit", 1), ("linseed", 2)], ""),
            (2, "", None, [("olive", 2)], ""),
        ]

    def test_two_sets_when_one_product_is_a_set(self) -> None:
        chain = parse_chain_with_items("1. 王阿姨 3-1202 两套\n2. 李阿姨 2套 亚麻1", OILS)
        assert entries(chain) == [
            (1, "王阿姨", "3-1202", [("kit", 2)], ""),
            (2, "李阿姨", None, [("kit", 2), ("linseed", 1)], ""),
        ]
        assert [entry.status for entry in chain.entries] == ["ok", "ok"]

    def test_a_kits_spec_naming_other_products_leaves_them_theirs(self) -> None:
        text = (
            "#接龙\n绿源生活｜第72期 健康粮油团\n\n"
            "A. 健康厨房入门套装 橄榄油+亚麻籽油+山茶油 各100ml ¥259（原价¥329）每人限2\n"
            "B. 冷榨橄榄油 500ml ¥89（原价¥128）每人限3\n"
            "C. 冷榨亚麻籽油 500ml ¥69\n"
            "D. 山茶油 500ml ¥99\n\n"
            "1. 李大爷 6-904 套装×1 橄榄油×1\n"
            "2. 魏哥 3-502 亚麻籽油×3 茶油×1（周六取）\n"
            "3. 宋磊 4-602 两套\n"
        )
        chain = parse_chain(text)
        kit = chain.header.items[0]
        assert (kit.name, kit.spec) == ("健康厨房入门套装", "橄榄油+亚麻籽油+山茶油 各100ml")
        assert entries(chain) == [
            (1, "李大爷", "6-904", [("健康厨房入门套装", 1), ("冷榨橄榄油", 1)], ""),
            (2, "魏哥", "3-502", [("冷榨亚麻籽油", 3), ("山茶油", 1)], "周六取"),
            (3, "宋磊", "4-602", [("健康厨房入门套装", 2)], ""),
        ]
        assert all(entry.status == "ok" for entry in chain.entries)
