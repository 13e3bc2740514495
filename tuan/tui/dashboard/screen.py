"""首页 Dashboard: today's reminders, open chains, today's pickups, the next live, the numbers."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.widgets import Static

from tuan.i18n import N_, _
from tuan.tui.shared.base import AreaScreen
from tuan.tui.shared.host import tuan_app

if TYPE_CHECKING:
    from tuan.domain.dashboard.first_reading import Message
    from tuan.domain.dashboard.view import Overview

HELP = N_(
    """首页是每天早上的第一眼：今天要跟进谁、哪些接龙在进行、今天谁来自提、下一场直播还有多久，
以及店铺的关键数字和它们近 12 个月的走势。

## 每个数字的定义"""
)

WELCOME = N_(
    """欢迎使用「团」！这里还没有数据。

- 按 2 进入接龙，新建你的第一个接龙；
- 或者在终端运行 `tuan demo`，先用演示数据（绿源生活）体验一遍。"""
)


@dataclass(frozen=True)
class DashboardReading:
    """The morning view, and when it was read fresh, the snapshot to store for the next start."""

    overview: Overview
    document: str | None = None


class DashboardScreen(AreaScreen[DashboardReading]):
    """The leader's morning view."""

    AREA = N_("首页")
    CLOCK_TEXT = True
    HELP = HELP
    BINDINGS = [
        *AreaScreen.BINDINGS,
        Binding("r", "inbox", N_("提醒收件箱"), id="dashboard.reminders"),
        Binding("c", "goto('chains')", N_("接龙"), id="dashboard.chains"),
        Binding("p", "goto('pickup')", N_("今日自提"), id="dashboard.pickup"),
        Binding("l", "goto('live')", N_("直播"), id="dashboard.live"),
        Binding("g", "growth", N_("增长"), id="dashboard.growth"),
    ]
    DEFAULT_CSS = """
    DashboardScreen Grid {
        grid-size: 3 2; grid-columns: 1fr 1fr 1fr; grid-rows: auto 1fr; grid-gutter: 0 1;
        padding: 0 1;
    }
    DashboardScreen Grid > .panel { height: 100%; min-height: 8; }
    DashboardScreen #numbers { column-span: 2; }
    DashboardScreen #welcome { column-span: 3; row-span: 2; display: none; }
    """

    _snapshot_first = False  # the first `reload` shows the stored snapshot (see on_mount)

    def compose_body(self) -> ComposeResult:
        with Grid():
            yield Static(_("加载中"), id="reminders", classes="panel")
            yield Static("", id="chains", classes="panel")
            yield Static("", id="pickups", classes="panel")
            yield Static("", id="numbers", classes="panel")
            yield Static("", id="live", classes="panel")
            yield Static(_(WELCOME), id="welcome", classes="panel")

    def help_text(self) -> str:
        from tuan.domain.dashboard.coupons import DEFINITIONS as COUPONS
        from tuan.domain.dashboard.growth import GROWTH_DEFINITIONS
        from tuan.domain.dashboard.metrics import DEFINITIONS

        texts = [*DEFINITIONS.values(), *COUPONS.values(), *GROWTH_DEFINITIONS.values()]
        return _(HELP) + "\n\n" + "\n".join(f"- {_(text)}" for text in texts)

    def action_growth(self) -> None:
        """Open the growth figures: follow-on, cohorts, acquisition cost, KOC and UGC."""
        from tuan.tui.dashboard.growth import GrowthScreen

        self.app.push_screen(GrowthScreen())

    def action_inbox(self) -> None:
        """Open the reminder inbox (overdue, today, upcoming) straight away."""
        from tuan.tui.members.reminder_inbox import ReminderInboxScreen

        self.app.push_screen(ReminderInboxScreen())

    def action_goto(self, mode: str) -> None:
        """Jump to another area."""
        self.app.switch_mode(mode)

    def on_mount(self) -> None:
        self._fresh_shown = False
        self._months_to_store: dict[str, str] = {}  # `meta` entries the quick reading made
        self._stored: Overview | None = None  # the stored snapshot shown
        self._held_key: list[object] | None = None  # the child found it holds, at this key
        # Textual runs `AreaScreen.on_mount` after this one (handlers run up the class tree):
        # it reads once the first frame is out by calling `reload`, which shows the stored
        # snapshot first. Starting the snapshot here as well made two fresh readings run side
        # by side, each slowing the other: the numbers without a snapshot came twice as late.
        self._snapshot_first = tuan_app(self).db_path is not None
        if self._snapshot_first:
            self.note_loaded()  # read below: showing the screen must not start a second reading

    def reload(self) -> None:
        path = tuan_app(self).db_path
        if not self._snapshot_first or path is None:
            super().reload()
            return
        self._snapshot_first = False
        self.note_loaded()  # the fresh reading follows the snapshot: no reload on resume
        self.run_worker(
            lambda: self._show_snapshot(path), thread=True, group="snapshot", exit_on_error=False
        )

    def _show_snapshot(self, path: Path) -> None:
        """The last reading, if it still holds, before the ORM has even loaded.

        The fresh reading starts after it: importing the ORM beside it would hold the
        interpreter lock for most of a second and delay these numbers just as long.
        """
        from tuan.domain.dashboard import first_reading

        try:
            # What the child started at launch read, else the same reading here (no child, or
            # it failed before the end).
            reading, done = tuan_app(self).take_first_reading(), False
            if reading is not None:
                for message in first_reading.messages(reading):
                    done = self._receive(message)
            if not done:
                first_reading.read(path, self._receive)
        finally:
            held = self._stored is not None and self._held_key is not None
            then = self._confirm_held if held else self.reload
            self.app.call_from_thread(tuan_app(self).after_first_frame, then)

    def _receive(self, message: Message) -> bool:
        """One message of the first reading (`first_reading`); True for its last ("done")."""
        from tuan.domain.dashboard import first_reading as reading

        kind, value = message
        if kind == reading.STORED:
            self._stored = value
            self._stored_known(value)
        elif kind == reading.HELD:
            self._held_key = value
        elif kind == reading.NUMBERS:
            self._numbers_known(value)
        elif kind == reading.DOCUMENTS:
            self._months_to_store = value  # stored by the fresh reading, just after
        return kind == reading.DONE

    def _confirm_held(self) -> None:
        """The snapshot on screen held on the deep key when the child read it: once the
        database is open (and watched), the fresh reading is needed only if something was
        written since. On xl that reading (0.2 s of whole-table sums, in this process) came
        just when the leader opened a first area."""
        generation = tuan_app(self).data_generation
        self.run_worker(
            partial(self._check_held, generation), thread=True, group="load", exit_on_error=False
        )

    def _check_held(self, generation: int) -> None:
        from tuan.domain.dashboard import snapshot
        from tuan.tui.shared.orm import import_orm

        try:
            import_orm()  # never beside another thread's first import of it (shared/orm.py)
            path = tuan_app(self).db.path  # opens the database (and its watch) if not yet
            same = path is not None and snapshot.quick_key(path) == self._held_key
        except Exception:  # opening failed: the fresh reading says so, as it always did
            same = False
        self.app.call_from_thread(self._held_checked, same, generation)

    def _held_checked(self, same: bool, generation: int) -> None:
        if self._fresh_shown:
            return  # a fresh reading came first
        if same and generation == tuan_app(self).data_generation and self._stored is not None:
            self.show_loaded(DashboardReading(self._stored))
        else:
            self.reload()  # written to meanwhile: read afresh

    def _stored_known(self, data: Overview) -> None:
        """From the reading's thread: drawn after the first frame, which it would delay by its
        0.1 s of tables."""
        show = partial(self._show_stored, data)
        self.app.call_from_thread(tuan_app(self).after_first_frame, show)

    def _numbers_known(self, data: Overview) -> None:
        """From the reading's thread: show the numbers once the first frame is out."""
        show = partial(self._show_numbers, data)
        self.app.call_from_thread(tuan_app(self).after_first_frame, show)

    def _show_stored(self, data: Overview) -> None:
        if not self._fresh_shown:
            self.show(DashboardReading(data))

    def _show_numbers(self, data: Overview) -> None:
        """Only the numbers panel (the others hold nothing yet: they would read as empty)."""
        from tuan.tui.dashboard import panels

        if not self._fresh_shown:
            self.query_one("#welcome", Static).display = False
            self.query_one("#numbers", Static).update(panels.numbers(data))

    def fetch(self) -> DashboardReading:
        from tuan.domain.dashboard.overview import cached_overview, save_snapshot

        documents, self._months_to_store = self._months_to_store, {}
        if documents:
            # Every month computed by the quick reading: stored through the app's own writer
            # (another connection's commit would read as a write from elsewhere and reload the
            # screen), then found by this reading, which reads only what is new since.
            save_snapshot(tuan_app(self).db, json.dumps(documents))
        with tuan_app(self).db.session() as session:
            return DashboardReading(*cached_overview(session))

    def show_loaded(self, data: DashboardReading) -> None:
        self._fresh_shown = True
        document = data.document
        if document is not None:
            # Stored before the start-up chores begin (showing the first data starts them):
            # on xl the rules' first run held the database for many seconds, and a snapshot
            # queued behind them was sometimes never stored before the app was closed.
            self.run_worker(
                lambda: self._save(document), thread=True, group="snapshot-save",
                exit_on_error=False,
            )  # fmt: skip
        super().show_loaded(data)

    def _save(self, document: str) -> None:
        from tuan.domain.dashboard.overview import save_snapshot

        save_snapshot(tuan_app(self).db, document)

    def show(self, reading: DashboardReading) -> None:
        from tuan.tui.dashboard import panels

        data = reading.overview

        welcome = self.query_one("#welcome", Static)
        if data.empty:
            for panel in self.query(".panel"):
                panel.display = panel is welcome
            return
        welcome.display = False
        self.query_one("#reminders", Static).update(panels.reminders(data))
        self.query_one("#chains", Static).update(panels.open_chains(data))
        self.query_one("#pickups", Static).update(panels.pickups(data))
        self.query_one("#live", Static).update(
            Group(panels.next_live(data), Text(""), panels.lives_and_partners(data))
        )
        self.query_one("#numbers", Static).update(panels.numbers(data))
