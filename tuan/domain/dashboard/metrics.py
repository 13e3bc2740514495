"""The numbers that steer the business, each defined once, here.

Definitions (the dashboard's help and the report quote `DEFINITIONS`):

- Refunds (退款): money given back on an order line (`shared.refunds`). Every figure below is
  net of refunds, and a refund counts in the month of the order it belongs to (not the month it
  was made), so a month's GMV only ever moves down when its orders are refunded. An order
  refunded whole (all its money back; one worth nothing yet: every piece) counts as never
  placed: it is no order, its member no buyer that month. Refunds of a month
  (`refunds_cents`): the money refunded on the orders placed in it.
- GMV (成交额) of a month: quantity × captured unit price over the lines of active (not
  cancelled) orders placed in that month, in the leader's zone, less their refunds. A line whose
  item was imported without a price (价格待定) holds 0 cents until the leader sets the price,
  which then prices its lines (and so every figure built on GMV).
- Monthly repurchase rate (复购率): of the members who ordered in a month, the share who had
  already ordered in an earlier month (orders refunded whole do not count).
- LTV (用户生命周期价值): a member's total spend to date, net of refunds. Average LTV is over
  members who have ordered at least once; top LTV is the largest. Both are taken at each
  month's end.
- Live conversion (直播转化率): buyers during a livestream ÷ its peak viewers.
- Referral share of new members (裂变新客占比): of the members who joined in a month, the share
  brought by another member (老带新, KOC included); KOC share counts those whose referrer is a KOC.
  Partner share: those who came through a partner's poster.
- Dormant members (沉睡团员): members who have ordered before but not in the last 60 days, at
  each month's end.
- Gross profit (毛利): over the lines of active orders whose item has a cost price (成本价),
  what the line sold for net of its refunds − the cost of its pieces not refunded (refunded
  pieces earn no margin; money refunded without pieces comes off the profit); a flash-sale
  line counts at the live price it was sold at. Margin (毛利率): gross profit ÷ the GMV of
  those same lines. GMV without cost (未填成本的成交额): the GMV of the lines whose item has
  no cost price; it is left out of both, and shown beside them so a figure is never silently
  wrong (`Margin`, `format_margin`).
- 拼团 teams formed and unfilled: see `dashboard/teams.py` (`TEAMS_DEFINITION`).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import func, text
from sqlmodel import Session, col, select

from tuan import clock

# Re-exported: `Margin` and its formatting were defined here before `margin` held them.
from tuan.domain.dashboard.margin import Margin as Margin
from tuan.domain.dashboard.margin import format_rate as format_rate
from tuan.domain.dashboard.margin import month_margin as month_margin
from tuan.domain.dashboard.order_rows import (
    MARGIN_FROM,
    MARGIN_SUMS,
    ORDER_REFUNDS,
    count_new_members,
    cursor_rows,
    joined_groups,
    local_day_reader,
    month_margin_sums,
    order_facts,
    order_facts_sql,
)
from tuan.domain.dashboard.order_rows import (
    MemberFact as MemberFact,
)
from tuan.domain.dashboard.order_rows import (
    OrderFact as OrderFact,
)
from tuan.domain.dashboard.order_rows import (
    month_end as month_end,
)
from tuan.domain.dashboard.order_rows import (
    month_labels as month_labels,
)
from tuan.domain.dashboard.order_rows import (
    new_members as new_members,
)
from tuan.domain.dashboard.teams import TEAMS_DEFINITION
from tuan.domain.shared.rows import DORMANT_DAYS, LiveConversion, MonthStats
from tuan.domain.shared.sql import int_sum, select_columns
from tuan.domain.shared.states import LiveStatus, MemberSource, OrderStatus
from tuan.i18n import N_, _
from tuan.models import Chain, ChainItem, Livestream, Member, Order, OrderLine, Partner, Refund

DEFINITIONS = {
    "gmv": N_(
        "成交额：当月下单、未取消的订单中，商品数量 × 下单时单价之和，减去这些订单的退款"
        "（退款算在下单的那个月）。价格待定的商品（导入时没写价格）先按 0 计，填好价格后自动计入。"
    ),
    "refunds": N_(
        "退款：当月下单的订单退回的钱。全部退款的订单不算订单，它的团员那个月也不算下过单。"
    ),
    "repurchase": N_(
        "复购率：当月下过单的团员中，在更早的月份也下过单的人所占的比例（全部退款的订单不算）。"
    ),
    "ltv": N_(
        "LTV（生命周期价值）：一位团员至今的累计消费（扣除退款）。平均 LTV 只算下过单的团员，"
        "取每月月底的值。"
    ),
    "conversion": N_("直播转化率：直播期间下单的人数 ÷ 最高同时在线人数。"),
    "referral": N_(
        "裂变新客占比：当月新入群的团员中，由老团员（含 KOC）推荐来的比例；"
        "KOC 占比只算推荐人是 KOC 的。"
    ),
    "partner": N_("合作点位占比：当月新入群的团员中，通过合作点位海报扫码来的比例。"),
    "dormant": N_("沉睡团员：以前下过单、但最近 60 天没有下单的团员（按月底计）。"),
    "profit": N_(
        "毛利：未取消的订单中，填了成本价的商品的成交额（扣除退款）减去没退的件数的成本；"
        "退掉的件数不赚毛利，直播秒杀按秒杀价计。"
    ),
    "margin": N_("毛利率：毛利 ÷ 填了成本价的商品的成交额。"),
    "uncovered": N_("未填成本的成交额：没有填成本价的商品的成交额，不算进毛利和毛利率。"),
    "teams": TEAMS_DEFINITION,  # defined with its figure in dashboard/teams.py
}


_facts_cache: dict[tuple[object, ...], list[OrderFact]] = {}


def _orders_fingerprint(session: Session) -> tuple[object, ...]:
    """Changes whenever an order or order line is added, changed or cancelled (~1 ms)."""
    orders = session.exec(
        select(func.count(), func.max(Order.id), func.max(Order.updated_at))
    ).one()
    # the prices too: setting the price of an item imported without one changes its lines only
    lines = session.exec(
        select(
            func.count(),
            func.max(OrderLine.id),
            int_sum(OrderLine.qty),
            int_sum(OrderLine.unit_price_cents),
        )
    ).one()
    refunds = session.exec(
        select(func.count(), func.max(Refund.id), int_sum(Refund.amount_cents))
    ).one()
    url = session.get_bind().engine.url  # the bind: an engine, or a connection to one
    return (str(url), clock.local_zone(), *orders, *lines, *refunds)


def load_orders(session: Session) -> list[OrderFact]:
    """Active orders with their totals, oldest first; re-read only when orders changed."""
    key = _orders_fingerprint(session)
    cached = _facts_cache.get(key)
    if cached is None:
        _facts_cache.clear()
        cached = _facts_cache[key] = _read_orders(session)
    return cached


def _read_orders(session: Session) -> list[OrderFact]:
    """Active orders with their totals, oldest first (one grouped query)."""
    # Plain SQL, read as text straight from the driver's cursor: 50,000 rows through the
    # ORM's column types cost a quarter second, and through its result rows another 0.2 s.
    rows, refunds = order_facts_sql(), ORDER_REFUNDS
    return order_facts(
        _driver_rows(session, rows), clock.local_zone(), _driver_rows(session, refunds)
    )


def _driver_rows(session: Session, sql: str) -> list[tuple[Any, ...]]:
    """The rows of a statement without parameters, from the database driver's own cursor
    (any DB-API driver: SQLite's and PostgreSQL's alike), inside the session's transaction."""
    cursor = session.connection().connection.cursor()
    try:
        cursor.execute(sql)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def load_members(session: Session) -> list[MemberFact]:
    """Every member with source details."""
    koc_ids = set(session.exec(select(Member.id).where(col(Member.is_koc))).all())
    partners = {p.id: p.name for p in session.exec(select(Partner))}
    rows = session.exec(
        select_columns(
            Member.id, Member.joined_on, Member.source, Member.referrer_id, Member.partner_id
        )
    ).all()
    return [
        MemberFact(
            mid,
            joined,
            source,
            referrer in koc_ids,
            partners.get(partner, "") if source == MemberSource.PARTNER else "",
        )
        for mid, joined, source, referrer, partner in rows
    ]


