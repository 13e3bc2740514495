"""A live left on air when the app closed (or crashed) comes straight back at the next start."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import col, select

from tests.helpers import settle, until
from tuan.db import open_database
from tuan.domain.live.on_air import on_air
from tuan.domain.live.session import start_live
from tuan.domain.shared.states import LiveStatus
from tuan.models import Livestream
from tuan.tui.app import TuanApp


def _start_planned_live(target: str) -> None:
    database = open_database(target)
    try:
        with database.transaction() as s:
            live = s.exec(
                select(Livestream).where(col(Livestream.status) == LiveStatus.PLANNED)
            ).first()
            assert live is not None and live.id is not None
            start_live(s, live.id)
    finally:
        database.close()


async def test_a_live_left_on_air_opens_in_live_mode(demo_path: Path) -> None:
    _start_planned_live(str(demo_path))
    app = TuanApp(str(demo_path))
    async with app.run_test(size=(140, 40)) as pilot:
        await until(pilot, lambda: app.current_mode == "live")
        await settle(app, pilot)
        assert app.current_mode == "live"


async def test_without_a_live_on_air_the_app_stays_on_the_dashboard(demo_path: Path) -> None:
    app = TuanApp(str(demo_path))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        assert app.current_mode == "dashboard"


@pytest.mark.sqlite_only
def test_on_air_reads_the_file_and_says_when_it_cannot(demo_path: Path, tmp_path: Path) -> None:
    assert on_air(demo_path) is False
    _start_planned_live(str(demo_path))
    assert on_air(demo_path) is True
    assert on_air(tmp_path / "missing.db") is None
    (tmp_path / "junk.db").write_bytes(b"not a database at all" * 100)
    assert on_air(tmp_path / "junk.db") is None
