"""What the leader sees, timed through a real terminal (tmux at 160×45), against a bare Textual app.

Every figure is read off the terminal itself (`tmux capture-pane`, polled every few ms), never
from inside the app: a frame counts only once it is on the screen. Each round starts fresh
processes and alternates them with a bare Textual app (a header, a 20-row table, a footer: the
one in /work/shared/tools/bare_app.py), so each ratio compares two runs made moments apart on
the same loaded machine. The first round is a warm-up (it also writes the bytecode caches);
the medians are over the rounds after it.

- first screen: from starting the process until at least five non-blank lines are shown;
- dashboard numbers: until the numbers panel shows (its `团员总数` row), with the snapshot the
  app stores; with that snapshot removed (a language switch: the closed months' figures are
  kept); on the first start of a month (the closed months stored a month back); after an
  item's cost was set (the closed months' margins move); with nothing stored (a first start
  ever: the months the database keeps are there); and with nothing kept either (once, the
  first start after the upgrade to schema 16, or the first in another time zone);
- areas: a number key pressed at the first screen, then others in the next seconds (before
  the app has built them ahead), then every area again once it has: "shown" is when the top
  bar lights the area's tab (the area is in front: each area draws its own bar; a change
  elsewhere, such as the dashboard's numbers arriving just after the key, does not count),
  "settled" the last change before the screen stays still for SETTLE seconds (its data
  drawn);
- keys: a members search letter, and a pickup tick (space, twice: it restores the data);
- live order: in live mode (on a copy of the database where a planned live was started), a
  line such as `Amy妈 A1` typed into the entry, then Enter: "answered" when its 已记录 line is
  on screen, "listed" when the order also shows in the latest orders (one member per order);
- `tuan chain list --json` against a script importing the ORM and running the same query;
- peak memory: the app process's VmHWM (/proc) at the end of its longest run.

Processes run with Python's bytecode cache on (in a temporary PYTHONPYCACHEPREFIX), as an
installed app has it; `--no-bytecode` measures with every module compiled at each start.

Run: `uv run python benchmarks/bench_terminal.py [--db DB | --scale large|xl] [--rounds 7]`
(with neither, it builds the large demo in a temporary folder). Prints a markdown table.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
BARE_APP = HERE / "bare_app.py"
SOCKET = f"tuan-bench-{os.getpid()}"
SIZE = ("160", "45")
NUMBERS_MARK = "团员总数"
SETTLE = 0.5  # seconds without a change before a screen counts as settled
LIMIT = 30.0  # seconds before a measurement gives up


def tmux(*args: str) -> str:
    return subprocess.run(
        ["tmux", "-L", SOCKET, *args], capture_output=True, text=True, check=False
    ).stdout


def pane(session: str, colours: bool = False) -> list[str]:
    """The screen's lines; with `colours`, with their escape codes (a moved cursor row)."""
    return tmux("capture-pane", "-p", *(["-e"] if colours else []), "-t", session).splitlines()


def body(lines: list[str]) -> tuple[str, ...]:
    """The screen without its first line, where the top bar's clock ticks every second."""
    return tuple(lines[1:])


def in_front(lines: list[str]) -> str:
    """The area whose tab the top bar shows lit (reverse video), from a capture with colours."""
    found = re.search(r"\x1b\[(?:\d+;)*7m([^\x1b]*)", lines[0]) if lines else None
    return found.group(1).strip() if found else ""


