"""Chinese numerals as people write them: every common form from 1 to 9999."""

from __future__ import annotations

import cn2an
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tuan.domain.shared.text import cn_to_int


@given(st.integers(min_value=1, max_value=999), st.sampled_from(["low", "up"]))
def test_reads_what_cn2an_writes(n: int, mode: str) -> None:
    assert cn_to_int(cn2an.an2cn(n, mode)) == n
    assert cn_to_int(cn2an.an2cn(n)) == n


@given(st.integers(min_value=1000, max_value=9999))
def test_reads_thousands_as_cn2an_writes_them(n: int) -> None:
    assert cn_to_int(cn2an.an2cn(n, "low")) == n


@given(st.integers(min_value=1, max_value=9999))
def test_reads_digit_by_digit(n: int) -> None:
    spelled = "".join("〇一二三四五六七八九"[int(d)] for d in str(n))
    assert cn_to_int(spelled) == n


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # the spoken short forms: the last digit counts in the unit below the one before it
        ("两百五", 250),
        ("一千二", 1200),
        ("一百一", 110),
        ("三千五", 3500),
        ("两千零五十", 2050),
        # 零 keeps the digit after it in the ones
        ("两百零五", 205),
        ("一千零一", 1001),
        ("一千〇二", 1002),
        # what cn2an does not write but people do
        ("俩", 2),
        ("两", 2),
        ("百", 100),
        ("千", 1000),
        ("十", 10),
        ("一十二", 12),
        ("一百十", 110),
        ("两百", 200),
        ("两千", 2000),
        ("三百五十", 350),
        ("〇", 0),
        ("零", 0),
        # digit by digit
        ("一〇二", 102),
        ("三三", 33),
        ("一二三", 123),
        ("二〇二六", 2026),
        # formal
        ("壹佰贰拾", 120),
        ("叁拾", 30),
        # ASCII digits pass through
        ("12", 12),
        (" 7 ", 7),
    ],
)
def test_every_common_form(text: str, value: int) -> None:
    assert cn_to_int(text) == value


@pytest.mark.parametrize(
    "text",
    ["", "  ", "两三", "十十", "百千", "二二十", "一万", "三个", "abc", "１２", "𐩀", "-1"],
)
def test_what_is_not_one_number(text: str) -> None:
    # `两三` is "two or three", `１２` is full-width (callers make it half-width first)
    assert cn_to_int(text) is None
