"""The demo's follow-ups: overdue, due today and upcoming, as the rules would have made them."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from tuan.domain import demo_story as story
from tuan.models import ChainItem, Order, OrderLine, Reminder

if TYPE_CHECKING:
    from tuan.domain.demo import DemoBuilder


def add_reminders(builder: DemoBuilder) -> None:
    """After-order follow-ups, wake-ups, referral rewards and the weekly recipe."""
    today = builder.today
    items = {row["id"]: row for row in builder.rows.tables[ChainItem]}
    lines_by_order: dict[int, list[dict]] = {}
    for line in builder.rows.tables[OrderLine]:
        lines_by_order.setdefault(line["order_id"], []).append(line)
    members = {m["id"]: m for m in builder.members}
    recent = [
        o for o in builder.rows.tables[Order] if 4 <= (today - o["created_at"].date()).days <= 12
    ]
    per_day: dict[object, int] = {}
    for order in recent:
        due = order["created_at"].date() + timedelta(days=7)
        per_day[due] = per_day.get(due, 0) + 1
        if per_day[due] > (2 if due < today else 4):
            continue
        product = items[lines_by_order[order["id"]][0]["item_id"]]["name"]
        _add(
            builder,
            order["member_id"],
            due,
            "after_order",
            f"一周回访：{product}",
            story.FOLLOW_UP.format(product=product),
            f"after_order:1:{order['id']}",
            order["id"],
        )
    dormant = [m for m in builder.members if m["id"] not in builder.first_order][:6]
    for offset, member in enumerate(dormant):
        due = today - timedelta(days=1) + timedelta(days=offset % 3)
        _add(
            builder,
            member["id"],
            due,
            "dormant",
            "沉睡唤醒",
            story.WAKE_UP.format(name=member["nickname"]),
            f"dormant:3:{member['id']}",
            None,
        )
    referrers = [m for m in builder.members if m["referrer_id"]][:4]
    for offset, member in enumerate(referrers):
        referrer = members[member["referrer_id"]]
        _add(
            builder,
            referrer["id"],
            today + timedelta(days=offset - 1),
            "referral",
            "老带新奖励",
            story.REFERRAL_REWARD.format(name=referrer["nickname"]),
            f"referral:{member['id']}",
            None,
        )
    days_to_wednesday = (2 - today.weekday()) % 7
    _add(
        builder,
        None,
        today + timedelta(days=days_to_wednesday),
        "recurring",
        "周三食谱分享",
        story.RECIPE_WEDNESDAY,
        f"recurring:6:{today + timedelta(days=days_to_wednesday)}",
        None,
    )
    _add(
        builder,
        builder.members[1]["id"],
        today - timedelta(days=3),
        "manual",
        "回电：问发票",
        "张姐上次问能不能开发票，回个电话说明一下",
        None,
        None,
    )


def _add(
    builder: DemoBuilder,
    member_id: int | None,
    due,
    kind: str,
    title: str,
    message: str,
    rule_key: str | None,
    order_id: int | None,
) -> None:
    builder.rows.add(
        Reminder,
        member_id=member_id,
        due_on=due,
        kind=kind,
        title=title,
        message=message,
        status="open",
        rule_key=rule_key,
        order_id=order_id,
        created_at=builder.at(builder.today - timedelta(days=1), 8),
        done_at=None,
    )
