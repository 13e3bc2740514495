"""The form that gives a member a coupon (发券): amount, minimum spend, how long, why."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input

from tuan.i18n import N_, _
from tuan.tui.shared.form import FormScreen
from tuan.tui.shared.host import tuan_app


class CouponFormScreen(FormScreen[str | None]):
    """Issue a coupon by hand; closes with the notification text, or None when backed out."""

    TITLE_TEXT = N_("发券")

    def __init__(self, member_id: int, nickname: str) -> None:
        super().__init__()
        self.member_id = member_id
        self.TITLE_TEXT = _("发券：{name}").format(name=nickname)

    def compose_fields(self) -> ComposeResult:
        amount = Input("", placeholder=_("例如 20 或 19.9"), compact=True)
        yield from self.field("amount", _("金额"), amount)
        least = Input("", placeholder=_("满多少可用，不填为无门槛"), compact=True)
        yield from self.field("min_spend", _("门槛"), least)
        expires = Input("30", placeholder=_("天数，或日期 2027-01-31、12-31"), compact=True)
        yield from self.field("expires", _("有效期"), expires)
        reason = Input("", placeholder=_("例如 生日券、补偿少发"), compact=True)
        yield from self.field("reason", _("原因"), reason)

    def on_mount(self) -> None:
        self.query_one("#f-amount", Input).focus()

    def save(self) -> None:
        self.save_in_thread(
            self._write,
            self.value("amount"),
            self.value("min_spend"),
            self.value("expires"),
            self.value("reason"),
        )

    def _write(self, amount: str, min_spend: str, expires: str, reason: str) -> str:
        """Issue the coupon (in the save worker); a `CouponError` names the field to fix."""
        from tuan import clock
        from tuan.domain.members.coupons import (
            issue_coupon,
            read_amount,
            read_expiry,
            read_min_spend,
        )
        from tuan.domain.shared.coupons import coupon_offer

        today = clock.today()
        cents = read_amount(amount)
        least = read_min_spend(min_spend)
        last = read_expiry(expires or "30", today)
        with tuan_app(self).db.transaction() as session:
            coupon = issue_coupon(
                session, self.member_id, cents, min_spend_cents=least, expires_on=last,
                reason=reason, issued_on=today,
            )  # fmt: skip
            number = coupon.id
        offer = coupon_offer(cents, least, last)
        return _("已发券 #{id}：{offer}").format(id=number, offer=offer)
