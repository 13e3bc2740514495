"""The reminder inbox: groups, done, snooze, manual reminders, due dates and templates."""

from __future__ import annotations

import contextlib
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tuan.db import Database
from tuan.domain.members.reminders import (
    ReminderError,
    create_reminder,
    due_counts,
    fill_template,
    inbox,
    mark_done,
    member_reminders,
    parse_due,
    reopen,
    snooze,
)
from tuan.models import Member

TODAY = date(2026, 11, 26)  # a Thursday


@pytest.fixture
def notes(db: Database) -> dict[str, int]:
    with db.transaction() as s:
        wang = Member(nickname="王阿姨")
        s.add(wang)
        s.flush()
        made = {
            "late": create_reminder(s, due_on=date(2026, 11, 20), title="回电", member_id=wang.id),
            "today": create_reminder(s, due_on=TODAY, title="送样品", message="带三瓶小样"),
            "soon": create_reminder(s, due_on=date(2026, 11, 28), title="评奖"),
        }
        s.flush()
        return {k: r.id or 0 for k, r in made.items()} | {"wang": wang.id or 0}


def test_inbox_groups_overdue_today_and_upcoming(db: Database, notes: dict[str, int]) -> None:
    with db.session() as s:
        box = inbox(s, TODAY)
    assert [r.title for r in box.overdue] == ["回电"]
    assert box.overdue[0].member == "王阿姨"
    assert [r.title for r in box.today] == ["送样品"]
    assert [r.title for r in box.upcoming] == ["评奖"]


def test_the_members_list_counts_what_the_inbox_holds(db: Database, notes: dict[str, int]) -> None:
    with db.transaction() as s:
        create_reminder(s, due_on=date(2026, 11, 1), title="更早的回访")
        finished = create_reminder(s, due_on=date(2026, 11, 2), title="已完成")
        s.flush()
        mark_done(s, finished.id or 0)
    with db.session() as s:
        box = inbox(s, TODAY)
        counted = due_counts(s, TODAY)
        assert due_counts(s, date(2026, 11, 28)) == (3, 1), "two days later: 评奖 is due"
    assert counted == (len(box.overdue), len(box.today)) == (2, 1)


def test_done_leaves_the_inbox_and_can_be_undone(db: Database, notes: dict[str, int]) -> None:
    with db.transaction() as s:
        done = mark_done(s, notes["late"])
        assert done.done_at is not None
    with db.session() as s:
        assert inbox(s, TODAY).overdue == []
        assert [r.status for r in member_reminders(s, notes["wang"])] == ["done"]
    with db.transaction() as s:
        reopen(s, notes["late"])
    with db.session() as s:
        assert len(inbox(s, TODAY).overdue) == 1


@pytest.mark.parametrize(("days", "due"), [(1, date(2026, 11, 27)), (3, date(2026, 11, 29))])
def test_snooze_counts_from_today_even_when_overdue(
    db: Database, notes: dict[str, int], days: int, due: date
) -> None:
    with db.transaction() as s:
        assert snooze(s, notes["late"], days, TODAY).due_on == due
    with db.session() as s:
        box = inbox(s, TODAY)
    assert box.overdue == [] and "回电" in [r.title for r in box.upcoming]


def test_a_done_reminder_cannot_be_snoozed(db: Database, notes: dict[str, int]) -> None:
    with db.transaction() as s:
        mark_done(s, notes["today"])
    with db.transaction() as s, pytest.raises(ReminderError, match="已完成"):
        snooze(s, notes["today"], 7, TODAY)


def test_manual_reminder_needs_words(db: Database) -> None:
    with db.transaction() as s, pytest.raises(ReminderError, match="标题或消息"):
        create_reminder(s, due_on=TODAY, title="  ", message="")


def test_manual_reminder_for_an_unknown_member(db: Database) -> None:
    with db.transaction() as s, pytest.raises(ReminderError, match="找不到团员"):
        create_reminder(s, due_on=TODAY, title="回电", member_id=999)


@pytest.mark.parametrize(
    ("typed", "due"),
    [
        ("今天", TODAY),
        ("明天", date(2026, 11, 27)),
        ("后天", date(2026, 11, 28)),
        ("3天后", date(2026, 11, 29)),
        ("+7", date(2026, 12, 3)),
        ("三天", date(2026, 11, 29)),
        ("十二天后", date(2026, 12, 8)),
        ("一百天后", date(2027, 3, 6)),
        ("12-01", date(2026, 12, 1)),
        ("12月1日", date(2026, 12, 1)),
        ("１２－０１", date(2026, 12, 1)),
        ("2027-01-15", date(2027, 1, 15)),
        ("1-5", date(2027, 1, 5)),  # January is next year's
        ("周三", date(2026, 12, 2)),  # today is Thursday: the coming Wednesday
        ("周四", TODAY),
        ("下周一", date(2026, 12, 7)),
        ("星期日", date(2026, 11, 29)),
    ],
)
def test_due_dates_as_leaders_type_them(typed: str, due: date) -> None:
    assert parse_due(typed, TODAY) == due


@pytest.mark.parametrize("typed", ["", "下下周", "2-30", "13-01", "abc"])
def test_unreadable_due_dates_say_how_to_write_them(typed: str) -> None:
    with pytest.raises(ReminderError):
        parse_due(typed, TODAY)


def test_templates_fill_what_they_know_and_keep_the_rest() -> None:
    values = {"name": "王阿姨", "product": "亚麻籽油", "days": 7}
    assert fill_template("{name}，{product}用了{days}天", values) == "王阿姨，亚麻籽油用了7天"
    assert fill_template("{friend}和{name}", values) == "{friend}和王阿姨"
    assert fill_template("{ {} }}{{name}", values) == "{ {} }}{王阿姨"


@settings(max_examples=150)
@given(st.text())
def test_no_template_makes_filling_raise(template: str) -> None:
    fill_template(template, {"name": "王阿姨", "days": 3})


@settings(max_examples=150)
@given(st.text(max_size=12))
def test_no_text_makes_parse_due_raise_anything_but_reminder_error(text: str) -> None:
    with contextlib.suppress(ReminderError):
        parse_due(text, TODAY)
