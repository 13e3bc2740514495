"""Coupons (券) as a ledger: issuing, redeeming against an order, giving back, listing.

A coupon belongs to one member, takes `amount` off one order whose lines reach its minimum spend
(0: 无门槛), and is usable through its last day; after that it is expired (read from the day, see
`shared.coupons`). It is redeemed once: against one of its member's active orders, one coupon per
order; the order then owes its lines less the coupon, never below 0. Every refusal is a
`CouponError` naming the field and leaves the database as it was (the caller's transaction).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from tuan import clock
from tuan.domain.members.reminders import ReminderError, parse_due
from tuan.domain.shared.coupons import coupon_status, coupon_words, lines_cents
from tuan.domain.shared.errors import DomainError
from tuan.domain.shared.money import MoneyError, format_money, parse_money
from tuan.domain.shared.payments import settle_paid
from tuan.domain.shared.states import CouponOrigin, CouponStatus, OrderStatus
from tuan.domain.shared.timefmt import zh_date
from tuan.i18n import N_, _
from tuan.models import Chain, Coupon, Member, Order

DEFAULT_DAYS = 30
MAX_DAYS = 3650
MAX_COUPON_CENTS = 100_000_00  # ¥100,000: larger is a typo
ORIGIN_LABELS: dict[str, str] = {
    CouponOrigin.REFERRAL: N_("老带新"),
    CouponOrigin.WAKE_UP: N_("沉睡唤醒"),
    CouponOrigin.MANUAL: N_("手动发放"),
    CouponOrigin.OTHER: N_("其他"),
}
STATUS_LABELS: dict[str, str] = {
    CouponStatus.USABLE: N_("可用"),
    CouponStatus.REDEEMED: N_("已用"),
    CouponStatus.EXPIRED: N_("已过期"),
}


class CouponError(DomainError, ValueError):
    """A coupon was refused: a bad amount or date, or one that cannot be used on this order."""

    code = "coupon.refused"
    field = "coupon"


@dataclass(frozen=True)
class CouponRow:
    """A coupon as lists, the member page and `--json` show it."""

    id: int
    member_id: int
    member: str
    amount_cents: int
    min_spend_cents: int
    issued_on: date
    expires_on: date
    reason: str
    origin: str
    status: CouponStatus
    order_id: int | None
    redeemed_at: datetime | None
    chain: str = ""  # the redeemed order's chain

    @property
    def words(self) -> str:
        """`¥20 无门槛券` / `满¥99减¥20券`."""
        return coupon_words(self.amount_cents, self.min_spend_cents)

    @property
    def threshold(self) -> str:
        """`无门槛` or `满¥99`, in the interface language."""
        if self.min_spend_cents <= 0:
            return _("无门槛")
        return _("满{money}").format(money=format_money(self.min_spend_cents))

    @property
    def label(self) -> str:
        """`#12 ¥20 无门槛 至12月31日`: one line for a choice list."""
        until = _("至{day}").format(day=zh_date(self.expires_on))
        return f"#{self.id} {format_money(self.amount_cents)} {self.threshold} {until}"

    def as_dict(self) -> dict[str, object]:
        """The JSON object of `tuan coupon list --json` (and of `issue`, `redeem`)."""
        return {
            "id": self.id,
            "member": {"id": self.member_id, "nickname": self.member},
            "amount_cents": self.amount_cents,
            "min_spend_cents": self.min_spend_cents,
            "issued_on": self.issued_on.isoformat(),
            "expires_on": self.expires_on.isoformat(),
            "reason": self.reason,
            "origin": str(self.origin),
            "status": str(self.status),
            "order_id": self.order_id,
            "redeemed_at": self.redeemed_at.isoformat() if self.redeemed_at else None,
        }


ZERO_AMOUNT = N_("券的金额必须大于 0，请填要抵掉的钱数，例如 20")


def origin_label(origin: str) -> str:
    """The Chinese name of where a coupon came from."""
    return _(ORIGIN_LABELS.get(origin, origin))


def status_label(status: str) -> str:
    """`可用`, `已用` or `已过期`."""
    return _(STATUS_LABELS.get(status, status))


# --- issuing --------------------------------------------------------------------------------------


def read_amount(text: str, field: str = "amount") -> int:
    """A coupon amount typed as money (`20`, `¥19.9`): positive, at most two decimals."""
    try:
        cents = parse_money(text)
    except MoneyError as error:
        raise CouponError(error, field, code=error.code) from error
    if cents <= 0:
        raise CouponError(ZERO_AMOUNT, field, code="coupon.amount")
    if cents > MAX_COUPON_CENTS:
        message = N_("券的金额太大：{money}，请检查是不是多打了几位")
        raise CouponError(message, field, code="coupon.amount_large", money=format_money(cents))
    return cents


def read_min_spend(text: str) -> int:
    """The minimum spend typed as money; empty or 0 is 无门槛."""
    if not text.strip():
        return 0
    try:
        return parse_money(text)
    except MoneyError as error:
        raise CouponError(error, "min_spend", code=error.code) from error


def read_expiry(text: str, today: date) -> date:
    """The last day typed: `30` (days from today), `30天`, `12-31`, `2027-01-31`, `下周三`."""
    raw = text.strip().removesuffix("天").strip()  # i18n-keep: input grammar
    if raw.isdecimal():
        days = int(raw)
        if not 1 <= days <= MAX_DAYS:
            message = N_("有效天数应是 1 到 {max} 之间的整数")
            raise CouponError(message, "expires", code="coupon.days", max=MAX_DAYS)
        return today + timedelta(days=days)
    try:
        return parse_due(text, today)
    except ReminderError as error:
        raise CouponError(error, "expires", code=error.code) from error


def issue_coupon(
    session: Session,
    member_id: int,
    amount_cents: int,
    *,
    min_spend_cents: int = 0,
    expires_on: date | None = None,
    reason: str = "",
    origin: str = CouponOrigin.MANUAL,
    rule_key: str | None = None,
    issued_on: date | None = None,
) -> Coupon:
    """Give a member a coupon (flushed, not committed); usable through `expires_on`.

    Raises:
        CouponError: no such member, an amount that is not positive, a negative minimum spend,
            a last day before the day it is issued.
    """
    if session.get(Member, member_id) is None:
        raise CouponError(
            N_("找不到团员 {id}"), "member", code="coupon.member_missing", id=member_id
        )
    if amount_cents <= 0:
        raise CouponError(ZERO_AMOUNT, "amount", code="coupon.amount")
    if amount_cents > MAX_COUPON_CENTS:
        message = N_("券的金额太大：{money}，请检查是不是多打了几位")
        raise CouponError(
            message, "amount", code="coupon.amount_large", money=format_money(amount_cents)
        )
    if min_spend_cents < 0:
        raise CouponError(N_("门槛不能为负数"), "min_spend", code="coupon.min_negative")
    issued_on = issued_on or clock.today()
    expires_on = expires_on or issued_on + timedelta(days=DEFAULT_DAYS)
    if expires_on < issued_on:
        message = N_("到期日 {day} 早于发券日 {issued}，请填以后的日期")
        raise CouponError(
            message, "expires", code="coupon.expired_on_issue",
            day=expires_on.isoformat(), issued=issued_on.isoformat(),
        )  # fmt: skip
    coupon = Coupon(
        member_id=member_id,
        amount_cents=amount_cents,
        min_spend_cents=min_spend_cents,
        issued_on=issued_on,
        expires_on=expires_on,
        reason=reason.strip(),
        origin=CouponOrigin(origin),
        rule_key=rule_key,
    )
    session.add(coupon)
    session.flush()
    return coupon


# --- redeeming ------------------------------------------------------------------------------------


def _get_coupon(session: Session, coupon_id: int) -> Coupon:
    coupon = session.get(Coupon, coupon_id)
    if coupon is None:
        raise CouponError(N_("找不到券 {id}"), code="coupon.not_found", id=coupon_id)
    return coupon


def check_redeem(session: Session, coupon: Coupon, order: Order, today: date) -> None:
    """Refuse a coupon this order cannot take (see `redeem_coupon`); writes nothing."""
    if coupon.order_id is not None:
        message = N_("券 #{id} 已经用过了（订单 {order}），每张券只能用一次")
        raise CouponError(message, code="coupon.used", id=coupon.id, order=coupon.order_id)
    if coupon.expires_on < today:
        message = N_("券 #{id} 已在 {day} 过期，不能再用")
        raise CouponError(
            message, code="coupon.expired", id=coupon.id, day=coupon.expires_on.isoformat()
        )
    if coupon.member_id != order.member_id:
        owner = session.get(Member, coupon.member_id)
        message = N_("券 #{id} 是{owner}的，不能用在别人的订单上")
        raise CouponError(
            message, code="coupon.other_member", id=coupon.id, owner=owner.nickname if owner else ""
        )
    if order.status != OrderStatus.ACTIVE:
        message = N_("订单 {order} 已取消，不能用券")
        raise CouponError(message, "order", code="coupon.order_cancelled", order=order.id)
    held = session.exec(
        select(Coupon.id).where(col(Coupon.order_id) == order.id, col(Coupon.id) != coupon.id)
    ).first()
    if held is not None:
        message = N_("订单 {order} 已经用了券 #{held}，每单只能用一张券")
        raise CouponError(message, code="coupon.order_has_one", order=order.id, held=held)
    total = lines_cents(session, order.id or 0)
    if total < coupon.min_spend_cents:
        message = N_("这单 {total}，不够券 #{id} 的门槛 {min}：满 {min} 才能用")
        raise CouponError(
            message, code="coupon.below_min", id=coupon.id, total=format_money(total),
            min=format_money(coupon.min_spend_cents),
        )  # fmt: skip


def redeem_coupon(
    session: Session, coupon_id: int, order_id: int, now: datetime | None = None
) -> Coupon:
    """Use a coupon on an order: the order then owes its lines less the coupon (never below 0).

    Raises:
        CouponError: no such coupon or order; the coupon already used, expired, another member's;
            the order cancelled or already holding a coupon, or below the minimum spend.
    """
    now = now or clock.now()
    coupon = _get_coupon(session, coupon_id)
    order = session.get(Order, order_id)
    if order is None:
        raise CouponError(N_("找不到订单 {id}"), "order", code="coupon.order_missing", id=order_id)
    check_redeem(session, coupon, order, clock.local(now).date())
    coupon.order_id, coupon.redeemed_at = order.id, now
    session.add(coupon)
    session.flush()
    settle_paid(session, [order_id])
    return coupon


def release_coupon(session: Session, coupon_id: int) -> Coupon:
    """Take a coupon off its order (the leader chose no coupon after all); it is usable again
    while it lasts."""
    coupon = _get_coupon(session, coupon_id)
    order_id = coupon.order_id
    if order_id is None:
        return coupon
    coupon.order_id, coupon.redeemed_at = None, None
    session.add(coupon)
    session.flush()
    settle_paid(session, [order_id])
    return coupon


def set_order_coupon(
    session: Session, order_id: int, coupon_id: int | None, now: datetime | None = None
) -> Coupon | None:
    """Make `coupon_id` the order's coupon (None: no coupon), giving back any other it held."""
    held = session.exec(select(Coupon).where(col(Coupon.order_id) == order_id)).all()
    for coupon in held:
        if coupon.id == coupon_id:
            return coupon  # already this order's
        release_coupon(session, coupon.id or 0)
    if coupon_id is None:
        return None
    return redeem_coupon(session, coupon_id, order_id, now)


