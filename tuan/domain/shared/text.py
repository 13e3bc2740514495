"""Normalising what people type: full-width characters, Chinese numerals."""

from __future__ import annotations

import unicodedata

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "壹": 1,
    "二": 2,
    "两": 2,
    "贰": 2,
    "俩": 2,
    "三": 3,
    "叁": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
_CN_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}

CN_NUMERAL_CHARS = "".join(_CN_DIGITS) + "".join(_CN_UNITS)


def to_halfwidth(text: str) -> str:
    """Full-width digits, letters and punctuation (１２．５，＋) become their ASCII forms."""
    return unicodedata.normalize("NFKC", text).replace("\u3000", " ")


def cn_to_int(text: str) -> int | None:
    """Read a Chinese numeral (`三`, `十二`, `两百`, `二十五`) or ASCII digits; None if not one."""
    text = text.strip()
    if not text:
        return None
    if text.isascii() and text.isdigit():
        return int(text)
    total, current = 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (current or 1) * _CN_UNITS[ch]
            current = 0
        else:
            return None
    return total + current


def mask_spans(text: str, spans: list[tuple[int, int]], fill: str) -> str:
    """`text` with each (start, end) span overwritten by `fill` (one character), same length.

    Readers use it to hide what they have already read while keeping every position.
    """
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        chars[start:end] = fill * (end - start)
    return "".join(chars)
