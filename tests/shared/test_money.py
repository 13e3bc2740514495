"""Money: what leaders type becomes cents; cents render one way; bad input says why."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tuan.domain.shared.money import MoneyError, format_money, format_plain, parse_money


@pytest.mark.parametrize(
    ("typed", "cents"),
    [
        ("199", 19900),
        ("¥199", 19900),
        ("￥199", 19900),
        ("199元", 19900),
        ("19.9", 1990),
        ("19.90", 1990),
        ("1,299.00", 129900),
        ("１９９", 19900),
        ("１９．９", 1990),
        (" 0.5 ", 50),
        ("199块", 19900),
        ("0", 0),
    ],
)
def test_parses_what_leaders_type(typed: str, cents: int) -> None:
    assert parse_money(typed) == cents


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("-5", "负数"),
        ("1.234", "两位小数"),
        ("abc", "看不懂"),
        ("", "请输入金额"),
        ("1,23", "看不懂"),
        ("12元5", "看不懂"),
        ("1e3", "看不懂"),
    ],
)
def test_rejects_bad_input_with_the_reason(typed: str, reason: str) -> None:
    with pytest.raises(MoneyError, match=reason):
        parse_money(typed)


def test_renders_whole_yuan_without_decimals_and_fen_with_two() -> None:
    assert format_money(19900) == "¥199"
    assert format_money(1990) == "¥19.90"
    assert format_money(129900) == "¥1,299"
    assert format_plain(1990) == "19.9"


@given(st.integers(min_value=0, max_value=10**10))
def test_rendered_money_parses_back(cents: int) -> None:
    assert parse_money(format_money(cents)) == cents
    assert parse_money(format_plain(cents)) == cents


@given(st.text(max_size=20))
def test_any_text_either_parses_or_says_why(text: str) -> None:
    try:
        assert parse_money(text) >= 0
    except MoneyError as error:
        assert str(error)