def best_coupon(
    session: Session, member_id: int, lines_cents: int, today: date | None = None
) -> Coupon | None:
    """The usable coupon that takes most off an order of `lines_cents` (ties: the one that
    expires first, then the oldest); None when none reaches its minimum spend."""
    today = today or clock.today()
    stmt = select(Coupon).where(
        col(Coupon.member_id) == member_id,
        col(Coupon.order_id).is_(None),
        col(Coupon.expires_on) >= today,
        col(Coupon.min_spend_cents) <= lines_cents,
    )
    found = session.exec(stmt).all()
    if not found:
        return None
    return min(found, key=lambda c: (-min(c.amount_cents, lines_cents), c.expires_on, c.id or 0))


def redeem_best(session: Session, order_id: int, now: datetime | None = None) -> Coupon:
    """Use the member's best usable coupon on this order (live mode's `券`).

    Raises:
        CouponError: the member has no coupon this order can take (the message says why).
    """
    now = now or clock.now()
    order = session.get(Order, order_id)
    if order is None:
        raise CouponError(N_("找不到订单 {id}"), "order", code="coupon.order_missing", id=order_id)
    total = lines_cents(session, order_id)
    today = clock.local(now).date()
    coupon = best_coupon(session, order.member_id, total, today)
    if coupon is None:
        member = session.get(Member, order.member_id)
        name = member.nickname if member else ""
        usable = list_coupons(session, member_id=order.member_id, status=CouponStatus.USABLE,
                              today=today)  # fmt: skip
        if usable:
            message = N_("{name}的券这单用不了：{coupons}，这单 {total}")
            coupons = _("、").join(row.words for row in usable)
            raise CouponError(
                message, code="coupon.below_min", name=name, coupons=coupons,
                total=format_money(total),
            )  # fmt: skip
        raise CouponError(N_("{name}没有可用的券"), code="coupon.none", name=name)
    return redeem_coupon(session, coupon.id or 0, order_id, now)


