"""Member points (会员积分): earned per yuan spent and for recorded actions, redeemed for goods.

The ledger is append-only: nothing is ever edited or deleted; a mistake is fixed by a new
correction entry. Kinds are read from each entry (no extra column, so old ledgers stay valid):
an entry with an order is order points (or their reversal); a negative entry without an order
whose reason starts with `兑换：` is a redemption; a reason starting with `更正：` is a correction;
anything else is an action award. Levels go by growth points: everything earned, net of
corrections, before redemptions, so spending points never lowers a level.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert
from sqlmodel import Session, col, select

from tuan import clock
from tuan.domain.shared.errors import DomainError
from tuan.domain.shared.sql import int_sum
from tuan.domain.shared.states import OrderStatus, PointsKind
from tuan.i18n import N_, _
from tuan.models import Member, Meta, Order, PointsEntry

RATE_KEY = "points.per_yuan"
LEVELS_KEY = "points.levels"
DEFAULT_RATE = 1
DEFAULT_LEVELS = (
    (N_("普通会员"), 0),
    (N_("银卡会员"), 500),
    (N_("金卡会员"), 2000),
    (N_("钻石会员"), 5000),
)
# Stored reasons are data, kept in Chinese whatever the interface language, so kinds stay readable.
REDEEM_PREFIX = "兑换："  # i18n-keep: stored data
CORRECT_PREFIX = "更正："  # i18n-keep: stored data
MAX_REASON = 60
ORDER_REASON = "消费积分"  # i18n-keep: stored data
REVERSAL_REASON = "订单取消，扣回消费积分"  # i18n-keep: stored data
# Actions a leader records, with their usual points (the leader may change the amount each time).
ACTIONS = (
    (N_("签到"), 5),
    (N_("分享接龙"), 10),
    (N_("晒单"), 20),
    (N_("月度最佳厨艺奖（UGC）"), 200),
)


class PointsError(DomainError, ValueError):
    """A points entry was refused; the message says why, `field` which input is at fault.

    Fields: `points`, `reason` (the reason or the goods), `rate`, `levels`.
    """

    code = "points.refused"


@dataclass(frozen=True)
class Level:
    """A membership level reached at `threshold` growth points."""

    name: str
    threshold: int


@dataclass(frozen=True)
class LedgerRow:
    """One entry of a member's ledger, with the running balance after it."""

    id: int
    created_at: datetime
    delta: int
    reason: str
    kind: str
    order_id: int | None
    balance: int


@dataclass(frozen=True)
class PointsSummary:
    """A member's balance, growth points and level."""

    balance: int
    growth: int
    level: Level
    next_level: Level | None

    @property
    def to_next(self) -> int:
        """Growth points still needed for the next level (0 at the top)."""
        return max(self.next_level.threshold - self.growth, 0) if self.next_level else 0


def entry_kind(delta: int, reason: str, order_id: int | None) -> str:
    """`order`, `redeem`, `correct` or `action` (see the module docstring)."""
    if order_id is not None:
        return PointsKind.ORDER
    if reason.startswith(CORRECT_PREFIX):
        return PointsKind.CORRECT
    if delta < 0 and reason.startswith(REDEEM_PREFIX):
        return PointsKind.REDEEM
    return PointsKind.ACTION


def _meta(session: Session, key: str) -> str | None:
    row = session.get(Meta, key)
    return row.value if row else None


def _set_meta(session: Session, key: str, value: str) -> None:
    row = session.get(Meta, key) or Meta(key=key)
    row.value = value
    session.add(row)


def points_rate(session: Session) -> int:
    """Points earned per yuan spent (default 1)."""
    value = _meta(session, RATE_KEY)
    return int(value) if value and value.isdigit() else DEFAULT_RATE


def set_points_rate(session: Session, rate: int) -> None:
    """Change points per yuan from now on (orders already awarded keep their points)."""
    if not 0 <= rate <= 100:
        raise PointsError(N_("每元积分应在 0 到 100 之间"), "rate", code="rate.range")
    _set_meta(session, RATE_KEY, str(rate))


