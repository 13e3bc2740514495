"""Follow-on purchase (连带复购): of the members who bought product X in a period, the share who
bought product Y within N days after (see `GROWTH_DEFINITIONS["follow_on"]`).

A product is every chain item of one name across chains, matched as entries match names
(`item_names.product_key`): `入门套装` in chain 71 and in chain 72 is one product.
"""

from __future__ import annotations

import calendar
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import bindparam, text
from sqlmodel import Session, select

from tuan import clock
from tuan.domain.shared.errors import DomainError, Message
from tuan.domain.shared.item_names import product_key
from tuan.domain.shared.states import OrderStatus
from tuan.domain.shared.width import shorten
from tuan.i18n import N_, _
from tuan.models import ChainItem

DEFAULT_DAYS = 90
DEFAULT_MONTHS = 6
MAX_DAYS = 3650
_SHOWN_NAMES = 8


class FollowOnError(DomainError, ValueError):
    """A follow-on question that cannot be answered as asked; says what to pick instead."""

    code = "follow_on.invalid"


@dataclass(frozen=True)
class FollowOn:
    """The answer: how many bought X in the period, and how many of them then bought Y.

    Attributes:
        first: Product X as the leader sees it.
        then: Product Y.
        days: N, the days after buying X that count.
        start: The period's first day (the leader's local dates).
        end: The period's last day.
        buyers: Members who bought X in the period.
        followed: Of them, those who bought Y within N days after their first X in the period.
        waiting: Of the others, those whose N days have not passed yet (they may still buy).
    """

    first: str
    then: str
    days: int
    start: date
    end: date
    buyers: int
    followed: int
    waiting: int = 0

    @property
    def rate(self) -> float | None:
        """followed ÷ buyers; None when nobody bought X in the period."""
        return self.followed / self.buyers if self.buyers else None


