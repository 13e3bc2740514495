"""The coupons the reminder rules give: a wake-up coupon with the dormant rule's reminder, a
reward coupon for each side of a referral with the referral rule's two reminders.

A rule's coupon carries the reminder's rule key (`dormant:<rule>:<member>:<last order day>`,
`referral:<rule>:<member>:referrer|friend`), unique in the coupon table, so a wake-up coupon is
given once per quiet spell, a referral rewards both sides once, and running the rules again
issues nothing. The reminder's message names the coupon (`{coupon}`: `¥10 无门槛券，12月31日前
下单可用`); a template the leader wrote without `{coupon}` gets the coupon added at its end.

Terms (amount, minimum spend, days it lasts) are per rule kind below; a leader may change a
rule's terms (`set_rule_terms`, kept in `meta`), and amount 0 gives no coupon.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, col, select

from tuan.domain.members.coupons import issue_coupon
from tuan.domain.members.rule_reminders import Candidate, RuleContext
from tuan.domain.shared.coupons import coupon_offer
from tuan.domain.shared.states import CouponOrigin, ReminderKind
from tuan.models import Coupon, Meta


@dataclass(frozen=True)
class CouponTerms:
    """What a rule's coupon is worth, from what spend, and for how many days."""

    amount_cents: int
    min_spend_cents: int = 0
    days: int = 14


DEFAULT_TERMS: dict[str, CouponTerms] = {
    ReminderKind.DORMANT: CouponTerms(1000, 0, 14),  # a small wake-up coupon
    ReminderKind.REFERRAL: CouponTerms(5000, 0, 30),  # both sides get ¥50
}
ORIGINS: dict[str, CouponOrigin] = {
    ReminderKind.DORMANT: CouponOrigin.WAKE_UP,
    ReminderKind.REFERRAL: CouponOrigin.REFERRAL,
}
# i18n-keep: added to a message to neighbours whose template does not name the coupon
APPENDED = "，送您一张 {coupon}"


def _terms_key(rule_id: int) -> str:
    return f"reminder_rule.{rule_id}.coupon"


def rule_terms(session: Session, rule_id: int, kind: str) -> CouponTerms | None:
    """The coupon a rule gives (None: this rule gives none)."""
    default = DEFAULT_TERMS.get(kind)
    if default is None:
        return None
    row = session.get(Meta, _terms_key(rule_id))
    if row is None or not row.value:
        return default
    try:
        amount, min_spend, days = (int(part) for part in row.value.split(","))
    except ValueError:
        return default  # a hand-edited value that cannot be read: the default, never a crash
    return CouponTerms(amount, min_spend, max(days, 1)) if amount > 0 else None


def set_rule_terms(session: Session, rule_id: int, terms: CouponTerms | None) -> None:
    """Change what a rule's coupon is (None: the rule gives no coupon)."""
    row = session.get(Meta, _terms_key(rule_id)) or Meta(key=_terms_key(rule_id))
    row.value = (
        "0,0,1" if terms is None else f"{terms.amount_cents},{terms.min_spend_cents},{terms.days}"
    )
    session.add(row)


def _rule_id(candidate: Candidate) -> int:
    parts = candidate.key.split(":")
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0


def issue_rule_coupons(ctx: RuleContext, candidates: Iterable[Candidate]) -> int:
    """Give the coupon of each new wake-up and referral reminder, and name it in the message.

    Returns:
        How many coupons were issued.
    """
    wanted = [c for c in candidates if c.kind in DEFAULT_TERMS and c.member_id is not None]
    if not wanted:
        return 0
    session = ctx.session
    existing = {
        coupon.rule_key: coupon
        for start in range(0, len(wanted), 500)
        for coupon in session.exec(
            select(Coupon).where(
                col(Coupon.rule_key).in_([c.key for c in wanted[start : start + 500]])
            )
        )
    }
    terms_of: dict[int, CouponTerms | None] = {}
    issued = 0
    for candidate in wanted:
        rule_id = _rule_id(candidate)
        if rule_id not in terms_of:
            terms_of[rule_id] = rule_terms(session, rule_id, candidate.kind)
        terms = terms_of[rule_id]
        coupon = existing.get(candidate.key)
        if coupon is None and terms is not None:
            # Usable for `days` from when the reminder is due (it may show a few days ahead).
            start = max(ctx.today, candidate.due_on)
            coupon = issue_coupon(
                session, candidate.member_id or 0, terms.amount_cents,
                min_spend_cents=terms.min_spend_cents, issued_on=ctx.today,
                expires_on=start + timedelta(days=terms.days), reason=candidate.title,
                origin=ORIGINS[candidate.kind], rule_key=candidate.key,
            )  # fmt: skip
            issued += 1
        if coupon is None:
            continue
        offer = coupon_offer(coupon.amount_cents, coupon.min_spend_cents, coupon.expires_on)
        candidate.values["coupon"] = offer
        if "{coupon}" not in candidate.template:
            candidate.template += APPENDED
    return issued
