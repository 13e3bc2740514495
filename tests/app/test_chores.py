"""The start-up chores (the day's backup, the rules) wait until the leader stops typing: the
rules hold the interpreter for a good part of a second on big data, and an area opened while
they ran took twice as long to appear."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.helpers import until
from tuan.tui.app import TuanApp


async def test_the_chores_wait_until_no_key_was_pressed_for_a_moment(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tuan.tui.app.CHORES_QUIET_SECONDS", 0.5)
    started: list[float] = []
    monkeypatch.setattr(TuanApp, "_after_open", lambda self: started.append(time.monotonic()))
    app = TuanApp(str(demo_path))
    app.PREBUILD_AFTER = None
    async with app.run_test(size=(140, 40)) as pilot:
        await until(pilot, lambda: bool(started))  # this start's own, before any key
        started.clear()
        for _ in range(4):  # the leader types on; the first data comes in meanwhile
            await pilot.press("1")
            last_key = time.monotonic()
            app._start_chores()
            await pilot.pause(0.2)
        assert not started, "the chores began while keys were still being pressed"
        await until(pilot, lambda: bool(started))
        assert started[0] - last_key >= 0.3  # 0.5 s after the key event itself


async def test_without_keys_the_chores_begin_with_the_first_data(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[float] = []
    monkeypatch.setattr(TuanApp, "_after_open", lambda self: started.append(time.monotonic()))
    app = TuanApp(str(demo_path))
    app.PREBUILD_AFTER = None
    async with app.run_test(size=(140, 40)) as pilot:
        await until(pilot, lambda: app._started_chores)
        shown = time.monotonic()
        await until(pilot, lambda: bool(started))
        assert started[0] - shown < 0.3, "nobody typed: nothing to wait for"