@dataclass
class Run:
    """One process in its own tmux session."""

    command: str
    env: dict[str, str]
    session: str = field(default_factory=lambda: f"s{time.monotonic_ns()}")
    started: float = 0.0

    def __enter__(self) -> Run:
        # The bytecode cache is on unless asked (the environment of this session may say no).
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in self.env.items())
        command = f"exec env -u PYTHONDONTWRITEBYTECODE {exports} {self.command}"
        tmux("new-session", "-d", "-s", self.session, "-x", SIZE[0], "-y", SIZE[1], command)
        self.started = time.monotonic()
        return self

    def __exit__(self, *exc: object) -> None:
        tmux("kill-session", "-t", self.session)

    def pid(self) -> int:
        return int(tmux("display", "-p", "-t", self.session, "#{pane_pid}").strip() or 0)

    def wait_for(self, test: object, since: float | None = None) -> float:
        """Seconds from `since` (the start) until `test(lines)` holds; inf if it never does."""
        start = self.started if since is None else since
        while time.monotonic() - start < LIMIT:
            if test(pane(self.session)):  # type: ignore[operator]
                return time.monotonic() - start
            time.sleep(0.002)
        return float("inf")

    def key(self, *keys: str, area: bool = False) -> tuple[float, float]:
        """Send keys; seconds until the screen first changes (with `area`: until another area
        is in front, as its tab lit in the top bar says), and until it settled."""
        full = pane(self.session, colours=True)
        before, front = body(full), in_front(full)
        sent = time.monotonic()
        tmux("send-keys", "-t", self.session, *keys)
        first = last = float("inf")
        seen = before
        while time.monotonic() - sent < LIMIT:
            full = pane(self.session, colours=True)
            now = body(full)
            at = time.monotonic()
            changed = now != seen
            if changed:
                seen, last = now, at - sent
            if first == float("inf") and (in_front(full) != front if area else changed):
                first = at - sent
            if not changed and last != float("inf") and at - sent - last > SETTLE:
                break
            time.sleep(0.002)
        return first, last

    def quit(self) -> None:
        """ctrl+q, then wait for the process to end (it stores what it must on exit)."""
        tmux("send-keys", "-t", self.session, "C-q")
        deadline = time.monotonic() + LIMIT
        while time.monotonic() < deadline and self.session in tmux(
            "list-sessions", "-F", "#{session_name}"
        ):
            time.sleep(0.05)

    def peak_rss_mb(self) -> float:
        try:
            status = Path(f"/proc/{self.pid()}/status").read_text()
        except OSError:
            return float("nan")
        kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM"))
        return kb / 1024


def filled(lines: list[str]) -> bool:
    return sum(1 for line in lines if line.strip()) >= 5


def numbers_shown(lines: list[str]) -> bool:
    return any(NUMBERS_MARK in line for line in lines)


def forget_snapshot(db: str) -> None:
    """What a language switch drops (the snapshot is keyed by language): the stored closed
    months' figures (`dashboard.months`, plain numbers) are kept."""
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM meta WHERE key = 'dashboard.snapshot'")


def forget_months(db: str) -> None:
    """What a first start ever has: no snapshot, no closed months stored (the months the
    database keeps, kept from its first start on, are there)."""
    forget_snapshot(db)
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM meta WHERE key LIKE 'dashboard.months%'")


def forget_kept(db: str) -> None:
    """What the first start after the upgrade to schema 16 has (or the first in another time
    zone): nothing stored, no months kept by the database either."""
    from tuan.domain.dashboard import kept_months

    forget_months(db)
    with sqlite3.connect(db) as conn:
        for table in kept_months.TABLES:
            conn.execute(f"DELETE FROM {table}")


def count_kept(db: str) -> None:
    """What the app's start-up chores do after that start (5 s on xl), done here so the next
    rounds find the months kept whether or not the app lived long enough to do it."""
    from tuan.db import open_database
    from tuan.domain.dashboard import kept_months

    database = open_database(db)
    try:
        kept_months.ensure(database)
    finally:
        database.close()


def set_a_cost(db: str) -> None:
    """What the leader's next start finds after setting a cost in the app: the snapshot no
    longer holds (tuan's write moved the generation), the closed months are stored with the
    old cost. The item is one sold last month, so closed months' margins move."""
    from tuan import clock
    from tuan.domain.dashboard.order_rows import month_labels, month_start_utc

    forget_snapshot(db)
    zone = clock.local_zone()
    last, current = month_labels(clock.today(), 2)
    with sqlite3.connect(db) as conn:
        conn.execute(
            "UPDATE chainitem SET cost_cents = COALESCE(cost_cents, 0) + 100 WHERE id = "
            "(SELECT l.item_id FROM orderline l JOIN orders o ON o.id = l.order_id "
            " WHERE o.created_at >= ? AND o.created_at < ? LIMIT 1)",
            (month_start_utc(last, zone), month_start_utc(current, zone)),
        )


