"""Benchmark the pickup checklist on a 2,000-order chain: open time, per-keystroke filter, exports.

Run: `uv run python benchmarks/bench_pickup.py` (builds its own database in a temp folder).
Prints a Markdown table; results are recorded in benchmarks/results_pickup.md.
"""

from __future__ import annotations

import asyncio
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

os.environ.setdefault("TUAN_NOW", "2026-11-26T10:00:00+08:00")

ORDERS = 2_000
KEYSTROKES = (
    ["w", "y", "backspace", "backspace", "1", "2", "0", "2", "backspace"]
    + ["backspace"] * 3
    + ["3", "-", "1", "2", "0", "2"]
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
SUFFIXES = ["阿姨", "姐", "哥", "叔", "妈妈", "爸爸", "老师", "大爷", "奶奶", "小妹"]


def build(path: Path) -> int:
    """A database with one chain of ORDERS orders (core inserts, one transaction)."""
    from sqlalchemy import insert

    from tuan.db import open_database
    from tuan.domain.shared.people import pinyin_initials
    from tuan.models import Chain, ChainItem, Member, Order, OrderLine, PickupPoint

    rng = random.Random(7)
    database = open_database(path)
    start = datetime.fromisoformat("2026-11-26T09:00:00+08:00")
    with database.transaction() as s:
        s.execute(insert(PickupPoint), [{"id": 1, "name": "3号楼门口", "address": "大堂"}])
        s.execute(
            insert(Chain),
            [
                {
                    "id": 1,
                    "title": "压力测试团 2000 单",
                    "status": "closed",
                    "pickup_point_id": 1,
                    "pickup_start": start,
                    "pickup_end": start + timedelta(hours=12),
                    "created_at": start,
                }
            ],
        )
        names = ["冷榨橄榄油", "冷榨亚麻籽油", "有机五常大米", "高原燕麦片", "山茶油", "藜麦"]
        s.execute(
            insert(ChainItem),
            [
                {
                    "id": i + 1,
                    "chain_id": 1,
                    "position": i,
                    "name": n,
                    "price_cents": 5900 + i * 1000,
                }
                for i, n in enumerate(names)
            ],
        )
        members, orders, lines = [], [], []
        for i in range(1, ORDERS + 1):
            nick = f"{rng.choice(SURNAMES)}{rng.choice(SUFFIXES)}{i}"
            members.append(
                {
                    "id": i,
                    "nickname": nick,
                    "initials": pinyin_initials(nick),
                    "building": str(rng.randint(1, 20)),
                    "room": f"{rng.randint(1, 30)}{rng.randint(1, 4):02d}",
                    "phone": f"138{rng.randint(10_000_000, 99_999_999)}",
                    "joined_on": start.date(),
                }
            )
            orders.append(
                {
                    "id": i,
                    "chain_id": 1,
                    "seq": i,
                    "member_id": i,
                    "paid": rng.random() < 0.9,
                    "created_at": start,
                    "updated_at": start,
                }
            )
            for item in rng.sample(range(1, len(names) + 1), k=rng.randint(1, 3)):
                qty = rng.randint(1, 3)
                lines.append(
                    {
                        "order_id": i,
                        "item_id": item,
                        "qty": qty,
                        "unit_price_cents": 5900,
                        "collected_qty": qty if rng.random() < 0.3 else 0,
                    }
                )
        s.execute(insert(Member), members)
        s.execute(insert(Order), orders)
        s.execute(insert(OrderLine), lines)
    database.close()
    return len(lines)


def median_ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.1f}"


def domain_numbers(path: Path) -> list[tuple[str, str]]:
    from tuan.db import open_database
    from tuan.domain.pickup.checklist import checklist
    from tuan.domain.pickup.search import Filters, filter_rows

    database = open_database(path)
    loads = []
    for _ in range(7):
        t0 = time.perf_counter()
        with database.session() as s:
            rows = checklist(s, 1)
        loads.append(time.perf_counter() - t0)
    results = [("checklist() query + rows, 2,000 orders (median of 7)", median_ms(loads))]
    for query in ["w", "wy", "1202", "3-1202", "王", "12", ""]:
        runs = []
        for _ in range(21):
            t0 = time.perf_counter()
            filter_rows(rows, Filters(query=query))
            runs.append(time.perf_counter() - t0)
        results.append((f"filter_rows in memory, query {query!r} (median of 21)", median_ms(runs)))
    database.close()
    return results


