"""The 拼团 fields of a chain form's product row: team size (成团人数) and team price (团购价).

Both blank: not a team item. Otherwise both are needed: a size of at least 2 people, and a
price above zero in at most two decimals. A team price not below the normal price is saved
but warned about (neighbours would gain nothing by teaming up).
"""

from __future__ import annotations

from tuan.domain.shared.money import MoneyError, format_money, parse_money
from tuan.domain.shared.text import cn_to_int, to_halfwidth
from tuan.i18n import _

MAX_TEAM = 99  # a larger team is a typo: no WeChat group buy waits for 100 neighbours


def read_team(
    size_text: str, price_text: str, key: str, errors: dict[str, str]
) -> tuple[int | None, int | None]:
    """(team size, team price in cents), both None when blank; problems go into `errors`
    under `KEY.team_size` / `KEY.team_price`."""
    size_norm = to_halfwidth(size_text).strip().removesuffix("人").strip()  # i18n-keep: grammar
    price_norm = price_text.strip()
    if not size_norm and not price_norm:
        return None, None
    size = _size(size_norm, size_text, f"{key}.team_size", errors)
    price = _price(price_norm, f"{key}.team_price", errors)
    if size is not None and price is None and not price_norm:
        errors[f"{key}.team_price"] = _("拼团要填团购价，例如 79（不拼团请把成团人数也清空）")
    if price is not None and size is None and not size_norm:
        errors[f"{key}.team_size"] = _("拼团要填成团人数，例如 3（不拼团请把团购价也清空）")
    if size is None or price is None:
        return None, None
    return size, price


def _size(norm: str, typed: str, key: str, errors: dict[str, str]) -> int | None:
    if not norm:
        return None
    value = cn_to_int(norm.lstrip("+"))
    if value is None or norm.startswith("-") or value < 2:
        errors[key] = _("成团人数至少 2 人：{text}（不拼团请留空）").format(text=typed.strip())
        return None
    if value > MAX_TEAM:
        message = _("成团人数最多 {max} 人：{text}")
        errors[key] = message.format(max=MAX_TEAM, text=typed.strip())
        return None
    return value


def _price(norm: str, key: str, errors: dict[str, str]) -> int | None:
    if not norm:
        return None
    try:
        cents = parse_money(norm)
    except MoneyError as exc:
        errors[key] = str(exc)
        return None
    if cents <= 0:
        errors[key] = _("团购价要大于 0：{text}").format(text=norm)
        return None
    return cents


def team_warning(price_text: str, team_price_text: str) -> dict[str, str]:
    """Warn (saved anyway) when the team price is not below the normal price."""
    try:
        price, team = parse_money(price_text), parse_money(team_price_text)
    except MoneyError:
        return {}
    if team < price or team <= 0:
        return {}
    message = _("团购价 {team} 不比单买价 {price} 便宜，邻居没有理由拼团")
    return {"team_price": message.format(team=format_money(team), price=format_money(price))}
