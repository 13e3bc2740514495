"""Shapes of real chains: a menu of letters with bare prices, a price line under the title that
names only the measure, a title before the deadline word, products first, entries numbered
without a dot, a phone number in an entry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.chains.test_new_from_text import _facts, _json
from tuan.db import open_database
from tuan.domain.chains.listing import chain_items

LETTER_MENU = """#接龙
本周团购 截止周四晚8点
A 赣南脐橙 10斤 49.9
B 烟台苹果 5斤 35
C 库尔勒香梨 5斤 39/箱

1. 6-201 A1 B1
2. 3-1104 王姐 A2
3. 小米妈妈 C1 B2
4. 8-502 脐橙一箱 苹果一箱
5. 11-1302 香梨2
"""

PRICE_UNDER_TITLE = """#接龙
12月8日周二 新鲜草莓 丹东99红颜
3斤装一盒 68元 限量50盒
明天下午3点到货 小区南门自提

1. 5-302 张姐 2盒
2. 7号楼1203 李阿姨 1
3. 刘先生 3-1-501 一盒
"""


@pytest.fixture
def path(tmp_path: Path) -> Path:
    where = tmp_path / "tuan.db"
    open_database(where).close()
    return where


def _items(path: Path, chain_id: int) -> list[tuple[str, str, int, int | None]]:
    database = open_database(path)
    with database.session() as session:
        items = chain_items(session, chain_id)
    database.close()
    return [(i.name, i.spec, i.price_cents, i.stock) for i in items]


def test_a_menu_of_letters_with_bare_prices_is_the_chain_s_products(path: Path) -> None:
    report = _json(path, LETTER_MENU)
    assert report["chain"]["title"] == "本周团购"
    assert _facts(report) == [
        (1, "", "6-201", [("赣南脐橙", 1), ("烟台苹果", 1)], "ok"),
        (2, "王姐", "3-1104", [("赣南脐橙", 2)], "ok"),
        (3, "小米妈妈", None, [("库尔勒香梨", 1), ("烟台苹果", 2)], "ok"),
        (4, "", "8-502", [("赣南脐橙", 1), ("烟台苹果", 1)], "ok"),
        (5, "", "11-1302", [("库尔勒香梨", 2)], "ok"),
    ]
    assert _items(path, report["chain"]["id"]) == [
        ("赣南脐橙", "10斤", 4990, None),
        ("烟台苹果", "5斤", 3500, None),
        ("库尔勒香梨", "5斤", 3900, None),
    ]


def test_the_deadline_after_the_title_words_is_read_as_the_deadline() -> None:
    from tuan.domain.chains.header import read_header

    header = read_header([(1, "本周团购 截止周四晚8点"), (2, "明天中午1点截止 12点前付款")])
    assert (header.title, header.deadline) == ("本周团购", "周四晚8点")
    assert read_header([(1, "明天中午1点截止 12点前付款")]).deadline == "明天中午1点"


def test_a_number_ending_a_line_without_a_menu_letter_is_no_price() -> None:
    from tuan.domain.chains.header import parse_item_line

    assert parse_item_line("半个南瓜 等会送来 共20份") is None
    assert parse_item_line("小区南门 3号门 2") is None


def test_a_price_line_naming_only_the_measure_sells_what_the_title_names(path: Path) -> None:
    report = _json(path, PRICE_UNDER_TITLE)
    assert _facts(report) == [
        (1, "张姐", "5-302", [("新鲜草莓", 2)], "ok"),
        (2, "李阿姨", "7-1203", [("新鲜草莓", 1)], "ok"),
        (3, "刘先生", "3-1-501", [("新鲜草莓", 1)], "ok"),
    ]
    assert _items(path, report["chain"]["id"]) == [("新鲜草莓", "丹东99红颜 3斤装一盒", 6800, 50)]


PRODUCTS_FIRST = """#接龙
东北五常大米 10斤/袋 ￥65 今晚10点截止
山东大葱 5斤/捆 ￥12
周日上午9-11点 3号楼下自提

