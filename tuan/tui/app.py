"""The tuan app: six areas switched by number keys, one database opened off the main thread."""

from __future__ import annotations

import contextlib
import gc
import sys
import threading
import time
from importlib import import_module
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual import events
from textual.app import App, ScreenStackError
from textual.binding import Binding, BindingType

from tuan.i18n import N_, _
from tuan.tui.areas import AREAS, area_label
from tuan.tui.commands import AreaCommands
from tuan.tui.shared import full_collections
from tuan.tui.shared.base import AreaScreen
from tuan.tui.shared.orm import orm_first
from tuan.tui.shared.textual_private import mark_styles_current, mount_off_screen

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from textual.widget import AwaitMount
    from textual.worker import Worker, WorkType

    from tuan.db import ChangeWatch, Database
    from tuan.domain.shared.forked import Forked
    from tuan.tui.shared.host import TuanHost


AREA_SCREENS = {a.mode: a.screen for a in AREAS}
FIRST_AREA_AHEAD = "chains"  # its code is imported before the first frame (`on_mount`)
ResultT = TypeVar("ResultT")
WATCH_SECONDS = 2.0  # how soon another process's writes appear on screen
# No key pressed for this long before an area is built ahead. Building one holds the app for
# 30-50 ms in bits, beside a thread reading its data: at 1 s, a leader opening areas one a second
# often pressed the next key in the middle of it, and waited half as long again for its frame.
PREBUILD_QUIET_SECONDS = 2.0
PREBUILD_GAP_SECONDS = 0.3  # between two areas built ahead, so keys are never kept waiting long
SNAPSHOT_QUIET_SECONDS = 10.0  # no writes for this long before the dashboard snapshot is renewed
# No key pressed for this long before the start-up chores begin (the rules: seconds of a core
# on xl): as long as before building areas ahead, so a leader looking through the areas in the
# first seconds is not slowed (xl, an area opened then: 46 ms to show instead of 69).
CHORES_QUIET_SECONDS = 2.0
RESUME_QUIET_SECONDS = 0.3  # after the first frame, no key for this long: the child goes on
IMPORT_QUIET_SECONDS = 0.3  # no key pressed for this long before an area's code is imported ahead
IMPORT_GAP_SECONDS = 0.05  # between two areas' imports, so a key never waits for more than one


