"""Normalising what people type: full-width characters, Chinese numerals."""

from __future__ import annotations

import re
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
#: Digits that may be written one after another (`一二三`, `一〇二`); not 两 or 俩 (`两三` is
#: "two or three").
_SPELLED_DIGITS = frozenset("零〇一二三四五六七八九壹贰叁肆伍陆柒捌玖")
_CN_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}

CN_NUMERAL_CHARS = "".join(_CN_DIGITS) + "".join(_CN_UNITS)


def is_emoji(char: str) -> bool:
    """An emoji or pictographic symbol (`✅`, `🔥`, `🙏`), or what joins or varies emoji (a
    zero-width joiner, the emoji variation selector): decoration, never a word or a number."""
    if len(char) != 1:
        return False
    return char in "\u200d\ufe0f" or (char > "\u2000" and unicodedata.category(char) == "So")


# Emoji typed for a sign or a digit in an order: `橄榄油✖️2`, `亚麻➕1`, `套装2️⃣`, `✕2`.
_EMOJI_SIGN_RE = re.compile("([\u2716\u2715\u2795])\ufe0f?|([0-9])(?:\ufe0f?\u20e3\ufe0f?)")
_SIGNS = {"\u2716": "×", "\u2715": "×", "\u2795": "+"}


def plain_signs(text: str) -> str:
    """`text` with those emoji as the plain sign or digit, padded with spaces to the same
    length (readers cut notes from the text as typed by the same positions)."""
    if text.isascii() or not _EMOJI_SIGN_RE.search(text):
        return text

    def plain(match: re.Match[str]) -> str:
        sign = _SIGNS[match.group(1)] if match.group(1) else match.group(2)
        return sign.ljust(len(match.group()))

    return _EMOJI_SIGN_RE.sub(plain, text)


def to_halfwidth(text: str) -> str:
    """Full-width digits, letters and punctuation (１２．５，＋) become their ASCII forms.

    NFKC turns the ideographic space (U+3000) into a plain one too, and leaves ASCII as it is.
    """
    return text if text.isascii() else unicodedata.normalize("NFKC", text)


def cn_to_int(text: str) -> int | None:
    """Read a number up to 9999 written in Chinese, or ASCII digits; None if it is not one.

    Every common form: `三`, `十二`, `二十`, `两百零五`, `三百五十`, the spoken short forms
    `两百五` (250), `一千二` (1200), `一百一` (110), a bare `百` (100), `〇`/`零`, `两`/`俩`,
    digit by digit `一二三` (123) and `一〇二` (102), and the formal `壹佰贰拾`.
    """
    text = text.strip()
    if not text:
        return None
    if text.isascii() and text.isdigit():
        return int(text)
    if len(text) > 1 and all(ch in _SPELLED_DIGITS for ch in text):
        return int("".join(str(_CN_DIGITS[ch]) for ch in text))  # 一二三, 一〇二, 二〇二六
    return _positional(text)


def _positional(text: str) -> int | None:
    """`两百零五`, `一千二`, `三十五`: digits with 千, 百, 十 in falling order."""
    total = 0
    digit: int | None = None  # a digit still waiting for its unit
    last_unit = 10_000  # units must fall: 千 then 百 then 十
    after_zero = False  # a 零 since the last unit: the next digit is ones (一千零二 is 1002)
    for ch in text:
        if ch in _CN_UNITS:
            unit = _CN_UNITS[ch]
            if unit >= last_unit:
                return None  # 十十, 百千
            total += (1 if digit is None else digit) * unit
            digit, last_unit, after_zero = None, unit, False
        elif ch not in _CN_DIGITS:
            return None
        elif _CN_DIGITS[ch] == 0:
            if digit is not None:
                return None  # 五零 (五〇 digit by digit is read above)
            after_zero = True
        elif digit is not None:
            return None  # 两三 ("two or three"), 二二十: not one number
        else:
            digit = _CN_DIGITS[ch]
    if digit is None:
        return total
    if after_zero or last_unit in (10, 10_000):  # 三十五, 一千零五, a lone 五
        return total + digit
    return total + digit * (last_unit // 10)  # the spoken short form: 两百五 is 250


def mask_spans(text: str, spans: list[tuple[int, int]], fill: str) -> str:
    """`text` with each (start, end) span overwritten by `fill` (one character), same length.

    Readers use it to hide what they have already read while keeping every position.
    """
    if not spans:
        return text
    size = len(text)
    if len(spans) < 4 and all(0 <= start <= end <= size for start, end in spans):
        for start, end in spans:  # a few spans (most lines): slicing beats a list of characters
            text = text[:start] + fill * (end - start) + text[end:]
        return text
    chars = list(text)
    for start, end in spans:
        chars[start:end] = fill * (end - start)
    return "".join(chars)