1. 张 1-201 大米1 大葱1
2. 吴姐 2-1-302 大米两袋
3. 郑 7-801 葱1捆
4. 孙 3-302 大米1袋，大葱2捆
5. 冯 9-1001 米2
"""


def test_a_chain_that_opens_with_its_products(path: Path) -> None:
    """No title line: the chain is named after its products; the deadline ends the first
    product's line; the pickup line gives the time first and the place before 自提; a product
    is named by its last character alone (葱, 米) when glued to a quantity."""
    from tuan import clock
    from tuan.models import Chain, PickupPoint

    report = _json(path, PRODUCTS_FIRST)  # on Thursday 2026-11-26 (the tests' clock)
    assert report["chain"]["title"] == "东北五常大米、山东大葱"
    assert _facts(report) == [
        (1, "张", "1-201", [("东北五常大米", 1), ("山东大葱", 1)], "ok"),
        (2, "吴姐", "2-1-302", [("东北五常大米", 2)], "ok"),
        (3, "郑", "7-801", [("山东大葱", 1)], "ok"),
        (4, "孙", "3-302", [("东北五常大米", 1), ("山东大葱", 2)], "ok"),
        (5, "冯", "9-1001", [("东北五常大米", 2)], "ok"),
    ]
    products = [name for name, *_ in _items(path, report["chain"]["id"])]
    assert products == ["东北五常大米", "山东大葱"]
    database = open_database(path)
    with database.session() as session:
        chain = session.get(Chain, report["chain"]["id"])
        assert chain is not None and chain.pickup_point_id is not None
        point = session.get(PickupPoint, chain.pickup_point_id)
        assert point is not None and point.name == "3号楼下"
        times = (chain.deadline, chain.pickup_start, chain.pickup_end)
        assert None not in times
        deadline, start, end = (clock.local(t) for t in times if t is not None)
        assert chain.description == ""
    database.close()
    assert (deadline.day, deadline.hour) == (26, 22)
    assert (start.day, start.hour, end.hour) == (29, 9, 11)


def test_a_lone_last_character_is_no_product_unless_glued_to_a_quantity() -> None:
    """李 of 三华李 is also a surname; 米 of 大米 is also in 小米妈妈."""
    from tuan.domain.shared.item_names import Catalog, CatalogItem

    catalog = Catalog([CatalogItem("1", "三华李"), CatalogItem("2", "东北五常大米")])
    assert [m.key for m in catalog.find_products("李 9-1001 2份")] == []
    assert [m.key for m in catalog.find_products("小米妈妈 3-302 1份")] == []
    assert [m.key for m in catalog.find_products("王 李2 米两袋")] == ["1", "2"]


BLUEBERRIES = """#接龙
蓝莓 125g/盒 15元 周五到
例 1号楼 501 张三 2盒

1. 1号楼 501 张三 2盒
2. 2号楼 302 李四 1盒
3. 3号楼1单元 1201 王五 3
4 赵六 4-402 蓝莓*2
5、张姐 138****1234 2盒
6. 周周 5#1103 蓝莓x3
7. 钱 13812345678 二盒
"""


def test_a_number_and_a_space_open_an_entry_and_a_phone_number_is_a_note(path: Path) -> None:
    report = _json(path, BLUEBERRIES, "--dry-run")
    assert report["chain"]["title"] == "蓝莓"
    assert [(e["seq"], e["name"], e["room"], [(i["item"], i["qty"]) for i in e["items"]],
             e["note"], e["status"]) for e in report["entries"]] == [
        (1, "张三", "1-501", [("蓝莓", 2)], "", "ok"),
        (2, "李四", "2-302", [("蓝莓", 1)], "", "ok"),
        (3, "王五", "3-1-1201", [("蓝莓", 3)], "", "ok"),
        (4, "赵六", "4-402", [("蓝莓", 2)], "", "ok"),
        (5, "张姐", None, [("蓝莓", 2)], "138****1234", "ok"),
        (6, "周周", "5-1103", [("蓝莓", 3)], "", "ok"),
        (7, "钱", None, [("蓝莓", 2)], "13812345678", "ok"),
    ]  # fmt: skip


def test_a_header_line_opening_with_a_number_and_a_space_is_no_entry(path: Path) -> None:
    text = "#接龙\n3 斤装 砂糖橘 ¥38\n2 号门自提\n\n1. 王阿姨 3-1202 2\n2. 小李 5-601 1\n"
    report = _json(path, text, "--dry-run")
    assert [(e["seq"], e["name"]) for e in report["entries"]] == [(1, "王阿姨"), (2, "小李")]
    assert report["unparsed"] == []


LUNCH = """#接龙
周三午餐接龙，A餐：宫保鸡丁+米饭 18元，B餐：鱼香肉丝+米饭 18元
11:00截止，12:00送到楼下
接龙格式：楼号+房号+A/B+份数

