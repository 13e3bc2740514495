"""A new chain from any chain text: products priced or not, named in the header, in the entries or
nowhere (a sign-up list); prices left unknown until the leader fills them in."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select
from textual import events
from textual.widgets import Static, TextArea
from typer.testing import CliRunner

from tests.helpers import settle
from tuan import clock
from tuan.cli import app
from tuan.db import Database, open_database
from tuan.domain.chains.edit import edit_context, save_chain
from tuan.domain.chains.entries import list_entries
from tuan.domain.chains.export import export_chain
from tuan.domain.chains.import_apply import apply_plan
from tuan.domain.chains.import_draft import build_draft
from tuan.domain.chains.import_plan import plan_import
from tuan.domain.chains.listing import chain_items, list_chains, missing_prices
from tuan.domain.pickup.checklist import checklist
from tuan.domain.shared.money import format_amount
from tuan.models import ChainItem

FRUIT = """#接龙
西瓜苹果 今天下午到
1.295-909 五斤西瓜，十斤苹果
2.295-910 六斤西瓜，三斤苹果
3.296-1101 西瓜3斤
"""
PUMPKIN = """#接龙
半个南瓜 等会送来 共20份
例 楼栋号-房间号 需要多少份

1.295-909 6份
2.295-910 8份
"""
SIGN_UP = """#接龙
周六早上羽毛球 8点 体育馆
1. Sirius
2. Bruce_Chen
3. 🌸Lily🌸
4. 小鱼儿 带朋友
5. 阿杰 +1
"""
MEALS = """#接龙 冬至饺子宴（社区食堂）
１．3-1202 王阿姨 2位
２．5-601 小李
３．７－３０２ 张姐 ３位 不要香菜
"""
DISINFECTANT = """#接龙
84消毒液 500ml一瓶 厂家直供
截止：明晚8点

1. 王阿姨 3-1202 84消毒液2瓶
2、小李 5-601 两瓶
3. 陈晨 8-808 消毒液×1
"""
PRICED_AND_NOT = """#接龙
第3期 水果团
A. 赣南脐橙 5斤装 ¥39
B. 猕猴桃
1. 王阿姨 3-1202 脐橙1
2. 小李 5-601 猕猴桃2
"""

ONE_LINE_MENU = """#接龙
阳光小区水果团 12月6日 砂糖橘 38元一箱 苹果 45元/箱
今晚8点截单 明天下午自提

例 姓名+楼号+数量