def levels(session: Session) -> list[Level]:
    """Levels, lowest first (the defaults until the leader sets their own)."""
    value = _meta(session, LEVELS_KEY)
    pairs = json.loads(value) if value else [(_(n), t) for n, t in DEFAULT_LEVELS]
    return sorted((Level(str(n), int(t)) for n, t in pairs), key=lambda lv: lv.threshold)


def parse_levels(text: str) -> list[Level]:
    """Read `普通:0, 银卡:500, 金卡:2000` (full-width punctuation too) into levels.

    Raises:
        PointsError: a part is not `名称:积分`, a threshold repeats, or none starts at 0.
    """
    from tuan.domain.shared.text import to_halfwidth

    found = []
    for part in to_halfwidth(text).replace("，", ",").split(","):  # i18n-keep: input grammar
        name, sep, number = part.strip().rpartition(":")
        if not part.strip():
            continue
        if not sep or not name.strip() or not number.strip().isdigit():
            message = N_("看不懂的等级：{part}，请写成 名称:积分")
            raise PointsError(message, "levels", code="levels.malformed", part=part.strip())
        found.append(Level(name.strip(), int(number)))
    thresholds = [lv.threshold for lv in found]
    if not found or 0 not in thresholds:
        message = N_("需要一个从 0 积分开始的等级，例如 普通会员:0")
        raise PointsError(message, "levels", code="levels.no_zero")
    if len(set(thresholds)) != len(thresholds):
        message = N_("两个等级的门槛相同，请改成不同的积分")
        raise PointsError(message, "levels", code="levels.duplicate")
    return sorted(found, key=lambda lv: lv.threshold)


def set_levels(session: Session, chosen: list[Level]) -> None:
    """Store the leader's levels."""
    _set_meta(session, LEVELS_KEY, json.dumps([[lv.name, lv.threshold] for lv in chosen]))


def format_levels(chosen: list[Level]) -> str:
    """`普通会员:0, 银卡会员:500`: the text `parse_levels` reads."""
    return ", ".join(f"{lv.name}:{lv.threshold}" for lv in chosen)


def level_for(growth: int, chosen: list[Level]) -> tuple[Level, Level | None]:
    """The level reached with `growth` points and the next one (None at the top)."""
    current, following = chosen[0], None
    for level in chosen:
        if growth >= level.threshold:
            current = level
        elif following is None:
            following = level
    return current, following


def ledger(session: Session, member_id: int) -> list[LedgerRow]:
    """A member's entries, oldest first, with the balance after each."""
    entries = session.exec(
        select(PointsEntry)
        .where(col(PointsEntry.member_id) == member_id)
        .order_by(col(PointsEntry.created_at), col(PointsEntry.id))
    ).all()
    rows, balance = [], 0
    for e in entries:
        balance += e.delta
        kind = entry_kind(e.delta, e.reason, e.order_id)
        rows.append(
            LedgerRow(e.id or 0, e.created_at, e.delta, e.reason, kind, e.order_id, balance)
        )
    return rows


def summary(session: Session, member_id: int) -> PointsSummary:
    """Balance, growth points and level of one member."""
    balance = growth = 0
    for row in ledger(session, member_id):
        balance += row.delta
        growth += 0 if row.kind == PointsKind.REDEEM else row.delta
    level, following = level_for(max(growth, 0), levels(session))
    return PointsSummary(balance, growth, level, following)


def balance(session: Session, member_id: int) -> int:
    """A member's points balance."""
    stmt = select(func.coalesce(int_sum(PointsEntry.delta), 0)).where(
        col(PointsEntry.member_id) == member_id
    )
    return int(session.exec(stmt).one())


def _add(
    session: Session, member_id: int, delta: int, reason: str, order_id: int | None = None
) -> PointsEntry:
    if session.get(Member, member_id) is None:
        raise PointsError(N_("找不到团员 {id}"), code="member.not_found", id=member_id)
    entry = PointsEntry(
        member_id=member_id, delta=delta, reason=reason, order_id=order_id, created_at=clock.now()
    )
    session.add(entry)
    return entry


def _check_length(text: str) -> None:
    if len(text) > MAX_REASON:
        message = N_("原因或商品写得太长（最多 {n} 个字）")
        raise PointsError(message, "reason", code="reason.too_long", n=MAX_REASON)


