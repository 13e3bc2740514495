"""Money as integer cents (分): parsed from what leaders type, rendered one way everywhere."""

from __future__ import annotations

import re

from tuan.domain.shared.errors import DomainError
from tuan.domain.shared.text import to_halfwidth
from tuan.i18n import N_, _

_MONEY_RE = re.compile(r"^(?P<int>\d{1,3}(?:,\d{3})+|\d+)?(?:\.(?P<frac>\d*))?$")
MAX_CENTS = 100_000_000_00  # one hundred million yuan: anything above is a typo


class MoneyError(DomainError, ValueError):
    """A price the leader typed could not be read; the message says why and what to type."""

    code = "price.malformed"
    field = "price"


def parse_money(text: str) -> int:
    """Read `199`, `¥199`, `199元`, `19.9`, `1,299.00`, `１９９` as cents.

    Raises:
        MoneyError: empty, negative, more than two decimals, or not a number.
    """
    raw = to_halfwidth(str(text)).strip()
    cleaned = raw.replace(" ", "")
    for prefix in ("¥", "￥", "RMB", "rmb", "CNY"):  # i18n-keep: input grammar
        cleaned = cleaned.removeprefix(prefix)
    for suffix in ("元", "块", "rmb", "RMB"):  # i18n-keep: input grammar
        cleaned = cleaned.removesuffix(suffix)
    if not cleaned:
        raise MoneyError(N_("请输入金额，例如 199 或 19.9"), code="price.empty")
    if cleaned.startswith("-") or cleaned.startswith("−"):
        raise MoneyError(N_("金额不能为负数：{text}"), code="price.negative", text=raw)
    match = _MONEY_RE.match(cleaned)
    if not match or (match.group("int") is None and not match.group("frac")):
        raise MoneyError(N_("看不懂的金额：{text}，请输入数字，例如 199 或 19.9"), text=raw)
    frac = match.group("frac") or ""
    if len(frac) > 2:
        raise MoneyError(N_("金额最多两位小数：{text}"), code="price.decimals", text=raw)
    whole = int((match.group("int") or "0").replace(",", ""))
    cents = whole * 100 + int(frac.ljust(2, "0"))
    if cents > MAX_CENTS:
        raise MoneyError(
            N_("金额太大：{text}，请检查是不是多打了几位"), code="price.too_large", text=raw
        )
    return cents


def format_money(cents: int) -> str:
    """`¥199` for whole yuan, `¥19.90` otherwise; negatives as `-¥5`."""
    cents = int(cents)  # a database sum may arrive as Decimal
    sign = "-" if cents < 0 else ""
    yuan, fen = divmod(abs(cents), 100)
    if fen == 0:
        return f"{sign}¥{yuan:,}"
    return f"{sign}¥{yuan:,}.{fen:02d}"


def format_amount(cents: int, unpriced: bool = False) -> str:
    """An amount that may hold units whose price is not known yet (待定).

    Units at an unknown price are never counted as 0 silently: the amount reads `待定` when they
    are all it holds, `¥120+待定` when it holds some.
    """
    if not unpriced:
        return format_money(cents)
    if int(cents) == 0:
        return _("待定")
    return _("{amount}+待定").format(amount=format_money(cents))


def format_plain(cents: int) -> str:
    """The number alone (`199`, `19.9`), as it reads in chain text: `套装 199元`."""
    yuan, fen = divmod(cents, 100)
    if fen == 0:
        return str(yuan)
    return f"{yuan}.{fen:02d}".rstrip("0")
