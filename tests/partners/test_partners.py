"""Partners: the list with QR states, adding and editing, attribution, and the partners screen."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import select
from textual.widgets import DataTable, Input, Static
from typer.testing import CliRunner

from tests.helpers import settle
from tuan.cli import app
from tuan.db import Database
from tuan.domain.partners.posters import poster_spec
from tuan.domain.partners.sites import (
    PartnerDraft,
    PartnerError,
    assign_partner_source,
    list_partners,
    partner_members,
    save_partner,
    suggest_code,
)
from tuan.models import Member, Partner, Poster
from tuan.tui.app import TuanApp

runner = CliRunner()


def _member(db: Database, nickname: str) -> int:
    with db.session() as s:
        found = s.exec(select(Member).where(Member.nickname == nickname)).one()
        return found.id or 0


def test_demo_partners_with_their_qr_state(demo_db: Database) -> None:
    with demo_db.session() as s:
        rows = list_partners(s)
    assert [(r.code, r.qr_label, r.qr_urgent) for r in rows] == [
        ("YD01", "长期有效", False),
        ("LX02", "剩 1 天", True),
        ("TG03", "已过期 2 天", True),
        ("QY04", "长期有效", False),
        ("CG05", "长期有效", False),
    ]
    assert all(r.members > 0 and r.spend_cents > 0 and r.poster_at for r in rows)


def test_members_brought_match_the_count_newest_first(demo_db: Database) -> None:
    with demo_db.session() as s:
        rows = {r.id: r for r in list_partners(s)}
        brought = partner_members(s, 1)
        found = [s.get(Member, m.id) for m in brought]
        sources = {m.partner_id for m in found if m is not None}
        assert None not in found
    assert len(brought) == rows[1].members and sources == {1}
    assert [m.joined_on for m in brought] == sorted((m.joined_on for m in brought), reverse=True)
    assert sum(m.spend_cents for m in brought) == rows[1].spend_cents


def test_add_a_partner_with_a_typed_code(db: Database) -> None:
    with db.transaction() as s:
        partner = save_partner(s, PartnerDraft(name=" 悦动健身（阳光店） ", code="ｙｄ０１ "))
    assert (partner.name, partner.code) == ("悦动健身（阳光店）", "YD01")


def test_an_empty_code_gets_a_free_suggestion(demo_db: Database) -> None:
    with demo_db.transaction() as s:
        assert suggest_code(s, "悦动健身（滨江店）") == "YD06"
        partner = save_partner(s, PartnerDraft(name="莲心瑜伽（二店）", code=""))
    assert partner.code == "LX06"


@pytest.mark.parametrize(
    ("draft", "field", "words"),
    [
        (PartnerDraft(name="", code="AB01"), "name", "名称不能为空"),
        (PartnerDraft(name="新馆", code="YD01"), "code", "已经给了「悦动健身（阳光店）」"),
        (PartnerDraft(name="新馆", code="A-1"), "code", "字母或数字"),
        (PartnerDraft(name="新馆", code="AB01", address="路" * 81), "address", "地址太长"),
    ],
)
def test_bad_partner_details_are_refused_and_nothing_changes(
    demo_db: Database, draft: PartnerDraft, field: str, words: str
) -> None:
    with pytest.raises(PartnerError) as refused, demo_db.transaction() as s:
        save_partner(s, draft)
    assert refused.value.field == field and words in str(refused.value)
    with demo_db.session() as s:
        assert len(s.exec(select(Partner)).all()) == 5


def test_edit_keeps_the_partner_and_may_keep_its_own_code(demo_db: Database) -> None:
    with demo_db.transaction() as s:
        draft = PartnerDraft(name="悦动健身（阳光店）", code="YD01", address="阳光路99号")
        save_partner(s, draft, partner_id=1)
    with demo_db.session() as s:
        partner = s.get(Partner, 1)
        assert partner is not None and partner.address == "阳光路99号"
        assert poster_spec(s, 1).code == "YD01"


def test_assign_partner_source_from_a_code(demo_db: Database) -> None:
    xiaoli = _member(demo_db, "小李")
    with demo_db.session() as s:
        before = {r.code: r.members for r in list_partners(s)}
    with demo_db.transaction() as s:
        member = assign_partner_source(s, xiaoli, " qy04 ")
        assert (member.source, member.partner_id) == ("partner", 4)
    with demo_db.session() as s:
        after = {r.code: r.members for r in list_partners(s)}
        assert xiaoli in [m.id for m in partner_members(s, 4)]
    assert after["QY04"] == before["QY04"] + 1, "the partner view counts the member"


def test_assign_refuses_an_unknown_code_or_member(demo_db: Database) -> None:
    with pytest.raises(PartnerError, match="没有来源码为 ZZ99"), demo_db.transaction() as s:
        assign_partner_source(s, 1, "zz99")
    with pytest.raises(LookupError, match="找不到团员"), demo_db.transaction() as s:
        assign_partner_source(s, 99999, "YD01")


def test_cli_partner_list_and_assign(demo_path: Path) -> None:
    listed = json.loads(
        runner.invoke(app, ["--db", str(demo_path), "partner", "list", "--json"]).stdout
    )
    assert listed[2]["qr_status"] == "已过期 2 天" and listed[2]["qr_needs_attention"]
    done = runner.invoke(app, ["--db", str(demo_path), "partner", "assign", "1", "cg05"])
    assert done.exit_code == 0 and "CG05" in done.stderr
    refused = runner.invoke(app, ["--db", str(demo_path), "partner", "assign", "1", "NOPE"])
    assert refused.exit_code == 2 and "没有来源码为 NOPE" in refused.stderr


# The partners screen ------------------------------------------------------------------------


def _text(app: TuanApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def _open_partners(app: TuanApp, pilot) -> None:
    await settle(app, pilot)
    await pilot.press("6")
    await settle(app, pilot)


async def test_screen_shows_qr_state_members_and_preview(demo_path: Path) -> None:
    app = TuanApp(str(demo_path))
    async with app.run_test(size=(140, 40)) as pilot:
        await _open_partners(app, pilot)
        table = app.screen.query_one("#partner-table", DataTable)
        assert [str(table.get_row_at(i)[9]) for i in range(5)][1:3] == ["剩 1 天", "已过期 2 天"]
        assert "「悦动健身（阳光店）」带来的团员" in _text(app, "#brought-title")
        assert "长期有效" in _text(app, "#poster-info")
        assert "前台海报，每月更新" in _text(app, "#poster-info"), "the partner's notes"
        await pilot.press("down", "down")
        await settle(app, pilot)
        assert "「铁馆力量训练」带来的团员：15 人" in _text(app, "#brought-title")
        assert "已经过期" in _text(app, "#poster-info")
        assert "▀" in _text(app, "#qr-preview")
        assert app.screen.query_one("#brought-table", DataTable).row_count == 15


async def test_add_a_partner_from_the_keyboard(demo_path: Path, demo_db: Database) -> None:
    app = TuanApp(str(demo_path))
    async with app.run_test(size=(140, 40)) as pilot:
        await _open_partners(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        app.screen.query_one("#field-name", Input).value = "清风瑜伽"
        app.screen.query_one("#field-code", Input).value = "YD01"
        await pilot.press("enter")
        await settle(app, pilot)
        error = _text(app, "#error-code")
        assert "已经给了" in error, "the refusal shows beside the code field"
        assert app.screen.query_one("#field-name", Input).value == "清风瑜伽", "nothing is lost"
        app.screen.query_one("#field-code", Input).value = ""
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen.query_one("#partner-table", DataTable).row_count == 6
        assert "「清风瑜伽」带来的团员：0 人" in _text(app, "#brought-title"), "new one shown"
        assert app.screen.check_action("export", ("pdf",)) is None, "no QR yet: nothing to export"
    with demo_db.session() as s:
        added = s.exec(select(Partner).where(Partner.name == "清风瑜伽")).one()
    assert added.code == "QF06"


async def test_edit_the_poster_then_export_both_files(
    demo_path: Path, demo_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TUAN_EXPORT_DIR", str(tmp_path / "exports"))
    app = TuanApp(str(demo_path))
    async with app.run_test(size=(140, 40)) as pilot:
        await _open_partners(app, pilot)
        await pilot.press("down", "down")
        await settle(app, pilot)
        await pilot.press("p")
        await pilot.pause()
        app.screen.query_one("#field-qr_payload", Input).value = "https://work.weixin.qq.com/ca/tg"
        await pilot.press("enter")
        await settle(app, pilot)
        assert "长期有效" in _text(app, "#poster-info")
        await pilot.press("x")
        await settle(app, pilot)
        await pilot.press("i")
        await settle(app, pilot)
    with demo_db.session() as s:
        assert len(s.exec(select(Poster).where(Poster.partner_id == 3)).all()) == 2
        assert poster_spec(s, 3).qr_payload == "https://work.weixin.qq.com/ca/tg"
    exported = sorted(p.name for p in (tmp_path / "exports").iterdir())
    assert exported == ["海报-TG03-铁馆力量训练.pdf", "海报-TG03-铁馆力量训练.png"]


async def test_record_a_members_source_from_the_partners_screen(
    demo_path: Path, demo_db: Database
) -> None:
    app = TuanApp(str(demo_path))
    async with app.run_test(size=(140, 40)) as pilot:
        await _open_partners(app, pilot)
        await pilot.press("down", "down", "down", "down")
        await settle(app, pilot)
        await pilot.press("s")
        await pilot.pause()
        await pilot.press(*"3-1202")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert "「晨光太极社」带来的团员：22 人" in _text(app, "#brought-title")
    with demo_db.session() as s:
        xiaoli = s.exec(select(Member).where(Member.nickname == "小李")).one()
    assert (xiaoli.source, xiaoli.partner_id) == ("partner", 5)


async def test_keys_that_cannot_run_are_disabled_without_partners(db: Database) -> None:
    app = TuanApp(db.target)
    async with app.run_test(size=(140, 40)) as pilot:
        await _open_partners(app, pilot)
        screen = app.screen
        assert screen.check_action("edit", ()) is None
        assert screen.check_action("export", ("pdf",)) is None
        assert screen.check_action("add", ()) is True
        assert "按 a 新建" in _text(app, "#poster-info")
