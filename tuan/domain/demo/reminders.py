"""The demo's follow-ups and automatic tags, made by the real rules engine.

The demo's rows are written to a scratch in-memory database, `run_rules` runs there as it would
on the leader's first morning, and what it made (reminders, automatic tags) joins the demo. Most
overdue follow-ups are then marked done, as a leader who keeps up would have; a few stay overdue,
and a few manual reminders are added, so overdue, today and upcoming all have something.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select

from tuan.domain.shared.sql import table_of
from tuan.models import Coupon, MemberTag, Meta, PointsEntry, Reminder, Tag

if TYPE_CHECKING:
    from tuan.db import Database
    from tuan.domain.demo.builder import DemoBuilder

KEEP_OVERDUE_PER_KIND = 2
# nickname, days from today, title, message
MANUAL = [
    ("张姐", -3, "回电：问发票", "张姐上次问能不能开发票，回个电话说明一下"),
    (
        "小李",
        0,
        "给小李送直播样品",
        "把《家庭用油指南》样书和三瓶小样送到3-1202，顺便谢谢她带来的邻居",
    ),
]
MONTHLY_AWARD = ("评选本月最佳厨艺奖", "在群里投票选出本月最佳厨艺奖，获奖者加 200 积分")


def add_reminders(builder: DemoBuilder) -> None:
    """Rule-made reminders and tags, then the leader's own notes."""
    made = _run_rules_on(builder)
    for tag in builder.rows.tables[Tag]:
        tag.setdefault("rule_id", None)  # a bulk insert takes its columns from the first row
    for tag in made["tags"]:
        builder.rows.add(Tag, **tag)
    for membership in made["member_tags"]:
        builder.rows.add(MemberTag, **membership)
    for row in _keep_up(builder, made["reminders"]):
        builder.rows.add(Reminder, **row)
    for row in made["coupons"]:  # the wake-up and referral coupons given with the reminders
        builder.rows.add(Coupon, **row)
    _manual(builder)


def _scratch(builder: DemoBuilder) -> Database:
    from tuan.db import open_database
    from tuan.domain.demo.builder import INSERT_ORDER, complete_rows

    database = open_database("sqlite://")
    with database.engine.begin() as conn:
        for model in INSERT_ORDER:
            batch = complete_rows(model, builder.rows.tables.get(model, []))
            # Rules read members, tags, chains and orders; points made here are thrown away.
            if model in (Meta, Reminder, PointsEntry, MemberTag, Coupon) or not batch:
                continue
            for start in range(0, len(batch), 5000):
                conn.execute(insert(table_of(model)), batch[start : start + 5000])
    return database


def _run_rules_on(builder: DemoBuilder) -> dict[str, list[dict[str, Any]]]:
    from tuan.domain.members.rules import run_rules

    database = _scratch(builder)
    known_tags = {row["id"] for row in builder.rows.tables[Tag]}
    with database.transaction() as session:
        run_rules(session, builder.at(builder.today, 8), award_points=False)
    with database.engine.connect() as conn:
        tags = [dict(r._mapping) for r in conn.execute(select(table_of(Tag)))]
        new_tags = [t for t in tags if t["id"] not in known_tags]
        new_ids = [t["id"] for t in new_tags]
        member_tag = table_of(MemberTag)
        memberships = conn.execute(select(member_tag).where(member_tag.c.tag_id.in_(new_ids)))
        member_tags = [dict(r._mapping) for r in memberships]
        reminder_table = table_of(Reminder)
        reminders = conn.execute(select(reminder_table).order_by(reminder_table.c.id))
        made = [{k: v for k, v in r._mapping.items() if k != "id"} for r in reminders]
        coupon_table = table_of(Coupon)
        given = conn.execute(select(coupon_table).order_by(coupon_table.c.id))
        coupons = [{k: v for k, v in r._mapping.items() if k != "id"} for r in given]
    database.close()
    return {"tags": new_tags, "member_tags": member_tags, "reminders": made, "coupons": coupons}


def _keep_up(builder: DemoBuilder, reminders: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Mark overdue reminders done, except the latest few of each kind."""
    today = builder.today
    kept: dict[str, int] = {}
    for row in sorted(reminders, key=lambda r: (r["due_on"], r["rule_key"]), reverse=True):
        if row["due_on"] >= today:
            continue
        kept[row["kind"]] = kept.get(row["kind"], 0) + 1
        if kept[row["kind"]] > KEEP_OVERDUE_PER_KIND:
            row["status"] = "done"
            row["done_at"] = builder.at(row["due_on"], 20)
    return reminders


def _manual(builder: DemoBuilder) -> None:
    """The leader's own notes: one overdue, one for today, one coming up."""
    today = builder.today
    by_nickname = {m["nickname"]: m["id"] for m in builder.members}
    month_end = date(today.year + today.month // 12, today.month % 12 + 1, 1) - timedelta(days=1)
    month_end = max(month_end, today + timedelta(days=1))
    notes = [
        (by_nickname.get(nickname), today + timedelta(days=offset), title, message)
        for nickname, offset, title, message in MANUAL
    ]
    notes.append((None, month_end, *MONTHLY_AWARD))
    for member_id, due, title, message in notes:
        builder.rows.add(
            Reminder,
            member_id=member_id,
            due_on=due,
            kind="manual",
            title=title,
            message=message,
            status="open",
            rule_key=None,
            order_id=None,
            created_at=builder.at(today - timedelta(days=4), 21),
            done_at=None,
        )
