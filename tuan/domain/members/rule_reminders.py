"""What each reminder rule asks for: candidate reminders, each with its unique rule key.

The engine (`members.rules`) keeps only candidates whose key is new, so the makers here may
propose the same reminder on every run. Candidates are plain objects and messages are filled in
only for new ones: a run over 50,000 orders stays well under a second.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from functools import cached_property

from sqlmodel import Session, col, select

from tuan.domain.members.listing import MemberStats, aware
from tuan.domain.members.rule_settings import friend_template
from tuan.domain.shared.rooms import format_room
from tuan.domain.shared.sql import int_sum, select_columns
from tuan.domain.shared.states import ChainStatus, OrderStatus, ReminderKind
from tuan.domain.shared.timefmt import zh_date, zh_weekday
from tuan.i18n import _, ngettext
from tuan.models import Chain, ChainItem, Member, Order, OrderLine, ReminderRule

LOOKBACK_DAYS = 14
AHEAD_DAYS = 3
RECURRING_BACK, RECURRING_AHEAD = 6, 7
REFERRAL_ORDER_DAYS = 45  # referred members who first ordered this recently are watched


@dataclass
class RuleContext:
    """What every maker needs, read once per run."""

    session: Session
    now: datetime
    zone: tzinfo
    stats: dict[int, MemberStats]
    members: dict[int, tuple[str, str, str]]  # id -> nickname, building, room

    @cached_property
    def today(self) -> date:
        """The run's day in the leader's zone."""
        return self.now.astimezone(self.zone).date()

    @cached_property
    def _window(self) -> tuple[date, date]:
        return self.today - timedelta(days=LOOKBACK_DAYS), self.today + timedelta(days=AHEAD_DAYS)

    def local_day(self, moment: datetime) -> date:
        """A stored time's day in the leader's zone."""
        return moment.astimezone(self.zone).date()

    def day_start(self, day: date) -> datetime:
        """Midnight starting `day`, in the leader's zone."""
        return datetime.combine(day, datetime.min.time(), tzinfo=self.zone)

    def name(self, member_id: int | None) -> str:
        """A member's nickname ('' for none)."""
        return self.members.get(member_id or 0, ("", "", ""))[0]

    def room(self, member_id: int | None) -> str:
        """A member's `3-1202`."""
        _nick, building, room = self.members.get(member_id or 0, ("", "", ""))
        return format_room(building, room)

    def in_window(self, due: date) -> bool:
        """Whether a date-based reminder falls in the span rules create reminders for."""
        start, end = self._window  # asked once per order and member: worked out once
        return start <= due <= end


@dataclass
class Candidate:
    """A reminder a rule asks for; its message is filled in only if the key is new."""

    key: str
    kind: str
    due_on: date
    title: str
    template: str
    member_id: int | None = None
    order_id: int | None = None
    values: dict[str, object] = field(default_factory=dict)


Maker = Callable[[RuleContext, ReminderRule], Iterator[Candidate]]


def _product_names(names: list[str]) -> str:
    """`{product}` in a message to a neighbour (a Chinese template): Chinese in every language."""
    unique = list(dict.fromkeys(names))
    if len(unique) <= 2:
        return "和".join(unique)  # i18n-keep: message data
    return f"{'、'.join(unique[:2])}等{len(unique)}件商品"  # i18n-keep: message data


def _matches(text: str, name: str, aliases: str) -> bool:
    return not text or text in name or text in aliases.split()


def after_order(ctx: RuleContext, rule: ReminderRule) -> Iterator[Candidate]:
    """N days after each order (containing the rule's item, when it names one)."""
    first_day = ctx.today - timedelta(days=LOOKBACK_DAYS + rule.days)
    last_day = ctx.today + timedelta(days=AHEAD_DAYS - rule.days)
    stmt = (
        select_columns(
            Order.id, Order.member_id, Order.created_at, ChainItem.name, ChainItem.aliases
        )
        .join(OrderLine, col(OrderLine.order_id) == col(Order.id))
        .join(ChainItem, col(ChainItem.id) == col(OrderLine.item_id))
        .where(
            col(Order.status) == OrderStatus.ACTIVE,
            col(Order.created_at) >= ctx.day_start(first_day),
            col(Order.created_at) < ctx.day_start(last_day + timedelta(days=1)),
        )
        .order_by(col(Order.id), col(ChainItem.position))
    )
    orders: dict[int, tuple[int, datetime, list[str]]] = {}
    for order_id, member_id, created, name, aliases in ctx.session.connection().execute(stmt):
        if _matches(rule.item_text.strip(), name, aliases):
            placed = aware(created)
            assert placed is not None
            orders.setdefault(order_id, (member_id, placed, []))[2].append(name)
    for order_id, (member_id, created, names) in orders.items():
        due = ctx.local_day(created) + timedelta(days=rule.days)
        if ctx.in_window(due):
            product = _product_names(names)
            title = _("购后回访：{product}").format(product=product)
            values = {"product": product, "days": rule.days}
            key = f"after_order:{rule.id}:{order_id}"
            yield Candidate(key, rule.kind, due, title, rule.template, member_id, order_id, values)