def compute_months(
    orders: list[OrderFact], members: list[MemberFact], labels: list[str], today: date
) -> list[MonthStats]:
    """Every monthly figure for `labels` from facts already loaded (no database work)."""
    stats = {label: MonthStats(label) for label in labels}
    for fact in orders:
        if fact.refunded_cents and fact.month in stats:
            stats[fact.month].refunds_cents += fact.refunded_cents
    orders = [fact for fact in orders if not fact.void]
    first_month: dict[int, str] = {}
    for fact in orders:
        month = fact.month
        first_month.setdefault(fact.member_id, month)
        if month in stats:
            row = stats[month]
            row.gmv_cents += fact.cents
            row.orders += 1
    buyers: dict[str, set[int]] = defaultdict(set)
    for fact in orders:
        buyers[fact.month].add(fact.member_id)
    for label, row in stats.items():
        people = buyers.get(label, set())
        row.buyers = len(people)
        row.returning_buyers = sum(1 for m in people if first_month[m] < label)
    _ltv_and_dormant(orders, stats, today)
    count_new_members(joined_groups(members), stats)
    return [stats[label] for label in labels]


def _ltv_and_dormant(orders: list[OrderFact], stats: dict[str, MonthStats], today: date) -> None:
    """One pass over the orders, taking a snapshot at each month's end."""
    ends = sorted((month_end(label, today), row) for label, row in stats.items())
    spend: dict[int, int] = defaultdict(int)
    last: dict[int, date] = {}
    total = top = 0
    index = 0
    for end, row in ends:
        while index < len(orders) and orders[index].day <= end:
            fact = orders[index]
            spend[fact.member_id] += fact.cents
            last[fact.member_id] = fact.day
            total += fact.cents
            top = max(top, spend[fact.member_id])
            index += 1
        if spend:
            row.avg_ltv_cents = total // len(spend)
            row.top_ltv_cents = top
        cutoff = end - timedelta(days=DORMANT_DAYS)
        row.dormant = sum(1 for day in last.values() if day <= cutoff)


