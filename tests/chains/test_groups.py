"""One chain posted in several WeChat groups: each group's copy comes back on its own.

Each group keeps its own numbering; re-importing one group's copy adds, updates and removes only
that group's entries; the same member in two groups is flagged; pickup and exports show the group.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.chains.fixtures import make_shop, view_of
from tuan.cli import app
from tuan.db import Database
from tuan.domain.chains.entries import chain_view
from tuan.domain.chains.export import export_chain
from tuan.domain.chains.groups import chain_groups
from tuan.domain.chains.import_apply import apply_plan
from tuan.domain.chains.import_draft import build_draft
from tuan.domain.chains.import_plan import Decisions, plan_import
from tuan.domain.pickup.checklist import checklist
from tuan.domain.pickup.export_data import ExportOptions, load_export, text_lines
from tuan.domain.pickup.search import row_matcher

GROUP_A = """#接龙
绿源生活｜第1期 冷榨油团

1. 王阿姨 3-1202 套装1
2. 小李 5-601 亚麻2
3. 李阿姨 2-301 橄榄油1
"""
GROUP_B = """#接龙
绿源生活｜第1期 冷榨油团

1. 孙阿姨 8-101 套装1
2. 钱叔叔 8-102 橄榄油2
"""
runner = CliRunner()


def _import(db: Database, text: str, chain_id: int, group: str = "", yes: bool = False):
    with db.transaction() as session:
        draft = build_draft(session, text, chain_id, group)
        plan = plan_import(draft, Decisions(later_wins=yes, cancel_removed=yes))
        result = apply_plan(session, draft, plan)
    return plan, result


def _numbers(db: Database, chain_id: int) -> list[tuple[str, str, str]]:
    with db.session() as session:
        view = chain_view(session, chain_id)
    assert view is not None
    return [(e.number, e.nickname, e.status) for e in view.entries]


def test_a_second_group_keeps_its_own_numbers_and_leaves_the_first_alone(db: Database) -> None:
    shop = make_shop(db)
    _import(db, GROUP_A, shop.chain)
    plan, result = _import(db, GROUP_B, shop.chain, "二群", yes=True)
    assert [row.action for row in plan.rows] == ["add", "add"]  # nothing of group A is `remove`
    assert result.summary == {"added": 2, "updated": 0, "unchanged": 0, "removed": 0}
    assert _numbers(db, shop.chain) == [
        ("1", "王阿姨", "active"),
        ("2", "小李", "active"),
        ("3", "李阿姨", "active"),
        ("二群 1", "孙阿姨", "active"),
        ("二群 2", "钱叔叔", "active"),
    ]


def test_re_importing_one_group_touches_only_that_group(db: Database) -> None:
    shop = make_shop(db)
    _import(db, GROUP_A, shop.chain)
    _import(db, GROUP_B, shop.chain, "二群")
    _again, result = _import(db, GROUP_B, shop.chain, "二群")
    assert result.summary == {"added": 0, "updated": 0, "unchanged": 2, "removed": 0}
    shorter = GROUP_B.replace("2. 钱叔叔 8-102 橄榄油2\n", "")
    plan, result = _import(db, shorter + "2. 周大爷 7-504 亚麻1\n", shop.chain, "二群", yes=True)
    assert sorted(row.action for row in plan.rows) == ["add", "remove", "unchanged"]
    assert result.summary["removed"] == 1
    statuses = {number: status for number, _name, status in _numbers(db, shop.chain)}
    assert statuses["二群 2"] == "cancelled" and statuses["二群 3"] == "active"
    assert [statuses[n] for n in ("1", "2", "3")] == ["active"] * 3  # the first group untouched


def test_the_same_member_in_two_groups_is_flagged(db: Database) -> None:
    shop = make_shop(db)
    _import(db, GROUP_A, shop.chain)
    plan, _result = _import(db, "#接龙\n第1期\n\n1. 王阿姨 3-1202 亚麻1\n", shop.chain, "二群")
    row = plan.rows[0]
    assert row.action == "add" and row.status == "review"
    assert any("首发群也接了" in reason and "第 1 条" in reason for reason in row.reasons)


def test_each_group_gets_its_own_filled_text_and_one_opening_post(db: Database) -> None:
    shop = make_shop(db)
    _import(db, GROUP_A, shop.chain)
    _import(db, GROUP_B, shop.chain, "二群")
    with db.session() as session:
        first = export_chain(session, shop.chain).text
        second = export_chain(session, shop.chain, group="二群").text
        opening = export_chain(session, shop.chain, with_entries=False, group="二群").text
    assert "1. 王阿姨 3-1202 套装" in first and "孙阿姨" not in first
    assert "1. 孙阿姨 8-101" in second and "王阿姨 3-1202 套装" not in second
    assert "孙阿姨" not in opening and "王阿姨 3-1202 套装" not in opening
    # Each group's text imports back into its own group without a change.
    plan, _result = _import(db, second, shop.chain, "二群")
    assert [row.action for row in plan.rows] == ["unchanged", "unchanged"]


def test_pickup_and_its_exports_show_the_group(db: Database) -> None:
    shop = make_shop(db)
    _import(db, GROUP_A, shop.chain)
    _import(db, GROUP_B, shop.chain, "二群")
    with db.session() as session:
        rows = checklist(session, shop.chain)
        data = load_export(session, shop.chain)
    assert sorted(row.number for row in rows) == ["1", "2", "3", "二群 1", "二群 2"]
    text = "\n".join(text_lines(data, ExportOptions("txt")))
    assert "#二群 1" in text and "#1 " in text
    matcher = row_matcher("2")
    assert matcher is not None
    assert sorted(row.number for row in rows if matcher(row)) == ["2", "二群 2"]


def test_the_chain_remembers_and_offers_its_groups(db: Database) -> None:
    shop = make_shop(db)
    _import(db, GROUP_A, shop.chain)
    _import(db, GROUP_B, shop.chain, "二群")
    with db.session() as session:
        groups = chain_groups(session, shop.chain)
    assert groups.last == "二群"
    assert groups.names == ("", "二群")


@pytest.mark.sqlite_only
def test_the_cli_imports_and_exports_per_group(demo_path: Path, tmp_path: Path) -> None:
    copy = tmp_path / "二群.txt"
    text = "#接龙\n第72期\n\n1. 孙阿姨 8-101 套装1\n2. 钱叔叔 8-102 橄榄油2\n3. 韦强 1-602 茶油1\n"
    copy.write_text(text, encoding="utf-8")
    db = ["--db", str(demo_path)]
    before = runner.invoke(app, [*db, "chain", "export", "72"]).stdout
    result = runner.invoke(app, [*db, "chain", "import", str(copy), "--chain", "72",
                                 "--group", "二群", "--yes", "--json"])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert '"group": "二群"' in result.stdout and '"removed": 0' in result.stdout
    after = runner.invoke(app, [*db, "chain", "export", "72"]).stdout
    # The first group's entries are as they were; only the 拼团 line, which counts the teams of
    # every group, moved: 钱叔叔's olive oil filled the team still open.
    assert _entries(after) == _entries(before)
    assert "已成团 2 个" in after and "已成团 1 个，魏哥的团还差 1 人" in before
    second = runner.invoke(app, [*db, "chain", "export", "72", "--group", "二群"]).stdout
    assert "3. 韦强 1-602" in second
    too_long = runner.invoke(app, [*db, "chain", "import", str(copy), "--chain", "72",
                                   "--group", "群" * 30])  # fmt: skip
    assert too_long.exit_code == 2 and "群名最多" in too_long.stderr


@pytest.mark.sqlite_only
async def test_the_import_screen_offers_the_groups_and_imports_into_the_one_typed(
    demo_path: Path,
) -> None:
    from textual import events
    from textual.widgets import Input, Static, TextArea

    from tests.helpers import settle
    from tuan.db import open_database
    from tuan.tui.app import TuanApp
    from tuan.tui.chains.import_ import ChainImportScreen

    database = open_database(demo_path)
    _import(database, "#接龙\n第72期\n\n1. 孙阿姨 8-101 套装1\n", 72, "二群")
    database.close()
    app = TuanApp(str(demo_path))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        app.push_screen(ChainImportScreen(72))
        await settle(app, pilot)
        field = app.screen.query_one("#import-group", Input)
        assert field.value == "二群", "the group last imported from is filled in"
        offered = str(app.screen.query_one("#import-groups", Static).render())
        assert "首发群" in offered and "二群" in offered
        field.value = "三群"
        pasted = "#接龙\n第72期\n\n1. 钱叔叔 8-102 橄榄油2\n"
        app.screen.query_one("#import-text", TextArea).post_message(events.Paste(pasted))
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot, rounds=4)
        await pilot.press("ctrl+s")
        await settle(app, pilot, rounds=4)
    database = open_database(demo_path)
    with database.session() as session:
        numbers = [e.number for e in view_of(session, 72).entries]
    database.close()
    assert "三群 1" in numbers and "二群 1" in numbers and "1" in numbers


@pytest.mark.parametrize("end", ["\n", "\r", "\r\n"])  # a terminal (tmux) may send `\r`
async def test_a_chain_pasted_into_the_group_field_lands_in_the_text_box(
    tmp_path: Path, end: str
) -> None:
    from textual import events
    from textual.widgets import Input, TextArea

    from tests.helpers import settle
    from tuan.db import open_database
    from tuan.tui.app import TuanApp
    from tuan.tui.chains.import_ import ChainImportScreen

    path = tmp_path / "tuan.db"
    open_database(path).close()
    app = TuanApp(str(path))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        app.push_screen(ChainImportScreen(None))
        await settle(app, pilot)
        field = app.screen.query_one("#import-group", Input)
        field.focus()
        await settle(app, pilot)
        pasted = "#接龙\n西瓜 今天到\n1. 295-909 西瓜2\n"
        field.post_message(events.Paste(pasted.replace("\n", end)))
        await settle(app, pilot)
        text_area = app.screen.query_one("#import-text", TextArea)
        assert field.value == ""
        assert text_area.text.strip() == pasted.strip()
        assert text_area.has_focus
        field.focus()
        field.post_message(events.Paste("二群"))  # a group's name still goes in the field
        await settle(app, pilot)
        assert field.value == "二群"


def _entries(text: str) -> list[str]:
    return [line for line in text.splitlines() if line[:1].isdigit()]