def rewind_months(db: str) -> None:
    """What the first start of a month finds: no snapshot that holds (another month), and the
    closed months and ledgers as the last reading of last month stored them, at its worst: its
    recent ledger `closed.CHECKPOINT` orders before the month's end (a reading then stores a
    new one), so the app folds in those orders of last month and this month's."""
    from tuan import clock
    from tuan.domain.dashboard import closed
    from tuan.domain.dashboard.order_rows import cursor_rows, month_labels, month_start_utc

    forget_months(db)
    zone = clock.local_zone()
    start = month_start_utc(f"{clock.today():%Y-%m}", zone)
    with sqlite3.connect(db) as conn:
        row = conn.execute(
            "SELECT created_at FROM orders WHERE created_at < ? ORDER BY created_at DESC "
            "LIMIT 1 OFFSET ?", (start, closed.CHECKPOINT - 1),
        ).fetchone()  # fmt: skip
        moment = datetime.fromisoformat(row[0]).astimezone(zone)
        clock.freeze(moment)
        try:
            day = moment.date()
            found = closed.figures(cursor_rows(conn), month_labels(day, 12), day, deep=True)
        finally:
            clock.freeze(None)
        assert found is not None and found.documents
        conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", found.documents.items())


def has_snapshot(db: str) -> bool:
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT 1 FROM meta WHERE key = 'dashboard.snapshot'").fetchone()
    return row is not None


@dataclass
class Samples:
    values: dict[str, list[float]] = field(default_factory=dict)

    def add(self, name: str, value: float) -> None:
        self.values.setdefault(name, []).append(value)

    def median(self, name: str) -> float:
        found = [v for v in self.values.get(name, []) if v != float("inf")]
        return statistics.median(found) if found else float("inf")

    def worst(self, name: str) -> float:
        found = self.values.get(name, [])
        return max(found) if found else float("inf")