def monthly_stats(
    session: Session, months: int = 12, today: date | None = None
) -> list[MonthStats]:
    """The last `months` calendar months up to today's, oldest first."""
    today = today or clock.today()
    found = compute_months(
        load_orders(session), load_members(session), month_labels(today, months), today
    )
    return with_margins(session, found)


def with_margins(session: Session, months: list[MonthStats]) -> list[MonthStats]:
    """The months with what their costed lines sold for and cost (see `month_margin`)."""
    by_month = month_margins(session)
    for m in months:
        margin = by_month.get(m.month, Margin())
        m.costed_gmv_cents, m.cost_cents = margin.covered_cents, margin.cost_cents
        m.costed_units = margin.covered_units
    return months


def live_conversions(session: Session) -> list[LiveConversion]:
    """Ended livestreams with their stored summaries, oldest first."""
    lives = session.exec(
        select(Livestream)
        .where(col(Livestream.status) == LiveStatus.ENDED)
        .order_by(col(Livestream.scheduled_at))
    ).all()
    result = []
    for live in lives:
        summary = json.loads(live.summary_json or "{}")
        result.append(
            LiveConversion(
                live.id or 0,
                _("第{n}期 {theme}").format(n=live.episode, theme=live.theme),
                int(summary.get("peak_viewers", live.peak_viewers)),
                int(summary.get("buyers", 0)),
                int(summary.get("gmv_cents", 0)),
            )
        )
    return result


