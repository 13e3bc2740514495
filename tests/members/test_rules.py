"""The rules engine on a small hand-checked neighbourhood, at the frozen 2026-11-26 (a Thursday).

The town (all orders at 10:00 local time):
- 王阿姨 3-1202: 10-01 大米×1 (¥89); 11-19 亚麻籽油×1 (¥69).
- 小李 (KOC 12%): 11-22 橄榄油×2 (¥178), not paid yet.
- 张姐: 09-20 大米×2 (¥178), nothing since (67 days).
- 老周: 07-01 大米×7 (¥623), nothing since (148 days).
- 新邻居, referred by 小李: 11-10 小米×1 (¥39) in a chain that is done (complete).
- 路人: one cancelled order on 11-20 (亚麻籽油).
- 新人: never ordered.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from sqlmodel import Session, col, select

from tuan.db import Database
from tuan.domain.members.rules import run_rules
from tuan.domain.shared.people import pinyin_initials
from tuan.models import (
    Chain,
    ChainItem,
    Member,
    MemberTag,
    Order,
    OrderLine,
    PointsEntry,
    Reminder,
    ReminderRule,
    Tag,
    TagRule,
)

TZ = datetime.fromisoformat("2026-11-26T10:00:00+08:00").tzinfo
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=TZ)
PRODUCTS = {
    "rice": ("有机五常大米", 8900, "大米"),
    "linseed": ("冷榨亚麻籽油", 6900, "亚麻籽油 亚麻"),
    "olive": ("冷榨橄榄油", 8900, "橄榄油"),
    "millet": ("有机黄小米", 3900, "小米"),
}


def at(month: int, day: int) -> datetime:
    """10:00 local time on a day of 2026."""
    return datetime(2026, month, day, 10, 0, tzinfo=TZ)


def _chain(s: Session, title: str, status: str, keys: list[str]) -> dict[str, int]:
    chain = Chain(title=title, status=status, created_at=at(1, 1))
    s.add(chain)
    s.flush()
    items = {}
    for position, key in enumerate(keys):
        name, price, aliases = PRODUCTS[key]
        item = ChainItem(
            chain_id=chain.id or 0, position=position, name=name, price_cents=price, aliases=aliases
        )
        s.add(item)
        s.flush()
        items[key] = item.id or 0
    items["chain"] = chain.id or 0
    return items


def _member(s: Session, nickname: str, **extra: Any) -> int:
    member = Member(nickname=nickname, initials=pinyin_initials(nickname), **extra)
    s.add(member)
    s.flush()
    return member.id or 0


def _order(s: Session, chain: dict[str, int], member_id: int, when: datetime, **lines: int) -> int:
    status = "cancelled" if lines.pop("cancelled", 0) else "active"
    paid = not lines.pop("unpaid", 0)
    seq = len(s.exec(select(Order).where(col(Order.chain_id) == chain["chain"])).all()) + 1
    order = Order(
        chain_id=chain["chain"], seq=seq, member_id=member_id, status=status, paid=paid,
        created_at=when, updated_at=when,
    )  # fmt: skip
    s.add(order)
    s.flush()
    for key, qty in lines.items():
        price = PRODUCTS[key][1]
        s.add(
            OrderLine(order_id=order.id or 0, item_id=chain[key], qty=qty, unit_price_cents=price)
        )
    s.flush()
    return order.id or 0


def build_town(db: Database) -> dict[str, int]:
    """The neighbourhood above; returns member and order ids by name."""
    ids: dict[str, int] = {}
    with db.transaction() as s:
        summer = _chain(s, "夏季大米团", "done", ["rice"])
        autumn = _chain(s, "亚麻籽油团", "done", ["linseed", "millet"])
        latest = _chain(s, "橄榄油团", "closed", ["olive"])
        ids["wang"] = _member(s, "王阿姨", building="3", room="1202", phone="13812341234")
        ids["xiaoli"] = _member(
            s, "小李", is_koc=True, commission_bp=1200, building="3", room="502"
        )
        ids["zhang"] = _member(s, "张姐", building="5", room="601")
        ids["zhou"] = _member(s, "老周", building="1", room="101")
        ids["new"] = _member(s, "新邻居", source="referral", referrer_id=ids["xiaoli"])
        ids["passer"] = _member(s, "路人")
        ids["fresh"] = _member(s, "新人")
        ids["o_wang_rice"] = _order(s, summer, ids["wang"], at(10, 1), rice=1)
        ids["o_wang"] = _order(s, autumn, ids["wang"], at(11, 19), linseed=1)
        ids["o_xiaoli"] = _order(s, latest, ids["xiaoli"], at(11, 22), olive=2, unpaid=1)
        ids["o_zhang"] = _order(s, summer, ids["zhang"], at(9, 20), rice=2)
        ids["o_zhou"] = _order(s, summer, ids["zhou"], at(7, 1), rice=7)
        ids["o_new"] = _order(s, autumn, ids["new"], at(11, 10), millet=1)
        ids["o_passer"] = _order(s, autumn, ids["passer"], at(11, 20), linseed=1, cancelled=1)
    return ids


@pytest.fixture
def town(db: Database) -> dict[str, int]:
    return build_town(db)


def _open(db: Database) -> list[Reminder]:
    with db.session() as s:
        return list(s.exec(select(Reminder).order_by(col(Reminder.rule_key))))


def _tagged(db: Database) -> dict[str, set[int]]:
    with db.session() as s:
        rows = s.exec(select(Tag.name, MemberTag.member_id).join(MemberTag)).all()
    found: dict[str, set[int]] = {}
    for name, member_id in rows:
        found.setdefault(name, set()).add(member_id)
    return found


def test_reminders_on_the_hand_checked_town(db: Database, town: dict[str, int]) -> None:
    with db.transaction() as s:
        report = run_rules(s, NOW)
    made = {r.rule_key: r for r in _open(db)}
    assert set(made) == {
        f"after_order:1:{town['o_wang']}",  # 11-19 + 7 = today
        f"after_order:1:{town['o_xiaoli']}",  # 11-22 + 7 = 11-29, three days ahead
        f"after_order:1:{town['o_new']}",  # 11-10 + 7 = 11-17, inside the 14-day lookback
        f"after_order:2:{town['o_wang']}",  # the linseed rule: 11-19 + 3
        f"dormant:3:{town['zhang']}:2026-09-20",  # 09-20 + 60 = 11-19
        f"referral:4:{town['new']}:referrer",
        f"referral:4:{town['new']}:friend",
        "recurring:6:2026-11-25",  # Wednesdays in the window
        "recurring:6:2026-12-02",
    }
    assert len(report.reminders) == 9
    wang = made[f"after_order:1:{town['o_wang']}"]
    assert wang.due_on == date(2026, 11, 26) and wang.member_id == town["wang"]
    assert wang.message == "您的冷榨亚麻籽油用得还顺手吗？这是我们为您搭配的一周食谱"
    assert made[f"after_order:2:{town['o_wang']}"].message.startswith(
        "王阿姨，亚麻籽油富含 Omega-3"
    )
    assert made[f"dormant:3:{town['zhang']}:2026-09-20"].message.startswith("张姐，60天没见啦")
    referrer = made[f"referral:4:{town['new']}:referrer"]
    assert referrer.member_id == town["xiaoli"] and referrer.due_on == date(2026, 11, 26)
    assert referrer.message == (
        "小李，感谢您推荐新邻居入群！您和好友各得一张 ¥50 无门槛券，12月26日前下单可用"
    )
    friend = made[f"referral:4:{town['new']}:friend"]
    assert friend.member_id == town["new"] and "¥50 无门槛券" in friend.message
    assert "小李" in friend.message
    assert made["recurring:6:2026-11-25"].title == "周三食谱分享"


def test_tags_from_rules(db: Database, town: dict[str, int]) -> None:
    with db.transaction() as s:
        report = run_rules(s, NOW)
    assert _tagged(db) == {
        "买过亚麻籽油": {town["wang"]},  # 路人's linseed order was cancelled
        "沉睡60天": {town["zhang"], town["zhou"]},
        "高价值沉睡": {town["zhou"]},  # 148 days and ¥623 spent; 张姐 is only 67 days
    }
    assert [(t.tag, t.added) for t in report.tags] == [
        ("买过亚麻籽油", 1),
        ("沉睡60天", 2),
        ("高价值沉睡", 1),
    ]


def test_running_twice_changes_nothing(db: Database, town: dict[str, int]) -> None:
    with db.transaction() as s:
        first = run_rules(s, NOW)
    with db.transaction() as s:
        second = run_rules(s, NOW)
    assert first.changed and not second.changed
    assert second.reminders == [] and second.points_orders == 0
    assert len(_open(db)) == 9


def test_done_and_snoozed_reminders_never_come_back(db: Database, town: dict[str, int]) -> None:
    from tuan.domain.members.reminders import mark_done, snooze

    with db.transaction() as s:
        run_rules(s, NOW)
    first, second = _open(db)[:2]
    with db.transaction() as s:
        mark_done(s, first.id or 0)
        snooze(s, second.id or 0, 3)
    with db.transaction() as s:
        assert run_rules(s, NOW).reminders == []
    by_id = {r.id: r for r in _open(db)}
    assert by_id[first.id].status == "done"
    assert by_id[second.id].due_on == date(2026, 11, 29)


def test_a_returning_member_loses_the_dormant_tag(db: Database, town: dict[str, int]) -> None:
    with db.transaction() as s:
        run_rules(s, NOW)
    with db.transaction() as s:
        chain = s.exec(select(Chain).where(col(Chain.title) == "橄榄油团")).one()
        item = s.exec(select(ChainItem).where(col(ChainItem.chain_id) == chain.id)).one()
        _order(
            s, {"chain": chain.id or 0, "olive": item.id or 0}, town["zhou"], at(11, 25), olive=1
        )
    with db.transaction() as s:
        report = run_rules(s, NOW)
    assert town["zhou"] not in _tagged(db).get("沉睡60天", set())
    assert ("沉睡60天", 0, 1) in [(t.tag, t.added, t.removed) for t in report.tags]


def test_disabled_rules_make_nothing_and_clear_their_tags(
    db: Database, town: dict[str, int]
) -> None:
    with db.transaction() as s:
        run_rules(s, NOW)
        for rule in s.exec(select(TagRule)).all():
            rule.enabled = False
            s.add(rule)
        for reminder_rule in s.exec(select(ReminderRule)).all():
            reminder_rule.enabled = False
            s.add(reminder_rule)
    with db.transaction() as s:
        report = run_rules(s, NOW + (NOW - at(11, 19)))  # a week later
    assert report.reminders == []
    assert _tagged(db) == {}


def test_order_points_are_earned_once_and_taken_back_on_cancel(
    db: Database, town: dict[str, int]
) -> None:
    with db.transaction() as s:
        report = run_rules(s, NOW)
    assert report.points_orders == 5  # every paid, active order; 小李 has not paid yet
    with db.session() as s:
        wang = s.exec(select(PointsEntry).where(col(PointsEntry.member_id) == town["wang"])).all()
    assert sorted(e.delta for e in wang) == [69, 89]
    with db.transaction() as s:
        order = s.get(Order, town["o_wang"])
        assert order is not None
        order.status = "cancelled"
        s.add(order)
    with db.transaction() as s:
        again = run_rules(s, NOW)
    assert again.points_reversed == 1 and again.points_orders == 0
    with db.session() as s:
        deltas = s.exec(
            select(PointsEntry.delta).where(col(PointsEntry.order_id) == town["o_wang"])
        ).all()
    assert sorted(deltas) == [-69, 69], "the ledger keeps the award and adds the reversal"


def test_unknown_placeholders_do_not_stop_a_run(db: Database, town: dict[str, int]) -> None:
    with db.transaction() as s:
        rule = s.get(ReminderRule, 1)
        assert rule is not None
        rule.template = "{nmae}您好，{product}怎么样？{ 还有 {"
        s.add(rule)
    with db.transaction() as s:
        run_rules(s, NOW)
    made = {r.rule_key: r for r in _open(db)}
    assert (
        made[f"after_order:1:{town['o_wang']}"].message
        == "{nmae}您好，冷榨亚麻籽油怎么样？{ 还有 {"
    )


def test_startup_hook_runs_the_rules(db: Database, town: dict[str, int]) -> None:
    from tuan.tui import startup

    startup.on_database_open(db)
    report = startup.last_report()
    assert report is not None and len(report.reminders) == 9
    assert startup.last_error() == ""


def test_the_demo_was_made_by_the_rules(demo_db: Database) -> None:
    with demo_db.session() as s:
        auto = {t.name: t.rule_id for t in s.exec(select(Tag).where(col(Tag.rule_id).is_not(None)))}
        assert auto == {"买过亚麻籽油": 1, "沉睡60天": 2, "高价值沉睡": 3}
        keys = s.exec(select(Reminder.rule_key).where(col(Reminder.rule_key).is_not(None))).all()
    assert {k.split(":")[0] for k in keys if k} >= {
        "after_order",
        "dormant",
        "referral",
        "recurring",
    }
    with demo_db.transaction() as s:
        again = run_rules(s, NOW)
    assert again.reminders == [] and not any(t.added or t.removed for t in again.tags)
