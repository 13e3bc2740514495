"""The growth figures the seed reports, each defined once, here; computed in `cohorts`,
`acquisition`, `word_of_mouth` and `follow_on`.

- Follow-on purchase (连带复购): of the members who bought product X (one name across chains) in
  a period, the share who bought product Y in a later order within N days after their first X of
  the period. Members whose N days have not passed yet count as not (yet) followed; how many of
  them there are is shown beside.
- Cohorts (同期群): members grouped by the month of their first active order; for k = 1, 2, 3, 6,
  the share of the group who placed an active order in the calendar month k months after that
  month (the current month counts its orders so far; later months are not shown).
- Acquisition cost (获客成本): per channel (partner poster, referral by a member, referral by a
  KOC, livestream) and month, every source of spend (recorded spend today) ÷ the members the
  channel brought who joined that month.
- KOC and UGC share of new members: of the members who joined in the last 12 months, those
  referred by a KOC plus those referred by another member (UGC: word of mouth, a shared post or
  replay). The same people as the monthly 裂变新客占比, over the whole year. Each KOC: the new
  members they brought in those months and everything those members bought to date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from tuan import clock
from tuan.domain.dashboard.acquisition import (
    SPEND_SOURCES,
    ChannelCost,
    ChannelMonth,
    acquisition_costs,
    channel_label,
)
from tuan.domain.dashboard.cohorts import OFFSETS, Cohort, compute_cohorts
from tuan.domain.dashboard.follow_on import FollowOn, product_names
from tuan.domain.dashboard.metrics import load_orders, month_labels
from tuan.domain.dashboard.word_of_mouth import WordOfMouth, word_of_mouth
from tuan.i18n import N_, _

COHORT_MONTHS = 12
COST_MONTHS = 6
SHARE_MONTHS = 12

GROWTH_DEFINITIONS = {
    "follow_on": N_(
        "连带复购：在所选期间买过商品 X 的团员中，在第一次买 X 之后 N 天内（另一张订单）"
        "又买了商品 Y 的比例；不同接龙里同名的商品算同一个商品。"
        "还不满 N 天的人算作还没买，并在旁边注明人数。"
    ),
    "cohorts": N_(
        "同期群：按第一次下单的月份把团员分组；第 k 个月留存 = 组里在首单月之后第 k 个自然月"
        "（k = 1、2、3、6）下过未取消订单的人数 ÷ 组的人数。本月按目前为止算，还没到的月份显示 —。"
    ),
    "acquisition": N_(
        "获客成本：每个渠道（合作点位海报、老带新、KOC、直播）当月的投入（记录的投入，加上当月"
        "用掉的老带新奖励券抵掉的钱，算在被带来的新团员的渠道）÷ 当月由这个渠道入群的新团员人数；"
        "没有新团员时显示 —。"
    ),
    "word_of_mouth": N_(
        "KOC 和 UGC 带新占比：近 12 个月新入群的团员中，由 KOC 推荐来的，加上由其他团员分享"
        "（UGC：口碑、转发的帖子或直播回放）推荐来的，所占的比例。"
    ),
    "kocs": N_("每位 KOC 的带新：近 12 个月由他推荐入群的新团员人数，以及这些团员至今的消费。"),
}


@dataclass(frozen=True)
class GrowthFacts:
    """The growth figures as of `day` (follow-on is asked separately: the leader picks X, Y, N)."""

    day: date
    cohorts: list[Cohort]
    costs: list[ChannelCost]
    word_of_mouth: WordOfMouth
    products: list[str]


def growth_facts(session: Session, today: date | None = None) -> GrowthFacts:
    """Cohorts, acquisition cost and KOC/UGC share as of `today` (its month and before)."""
    today = today or clock.today()
    orders = [f for f in load_orders(session) if f.day <= today]
    current = f"{today:%Y-%m}"
    return GrowthFacts(
        day=today,
        cohorts=compute_cohorts(orders, month_labels(today, COHORT_MONTHS), current),
        costs=acquisition_costs(session, month_labels(today, COST_MONTHS)),
        word_of_mouth=word_of_mouth(session, orders, month_labels(today, SHARE_MONTHS)),
        products=list(product_names(session).values()),
    )


def _rate(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _channel_month(m: ChannelMonth) -> dict[str, object]:
    return {
        "spend_cents": m.spend_cents,
        "new_members": m.new_members,
        "cost_per_new_member_cents": m.cost_cents,
    }


def growth_as_dict(facts: GrowthFacts) -> dict[str, object]:
    """The JSON keys `tuan stats --json` adds for the growth figures."""
    wom = facts.word_of_mouth
    return {
        "cohorts": [
            {
                "month": c.month,
                "size": c.size,
                "retained": {str(k): c.retained.get(k) for k in OFFSETS},
                "retention": {str(k): _rate(c.share(k)) for k in OFFSETS},
            }
            for c in facts.cohorts
        ],
        "acquisition": {
            "spend_sources": [s.key for s in SPEND_SOURCES],
            "channels": [
                {
                    "channel": cost.channel.value,
                    "label": channel_label(cost.channel),
                    **_channel_month(cost.total),
                    "months": [{"month": m.month, **_channel_month(m)} for m in cost.months],
                }
                for cost in facts.costs
            ],
        },
        "word_of_mouth": {
            "from_month": wom.first,
            "to_month": wom.last,
            "new_members": wom.new_members,
            "koc_new": wom.koc_new,
            "ugc_new": wom.ugc_new,
            "share": _rate(wom.share),
            "kocs": [
                {
                    "id": k.id,
                    "nickname": k.nickname,
                    "new_members": k.new_members,
                    "sales_cents": k.sales_cents,
                }
                for k in wom.kocs
            ],
        },
    }


def follow_on_as_dict(result: FollowOn) -> dict[str, object]:
    """The JSON of one follow-on answer (`tuan stats --follow-on X Y --json`)."""
    return {
        "first": result.first,
        "then": result.then,
        "days": result.days,
        "from": result.start.isoformat(),
        "to": result.end.isoformat(),
        "buyers": result.buyers,
        "followed": result.followed,
        "waiting": result.waiting,
        "rate": _rate(result.rate),
        "definition": _(GROWTH_DEFINITIONS["follow_on"]),
    }


def definitions() -> dict[str, str]:
    """Every growth definition in the current language."""
    return {key: _(text) for key, text in GROWTH_DEFINITIONS.items()}