def one_round(
    python: str, db: str, env: dict[str, str], s: Samples, keep: bool, numbers_only: bool = False
) -> None:
    bare = f"{shlex.quote(python)} {shlex.quote(str(BARE_APP))}"
    app = f"{shlex.quote(python)} -m tuan.launcher --db {shlex.quote(db)} --lang zh"

    def record(name: str, value: float) -> None:
        if keep:
            s.add(name, value)

    # 1. bare, then the app with its stored snapshot: first screen and the numbers
    with Run(bare, env) as run:
        bare_first = run.wait_for(filled)
        time.sleep(0.5)
        _first, bare_key = run.key("Down")  # the floor: tmux, polling and one Textual frame
    record("bare app key (table cursor down)", bare_key)
    if not has_snapshot(db):
        # The last run ended before its snapshot was stored (killed while the rules held the
        # database on xl): open the app until it stores one, as the first start did.
        print("no stored snapshot: opening the app to store one", file=sys.stderr)
        with Run(app, env) as run:
            run.wait_for(lambda _lines: has_snapshot(db))
    with Run(app, env) as run:
        first = run.wait_for(filled)
        numbers = run.wait_for(numbers_shown)
    record("bare first screen", bare_first)
    record("first screen", first)
    record("first screen ratio", first / bare_first)
    record("numbers", numbers)
    record("numbers ratio", numbers / bare_first)

    # 2. bare, then the app without a snapshot (it stores a new one: wait for it)
    with Run(bare, env) as run:
        bare_first = run.wait_for(filled)
    forget_snapshot(db)
    with Run(app, env) as run:
        first = run.wait_for(filled)
        numbers = run.wait_for(numbers_shown)
        run.wait_for(lambda _lines: has_snapshot(db))
    record("bare first screen (2)", bare_first)
    record("first screen, no snapshot", first)
    record("numbers, no snapshot", numbers)
    record("numbers, no snapshot ratio", numbers / bare_first)

    # 2b. the first start of a month (closed months one month behind), a first start ever
    # (nothing stored), the first after the upgrade (nothing kept either): bare, then the app
    for name, forget, after in (
        ("new month", rewind_months, None),
        ("cost set", set_a_cost, None),
        ("nothing stored", forget_months, None),
        ("nothing kept", forget_kept, count_kept),
    ):
        with Run(bare, env) as run:
            bare_first = run.wait_for(filled)
        forget(db)
        with Run(app, env) as run:
            run.wait_for(filled)
            numbers = run.wait_for(numbers_shown)
            run.wait_for(lambda _lines: has_snapshot(db))
        if after is not None:
            after(db)
        record(f"numbers, {name}", numbers)
        record(f"numbers, {name} ratio", numbers / bare_first)

    if numbers_only:
        return
    # 3. areas at any moment, then keys
    with Run(app, env) as run:
        run.wait_for(filled)
        for key, name in (("2", "chains"), ("5", "members"), ("4", "pickup")):
            shown, settled = run.key(key, area=True)
            record(f"early {name} shown", shown)
            record(f"early {name} settled", settled)
        time.sleep(8)  # the start-up chores are done and every area is built ahead
        for key, name in (("3", "live"), ("6", "partners"), ("1", "dashboard"), ("2", "chains")):
            shown, settled = run.key(key, area=True)
            record(f"later {name} shown", shown)
            record(f"later {name} settled", settled)
        run.key("5")
        run.key("/")
        for letter in "wy":
            _first, settled = run.key(letter)
            record("members search key", settled)
        run.key("Escape")
        run.key("4")
        for _ in range(2):
            _first, settled = run.key("Space")
            record("pickup tick", settled)
        record("peak RSS MB", run.peak_rss_mb())
        run.quit()  # as the leader does: the app renews its snapshot for the next start


def live_round(python: str, live: LiveSetup, env: dict[str, str], s: Samples, keep: bool) -> None:
    """Orders typed in live mode: the app resumes the live on air straight into live mode."""
    app = f"{shlex.quote(python)} -m tuan.launcher --db {shlex.quote(live.db)} --lang zh"
    with Run(app, env) as run:
        run.wait_for(lambda lines: any(ENTRY_MARK in line for line in lines))
        time.sleep(3)  # the start-up chores are done
        for _ in range(2):
            nickname = live.nicknames.pop()  # one order each: no per-person limit is reached
            tmux("send-keys", "-t", run.session, "-l", f"{nickname} {live.code}1")
            time.sleep(0.3)
            before = pane(run.session)
            done = {line for line in before if DONE_MARK in line}
            sent = time.monotonic()
            tmux("send-keys", "-t", run.session, "Enter")
            answered = run.wait_for(
                lambda lines, d=done: any(DONE_MARK in ln and ln not in d for ln in lines),
                since=sent,
            )
            listed = run.wait_for(
                lambda lines, n=nickname: any(n in ln and DONE_MARK not in ln for ln in lines),
                since=sent,
            )
            if keep:
                s.add("live order answered", answered)
                s.add("live order listed", listed)
            time.sleep(1.0)
        run.quit()


ENTRY_MARK = "记一单"  # live mode's entry line, shown once the live is on air
DONE_MARK = "已记录"  # the entry's answer to an order it saved


@dataclass
class LiveSetup:
    db: str
    code: str  # an item of the live's chain
    nicknames: list[str]  # members each fitting only their own name, one per order


SETUP_LIVE = """
import sys
from tuan.db import open_database
from tuan.tui.live.mode_actions import run_action
print(run_action(open_database(sys.argv[1]), int(sys.argv[2]), "start"))
"""


