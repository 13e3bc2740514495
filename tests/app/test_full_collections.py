"""The collector's full passes wait for a quiet moment (tui/shared/full_collections.py): one is
10-25 ms holding the interpreter, and it used to land inside an area's first frame."""

from __future__ import annotations

import gc
import time
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import until
from tuan.tui.app import TuanApp


async def test_full_passes_wait_until_the_leader_stops_typing(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tuan.tui.shared.full_collections.EVERY", 0.5)
    monkeypatch.setattr("tuan.tui.shared.full_collections.QUIET", 0.3)
    before = gc.get_threshold()
    full: list[float] = []

    def note(phase: str, info: dict[str, Any]) -> None:
        if phase == "start" and info["generation"] == 2:
            full.append(time.monotonic())

    app = TuanApp(str(demo_path))
    app.PREBUILD_AFTER = None
    gc.callbacks.append(note)
    try:
        async with app.run_test(size=(140, 40)) as pilot:
            await pilot.pause(0.5)
            full.clear()
            kept: list[list[int]] = []  # what readings keep for a while: old enough to count
            keys: list[float] = []  # when each key had been handled
            for _ in range(12):  # keys every 0.1 s, with objects enough for full passes
                kept.extend([n] for n in range(50_000))
                await pilot.press("1")
                keys.append(time.monotonic())
                await pilot.pause(0.1)
            kept.clear()
            # A loaded machine may leave more than the quiet time between two keys: a pass may
            # run there, but never sooner than that after a key (a little slack: `keys` is
            # read just after the app handled each one).
            during = [t for t in full if t <= keys[-1]]
            for start in during:
                last_key = max(k for k in keys if k <= start) if keys[0] <= start else None
                assert last_key is None or start - last_key >= 0.3 - 0.05, "while typing"
            await until(pilot, lambda: len(full) > len(during))
            assert full[len(during)] - keys[-1] >= 0.15, "a quiet moment after the last key"
        assert gc.get_threshold() == before, "closed: the process collects as before"
    finally:
        gc.callbacks.remove(note)
