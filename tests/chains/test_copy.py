"""The next chain in one key: `c` on the chains list and `tuan chain copy`."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, col, select
from textual.widgets import DataTable, Input
from typer.testing import CliRunner

from tests.helpers import settle
from tuan.cli import app as cli
from tuan.db import Database, open_database
from tuan.domain.chains.copy import ChainCopyError, copy_chain, next_title, previous_title
from tuan.models import Chain, ChainItem, Order, PickupPoint
from tuan.tui.app import TuanApp

NOW = datetime.fromisoformat("2026-11-26T10:00:00+08:00")


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("绿源生活｜第72期 健康粮油团", "绿源生活｜第73期 健康粮油团"),
        ("72期 健康粮油团", "73期 健康粮油团"),
        ("周末水果 No.72", "周末水果 No.73"),
        ("周末水果 NO 9", "周末水果 NO 10"),
        ("#72 周末水果", "#73 周末水果"),
        ("第 9 期 冷榨油", "第 10 期 冷榨油"),
        ("第099期", "第100期"),
        ("第3团 云南菌子", "第4团 云南菌子"),
        ("云南菌子 双11 第5期", "云南菌子 双11 第6期"),  # the period number, not the first
        ("云南菌子", "云南菌子（续）"),
        ("云南菌子（续）", "云南菌子（续2）"),
        ("云南菌子（续2）", "云南菌子（续3）"),
    ],
)
def test_the_next_title_counts_the_period_on(title: str, expected: str) -> None:
    assert next_title(title) == expected


def test_a_long_title_without_a_number_still_fits() -> None:
    assert len(next_title("团" * 60)) == 60
    assert next_title("团" * 60).endswith("（续）")


def test_the_previous_title_is_the_period_before() -> None:
    assert previous_title("绿源生活｜第72期 健康粮油团") == "绿源生活｜第71期 健康粮油团"
    assert previous_title("云南菌子（续2）") == "云南菌子（续）"
    assert previous_title("云南菌子（续）") == "云南菌子"
    assert previous_title("第1期") is None
    assert previous_title("云南菌子") is None


def _chain(session: Session, title: str, deadline: datetime | None, **fields: Any) -> Chain:
    pickup = deadline + timedelta(hours=13) if deadline else None
    chain = Chain(
        title=title,
        status="closed",
        deadline=deadline,
        pickup_start=pickup,
        pickup_end=pickup + timedelta(hours=12) if pickup else None,
        **fields,
    )
    session.add(chain)
    session.flush()
    return chain


def _items(session: Session, chain_id: int) -> list[dict[str, object]]:
    rows = session.exec(
        select(ChainItem)
        .where(col(ChainItem.chain_id) == chain_id)
        .order_by(col(ChainItem.position))
    ).all()
    return [{k: v for k, v in r.model_dump().items() if k not in {"id", "chain_id"}} for r in rows]


def test_times_move_by_the_series_interval(db: Database) -> None:
    with db.transaction() as session:
        _chain(session, "周末水果 第8期", NOW + timedelta(days=-2))
        this = _chain(session, "周末水果 第9期", NOW + timedelta(days=2))
        made = copy_chain(session, this.id or 0)
        assert made.shift == timedelta(days=4)
        assert made.chain.deadline == NOW + timedelta(days=6)
        assert made.chain.pickup_start == (this.pickup_start or NOW) + timedelta(days=4)
        assert made.chain.pickup_end == (this.pickup_end or NOW) + timedelta(days=4)


def test_without_a_period_before_times_move_a_week(db: Database) -> None:
    with db.transaction() as session:
        this = _chain(session, "云南菌子", NOW + timedelta(days=1))
        made = copy_chain(session, this.id or 0)
        assert made.chain.title == "云南菌子（续）"
        assert made.chain.deadline == NOW + timedelta(days=8)


def test_an_old_chain_moves_on_by_whole_intervals_until_after_now(db: Database) -> None:
    with db.transaction() as session:
        _chain(session, "周末水果 第1期", NOW - timedelta(days=33))
        old = _chain(session, "周末水果 第2期", NOW - timedelta(days=30))  # every 3 days
        made = copy_chain(session, old.id or 0)
        assert made.shift == timedelta(days=33)  # 11 periods: the first after now
        assert made.chain.deadline == NOW + timedelta(days=3)
        assert made.chain.pickup_start is not None and made.chain.pickup_start > NOW


def test_the_pickup_counts_too_when_moving_past_now(db: Database) -> None:
    with db.transaction() as session:
        this = _chain(session, "云南菌子", NOW - timedelta(days=7) + timedelta(hours=1))
        assert copy_chain(session, this.id or 0).shift == timedelta(days=7)
        # no deadline; the pickup a week on would start an hour ago: two weeks then
        this.deadline = None
        this.pickup_start = NOW - timedelta(days=7, hours=1)
        this.pickup_end = NOW - timedelta(days=6)
        session.add(this)
        assert copy_chain(session, this.id or 0).shift == timedelta(days=14)


def test_a_chain_without_times_is_copied_without_times(db: Database) -> None:
    with db.transaction() as session:
        this = _chain(session, "#3 随手团", None)
        made = copy_chain(session, this.id or 0)
        assert (made.chain.deadline, made.chain.pickup_start, made.chain.pickup_end) == (
            None,
            None,
            None,
        )
        assert made.chain.title == "#4 随手团"


def test_the_demo_chain_72_becomes_73_with_the_same_items_and_no_orders(demo_db: Database) -> None:
    with demo_db.transaction() as session:
        source = session.get(Chain, 72)
        assert source is not None and source.deadline is not None
        source.last_group = "二群"
        point = PickupPoint(name="西门快递柜", address="阳光花园西门")
        session.add(point)
        session.flush()
        source.pickup_point_id = point.id
        item = session.exec(select(ChainItem).where(col(ChainItem.chain_id) == 72)).first()
        assert item is not None
        if "cost_cents" in ChainItem.model_fields:  # the cost column, where it exists
            item.cost_cents = 1234
        session.add_all([source, item])
        session.flush()
        made = copy_chain(session, 72)
        new = made.chain
        assert new.id is not None and new.id != 72
        assert new.title == "绿源生活｜第73期 健康粮油团"
        assert new.status == "draft"
        assert new.description == source.description
        assert new.pickup_point_id == point.id
        assert new.last_group == "二群"
        assert made.shift == timedelta(days=3), "71 closed 3 days before 72"
        assert new.deadline == source.deadline + timedelta(days=3)
        copied, original = _items(session, new.id), _items(session, 72)
        assert copied == original and len(copied) == made.items == 4
        if "cost_cents" in ChainItem.model_fields:
            assert copied[0]["cost_cents"] == 1234
        orders = session.exec(select(Order).where(col(Order.chain_id) == new.id)).all()
        assert orders == []


def test_copying_an_unknown_chain_is_refused(db: Database) -> None:
    with db.transaction() as session, pytest.raises(ChainCopyError):
        copy_chain(session, 999)


@pytest.mark.sqlite_only
def test_the_cli_copies_a_chain(demo_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", str(demo_path), "chain", "copy", "72", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["copied_from"] == 72 and doc["status"] == "draft" and doc["items"] == 4
    assert doc["title"] == "绿源生活｜第73期 健康粮油团"
    assert doc["deadline"] == "2026-12-01T12:00:00+00:00" and doc["shifted_days"] == 3
    plain = runner.invoke(cli, ["--db", str(demo_path), "chain", "copy", "72"])
    assert plain.exit_code == 0 and "第73期" in plain.stdout
    assert "已复制接龙 72" in plain.stderr
    missing = runner.invoke(cli, ["--db", str(demo_path), "chain", "copy", "999"])
    assert missing.exit_code == 2 and "999" in missing.stderr
    database = open_database(demo_path)
    with database.session() as session:
        titles = session.exec(select(Chain.title).where(col(Chain.id) > 72)).all()
    database.close()
    assert titles == ["绿源生活｜第73期 健康粮油团"] * 2


@pytest.mark.sqlite_only
async def test_c_on_chain_72_opens_the_form_of_73_with_the_same_items(demo_path: Path) -> None:
    app = TuanApp(str(demo_path))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await settle(app, pilot, rounds=4)
        table = app.screen.query_one("#chain-table", DataTable)
        table.move_cursor(row=table.get_row_index("72"))
        await settle(app, pilot)
        await pilot.press("c")
        for _ in range(20):  # the copy, then the form's load: two workers, on a busy machine
            await settle(app, pilot)
            if type(app.screen).__name__ == "ChainFormScreen" and app.screen.query(".item-name"):
                break
        assert type(app.screen).__name__ == "ChainFormScreen"
        assert app.screen.query_one("#title", Input).value == "绿源生活｜第73期 健康粮油团"
        names = [box.value for box in app.screen.query(".item-name").results(Input)]
        assert names == ["健康厨房入门套装", "冷榨橄榄油", "冷榨亚麻籽油", "山茶油"]
        await pilot.press("ctrl+s")
        for _ in range(20):
            await settle(app, pilot)
            if type(app.screen).__name__ == "ChainsScreen":
                break
        await settle(app, pilot)
        assert type(app.screen).__name__ == "ChainsScreen"
        table = app.screen.query_one("#chain-table", DataTable)
        row = [str(cell) for cell in table.get_row_at(table.cursor_row)]
        assert row[1] == "绿源生活｜第73期 健康粮油团", "the new chain is selected"
    database = open_database(demo_path)
    with database.session() as session:
        new_id = int(row[0])
        assert _items(session, new_id) == _items(session, 72)
        orders = session.exec(select(Order).where(col(Order.chain_id) == new_id)).all()
        assert orders == []
    database.close()
