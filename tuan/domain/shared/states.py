"""Every status and kind the app stores or compares, in one place.

They are `StrEnum`s: each member *is* its stored string (`ChainStatus.OPEN == "open"`), so the
database keeps the same text, JSON and CSV output stay byte for byte the same, and a value read
back from the database compares equal to the member. A type checker can follow them; a typo in a
bare string could not be caught.
"""

from __future__ import annotations

from enum import StrEnum


class ChainStatus(StrEnum):
    """A chain (接龙): being written, taking orders, past its deadline, or finished."""

    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    DONE = "done"


class OrderStatus(StrEnum):
    """An order: counts, or cancelled (its number stays, its stock comes back)."""

    ACTIVE = "active"
    CANCELLED = "cancelled"


class OrderChannel(StrEnum):
    """Where an order came from."""

    MANUAL = "manual"
    IMPORT = "import"
    LIVE = "live"


class LiveStatus(StrEnum):
    """A livestream: not started, on air, or over."""

    PLANNED = "planned"
    LIVE = "live"
    ENDED = "ended"


class SaleStatus(StrEnum):
    """A flash sale at a moment: before its window, selling, cap used up, or over."""

    WAITING = "waiting"
    OPEN = "open"
    SOLD_OUT = "sold_out"
    CLOSED = "closed"


class MemberSource(StrEnum):
    """How a member came: a partner's poster, a referral, a livestream, or offline."""

    PARTNER = "partner"
    REFERRAL = "referral"
    LIVE = "live"
    OFFLINE = "offline"


class ReminderKind(StrEnum):
    """What a reminder (and a reminder rule, which makes them) is for."""

    MANUAL = "manual"
    AFTER_ORDER = "after_order"
    DORMANT = "dormant"
    REFERRAL = "referral"
    UNCOLLECTED = "uncollected"
    RECURRING = "recurring"


class ReminderStatus(StrEnum):
    """A reminder: still to do, or done."""

    OPEN = "open"
    DONE = "done"


class TagRuleKind(StrEnum):
    """What a tag rule looks at."""

    BOUGHT_ITEM = "bought_item"
    DORMANT = "dormant"
    HIGH_VALUE_DORMANT = "high_value_dormant"


class PickupState(StrEnum):
    """How much of an order (or one of its lines) has been collected."""

    NONE = "none"
    PARTIAL = "partial"
    ALL = "all"


class PointsKind(StrEnum):
    """What a points ledger entry is (the points form's choice, minus `order`)."""

    ORDER = "order"
    REDEEM = "redeem"
    CORRECT = "correct"
    ACTION = "action"


class MatchStatus(StrEnum):
    """What finding a member from typed words gave: one member, a new one, several, or nobody."""

    MATCHED = "matched"
    NEW = "new"
    AMBIGUOUS = "ambiguous"
    MISSING = "missing"


class EntryStatus(StrEnum):
    """A chain entry as read: fine, or for the leader to look at (it has reasons)."""

    OK = "ok"
    REVIEW = "review"


class ImportAction(StrEnum):
    """What importing a chain does with one entry."""

    ADD = "add"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    REMOVE = "remove"


class PaymentMethod(StrEnum):
    """How money for an order came: WeChat Pay, Alipay, cash in hand, or some other way."""

    WECHAT = "wechat"
    ALIPAY = "alipay"
    CASH = "cash"
    OTHER = "other"


class PaymentSource(StrEnum):
    """Where a payment record comes from: a bill the leader imported, or marked by hand."""

    BILL = "bill"
    MANUAL = "manual"


class BillRowStatus(StrEnum):
    """A row of an imported bill: paired with orders, several fit, none fits, or not a payment."""

    MATCHED = "matched"
    AMBIGUOUS = "ambiguous"
    UNMATCHED = "unmatched"
    SKIPPED = "skipped"


class AcquisitionChannel(StrEnum):
    """Where a new member came from, for what bringing them cost (获客渠道).

    A referral by a KOC is the KOC channel; by any other member, the referral channel (老带新).
    Members who came offline belong to no channel: nothing is spent to bring them.
    """

    PARTNER = "partner"
    REFERRAL = "referral"
    KOC = "koc"
    LIVE = "live"


class RefundReason(StrEnum):
    """Why a refund was made (售后): bad fruit, short delivery, quality, or something else."""

    BAD_FRUIT = "bad_fruit"
    SHORT = "short"
    QUALITY = "quality"
    OTHER = "other"


class CouponOrigin(StrEnum):
    """Where a coupon (券) came from: a referral reward (each side gets one), a wake-up coupon
    from the dormant rule, given by hand, or some other way (a promotion)."""

    REFERRAL = "referral"
    WAKE_UP = "wake_up"
    MANUAL = "manual"
    OTHER = "other"


class CouponStatus(StrEnum):
    """A coupon on a day: can still be used, used on an order, or past its last day unused.

    Not stored: read from `order_id` and `expires_on` (`domain/shared/coupons.coupon_status`).
    """

    USABLE = "usable"
    REDEEMED = "redeemed"
    EXPIRED = "expired"


class TeamStatus(StrEnum):
    """A 拼团 team: still filling, full (its members pay the team price), or an unfilled team
    the leader settled after the deadline: at the normal price, or with its orders cancelled."""

    OPEN = "open"
    FORMED = "formed"
    NORMAL = "normal"
    CANCELLED = "cancelled"


class TeamSettle(StrEnum):
    """How the leader settles the unfilled teams of a chain."""

    NORMAL = "normal"
    CANCEL = "cancel"
