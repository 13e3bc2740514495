"""The rules engine: automatic tags, rule-made reminders and order points, safe to run any time.

Running the rules twice never duplicates anything: a reminder carries a unique `rule_key`
(`after_order:<rule>:<order>`, `dormant:<rule>:<member>:<last order day>`,
`referral:<rule>:<member>:referrer|friend`, `recurring:<rule>:<day>`), tag memberships are keyed
by (member, tag), each order earns points once, and a wake-up or referral coupon carries its
reminder's key (`members.rule_coupons`). A reminder the leader closed or snoozed keeps
its key, so it never comes back.

Rules catch up on what fell due while the app was closed, but only `LOOKBACK_DAYS` (14) back: the
first run on a year of history does not bury the leader under hundreds of stale follow-ups.
Date-based reminders appear `AHEAD_DAYS` (3) before they fall due, so the inbox shows what is
coming.

Definitions: an order counts unless cancelled; a member is dormant for N days when their last
order was at least N days ago (members who never ordered are new, not dormant); an order is
complete when every line has been collected or its chain is done; a referral is rewarded when a
referred member who first ordered in the last 45 days has a complete first order.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import delete, insert
from sqlmodel import Session, col, select

from tuan import clock
from tuan.domain.members.listing import member_stats, quiet_since
from tuan.domain.members.reminders import fill_template
from tuan.domain.members.rule_reminders import MAKERS, Candidate, RuleContext
from tuan.domain.shared.states import OrderStatus, ReminderKind, ReminderStatus, TagRuleKind
from tuan.models import (
    ChainItem,
    Member,
    MemberTag,
    Order,
    OrderLine,
    Reminder,
    ReminderRule,
    Tag,
    TagRule,
)


@dataclass(frozen=True)
class CreatedReminder:
    """A reminder a run created."""

    id: int
    kind: str
    due_on: date
    member: str
    title: str


@dataclass(frozen=True)
class TagChange:
    """How a run changed one automatic tag."""

    tag: str
    added: int
    removed: int
    members: int


@dataclass
class RulesReport:
    """What one run of the rules did."""

    reminders: list[CreatedReminder] = field(default_factory=list)
    tags: list[TagChange] = field(default_factory=list)
    points_orders: int = 0
    points_reversed: int = 0
    coupons: int = 0  # wake-up and referral coupons issued with their reminders
    uncollected: int | None = None  # None: the pickup module cannot make them (yet)
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        """Whether the run wrote anything."""
        tagged = any(t.added or t.removed for t in self.tags)
        made = self.reminders or self.uncollected
        given = self.coupons or self.points_orders or self.points_reversed
        return bool(made or tagged or given)

    def by_kind(self) -> dict[str, int]:
        """How many reminders the run created, per kind."""
        return dict(Counter(r.kind for r in self.reminders))


def run_rules(
    session: Session, now: datetime | None = None, *, award_points: bool = True
) -> RulesReport:
    """Apply every enabled rule now (writes in `session`; the caller commits).

    The tags and reminders are worked out before anything is written, and nothing is written
    when nothing is new: in a transaction that takes SQLite's write lock only at its first
    write (`Database.transaction(optimistic=True)`), a run that finds nothing new (most starts)
    never holds up the leader's own writes, and one that does holds it for its last steps only.
    `award_points=False` skips order points (the demo writes its own points history).
    """
    from tuan.domain.members.points import award_order_points

    started = time.perf_counter()
    now = now or clock.now()
    names = select(Member.id, Member.nickname, Member.building, Member.room)
    members = {m: (n, b, r) for m, n, b, r in session.connection().execute(names)}
    ctx = RuleContext(session, now, clock.local_zone(), member_stats(session), members)
    report = RulesReport()
    tags = plan_tag_rules(ctx)
    reminders = plan_reminder_rules(ctx)
    report.tags = apply_tag_plans(session, tags)
    report.reminders = apply_reminder_plan(ctx, reminders, report)
    report.uncollected = _uncollected(ctx)
    if award_points:
        awarded = award_order_points(session, now)
        report.points_orders, report.points_reversed = awarded.awarded, awarded.reversed
    session.flush()
    report.seconds = time.perf_counter() - started
    return report


# --- tags ---------------------------------------------------------------------------------------


@dataclass
class TagPlan:
    """What a run will change on one automatic tag (`tag` None: to be made, or adopted by name)."""

    rule: TagRule
    tag: Tag | None
    add: list[int]
    remove: list[int]
    members: int


def _rule_tag(session: Session, rule: TagRule) -> Tag | None:
    """The tag a rule maintains (linked by its id), if there is one yet."""
    return session.exec(select(Tag).where(col(Tag.rule_id) == rule.id)).first()


def _named_tag(session: Session, rule: TagRule) -> Tag | None:
    """The tag a rule adopts (by name, not yet any rule's), made when there is none; None when
    another rule owns that name: left alone."""
    tag = session.exec(select(Tag).where(col(Tag.name) == rule.tag_name)).first()
    if tag is not None and tag.rule_id is None:
        tag.rule_id = rule.id
        session.add(tag)
    elif tag is not None:
        return None
    else:
        tag = Tag(name=rule.tag_name, rule_id=rule.id)
        session.add(tag)
    session.flush()
    return tag


def _bought(session: Session, text: str) -> set[int]:
    """Members with an active order of an item named like `text` (or with that alias)."""
    if not text:
        return set()
    items = [
        i
        for i, name, aliases in session.connection().execute(
            select(ChainItem.id, ChainItem.name, ChainItem.aliases)
        )
        if text in name or text in aliases.split()
    ]
    found: set[int] = set()
    for start in range(0, len(items), 500):
        stmt = (
            select(Order.member_id)
            .distinct()
            .join(OrderLine, col(OrderLine.order_id) == col(Order.id))
            .where(
                col(Order.status) == OrderStatus.ACTIVE,
                col(OrderLine.item_id).in_(items[start : start + 500]),
            )
        )
        found.update(m for (m,) in session.connection().execute(stmt))
    return found


def _dormant(ctx: RuleContext, days: int, min_spend: int = 0) -> set[int]:
    cutoff = quiet_since(ctx.today, days)
    return {
        member_id
        for member_id, stats in ctx.stats.items()
        if stats.last_order_at is not None
        and stats.last_order_at < cutoff
        and stats.ltv_cents >= min_spend
    }


def tag_rule_members(ctx: RuleContext, rule: TagRule) -> set[int]:
    """The members a tag rule says should wear its tag."""
    if rule.kind == TagRuleKind.BOUGHT_ITEM:
        return _bought(ctx.session, rule.param_text.strip())
    if rule.kind == TagRuleKind.DORMANT:
        return _dormant(ctx, max(rule.days, 1))
    if rule.kind == TagRuleKind.HIGH_VALUE_DORMANT:
        return _dormant(ctx, max(rule.days, 1), rule.min_spend_cents)
    return set()


def plan_tag_rules(ctx: RuleContext) -> list[TagPlan]:
    """What each automatic tag must gain and lose to sit on exactly the members its rule
    selects (none when off): read only."""
    session, plans = ctx.session, []
    for rule in session.exec(select(TagRule).order_by(col(TagRule.id))).all():
        tag = _rule_tag(session, rule)
        if tag is None:
            tag = session.exec(select(Tag).where(col(Tag.name) == rule.tag_name)).first()
            if tag is not None and tag.rule_id is not None:
                continue  # another rule owns that name: left alone
            if tag is None and not rule.enabled:
                continue  # nothing to make, nothing to empty
        wanted = tag_rule_members(ctx, rule) if rule.enabled else set()
        have: set[int] = set()
        if tag is not None:
            tagged = select(MemberTag.member_id).where(col(MemberTag.tag_id) == tag.id)
            have = set(session.exec(tagged))
        linked = tag if tag is not None and tag.rule_id == rule.id else None
        plans.append(TagPlan(rule, linked, sorted(wanted - have), sorted(have - wanted),
                             len(wanted)))  # fmt: skip
    return plans


def apply_tag_plans(session: Session, plans: list[TagPlan]) -> list[TagChange]:
    """Write what `plan_tag_rules` found (adopting or making the tags still to link)."""
    changes = []
    for plan in plans:
        tag = plan.tag if plan.tag is not None else _named_tag(session, plan.rule)
        if tag is None:
            continue
        if plan.add:
            rows = [{"member_id": m, "tag_id": tag.id} for m in plan.add]
            session.execute(insert(MemberTag), rows)
        for start in range(0, len(plan.remove), 500):
            session.execute(
                delete(MemberTag).where(
                    col(MemberTag.tag_id) == tag.id,
                    col(MemberTag.member_id).in_(plan.remove[start : start + 500]),
                )
            )
        changes.append(TagChange(tag.name, len(plan.add), len(plan.remove), plan.members))
    return changes


# --- reminders ----------------------------------------------------------------------------------


def _existing_keys(session: Session, keys: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        stmt = select(Reminder.rule_key).where(
            col(Reminder.rule_key).in_(keys[start : start + 500])
        )
        found.update(k for (k,) in session.connection().execute(stmt))
    return found


def _row(ctx: RuleContext, c: Candidate) -> dict[str, object]:
    values = {"name": ctx.name(c.member_id), "room": ctx.room(c.member_id), **c.values}
    return {
        "member_id": c.member_id,
        "due_on": c.due_on,
        "kind": c.kind,
        "title": c.title,
        "message": fill_template(c.template, values),
        "status": ReminderStatus.OPEN,
        "rule_key": c.key,
        "order_id": c.order_id,
        "created_at": ctx.now,
        "done_at": None,
    }


def plan_reminder_rules(ctx: RuleContext) -> list[Candidate]:
    """The reminders enabled rules call for that do not exist yet: read only."""
    session = ctx.session
    candidates: dict[str, Candidate] = {}
    rules = session.exec(
        select(ReminderRule).where(col(ReminderRule.enabled)).order_by(col(ReminderRule.id))
    ).all()
    for rule in rules:
        maker = MAKERS.get(rule.kind)
        for candidate in maker(ctx, rule) if maker else ():
            candidates.setdefault(candidate.key, candidate)
    existing = _existing_keys(session, list(candidates))
    return [c for key, c in candidates.items() if key not in existing]


def apply_reminder_plan(
    ctx: RuleContext, new: list[Candidate], report: RulesReport | None = None
) -> list[CreatedReminder]:
    """Create the reminders `plan_reminder_rules` found (with the coupons the wake-up and
    referral ones give, counted in `report`), after dropping those of cancelled orders."""
    from tuan.domain.members.rule_coupons import issue_rule_coupons

    session = ctx.session
    _drop_cancelled(session)
    if not new:
        return []
    issued = issue_rule_coupons(ctx, new)
    if report is not None:
        report.coupons += issued
    session.execute(insert(Reminder), [_row(ctx, c) for c in new])
    ids = _ids_of(session, [c.key for c in new])
    return [
        CreatedReminder(ids.get(c.key, 0), c.kind, c.due_on, ctx.name(c.member_id), c.title)
        for c in new
    ]


def _ids_of(session: Session, keys: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(keys), 500):
        stmt = select(Reminder.rule_key, Reminder.id).where(
            col(Reminder.rule_key).in_(keys[start : start + 500])
        )
        found.update((k, i) for k, i in session.connection().execute(stmt))
    return found


def _drop_cancelled(session: Session) -> None:
    """Open follow-ups for orders since cancelled no longer apply."""
    cancelled = select(Order.id).where(col(Order.status) == OrderStatus.CANCELLED)
    stale = (
        col(Reminder.status) == ReminderStatus.OPEN,
        col(Reminder.kind) == ReminderKind.AFTER_ORDER,
        col(Reminder.order_id).in_(cancelled),
    )
    # Looked for first: a DELETE takes the write lock even when it finds nothing.
    if session.connection().execute(select(Reminder.id).where(*stale).limit(1)).first():
        session.execute(delete(Reminder).where(*stale))


def _uncollected(ctx: RuleContext) -> int | None:
    """Uncollected-pickup reminders come from the pickup module, when it offers them."""
    from tuan.domain.pickup import checklist as pickup

    maker = getattr(pickup, "create_uncollected_reminders", None)
    if maker is None:
        return None
    enabled = ctx.session.exec(
        select(ReminderRule.id).where(
            col(ReminderRule.kind) == ReminderKind.UNCOLLECTED, col(ReminderRule.enabled)
        )
    ).first()
    if enabled is None:
        return 0
    made = maker(ctx.session, ctx.now)
    return made if isinstance(made, int) else len(made or [])


def report_lines(report: RulesReport) -> list[str]:
    """The run told in a few lines, for the command line and the app."""
    from tuan.domain.members.reminders import kind_label
    from tuan.i18n import _, ngettext

    lines = []
    kinds = report.by_kind()
    if kinds:
        parts = _("，").join(f"{kind_label(k)} {n}" for k, n in sorted(kinds.items()))
        made = len(report.reminders)
        line = ngettext("新建提醒 {n} 条：{parts}", "新建提醒 {n} 条：{parts}", made)
        lines.append(line.format(n=made, parts=parts))
    else:
        lines.append(_("没有新的提醒"))
    if report.coupons:
        n = report.coupons
        lines.append(
            ngettext(
                "发券 {n} 张（唤醒券、老带新奖励券）", "发券 {n} 张（唤醒券、老带新奖励券）", n
            ).format(n=n)
        )
    if report.uncollected:
        n = report.uncollected
        lines.append(ngettext("未取货提醒 {n} 条", "未取货提醒 {n} 条", n).format(n=n))
    for change in report.tags:
        if change.added or change.removed:
            lines.append(
                _("标签「{tag}」：新增 {a} 人，移除 {r} 人，共 {n} 人").format(
                    tag=change.tag, a=change.added, r=change.removed, n=change.members
                )
            )
    if report.points_orders or report.points_reversed:
        lines.append(
            ngettext(
                "消费积分：{n} 个订单记入积分，{r} 个取消订单扣回",
                "消费积分：{n} 个订单记入积分，{r} 个取消订单扣回",
                report.points_orders,
            ).format(n=report.points_orders, r=report.points_reversed)
        )
    lines.append(_("用时 {ms} 毫秒").format(ms=round(report.seconds * 1000)))
    return lines
