"""Benchmark: a 1,000-entry chain imported into the database, re-imported, and exported.

Run with `uv run python benchmarks/bench_chain_import.py`; prints a markdown table. Not a test:
timings depend on the machine, so results are recorded in `benchmarks/results_chains.md`.

Each import is the whole job the leader waits for: read the text (`chain_parse`), match every
line to a member, plan against the chain's orders and apply it in one committed transaction.
Each run starts from a fresh copy of the same database file (copying is not timed), with the
import's in-memory caches emptied. Start-up objects are frozen (`gc.freeze()`) as the app does.
"""

from __future__ import annotations

import gc
import os
import platform
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from tuan import clock
from tuan.db import Database, open_database
from tuan.domain.chains.edit import ChainForm, ItemForm, save_chain
from tuan.domain.chains.export import export_chain
from tuan.domain.chains.import_apply import apply_plan
from tuan.domain.chains.import_draft import build_draft
from tuan.domain.chains.import_plan import plan_import
from tuan.domain.dashboard import kept_months
from tuan.domain.shared import people
from tuan.domain.shared.member_match import core_name
from tuan.domain.shared.people import MemberDraft, create_member, pinyin_initials
from tuan.domain.shared.rooms import parse_room

ENTRIES = 1_000
RUNS = 7
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何林罗高"
GIVEN = [a + b for a in "晓小美丽春秋冬夏明亮" for b in "华芳敏静婷"]  # 20 × 50 distinct names
WORDS = ["橄榄油", "亚麻", "茶油", "套装", "A", "B"]
NOTES = ["", "", "", "（不要葱）", "周六取", "放门口"]


