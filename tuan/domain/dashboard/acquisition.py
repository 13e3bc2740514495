"""Acquisition cost (获客成本) per channel and month: what bringing new members cost.

A member's channel follows from how they came (`channel_of`). What was spent on a channel comes
from every reader in `SPEND_SOURCES`: the spend the leader records (partner fees, gifts) and the
referral reward coupons used (`referral_coupon_spend`). Cost per new member is the
channel's spend in a month ÷ the members it brought that month (joined that month), to the fen;
with no new member there is no cost to show (None, shown `—`), whatever was spent.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from tuan import clock
from tuan.domain.dashboard.coupons import coupon_facts
from tuan.domain.shared.errors import DomainError, Message
from tuan.domain.shared.money import MoneyError, parse_money
from tuan.domain.shared.sql import select_columns
from tuan.domain.shared.states import AcquisitionChannel, CouponOrigin, MemberSource
from tuan.i18n import N_, _
from tuan.models import ChannelSpend, Member

CHANNELS = tuple(AcquisitionChannel)
CHANNEL_LABELS = {
    AcquisitionChannel.PARTNER: N_("合作点位海报"),
    AcquisitionChannel.REFERRAL: N_("老带新"),
    AcquisitionChannel.KOC: N_("KOC"),
    AcquisitionChannel.LIVE: N_("直播"),
}
# What the leader may type for a channel besides its key.
# i18n-keep: input grammar, the words leaders type for a channel in every language
_CHANNEL_WORDS = {
    "合作点位海报": AcquisitionChannel.PARTNER,
    "合作点位": AcquisitionChannel.PARTNER,
    "海报": AcquisitionChannel.PARTNER,
    "老带新": AcquisitionChannel.REFERRAL,
    "推荐": AcquisitionChannel.REFERRAL,
    "直播": AcquisitionChannel.LIVE,
}
MAX_NOTE = 200
_MONTH_RE = re.compile(r"\d{4}-(0[1-9]|1[0-2])")

#: Cents spent per (channel, month) for the months asked.
SpendReader = Callable[[Session, list[str]], dict[tuple[str, str], int]]


class SpendError(DomainError, ValueError):
    """Channel spend the leader typed that cannot be recorded; says what to type instead."""

    code = "spend.invalid"


def channel_label(channel: str) -> str:
    """What the leader calls a channel (`合作点位海报`)."""
    return _(CHANNEL_LABELS[AcquisitionChannel(channel)])


def channel_of(source: str, referred_by_koc: bool) -> AcquisitionChannel | None:
    """The channel that brought a member; None for members who came offline (nothing spent)."""
    if source == MemberSource.REFERRAL:
        return AcquisitionChannel.KOC if referred_by_koc else AcquisitionChannel.REFERRAL
    if source == MemberSource.PARTNER:
        return AcquisitionChannel.PARTNER
    if source == MemberSource.LIVE:
        return AcquisitionChannel.LIVE
    return None


def parse_channel(text: str) -> AcquisitionChannel:
    """`partner`, `referral`, `koc`, `live`, or the leader's word for one (`海报`, `老带新`)."""
    raw = text.strip()
    if not raw:
        raise SpendError(N_("请选择渠道"), "channel", code="spend.channel")
    word = raw.lower()
    for channel in CHANNELS:
        if word in (channel.value, _(CHANNEL_LABELS[channel]).lower()):
            return channel
    if raw in _CHANNEL_WORDS:
        return _CHANNEL_WORDS[raw]
    raise SpendError(
        N_(
            "不认识的渠道：{text}。"
            "可以填 partner（合作点位海报）、referral（老带新）、koc 或 live（直播）"
        ),
        "channel",
        code="spend.channel",
        text=raw,
    )


def check_month(text: str, today: date | None = None) -> str:
    """`YYYY-MM` from 2000-01 up to this month."""
    month = text.strip()
    if not _MONTH_RE.fullmatch(month):
        raise SpendError(
            N_("月份格式应为 YYYY-MM，例如 2026-11：{month}"), "month", code="spend.month",
            month=month or Message(N_("空")),
        )  # fmt: skip
    today = today or clock.today()
    if month > f"{today:%Y-%m}":
        raise SpendError(
            N_("{month} 还没到，请记录本月或以前的投入"), "month", code="spend.future", month=month
        )
    if month < "2000-01":
        raise SpendError(
            N_("{month} 太早了，请选择 2000 年以后的月份"), "month", code="spend.early", month=month
        )
    return month


def parse_amount(text: str) -> int:
    """Yuan as typed (`300`, `¥45.5`) to cents; zero is refused (nothing was spent)."""
    try:
        cents = parse_money(text)
    except MoneyError as error:
        raise SpendError(error, "amount", code=error.code.replace("price", "spend")) from error
    if cents <= 0:
        raise SpendError(N_("投入金额要大于 0：{text}"), "amount", code="spend.zero", text=text)
    return cents


def record_spend(
    session: Session, channel: str, month: str, amount: str, note: str = ""
) -> ChannelSpend:
    """Record what was spent on a channel in a month; checks everything before writing."""
    if len(note.strip()) > MAX_NOTE:
        raise SpendError(
            N_("备注太长（最多 {n} 个字）"), "note", code="spend.note_too_long", n=MAX_NOTE
        )
    row = ChannelSpend(
        channel=parse_channel(channel),
        month=check_month(month),
        amount_cents=parse_amount(amount),
        note=note.strip(),
    )
    session.add(row)
    session.flush()
    return row


