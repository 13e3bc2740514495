"""What every area screen shares: the top bar, the footer, help, and loading data in a worker.

Screens never query the database on the main thread: `fetch()` runs in a thread worker (it may
import the ORM there, off the first frame's path) and `show()` receives its result on the main
thread.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer

from tuan.i18n import N_, _
from tuan.tui.translated import TranslatedBindings
from tuan.tui.widgets.topbar import TopBar


class AreaScreen(TranslatedBindings, Screen[None]):
    """Base class of the six areas."""

    AUTO_FOCUS = "DataTable"  # number keys must reach the app, not a search box
    AREA: ClassVar[str] = ""
    HELP: ClassVar[str] = ""
    BINDINGS: ClassVar[list[Binding]] = [
        Binding("ctrl+r", "reload", N_("刷新"), id="reload", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield TopBar(self.AREA)
        yield from self.compose_body()
        yield Footer()

    def help_text(self) -> str:
        """The help shown by `?`/F1 (markdown)."""
        return _(self.HELP)

    def compose_body(self) -> ComposeResult:
        """The area's own widgets."""
        yield from ()

    def on_mount(self) -> None:
        self._just_mounted = True
        self.reload()

    def on_screen_resume(self) -> None:
        # The first resume follows the mount's own load; later ones mean the leader came back,
        # and only need a reload when something was written since (or the day moved on).
        if getattr(self, "_just_mounted", False):
            self._just_mounted = False
            return
        if self.is_mounted and self._stale():
            self.reload()

    def _stale(self) -> bool:
        from tuan import clock

        seen = getattr(self, "_loaded_at", None)
        now = (getattr(self.app, "data_generation", 0), clock.now().strftime("%Y%m%d%H%M"))
        return seen != now

    def action_reload(self) -> None:
        """Read the database again (another process may have written)."""
        self.reload()

    def reload(self) -> None:
        """Load this area's data in a worker and show it when ready."""
        self._load()

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _load(self) -> None:
        from tuan import clock

        self._loaded_at = (
            getattr(self.app, "data_generation", 0),
            clock.now().strftime("%Y%m%d%H%M"),
        )
        try:
            data = self.fetch()
        except Exception as error:  # the leader sees what failed instead of a frozen screen
            self.app.call_from_thread(self.show_error, error)
            raise
        self.app.call_from_thread(self._show_first, data)

    def _show_first(self, data: Any) -> None:
        self.show(data)
        chores = getattr(self.app, "first_data_shown", None)
        if callable(chores):
            chores()

    def show_error(self, error: Exception) -> None:
        """Tell the leader that reading failed and that nothing was changed."""
        message = _("读取数据失败：{error}。数据没有改动，按 ctrl+r 重试。").format(error=error)
        self.notify(message, severity="error", timeout=10)

    def fetch(self) -> Any:
        """Read what the area shows (runs in a thread; may use `self.app.db`)."""
        return None

    def show(self, data: Any) -> None:
        """Put fetched data on screen (main thread)."""