def person(n: int) -> tuple[str, str, str]:
    """The n-th neighbour (0-999, and 1000+ for newcomers): a nickname, building and room."""
    surname = SURNAMES[n % len(SURNAMES)] if n < 1000 else "欧阳"
    name = surname + GIVEN[(n // len(SURNAMES)) % len(GIVEN)]
    return name, str(1 + n % 30), str(100 * (1 + (n // 30) % 26) + 1 + n % 4)


def chain_text(count: int, offset: int = 0, changed: int = 0) -> str:
    """A pasted chain of `count` entries by neighbours offset.. (the first `changed` altered)."""
    lines = ["#接龙", "绿源生活｜冷榨油第3期", "例：1. 王阿姨 3-1202 套装×1", ""]
    for seq in range(1, count + 1):
        name, building, room = person((offset + seq) % 1000)
        qty = 1 + seq % 3 + (1 if seq <= changed else 0)
        picks = [WORDS[(seq + k) % len(WORDS)] for k in range(1 + seq % 2)]
        items = " ".join(f"{word}×{qty}" for word in dict.fromkeys(picks))
        lines.append(f"{seq}. {name} {building}-{room} {items}{NOTES[seq % len(NOTES)]}")
    return "\n".join(lines) + "\n"


def make_template(folder: Path, members: int) -> Path:
    """A database with the chain (four items, no limits) and `members` neighbours."""
    path = folder / f"template-{members}.db"
    database = open_database(path)
    form = ChainForm(title="绿源生活｜冷榨油第3期", deadline="11-28 20:00", items=[
        ItemForm(name="冷榨橄榄油", spec="500ml", price="89", aliases="橄榄油", code="A"),
        ItemForm(name="冷榨亚麻籽油", spec="500ml", price="69", aliases="亚麻籽油 亚麻", code="B"),
        ItemForm(name="山茶油", spec="500ml", price="99", aliases="茶油", code="C"),
        ItemForm(name="健康厨房入门套装", price="259", aliases="套装", code="D"),
    ])  # fmt: skip
    with database.transaction() as session:
        save_chain(session, form)
        for n in range(members):
            name, building, room = person(n)
            create_member(session, MemberDraft(nickname=name, building=building, room=room))
    kept_months.ensure(database)  # as the app does once: the triggers keep them from now on
    with database.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()
    return path


def forget() -> None:
    """Empty the caches an import fills, so every run is as cold as a fresh `tuan chain import`
    (pypinyin's 0.2 s import stays done: that is start-up, not import, cost)."""
    core_name.cache_clear()
    parse_room.cache_clear()
    people._pinyin.cache_clear()  # and the words pypinyin converted


def do_import(database: Database, text: str, group: str = "") -> dict[str, int]:
    """The whole import: read, match, plan, apply, commit."""
    with database.transaction() as session:
        draft = build_draft(session, text, 1, group)
        result = apply_plan(session, draft, plan_import(draft))
    return result.summary


GROUPS = ("", "二群", "三群")
PER_GROUP = 400


def timed(
    prepare: Callable[[], Database], job: Callable[[Database], object]
) -> tuple[float, float, object]:
    """Median wall and CPU seconds of `job` over RUNS fresh databases, and its last result."""
    walls, cpus, result = [], [], None
    for _ in range(RUNS):
        database = prepare()
        wall, cpu = time.perf_counter(), time.process_time()
        result = job(database)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        database.close()
    return statistics.median(walls), statistics.median(cpus), result


def main() -> None:
    clock.freeze(datetime.fromisoformat("2026-11-26T10:00:00+08:00"))
    pinyin_initials("预热")  # pypinyin's one-off import (0.2 s) is start-up, not import, cost
    # As the app does once it has started (`tui/app.py`): what start-up made stays for good, so
    # full garbage collections skip it. Without this, one falling inside an import walks
    # pypinyin's ~190,000 objects (80-110 ms on this machine) and the medians swing with it.
    gc.freeze()
    folder = Path(tempfile.mkdtemp(prefix="tuan-bench-"))
    known = make_template(folder, ENTRIES)
    empty = make_template(folder, 0)
    text = chain_text(ENTRIES)
    imported = folder / "imported.db"
    shutil.copy(known, imported)
    seeded = open_database(imported)
    do_import(seeded, text)
    with seeded.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    seeded.close()

    def fresh(template: Path) -> Callable[[], Database]:
        def prepare() -> Database:
            target = folder / "run.db"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
            shutil.copy(template, target)
            forget()
            return open_database(target)

        return prepare

    later = chain_text(ENTRIES, changed=50) + "".join(
        f"{ENTRIES + k}. {person(1000 + k * 20)[0]} 9-9{k:02d} 套装×1\n" for k in range(1, 51)
    )

    def export_job(database: Database) -> object:
        with database.session() as session:
            return len(export_chain(session, 1).text)

    # One chain posted in three groups: each group's copy (400 entries by other neighbours,
    # numbered 1-400 in its group) imported on its own; the third group is timed.
    copies = [chain_text(PER_GROUP, offset=n * PER_GROUP) for n in range(len(GROUPS))]
    grouped = folder / "grouped.db"
    shutil.copy(known, grouped)
    two = open_database(grouped)
    for group, copy in zip(GROUPS[:2], copies[:2], strict=True):
        do_import(two, copy, group)
    with two.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    two.close()

    def third_group(database: Database) -> object:
        return do_import(database, copies[2], GROUPS[2])

    def third_again(database: Database) -> object:
        do_import(database, copies[2], GROUPS[2])
        forget()
        return do_import(database, copies[2], GROUPS[2])

    def group_export(database: Database) -> object:
        do_import(database, copies[2], GROUPS[2])
        with database.session() as session:
            wall = time.perf_counter()
            size = len(export_chain(session, 1, group=GROUPS[2]).text)
        return f"{size} chars, {(time.perf_counter() - wall) * 1000:.0f} ms alone"

    cases = [
        ("import 1,000 new entries, members known", fresh(known), lambda d: do_import(d, text)),
        ("import 1,000 entries, every member new", fresh(empty), lambda d: do_import(d, text)),
        ("re-import the same copy (all unchanged)", fresh(imported), lambda d: do_import(d, text)),
        ("re-import: 50 changed, 50 new", fresh(imported), lambda d: do_import(d, later)),
        ("export 1,000 entries (database to text)", fresh(imported), export_job),
        ("3 groups x 400: import the third group's copy", fresh(grouped), third_group),
        ("3 groups x 400: the third group again (timed: both)", fresh(grouped), third_again),
        ("3 groups x 400: import + export the third group", fresh(grouped), group_export),
    ]
    machine = f"{platform.machine()}, Python {platform.python_version()}, {os.cpu_count()} cores"
    print(f"{ENTRIES:,} entries, {len(text):,} characters; median of {RUNS} runs; {machine}\n")
    print("| operation | median wall | median CPU | result | target |\n|---|---:|---:|---|---:|")
    for label, prepare, job in cases:
        wall, cpu, result = timed(prepare, job)
        print(f"| {label} | {wall * 1000:.0f} ms | {cpu * 1000:.0f} ms | {result} | < 200 ms |")
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
