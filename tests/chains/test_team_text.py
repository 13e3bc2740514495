"""拼团 in the chain text: `跟王阿姨的团` read out of entry lines, the team header line, and the
round trip: the exported text imported as a new chain gives the same teams."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.chains.team_fixtures import make_team_shop, order
from tuan.cli import app
from tuan.db import Database
from tuan.domain.chains.export import export_chain
from tuan.domain.chains.header import parse_item_line
from tuan.domain.chains.parse import parse_chain
from tuan.domain.shared.team_words import TeamRef, split_team_words
from tuan.domain.shared.teams import chain_teams

runner = CliRunner()


@pytest.mark.parametrize(
    ("text", "rest", "refs"),
    [
        ("李叔 3-502 大米×1 跟王阿姨的团", "李叔 3-502 大米×1", (TeamRef("王阿姨"),)),
        ("李叔 大米1 跟王阿姨", "李叔 大米1", (TeamRef("王阿姨"),)),
        ("参团王阿姨 大米2", "大米2", (TeamRef("王阿姨"),)),
        ("李叔 大米1 跟王阿姨的团（不要葱）", "李叔 大米1 （不要葱）", (TeamRef("王阿姨"),)),
        ("小周 开团 大米1", "小周 大米1", (TeamRef(new=True),)),
        ("小周 跟王阿姨的团2 大米1", "小周 大米1", (TeamRef("王阿姨的团2"),)),
        ("小周 跟团 大米1", "小周 大米1", ()),  # no name: filled in order
        ("小周 大米1 跟李叔 跟王阿姨", "小周 大米1", (TeamRef("李叔"), TeamRef("王阿姨"))),
        ("王阿姨 大米1", "王阿姨 大米1", ()),
        ("小跟班 大米1", "小跟班 大米1", ()),  # 跟 inside a name is not a team
    ],
)
def test_team_words_are_read_out_of_a_line(text: str, rest: str, refs: tuple[TeamRef, ...]) -> None:
    assert split_team_words(text) == (rest, refs)


def test_the_team_header_line_gives_size_and_price() -> None:
    item = parse_item_line("A. 大米 5kg ¥89，3人成团 ¥79，已成团 4 个，王阿姨的团还差 1 人 每人限2")
    assert item is not None
    assert (item.name, item.spec, item.price_cents, item.limit) == ("大米", "5kg", 8900, 2)
    assert (item.team_size, item.team_price_cents) == (3, 7900)
    plain = parse_item_line("B. 花生油 ¥59（原价¥69）")
    assert plain is not None and (plain.team_size, plain.team_price_cents) == (None, None)
    one = parse_item_line("C. 鸡蛋 ¥20，1人成团 ¥10")  # a team of one is no team
    assert one is not None and one.team_size is None


def test_a_pasted_entry_keeps_its_team_out_of_name_and_note() -> None:
    parsed = parse_chain(
        "#接龙\n第1期\nA. 大米 5kg ¥89，3人成团 ¥79\n\n"
        "1. 王阿姨 3-1202 大米×1 开团\n2. 李叔 5-302 大米×1 跟王阿姨的团（周六取）\n"
    )
    first, second = parsed.entries
    assert (first.name, first.note, first.teams) == ("王阿姨", "", (TeamRef(new=True),))
    assert (second.name, second.note, second.teams) == ("李叔", "周六取", (TeamRef("王阿姨"),))
    assert parsed.header.items[0].team_size == 3


def _teams(db: Database, chain_id: int) -> set[tuple[str, str, frozenset[str]]]:
    with db.session() as s:
        return {(t.name, t.status, frozenset(t.members)) for t in chain_teams(s, chain_id)}


def test_export_shows_the_teams_and_importing_it_makes_the_same_teams(
    db: Database, tmp_path: Path
) -> None:
    shop = make_team_shop(db)
    with db.transaction() as s:
        order(s, shop, "王阿姨", {shop.rice: 1})
        order(s, shop, "李叔", {shop.rice: 1, shop.eggs: 2})
        order(s, shop, "小周", {shop.rice: 1, shop.oil: 1})
        order(s, shop, "陈晨", {shop.rice: 2})
        order(s, shop, "张姐", {shop.oil: 1}, TeamRef(new=True))
    with db.session() as s:
        text = export_chain(s, shop.chain).text
    assert "A. 大米 5kg ¥89，3人成团 ¥79，已成团 1 个，陈晨的团还差 2 人" in text
    assert "B. 花生油 ¥59，2人成团 ¥49，小周的团还差 1 人，张姐的团还差 1 人" in text
    assert "1. 王阿姨 3-1202 大米×1 开团" in text
    assert "2. 李叔 5-302 大米×1 鸡蛋×2 跟王阿姨的团" in text
    assert "3. 小周 6-101 大米×1 花生油×1 跟王阿姨的团 开团" in text
    path = tmp_path / "chain.txt"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["--db", db.target, "chain", "import", str(path), "--yes",
                                 "--json"])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    new_id = json.loads(result.stdout)["chain"]["id"]
    assert new_id != shop.chain
    assert _teams(db, new_id) == _teams(db, shop.chain)
    with db.session() as s:  # and the copy's text says the same
        again = export_chain(s, new_id).text
    assert again.split("\n", 2)[2] == text.split("\n", 2)[2]


def test_import_json_lists_each_line_s_team_words(tmp_path: Path) -> None:
    text = (
        "#接龙\n第1期\nA. 大米 5kg ¥89，3人成团 ¥79\n\n"
        "1. 王阿姨 3-1202 大米×1 开团\n2. 李叔 5-302 大米×1 跟王阿姨的团\n3. 小周 6-101 大米×1\n"
    )
    path = tmp_path / "tuan.db"
    result = runner.invoke(
        app, ["--db", str(path), "chain", "import", "-", "--dry-run", "--json"], input=text
    )
    assert result.exit_code == 0, result.output
    entries = json.loads(result.stdout)["entries"]
    assert [e["teams"] for e in entries] == [
        [{"team": "", "new": True}],
        [{"team": "王阿姨的团", "new": False}],
        [],
    ]