1. 3-1201 A1
2. 5-602 B2
3. 7-1101 A1B1
4. 2-801 a餐2份
5. 9-302 B餐一份 不要辣
6. 4-1502 A 2
"""

HALF_PUMPKIN = """#接龙
南瓜（半个） 5元/份
共20份，先到先得

1. Lily妈妈 3-501 1份
2. 王阿姨 2-302 半个
3. 张 1-101 1份 @团长 晚点拿
"""


def test_a_lunch_menu_on_one_line_with_labelled_meals(path: Path) -> None:
    """`A餐：…` is the meal A (its dishes the spec); the words before the first comma are the
    title; a bare time before 截止 is today's; the `接龙格式` line is an example, not a title."""
    from tuan import clock
    from tuan.models import Chain

    report = _json(path, LUNCH)
    assert report["chain"]["title"] == "周三午餐接龙"
    assert _facts(report) == [
        (1, "", "3-1201", [("A餐", 1)], "ok"),
        (2, "", "5-602", [("B餐", 2)], "ok"),
        (3, "", "7-1101", [("A餐", 1), ("B餐", 1)], "ok"),
        (4, "", "2-801", [("A餐", 2)], "ok"),
        (5, "", "9-302", [("B餐", 1)], "ok"),
        (6, "", "4-1502", [("A餐", 2)], "ok"),
    ]
    assert _items(path, report["chain"]["id"]) == [
        ("A餐", "宫保鸡丁+米饭", 1800, None),
        ("B餐", "鱼香肉丝+米饭", 1800, None),
    ]
    database = open_database(path)
    with database.session() as session:
        chain = session.get(Chain, report["chain"]["id"])
        assert chain is not None and chain.deadline is not None
        deadline = clock.local(chain.deadline)
    database.close()
    assert (deadline.date(), deadline.hour) == (clock.today(), 11)


def test_the_total_under_the_only_product_is_its_stock_not_the_title(path: Path) -> None:
    report = _json(path, HALF_PUMPKIN)
    assert report["chain"]["title"] == "南瓜(半个)"
    assert [(e["seq"], e["name"], e["items"][0]["qty"]) for e in report["entries"]] == [
        (1, "Lily妈妈", 1),
        (2, "王阿姨", 1),
        (3, "张", 1),
    ]
    assert _items(path, report["chain"]["id"]) == [("南瓜(半个)", "每份", 500, 20)]


ORANGES = """🍊🍊【阳光花园 砂糖橘团购】🍊🍊
广西砂糖橘 5斤装 ¥25.8
🔥每人限购3份🔥
截单：明天中午12点

#接龙
1. 张三 2份 3-201
2. 王姐 3-1-502 2份+1份
3. 刘 5-302 取消
4. 小雨妈妈 6-1201 1份（改成2份）
5. 何 8-801 3份 已付
"""


def test_added_parts_a_correction_and_a_withdrawn_entry(path: Path) -> None:
    """`2份+1份` is 3; `（改成2份）` is 2; `取消` orders nothing; `每人限购3份` is the limit."""
    report = _json(path, ORANGES)
    facts = [(e["seq"], e["name"], [(i["item"], i["qty"]) for i in e["items"]], e["status"])
             for e in report["entries"]]  # fmt: skip
    assert facts == [
        (1, "张三", [("广西砂糖橘", 2)], "ok"),
        (2, "王姐", [("广西砂糖橘", 3)], "ok"),
        (3, "刘", [], "review"),
        (4, "小雨妈妈", [("广西砂糖橘", 2)], "ok"),
        (5, "何", [("广西砂糖橘", 3)], "ok"),
    ]
    assert "写了取消：不算下单" in report["entries"][2]["reasons"]
    assert report["summary"]["added"] == 4
    database = open_database(path)
    with database.session() as session:
        [item] = chain_items(session, report["chain"]["id"])
    database.close()
    assert (item.name, item.limit_per_person) == ("广西砂糖橘", 3)


def test_a_withdrawn_entry_cancels_her_order_once_confirmed(path: Path) -> None:
    first = _json(path, ORANGES.replace("刘 5-302 取消", "刘 5-302 1份"))
    chain = str(first["chain"]["id"])
    preview = _json(path, ORANGES, "--chain", chain, "--dry-run")
    [row] = [e for e in preview["entries"] if e["action"] == "remove"]
    assert (row["seq"], row["name"]) == (3, "刘") and any("写了取消" in r for r in row["reasons"])
    done = _json(path, ORANGES, "--chain", chain, "--yes")
    assert done["summary"]["removed"] == 1


