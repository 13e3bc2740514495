"""Live mode rehearses an order as it opens (taken, then rolled back): nothing of it is kept."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import col, func, select

from tests.helpers import settle
from tests.live.helpers import Shop, build_shop
from tests.live.test_tui import _open_live_mode
from tuan import clock
from tuan.db import READ_GENERATION, Database
from tuan.domain.live.entry import enter_line
from tuan.domain.live.rehearse import rehearse_order
from tuan.domain.live.session import start_live
from tuan.models import ChainItem, Order, OrderLine
from tuan.tui.app import TuanApp
from tuan.tui.live.mode import LiveModeScreen


def _kept(db: Database) -> tuple[int, int, list[int | None], str]:
    """Orders, order lines, the items' stock (what is left to sell) and the write generation."""
    with db.session() as s:
        orders = s.exec(select(func.count()).select_from(Order)).one()
        lines = s.exec(select(func.count()).select_from(OrderLine)).one()
        stock = list(s.exec(select(ChainItem.stock).order_by(col(ChainItem.id))).all())
        generation = s.connection().exec_driver_sql(READ_GENERATION).scalar()
    return orders, lines, stock, str(generation)


@pytest.fixture
def on_air(db: Database) -> Shop:
    shop = build_shop(db)
    with db.transaction() as s:
        start_live(s, shop.live, clock.now() - timedelta(minutes=10))
    return shop


def test_a_rehearsed_order_leaves_nothing_behind(db: Database, on_air: Shop) -> None:
    before = _kept(db)
    rehearse_order(db, on_air.live)
    assert _kept(db) == before
    # the first real order is still the first: numbered 1, with the first-N gift
    result = enter_line(db, on_air.live, "小李 套装2")
    assert result.ok and result.message.startswith("已记录 1. 小李"), result.message
    assert result.gift, "the rehearsal took none of the gifts"
    assert _kept(db)[:2] == (1, 1)


def test_after_the_rehearsal_an_order_in_latin_letters_loads_nothing_new(tmp_path: Path) -> None:
    """A name in latin letters makes the line read the items' pinyin initials: the first such
    order imported pypinyin (0.27 s) before it could answer. Run in a fresh process (this one
    has imported everything already): after the rehearsal, the order imports no module."""
    script = textwrap.dedent(
        """
        import sys
        from datetime import timedelta
        from tests.live.helpers import build_shop
        from tuan import clock
        from tuan.db import open_database
        from tuan.domain.live.entry import enter_line
        from tuan.domain.live.rehearse import rehearse_order
        from tuan.domain.live.session import start_live
        from tuan.models import Member

        db = open_database(sys.argv[1])
        shop = build_shop(db)
        with db.transaction() as s:
            start_live(s, shop.live, clock.now() - timedelta(minutes=10))
            s.add(Member(nickname="Lily3964", building="7", room="601", initials="lily3964"))
        rehearse_order(db, shop.live)
        before = set(sys.modules)
        result = enter_line(db, shop.live, "Lily3964 套装1")
        assert result.ok, result.message
        print(sorted(set(sys.modules) - before))
        """
    )
    run = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "shop.db")],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert run.stdout.strip() == "[]", run.stdout


def test_a_live_not_on_air_is_not_rehearsed(db: Database) -> None:
    shop = build_shop(db)  # planned, not started
    before = _kept(db)
    rehearse_order(db, shop.live)
    assert _kept(db) == before


async def test_live_mode_rehearses_once_on_air_and_the_first_order_is_taken(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_shop(db)
    rehearsed: list[int] = []
    original = rehearse_order

    def counted(database: Database, live_id: int) -> None:
        rehearsed.append(live_id)
        original(database, live_id)

    monkeypatch.setattr("tuan.domain.live.rehearse.rehearse_order", counted)
    app = TuanApp(db.target)
    async with app.run_test(size=(140, 40)) as pilot:
        await _open_live_mode(app, pilot)
        assert not rehearsed, "not on air yet: nothing to rehearse"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        before = _kept(db)
        for _ in range(3):  # the reading every few seconds: still once
            screen = app.screen
            assert isinstance(screen, LiveModeScreen)
            screen.reload()
            await settle(app, pilot)
        assert len(rehearsed) == 1
        assert _kept(db) == before
        screen.query_one("#entry").value = "王姐 套装1"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(app, pilot)
        assert _kept(db)[0] == 1
