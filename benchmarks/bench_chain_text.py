"""Benchmark: export and import of a 1,000-entry chain (target: well under 0.2 s each).

Run with `uv run python benchmarks/bench_chain_text.py`; prints a markdown table. Not a test:
timings depend on the machine, so results are recorded in `benchmarks/results_chain_text.md`.
"""

from __future__ import annotations

import platform
import statistics
import time
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from tuan.domain.chains.parse import parse_chain, parse_chain_with_items
from tuan.domain.chains.text import ChainText, EntryItemText, EntryText, ItemText, render_chain
from tuan.domain.shared.quantity import CatalogItem

ENTRIES = 1_000
RUNS = 7
SHANGHAI = ZoneInfo("Asia/Shanghai")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何林罗高"
GIVEN = ["阿姨", "姐", "哥", "叔", "老师", "小美", "晨", "敏", "丽华", "芳", "🌸", "Lily"]
NOTES = ["", "", "", "不要葱", "周六取", "放门口", "下午3点后取"]
ITEMS = (
    ItemText("冷榨橄榄油", 8900, "500ml", 12800, 2, None, "A"),
    ItemText("冷榨亚麻籽油", 5900, "250ml", None, None, 500, "B"),
    ItemText("山茶油", 6800, "500ml", code="C"),
    ItemText("健康厨房入门套装", 19900, code="D"),
)
WORDS = [("橄榄油", "A"), ("亚麻籽油", "B"), ("山茶油", "C"), ("套装", "D")]


def build_chain(count: int) -> ChainText:
    """A chain like the demo's, with `count` varied entries (every 25th left empty)."""
    entries = []
    for seq in range(1, count + 1):
        if seq % 25 == 0:
            entries.append(EntryText(seq))
            continue
        picks = [(seq + k) % len(ITEMS) for k in range(1 + seq % 3)]
        items = tuple(EntryItemText(WORDS[i][seq % 2], 1 + (seq * 7 + i) % 4) for i in picks)
        room = f"{1 + seq % 30}-{100 * (1 + seq % 28) + seq % 4 + 1}" if seq % 5 else ""
        name = SURNAMES[seq % len(SURNAMES)] + GIVEN[(seq // len(SURNAMES)) % len(GIVEN)]
        entries.append(EntryText(seq, name, room, items, NOTES[seq % len(NOTES)]))
    deadline = datetime(2026, 11, 28, 20, 0, tzinfo=SHANGHAI)
    return ChainText(
        title="绿源生活｜冷榨油第3期",
        description="冷榨工艺，保留营养。\n11.28号周六到货",
        items=ITEMS,
        deadline=deadline,
        pickup_place="绿源小屋（3号楼底商）",
        pickup_start=deadline.replace(day=29, hour=10),
        pickup_end=deadline.replace(day=29, hour=18),
        entries=tuple(entries),
    )


def check_round_trip(chain: ChainText, text: str) -> None:
    """Fail loudly if the import does not give back the exported entries."""
    parsed = parse_chain(text)
    word_to_name = {w: i.name for i, pair in zip(ITEMS, WORDS, strict=True) for w in pair}
    expected = [
        (e.seq, e.name, e.room or None, [(word_to_name[i.name], i.qty) for i in e.items], e.note)
        for e in chain.entries
        if e.name
    ]
    got = [
        (e.seq, e.name, e.room, [(i.item, i.qty) for i in e.items], e.note) for e in parsed.entries
    ]
    assert got == expected and not parsed.unparsed, "the import did not give back the export"


def median_seconds(action: Callable[[], object], runs: int = RUNS) -> tuple[float, float]:
    """Median wall time and median CPU time of `runs` calls, after one warm-up call.

    CPU time is shown too because shared machines are often busy: it moves less with load.
    """
    action()
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        action()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    """Time export and both kinds of import, check the import, print the table."""
    chain = build_chain(ENTRIES)
    text = render_chain(chain)
    catalog = [CatalogItem(i.name, i.name, i.spec, (), i.code) for i in ITEMS]
    check_round_trip(chain, text)
    rows = [
        ("export (render_chain)", median_seconds(lambda: render_chain(chain))),
        ("import, header as catalogue (parse_chain)", median_seconds(lambda: parse_chain(text))),
        (
            "import, known items (parse_chain_with_items)",
            median_seconds(lambda: parse_chain_with_items(text, catalog)),
        ),
    ]
    print(f"{ENTRIES:,} entries, {len(text.splitlines()):,} lines, {len(text):,} characters;")
    print(f"median of {RUNS} runs; {platform.machine()}, Python {platform.python_version()}\n")
    print("| operation | median wall | median CPU | target |")
    print("|---|---:|---:|---:|")
    for label, (wall, cpu) in rows:
        print(f"| {label} | {wall * 1000:.1f} ms | {cpu * 1000:.1f} ms | < 200 ms |")


if __name__ == "__main__":
    main()
