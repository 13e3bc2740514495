"""Live order entry latency: one typed line → parsed, matched, priced, committed; then the refresh.

Run: `uv run python benchmarks/bench_live.py [small|large] [orders]`

Seeds the demo at the given scale into a temporary file, puts episode 3 on air with its flash sale
running, lifts the chain's stock limits (so every line is an order, not a refusal), then enters
`orders` lines in the three shapes leaders type (nickname, room, pinyin initials) and reports the
median and 95th percentile of `enter_line` (own transaction each) and of `load_live_state` (what
live mode re-reads after every order).
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlmodel import col, select

from tuan import clock
from tuan.db import open_database
from tuan.domain.demo.seed import seed_demo
from tuan.domain.live.entry import enter_line
from tuan.domain.live.session import next_segment, start_live
from tuan.domain.live.state import load_live_state
from tuan.models import ChainItem, Livestream, Member

EPISODE = 3


def _prepare(path: Path, scale: str) -> list[str]:
    db = open_database(path)
    started = time.perf_counter()
    seed_demo(db, scale)
    print(f"seeded {scale} demo in {time.perf_counter() - started:.1f}s")
    t0 = clock.now() - timedelta(minutes=40)
    with db.transaction() as s:
        live = s.get(Livestream, EPISODE)
        assert live is not None
        for item in s.exec(select(ChainItem).where(col(ChainItem.chain_id) == live.chain_id)):
            item.stock, item.limit_per_person = None, None
            s.add(item)
        start_live(s, EPISODE, t0)
        for minute in (5, 17, 27, 39):
            next_segment(s, EPISODE, t0 + timedelta(minutes=minute))
        members = s.exec(select(Member).order_by(col(Member.id)).limit(400)).all()
    db.close()
    lines = []
    for n, m in enumerate(members):
        shape = n % 3
        if shape == 0:
            lines.append(f"{m.nickname} 1")
        elif shape == 1 and m.building and m.room:
            lines.append(f"{m.building}-{m.room} 套装1")
        else:
            lines.append(f"{m.nickname} 亚麻1")
    return lines


def _stats(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return f"median {statistics.median(ordered):.1f} ms, p95 {p95:.1f} ms, n={len(ordered)}"


async def _ui_latency(path: Path, lines: list[str]) -> list[float]:
    """Time in live mode from the input's submit to the result line being set (headless app).

    Pilot's own key delivery and idle waits (~150 ms a press) are not part of what a leader
    feels in a real terminal, so the clock starts at the submit handler, not at the key press.
    """
    from textual.widgets import Input

    from tuan.tui.app import TuanApp
    from tuan.tui.live import mode as live_mode

    samples: list[float] = []
    submitted = [0.0]
    on_submit = live_mode.LiveModeScreen.on_input_submitted
    on_result = live_mode.LiveModeScreen._entered

    def timed_submit(self, event):  # type: ignore[no-untyped-def]
        submitted[0] = time.perf_counter()
        return on_submit(self, event)

    def timed_result(self, line, result, new=None):  # type: ignore[no-untyped-def]
        on_result(self, line, result, new)
        samples.append((time.perf_counter() - submitted[0]) * 1000)

    live_mode.LiveModeScreen.on_input_submitted = timed_submit  # type: ignore[method-assign]
    live_mode.LiveModeScreen._entered = timed_result  # type: ignore[method-assign]
    app = TuanApp(str(path))
    async with app.run_test(size=(140, 40)) as pilot:
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        await pilot.press("3")  # the live on air reopens live mode
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        for line in lines:
            app.screen.query_one("#entry", Input).value = line
            await pilot.press("enter")
            await app.workers.wait_for_complete()
    return samples


def main() -> None:
    scale = sys.argv[1] if len(sys.argv) > 1 else "small"
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        lines = _prepare(path, scale)[:count]
        db = open_database(path)
        enter_ms, load_ms, refused = [], [], 0
        for line in lines:
            started = time.perf_counter()
            result = enter_line(db, EPISODE, line)
            enter_ms.append((time.perf_counter() - started) * 1000)
            refused += 0 if result.ok else 1
            started = time.perf_counter()
            with db.session() as s:
                load_live_state(s, EPISODE)
            load_ms.append((time.perf_counter() - started) * 1000)
        db.close()
        ui_ms = asyncio.run(_ui_latency(path, lines[:40]))
    print(f"enter_line:      {_stats(enter_ms)} ({refused} refused: ambiguous or unknown)")
    print(f"load_live_state: {_stats(load_ms)}")
    print(f"live mode, submit to result shown: {_stats(ui_ms)}")


if __name__ == "__main__":
    main()
