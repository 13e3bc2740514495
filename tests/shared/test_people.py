"""Finding a member from what a leader types: nickname, room, pinyin initials, phone tail."""

from __future__ import annotations

import pytest

from tuan.db import Database
from tuan.domain.shared.people import (
    MemberDraft,
    MemberError,
    create_member,
    find_members,
    mask_phone,
    pinyin_initials,
)
from tuan.domain.shared.rooms import find_room, parse_room


@pytest.fixture
def neighbours(db: Database) -> Database:
    with db.transaction() as s:
        create_member(s, MemberDraft("王阿姨", "3", "1202", "13812341234"))
        create_member(s, MemberDraft("汪洋", "5", "1202"))
        create_member(s, MemberDraft("小李", "3", "502"))
        create_member(s, MemberDraft("🌸Lily", "12", "1103"))
    return db


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("王阿姨", "王阿姨"),
        ("阿姨", "王阿姨"),
        ("way", "王阿姨"),
        ("3-1202", "王阿姨"),
        ("3号楼1202", "王阿姨"),
        ("5-1202", "汪洋"),
        ("1234", "王阿姨"),
        ("Lily", "🌸Lily"),
        ("xl", "小李"),
        ("502", "小李"),
    ],
)
def test_finds_the_member_the_leader_means(neighbours: Database, typed: str, first: str) -> None:
    with neighbours.session() as s:
        found = find_members(s, typed)
    assert found and found[0].nickname == first


def test_initials_match_in_order_not_only_as_prefix(neighbours: Database) -> None:
    with neighbours.session() as s:
        found = [m.nickname for m in find_members(s, "wy")]
    assert found == ["汪洋", "王阿姨"], "exact initials first, then 王阿姨 (w-a-y)"


def test_bare_room_finds_every_building(neighbours: Database) -> None:
    with neighbours.session() as s:
        assert {m.nickname for m in find_members(s, "1202")} == {"王阿姨", "汪洋"}


def test_nothing_matches_nonsense(neighbours: Database) -> None:
    with neighbours.session() as s:
        assert find_members(s, "不存在的人") == []


def test_pinyin_initials() -> None:
    assert pinyin_initials("王阿姨") == "way"
    assert pinyin_initials("🌸Lily") == "lily"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("3-1202", "3-1202"),
        ("3号楼1202", "3-1202"),
        ("3栋1单元1202", "3-1-1202"),
        ("3#502", "3-502"),
        ("１２－１１０３", "12-1103"),
        ("1202", "1202"),
        ("三号楼1202", "3-1202"),
        ("十二栋 602", "12-602"),
        ("3号楼-1202", "3-1202"),
        ("3栋/1202", "3-1202"),
    ],
)
def test_rooms_in_many_shapes(text: str, label: str) -> None:
    room = parse_room(text)
    assert room is not None and room.label == label


def test_room_found_inside_a_line_leaves_the_rest() -> None:
    room, rest = find_room("王阿姨 3号楼1202 套装2")
    assert room is not None and room.label == "3-1202"
    assert rest.split() == ["王阿姨", "套装2"]


def test_new_member_details_are_checked(db: Database) -> None:
    with db.transaction() as s:
        with pytest.raises(MemberError, match="昵称不能为空"):
            create_member(s, MemberDraft("  "))
        with pytest.raises(MemberError, match="手机号格式不对"):
            create_member(s, MemberDraft("张三", phone="12ab"))


def test_phone_masking() -> None:
    assert mask_phone("13812341234") == "138****1234"
    assert mask_phone("") == ""