1. 张三 5栋302 砂糖橘2箱
2. 李四 7-1201 砂糖橘1箱 苹果1箱
3. 🍊橙子妈妈 3栋1单元602 2箱砂糖橘
4. 周哥 3栋2单元602 苹果一箱
5. 陈 2-2-801 橘子两箱
"""

runner = CliRunner()


def _json(path: Path, text: str, *args: str) -> dict[str, Any]:
    result = runner.invoke(
        app, ["--db", str(path), "chain", "import", "-", "--json", *args], input=text
    )
    assert result.exit_code == 0, result.output
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def _facts(report: dict) -> list[tuple]:
    return [
        (e["seq"], e["name"], e["room"], [(i["item"], i["qty"]) for i in e["items"]], e["status"])
        for e in report["entries"]
    ]


@pytest.fixture
def path(tmp_path: Path) -> Path:
    where = tmp_path / "tuan.db"
    open_database(where).close()
    return where


def test_fruit_by_the_jin_products_come_from_the_entries(path: Path) -> None:
    report = _json(path, FRUIT, "--dry-run")
    assert report["chain"] == {"id": None, "title": "西瓜苹果 今天下午到", "group": ""}
    assert _facts(report) == [
        (1, "", "295-909", [("西瓜", 5), ("苹果", 10)], "ok"),
        (2, "", "295-910", [("西瓜", 6), ("苹果", 3)], "ok"),
        (3, "", "296-1101", [("西瓜", 3)], "ok"),
    ]
    assert {i["unit"] for e in report["entries"] for i in e["items"]} == {"斤"}
    assert report["unparsed"] == []


def test_pumpkin_named_in_the_header_only(path: Path) -> None:
    report = _json(path, PUMPKIN)
    assert _facts(report) == [
        (1, "", "295-909", [("南瓜", 6)], "ok"),
        (2, "", "295-910", [("南瓜", 8)], "ok"),
    ]
    assert report["summary"]["added"] == 2
    database = open_database(path)
    with database.session() as session:
        [item] = chain_items(session, report["chain"]["id"])
    database.close()
    assert (item.name, item.spec, item.stock, item.price_known) == ("南瓜", "每份", 20, False)
    assert item.sold == 14


def test_people_brought_along_are_a_note_not_an_order(path: Path) -> None:
    text = PUMPKIN + "3.296-1101 1份 带一个朋友\n4.296-1102 两份（带两位老人一起来拿）\n"
    report = _json(path, text, "--dry-run")
    facts = [(e["room"], [(i["item"], i["qty"]) for i in e["items"]], e["note"], e["status"])
             for e in report["entries"][2:]]  # fmt: skip
    assert facts == [
        ("296-1101", [("南瓜", 1)], "带一个朋友", "ok"),
        ("296-1102", [("南瓜", 2)], "带两位老人一起来拿", "ok"),
    ]


def test_sign_up_list_with_latin_nicknames_and_emoji(path: Path) -> None:
    report = _json(path, SIGN_UP)
    assert [(e["seq"], e["name"], e["items"][0]["qty"]) for e in report["entries"]] == [
        (1, "Sirius", 1),
        (2, "Bruce_Chen", 1),
        (3, "🌸Lily🌸", 1),
        (4, "小鱼儿", 1),
        (5, "阿杰", 1),
    ]
    assert {e["items"][0]["item"] for e in report["entries"]} == {"周六早上羽毛球"}
    assert report["entries"][3]["note"] == "带朋友"
    assert report["summary"]["added"] == 5


def test_meal_list_with_full_width_numbers_counts_the_places(path: Path) -> None:
    report = _json(path, MEALS, "--dry-run")
    assert report["chain"]["title"] == "冬至饺子宴（社区食堂）"
    assert [(e["seq"], e["name"], e["room"], e["items"][0]["qty"], e["note"])
            for e in report["entries"]] == [
        (1, "王阿姨", "3-1202", 2, ""),
        (2, "小李", "5-601", 1, ""),
        (3, "张姐", "7-302", 3, "不要香菜"),
    ]  # fmt: skip


def test_disinfectant_named_in_the_title_and_the_entries(path: Path) -> None:
    report = _json(path, DISINFECTANT, "--dry-run")
    facts = [(e["seq"], e["name"], [(i["item"], i["qty"]) for i in e["items"]])
             for e in report["entries"]]  # fmt: skip
    assert facts == [
        (1, "王阿姨", [("84消毒液", 2)]),
        (2, "小李", [("84消毒液", 2)]),
        (3, "陈晨", [("84消毒液", 1)]),
    ]


def test_priced_and_unpriced_header_products(path: Path) -> None:
    report = _json(path, PRICED_AND_NOT)
    assert _facts(report) == [
        (1, "王阿姨", "3-1202", [("赣南脐橙", 1)], "ok"),
        (2, "小李", "5-601", [("猕猴桃", 2)], "ok"),
    ]
    database = open_database(path)
    with database.session() as session:
        items = chain_items(session, report["chain"]["id"])
        [row] = list_chains(session)
    database.close()
    assert [(i.name, i.price_known, i.price_cents) for i in items] == [
        ("赣南脐橙", True, 3900),
        ("猕猴桃", False, 0),
    ]
    assert missing_prices(items) == ["猕猴桃"]
    assert (row.gmv_cents, row.unpriced) == (3900, 1), "GMV leaves the unknown price out"
    listed = runner.invoke(app, ["--db", str(path), "chain", "list"])
    assert "¥39+待定" in listed.output


def test_title_and_several_priced_products_on_one_line(path: Path) -> None:
    report = _json(path, ONE_LINE_MENU)
    assert report["chain"]["title"] == "阳光小区水果团 12月6日"
    assert _facts(report) == [
        (1, "张三", "5-302", [("砂糖橘", 2)], "ok"),
        (2, "李四", "7-1201", [("砂糖橘", 1), ("苹果", 1)], "ok"),
        (3, "🍊橙子妈妈", "3-1-602", [("砂糖橘", 2)], "ok"),
        (4, "周哥", "3-2-602", [("苹果", 1)], "ok"),  # another unit: another home
        (5, "陈", "2-2-801", [("砂糖橘", 2)], "ok"),  # 橘子 is what people call 砂糖橘
    ]
    database = open_database(path)
    with database.session() as session:
        items = chain_items(session, report["chain"]["id"])
        [row] = list_chains(session)
    database.close()
    assert [(i.name, i.spec, i.price_cents) for i in items] == [
        ("砂糖橘", "每箱", 3800),
        ("苹果", "每箱", 4500),
    ]
    # 今晚 on the frozen test day (Thursday 2026-11-26), 20:00; the pickup words are kept.
    assert row.deadline is not None and f"{clock.local(row.deadline):%m-%d %H:%M}" == "11-26 20:00"
    text = runner.invoke(app, ["--db", str(path), "chain", "export", "1"]).stdout
    assert "明天下午自提" in text


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("截止：明晚8点", "11-27 20:00"),
        ("截单时间 11月29日 中午12点", "11-29 12:00"),
        ("明天中午1点截止", "11-27 13:00"),
        ("周日晚上7点半截单", "11-29 19:30"),
        ("本次接龙截止后统一配送", None),
    ],
)
def test_deadlines_as_leaders_write_them(path: Path, line: str, expected: str | None) -> None:
    text = f"#接龙\n冬至饺子\n{line}\n1. 王阿姨 3-1202 2份\n"
    report = _json(path, text)
    database = open_database(path)
    with database.session() as session:
        [row] = list_chains(session)
    database.close()
    got = None if row.deadline is None else f"{clock.local(row.deadline):%m-%d %H:%M}"
    assert got == expected
    assert report["entries"][0]["status"] == "ok"


def test_a_spec_of_several_words_and_a_building_before_the_name(path: Path) -> None:
    text = """#接龙
