"""The members list (search and filters), a member's page, tags and validated edits."""

from __future__ import annotations

from typing import Any

import pytest

from tests.members.test_rules import NOW, build_town
from tuan.db import Database
from tuan.domain.members.edit import MemberForm, MemberFormError, form_for, save_member
from tuan.domain.members.listing import (
    MemberFilter,
    list_members,
    member_stats,
    spend_ranking,
    top_spenders,
)
from tuan.domain.members.page import member_page
from tuan.domain.members.rules import run_rules
from tuan.domain.members.tags import (
    TagError,
    add_tag,
    all_tags,
    member_tags,
    remove_tag,
    toggle_tag,
)
from tuan.domain.members.text import member_summary
from tuan.domain.shared.sql import table_of
from tuan.models import Member, Tag


@pytest.fixture
def town(db: Database) -> dict[str, int]:
    ids = build_town(db)
    with db.transaction() as s:
        run_rules(s, NOW)
    return ids


def _names(db: Database, **chosen: Any) -> list[str]:
    with db.session() as s:
        rows, total = list_members(s, filters=MemberFilter(**chosen))
    assert total == len(rows)
    return [r.nickname for r in rows]


def test_list_is_biggest_spender_first_with_figures(db: Database, town: dict[str, int]) -> None:
    with db.session() as s:
        rows, total = list_members(s)
    assert total == 7
    assert [r.nickname for r in rows[:3]] == ["老周", "小李", "张姐"]
    wang = next(r for r in rows if r.nickname == "王阿姨")
    assert (wang.orders, wang.ltv_cents, wang.points) == (2, 15800, 158)
    assert wang.tags == ("买过亚麻籽油",)
    passer = next(r for r in rows if r.nickname == "路人")
    assert passer.orders == 0 and passer.ltv_cents == 0, "a cancelled order does not count"


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [
        ({"query": "way"}, ["王阿姨"]),
        ({"query": "3-1202"}, ["王阿姨"]),
        ({"query": "1234"}, ["王阿姨"]),  # phone tail
        ({"query": "邻居"}, ["新邻居"]),
        ({"source": "referral"}, ["新邻居"]),
        ({"koc_only": True}, ["小李"]),
        ({"dormant_days": 60}, ["老周", "张姐"]),
        ({"dormant_days": 90}, ["老周"]),
        ({"never_ordered": True}, ["路人", "新人"]),
        ({"query": "x", "koc_only": True}, ["小李"]),
    ],
)
def test_search_and_filters(
    db: Database, town: dict[str, int], chosen: dict, expected: list[str]
) -> None:
    assert _names(db, **chosen) == expected


@pytest.mark.parametrize("limit", [1, 3, 7, 100])
@pytest.mark.parametrize(
    "chosen",
    [{}, {"query": "x"}, {"query": "a"}, {"source": "referral"}, {"koc_only": True},
     {"dormant_days": 60}, {"never_ordered": True}, {"query": "nobody"}],
)  # fmt: skip
def test_the_spending_ranking_gives_the_same_list(
    db: Database, town: dict[str, int], chosen: dict, limit: int
) -> None:
    """What the screen asks with the ranking read once is what a plain search answers:
    the same members in the same order (spenders first, then the others by id), same count."""
    with db.session() as s:
        stats = member_stats(s)
        ranking = spend_ranking(stats)
        plain = list_members(s, limit=limit, filters=MemberFilter(**chosen), stats=stats)
        ranked = list_members(
            s, limit=limit, filters=MemberFilter(**chosen), stats=stats, ranking=ranking
        )
    assert ranked == plain
    assert [stats[m].ltv_cents for m in ranking] == sorted(
        (v.ltv_cents for v in stats.values() if v.ltv_cents > 0), reverse=True
    )


def test_the_first_page_from_the_index_is_the_list_itself(
    db: Database, town: dict[str, int]
) -> None:
    """The unfiltered first page, read without every member's figures, is what the list shows;
    when the page goes on past those who spent anything it is left to the list."""
    with db.session() as s:
        spenders = len(spend_ranking(member_stats(s)))
        assert spenders >= 3
        for limit in range(1, spenders + 1):
            assert top_spenders(s, limit) == list_members(s, limit=limit)
        assert top_spenders(s, spenders + 1) is None


def test_filter_by_tag(db: Database, town: dict[str, int]) -> None:
    with db.session() as s:
        tags = {t.name: t for t in all_tags(s)}
    assert tags["高价值沉睡"].auto and tags["高价值沉睡"].members == 1
    assert _names(db, tag_id=tags["沉睡60天"].id) == ["老周", "张姐"]