def record_action(session: Session, member_id: int, action: str, points: int) -> PointsEntry:
    """Award points for something the member did (check-in, share, UGC…)."""
    action = action.strip()
    if not action:
        raise PointsError(N_("请写上积分的原因，例如 签到"), "reason", code="reason.empty")
    _check_length(action)
    if points <= 0 or points > 100_000:
        raise PointsError(N_("奖励积分应在 1 到 100000 之间"), "points", code="points.range")
    if action.startswith((REDEEM_PREFIX, CORRECT_PREFIX)):
        message = N_("兑换和更正请用对应的操作")
        raise PointsError(message, "reason", code="reason.reserved")
    return _add(session, member_id, points, action)


def redeem(session: Session, member_id: int, points: int, goods: str) -> PointsEntry:
    """Spend points on goods; refused when the balance is short."""
    goods = goods.strip()
    if not goods:
        raise PointsError(N_("请写上兑换的商品，例如 燕麦片1袋"), "reason", code="reason.empty")
    _check_length(goods)
    if points <= 0:
        raise PointsError(N_("兑换积分应大于 0"), "points", code="points.range")
    have = balance(session, member_id)
    if points > have:
        message = N_("积分不足：余额 {have}，需要 {need}")
        raise PointsError(message, "points", code="points.short", have=have, need=points)
    return _add(session, member_id, -points, REDEEM_PREFIX + goods)


def correct(session: Session, member_id: int, delta: int, why: str) -> PointsEntry:
    """Fix a mistake with a new entry (the ledger is never edited)."""
    why = why.strip()
    if not why:
        raise PointsError(N_("更正需要写明原因"), "reason", code="reason.empty")
    _check_length(why)
    if delta == 0:
        raise PointsError(N_("更正积分不能为 0"), "points", code="points.zero")
    if abs(delta) > 100_000:
        raise PointsError(N_("更正积分应在 -100000 到 100000 之间"), "points", code="points.range")
    return _add(session, member_id, delta, CORRECT_PREFIX + why)


@dataclass(frozen=True)
class AwardResult:
    """What `award_order_points` wrote."""

    awarded: int = 0  # orders that earned points
    reversed: int = 0  # cancelled orders whose points were taken back
    points: int = 0  # net points written


def award_order_points(session: Session, now: datetime | None = None) -> AwardResult:
    """Give points for paid orders that have none yet; take them back from cancelled orders.

    Each order earns once, at the rate in force when it is first seen paid; a later change of
    rate never rewrites history.
    """
    now = now or clock.now()
    with_points = select(PointsEntry.order_id).where(col(PointsEntry.order_id).is_not(None))
    unpaid_for = select(Order.id, Order.member_id).where(
        col(Order.status) == OrderStatus.ACTIVE, col(Order.paid), col(Order.id).not_in(with_points)
    )
    to_award = [(o, m) for o, m in session.connection().execute(unpaid_for)]
    net = int_sum(PointsEntry.delta)
    owed_back = (
        select(Order.id, Order.member_id, net)
        .join(PointsEntry, col(PointsEntry.order_id) == col(Order.id))
        .where(col(Order.status) == OrderStatus.CANCELLED)
        .group_by(col(Order.id))
        .having(net > 0)
    )
    to_reverse = [(o, m, int(n)) for o, m, n in session.connection().execute(owed_back)]
    rate = points_rate(session)
    cents: dict[int, int] = {}
    wanted = [o for o, _m in to_award]
    for start in range(0, len(wanted), 500):
        stmt = select(Order.id, Order.lines_cents).where(
            col(Order.id).in_(wanted[start : start + 500])
        )
        cents.update((o, int(c or 0)) for o, c in session.connection().execute(stmt))
    rows = [
        {"member_id": m, "delta": cents.get(o, 0) * rate // 100, "reason": ORDER_REASON}
        | {"order_id": o, "created_at": now}
        for o, m in to_award
    ]
    rows += [
        {"member_id": m, "delta": -n, "reason": REVERSAL_REASON, "order_id": o, "created_at": now}
        for o, m, n in to_reverse
    ]
    for start in range(0, len(rows), 2000):
        session.execute(insert(PointsEntry), rows[start : start + 2000])
    return AwardResult(len(to_award), len(to_reverse), sum(r["delta"] for r in rows))
