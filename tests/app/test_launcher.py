"""The console script opens the app without the command-line parser, and routes the rest."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from tuan.launcher import plain_open


@pytest.mark.parametrize(
    ("argv", "options"),
    [
        ([], {}),
        (["--db", "x.db"], {"db": "x.db"}),
        (["--db=x.db", "--lang", "en"], {"db": "x.db", "lang": "en"}),
    ],
)
def test_plain_open_reads_only_app_options(argv: list[str], options: dict[str, str]) -> None:
    assert plain_open(argv) == options


@pytest.mark.parametrize(
    "argv", [["chain", "list"], ["--db", "x.db", "stats"], ["--help"], ["--db"], ["--db", "--lang"]]
)
def test_everything_else_goes_to_the_command_line(argv: list[str]) -> None:
    assert plain_open(argv) is None


@pytest.mark.sqlite_only
@pytest.mark.parametrize("threads", [1, 2])
def test_opening_a_file_reads_the_dashboard_ahead_unless_a_thread_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, threads: int
) -> None:
    from tuan.db import open_database
    from tuan.domain.dashboard.first_reading import messages
    from tuan.tui.app import TuanApp
    from tuan.tui.launch import run_app

    path = tmp_path / "shop.db"
    open_database(str(path)).close()
    opened: list[TuanApp] = []
    monkeypatch.setattr(TuanApp, "run", lambda self: opened.append(self))
    # Other tests' threads may linger in this process: the count is the app's own decision.
    monkeypatch.setattr("threading.active_count", lambda: threads)
    collecting = gc.get_threshold()
    run_app(str(path), notice="你好")
    assert gc.get_threshold() == collecting, "the collector as it was once the app has closed"
    (app,) = opened
    assert app.notice == "你好"
    reading = app.take_first_reading()
    if threads > 1:
        assert reading is None, "a fork copies no other thread: read in the app instead"
    else:
        assert reading is not None
        assert list(messages(reading)) == [("done", None)]  # no members: nothing to show
        assert app.take_first_reading() is None, "taken once"


def test_the_chains_code_is_ready_before_the_first_frame(demo_path: Path) -> None:
    """The area opened first and most: `2` pressed the instant the first screen shows finds
    its code imported (in a fresh interpreter: this one has imported everything)."""
    import subprocess
    import sys

    script = f"""
import asyncio, sys
from textual.app import App
from tuan.tui.app import TuanApp
seen = []
display = App._display
def first(self, *args, **kwargs):
    seen.append("tuan.tui.chains.screen" in sys.modules)
    return display(self, *args, **kwargs)
App._display = first
async def main():
    app = TuanApp({str(demo_path)!r})
    app.PREBUILD_AFTER = None
    async with app.run_test() as pilot:
        await pilot.pause(0.2)
asyncio.run(main())
print(seen[0])
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stdout.strip().splitlines()[-1:] == ["True"], done.stderr[-2000:]
