"""New members brought by KOC and UGC (the seed's 52%), and what each KOC brought
(see `GROWTH_DEFINITIONS["word_of_mouth"]` and `["kocs"]`).

UGC here is word of mouth from members who are not KOCs: a member shares the group, a recipe post
or a livestream replay and a neighbour joins with them as referrer. The data records it as a
referral (`MemberSource.REFERRAL`) whose referrer is not a KOC.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from tuan.domain.dashboard.metrics import OrderFact
from tuan.domain.shared.sql import select_columns
from tuan.domain.shared.states import MemberSource
from tuan.models import Member


@dataclass(frozen=True)
class KocRow:
    """One KOC, the members they brought in the period, and what those members bought."""

    id: int
    nickname: str
    new_members: int
    sales_cents: int


@dataclass(frozen=True)
class WordOfMouth:
    """New members of the months `first`..`last` and who brought them."""

    first: str
    last: str
    new_members: int
    koc_new: int
    ugc_new: int
    kocs: list[KocRow] = field(default_factory=list)

    @property
    def share(self) -> float | None:
        """(KOC + UGC) ÷ new members; None without new members."""
        if not self.new_members:
            return None
        return (self.koc_new + self.ugc_new) / self.new_members


def word_of_mouth(session: Session, orders: list[OrderFact], months: list[str]) -> WordOfMouth:
    """Who brought the members who joined in `months`, and every KOC's new members' sales
    (their active orders to date)."""
    wanted = set(months)
    kocs: dict[int, str] = {
        int(mid or 0): nick
        for mid, nick in session.exec(
            select(Member.id, Member.nickname).where(col(Member.is_koc)).order_by(col(Member.id))
        )
    }
    rows = session.exec(
        select_columns(Member.id, Member.joined_on, Member.source, Member.referrer_id)
    )
    new = koc_new = ugc_new = 0
    brought: dict[int, int] = {}  # new member → the KOC who brought them
    for mid, joined, source, referrer in rows:
        if f"{joined:%Y-%m}" not in wanted:
            continue
        new += 1
        if source != MemberSource.REFERRAL or referrer is None:
            continue
        if referrer in kocs:
            koc_new += 1
            brought[mid] = referrer
        else:
            ugc_new += 1
    count: dict[int, int] = defaultdict(int)
    for koc in brought.values():
        count[koc] += 1
    sales: dict[int, int] = defaultdict(int)
    for fact in orders:
        owner = brought.get(fact.member_id)
        if owner is not None:
            sales[owner] += fact.cents
    table = [KocRow(k, nick, count[k], sales[k]) for k, nick in kocs.items()]
    table.sort(key=lambda r: (-r.new_members, -r.sales_cents, r.id))
    return WordOfMouth(min(months), max(months), new, koc_new, ugc_new, table)
