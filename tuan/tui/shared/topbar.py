"""The header: app name, current area, database and a clock (from `tuan.clock`, so it freezes)."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from tuan import clock
from tuan.i18n import _
from tuan.tui.shared.host import tuan_app


class TopBar(Widget):
    """One line across the top of every area: drawn as one text (one widget, not five: every
    widget costs its share of an area's first frame), the clock redrawn each second."""

    DEFAULT_CSS = """
    TopBar { height: 1; dock: top; background: $primary; color: $text; }
    TopBar > .top-bar--db { color: $text-muted; }
    """
    COMPONENT_CLASSES = {"top-bar--db"}

    area: reactive[str] = reactive("")

    def __init__(self, area: str) -> None:
        super().__init__()
        self.area = area  # the Chinese source title, like Area.title

    def on_mount(self) -> None:
        self.set_interval(1, self.refresh)

    def render(self) -> Text:
        line = Text(no_wrap=True, overflow="crop")
        line.append(f" {_('团 tuan')} ", "bold").append(" ").append_text(self._tabs())
        clock = f" {self._clock_text()} "
        room = self.size.width - line.cell_len - len(clock) - 1
        label = self._db_label()
        if room > 0:
            label.truncate(room, overflow="ellipsis")
            line.append(" " * (room - label.cell_len + 1)).append_text(label)
            line.stylize(
                self.get_component_rich_style("top-bar--db"), line.cell_len - label.cell_len
            )
        return line.append(clock)

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
