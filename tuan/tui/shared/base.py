"""What every area screen shares: the top bar, the footer, help, and loading data in a worker.

Screens never query the database on the main thread: `fetch()` runs in a thread worker (it may
import the ORM there, off the first frame's path) and `show()` receives its result on the main
thread (`DataScreen`). An area also reads again only when something was written since.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType

from tuan.i18n import N_
from tuan.tui.shared.host import tuan_app
from tuan.tui.shared.key_bar import KeyBar
from tuan.tui.shared.loading import DataScreen, ReadingT
from tuan.tui.shared.textual_private import (
    ResumeHook,
    keep_styles,
    lay_out_and_draw,
    mark_styles_current,
    start_update_timer,
)
from tuan.tui.shared.topbar import TopBar

WARM_AFTER_SECONDS = 0.2  # after data reached a screen built ahead, once its widgets settled
WARM_QUIET_SECONDS = 0.5  # no key pressed for this long before a screen is drawn off screen


class AreaScreen(ResumeHook, DataScreen[ReadingT]):
    """Base class of the six areas, each reading a `ReadingT` (a frozen dataclass)."""

    AUTO_FOCUS = "DataTable"  # number keys must reach the app, not a search box
    AREA: ClassVar[str] = ""
    CLOCK_TEXT: ClassVar[bool] = False  # shows times relative to now: redrawn as minutes pass
    _shown: ReadingT | None = None  # the last reading on screen
    _drawn_at = ""
    _loaded_at: tuple[int, str] | None = None  # the freshness of the reading under way
    _area_switch = False  # set by the app when this screen comes in front by an area switch
    _mount_done = False
    _mounting = False
    #: Built ahead without its data (`read_when_visited`): read on the first visit.
    unread = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "reload", N_("刷新"), id="reload", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield TopBar(self.AREA)
        yield from self.compose_body()
        yield KeyBar()

    async def on_event(self, event: events.Event) -> None:
        # An area built ahead (`TuanApp._import_next_area`) while the app quits is closed
        # before all its widgets mount (Textual mounts nothing into a closing node), then
        # still gets its Mount: every `on_mount` looking up a widget failed, and the app quit
        # with a traceback. Mounted while the app is stopping, or no longer part of it, there
        # is nothing to set up.
        if isinstance(event, events.Mount) and not (self.app.is_running and self.is_attached):
            return
        await super().on_event(event)

    def compose_body(self) -> ComposeResult:
        """The area's own widgets."""
        yield from ()

    def on_mount(self) -> None:
        # Textual calls every class's `on_mount` up the class tree, and the areas also call
        # this one through super() after their own set-up: it ran twice, starting two readings
        # side by side (a thread worker cannot be stopped), each slowing the screen's first frame.
        if self._mount_done:
            return
        self._mount_done = True
        # Styles were just applied under the current stylesheet. Textual restyles the whole app
        # the first time a screen is shown unless told so (~0.2 s with six areas mounted); a
        # theme change still bumps the app's count and restyles as before.
        mark_styles_current(self, self.app)
        self._mounting = True
        tuan_app(self).after_first_frame(self._first_reading)
        self._mounting = False

    def read_when_visited(self) -> None:
        """Built ahead in the first seconds: read the data once the area is opened (or
        `read_ahead`), not as it mounts, while the leader may be pressing keys."""
        self.unread = True

    def read_ahead(self) -> None:
        """Read the data of an area built without it (it is drawn off screen once read)."""
        if self.unread:
            self.unread = False
            if self._mount_done:
                self.reload()
            # else: still mounting; its `on_mount` reads, as for any area built ahead

    def _first_reading(self) -> None:
        if self.unread:
            return
        if self._mounting and self.is_current:
            # Opened by a key, not built ahead: its first frame goes out before the reading
            # starts. A thread reading beside the screen's first layout and drawing takes the
            # interpreter lock from them every few milliseconds, and doubled the time the leader
            # waited to see the area at all.
            self.note_loaded()  # under way: coming in front must not start it at once
            self.call_after_refresh(self.reload)
        else:
            self.reload()

    def _stale(self) -> bool:
        return self._loaded_at != self._freshness()

    def _freshness(self) -> tuple[int, str]:
        """What a reading depends on: the app's write generation and the day."""
        from tuan import clock

        return tuan_app(self).data_generation, clock.today().isoformat()

    def note_loaded(self) -> None:
        """Record that a reading starts now (screens with their own loaders call this too)."""
        self._loaded_at = self._freshness()

    def reload(self) -> None:
        """Load this area's data in a worker and show it when ready."""
        self.note_loaded()
        super().reload()

    def show_loaded(self, data: ReadingT) -> None:
        """Show a reading; an area the app built ahead also gets its first visit ready."""
        self._shown, self._drawn_at = data, _minute()
        super().show_loaded(data)
        if not self.is_current:  # built ahead by the app: get the first visit ready too
            self.set_timer(WARM_AFTER_SECONDS, self._warm)
        tuan_app(self).first_data_shown()

    def _warm(self) -> None:
        """Lay this area out and draw it once off screen, so its first visit is a quick one.

        A screen's first layout and drawing at the terminal's size fill Textual's caches
        (20-120 ms); done now, while the leader is elsewhere, the switch only shows it.
        """
        if self.is_current or not self.is_attached or not self.app.size:
            return
        if not tuan_app(self).when_quiet(WARM_QUIET_SECONDS, self._warm):
            # The leader is pressing keys (this area's data came after they moved on): the next
            # key would wait for this whole drawing. Later, in a quiet moment.
            return
        lay_out_and_draw(self, self.app.size)
        start_update_timer(self)  # the visit's first frame is drawn at once, not 16.7 ms later

    def before_resume(self, event: events.ScreenResume) -> None:
        if self._area_switch:
            # Switching areas: the screen left was opaque and nothing was drawn over this one,
            # so its styles still hold (as Textual decides when an opaque screen is popped);
            # restyling every node would cost 15-40 ms of each switch, and the lines drawn
            # ahead would be drawn again. An area's first visit gets two resumes (one as its
            # mode starts, one as it is switched to): the flag holds for both, until the
            # screen leaves the front (`on_screen_suspend`).
            keep_styles(event)
        # The mount's own load (perhaps long before, when the app built this area in the
        # background) counts: read again only when something was written since or the day
        # moved on; countdowns are redrawn from what was read when the minute moved.
        if self.unread:
            # Built ahead without its data and now opened: its first frame goes out before the
            # reading starts, as for an area built by its key (`_first_reading`; an area opened
            # while still mounting reads there).
            self.unread = False
            if self._mount_done:
                self.note_loaded()
                self.call_after_refresh(self.reload)
            return
        if not self.is_mounted:
            return
        if self._stale():
            self.reload()
        elif self.CLOCK_TEXT and self._shown is not None and self._drawn_at != _minute():
            self._drawn_at = _minute()
            self.show(self._shown)

    def on_screen_suspend(self) -> None:
        # Covered (a dialog, a pushed screen) or left for another area: the next resume is
        # not an area switch unless the app says so again. A quick switch away and back posts
        # this after the app already brought the screen back: then the flag is the new one's.
        if not self.is_active:  # (`is_current` also holds under a dialog)
            self._area_switch = False


def _minute() -> str:
    from tuan import clock

    return clock.now().strftime("%Y%m%d%H%M")
