"""Big-data benchmark of the whole app: opening each area, search keystrokes, peak memory.

Runs the real app (headless) on the large demo: 5,000 members, 500 chains, ~50,000 orders.
Each sample is taken inside the app: from the moment the key event is handed to the app until the
frame that shows the answer has been drawn — the area's screen in front, its data read (when the
visit reads anything) and put on screen, then one refresh done. Pilot's own waiting (it sleeps
until the process looks idle) is not part of it.

Run: `uv run python benchmarks/bench_areas.py [DB]`.
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
from typing import Any

REPEATS = 5
SHOWING = {"show", "show_loaded", "_show_stored"}


class Stopwatch:
    """Marks when data reaches the screen and when the frame after it is drawn."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.painted_at = 0.0
        self.pending = 0
        original = type(app).call_from_thread

        def call_from_thread(app_: Any, callback: Any, *args: Any, **kwargs: Any) -> Any:
            showing = getattr(callback, "__name__", "") in SHOWING
            if showing:
                self.pending += 1
            result = original(app_, callback, *args, **kwargs)
            if showing:
                original(app_, app_.call_after_refresh, self._painted)
            return result

        type(app).call_from_thread = call_from_thread

    def _painted(self) -> None:
        self.painted_at = time.perf_counter()
        self.pending -= 1

    async def time_key(self, key: str, char: str | None, screen_is: Any = None) -> float:
        """Seconds from handing `key` to the app until its answer is drawn."""
        from textual import events

        app = self.app
        self.painted_at, self.pending = 0.0, 0
        event = events.Key(key, char)
        event.set_sender(app)
        start = time.perf_counter()
        app._driver.send_message(event)
        switched_at = 0.0

        def switched() -> None:
            nonlocal switched_at
            switched_at = time.perf_counter()

        asked = False
        while True:
            await asyncio.sleep(0.0005)
            if screen_is is not None and not asked:
                if not screen_is(app.screen):
                    continue
                asked = True
                app.call_after_refresh(switched)
            busy = any(not w.is_finished for w in app.workers if w.group in {"load", "snapshot"})
            if busy or self.pending or (screen_is is not None and not switched_at):
                continue
            if screen_is is None and not self.painted_at:
                continue
            return max(switched_at, self.painted_at) - start


async def _settle(app: Any, pilot: Any) -> None:
    from textual.worker import WorkerCancelled

    for _ in range(3):
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:
            continue
        await pilot.pause()


async def measure(db: str, prebuild: bool) -> dict[str, list[float]]:
    """Samples (seconds) per measurement."""
    from tuan.tui.app import TuanApp
    from tuan.tui.areas import AREAS

    samples: dict[str, list[float]] = {}
    app = TuanApp(db)
    if not prebuild:
        app.PREBUILD_AFTER = None
    async with app.run_test(size=(140, 40)) as pilot:
        watch = Stopwatch(app)
        await _settle(app, pilot)
        # The start-up rules and backup settle first; the app builds the other areas ahead
        # (unless told not to) once the leader has not typed for a second.
        await asyncio.sleep(5 if prebuild else 1.5)
        await _settle(app, pilot)
        for round_ in range(REPEATS):
            for area in [*AREAS[1:], AREAS[0]]:
                mode = area.mode
                seconds = await watch.time_key(
                    area.key, area.key, lambda s, m=mode: app.current_mode == m and s.is_current
                )
                kind = "revisit" if round_ else "first visit" if prebuild else "cold first visit"
                samples.setdefault(f"open {mode} ({kind})", []).append(seconds)
                await _settle(app, pilot)
        await pilot.press("5")
        await _settle(app, pilot)
        await pilot.press("slash")
        await _settle(app, pilot)
        for key in ["w", "y", "backspace", "backspace", "1", "2", "0", "2"]:
            char = None if key == "backspace" else key
            seconds = await watch.time_key(key, char)
            samples.setdefault("members search keystroke", []).append(seconds)
            await _settle(app, pilot)
    return samples


def main() -> None:
    """Seed (if needed), measure, print a markdown table."""
    if len(sys.argv) > 1:
        db = sys.argv[1]
    else:
        db = str(Path(tempfile.mkdtemp()) / "large.db")
        subprocess.run([sys.executable, "-m", "tuan.cli", "--db", db, "demo", "--no-tui",
                        "--scale", "large"], check=True, capture_output=True)  # fmt: skip
    cold = asyncio.run(measure(db, prebuild=False))
    samples = asyncio.run(measure(db, prebuild=True))
    samples |= {k: v for k, v in cold.items() if k.startswith("open") and "cold" in k}
    print("| what | median | worst | samples |")
    print("|---|---|---|---|")
    for name, values in samples.items():
        median, worst = statistics.median(values) * 1000, max(values) * 1000
        print(f"| {name} | {median:.0f} ms | {worst:.0f} ms | {len(values)} |")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"| peak memory (RSS) of the whole run | {peak:.0f} MB | | |")


if __name__ == "__main__":
    main()