# --- reading --------------------------------------------------------------------------------------


def list_coupons(
    session: Session,
    *,
    member_id: int | None = None,
    status: str | None = None,
    today: date | None = None,
) -> list[CouponRow]:
    """Coupons, newest first (of one member, in one state, when asked)."""
    today = today or clock.today()
    stmt = (
        select(Coupon, Member.nickname, Chain.title)
        .join(Member, col(Member.id) == col(Coupon.member_id))
        .outerjoin(Order, col(Order.id) == col(Coupon.order_id))
        .outerjoin(Chain, col(Chain.id) == col(Order.chain_id))
        .order_by(col(Coupon.issued_on).desc(), col(Coupon.id).desc())
    )
    if member_id is not None:
        stmt = stmt.where(col(Coupon.member_id) == member_id)
    if status == CouponStatus.REDEEMED:
        stmt = stmt.where(col(Coupon.order_id).is_not(None))
    elif status == CouponStatus.USABLE:
        stmt = stmt.where(col(Coupon.order_id).is_(None), col(Coupon.expires_on) >= today)
    elif status == CouponStatus.EXPIRED:
        stmt = stmt.where(col(Coupon.order_id).is_(None), col(Coupon.expires_on) < today)
    return [
        CouponRow(
            c.id or 0,
            c.member_id,
            nickname,
            c.amount_cents,
            c.min_spend_cents,
            c.issued_on,
            c.expires_on,
            c.reason,
            c.origin,
            coupon_status(c.order_id, c.expires_on, today),
            c.order_id,
            c.redeemed_at,
            chain or "",
        )
        for c, nickname, chain in session.exec(stmt)
    ]


def usable_coupons(session: Session, member_id: int, today: date | None = None) -> list[CouponRow]:
    """A member's usable coupons, the one that expires first first (the entry form offers them)."""
    rows = list_coupons(session, member_id=member_id, status=CouponStatus.USABLE, today=today)
    return sorted(rows, key=lambda r: (r.expires_on, r.id))


def order_coupon(session: Session, order_id: int) -> CouponRow | None:
    """The coupon redeemed against an order, if any."""
    coupon_id = session.exec(select(Coupon.id).where(col(Coupon.order_id) == order_id)).first()
    if coupon_id is None:
        return None
    coupon = session.get(Coupon, coupon_id)
    assert coupon is not None
    rows = list_coupons(session, member_id=coupon.member_id)
    return next((row for row in rows if row.id == coupon_id), None)
