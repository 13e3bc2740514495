"""Members area speed on the large demo (5,000 members, ~50,000 orders).

    uv run tuan --db /tmp/large.db demo --scale large --no-tui
    uv run python benchmarks/bench_members.py /tmp/large.db

Measures, with medians over repeats (wall and CPU time, since shared machines are noisy):
- the per-visit figures (`member_stats`) and one search keystroke (`list_members` with them);
- a full rules run on a copy of the file: the first run (it creates everything) and repeat runs
  (nothing new: the cost the app pays on every start);
- a member's page and the reminder inbox;
- end to end in the app (headless Pilot): typing into the members search box until the table
  shows the answer.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

QUERIES = ["w", "wa", "way", "3-1202", "1202", "王", "8888", "小李", "zhang", ""]


def timed(fn: Callable[[], Any], repeats: int = 5) -> tuple[float, float, Any]:
    """Median wall and CPU milliseconds of `fn()`, and its last result."""
    walls, cpus, result = [], [], None
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return statistics.median(walls), statistics.median(cpus), result


def line(label: str, wall: float, cpu: float | None, note: str = "") -> None:
    """One row of the results table (CPU None: not measured)."""
    shown = "-" if cpu is None else f"{cpu:.0f}"
    print(f"| {label} | {wall:.0f} | {shown} | {note} |")


def domain(path: Path) -> None:
    """Queries the members screens run, straight from the domain."""
    from tuan.db import open_database
    from tuan.domain.members.listing import MemberFilter, list_members, member_stats
    from tuan.domain.members.page import member_page
    from tuan.domain.members.reminders import inbox

    database = open_database(path)
    with database.session() as s:
        wall, cpu, stats = timed(lambda: member_stats(s))
        line("member_stats (once per visit)", wall, cpu, f"{len(stats)} members with orders")
        per_key = [timed(partial(list_members, s, q, stats=stats)) for q in QUERIES]
        walls = [w for w, _c, _r in per_key]
        line(
            "search keystroke (list_members, figures cached)",
            statistics.median(walls),
            statistics.median(c for _w, c, _r in per_key),
            f"max {max(walls):.0f} ms over {len(QUERIES)} queries incl. '' (all 5,000)",
        )
        dormant = MemberFilter(dormant_days=60)
        wall, cpu, (_rows, total) = timed(lambda: list_members(s, filters=dormant, stats=stats))
        line("filter: 60 days dormant", wall, cpu, f"{total} members")
        wall, cpu, page = timed(lambda: member_page(s, 1))
        line("member page (KOC 小李)", wall, cpu, f"{len(page.orders)} orders")
        wall, cpu, box = timed(lambda: inbox(s))
        count = len(box.overdue) + len(box.today) + len(box.upcoming)
        line("reminder inbox", wall, cpu, f"{count} open reminders")
    database.close()


def rules(path: Path) -> None:
    """A full rules run on a private copy: first run, then repeat runs."""
    from tuan import clock
    from tuan.db import open_database
    from tuan.domain.members.reminders import open_reminders
    from tuan.domain.members.rules import run_rules

    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "rules.db"
        shutil.copy(path, copy)
        database = open_database(copy)
        with database.engine.begin() as conn:  # as if the rules had never run on this data
            conn.exec_driver_sql("DELETE FROM reminder WHERE rule_key IS NOT NULL")
            auto_tags = "SELECT id FROM tag WHERE rule_id IS NOT NULL"
            conn.exec_driver_sql(f"DELETE FROM membertag WHERE tag_id IN ({auto_tags})")
        with database.session() as s:
            before = len(open_reminders(s))

        def once() -> Any:
            with database.transaction() as session:
                return run_rules(session, clock.now())

        wall, cpu, first = timed(once, repeats=1)
        tagged = sum(t.added for t in first.tags)
        note = f"{len(first.reminders)} new reminders, {tagged} tag memberships"
        line("rules: first run (creates everything)", wall, cpu, note)
        wall, cpu, again = timed(once, repeats=5)
        note = f"{len(again.reminders)} new; {before} open reminders before the first run"
        line("rules: repeat run (the cost on every start)", wall, cpu, note)
        database.close()


MARKS: dict[str, float] = {}
KEYS = ["w", "a", "y", "backspace", "backspace", "backspace", "3", "-", "1"]


def watch_frames() -> Callable[[], None]:
    """Mark when the members screen got its answer and when the next frame was composed.

    Returns the function that puts the originals back.
    """
    from textual.screen import Screen

    from tuan.tui.members.screen import MembersScreen

    original_show, original_refresh = MembersScreen.show, Screen._compositor_refresh

    def show(self: Any, data: Any) -> None:
        original_show(self, data)
        MARKS.setdefault("shown", time.perf_counter())

    def refresh(self: Any) -> None:
        original_refresh(self)
        if "shown" in MARKS:
            MARKS.setdefault("frame", time.perf_counter())

    def restore() -> None:
        MembersScreen.show = original_show  # type: ignore[method-assign]
        Screen._compositor_refresh = original_refresh  # type: ignore[method-assign]

    MembersScreen.show = show  # type: ignore[method-assign]
    Screen._compositor_refresh = refresh  # type: ignore[method-assign]
    return restore


async def settle(app: Any, pilot: Any) -> None:
    """Wait until the workers have finished and the screen has caught up."""
    for _ in range(6):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def typing(path: Path) -> None:
    """Type into the members search box; time each keystroke until the new table is on screen.

    Pilot's own `press()` waits for the app to go fully idle, which includes work after the frame
    the leader sees; so the script marks when the screen received the answer (`show` done) and
    when the next frame was composed after that.
    """
    from tuan.tui.app import TuanApp

    restore = watch_frames()
    shown, frames = [], []
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "ui.db"
        shutil.copy(path, copy)
        app = TuanApp(str(copy))
        async with app.run_test(size=(140, 40)) as pilot:
            await settle(app, pilot)  # the dashboard loads first
            started = time.perf_counter()
            await pilot.press("5")
            await settle(app, pilot)
            first_visit = (time.perf_counter() - started) * 1000
            line("members screen first visit (Pilot, until idle)", first_visit, None)
            await pilot.press("slash")
            for key in KEYS:
                MARKS.clear()
                started = time.perf_counter()
                await pilot.press(key)
                await settle(app, pilot)
                shown.append((MARKS["shown"] - started) * 1000)
                frames.append((MARKS.get("frame", MARKS["shown"]) - started) * 1000)
    restore()
    print(
        f"<!-- per key, shown: {[round(v) for v in shown]} frame: {[round(v) for v in frames]} -->"
    )
    line("keystroke to table filled", statistics.median(shown), None, f"max {max(shown):.0f} ms")
    note = f"max {max(frames):.0f} ms, {len(KEYS)} keystrokes incl. back to all 5,000"
    line("keystroke to next frame on screen", statistics.median(frames), None, note)


def main() -> None:
    """Run every measurement on the file given (default /tmp/large.db)."""
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/large.db")
    if not path.exists():
        sys.exit(f"{path} is missing: uv run tuan --db {path} demo --scale large --no-tui")
    os.environ.setdefault("TUAN_LANG", "zh")
    print("| what | wall ms (median) | CPU ms (median) | note |")
    print("|---|---|---|---|")
    domain(path)
    rules(path)
    asyncio.run(typing(path))


if __name__ == "__main__":
    main()