def format_margin(margin: Margin) -> str:
    """`毛利 ¥1,234（毛利率 32%，另有 ¥560 的商品未填成本）`, said plainly when it is unknown."""
    return _("毛利 {detail}").format(detail=margin_detail(margin))


def margin_detail(margin: Margin) -> str:
    """`¥1,234（毛利率 32%，另有 ¥560 的商品未填成本）`: the gross profit after its label."""
    from tuan.domain.shared.money import format_money

    if not margin.known:
        if not margin.gmv_cents:
            return _("（还没有成交）")
        return _("未知：{gmv} 的商品都未填成本").format(gmv=format_money(margin.gmv_cents))
    profit, rate = format_money(margin.profit_cents), format_rate(margin.margin)
    if not margin.uncovered_cents:
        return _("{profit}（毛利率 {rate}）").format(profit=profit, rate=rate)
    return _("{profit}（毛利率 {rate}，另有 {uncovered} 的商品未填成本）").format(
        profit=profit, rate=rate, uncovered=format_money(margin.uncovered_cents)
    )


K = TypeVar("K")


class MarginFact(NamedTuple):
    """The margin of one item's lines in one order (what every breakdown sums)."""

    chain_id: int
    item_id: int
    livestream_id: int | None
    month: str  # YYYY-MM of the order, in the leader's zone
    margin: Margin


def load_margins(
    session: Session, *, chain_id: int | None = None, livestream_id: int | None = None
) -> list[MarginFact]:
    """Active order lines with their item's cost price, per order and item (one query)."""
    where = [f"o.status = '{OrderStatus.ACTIVE}'"]
    params: dict[str, int] = {}
    if chain_id is not None:
        where.append("o.chain_id = :chain_id")
        params["chain_id"] = chain_id
    if livestream_id is not None:
        where.append("o.livestream_id = :live_id")
        params["live_id"] = livestream_id
    rows = session.connection().execute(
        text(
            f"SELECT o.chain_id, l.item_id, o.livestream_id, o.created_at, {MARGIN_SUMS} "
            f"{MARGIN_FROM} WHERE {' AND '.join(where)} "
            "GROUP BY o.id, o.chain_id, l.item_id, o.livestream_id, o.created_at"
        ),
        params,
    )
    local_day = local_day_reader(clock.local_zone())
    facts = []
    for chain, item, live, created, gmv, covered, cost, units in rows:
        margin = Margin(int(gmv or 0), int(covered or 0), int(cost or 0), int(units or 0))
        facts.append(MarginFact(chain, item, live, local_day(str(created))[1], margin))
    return facts


def month_margins(session: Session) -> dict[str, Margin]:
    """Every month's margin: `load_margins` summed per month, without a row per order.

    On SQLite the lines are summed per stored UTC hour (per minute in a zone whose offset is
    not whole hours), which all fall on one local day (`closed.local_day_reader`): a year is at
    most 8,784 rows instead of one per order and item (130,000 on the large demo, 0.7 s).
    A margin is four plain sums, so the per-month sums are the same either way.
    """
    if session.get_bind().dialect.name != "sqlite":
        return margins_by(load_margins(session), lambda f: f.month)
    sums = month_margin_sums(cursor_rows(session.connection().connection), clock.local_zone())
    return {month: Margin(*acc) for month, acc in sums.items()}


def margins_by(facts: list[MarginFact], key: Callable[[MarginFact], K]) -> dict[K, Margin]:
    """The facts summed per key (`lambda f: f.chain_id`, `f.item_id`, `f.month` …)."""
    sums: dict[K, list[int]] = {}
    for fact in facts:  # plain sums: the dashboard reads one fact per order and item
        acc = sums.get(key(fact))
        if acc is None:
            acc = sums[key(fact)] = [0, 0, 0, 0]
        m = fact.margin
        acc[0] += m.gmv_cents
        acc[1] += m.covered_cents
        acc[2] += m.cost_cents
        acc[3] += m.covered_units
    return {k: Margin(*acc) for k, acc in sums.items()}


