"""The data model: every table of the leader's database, as SQLModel classes.

Money is integer cents (分); quantities and prices carry CHECK constraints so the database itself
refuses negatives. Datetimes are stored as UTC and read back timezone-aware.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, Index, String, UniqueConstraint, text
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

from tuan import clock


class AwareDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC ISO text and returns them aware (UTC).

    SQLite has no timezone type; naive values would silently lose the leader's zone.
    """

    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected datetime, got {type(value).__name__}")
        if value.tzinfo is None:
            raise ValueError("naive datetime: tuan stores timezone-aware times only")
        return value.astimezone(UTC).isoformat(timespec="seconds")

    def process_result_value(self, value: Any, dialect: Any) -> datetime | None:
        if value is None:
            return None
        parsed = datetime.fromisoformat(value)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _now() -> datetime:
    return clock.now().astimezone(UTC)


class Meta(SQLModel, table=True):
    """Key/value facts about the database itself (last daily backup, settings)."""

    key: str = Field(primary_key=True)
    value: str = ""


class Partner(SQLModel, table=True):
    """A gym or studio that shows a poster (合作点位)."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True)
    kind: str = ""
    address: str = ""
    contact: str = ""
    notes: str = ""
    code: str = Field(unique=True, index=True)
    created_at: datetime = Field(default_factory=_now, sa_type=AwareDateTime)


class Poster(SQLModel, table=True):
    """A printable QR poster for a partner (海报)."""

    id: int | None = Field(default=None, primary_key=True)
    partner_id: int = Field(foreign_key="partner.id", index=True)
    headline: str
    offer: str = ""
    brand: str = ""
    qr_payload: str = ""
    qr_image_path: str = ""
    qr_added_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    created_at: datetime = Field(default_factory=_now, sa_type=AwareDateTime)


class Member(SQLModel, table=True):
    """A customer in the leader's groups (团员)."""

    __table_args__ = (
        CheckConstraint("commission_bp >= 0 AND commission_bp <= 10000", name="ck_member_comm"),
        Index("ix_member_building_room", "building", "room"),
        Index("ix_member_joined", "joined_on", "source", "referrer_id", "partner_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    nickname: str = Field(index=True)
    name: str = ""
    building: str = ""
    room: str = ""
    phone: str = ""
    initials: str = Field(default="", index=True)
    source: str = "offline"  # partner | referral | live | offline
    partner_id: int | None = Field(default=None, foreign_key="partner.id", index=True)
    referrer_id: int | None = Field(default=None, foreign_key="member.id", index=True)
    is_koc: bool = False
    commission_bp: int = 0  # basis points: 1000 = 10%
    joined_on: date = Field(default_factory=clock.today)
    notes: str = ""


class MemberFigures(SQLModel, table=True):
    """What a member has done, one row per member: active orders, spend (their lines less
    refunds), first and last order, points balance. Kept by the database's own triggers
    (migration 15) on every write to members, orders, lines, refunds and points, never by the
    app; the members list reads its first page from the index on spend."""

    __tablename__ = "member_figures"
    __table_args__ = (Index("ix_member_figures_spend", text("spend_cents DESC"), "member_id"),)

    member_id: int = Field(foreign_key="member.id", primary_key=True, ondelete="CASCADE")
    order_count: int = 0
    spend_cents: int = 0
    first_order_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    last_order_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    points: int = 0


class Tag(SQLModel, table=True):
    """A label on members; automatic tags come from a rule."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    rule_id: int | None = Field(default=None, foreign_key="tagrule.id")


class MemberTag(SQLModel, table=True):
    """Which member wears which tag."""

    member_id: int = Field(foreign_key="member.id", primary_key=True, ondelete="CASCADE")
    tag_id: int = Field(foreign_key="tag.id", primary_key=True, index=True, ondelete="CASCADE")


class TagRule(SQLModel, table=True):
    """A rule the leader can see and change that tags members automatically."""

    id: int | None = Field(default=None, primary_key=True)
    kind: str  # bought_item | dormant | high_value_dormant
    tag_name: str
    param_text: str = ""  # item name for bought_item
    days: int = 0
    min_spend_cents: int = 0
    enabled: bool = True


class PickupPoint(SQLModel, table=True):
    """Where goods are collected (自提点)."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    address: str = ""


class Chain(SQLModel, table=True):
    """One group buy (接龙)."""

    id: int | None = Field(default=None, primary_key=True)
    title: str
    description: str = ""
    status: str = Field(default="draft", index=True)  # draft | open | closed | done
    deadline: datetime | None = Field(default=None, sa_type=AwareDateTime)
    pickup_point_id: int | None = Field(default=None, foreign_key="pickuppoint.id")
    pickup_start: datetime | None = Field(default=None, sa_type=AwareDateTime)
    pickup_end: datetime | None = Field(default=None, sa_type=AwareDateTime)
    last_group: str = ""  # the WeChat group the leader last imported a copy from
    created_at: datetime = Field(default_factory=_now, sa_type=AwareDateTime)


class ChainItem(SQLModel, table=True):
    """A product (and spec) offered in a chain."""

    __table_args__ = (
        CheckConstraint("price_cents >= 0", name="ck_item_price"),
        CheckConstraint(
            "original_price_cents IS NULL OR original_price_cents >= 0", name="ck_item_orig"
        ),
        CheckConstraint("limit_per_person IS NULL OR limit_per_person > 0", name="ck_item_limit"),
        CheckConstraint("stock IS NULL OR stock >= 0", name="ck_item_stock"),
        CheckConstraint("cost_cents IS NULL OR cost_cents >= 0", name="ck_item_cost"),
        CheckConstraint("team_size IS NULL OR team_size >= 2", name="ck_item_team_size"),
        CheckConstraint(
            "team_price_cents IS NULL OR team_price_cents > 0", name="ck_item_team_price"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    chain_id: int = Field(foreign_key="chain.id", index=True, ondelete="CASCADE")
    position: int = 0
    code: str = ""  # one-letter menu code: A, B, C
    name: str
    spec: str = ""
    price_cents: int
    # False: the chain text gave no price (`price_cents` is 0 until the leader sets it; orders
    # taken meanwhile get the price then). Amounts with it show 待定 and stay out of GMV.
    price_known: bool = True
    original_price_cents: int | None = None
    limit_per_person: int | None = None
    stock: int | None = None  # None: unlimited
    aliases: str = ""  # space-separated short names: 套装 亚麻
    cost_cents: int | None = None  # 成本价, what one unit costs the leader; None: not entered
    # 拼团: a team item sells at `team_price_cents` to the members of a full team of `team_size`
    # people (None: not a team item). See `domain/shared/teams.py`.
    team_size: int | None = None
    team_price_cents: int | None = None


class Order(SQLModel, table=True):
    """One member's entry in a chain (接龙条目)."""

    __tablename__ = "orders"
    __table_args__ = (
        UniqueConstraint("chain_id", "seq", name="uq_order_chain_seq"),
        CheckConstraint("seq > 0", name="ck_order_seq"),
        Index("ix_order_member", "member_id"),
        Index("uq_order_group_seq", "chain_id", "group_name", "group_seq", unique=True),
        Index("ix_orders_member_figures", "member_id", "status", "created_at", "lines_cents"),
        Index("ix_orders_chain_totals", "chain_id", "status", "lines_qty", "lines_cents"),
    )

    id: int | None = Field(default=None, primary_key=True)
    chain_id: int = Field(foreign_key="chain.id", index=True, ondelete="CASCADE")
    seq: int  # unique in the chain; the number shown is `group_seq` in a named group
    # One chain posted in several WeChat groups: each group's copy keeps its own numbering.
    # The chain's first group is '' (every order made before groups existed), numbered by seq.
    group_name: str = ""
    group_seq: int | None = None
    member_id: int = Field(foreign_key="member.id")
    status: str = "active"  # active | cancelled
    paid: bool = False
    note: str = ""
    leader_note: str = ""
    raw: str = ""  # the line as imported, to compare on re-import
    channel: str = "manual"  # manual | import | live
    livestream_id: int | None = Field(default=None, foreign_key="livestream.id", index=True)
    created_at: datetime = Field(default_factory=_now, sa_type=AwareDateTime)
    updated_at: datetime = Field(default_factory=_now, sa_type=AwareDateTime)
    # Its lines' pieces, and what they came to (quantity x unit price, before refunds): kept by
    # the database's own triggers on every write to a line (migration 13), never by the app,
    # so they cannot drift.
    lines_qty: int = 0
    lines_cents: int = 0


class OrderLine(SQLModel, table=True):
    """Item × quantity within an order, with the unit price captured when ordered."""

    __table_args__ = (
        CheckConstraint("qty > 0", name="ck_line_qty"),
        CheckConstraint("unit_price_cents >= 0", name="ck_line_price"),
        CheckConstraint("collected_qty >= 0 AND collected_qty <= qty", name="ck_line_collected"),
    )

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="orders.id", index=True, ondelete="CASCADE")
    item_id: int = Field(foreign_key="chainitem.id", index=True)
    qty: int
    unit_price_cents: int
    collected_qty: int = 0
    flash_sale_id: int | None = Field(default=None, foreign_key="flashsale.id", index=True)
    gift: str = ""


class Payment(SQLModel, table=True):
    """Money received for an order (付款): from a WeChat Pay or Alipay bill, or marked by hand.

    An order is paid (`Order.paid`) once its payments cover its amount
    (`domain/shared/payments.settle_paid`). One transfer that pays several orders (a
    household's) is one row per order: the first holds the bill's 交易单号, the others point
    at it (`part_of`), so the 交易单号 stays unique and a bill imported twice changes nothing.
    """

    __table_args__ = (CheckConstraint("amount_cents > 0", name="ck_payment_amount"),)

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="orders.id", index=True, ondelete="CASCADE")
    amount_cents: int
    method: str = "wechat"  # wechat | alipay | cash | other
    source: str = "manual"  # bill | manual
    paid_at: datetime = Field(default_factory=_now, sa_type=AwareDateTime)
    trade_no: str | None = Field(default=None, unique=True, index=True)  # the bill's 交易单号
    part_of: int | None = Field(
        default=None, foreign_key="payment.id", index=True, ondelete="CASCADE"
    )
    payer: str = ""  # the payer's nickname as the bill shows it
    note: str = ""
    created_at: datetime = Field(default_factory=_now, sa_type=AwareDateTime)


class Livestream(SQLModel, table=True):
    """One live session (直播) with its run-of-show and, afterwards, its summary."""

    __table_args__ = (
        CheckConstraint("peak_viewers >= 0 AND viewers >= 0", name="ck_live_viewers"),
    )

    id: int | None = Field(default=None, primary_key=True)
    series: str = ""
    episode: int = 1
    theme: str
    host: str = ""
    scheduled_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    status: str = "planned"  # planned | live | ended
    chain_id: int | None = Field(default=None, foreign_key="chain.id")
    started_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    current_segment: int = 0
    viewers: int = 0
    peak_viewers: int = 0
    summary_json: str = ""  # stored summary once the live has ended


class Segment(SQLModel, table=True):
    """One row of the run-of-show (环节)."""

    __table_args__ = (CheckConstraint("planned_minutes >= 0", name="ck_segment_minutes"),)

    id: int | None = Field(default=None, primary_key=True)
    livestream_id: int = Field(foreign_key="livestream.id", index=True, ondelete="CASCADE")
    position: int = 0
    title: str
    planned_minutes: int = 5
    talking_points: str = ""
    item_id: int | None = Field(default=None, foreign_key="chainitem.id")
    started_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=AwareDateTime)


class FlashSale(SQLModel, table=True):
    """A live-only price for an item in a window, with a cap and maybe a first-N gift (秒杀)."""

    __table_args__ = (
        CheckConstraint("live_price_cents >= 0", name="ck_flash_price"),
        CheckConstraint("cap IS NULL OR cap > 0", name="ck_flash_cap"),
        CheckConstraint("gift_count >= 0", name="ck_flash_gift"),
        CheckConstraint("start_minute >= 0", name="ck_flash_start"),
    )

    id: int | None = Field(default=None, primary_key=True)
    livestream_id: int = Field(foreign_key="livestream.id", index=True, ondelete="CASCADE")
    item_id: int = Field(foreign_key="chainitem.id")
    live_price_cents: int
    start_minute: int = 0  # offset into the live
    end_minute: int | None = None
    segment_id: int | None = Field(default=None, foreign_key="segment.id")
    cap: int | None = None
    gift_name: str = ""
    gift_count: int = 0
    started_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    stopped_at: datetime | None = Field(default=None, sa_type=AwareDateTime)


class Reminder(SQLModel, table=True):
    """A follow-up due on a date, with its message ready to copy (跟进提醒)."""

    id: int | None = Field(default=None, primary_key=True)
    member_id: int | None = Field(default=None, foreign_key="member.id", index=True)
    due_on: date = Field(index=True)
    kind: str = "manual"  # manual | after_order | dormant | referral | uncollected | recurring
    title: str = ""
    message: str = ""
    status: str = Field(default="open", index=True)  # open | done
    rule_key: str | None = Field(default=None, unique=True)  # makes rule runs idempotent
    order_id: int | None = Field(default=None, foreign_key="orders.id")
    created_at: datetime = Field(default_factory=_now, sa_type=AwareDateTime)
    done_at: datetime | None = Field(default=None, sa_type=AwareDateTime)


class ReminderRule(SQLModel, table=True):
    """A rule that creates reminders; the leader can see and change it."""

    id: int | None = Field(default=None, primary_key=True)
    kind: str  # after_order | dormant | referral | uncollected | recurring
    days: int = 7
    weekday: int | None = None  # recurring: 0 = Monday
    item_text: str = ""  # after_order: only orders containing this item ('' = any)
    template: str = ""
    enabled: bool = True


class PointsEntry(SQLModel, table=True):
    """One append-only line of a member's points ledger (会员积分)."""

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    delta: int
    reason: str = ""
    order_id: int | None = Field(default=None, foreign_key="orders.id")
    created_at: datetime = Field(default_factory=_now, sa_type=AwareDateTime)


class ChannelSpend(SQLModel, table=True):
    """Money spent on bringing new members through one channel in one month (获客投入)."""

    __table_args__ = (CheckConstraint("amount_cents > 0", name="ck_spend_amount"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str  # partner | referral | koc | live (AcquisitionChannel)
    month: str = Field(max_length=7, index=True)  # YYYY-MM
    amount_cents: int
    note: str = ""
    created_at: datetime = Field(default_factory=_now, sa_type=AwareDateTime)


class Refund(SQLModel, table=True):
    """A whole or partial refund of one order line (退款/售后): pieces and/or money back.

    `qty` pieces are not handed out at pickup; `amount_cents` comes off the order's amount, its
    GMV and what the member owes (`domain/shared/refunds.py`). An amount-only refund (`qty` 0)
    makes up for something without taking pieces back.
    """

    __table_args__ = (
        CheckConstraint(
            "qty >= 0 AND amount_cents >= 0 AND (qty > 0 OR amount_cents > 0)",
            name="ck_refund_amount",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="orders.id", index=True, ondelete="CASCADE")
    line_id: int = Field(foreign_key="orderline.id", index=True, ondelete="CASCADE")
    qty: int = 0
    amount_cents: int = 0
    reason: str = "other"  # RefundReason: bad_fruit | short | quality | other
    refunded_on: date = Field(default_factory=clock.today)
    note: str = ""
    created_at: datetime = Field(default_factory=_now, sa_type=AwareDateTime)


class Coupon(SQLModel, table=True):
    """A coupon a member holds (券): an amount off an order, from a minimum spend, until a day.

    Issued by hand or by a rule (a referral reward for both sides, a wake-up coupon from the
    dormant rule; `rule_key` makes each rule's coupon once only). Redeemed against one order
    (`order_id`, `redeemed_at`): that order then owes its lines less the coupon, never below 0
    (`domain/shared/coupons.py`). Expired is not stored: a coupon not redeemed by the end of
    `expires_on` is expired, read from the date.
    """

    __table_args__ = (
        CheckConstraint("amount_cents > 0", name="ck_coupon_amount"),
        CheckConstraint("min_spend_cents >= 0", name="ck_coupon_min"),
        CheckConstraint("expires_on >= issued_on", name="ck_coupon_dates"),
    )

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    amount_cents: int
    min_spend_cents: int = 0  # 0: 无门槛
    issued_on: date = Field(default_factory=clock.today)
    expires_on: date = Field(index=True)  # usable through this day
    reason: str = ""
    origin: str = "manual"  # referral | wake_up | manual | other
    rule_key: str | None = Field(default=None, unique=True, index=True)
    order_id: int | None = Field(
        default=None, foreign_key="orders.id", unique=True, index=True, ondelete="SET NULL"
    )
    redeemed_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    created_at: datetime = Field(default_factory=_now, sa_type=AwareDateTime)


class Team(SQLModel, table=True):
    """One 拼团 team of a team item: opened by a member (named after them: 王阿姨的团), full
    at the item's team size. `status`: open | formed | normal | cancelled (the last two: an
    unfilled team settled by the leader at the normal price, or with its orders cancelled)."""

    id: int | None = Field(default=None, primary_key=True)
    chain_id: int = Field(foreign_key="chain.id", index=True, ondelete="CASCADE")
    item_id: int = Field(foreign_key="chainitem.id", index=True, ondelete="CASCADE")
    leader_id: int = Field(foreign_key="member.id")
    name: str
    status: str = "open"
    created_at: datetime = Field(default_factory=_now, sa_type=AwareDateTime)
    formed_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    settled_at: datetime | None = Field(default=None, sa_type=AwareDateTime)


class TeamMember(SQLModel, table=True):
    """An order in a team (one team per order and team item)."""

    team_id: int = Field(foreign_key="team.id", primary_key=True, ondelete="CASCADE")
    order_id: int = Field(foreign_key="orders.id", primary_key=True, index=True, ondelete="CASCADE")
    joined_at: datetime = Field(default_factory=_now, sa_type=AwareDateTime)


# Migration 0011: orders by when they were placed and last changed (the dashboard reads only the
# orders since its stored closed months, and asks whether an older one changed: two ranges).
Index("ix_orders_created_at", Order.__table__.c.created_at)  # type: ignore[attr-defined]
Index("ix_orders_updated_at", Order.__table__.c.updated_at)  # type: ignore[attr-defined]
# Migration 0012: points balances are summed from the index alone (member, amount).
_points = PointsEntry.__table__.c  # type: ignore[attr-defined]
Index("ix_pointsentry_member_delta", _points.member_id, _points.delta)