def dormant(ctx: RuleContext, rule: ReminderRule) -> Iterator[Candidate]:
    """A wake-up once a member has gone `days` days without ordering (once per quiet spell)."""
    days = max(rule.days, 1)
    title = ngettext("沉睡唤醒：{days}天未下单", "沉睡唤醒：{days}天未下单", days).format(days=days)
    for member_id in sorted(ctx.stats):
        last = ctx.stats[member_id].last_order_at
        if last is None:
            continue
        last_day = ctx.local_day(last)
        due = last_day + timedelta(days=days)
        if ctx.in_window(due):
            key = f"dormant:{rule.id}:{member_id}:{last_day.isoformat()}"
            values: dict[str, object] = {"days": days}
            yield Candidate(key, rule.kind, due, title, rule.template, member_id, None, values)


def _first_complete(ctx: RuleContext, member_ids: list[int]) -> dict[int, int]:
    """Each member's first complete order (all collected, or its chain done)."""
    stmt = (
        select_columns(
            Order.id,
            Order.member_id,
            Chain.status,
            int_sum(OrderLine.qty),
            int_sum(OrderLine.collected_qty),
        )
        .join(Chain, col(Chain.id) == col(Order.chain_id))
        .join(OrderLine, col(OrderLine.order_id) == col(Order.id))
        .where(col(Order.member_id).in_(member_ids), col(Order.status) == OrderStatus.ACTIVE)
        .group_by(col(Order.id), col(Chain.status))  # PostgreSQL wants every plain column
        .order_by(col(Order.created_at), col(Order.id))
    )
    first: dict[int, int] = {}
    for order_id, member_id, chain_status, qty, got in ctx.session.connection().execute(stmt):
        done = chain_status == ChainStatus.DONE or (got or 0) >= (qty or 0)
        if member_id not in first and done:
            first[member_id] = order_id
    return first


def referral(ctx: RuleContext, rule: ReminderRule) -> Iterator[Candidate]:
    """When a referred member's first order is complete: a reward message for each side."""
    since = ctx.day_start(ctx.today - timedelta(days=REFERRAL_ORDER_DAYS))
    newcomers = [
        m
        for m, s in ctx.stats.items()
        if s.first_order_at is not None and s.first_order_at >= since
    ]
    if not newcomers:
        return
    stmt = select(Member.id, Member.referrer_id).where(
        col(Member.id).in_(newcomers), col(Member.referrer_id).is_not(None)
    )
    referrers = {m: r for m, r in ctx.session.connection().execute(stmt)}
    firsts = _first_complete(ctx, sorted(referrers)) if referrers else {}
    other = friend_template(ctx.session, rule.id or 0)
    for member_id, order_id in sorted(firsts.items()):
        referrer_id = referrers[member_id]
        friend, referrer = ctx.name(member_id), ctx.name(referrer_id)
        base = f"referral:{rule.id}:{member_id}"
        title = _("老带新奖励：推荐了{friend}").format(friend=friend)
        yield Candidate(
            f"{base}:referrer", rule.kind, ctx.today, title, rule.template,
            referrer_id, order_id, {"friend": friend},
        )  # fmt: skip
        title = _("新人首单奖励（{friend}推荐）").format(friend=referrer)
        yield Candidate(
            f"{base}:friend", rule.kind, ctx.today, title, other,
            member_id, order_id, {"friend": referrer},
        )  # fmt: skip


def recurring(ctx: RuleContext, rule: ReminderRule) -> Iterator[Candidate]:
    """A task for the leader on a weekday each week (or every N days), one per date."""
    from tuan.domain.members.reminders import fill_template

    for offset in range(-RECURRING_BACK, RECURRING_AHEAD + 1):
        day = ctx.today + timedelta(days=offset)
        if rule.weekday is not None:
            if day.weekday() != rule.weekday % 7:
                continue
        elif day.toordinal() % max(rule.days, 1):
            continue
        values: dict[str, object] = {
            "date": zh_date(day),  # placeholders of a message to neighbours: Chinese
            "weekday": zh_weekday(day),
        }
        # i18n-keep: the title is the template's text before its first `：`
        head, sep, _rest = fill_template(rule.template, values).partition("：")
        title = head if sep and len(head) <= 12 else _("定期任务")
        key = f"recurring:{rule.id}:{day.isoformat()}"
        yield Candidate(key, rule.kind, day, title, rule.template, None, None, values)


MAKERS: dict[str, Maker] = {
    ReminderKind.AFTER_ORDER: after_order,
    ReminderKind.DORMANT: dormant,
    ReminderKind.REFERRAL: referral,
    ReminderKind.RECURRING: recurring,
}
