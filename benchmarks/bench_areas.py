"""Big-data benchmark of the whole app: opening each area, search keystrokes, peak memory.

Drives the real app (headless, Pilot) on the large demo: 5,000 members, 500 chains, ~50,000
orders. "Open" is from the key press until the area's data is on screen (workers done, frame
painted). Run: `uv run python benchmarks/bench_areas.py [DB]`.
"""

from __future__ import annotations

import asyncio
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPEATS = 5


async def _settle(app, pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(2):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def measure(db: str) -> dict[str, list[float]]:
    """Median-ready samples (seconds) per measurement."""
    from tuan.tui.app import TuanApp
    from tuan.tui.areas import AREAS

    samples: dict[str, list[float]] = {}
    app = TuanApp(db)
    async with app.run_test(size=(140, 40)) as pilot:
        await _settle(app, pilot)
        await asyncio.sleep(1.5)  # the start-up rules run and backup settle first
        await _settle(app, pilot)
        for _round in range(REPEATS):
            for area in [*AREAS[1:], AREAS[0]]:
                start = time.perf_counter()
                await pilot.press(area.key)
                await _settle(app, pilot)
                samples.setdefault(f"open {area.mode}", []).append(time.perf_counter() - start)
        await pilot.press("5")
        await _settle(app, pilot)
        await pilot.press("slash")
        for key in ["w", "y", "backspace", "backspace", "1", "2", "0", "2"]:
            start = time.perf_counter()
            await pilot.press(key)
            await _settle(app, pilot)
            samples.setdefault("members search keystroke", []).append(time.perf_counter() - start)
    return samples


def main() -> None:
    """Seed (if needed), measure, print a markdown table."""
    if len(sys.argv) > 1:
        db = sys.argv[1]
    else:
        db = str(Path(tempfile.mkdtemp()) / "large.db")
        subprocess.run([sys.executable, "-m", "tuan.cli", "--db", db, "demo", "--no-tui",
                        "--scale", "large"], check=True, capture_output=True)  # fmt: skip
    samples = asyncio.run(measure(db))
    print("| what | median | worst |")
    print("|---|---|---|")
    for name, values in samples.items():
        median, worst = statistics.median(values) * 1000, max(values) * 1000
        print(f"| {name} | {median:.0f} ms | {worst:.0f} ms |")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"| peak memory (RSS) of the whole run | {peak:.0f} MB | |")


if __name__ == "__main__":
    main()