def setup_live(python: str, db: str, orders: int) -> LiveSetup:
    """A copy of `db` with its planned live on air, an item and members to order it."""
    copy = str(Path(tempfile.mkdtemp()) / "live.db")
    with sqlite3.connect(db) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    with sqlite3.connect(copy) as conn:
        live_id, chain_id = conn.execute(
            "SELECT id, chain_id FROM livestream WHERE status = 'planned' ORDER BY id LIMIT 1"
        ).fetchone()
        (code,) = conn.execute(
            "SELECT code FROM chainitem WHERE chain_id = ? AND (stock IS NULL OR stock > ?) "
            "ORDER BY position LIMIT 1",
            (chain_id, orders + 5),
        ).fetchone()
        # long, unique nicknames (no other member's name contains them), of members with no
        # order in the live's chain yet (one who has reached an item's limit is refused)
        names = [n for (n,) in conn.execute(
            "SELECT nickname FROM member WHERE nickname NOT LIKE '% %' AND id NOT IN "
            "(SELECT member_id FROM orders WHERE chain_id = ? AND member_id IS NOT NULL) "
            "GROUP BY nickname HAVING count(*) = 1 ORDER BY length(nickname) DESC, nickname "
            "LIMIT ?",
            (chain_id, orders * 3),
        )]  # fmt: skip
    subprocess.run([python, "-c", SETUP_LIVE, copy, str(live_id)], check=True,
                   capture_output=True)  # fmt: skip
    return LiveSetup(copy, code, names)


def chain_list(python: str, db: str, env: dict[str, str], rounds: int) -> tuple[float, float]:
    command = [python, "-m", "tuan.cli", "--db", db, "chain", "list", "--json"]
    orm = [python, "-c", ORM_PLUS_QUERY.format(db=db)]
    cli_times: list[float] = []
    orm_times: list[float] = []
    full_env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | env
    for index in range(rounds + 1):
        for cmd, times in ((orm, orm_times), (command, cli_times)):
            start = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True, env=full_env)
            if index:
                times.append(time.perf_counter() - start)
    return statistics.median(cli_times), statistics.median(orm_times)


ORM_PLUS_QUERY = """
import json
from tuan.db import open_database
from tuan.domain.chains.listing import list_chains
with open_database({db!r}).session() as s:
    print(json.dumps([c.title for c in list_chains(s)]))
"""


def ms(value: float) -> str:
    return "—" if value == float("inf") else f"{value * 1000:,.0f} ms"