class TuanApp(App[None]):
    """The leader's cockpit."""

    CSS_PATH = "app.tcss"
    TITLE = "团 tuan"  # i18n-keep: the name, the same in every language
    COMMANDS = App.COMMANDS | {AreaCommands}
    PREBUILD_AFTER: float | None = 0.5  # seconds after the start-up chores; None: never
    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            # Priority: the switch happens before the next key is routed, so keys typed right
            # after a number (`5/wy`) reach the new area. In a text box digits are just typed.
            Binding(
                a.key,
                f"area('{a.mode}')",
                a.title,
                id=f"area.{a.mode}",
                show=False,
                priority=True,
            )
            for a in AREAS
        ),
        Binding("question_mark,f1", "help", N_("帮助"), id="help"),
        Binding("ctrl+q", "quit", N_("退出"), id="quit", priority=True),
    ]

    def __init__(
        self,
        db_target: str,
        *,
        notice: str | None = None,
        db_label: str | None = None,
        first_reading: Forked | None = None,
        rules: Forked | None = None,
    ) -> None:
        super().__init__()
        self.db_target = db_target
        self._first_reading = first_reading  # the dashboard's, started at launch
        self._rules = rules  # the rules' child, started at launch (`startup.start_apart`)
        self._first_reading_taken = False
        self.db_label = db_label or db_target
        self.notice = notice
        self._db: Database | None = None
        self._watch: ChangeWatch | None = None
        self.data_generation = 0
        self._started_chores = False
        self._db_lock = threading.Lock()
        self._snapshot_generation = self._seen_generation = 0
        self._changed_at = self._last_key_at = 0.0
        self._built: dict[str, AreaScreen[Any]] = {}  # areas built, shown or ahead of time
        self._pinyin_warmed = False  # pypinyin imported and its converter made (`_warm_pinyin`)
        for area in AREAS:
            self.add_mode(area.mode, self._area_loader(area.mode, area.screen))
        self._first_frame_out = False
        self._after_first_frame: list[Callable[[], object]] = []
        self._collector_before = gc.get_threshold()  # as found; held while the app runs
        self._full_pass_at = time.monotonic()

    @property
    def db(self) -> Database:
        """The open database; the first caller (a worker) opens and migrates it."""
        with self._db_lock:
            if self._db is None:
                from sqlalchemy import event

                from tuan.db import open_database

                self._db = open_database(self.db_target)
                event.listen(self._db.engine, "commit", self._bump_generation)
                if self._db.path is not None:
                    from tuan.db import ChangeWatch

                    # Watch from the first reading on: a script's write a moment after the
                    # start must not go unnoticed.
                    self._watch = ChangeWatch(self._db)
            return self._db

    @property
    def db_path(self) -> Path | None:
        """The SQLite file behind the app (None for a server database), known before opening."""
        from tuan.db import sqlite_path

        return sqlite_path(self.db_target)

    def _bump_generation(self, conn: Any = None) -> None:
        """Something was written: areas showing older data reload when next shown."""
        if conn is not None:
            if conn.get_execution_options().get("tuan_cache"):
                return  # the dashboard storing its snapshot is not a change of the leader's data
            if conn.info.get("wrote") is False:  # see db._note_write
                return  # a transaction that changed nothing (e.g. rules with nothing new)
        self.data_generation += 1

    def _store_snapshot(self) -> None:
        """Read the dashboard afresh if its snapshot no longer holds, and store it."""
        from tuan.domain.dashboard.overview import renew_snapshot

        renew_snapshot(self.db)

    def _area_loader(self, mode: str, path: str) -> Callable[[], AreaScreen[Any]]:
        """What Textual calls when `mode` is first shown: the screen built ahead, or a new one."""

        def load() -> AreaScreen[Any]:
            screen = self._built.get(mode)
            if screen is None:
                module, _sep, name = path.partition(":")
                screen = getattr(import_module(module), name)()
                assert isinstance(screen, AreaScreen)
                # Styled when it mounts, under the current rules (the theme's own refresh
                # still follows at start-up): no app-wide CSS refresh for it.
                mark_styles_current(screen, self)
                self._built[mode] = screen
            return screen

        return load

    def on_mount(self) -> None:
        self._collector_before = full_collections.hold()
        # The chains' code (the area a leader's day turns on), imported before the first frame
        # (8 ms) rather than when `2` is pressed: opened the instant the first screen showed,
        # the area came 50-80 ms later in a real terminal, the import a part of that which
        # can be done ahead at little cost to the first screen (A/B: 1.05x vs 1.13x, noise).
        import_module(AREA_SCREENS[FIRST_AREA_AHEAD].partition(":")[0])
        self.switch_mode("dashboard")
        self.after_first_frame(self._start_background)
        if self.notice:
            self.notify(self.notice, timeout=6)

    def after_first_frame(self, callback: Callable[[], object]) -> None:
        """Run `callback` once the first frame has been handed to the terminal.

        A thread importing the ORM (a second of CPU) holds the interpreter lock for most of
        that time: started beside the first frame, it made the first screen 2-3x slower to
        appear in a real terminal. So everything that reads the database waits for it.
        """
        if self._first_frame_out:
            callback()
        else:
            self._after_first_frame.append(callback)

    def delay_update(self, delay: float = 0.05) -> None:
        """Never hold the screen back: `switch_mode` asks for 50 ms to mask the change.

        An area switch shows a screen that is built (ahead, or now): there is nothing to mask,
        and the 50 ms were most of what a switch cost in a real terminal. At start-up the frame
        drawn meanwhile was even dropped, leaving the first screen blank until some later
        change asked for a repaint (textual 8.2.8).
        """

    def on_ready(self) -> None:
        # Textual posts Ready once the first screen is laid out; the frame itself may still
        # be waiting for Textual's start-up batch to end: wait for it to be drawn.
        self.call_after_refresh(self._first_frame_done)

    def _first_frame_done(self) -> None:
        self._first_frame_out = True
        if self._first_reading is not None:
            self._first_reading.resume()  # a stored snapshot is read now (`FRAME_OUT`)
            self.set_timer(RESUME_QUIET_SECONDS, self._resume_first_reading)
        waiting, self._after_first_frame = self._after_first_frame, []
        for callback in waiting:
            callback()

    def _resume_first_reading(self) -> None:
        """Let the first reading's child go on past its first message (`first_reading`, its
        `QUIET`) once the first frame is out and the leader is not typing: its deep check, run
        beside the first frame or an area's, made each 1.2x slower (the two cores are not
        independent).
        """
        if self._first_reading is not None and self.when_quiet(
            RESUME_QUIET_SECONDS, self._resume_first_reading
        ):
            self._first_reading.resume()

    def run_worker(
        self,
        work: WorkType[ResultT],
        name: str | None = "",
        group: str = "default",
        description: str = "",
        exit_on_error: bool = True,
        start: bool = True,
        exclusive: bool = False,
        thread: bool = False,
    ) -> Worker[ResultT]:
        """Every thread worker imports the ORM first, one thread at a time (`shared/orm.py`)."""
        return super().run_worker(
            orm_first(work, thread), name, group, description, exit_on_error, start, exclusive,
            thread,
        )  # fmt: skip

    def _start_background(self) -> None:
        from tuan.domain.live.on_air import on_air

        # Asked of the file directly (a millisecond): a worker would import the ORM first,
        # holding the interpreter while the dashboard's numbers are read.
        found = None if self.db_path is None else on_air(self.db_path)
        if found is None:
            self.run_worker(self._resume_live, thread=True, group="resume", exit_on_error=False)
        elif found:
            self.action_area("live")
        self.set_interval(WATCH_SECONDS, self._watch_changes)
        self.set_interval(full_collections.QUIET, self._full_pass_when_quiet)

    def _full_pass_when_quiet(self) -> None:
        """The collector's full pass, at most every `EVERY` seconds, never while typing."""
        now = time.monotonic()
        if now - self._full_pass_at < full_collections.EVERY:
            return
        if self.quiet_for() < full_collections.QUIET:
            return
        self._full_pass_at = now
        gc.collect()

    def first_data_shown(self) -> None:
        """The first screen has its data: now the slower start-up chores may run."""
        if not self._started_chores:
            self._started_chores = True
            self._start_chores()
            self.set_timer(IMPORT_GAP_SECONDS, self._import_next_area)

    def _start_chores(self) -> None:
        """The day's backup and the rules, once the leader is not typing.

        The rules are Python over every member and recent order (0.3 s on the large demo, 1.6 s
        on xl): in their own process (`startup.start_apart`) they still take a core, and an
        area opened meanwhile took half as long again to appear. Their reminders show a moment
        later instead.
        """
        if not self.is_running:
            return
        if not self.when_quiet(CHORES_QUIET_SECONDS, self._start_chores):
            return
        self.run_worker(self._after_open, thread=True, group="startup", exit_on_error=False)

    def _import_next_area(self) -> None:
        """Import the code of the next area not opened yet, then build the next area's screen
        (without its data), while the leader is not typing.

        An area's module (its screen, widgets and the Textual widgets they use) took 5-15 ms to
        import on the main thread when its key was first pressed, before anything could be
        drawn; its screen's widgets and their styles took 15-20 ms more (the pickup area on
        the large demo: half of the 35 ms the app spent between the key and the area's first
        frame). Both are done here, one step at a time, in the first quiet moments: an area
        opened in the first seconds only lays out and draws. Its data is read when it is
        opened, or when the app builds areas ahead once the start-up chores are done
        (`_prebuild_next`): a thread reading beside the leader's keys slows every one.
        """
        if not self.is_running:
            return
        pending = [
            module
            for module, _sep, _name in (a.screen.partition(":") for a in AREAS)
            if module not in sys.modules
        ]
        unbuilt = [a.mode for a in AREAS if a.mode not in self._built]
        if not pending and (not unbuilt or self.PREBUILD_AFTER is None):
            return
        if not self.when_quiet(IMPORT_QUIET_SECONDS, self._import_next_area):
            return
        if pending:
            import_module(pending[0])
        elif not getattr(self.screen, "BUILD_AHEAD", True):
            return  # on air: `_prebuild_next` builds them once live mode is left
        else:
            screen = self._area_loader(unbuilt[0], AREA_SCREENS[unbuilt[0]])()
            screen.read_when_visited()
            mount_off_screen(self, screen)
        self.set_timer(IMPORT_GAP_SECONDS, self._import_next_area)

    def quiet_for(self) -> float:
        """Seconds since the leader last pressed a key."""
        return time.monotonic() - self._last_key_at

    def when_quiet(self, seconds: float, again: Callable[[], object]) -> bool:
        """Whether no key has been pressed for `seconds`; if one has, `again` is called once
        that long has passed since it (work that would hold up the next key's frame)."""
        quiet = self.quiet_for()
        if quiet < seconds:
            self.set_timer(seconds - quiet, again)
            return False
        return True

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            self._last_key_at = time.monotonic()
        await super().on_event(event)

    def _prebuild_next(self) -> None:
        """Build the next area the leader has not opened yet, while they are not typing.

        Building a screen (its widgets and their styles) and reading its data take 0.2-0.5 s
        on a big database; done ahead, in quiet moments and one area at a time, the first
        visit costs no more than a return visit.
        """
        if not self.is_running:
            return  # closing: a screen mounted now would find its widgets gone
        pending = [a.mode for a in AREAS if a.mode not in self._built or self._built[a.mode].unread]
        if not pending and self._pinyin_warmed:
            # Everything the app keeps is built: spare later garbage collections from walking
            # it all again (pypinyin's tables alone are ~250,000 objects, a 60 ms pause).
            gc.freeze()
            return
        if not self.when_quiet(PREBUILD_QUIET_SECONDS, self._prebuild_next):
            return
        if not getattr(self.screen, "BUILD_AHEAD", True):  # live mode: later
            self.set_timer(PREBUILD_QUIET_SECONDS, self._prebuild_next)
            return
        if not pending:
            # Last, pinyin: a new member's initials or items typed by theirs (`tz2`) need it, and
            # the first use in a process imported it there and then (~0.2 s after the key).
            self.run_worker(self._warm_pinyin, thread=True, group="warm", exit_on_error=False)
            return
        built = self._built.get(pending[0])
        if built is not None:  # built in the first seconds, without its data: read it now
            built.read_ahead()
        else:
            # Textual finds the screen running when the area is first shown, and only shows it.
            mount_off_screen(self, self._area_loader(pending[0], AREA_SCREENS[pending[0]])())
        self.set_timer(PREBUILD_GAP_SECONDS, self._prebuild_next)

    def _warm_pinyin(self) -> None:
        try:
            from tuan.domain.shared.people import pinyin_initials

            pinyin_initials("团长")  # i18n-keep: a word to convert, never shown
        finally:  # warmed or not, once
            self._pinyin_warmed = True
            if self.is_running:
                self.call_from_thread(self._prebuild_next)

    def _after_open(self) -> None:
        """Beside the first screen's reads: the day's backup, then the rules (reminders, tags).

        The rules run after the first paint so the numbers come up at once; when they add
        anything, the screen reloads to show it.
        """
        from tuan.backup import daily_backup
        from tuan.domain.dashboard import kept_months
        from tuan.tui.startup import last_report, run_rules

        daily_backup(self.db)
        run_rules(self.db, self._rules, wanted=lambda: self.is_running)
        with contextlib.suppress(Exception):  # a cache: counted again on the next start
            kept_months.ensure(self.db)  # once after the upgrade (5 s on xl), else a check
        report = last_report()
        if report is not None and report.changed:
            self.call_from_thread(self._reload_screen)
        if self.PREBUILD_AFTER is not None:  # after the rules, whose writes would date them
            self.call_from_thread(self.set_timer, self.PREBUILD_AFTER, self._prebuild_next)

    def _watch_changes(self) -> None:
        self.run_worker(
            self._check_changes, thread=True, group="watch", exclusive=True, exit_on_error=False
        )
        generation, now = self.data_generation, time.monotonic()
        if generation != self._seen_generation:
            self._seen_generation, self._changed_at = generation, now
        elif (
            generation != self._snapshot_generation
            and now - self._changed_at >= SNAPSHOT_QUIET_SECONDS
            and self.db_path is not None
        ):
            # Written to, then quiet: renew the dashboard's snapshot so the next start shows
            # the numbers at once (not during a burst of orders, to keep the keys instant).
            self._snapshot_generation = generation
            self.run_worker(self._store_snapshot, thread=True, group="snapshot-save",
                            exclusive=True, exit_on_error=False)  # fmt: skip

    def _check_changes(self) -> None:
        """Another process wrote (e.g. `tuan chain import` from a script): show it."""
        if self._watch is not None and self._watch.changed_elsewhere():
            self._bump_generation()
            self.call_from_thread(self._reload_screen)

    def _reload_screen(self) -> None:
        """Refresh the screen in front for writes it did not make itself."""
        try:
            screen = self.screen
        except ScreenStackError:  # the app is closing: its screens are gone, nothing to show
            return
        reload = getattr(screen, "reload", None)
        if not callable(reload):
            return
        if any(worker.node is screen and not worker.is_finished for worker in self.workers):
            # Never cancel the screen's own work (a read, a write the leader asked for): retry.
            self.set_timer(0.3, self._reload_screen)
            return
        reload()

    def _resume_live(self) -> None:
        """A live still on air when the app closed (or crashed) comes straight back."""
        from tuan.domain.live.session import running_live

        with self.db.session() as session:
            live = running_live(session)
        if live is not None:
            self.call_from_thread(self.action_area, "live")

    def switch_mode(self, mode: str) -> AwaitMount:
        """Bring an area to the front (see `AreaScreen._on_screen_resume`)."""
        switched = super().switch_mode(mode)
        if isinstance(self.screen, AreaScreen):  # every mode is an area
            self.screen._area_switch = True
        return switched

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "area":
            from textual.widgets import Input, TextArea

            # Not from a dialog (it would be left behind), nor while typing in a text box.
            return not self.screen.is_modal and not isinstance(self.focused, Input | TextArea)
        return True

    def action_area(self, mode: str) -> None:
        """Go to an area (number keys 1–6)."""
        if self.current_mode != mode:
            self.switch_mode(mode)

    def action_help(self) -> None:
        """Show help for the current area."""
        from tuan.tui.shared.help import HelpScreen
        from tuan.tui.shared.translated import describe

        screen = self.screen
        keys = [
            (binding.key_display or binding.key, describe(binding))
            for binding in [*getattr(screen, "BINDINGS", []), *self.BINDINGS]
            if isinstance(binding, Binding) and binding.description
        ]
        keys.insert(0, ("1-6", "  ".join(f"{a.key} {area_label(a.title)}" for a in AREAS)))
        keys.append(("ctrl+p", _("命令面板：搜索所有操作")))
        title = area_label(getattr(screen, "AREA", "") or N_("帮助"))
        body = screen.help_text() if hasattr(screen, "help_text") else ""
        self.push_screen(HelpScreen(title, body, keys))

    def take_first_reading(self) -> Forked | None:
        """The dashboard's first reading started at launch (`first_reading`), once."""
        if self._first_reading_taken:
            return None
        self._first_reading_taken = True
        return self._first_reading

    def on_unmount(self) -> None:
        full_collections.release(self._collector_before)
        if self._first_reading is not None:
            # Closed with the app even while it is still reading (xl: seconds): the thread
            # waiting for it is let go.
            self._first_reading.close()
        if self._rules is not None:
            self._rules.close()  # a run not told to go, or still at work: stopped
        if self._watch is not None:
            self._watch.close()
        if self._db is not None:
            if self.data_generation != self._snapshot_generation:
                self._store_snapshot()  # written since it was renewed: the next start has it
            self._db.close()


if TYPE_CHECKING:

    def _offers_what_screens_use(app: TuanApp) -> TuanHost:
        """Never called: mypy checks here that `TuanApp` is a `TuanHost` (`tuan_app()`)."""
        return app