def total_margin(facts: list[MarginFact]) -> Margin:
    """All the facts together."""
    return sum((f.margin for f in facts), Margin())


def chain_margins(session: Session, chain_id: int) -> tuple[Margin, dict[int, Margin]]:
    """A chain's margin, and each of its items' (keyed by item id; unsold items are absent)."""
    facts = load_margins(session, chain_id=chain_id)
    return total_margin(facts), margins_by(facts, lambda f: f.item_id)


def live_margin(session: Session, live_id: int) -> Margin:
    """A livestream's margin: its active orders' lines, flash-sale prices as charged."""
    return total_margin(load_margins(session, livestream_id=live_id))


class NamedMargin(NamedTuple):
    """The margin of one chain or product, with what the leader calls it."""

    id: int
    name: str
    margin: Margin
    chain_id: int = 0  # a product's chain


@dataclass(frozen=True)
class MarginBreakdown:
    """Gross profit per month, chain, product and livestream (chains and products that sold)."""

    months: dict[str, Margin]
    chains: list[NamedMargin]
    products: list[NamedMargin]
    lives: dict[int, Margin]


def margin_breakdown(session: Session) -> MarginBreakdown:
    """Every margin `tuan stats` and the report show, from one read of the order lines."""
    facts = load_margins(session)
    by_chain = margins_by(facts, lambda f: f.chain_id)
    by_item = margins_by(facts, lambda f: f.item_id)
    by_live = margins_by(facts, lambda f: f.livestream_id)
    titles = dict(session.exec(select(Chain.id, Chain.title)).all())
    items = session.exec(
        select(ChainItem).order_by(col(ChainItem.chain_id), col(ChainItem.position))
    ).all()
    return MarginBreakdown(
        months=margins_by(facts, lambda f: f.month),
        chains=[NamedMargin(c, titles.get(c, ""), m) for c, m in sorted(by_chain.items())],
        products=[
            NamedMargin(i.id, f"{i.name} {i.spec}".strip(), by_item[i.id], i.chain_id)
            for i in items
            if i.id in by_item
        ],
        lives={live: m for live, m in by_live.items() if live is not None},
    )


def stats_as_dict(
    months: list[MonthStats],
    lives: list[LiveConversion],
    margins: MarginBreakdown | None = None,
) -> dict[str, object]:
    """A JSON-ready document of every number (for `tuan stats --json` and the report)."""
    margins = margins or MarginBreakdown({}, [], [], {})
    return {
        "months": [
            {
                "month": m.month,
                "gmv_cents": m.gmv_cents,
                "orders": m.orders,
                "buyers": m.buyers,
                "repurchase_rate": round(m.repurchase_rate, 4),
                "avg_ltv_cents": m.avg_ltv_cents,
                "top_ltv_cents": m.top_ltv_cents,
                "new_members": m.new_members,
                "referral_share": round(m.referral_share, 4),
                "koc_share": round(m.koc_share, 4),
                "partner_new": m.partner_new,
                "dormant_members": m.dormant,
                "refunds_cents": m.refunds_cents,
                **margins.months.get(m.month, Margin()).as_dict(),
            }
            for m in months
        ],
        "livestreams": [
            {
                "id": lv.id,
                "label": lv.label,
                "peak_viewers": lv.peak_viewers,
                "buyers": lv.buyers,
                "conversion": round(lv.conversion, 4),
                "gmv_cents": lv.gmv_cents,
                **margins.lives.get(lv.id, Margin()).as_dict(),
            }
            for lv in lives
        ],
        "chains": [
            {"id": c.id, "title": c.name, "gmv_cents": c.margin.gmv_cents, **c.margin.as_dict()}
            for c in margins.chains
        ],
        "products": [
            {
                "id": p.id,
                "chain_id": p.chain_id,
                "name": p.name,
                "gmv_cents": p.margin.gmv_cents,
                **p.margin.as_dict(),
            }
            for p in margins.products
        ],
        "definitions": {key: _(text) for key, text in DEFINITIONS.items()},
    }