12.6 团购
阳澄湖大闸蟹 公4两母3两 8只装 ¥268
1. 8号楼 李 1份
2. 7-302王姐1
3. 3栋2单元 小雨 两份
"""
    report = _json(path, text)
    assert _facts(report) == [
        (1, "李", None, [("阳澄湖大闸蟹", 1)], "ok"),
        (2, "王姐", "7-302", [("阳澄湖大闸蟹", 1)], "ok"),
        (3, "小雨", None, [("阳澄湖大闸蟹", 2)], "ok"),
    ]
    assert [e["note"] for e in report["entries"]] == ["8号楼", "", "3栋2单元"]
    database = open_database(path)
    with database.session() as session:
        [item] = chain_items(session, report["chain"]["id"])
    database.close()
    assert (item.name, item.spec, item.price_cents) == ("阳澄湖大闸蟹", "公4两母3两 8只装", 26800)


def test_nothing_readable_is_still_refused(path: Path) -> None:
    result = runner.invoke(app, ["--db", str(path), "chain", "import", "-"], input="🍎🌸" * 30)
    assert result.exit_code == 2
    assert "没有读到商品" in result.output


def test_unreadable_lines_are_listed_not_dropped(path: Path) -> None:
    text = FRUIT + "截止后不再加单\n"
    report = _json(path, text, "--dry-run")
    assert [line["line"] for line in report["unparsed"]] == [6]
    assert len(report["entries"]) == 3


def _import(db: Database, text: str) -> int:
    with db.transaction() as session:
        draft = build_draft(session, text)
        return apply_plan(session, draft, plan_import(draft)).chain_id


def test_unknown_price_shows_as_pending_and_setting_it_prices_the_orders(db: Database) -> None:
    chain_id = _import(db, FRUIT)
    with db.session() as session:
        entries = list_entries(session, chain_id)
        text = export_chain(session, chain_id).text
        rows = checklist(session, chain_id)
    assert [e.amount_cents for e in entries] == [0, 0, 0]
    assert "西瓜 每斤\n" in text and "¥" not in text, "a product line without a price"
    assert all(row.unpriced for row in rows)
    assert format_amount(rows[0].amount_cents, rows[0].unpriced) == "待定"

    with db.transaction() as session:
        form = edit_context(session, chain_id).form
        assert [i.price for i in form.items] == ["", ""]
        form.items[0].price = "2.5"  # 西瓜 per 斤; 苹果 stays unknown
        save_chain(session, form, chain_id)
    with db.session() as session:
        entries = list_entries(session, chain_id)
        items = session.exec(select(ChainItem).order_by(col(ChainItem.position))).all()
        rows = checklist(session, chain_id)
        [listed] = list_chains(session)
    assert [(i.name, i.price_known, i.price_cents) for i in items] == [
        ("西瓜", True, 250),
        ("苹果", False, 0),
    ]
    assert [e.amount_cents for e in entries] == [1250, 1500, 750]
    assert (listed.gmv_cents, listed.unpriced) == (3500, 2)
    assert [format_amount(r.amount_cents, r.unpriced) for r in rows].count("¥7.50") == 1


def test_the_migration_keeps_every_price_known(tmp_path: Path) -> None:
    from tuan.db import make_engine
    from tuan.migrations import _statements, steps, upgrade

    old = Database(str(tmp_path / "v4.db"), make_engine(str(tmp_path / "v4.db")))
    with old.engine.begin() as conn:
        for step in [s for s in steps() if s.version < 5]:
            for statement in _statements(step.sql):
                conn.exec_driver_sql(statement)
        conn.exec_driver_sql("PRAGMA user_version = 4")
        conn.exec_driver_sql(
            "INSERT INTO chain (id, title, description, status, created_at, last_group) VALUES "
            "(1, '冷榨油团', '', 'open', '2026-11-20T02:00:00+00:00', '')"
        )
        conn.exec_driver_sql(
            "INSERT INTO chainitem (id, chain_id, position, code, name, spec, price_cents, "
            "aliases) VALUES (1, 1, 0, 'A', '冷榨橄榄油', '500ml', 8900, '')"
        )
    assert 5 in [s.version for s in upgrade(old)]
    with old.session() as session:
        [item] = chain_items(session, 1)
    old.close()
    assert (item.price_cents, item.price_known) == (8900, True)


async def test_import_as_new_chain_shows_the_missing_prices(tmp_path: Path) -> None:
    from tests.chains.fixtures import make_shop
    from tuan.tui.app import TuanApp

    path = tmp_path / "tuan.db"
    database = open_database(path)
    for period in (1, 2):  # chains already there: the new one is not the only one to land on
        make_shop(database, f"绿源生活｜第{period}期 冷榨油团")
    database.close()
    tui = TuanApp(str(path))
    async with tui.run_test(size=(140, 40)) as pilot:
        await settle(tui, pilot, rounds=4)
        await pilot.press("2")
        await settle(tui, pilot, rounds=4)
        await pilot.press("I")
        await settle(tui, pilot, rounds=4)
        tui.screen.query_one("#import-text", TextArea).post_message(events.Paste(FRUIT))
        await settle(tui, pilot, rounds=4)
        await pilot.press("ctrl+s")  # preview
        await settle(tui, pilot, rounds=4)
        await pilot.press("ctrl+s")  # import
        await settle(tui, pilot, rounds=4)
        while type(tui.screen).__name__ != "ChainsScreen":
            await pilot.press("escape")
            await settle(tui, pilot, rounds=4)
        await settle(tui, pilot, rounds=4)
        detail = str(tui.screen.query_one("#chain-detail", Static).render())
        selected = tui.screen.selected_chain()  # type: ignore[attr-defined]
    assert selected == 3  # the cursor is on the chain just made
    assert "价格待定" in detail
    assert "价格待定：西瓜、苹果 — 按 e 填写" in detail
    # 27 pieces sold at no price: the profit is not "no sales yet", it waits for the prices.
    assert "还没有成交" not in detail
    assert "毛利 （价格待定，填好价格后才能算）" in detail
