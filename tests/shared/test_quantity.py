"""Reading item × quantity from what neighbours and leaders type."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tuan.domain.shared.quantity import Catalog, CatalogItem, ItemQty, read_quantities

OILS = Catalog(
    [
        CatalogItem("olive", "冷榨橄榄油", "500ml", (), "A"),
        CatalogItem("linseed", "冷榨亚麻籽油", "250ml", ("亚麻",), "B"),
        CatalogItem("camellia", "山茶油", "", (), "C"),
        CatalogItem("kit", "健康厨房入门套装", "", ("套装",), "D"),
    ]
)
FRUIT = Catalog(
    [
        CatalogItem("orange", "赣南脐橙", "", ("橙子",)),
        CatalogItem("kiwi", "猕猴桃"),
        CatalogItem("milk", "纯牛奶"),
    ]
)
RICE = Catalog([CatalogItem("rice", "五常大米", "5kg")])
MEAT = Catalog(
    [CatalogItem("steak", "牛排", "", (), "A"), CatalogItem("breast", "鸡胸肉", "", (), "B")]
)


def lines(text: str, catalog: Catalog) -> list[tuple[str | None, int]]:
    """The (item, qty) pairs read from text."""
    return [(line.item, line.qty) for line in read_quantities(text, catalog).items]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("套装x2", [("kit", 2)]),
        ("套装×2", [("kit", 2)]),
        ("套装X2", [("kit", 2)]),
        ("套装*2", [("kit", 2)]),
        ("套装＊2", [("kit", 2)]),
        ("套装 x 2", [("kit", 2)]),
        ("套装×２", [("kit", 2)]),
        ("套装2", [("kit", 2)]),
        ("套装2份", [("kit", 2)]),
        ("套装两份", [("kit", 2)]),
        ("套装二份", [("kit", 2)]),
        ("2份套装", [("kit", 2)]),
        ("两瓶亚麻", [("linseed", 2)]),
        ("二瓶山茶油", [("camellia", 2)]),
        ("山茶油十二瓶", [("camellia", 12)]),
        ("套装+1", [("kit", 1)]),
        ("套装", [("kit", 1)]),
        ("亚麻", [("linseed", 1)]),
        ("冷榨亚麻籽油", [("linseed", 1)]),
        ("亚麻籽", [("linseed", 1)]),
        ("橄榄油", [("olive", 1)]),
        ("冷榨橄榄油500ml×3", [("olive", 3)]),
        ("冷榨橄榄油 500ml ×3", [("olive", 3)]),
        ("亚麻籽油500ml×2", [("linseed", 2)]),
    ],
)
def test_one_product_and_its_quantity(text: str, expected: list[tuple[str, int]]) -> None:
    assert lines(text, OILS) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("套装×2 亚麻×1", [("kit", 2), ("linseed", 1)]),
        ("套装2，亚麻1", [("kit", 2), ("linseed", 1)]),
        ("套装2,亚麻1", [("kit", 2), ("linseed", 1)]),
        ("套装2、亚麻1", [("kit", 2), ("linseed", 1)]),
        ("套装2;亚麻1；山茶油3", [("kit", 2), ("linseed", 1), ("camellia", 3)]),
        ("套装2/亚麻1", [("kit", 2), ("linseed", 1)]),
        ("套装2和亚麻1", [("kit", 2), ("linseed", 1)]),
        ("套装2+亚麻1", [("kit", 2), ("linseed", 1)]),
        ("套装 2份 亚麻 1份", [("kit", 2), ("linseed", 1)]),
        ("套装 亚麻", [("kit", 1), ("linseed", 1)]),
        ("亚麻 2瓶橄榄油", [("linseed", 1), ("olive", 2)]),
        ("橄榄油、亚麻籽油各1", [("olive", 1), ("linseed", 1)]),
        ("橄榄油和山茶油各2瓶", [("olive", 2), ("camellia", 2)]),
        ("套装2亚麻1", [("kit", 2), ("linseed", 1)]),
    ],
)
def test_several_products_on_one_line(text: str, expected: list[tuple[str, int]]) -> None:
    assert lines(text, OILS) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("三斤橙子，两斤猕猴桃", [("orange", 3), ("kiwi", 2)]),
        ("三斤橙子 两斤猕猴桃", [("orange", 3), ("kiwi", 2)]),
        ("三斤橙子两斤猕猴桃", [("orange", 3), ("kiwi", 2)]),
        ("橙子三斤 猕猴桃两斤", [("orange", 3), ("kiwi", 2)]),
        ("牛奶两箱", [("milk", 2)]),
        ("十二个橙子", [("orange", 12)]),
        ("脐橙 5斤", [("orange", 5)]),
    ],
)
def test_units_before_or_after_the_product(text: str, expected: list[tuple[str, int]]) -> None:
    assert lines(text, FRUIT) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("套装 数量2", [("kit", 2)]),
        ("套装 份数：2 亚麻 件数 1", [("kit", 2), ("linseed", 1)]),
        ("套装 数量两", [("kit", 2)]),
    ],
)
def test_a_count_label_says_how_many(text: str, expected: list[tuple[str, int]]) -> None:
    # `数量2` read as an unknown product called 数量.
    reading = read_quantities(text, OILS)
    assert lines(text, OILS) == expected and reading.rest == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("套装✖️2", [("kit", 2)]),
        ("套装✖2", [("kit", 2)]),
        ("套装 ✕ 3", [("kit", 3)]),
        ("亚麻➕1", [("linseed", 1)]),
        ("套装➕亚麻", [("kit", 1), ("linseed", 1)]),
        ("套装2️⃣", [("kit", 2)]),
        ("亚麻 3⃣️", [("linseed", 3)]),
        ("套装2⃣ 亚麻1️⃣", [("kit", 2), ("linseed", 1)]),
    ],
)
def test_emoji_signs_and_keycap_digits(text: str, expected: list[tuple[str, int]]) -> None:
    # WeChat's emoji keyboard: `✖️` was an unknown product before 2, a keycap digit a note.
    reading = read_quantities(f"王阿姨 {text}", OILS)
    assert lines(text, OILS) == expected
    assert (reading.lead, reading.rest) == ("王阿姨", "")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("套装 二", [("kit", 2)]),
        ("套装 两 亚麻 一", [("kit", 2), ("linseed", 1)]),
        ("套装 贰", [("kit", 2)]),
        ("套装：2", [("kit", 2)]),
        ("套装=2 亚麻:1", [("kit", 2), ("linseed", 1)]),
        ("套装: 两瓶", [("kit", 2)]),
    ],
)
def test_a_spaced_numeral_or_a_colon_after_a_product(
    text: str, expected: list[tuple[str, int]]
) -> None:
    # Each was one piece with the numeral left in the note, or a second, unknown product.
    reading = read_quantities(f"王阿姨 {text}", OILS)
    assert lines(text, OILS) == expected
    assert (reading.lead, reading.rest) == ("王阿姨", "")


@pytest.mark.parametrize(
    ("text", "rest"),
    [("套装 三三", "三三"), ("套装 一一", "一一"), ("套装 三楼取", "三楼取"), ("套装2 俩", "俩")],
)
def test_words_after_a_product_that_are_not_its_quantity(text: str, rest: str) -> None:
    # a nickname of numerals, a floor; a numeral after a product that has its number already
    reading = read_quantities(text, OILS)
    assert [(i.item, i.qty) for i in reading.items] == [("kit", 2 if "2" in text else 1)]
    assert reading.rest == rest


@pytest.mark.parametrize(
    ("text", "expected", "rest"),
    [
        ("套装2 ¥518", [("kit", 2)], "¥518"),
        ("套装2 RMB518", [("kit", 2)], "RMB518"),
        ("套装1 259元", [("kit", 1)], "259元"),
        ("套装2瓶=518", [("kit", 2)], "518"),
        ("套装2 亚麻1 总计587", [("kit", 2), ("linseed", 1)], "总计587"),
        ("套装 ￥259×2", [("kit", 2)], "￥259"),
        ("亚麻 69.5元x2", [("linseed", 2)], "69.5元"),
        ("套装（大瓶）×2", [("kit", 2)], "大瓶"),
    ],
)
def test_money_typed_beside_the_order_is_a_note(
    text: str, expected: list[tuple[str, int]], rest: str
) -> None:
    # Each made an unknown product (`¥`, `瓶=`, `总计`) of 198, 316 or 518 pieces to review, or
    # parted the ×2 after a price from its product.
    reading = read_quantities(text, OILS)
    assert lines(text, OILS) == expected and reading.rest == rest


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("AB各一", [("olive", 1), ("linseed", 1)]),
        ("acd各2", [("olive", 2), ("camellia", 2), ("kit", 2)]),
    ],
)
def test_menu_codes_run_together_before_each(text: str, expected: list[tuple[str, int]]) -> None:
    assert lines(text, OILS) == expected


def test_a_product_named_with_yuan_is_not_money() -> None:
    sweets = Catalog([CatalogItem("y", "元宵", "500g"), CatalogItem("q", "元气森林")])
    assert lines("2元宵 1元气森林", sweets) == [("y", 2), ("q", 1)]


GROCERY = Catalog(
    [
        CatalogItem("rice", "东北五常大米", "10斤/袋"),
        CatalogItem("eggs", "土鸡蛋", "30枚/盒"),
        CatalogItem("apples", "新疆阿克苏苹果", "5斤"),
    ]
)


@pytest.mark.parametrize(
    ("text", "expected", "left"),
    [
        ("五常大米x2", [("rice", 2)], ""),
        ("两袋五常大米", [("rice", 2)], ""),
        ("1号1 3号2", [("rice", 1), ("apples", 2)], ""),
        ("2号x2", [("eggs", 2)], ""),
        ("2号 两盒", [("eggs", 2)], ""),
        ("3号 大米1", [("rice", 1)], "3号"),  # a lone `3号`: her house, not a product
        ("12号楼 1号×3", [("rice", 3)], "12号楼"),
    ],
)
def test_a_numeral_in_a_name_and_products_by_their_number(
    text: str, expected: list[tuple[str, int]], left: str
) -> None:
    # `五常大米` read 常大米 with `五` in the note; `1号1` made an unknown product 号.
    reading = read_quantities(text, GROCERY)
    assert lines(text, GROCERY) == expected and reading.lead + reading.rest == left


def test_products_with_letter_codes_are_not_numbered() -> None:
    assert lines("1号2", OILS) == [(None, 2)]


def test_a_nickname_of_letters_is_not_codes() -> None:
    # `ABC 3-1202 各1` leaves `ABC   各1` once the room is read: her nickname, not three codes
    reading = read_quantities("ABC      各1", OILS)
    assert [line.item for line in reading.items] == [None]


def test_other_emoji_in_a_name_are_kept() -> None:
    reading = read_quantities("☀️小太阳 套装✖️2", OILS)
    assert reading.lead == "☀️小太阳" and lines("套装✖️2", OILS) == [("kit", 2)]


def test_the_unit_is_kept() -> None:
    reading = read_quantities("三斤橙子，牛奶两箱，猕猴桃2", FRUIT)
    assert [line.unit for line in reading.items] == ["斤", "箱", None]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A×1", [("olive", 1)]),
        ("B2", [("linseed", 2)]),
        ("b×2", [("linseed", 2)]),
        ("b2", [("linseed", 2)]),
        ("B 2", [("linseed", 2)]),
        ("A1 B2", [("olive", 1), ("linseed", 2)]),
        ("A+B", [("olive", 1), ("linseed", 1)]),
        ("王阿姨 3-1202 A", [("olive", 1)]),
    ],
)
def test_one_letter_menu_codes(text: str, expected: list[tuple[str, int]]) -> None:
    assert lines(text, OILS) == expected


def test_code_followed_by_its_own_name_is_one_product() -> None:
    assert lines("B 鸡胸", MEAT) == [("breast", 1)]
    assert lines("B鸡胸2", MEAT) == [("breast", 2)]
    assert lines("A 2 B 3", MEAT) == [("steak", 2), ("breast", 3)]


@pytest.mark.parametrize("text", ["A姐", "Amy", "Lily", "wy", "小a"])
def test_letters_in_names_are_not_codes(text: str) -> None:
    reading = read_quantities(text, OILS)
    assert reading.items == ()
    assert reading.lead == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("李阿姨 2袋", [("rice", 2)]),
        ("陈晨3盒", [("rice", 3)]),
        ("+1", [("rice", 1)]),
        ("王阿姨 2", [("rice", 2)]),
        ("x2", [("rice", 2)]),
        ("两袋", [("rice", 2)]),
        ("大米 3", [("rice", 3)]),
    ],
)
def test_a_single_item_chain_takes_bare_quantities(
    text: str, expected: list[tuple[str, int]]
) -> None:
    assert lines(text, RICE) == expected


def test_bare_quantity_with_several_items_is_left_for_the_leader() -> None:
    assert read_quantities("王阿姨 2", OILS).items == (ItemQty(None, 2),)
    assert read_quantities("王阿姨 +1", OILS).items == (ItemQty(None, 1),)


@pytest.mark.parametrize(
    ("text", "lead", "rest"),
    [
        ("王阿姨 套装×2", "王阿姨", ""),
        ("小李 亚麻籽油2 不要发票", "小李", "不要发票"),
        ("🌸Lily 套装×2 亚麻×1", "🌸Lily", ""),
        ("wy 亚麻1", "wy", ""),
        ("王阿姨 套装2（周六取）", "王阿姨", "周六取"),
        ("王阿姨 套装2 备注：3点后取，要2个袋子", "王阿姨", "3点后取，要2个袋子"),
        ("王阿姨 套装2 【放门口】", "王阿姨", "放门口"),
        ("王阿姨 套装2，谢谢！", "王阿姨", "谢谢！"),
    ],
)
def test_leftover_text_is_the_name_and_the_note(text: str, lead: str, rest: str) -> None:
    reading = read_quantities(text, OILS)
    assert (reading.lead, reading.rest) == (lead, rest)


@pytest.mark.parametrize(
    "text",
    [
        "小王 2号取",
        "周六下午3点后",
        "11.28号到货",
        "3.5公里内送货",
        "电话13812345678",
        "10:30取",
        "11/28",
    ],
)
def test_numbers_that_are_not_quantities(text: str) -> None:
    assert read_quantities(text, RICE).items == ()


def test_notes_in_brackets_are_never_read_for_items() -> None:
    reading = read_quantities("王阿姨 套装1（再要2个袋子）", OILS)
    assert [(line.item, line.qty) for line in reading.items] == [("kit", 1)]
    assert reading.rest == "再要2个袋子"


def test_unknown_products_keep_their_words() -> None:
    reading = read_quantities("王阿姨 牛奶两箱", Catalog())
    assert reading.items == (ItemQty(None, 2, "箱", "牛奶"),)
    assert reading.lead == "王阿姨"
    reading = read_quantities("三斤橙子，两斤猕猴桃", [])
    assert [(line.label, line.qty) for line in reading.items] == [("橙子", 3), ("猕猴桃", 2)]


def test_unknown_product_in_a_one_item_chain_is_not_that_item() -> None:
    assert read_quantities("王阿姨 橙子2", RICE).items == (ItemQty(None, 2, None, "橙子"),)


def test_the_first_word_is_a_name_not_a_product() -> None:
    reading = read_quantities("陈晨3盒", Catalog())
    assert reading.items == (ItemQty(None, 3, "盒", ""),)
    assert reading.lead == "陈晨"


def test_a_note_glued_to_a_quantity_is_not_a_product() -> None:
    reading = read_quantities("王阿姨 2份不要葱", Catalog())
    assert reading.items == (ItemQty(None, 2, "份", ""),)
    assert reading.rest == "不要葱"


def test_same_item_twice_adds_up() -> None:
    assert lines("B×1 亚麻×2", OILS) == [("linseed", 3)]


def test_a_part_shared_by_two_items_names_neither() -> None:
    # 冷榨 is in both oils' names: the leader has to say which one.
    reading = read_quantities("王阿姨 冷榨×2", OILS)
    assert [(line.item, line.qty) for line in reading.items] == [(None, 2)]


def test_a_name_shared_by_two_items_names_neither() -> None:
    catalog = Catalog([CatalogItem("s", "橄榄油", "500ml"), CatalogItem("l", "橄榄油", "1L")])
    assert lines("橄榄油500ml", catalog) == [("s", 1)]
    assert lines("橄榄油 1L ×2", catalog) == [("l", 2)]
    assert lines("王阿姨 橄榄油2", catalog) == [(None, 2)]


def test_latin_aliases_match_whole_words_only() -> None:
    catalog = Catalog([CatalogItem("oil", "Olive Oil", "", ("oil",))])
    assert lines("oil 2", catalog) == [("oil", 2)]
    assert lines("OIL×2", catalog) == [("oil", 2)]
    assert lines("boil", catalog) == []


def test_accepts_a_plain_list_of_items() -> None:
    items = [CatalogItem("kit", "健康厨房入门套装", aliases=("套装",))]
    assert read_quantities("套装2", items).items == (ItemQty("kit", 2, None, "套装"),)


def test_empty_text() -> None:
    assert read_quantities("", OILS) == read_quantities("   ", OILS)
    assert read_quantities("", OILS).items == ()


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("套装亚麻AbB王阿姨 23两份斤x×*+,，、()（）备注:：各第.-/")),
        max_size=40,
    )
)
def test_never_raises(text: str) -> None:
    reading = read_quantities(text, OILS)
    assert all(line.qty >= 0 for line in reading.items)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_never_raises_on_any_unicode(text: str) -> None:
    read_quantities(text, OILS)
    read_quantities(text, RICE)


def test_mask_spans_keeps_positions() -> None:
    from tuan.domain.shared.text import mask_spans

    assert mask_spans("王阿姨 套装2", [(4, 6)], "#") == "王阿姨 ##2"
    assert mask_spans("abc", [], "#") == "abc"


def test_quantities_that_cannot_be_counted_are_reported() -> None:
    reading = read_quantities("王阿姨 1.5斤橄榄油", OILS)
    assert reading.unclear == ("1.5斤",)
    assert reading.lead == "王阿姨 1.5斤"  # the name, then words that are not products


def test_a_negative_quantity_is_not_read_as_a_positive_one() -> None:
    reading = read_quantities("王阿姨 -1套装", OILS)
    assert reading.unclear == ("-1",)


def test_a_total_is_not_an_item() -> None:
    reading = read_quantities("套装1，亚麻2，共3件", OILS)
    assert [(line.item, line.qty) for line in reading.items] == [("kit", 1), ("linseed", 2)]
    assert reading.rest == "共3件"


@pytest.mark.parametrize(
    ("text", "expected", "rest"),
    [
        ("王姐 橄榄油 共2瓶 178元", [("olive", 2)], "178元"),
        ("橄榄油 一共两瓶", [("olive", 2)], ""),
        ("亚麻 合计3瓶", [("linseed", 3)], ""),
        ("橄榄油共2瓶 亚麻 共1瓶", [("olive", 2), ("linseed", 1)], ""),
        # what it only repeats, or cannot be told apart, stays a note
        ("套装 亚麻 共2瓶", [("kit", 1), ("linseed", 1)], "共2瓶"),
        ("橄榄油2 共3瓶", [("olive", 2)], "共3瓶"),
        ("橄榄油 牛奶两箱 共3件", [("olive", 1), (None, 2)], "共3件"),
        ("橄榄油 共2", [("olive", 1)], "共2"),  # no unit: not surely a count
        ("橄榄油 总价2瓶", [("olive", 1)], "总价2瓶"),  # money's words never count pieces
    ],
)
def test_a_total_after_one_product_without_a_quantity_is_how_many(
    text: str, expected: list[tuple[str | None, int]], rest: str
) -> None:
    reading = read_quantities(text, OILS)
    assert [(line.item, line.qty) for line in reading.items] == expected
    assert reading.rest == rest


def test_a_total_alone_is_a_quantity() -> None:
    pumpkin = [CatalogItem("n", "南瓜", "1份")]
    assert [(i.item, i.qty) for i in read_quantities("王阿姨 共3份", pumpkin).items] == [("n", 3)]
    reading = read_quantities("王阿姨 共3件", OILS)
    assert [(i.item, i.qty) for i in reading.items] == [(None, 3)], "which product: the leader says"
    assert reading.lead == "王阿姨"


@pytest.mark.parametrize(
    ("text", "lead", "expected"),
    [
        ("3-1202 套装2", "3-1202", [("kit", 2)]),
        ("wy 亚麻1", "wy", [("linseed", 1)]),
        ("王阿姨 B×2 C", "王阿姨", [("linseed", 2), ("camellia", 1)]),
        ("1202 两份套装", "1202", [("kit", 2)]),
    ],
)
def test_live_order_entry_lines(text: str, lead: str, expected: list[tuple[str, int]]) -> None:
    reading = read_quantities(text, OILS)
    assert reading.lead == lead
    assert [(line.item, line.qty) for line in reading.items] == expected


@pytest.mark.parametrize(
    ("text", "lead", "expected"),
    [
        ("小王12 套装1", "小王12", [("kit", 1)]),
        ("小王12 套装×1", "小王12", [("kit", 1)]),
        ("🌸小王12 亚麻2 套装1", "🌸小王12", [("linseed", 2), ("kit", 1)]),
        ("小王12 3-1202 套装 x1", "小王12 3-1202", [("kit", 1)]),
    ],
)
def test_a_number_glued_to_the_name_ends_the_name(
    text: str, lead: str, expected: list[tuple[str, int]]
) -> None:
    reading = read_quantities(text, OILS)
    assert reading.lead == lead
    assert [(line.item, line.qty) for line in reading.items] == expected


def test_a_number_glued_to_the_name_is_the_quantity_when_it_is_the_only_one() -> None:
    assert lines("王阿姨2", RICE) == [("rice", 2)]
    assert read_quantities("王阿姨2", OILS).items == (ItemQty(None, 2),)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("王阿姨 两套", [("kit", 2)]),
        ("王阿姨 2套", [("kit", 2)]),
        ("王阿姨 两套 亚麻1", [("kit", 2), ("linseed", 1)]),
        ("王阿姨 2瓶", [(None, 2)]),  # three oils come in bottles: the leader says which
    ],
)
def test_a_counting_word_names_the_only_item_sold_by_it(
    text: str, expected: list[tuple[str | None, int]]
) -> None:
    assert lines(text, OILS) == expected


def test_a_spec_per_unit_names_the_item_sold_by_it() -> None:
    boxes = Catalog(
        [
            CatalogItem("milk", "纯牛奶", "250ml×12盒/箱"),
            CatalogItem("eggs", "土鸡蛋", "30枚"),
            CatalogItem("gift", "五谷杂粮礼盒"),
            CatalogItem("tea", "明前龙井", "1盒"),
        ]
    )
    assert lines("王阿姨 两箱", boxes) == [("milk", 2)]
    assert lines("王阿姨 2盒", boxes) == [(None, 2)], "two items come in a 盒"
    assert lines("王阿姨 30枚", boxes) == [(None, 30)], "30枚 is what one pack holds"


def test_a_part_that_ends_only_one_name_is_that_item() -> None:
    catalog = Catalog(
        [
            CatalogItem("kit", "橄榄油+亚麻籽油套装"),
            CatalogItem("olive", "冷榨橄榄油"),
            CatalogItem("linseed", "冷榨亚麻籽油"),
        ]
    )
    assert lines("王阿姨 橄榄油2 亚麻籽油1 套装1", catalog) == [
        ("olive", 2),
        ("linseed", 1),
        ("kit", 1),
    ]
    assert lines("王阿姨 冷榨×2", catalog) == [(None, 2)], "冷榨 ends neither name"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("芝麻粉×2", [("sesame", 2)]),
        ("芝麻粉两袋", [("sesame", 2)]),
        ("黑芝麻粉 1", [("sesame", 1)]),
        ("燕麦片2 芝麻粉1", [("oats", 2), ("sesame", 1)]),
        ("芝麻不要粉", [("sesame", 1)]),  # 不要 is in no name: the word stops at 芝麻
    ],
)
def test_a_short_name_may_skip_characters_of_the_name(
    text: str, expected: list[tuple[str, int]]
) -> None:
    grains = Catalog([CatalogItem("sesame", "黑芝麻核桃粉"), CatalogItem("oats", "高原燕麦片")])
    assert lines(text, grains) == expected
