"""Trust: a killed process leaves a healthy database, imports are all-or-nothing, and a script
writing while the app is open reaches the screen without "database is locked"."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from textual.widgets import DataTable

from tests.helpers import notes, settle, wait_for_workers
from tuan.db import open_database
from tuan.models import Chain, ChainItem
from tuan.tui.app import TuanApp

pytestmark = pytest.mark.sqlite_only
ENTRIES = 1000


def _new_chain(path: Path) -> int:
    database = open_database(path)
    with database.transaction() as s:
        chain = Chain(title="压测接龙", status="open")
        s.add(chain)
        s.flush()
        chain_id = chain.id or 0
        s.add(ChainItem(chain_id=chain_id, code="A", name="五常大米", price_cents=8900))
    database.close()
    return chain_id


def _chain_text(path: Path, entries: int, start: int = 1) -> Path:
    lines = ["#接龙", "压测接龙", "A. 五常大米 ¥89", ""]
    lines += [
        f"{i}. 邻居{chr(0x4E00 + i)} {1 + i % 8}-{1000 + i} 大米×{1 + i % 2}"
        for i in range(start, entries + 1)
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _counts(path: Path, chain_id: int) -> tuple[str, int, int]:
    with sqlite3.connect(path) as conn:
        health = conn.execute("PRAGMA integrity_check").fetchone()[0]
        orders = conn.execute("SELECT count(*) FROM orders WHERE chain_id = ?", (chain_id,))
        members = conn.execute("SELECT count(*) FROM member WHERE nickname LIKE '邻居%'")
        return health, orders.fetchone()[0], members.fetchone()[0]


def _import_command(db: Path, text: Path, chain_id: int) -> list[str]:
    code = "import sys; from tuan.cli import main; sys.argv = sys.argv[1:]; main()"
    return [sys.executable, "-c", code, "tuan", "--db", str(db), "chain", "import", str(text),
            "--chain", str(chain_id), "--yes"]  # fmt: skip


def test_a_killed_import_is_all_or_nothing(tmp_path: Path) -> None:
    db = tmp_path / "crash.db"
    chain_id = _new_chain(db)
    text = _chain_text(tmp_path / "chain.txt", ENTRIES)
    seen = set()
    for delay in (0.8, 1.4, 2.0, 2.6):
        process = subprocess.Popen(_import_command(db, text, chain_id), stderr=subprocess.PIPE)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        health, orders, members = _counts(db, chain_id)
        assert health == "ok"
        assert orders in (0, ENTRIES), f"killed after {delay}s: {orders} orders half-imported"
        assert members in (0, ENTRIES), "members come with their orders or not at all"
        seen.add(orders)
        if orders:
            break
    done = subprocess.run(_import_command(db, text, chain_id), capture_output=True, check=False)
    assert done.returncode == 0, done.stderr.decode()
    assert _counts(db, chain_id) == ("ok", ENTRIES, ENTRIES), "re-import never doubles"


BURST = """
import sys
from tuan.db import open_database
from tuan.domain.live.entry import take_order
from tuan.domain.live.session import start_live
db = open_database(sys.argv[1])
with db.transaction() as s:
    start_live(s, 3)
print("on air", flush=True)
for i in range(400):
    try:
        with db.transaction() as s:
            take_order(s, 3, f"+快手{chr(0x4E00 + i)} {1 + i % 8}-{2000 + i} 橄榄油1")
    except ValueError:
        continue  # refused (stock ran out): the burst goes on, as the leader's typing would
    print("taken", flush=True)
"""


def test_a_killed_live_order_burst_keeps_every_committed_order_whole(demo_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", BURST, str(demo_path)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "on air"
    for _ in range(10):  # some orders are in; kill it while the rest are being taken
        assert process.stdout.readline().strip() == "taken", "the burst ended early"
    process.send_signal(signal.SIGKILL)
    process.wait()
    with sqlite3.connect(demo_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        taken = conn.execute("SELECT count(*) FROM orders WHERE livestream_id = 3").fetchone()[0]
        bare = conn.execute(
            "SELECT count(*) FROM orders o WHERE livestream_id = 3 AND NOT EXISTS "
            "(SELECT 1 FROM orderline l WHERE l.order_id = o.id)"
        ).fetchone()[0]
        status = conn.execute("SELECT status FROM livestream WHERE id = 3").fetchone()[0]
    assert 0 < taken < 400, "the kill landed in the middle of the burst"
    assert bare == 0, "no order without its lines"
    assert status == "live", "the live is still on air, ready to resume"


async def test_a_script_writing_while_the_app_is_open_shows_up(demo_path: Path) -> None:
    text = _chain_text(demo_path.parent / "more.txt", 3)
    app = TuanApp(str(demo_path))
    async with app.run_test(size=(140, 40), message_hook=notes(app)) as pilot:
        await pilot.press("2")
        await settle(app, pilot)
        table = app.screen.query_one("#chain-table", DataTable)
        before = table.row_count
        process = await _run([*_import_command(demo_path, text, 0)[:-3], "--yes"])
        assert process.returncode == 0, process.stderr
        deadline = time.monotonic() + 30  # generous: parallel tests share the cores
        while table.row_count == before and time.monotonic() < deadline:
            await pilot.pause(0.1)
            await wait_for_workers(app)
        assert table.row_count == before + 1, "the imported chain appears without a key press"
        errors = notes(app).errors()
        assert not any("locked" in e for e in errors) and errors == []


async def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
    import asyncio

    return await asyncio.to_thread(
        subprocess.run, command, capture_output=True, text=True, check=False,
        env={**os.environ},
    )  # fmt: skip
