"""Every use of Textual's private parts, in one place, each checked against textual 8.2.8.

Textual offers no public way to build a screen off screen, to tell it that its styles are
current, or to skip a restyle it does not need; these buy the instant area switches and the
quick first frame (benchmarks/RESULTS.md). Nothing else in tuan touches a Textual name that
starts with an underscore. `tests/app/test_textual_private.py` checks that each still exists
and still does what is relied on here, so a Textual upgrade that changes one fails loudly
there instead of quietly slowing the app down (or breaking it).

When upgrading Textual: run that test, re-check each note below against the new source, and
update the version in these notes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.events import ScreenResume
from textual.geometry import Region
from textual.screen import Screen
from textual.widgets import Input

if TYPE_CHECKING:
    from collections.abc import Iterable

    from textual.app import App
    from textual.geometry import Size
    from textual.widgets import DataTable

CHECKED_WITH = "8.2.8"


def mount_off_screen(app: App[Any], screen: Screen[Any]) -> None:
    """Mount `screen` (compose, styles, its `on_mount`) without showing it.

    textual 8.2.8: `App._register(parent, *widgets)` is what `push_screen`/`switch_mode` call
    to start a screen; `_get_screen` later finds it running and only shows it.
    """
    app._register(app, screen)


def mark_styles_current(screen: Screen[Any], app: App[Any]) -> None:
    """Tell `screen` that its styles were computed under the app's current stylesheet.

    textual 8.2.8: `_init_mode`, `switch_mode` and `push_screen` call `App.refresh_css()`
    (re-parse every rule, restyle the whole app: 15-200 ms) when a screen's
    `_css_update_count` differs from the app's. A screen built now is styled when it mounts,
    so the refresh would redo what is about to be done; a theme change still bumps the app's
    count and restyles as before.
    """
    screen._css_update_count = app._css_update_count


def lay_out_and_draw(screen: Screen[Any], size: Size) -> None:
    """Lay `screen` out at `size` and draw it once, off screen, filling Textual's caches.

    textual 8.2.8: `Screen._refresh_layout(size)` arranges the widgets (nothing is sent to
    the terminal for a screen not in front) and `Screen._compositor.render_update(full=True)`
    renders every visible line into the widgets' line caches.
    """
    screen._refresh_layout(size)
    screen._compositor.render_update(full=True)


def start_update_timer(screen: Screen[Any]) -> None:
    """Let an off-screen `screen` spend its update timer's first interval now, not on its visit.

    textual 8.2.8: `Screen._update_timer` (an interval of 1 / MAX_FPS, 16.7 ms, made paused)
    paints the screen in front. Its task sleeps one interval after its first resume before the
    first tick; later, paused after its sleep, a resume ticks at once. A screen built ahead had
    never been in front, so its first visit waited those 16.7 ms, idle, before drawing. Resumed
    off screen, it ticks once, does nothing (not current) and pauses itself.
    """
    screen._update_timer.resume()


def keep_styles(event: ScreenResume) -> None:
    """Let a screen coming back in front skip restyling every node.

    textual 8.2.8: `Screen._on_screen_resume` restyles the whole screen unless the event's
    `refresh_styles` is False, as Textual itself sets it when an opaque screen is popped.
    `ScreenResume(refresh_styles=...)` is a constructor argument, not documented as public.
    """
    event.refresh_styles = False


class ResumeHook:
    """Mixed into a screen that may change its `ScreenResume` before Textual's own handler reads it.

    textual 8.2.8: for a handler named `_on_<event>`, Textual calls the subclass's before the
    base class's (`MessagePump._get_dispatch_methods` walks the MRO), and `Screen` restyles in
    its own `_on_screen_resume`; a public `on_screen_resume` runs after that restyle.
    """

    def before_resume(self, event: ScreenResume) -> None:
        """Look at (and maybe `keep_styles`) the event before Textual handles it."""

    def _on_screen_resume(self, event: ScreenResume) -> None:
        self.before_resume(event)


def table_extent(table: DataTable[Any]) -> tuple[int, int]:
    """The width of the row labels and the height of every row, in cells.

    textual 8.2.8: `DataTable._row_label_column_width` and `DataTable._total_row_height`, which
    `DataTable._update_dimensions(new_rows)` (overridden by `FastTable`) adds to the columns.
    """
    return table._row_label_column_width, table._total_row_height


class SteadyInput(Input):
    """An Input whose typing does not lay the whole screen out again, for a box of fixed width
    (the search boxes and live mode's order line: typed into on every keystroke).

    textual 8.2.8: `Input._watch_value` sets `virtual_size` on every change; `virtual_size` is
    a layout reactive, so each key re-arranged every widget of the screen (9 ms a key on the
    members area, a fifth of what a search key costs). The box's size does not depend on its
    text, so only its own repaint is needed; the new `virtual_size` is still set (it bounds the
    box's own horizontal scrolling). A box sized by its content (`width: auto`) keeps Textual's
    layout.
    """

    _typing = False

    def _watch_value(self, value: str) -> None:
        self._typing = True
        try:
            super()._watch_value(value)
        finally:
            self._typing = False

    def refresh(
        self,
        *regions: Region,
        repaint: bool = True,
        layout: bool = False,
        recompose: bool = False,
    ) -> SteadyInput:
        if self._typing and not self.styles.auto_dimensions:
            layout = False
        super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)
        return self


def overridden() -> Iterable[tuple[type, str]]:
    """The private methods tuan overrides (each must still be called by Textual)."""
    from textual.widgets import DataTable

    return [
        (DataTable, "_update_dimensions"),
        (Screen, "_on_screen_resume"),
        (Input, "_watch_value"),
    ]