def test_tags_add_toggle_remove(db: Database, town: dict[str, int]) -> None:
    wang = town["wang"]
    with db.transaction() as s:
        tag = add_tag(s, wang, "#宝妈 ")
        add_tag(s, wang, "宝妈")  # twice is still once
    with db.session() as s:
        assert [t.name for t in member_tags(s, wang)] == ["宝妈", "买过亚麻籽油"]
    with db.transaction() as s:
        assert toggle_tag(s, wang, tag.id or 0) is False
        assert toggle_tag(s, wang, tag.id or 0) is True
        remove_tag(s, wang, tag.id or 0)
    with db.session() as s:
        assert [t.name for t in member_tags(s, wang)] == ["买过亚麻籽油"]


def test_automatic_tags_are_left_to_their_rules(db: Database, town: dict[str, int]) -> None:
    with db.transaction() as s:
        tags = table_of(Tag)
        auto = s.execute(tags.select().where(tags.c.name == "沉睡60天")).one()
        with pytest.raises(TagError, match="自动标签"):
            toggle_tag(s, town["zhang"], auto.id)
        with pytest.raises(TagError, match="自动标签"):
            add_tag(s, town["wang"], "沉睡60天")


def test_member_page_has_history_points_reminders_and_referrals(
    db: Database, town: dict[str, int]
) -> None:
    with db.session() as s:
        wang = member_page(s, town["wang"])
        xiaoli = member_page(s, town["xiaoli"])
    assert [o.items for o in wang.orders] == ["冷榨亚麻籽油×1", "有机五常大米×1"]
    assert wang.ltv_cents == 15800 and wang.last_order_at == NOW.replace(day=19)
    assert wang.points is not None and wang.points.balance == 158
    assert [r.kind for r in wang.reminders] == ["after_order", "after_order"]
    assert wang.member.phone == "13812341234"
    assert xiaoli.tree is not None and [c.nickname for c in xiaoli.tree.children] == ["新邻居"]
    assert xiaoli.commission[-1].month == "2026-11"
    assert xiaoli.commission[-1].gmv_cents == 3900 and xiaoli.commission[-1].commission_cents == 468
    text = "\n".join(member_summary(wang))
    assert "13812341234" in text and "¥158" in text and "买过亚麻籽油(自动)" in text


def test_edit_with_validation(db: Database, town: dict[str, int]) -> None:
    with db.session() as s:
        member = s.get(Member, town["zhang"])
        assert member is not None
        form = form_for(s, member)
    assert form.room == "5-601"
    bad = MemberForm(nickname="张姐", room="五楼", phone="1381234", commission="x")
    with db.transaction() as s, pytest.raises(MemberFormError) as caught:
        save_member(s, bad, town["zhang"])
    assert set(caught.value.check.errors) == {"room", "phone"}
    good = MemberForm(nickname="张姐", room="6号楼 1101", phone="138-1234-0000", source="partner")
    with db.transaction() as s:
        saved = save_member(s, good, town["zhang"])
    assert (saved.building, saved.room, saved.phone) == ("6", "1101", "13812340000")


def test_duplicate_nickname_is_a_warning_to_confirm(db: Database, town: dict[str, int]) -> None:
    form = MemberForm(nickname="王阿姨", room="8-808")
    with db.transaction() as s, pytest.raises(MemberFormError) as caught:
        save_member(s, form)
    assert not caught.value.check.errors and "同名" in caught.value.check.warnings["nickname"]
    with db.transaction() as s:
        added = save_member(s, form, confirmed=True)
    assert added.initials == "way" and added.id is not None


def test_referrer_is_found_and_loops_are_refused(db: Database, town: dict[str, int]) -> None:
    with db.transaction() as s:
        saved = save_member(
            s, MemberForm(nickname="新人", source="referral", referrer="3-1202"), town["fresh"]
        )
        assert saved.referrer_id == town["wang"]
    loop = MemberForm(nickname="小李", is_koc=True, commission="12%", referrer="新邻居")
    with db.transaction() as s, pytest.raises(MemberFormError) as caught:
        save_member(s, loop, town["xiaoli"])
    assert "不能互为推荐人" in caught.value.check.errors["referrer"]


def test_koc_commission_is_read_as_a_percentage(db: Database, town: dict[str, int]) -> None:
    form = MemberForm(nickname="小李", is_koc=True, commission="12.5%")
    with db.transaction() as s:
        assert save_member(s, form, town["xiaoli"]).commission_bp == 1250
    with db.transaction() as s, pytest.raises(MemberFormError) as caught:
        save_member(s, MemberForm(nickname="小李", is_koc=True, commission="120%"), town["xiaoli"])
    assert "0% 到 100%" in caught.value.check.errors["commission"]