ROAST_DUCK = """#接龙
周末烤鸭 68元/只
1. 王阿姨（3-302）2只
2. 李(5-1101) 1
3. 张三【6-602】 1只
4. 刘 3号楼302室 1只
5. 吴 B座1502 2只
"""


def test_rooms_in_brackets_and_towers_named_by_a_letter(path: Path) -> None:
    """`B座1502` is tower B, room 1502 (its sorting list says B座); `周末` is when, not what."""
    from tuan.domain.pickup.sorting import BuildingTotals

    report = _json(path, ROAST_DUCK, "--dry-run")
    assert _facts(report) == [
        (1, "王阿姨", "3-302", [("烤鸭", 2)], "ok"),
        (2, "李", "5-1101", [("烤鸭", 1)], "ok"),
        (3, "张三", "6-602", [("烤鸭", 1)], "ok"),
        (4, "刘", "3-302", [("烤鸭", 1)], "ok"),
        (5, "吴", "B-1502", [("烤鸭", 2)], "ok"),
    ]
    assert BuildingTotals("B").label == "B座"
    assert BuildingTotals("12").label == "12号楼"


@pytest.mark.parametrize(
    "numbers",
    [("①", "②", "③"), ("1）", "2）", "3）"), ("(1)", "(2)", "(3)"), ("一、", "二、", "三、")],
)
def test_entries_numbered_in_other_ways(path: Path, numbers: tuple[str, str, str]) -> None:
    first, second, third = numbers
    text = (f"#接龙\n冬枣 ¥25/箱\n{first}王 3-101 1箱\n{second} 李 3-102 2箱\n"
            f"{third}张 3-103 1箱\n")  # fmt: skip
    report = _json(path, text, "--dry-run")
    assert _facts(report) == [
        (1, "王", "3-101", [("冬枣", 1)], "ok"),
        (2, "李", "3-102", [("冬枣", 2)], "ok"),
        (3, "张", "3-103", [("冬枣", 1)], "ok"),
    ]
    assert [e["raw"] for e in report["entries"]][1] == f"{second} 李 3-102 2箱"


def test_half_a_jin_is_for_the_leader_to_look_at_not_one() -> None:
    from tuan.domain.shared.item_names import Catalog, CatalogItem
    from tuan.domain.shared.quantity import read_quantities

    catalog = Catalog([CatalogItem("1", "西瓜"), CatalogItem("2", "苹果")])
    assert read_quantities("西瓜一斤半", catalog).unclear == ("一斤半",)
    assert read_quantities("苹果半斤 西瓜3斤", catalog).unclear == ("半斤",)
    assert read_quantities("西瓜3斤", catalog).unclear == ()


EMOJI_AND_PRICE_WORDS = """#接龙
【绿源生活】第73期 有机杂粮团🌾
🔥五常大米 5kg 团购价￥89 原价￥128
🔥有机小米 1袋 ¥25
✨东北黑豆✨ 500g/袋 秒杀价：19.9元
截止时间：12月10日晚8点
例：王阿姨 3-1202 大米1

1. 张三 5-101 大米2
2. 李四 6-202 小米3 黑豆1
"""


def test_emoji_before_a_product_and_the_word_price_are_not_its_name(path: Path) -> None:
    # `团购价￥89` named the product 团购价; `🔥有机小米` kept its flame.
    report = _json(path, EMOJI_AND_PRICE_WORDS)
    assert _items(path, report["chain"]["id"]) == [
        ("五常大米", "5kg", 8900, None),
        ("有机小米", "1袋", 2500, None),
        ("东北黑豆", "500g/袋", 1990, None),
    ]
    assert _facts(report) == [
        (1, "张三", "5-101", [("五常大米", 2)], "ok"),
        (2, "李四", "6-202", [("有机小米", 3), ("东北黑豆", 1)], "ok"),
    ]


PRICE_ON_ITS_OWN_LINE = """#接龙
🍊赣南脐橙🍊 现摘现发
规格：10斤/箱
团购价：49.9元/箱
原价：68元
新鲜直达，坏果包赔
截止：周五晚8点

1. 张三 5-101 2箱
2. 李四 6-202 1
"""


