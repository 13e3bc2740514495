"""Start-up benchmark, headless (in the process; `bench_terminal.py` times what the leader sees).

Each run is a fresh process (so imports are paid for), headless, on the same machine and in the
same run as a bare Textual app (header, footer and a small table) for the ratio. Each process
reports the moment itself (time since the interpreter started, read from /proc), because a
process's exit also waits for background workers (the day's backup, the rules) to finish.

Run: `uv run python benchmarks/bench_startup.py [DB]` (DB defaults to a large demo it creates).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

RUNS = 7

SINCE_START = """
import os, time
def since_start():
    ticks = int(open("/proc/self/stat").read().rsplit(")", 1)[1].split()[19])
    boot = float(open("/proc/uptime").read().split()[0])
    return boot - ticks / os.sysconf("SC_CLK_TCK")
"""

BARE = (
    SINCE_START
    + """
from textual.app import App
from textual.widgets import DataTable, Footer, Header
class Bare(App):
    def compose(self):
        yield Header(); yield DataTable(); yield Footer()
    def on_mount(self):
        t = self.query_one(DataTable); t.add_columns("a", "b")
        t.add_rows([(str(i), str(i)) for i in range(20)])
    def on_ready(self):
        print(since_start(), flush=True)
        self.exit()
Bare().run(headless=True, size=(140, 40))
"""
)

FIRST_FRAME = (
    SINCE_START
    + """
import sys
from tuan.launcher import main
from tuan.tui.app import TuanApp
def ready(self):
    print(since_start(), flush=True)
    self.exit()
TuanApp.on_ready = ready
sys.argv = ["tuan", "--db", {db!r}]
TuanApp.run = (lambda run: lambda self, **kw: run(self, headless=True, size=(140, 40)))(TuanApp.run)
main()
"""
)

DASHBOARD = (
    SINCE_START
    + """
import sys
from tuan.launcher import main
from tuan.tui.app import TuanApp
from tuan.tui.dashboard.screen import DashboardScreen
show = DashboardScreen.show
def show_then_exit(self, data):
    show(self, data)
    def painted():
        print(since_start(), flush=True)
        self.app.exit()
    self.app.call_after_refresh(painted)
DashboardScreen.show = show_then_exit
sys.argv = ["tuan", "--db", {db!r}]
TuanApp.run = (lambda run: lambda self, **kw: run(self, headless=True, size=(140, 40)))(TuanApp.run)
main()
"""
)

READ_COMMAND = ["-m", "tuan.cli", "--db", "{db}", "chain", "list", "--json"]
ORM_PLUS_QUERY = """
from tuan.db import open_database
from tuan.domain.chains.listing import list_chains
with open_database({db!r}).session() as s:
    list_chains(s)
"""


def timed(args: list[str]) -> float:
    """Median wall time of a fresh Python process running `args`, in seconds."""
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run([sys.executable, *args], check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def forget_snapshot(db: str) -> None:
    """Remove the dashboard's stored snapshot (as on the very first start, or a new month)."""
    import sqlite3

    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM meta WHERE key = 'dashboard.snapshot'")


def reported(code: str, before: Callable[[], None] | None = None) -> float:
    """Median of the moment a fresh process reports (seconds since it started)."""
    times = []
    for _ in range(RUNS):
        if before is not None:
            before()
        done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                              text=True)  # fmt: skip
        times.append(float(done.stdout.strip().splitlines()[-1]))
    return statistics.median(times)


def main() -> None:
    """Measure and print a markdown table."""
    if len(sys.argv) > 1:
        db = sys.argv[1]
    else:
        db = str(Path(tempfile.mkdtemp()) / "large.db")
        subprocess.run([sys.executable, "-m", "tuan.cli", "--db", db, "demo", "--no-tui",
                        "--scale", "large"], check=True, capture_output=True)  # fmt: skip
    bare = reported(BARE)
    first = reported(FIRST_FRAME.replace("{db!r}", repr(db)))
    dashboard = reported(DASHBOARD.replace("{db!r}", repr(db)))
    unstored = reported(DASHBOARD.replace("{db!r}", repr(db)), lambda: forget_snapshot(db))
    reported(DASHBOARD.replace("{db!r}", repr(db)))  # leave the snapshot in place again
    read = timed([arg.format(db=db) for arg in READ_COMMAND])
    orm = timed(["-c", ORM_PLUS_QUERY.format(db=db)])
    print("| what | median | ratio | target |")
    print("|---|---|---|---|")
    print(f"| bare Textual app, first frame | {bare * 1000:.0f} ms | 1.00 | |")
    print(f"| tuan, first frame | {first * 1000:.0f} ms | {first / bare:.2f} × bare | ≤ 1.3 × |")
    print(f"| tuan, dashboard numbers on screen | {dashboard * 1000:.0f} ms | "
          f"{dashboard / bare:.2f} × bare | ≤ 2.5 × |")  # fmt: skip
    print(f"| tuan, dashboard numbers, no stored snapshot | {unstored * 1000:.0f} ms | "
          f"{unstored / bare:.2f} × bare | |")  # fmt: skip
    print(f"| `tuan chain list --json` | {read * 1000:.0f} ms | {read / orm:.2f} × ORM+query | "
          f"≤ 1.2 × |")  # fmt: skip
    print(f"| import ORM + same query | {orm * 1000:.0f} ms | | |")


if __name__ == "__main__":
    main()
