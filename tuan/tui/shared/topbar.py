"""The header: app name, current area, database and a clock (from `tuan.clock`, so it freezes)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import Static

from tuan import clock
from tuan.i18n import _
from tuan.tui.shared.host import tuan_app


class TopBar(Horizontal):
    """One line across the top of every area."""

    DEFAULT_CSS = """
    TopBar { height: 1; dock: top; background: $primary; color: $text; }
    TopBar > #brand { width: auto; padding: 0 1; text-style: bold; }
    TopBar > #area { width: auto; padding: 0 1; }
    TopBar > #db { width: 1fr; content-align: right middle; color: $text-muted; }
    TopBar > #clock { width: auto; padding: 0 1; }
    """

    area: reactive[str] = reactive("")

    def __init__(self, area: str) -> None:
        super().__init__()
        self.area = area  # the Chinese source title, like Area.title

    def compose(self) -> ComposeResult:
        yield Static(_("团 tuan"), id="brand")
        yield Static(self._tabs(), id="area")
        yield Static(self._db_label(), id="db")
        yield Static(self._clock_text(), id="clock")

    def on_mount(self) -> None:
        self.set_interval(1, self._tick)

    def _tabs(self) -> Text:
        from tuan.tui.areas import AREAS, area_label

        tabs = Text()
        for area in AREAS:
            style = "reverse bold" if area.title == self.area else ""
            tabs.append(f" {area.key} {area_label(area.title)} ", style=style)
        return tabs

    def _db_label(self) -> Text:
        label = tuan_app(self).db_label
        return Text(label, overflow="ellipsis", no_wrap=True)

    def _clock_text(self) -> str:
        return clock.now().strftime("%m-%d %H:%M:%S")

    def _tick(self) -> None:
        # A tick can land while the app is closing and the bar's children are already gone.
        for shown in self.query("#clock").results(Static):
            shown.update(self._clock_text())