def _chain_and_items(path: Path, chain_id: int) -> tuple[Any, list[Any]]:
    """The chain an import made, and its items."""
    from tuan.models import Chain

    database = open_database(path)
    with database.session() as session:
        chain = session.get(Chain, chain_id)
        items = chain_items(session, chain_id)
    database.close()
    assert chain is not None
    return chain, list(items)


def test_name_spec_price_and_original_each_on_a_line_of_their_own(path: Path) -> None:
    report = _json(path, PRICE_ON_ITS_OWN_LINE)
    chain, items = _chain_and_items(path, report["chain"]["id"])
    assert chain.description == "新鲜直达，坏果包赔"
    assert [(i.name, i.spec, i.price_cents, i.original_price_cents) for i in items] == [
        ("赣南脐橙", "10斤/箱", 4990, 6800)
    ]
    assert _facts(report) == [
        (1, "张三", "5-101", [("赣南脐橙", 2)], "ok"),
        (2, "李四", "6-202", [("赣南脐橙", 1)], "ok"),
    ]


BRACKETED_NAME = """#接龙
🍊【赣南脐橙】产地直发🍊
规格：10斤/箱（净重9斤）
团购价：49.9元/箱
截止：周五晚8点

1. 张三 5-101 2箱
2. 李四 6-202 橙子✖️2
"""


def test_a_name_in_brackets_in_the_title_is_the_product_s(path: Path) -> None:
    # The product was named `【赣南脐橙】产地直发` (its slogan too), so `橙子` named nothing.
    report = _json(path, BRACKETED_NAME)
    chain, items = _chain_and_items(path, report["chain"]["id"])
    assert chain.title == "🍊【赣南脐橙】产地直发🍊"
    assert [(i.name, i.spec, i.price_cents) for i in items] == [
        ("赣南脐橙", "10斤/箱(净重9斤)", 4990)
    ]
    assert _facts(report) == [
        (1, "张三", "5-101", [("赣南脐橙", 2)], "ok"),
        (2, "李四", "6-202", [("赣南脐橙", 2)], "ok"),
    ]


NUMBERED = """#接龙
本周团购｜12月第二周
1、东北五常大米 10斤/袋 ￥65
2、土鸡蛋 30枚/盒 ￥39.9
3、新疆阿克苏苹果 5斤 ￥29.9 限购2
截单：周三晚9点

1. 王阿姨 3-1202 大米1 鸡蛋2
2. 小张 5-803 1号1 3号2
3. 赵 8-601 五常大米x2
4. 周 4-402 2号x2
"""


def test_products_named_by_their_number_in_the_list(path: Path) -> None:
    # `1号1 3号2` made a product called 号 (with no price) on the new chain.
    report = _json(path, NUMBERED)
    assert [i[0] for i in _items(path, report["chain"]["id"])] == [
        "东北五常大米", "土鸡蛋", "新疆阿克苏苹果"
    ]  # fmt: skip
    assert _facts(report) == [
        (1, "王阿姨", "3-1202", [("东北五常大米", 1), ("土鸡蛋", 2)], "ok"),
        (2, "小张", "5-803", [("东北五常大米", 1), ("新疆阿克苏苹果", 2)], "ok"),
        (3, "赵", "8-601", [("东北五常大米", 2)], "ok"),
        (4, "周", "4-402", [("土鸡蛋", 2)], "ok"),
    ]


KEYCAPS_AND_EMOJI = """#接龙 周末水果团🍓
1️⃣ 丹东草莓 3斤/盒 ¥68
2️⃣ 砂糖橘 5斤 ¥29.9
⏰截止：周六中午12点
📍自提：3号楼快递柜旁
--------
1. 王阿姨 3-1202 草莓1 砂糖橘2
"""


def test_keycap_numbers_emoji_before_the_deadline_and_pickup_and_a_rule(path: Path) -> None:
    from tuan.domain.chains.parse import parse_chain

    header = parse_chain(KEYCAPS_AND_EMOJI).header
    assert [(i.name, i.spec, i.price_cents) for i in header.items] == [
        ("丹东草莓", "3斤/盒", 6800), ("砂糖橘", "5斤", 2990)
    ]  # fmt: skip
    assert (header.title, header.deadline, header.description) == (
        "周末水果团🍓",
        "周六中午12点",
        (),
    )
    assert header.pickup == ("自提：3号楼快递柜旁",)
    report = _json(path, KEYCAPS_AND_EMOJI)
    assert _facts(report) == [(1, "王阿姨", "3-1202", [("丹东草莓", 1), ("砂糖橘", 2)], "ok")]