def format_follow_on(result: FollowOn) -> str:
    """`78%（39/50）`, or `—（0/0）` when nobody bought X in the period."""
    rate = "—" if result.rate is None else f"{result.rate:.0%}"
    return _("{rate}（{followed}/{buyers}）").format(
        rate=rate, followed=result.followed, buyers=result.buyers
    )


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier (the month's last day when it is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def product_names(session: Session) -> dict[str, str]:
    """Every product in the data: its key → the name as most often written, sorted by name."""
    spelled: dict[str, Counter[str]] = {}
    for name in session.exec(select(ChainItem.name)):
        key = product_key(name)
        if key:
            spelled.setdefault(key, Counter())[name.strip()] += 1
    shown = {key: names.most_common(1)[0][0] for key, names in spelled.items()}
    return dict(sorted(shown.items(), key=lambda kv: kv[1]))


def _cut(text: str) -> str:
    """What the leader typed, short enough to quote in a message."""
    return shorten(text.strip()[:60], 30)


def resolve_product(products: dict[str, str], typed: str, field: str) -> str:
    """The key of the product the leader means: the exact name, else the one name containing
    what was typed (`入门套装` for `健康厨房入门套装`)."""
    wanted = product_key(typed)
    if not wanted:
        raise FollowOnError(N_("请选择商品"), field, code="follow_on.empty")
    if wanted in products:
        return wanted
    found = [key for key in products if wanted in key]
    if len(found) == 1:
        return found[0]
    if found:
        raise FollowOnError(
            N_("「{typed}」对应好几个商品：{names}，请写全名"), field, code="follow_on.ambiguous",
            typed=_cut(typed), names=_("、").join(products[k] for k in found[:_SHOWN_NAMES]),
        )  # fmt: skip
    names = _("、").join(list(products.values())[:_SHOWN_NAMES]) or Message(N_("（还没有商品）"))
    raise FollowOnError(
        N_("没有叫「{typed}」的商品，请从数据里的商品中选：{names}"), field,
        code="follow_on.unknown", typed=_cut(typed), names=names,
    )  # fmt: skip


def check_days(days: int | str) -> int:
    """N as typed: a whole number of days from 1 to 3650."""
    try:
        value = int(str(days).strip())
    except ValueError:
        raise FollowOnError(
            N_("天数要填整数，例如 90：{days}"),
            "days",
            code="follow_on.days",
            days=_cut(str(days)),
        ) from None
    if not 1 <= value <= MAX_DAYS:
        raise FollowOnError(
            N_("天数要在 1 到 3650 之间：{days}"), "days", code="follow_on.days", days=value
        )
    return value


def check_period(start: date | str | None, end: date | str | None) -> tuple[date, date]:
    """The period as dates (default: the last 6 months up to today); start must not be later."""
    today = clock.today()

    def read(value: date | str | None, field: str, default: date) -> date:
        if value is None or (isinstance(value, str) and not value.strip()):
            return default
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise FollowOnError(
                N_("日期格式应为 YYYY-MM-DD，例如 2026-06-01：{text}"), field,
                code="follow_on.date", text=_cut(value),
            ) from None  # fmt: skip

    last = read(end, "end", today)
    first = read(start, "start", months_before(last, DEFAULT_MONTHS))
    if first > last:
        raise FollowOnError(
            N_("开始日期 {start} 晚于结束日期 {end}，请换一个开始日期"), "start",
            code="follow_on.period",
            start=first.isoformat(), end=last.isoformat(),
        )  # fmt: skip
    return first, last


def follow_on(
    session: Session,
    first: str,
    then: str,
    days: int | str = DEFAULT_DAYS,
    start: date | str | None = None,
    end: date | str | None = None,
) -> FollowOn:
    """Of the members who bought `first` from `start` to `end`, how many bought `then` within
    `days` days after their first purchase of it in that period (in a later order)."""
    products = product_names(session)
    x_key = resolve_product(products, first, "first")
    y_key = resolve_product(products, then, "then")
    n = check_days(days)
    period_start, period_end = check_period(start, end)
    x_first: dict[int, tuple[datetime, int]] = {}
    y_orders: dict[int, list[tuple[datetime, int]]] = {}
    for member, order, created, key in _lines(session, products, {x_key, y_key}):
        day = created.date()
        first_seen = x_first.get(member)
        in_period = key == x_key and period_start <= day <= period_end
        if in_period and (first_seen is None or (created, order) < first_seen):
            x_first[member] = (created, order)
        if key == y_key:
            y_orders.setdefault(member, []).append((created, order))
    today = clock.today()
    followed = waiting = 0
    for member, (bought, order) in x_first.items():
        deadline = bought.date() + timedelta(days=n)
        if any(
            other != order and bought < when and when.date() <= deadline
            for when, other in y_orders.get(member, [])
        ):
            followed += 1
        elif deadline > today:
            waiting += 1
    return FollowOn(
        products[x_key], products[y_key], n, period_start, period_end,
        len(x_first), followed, waiting,
    )  # fmt: skip


def _lines(
    session: Session, products: dict[str, str], keys: set[str]
) -> list[tuple[int, int, datetime, str]]:
    """(member, order, local time, product key) of active orders' lines of the products."""
    names = [n for n in session.exec(select(ChainItem.name).distinct()) if product_key(n) in keys]
    if not names:
        return []
    query = text(
        "SELECT o.member_id, o.id, o.created_at, i.name FROM orders o "
        "JOIN orderline l ON l.order_id = o.id JOIN chainitem i ON i.id = l.item_id "
        f"WHERE o.status = '{OrderStatus.ACTIVE}' AND i.name IN :names"
    ).bindparams(bindparam("names", expanding=True))
    zone = clock.local_zone()
    found = []
    for member, order, created, name in session.connection().execute(query, {"names": names}):
        moment = created if isinstance(created, datetime) else datetime.fromisoformat(created)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        found.append((int(member), int(order), moment.astimezone(zone), product_key(name)))
    return found


def describe(result: FollowOn) -> str:
    """One line for the leader: `买过 X 的 50 人中，39 人在 90 天内买了 Y：78%（39/50）`."""
    line = _("{start} 至 {end} 买过「{x}」的团员，{n} 天内又买「{y}」：{figure}").format(
        start=result.start.isoformat(), end=result.end.isoformat(), x=result.first,
        n=result.days, y=result.then, figure=format_follow_on(result),
    )  # fmt: skip
    if result.waiting:
        line += _("（另有 {n} 人还不满 {days} 天）").format(n=result.waiting, days=result.days)
    return line