def list_spend(session: Session, month: str | None = None) -> list[ChannelSpend]:
    """Recorded spend, newest month first, then as entered."""
    query = select(ChannelSpend).order_by(col(ChannelSpend.month).desc(), col(ChannelSpend.id))
    if month is not None:
        query = query.where(col(ChannelSpend.month) == month)
    return list(session.exec(query).all())


def recorded_spend(session: Session, months: list[str]) -> dict[tuple[str, str], int]:
    """The spend the leader recorded (partner fees, gifts), per channel and month."""
    found: dict[tuple[str, str], int] = defaultdict(int)
    rows = session.exec(
        select(ChannelSpend.channel, ChannelSpend.month, ChannelSpend.amount_cents).where(
            col(ChannelSpend.month).in_(months)
        )
    )
    for channel, month, cents in rows:
        found[(channel, month)] += int(cents)
    return dict(found)


@dataclass(frozen=True)
class SpendSource:
    """One place spend comes from: a key for JSON, what the leader calls it, and its reader."""

    key: str
    label: str
    read: SpendReader


def referral_coupon_spend(session: Session, months: list[str]) -> dict[tuple[str, str], int]:
    """What the referral reward coupons (老带新奖励券, one for each side) took off the orders they
    were used on, per month used, on the channel of the new member the referral brought: the
    referral channel (老带新), or KOC when the referrer is one. Wake-up coupons keep members,
    they do not bring them: they are not acquisition spend."""
    wanted = set(months)
    used = [
        (f"{fact.redeemed_on:%Y-%m}", brought, fact.cost)
        for fact in coupon_facts(session)
        if fact.origin == CouponOrigin.REFERRAL and fact.redeemed_on is not None
        and (brought := _referred_member(fact.rule_key or "")) is not None
    ]  # fmt: skip
    used = [entry for entry in used if entry[0] in wanted]
    channels = _member_channels(session, {brought for _, brought, _ in used})
    found: dict[tuple[str, str], int] = defaultdict(int)
    for month, brought, cost in used:
        channel = channels.get(brought)
        if channel is not None:
            found[(channel.value, month)] += cost
    return dict(found)


def _referred_member(rule_key: str) -> int | None:
    """The new member of a referral coupon's rule key (`referral:<rule>:<member>:<side>`)."""
    parts = rule_key.split(":")
    return int(parts[2]) if len(parts) >= 3 and parts[2].isdigit() else None


def _member_channels(session: Session, ids: set[int]) -> dict[int, AcquisitionChannel | None]:
    kocs = set(session.exec(select(Member.id).where(col(Member.is_koc))).all())
    rows = session.exec(
        select(Member.id, Member.source, Member.referrer_id).where(col(Member.id).in_(ids))
    )
    return {
        member_id or 0: channel_of(source, referrer in kocs) for member_id, source, referrer in rows
    }


#: Every source of spend; acquisition cost sums them all.
SPEND_SOURCES: list[SpendSource] = [
    SpendSource("recorded", N_("记录的投入"), recorded_spend),
    SpendSource("referral_coupons", N_("用掉的老带新奖励券"), referral_coupon_spend),
]


@dataclass(frozen=True)
class ChannelMonth:
    """One channel in one month: what it cost, whom it brought, and the cost of each."""

    month: str
    spend_cents: int
    new_members: int

    @property
    def cost_cents(self) -> int | None:
        """Spend ÷ new members, rounded to the fen; None without new members."""
        if not self.new_members:
            return None
        return (self.spend_cents + self.new_members // 2) // self.new_members


@dataclass(frozen=True)
class ChannelCost:
    """A channel's months, and their total."""

    channel: AcquisitionChannel
    months: list[ChannelMonth]

    @property
    def total(self) -> ChannelMonth:
        """The channel over all its months together."""
        return ChannelMonth(
            "", sum(m.spend_cents for m in self.months), sum(m.new_members for m in self.months)
        )


def new_members_by_channel(session: Session, months: list[str]) -> dict[tuple[str, str], int]:
    """Members who joined in each month, per channel that brought them."""
    kocs = set(session.exec(select(Member.id).where(col(Member.is_koc))).all())
    rows = session.exec(select_columns(Member.joined_on, Member.source, Member.referrer_id))
    wanted = set(months)
    found: dict[tuple[str, str], int] = defaultdict(int)
    for joined, source, referrer in rows:
        month = f"{joined:%Y-%m}"
        channel = channel_of(source, referrer in kocs)
        if channel is not None and month in wanted:
            found[(channel.value, month)] += 1
    return dict(found)


def acquisition_costs(
    session: Session, months: list[str], sources: list[SpendSource] | None = None
) -> list[ChannelCost]:
    """Every channel's spend, new members and cost per new member in `months` (oldest first)."""
    spend: dict[tuple[str, str], int] = defaultdict(int)
    for source in SPEND_SOURCES if sources is None else sources:
        for key, cents in source.read(session, months).items():
            spend[key] += cents
    new = new_members_by_channel(session, months)
    return [
        ChannelCost(
            channel,
            [ChannelMonth(m, spend.get((channel, m), 0), new.get((channel, m), 0)) for m in months],
        )
        for channel in CHANNELS
    ]


def format_cost(cost_cents: int | None) -> str:
    """`¥25`, or `—` when no new member came (nothing to divide by)."""
    from tuan.domain.shared.money import format_money

    return "—" if cost_cents is None else format_money(cost_cents)
