"""Reading a screen's data in a thread worker and showing it on the main thread: one way for all.

`fetch()` runs in the worker (it may import the ORM there and use `tuan_app(self).db`); `show()`
receives its result on the main thread: a reading, the small frozen dataclass each screen declares
for what it reads (`DataScreen[ChainsReading]`). A failed read is said out loud, with the
assurance that nothing was changed, instead of leaving the screen frozen. The areas (`AreaScreen`)
build on this, and so do the screens pushed over them (a member's page, the reminder inbox, a
run-of-show).
"""

from __future__ import annotations

from typing import ClassVar, Generic, TypeVar

from textual import work
from textual.screen import Screen

from tuan.i18n import _
from tuan.tui.shared.orm import import_orm
from tuan.tui.shared.translated import TranslatedBindings

ReadingT = TypeVar("ReadingT")


class DataScreen(TranslatedBindings, Screen[None], Generic[ReadingT]):
    """A screen that reads what it shows in a worker: `reload()` reads, `show()` paints."""

    HELP: ClassVar[str] = ""
    #: Read again whenever the screen comes back to the front (after a form or another screen).
    RELOAD_ON_RESUME: ClassVar[bool] = False
    _data_shown = False

    def help_text(self) -> str:
        """The help shown by `?`/F1 (markdown)."""
        return _(self.HELP)

    def on_screen_resume(self) -> None:
        if self.RELOAD_ON_RESUME and self._data_shown:
            self.reload()

    def action_reload(self) -> None:
        """Read the database again (another process may have written)."""
        self.reload()

    def reload(self) -> None:
        """Read this screen's data in a worker and show it when ready."""
        self._load()

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _load(self) -> None:
        try:
            import_orm()  # never beside another thread's first import of it (shared/orm.py)
            data = self.fetch()
        except Exception as error:  # the leader sees what failed instead of a frozen screen
            self.app.call_from_thread(self.show_error, error)
            raise
        self.app.call_from_thread(self.show_loaded, data)

    def show_loaded(self, data: ReadingT) -> None:
        """Receive a reading on the main thread and show it."""
        self._data_shown = True
        self.show(data)

    def show_error(self, error: Exception) -> None:
        """Tell the leader that reading failed and that nothing was changed."""
        message = _("读取数据失败：{error}。数据没有改动，按 ctrl+r 重试。").format(error=error)
        self.notify(message, severity="error", timeout=10)

    def fetch(self) -> ReadingT:
        """Read what the screen shows (runs in a thread; may use `tuan_app(self).db`)."""
        raise NotImplementedError

    def show(self, data: ReadingT) -> None:
        """Put fetched data on screen (main thread)."""