async def screen_numbers(path: Path) -> list[tuple[str, str]]:
    from textual.widgets import DataTable

    from tuan.tui.app import TuanApp

    app = TuanApp(str(path))
    async with app.run_test(size=(140, 40)) as pilot:
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        visits, shown = [], _shown_clock()
        for _visit in range(2):
            await pilot.press("1")
            for _ in range(3):
                await app.workers.wait_for_complete()
                await pilot.pause()
            shown.clear()
            t0 = time.perf_counter()
            await pilot.press("4")
            while not shown:
                await pilot.pause()
            visits.append((shown[-1][0] - t0, shown[-1][1]))
        assert app.screen.query_one("#checklist", DataTable).row_count
        frame, armed = _frame_clock(app)
        handler = _time_calls(app.screen, "set_filters", armed)
        await pilot.press("slash")
        typed = [await frame(pilot, key, wait_for_handler=True) for key in KEYSTROKES]
        idle = [await frame(pilot, key) for key in ["home", "end"] * 9]
    return [
        (
            "screen: first visit, key 4 until the checklist is on screen",
            f"{visits[0][0] * 1000:.0f}",
        ),
        ("screen: later visit, same", f"{visits[1][0] * 1000:.0f}"),
        (
            "screen: of which the main thread (columns, first page, totals)",
            f"{visits[1][1] * 1000:.0f}",
        ),
        (
            f"screen: filter + refill the table, {len(handler)} keystrokes (median)",
            median_ms(handler),
        ),
        ("screen: same, slowest keystroke", f"{max(handler) * 1000:.1f}"),
        ("screen: key pressed to next frame rendered, filtering (median)", median_ms(typed)),
        ("screen: same, slowest", f"{max(typed) * 1000:.1f}"),
        ("screen: key pressed to next frame, key that filters nothing (baseline)", median_ms(idle)),
    ]


def _shown_clock() -> list[tuple[float, float]]:
    """(finished at, duration) of each `PickupScreen.show_checklist` call."""
    from tuan.tui.pickup.screen import PickupScreen

    calls: list[tuple[float, float]] = []
    original = PickupScreen.show_checklist

    def timed(self, *args):  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        original(self, *args)
        calls.append((time.perf_counter(), time.perf_counter() - t))

    PickupScreen.show_checklist = timed  # type: ignore[method-assign]
    return calls


def _time_calls(target: object, name: str, armed: list[bool]) -> list[float]:
    """Wrap `target.name`: each call's duration is appended to the returned list, and
    `armed` is set once it returns (the next frame is the one that shows its work)."""
    times: list[float] = []
    original = getattr(target, name)

    def timed(*args, **kwargs):  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        result = original(*args, **kwargs)
        times.append(time.perf_counter() - t)
        armed[:] = [True]
        return result

    setattr(target, name, timed)
    return times


def _frame_clock(app):  # type: ignore[no-untyped-def]
    """Press a key and time it until the compositor has rendered the next frame.

    Headless runs render frames but do not write them to a terminal, so this is the app's own
    cost (plus Textual's frame scheduling), not the terminal's.
    """
    pending: list[float] = []
    done: list[float] = []
    armed: list[bool] = []
    display = app._display

    def displayed(target, renderable):  # type: ignore[no-untyped-def]
        display(target, renderable)
        if pending and armed and renderable is not None:
            done.append(time.perf_counter() - pending.pop())

    app._display = displayed

    async def press(pilot, key: str, wait_for_handler: bool = False) -> float:  # type: ignore[no-untyped-def]
        done.clear()
        armed[:] = [] if wait_for_handler else [True]
        pending[:] = [time.perf_counter()]
        await pilot.press(key)
        await pilot.pause()
        await pilot.pause()
        return done[0] if done else float("nan")

    return press, armed


def export_numbers(path: Path, folder: Path) -> list[tuple[str, str]]:
    from tuan.db import open_database
    from tuan.domain.pickup.export_data import ExportOptions, load_export
    from tuan.domain.pickup.exports import export

    database = open_database(path)
    with database.session() as s:
        data = load_export(s, 1)
    results = []
    for options in [
        ExportOptions("csv"),
        ExportOptions("txt"),
        ExportOptions("xlsx"),
        ExportOptions("xlsx", preset="ktt"),
        ExportOptions("pdf"),
        ExportOptions("pdf", sorting=True),
    ]:
        t0 = time.perf_counter()
        out = export(data, folder / f"x.{options.format}", options)
        label = f"export {options.format}{' ktt' if options.preset else ''}"
        label += " sorting" if options.sorting else ""
        results.append(
            (
                f"{label}, 2,000 orders ({out.stat().st_size // 1024} KB)",
                f"{(time.perf_counter() - t0) * 1000:.0f}",
            )
        )
    database.close()
    return results


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "bench.db"
        t0 = time.perf_counter()
        lines = build(path)
        print(
            f"built {ORDERS} orders / {lines} lines in {time.perf_counter() - t0:.1f} s",
            file=sys.stderr,
        )
        rows = domain_numbers(path) + asyncio.run(screen_numbers(path))
        rows += export_numbers(path, folder)
    print(
        f"{time.strftime('%Y-%m-%d')}, {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {platform.system()}"
    )
    print("\n| what | ms |\n|---|---:|")
    for what, value in rows:
        print(f"| {what} | {value} |")


if __name__ == "__main__":
    main()
