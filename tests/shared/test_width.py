"""Text measured in terminal cells: a Chinese character is two, a Latin letter one."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tuan.domain.shared.width import cells, fit, pad, shorten, wrap


def test_cells_count_chinese_as_two() -> None:
    assert cells("王阿姨 3-1202") == 13


def test_pad_fills_to_the_width_and_never_cuts() -> None:
    assert pad("王阿姨", 8) == "王阿姨  "
    assert pad("王阿姨", 4) == "王阿姨"


def test_fit_is_exactly_the_width_with_the_cut_marked() -> None:
    assert fit("橄榄油", 8) == "橄榄油  "
    assert fit("冷榨橄榄油500ml", 10) == "冷榨橄榄.."
    assert fit("a冷榨橄榄油", 8) == "a冷榨 .."  # half a character is a space, not a torn glyph


def test_shorten_cuts_without_padding() -> None:
    assert shorten("买过橄榄油 沉睡", 16) == "买过橄榄油 沉睡"
    assert shorten("您的油用得还顺手吗？这是我们为您搭配的一周食谱", 12) == "您的油用得.."


def test_wrap_breaks_chinese_prose_anywhere_and_keeps_paragraphs() -> None:
    assert wrap("取消第 3 条（王阿姨）？库存会退回。", 16) == [
        "取消第 3 条（王",
        "阿姨）？库存会退",
        "回。",
    ]
    assert wrap("第一行\n\n第三行", 40) == ["第一行", "", "第三行"]


@given(st.text(max_size=60), st.integers(min_value=2, max_value=40))
def test_every_helper_keeps_its_width(text: str, width: int) -> None:
    text = "".join(ch for ch in text if ch.isprintable())
    assert cells(fit(text, width)) == width
    assert cells(shorten(text, width)) <= width
    assert all(cells(line) <= width for line in wrap(text, width))
    assert "".join(wrap(text, width)) == "".join(text.splitlines())
