"""Products typed by their pinyin initials (`tz2`) or menu letter (`A2`), where the leader types.

The catalogue is chain 72 of the demo: the kit 健康厨房入门套装 (short names 套装 入门套装
厨房套装, letter A), 冷榨橄榄油 (B), 冷榨亚麻籽油 (C), 山茶油 (D).
"""

from __future__ import annotations

import pytest

from tuan.domain.shared.item_names import Catalog, CatalogItem
from tuan.domain.shared.quantity import read_quantities

ITEMS = (
    CatalogItem("kit", "健康厨房入门套装", "橄榄油+亚麻籽油+山茶油 各100ml",
                ("套装", "入门套装", "厨房套装"), "A"),
    CatalogItem("olive", "冷榨橄榄油", "500ml", ("橄榄油", "橄榄"), "B"),
    CatalogItem("linseed", "冷榨亚麻籽油", "500ml", ("亚麻籽油", "亚麻", "亚麻油"), "C"),
    CatalogItem("camellia", "山茶油", "500ml", ("茶油", "茶籽油"), "D"),
)  # fmt: skip
TYPED = Catalog(ITEMS, initials=True)
PASTED = Catalog(ITEMS)


def items(text: str, catalog: Catalog = TYPED) -> list[tuple[str | None, int]]:
    return [(found.item, found.qty) for found in read_quantities(text, catalog).items]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tz2", [("kit", 2)]),
        ("TZ2", [("kit", 2)]),
        ("rmtz1", [("kit", 1)]),  # 入门套装
        ("jkcfrmtz1", [("kit", 1)]),  # the full name
        ("gly×1", [("olive", 1)]),
        ("gly*3", [("olive", 3)]),
        ("tzx2", [("kit", 2)]),  # x is "times"
        ("ym1 scy2", [("linseed", 1), ("camellia", 2)]),
        ("tz2，cy1", [("kit", 2), ("camellia", 1)]),
        ("A2", [("kit", 2)]),
        ("a2 B1", [("kit", 2), ("olive", 1)]),
        ("tz2 A1", [("kit", 3)]),  # the same item twice is one line
    ],
)
def test_initials_and_menu_letters_name_products(text: str, expected: list[object]) -> None:
    assert items(text) == expected


def test_the_leftover_is_the_name() -> None:
    reading = read_quantities("王阿姨 tz2 gly1", TYPED)
    assert [(f.item, f.qty, f.label) for f in reading.items] == [
        ("kit", 2, "tz"),
        ("olive", 1, "gly"),
    ]
    assert reading.lead == "王阿姨"


def test_initials_need_a_quantity_glued_to_them() -> None:
    assert items("tz") == []  # could be a neighbour's name
    assert read_quantities("tz", TYPED).lead == "tz"
    assert items("tz 2") == [(None, 2)]  # a name, then a bare quantity


def test_initials_two_items_share_name_neither() -> None:
    shared = Catalog(
        [CatalogItem("a", "山茶油", aliases=("茶油",)), CatalogItem("b", "菜油")], initials=True
    )
    assert items("scy2", shared) == [("a", 2)]
    assert items("cy2", shared) == []  # 茶油 and 菜油 are both cy: read as before, a word


@pytest.mark.parametrize(
    ("text", "expected", "lead"),
    [
        ("Lily2", [], "Lily2"),  # a Latin nickname keeps its digit, as before
        ("Lily 2", [(None, 2)], "Lily"),
        ("3-1202 tz2", [("kit", 2)], "3-1202"),  # a room stays a room
        ("1202 tz1", [("kit", 1)], "1202"),
        ("SKU123 tz1", [("kit", 1)], "SKU123"),  # a code is not initials
        ("wy 2", [(None, 2)], "wy"),  # a member's initials without a product
    ],
)
def test_rooms_codes_and_latin_names_stay_what_they_were(
    text: str, expected: list[object], lead: str
) -> None:
    reading = read_quantities(text, TYPED)
    assert [(f.item, f.qty) for f in reading.items] == expected
    assert reading.lead == lead


def test_half_a_catty_stays_unclear() -> None:
    reading = read_quantities("tz 1.5斤", TYPED)
    assert reading.unclear == ("1.5斤",)


def test_a_pasted_chain_does_not_read_initials() -> None:
    """Chain import: `gly2` in a pasted line is someone's name and 2, not 橄榄油×2."""
    for text in ("tz2", "gly2", "Lily2"):
        reading = read_quantities(text, PASTED)
        assert (reading.items, reading.lead) == ((), text)
    assert items("A2", PASTED) == [("kit", 2)]  # the menu letter was always read
    assert items("3-1202 A2", PASTED) == [("kit", 2)]
