"""The polite 催款 message for an order still unpaid, ready to copy into WeChat.

`王阿姨您好，第72期 健康粮油团 您的 健康厨房入门套装×1 共¥199 还未付款，方便时微信转账即可，谢谢～`;
an order paid in part says what came and what is left; one with a coupon says what the coupon took
off (`共¥199，用券抵¥20，应付¥179`). The message is to a neighbour, so it is
Chinese whatever the interface language.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from tuan.domain.pickup.checklist import CheckRow, checklist, items_text, pickup_chain
from tuan.domain.shared.errors import DomainError
from tuan.domain.shared.member_match import plain_nickname
from tuan.domain.shared.money import format_money
from tuan.i18n import N_


class RemindChainError(DomainError, LookupError):
    """The chain to write 催款 messages for does not exist."""

    code = "remind.chain"
    field = "chain"


@dataclass(frozen=True)
class PayReminder:
    """One unpaid order and its message."""

    order_id: int
    number: str
    nickname: str
    owed_cents: int
    message: str

    def as_dict(self) -> dict[str, object]:
        """The JSON object of `tuan pickup remind-pay --json`."""
        return {
            "order_id": self.order_id,
            "number": self.number,
            "member": self.nickname,
            "owed_cents": self.owed_cents,
            "message": self.message,
        }


def unpaid_reminders(
    session: Session, chain_id: int, order_ids: list[int] | None = None
) -> list[PayReminder]:
    """A message for each unpaid order of the chain (or of these orders), as the pickup list
    orders them.

    Raises:
        RemindChainError: no chain has this id.
    """
    chain = pickup_chain(session, chain_id)
    if chain is None:
        raise RemindChainError(N_("找不到接龙 {id}"), id=chain_id)
    rows = checklist(session, chain_id, order_ids)
    return [
        PayReminder(
            row.order_id, row.number, row.nickname, row.owed_cents, message(chain.title, row)
        )
        for row in rows
        if row.owed_cents > 0 and not row.unpriced  # no message asks for a price not set yet
    ]


def message(chain_title: str, row: CheckRow) -> str:
    """The message for one order of the pickup list (see the module)."""
    # i18n-keep: a message to a neighbour, Chinese in every interface language
    name = plain_nickname(row.nickname)
    items = items_text(row, with_collected=False, gifts=False)
    if row.coupon_cents > 0:
        # i18n-keep: a message to a neighbour
        items += f" 共{format_money(row.amount_cents)}，用券抵{format_money(row.coupon_cents)}，"
        items += f"应付{format_money(row.due_cents)}"  # i18n-keep: a message to a neighbour
        if row.received_cents > 0:
            # i18n-keep: a message to a neighbour
            return (
                f"{name}您好，{chain_title} 您的 {items}，已收{format_money(row.received_cents)}，"
                f"还差{format_money(row.owed_cents)}，方便时微信转账即可，谢谢～"
            )
        # i18n-keep: a message to a neighbour
        return f"{name}您好，{chain_title} 您的 {items} 还未付款，方便时微信转账即可，谢谢～"
    if row.received_cents > 0:
        # i18n-keep: a message to a neighbour
        return (
            f"{name}您好，{chain_title} 您的 {items} 共{format_money(row.amount_cents)}，"
            f"已收{format_money(row.received_cents)}，还差{format_money(row.owed_cents)}，"
            "方便时微信转账即可，谢谢～"
        )
    # i18n-keep: a message to a neighbour
    return (
        f"{name}您好，{chain_title} 您的 {items} 共{format_money(row.owed_cents)} 还未付款，"
        "方便时微信转账即可，谢谢～"
    )