def table(s: Samples, cli: float, orm: float, load: str, scale: str) -> str:
    rows = [
        "| what (terminal, 160×45) | median | ratio to bare | target | status |",
        "|---|---|---|---|---|",
        f"| bare Textual app, first screen | {ms(s.median('bare first screen'))} | 1.00 | | |",
    ]

    def ratio_row(label: str, value: str, ratio: str, target: float | None) -> None:
        r = s.median(ratio)
        if target is None:  # not a state the leader meets twice: shown, not held to a target
            rows.append(f"| {label} | {ms(s.median(value))} | {r:.2f}× | | (once) |")
            return
        status = "met" if r <= target else "**not met**"
        rows.append(f"| {label} | {ms(s.median(value))} | {r:.2f}× | ≤ {target}× | {status} |")

    ratio_row("tuan, first screen", "first screen", "first screen ratio", 1.2)
    ratio_row("tuan, dashboard numbers (stored snapshot)", "numbers", "numbers ratio", 2.0)
    ratio_row("tuan, dashboard numbers (no snapshot: language switch; closed months kept)",
              "numbers, no snapshot", "numbers, no snapshot ratio", 2.5)  # fmt: skip
    ratio_row("tuan, dashboard numbers (first start of a month: last month to fold in)",
              "numbers, new month", "numbers, new month ratio", 2.5)  # fmt: skip
    ratio_row("tuan, dashboard numbers (after a cost set: closed months' margins to move)",
              "numbers, cost set", "numbers, cost set ratio", 2.5)  # fmt: skip
    ratio_row("tuan, dashboard numbers (nothing stored: first start ever)",
              "numbers, nothing stored", "numbers, nothing stored ratio", 2.5)  # fmt: skip
    ratio_row(
        "tuan, dashboard numbers (nothing kept either: the first start after the upgrade "
        "to schema 16)",
        "numbers, nothing kept",
        "numbers, nothing kept ratio",
        None,
    )
    names = sorted(
        k for k in s.values if k.startswith(("early", "later", "members", "pick", "live"))
    )
    for name in ["bare app key (table cursor down)", *names]:
        value = s.median(name)
        worst = s.worst(name)
        shown = name.endswith(("shown", "key", "tick", "answered", "listed"))
        status = ("met" if value <= 0.05 else "**not met**") if shown else "(data read)"
        if name.startswith("bare"):
            status = "the floor"
        rows.append(f"| {name} | {ms(value)} (worst {ms(worst)}) | | ≤ 50 ms | {status} |")
    if cli == cli:  # not NaN: measured
        status = "met" if cli / orm <= 1.2 else "**not met**"
        rows.append(f"| `tuan chain list --json` | {ms(cli)} | {cli / orm:.2f}× ORM + query "
                    f"| ≤ 1.2× | {status} |")  # fmt: skip
        rows.append(f"| import the ORM + the same query | {ms(orm)} | | | |")
    if "peak RSS MB" in s.values:
        rss = s.median("peak RSS MB")
        rows.append(f"| app peak memory (VmHWM) | {rss:.0f} MB | | < 400 MB | "
                    f"{'met' if rss < 400 else '**not met**'} |")  # fmt: skip
    rounds = len(s.values.get("first screen", []))
    head = f"Scale: {scale}. Load average before / after: {load}. Rounds: {rounds}."
    return head + "\n\n" + "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db")
    parser.add_argument("--scale", default="large")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--no-bytecode", action="store_true")
    parser.add_argument("--numbers-only", action="store_true",
                        help="only the first screen and the dashboard's numbers (no areas, keys "
                        "nor chain list): the minutes an xl run spends elsewhere")  # fmt: skip
    args = parser.parse_args()
    python = sys.executable
    db = args.db
    if db is None:
        db = str(Path(tempfile.mkdtemp()) / f"{args.scale}.db")
        subprocess.run([python, "-m", "tuan.cli", "--db", db, "demo", "--no-tui", "--scale",
                        args.scale], check=True, capture_output=True)  # fmt: skip
    env = {"TERM": "xterm-256color", "COLORTERM": "truecolor"}
    if args.no_bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    else:
        env["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="tuan-pyc-")
    load_before = os.getloadavg()[0]
    tmux("new-session", "-d", "-s", "keep", "sleep 3600")
    samples = Samples()
    live = setup_live(python, db, 2 * (args.rounds + 1))
    try:
        # the first start stores the dashboard's snapshot the others use
        app = f"{shlex.quote(python)} -m tuan.launcher --db {shlex.quote(db)} --lang zh"
        with Run(app, env) as run:
            run.wait_for(lambda _lines: has_snapshot(db))
        for index in range(args.rounds + 1):
            one_round(python, db, env, samples, keep=index > 0, numbers_only=args.numbers_only)
            if not args.numbers_only:
                live_round(python, live, env, samples, keep=index > 0)
            print(f"round {index} done", file=sys.stderr)
    finally:
        tmux("kill-server")
    nothing = (float("nan"), float("nan"))
    cli, orm = nothing if args.numbers_only else chain_list(python, db, env, args.rounds)
    load = f"{load_before:.1f} / {os.getloadavg()[0]:.1f}"
    print(table(samples, cli, orm, load, args.scale if args.db is None else scale_of(db)))


def scale_of(db: str) -> str:
    """What a given database holds, for the table's first line (`--db` says nothing of it)."""
    with sqlite3.connect(db) as conn:
        members = int(conn.execute("SELECT count(*) FROM member").fetchone()[0])
        orders = int(conn.execute("SELECT count(*) FROM orders").fetchone()[0])
    return f"{members:,} members, {orders:,} orders"


if __name__ == "__main__":
    main()
