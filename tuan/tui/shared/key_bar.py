"""The keys line at the bottom of every screen: one widget drawing the screen's keys as text.

Textual's Footer mounts a widget per key and rebuilds them whenever the screen's bindings are
refreshed. Traced on an area opened in the first second, its dozen widgets were 15-25 ms of
the ~60 ms before the area's first frame (each mounted, styled, laid out and drawn). This bar
is one widget: the keys are read from the screen's active bindings, drawn as one line of text,
and redrawn only when they changed (a key appears, or becomes possible, as undo after a tick).
It reads the same `active_bindings` the help panel does, so the keys are translated alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text
from textual import events
from textual.widget import Widget

from tuan.i18n import _

if TYPE_CHECKING:
    from textual.screen import Screen


@dataclass(frozen=True)
class Key:
    """One key as the bar shows it."""

    key: str  # what pressing it sends (`App.simulate_key`)
    shown: str  # how it reads: `^q`, `space`
    description: str
    action: str
    enabled: bool
    right: bool = False  # the command palette's, at the right end


class KeyBar(Widget):
    """The screen's keys on one line, the command palette's key at the right."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .key-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._keys: tuple[Key, ...] | None = None  # as drawn; None until first read
        self._spans: list[tuple[int, int, Key]] = []  # cells of each key drawn: [start, end)

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def shown_keys(self) -> tuple[Key, ...]:
        """The keys shown: the first binding of each action shown, the palette's last."""
        if self._keys is None:
            self._keys = self._read_keys()
        return self._keys

    def _read_keys(self) -> tuple[Key, ...]:
        bindings = self.screen.active_bindings
        seen: set[str] = set()
        keys: list[Key] = []
        for _node, binding, enabled, _tooltip in bindings.values():
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            shown = self.app.get_key_display(binding)
            keys.append(Key(binding.key, shown, binding.description, binding.action, enabled))
        palette = bindings.get(self.app.COMMAND_PALETTE_BINDING)
        if self.app.ENABLE_COMMAND_PALETTE and palette is not None:
            _node, binding, enabled, _tooltip = palette
            shown = self.app.get_key_display(binding)
            keys.append(Key(binding.key, shown, _("命令面板"), binding.action, enabled, True))
        return tuple(keys)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if not self.is_attached or screen is not self.screen:
            return
        keys = self._read_keys()
        if keys != self._keys:
            self._keys = keys
            self.refresh()

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-bar--key")
        description_style = self.get_component_rich_style("key-bar--description")
        line, spans = Text(no_wrap=True, overflow="crop"), []

        def add(key: Key) -> None:
            start = line.cell_len
            dim = Style(dim=not key.enabled)
            line.append(f" {key.shown} ", key_style + dim)
            line.append(f"{key.description} ", description_style + dim)
            spans.append((start, line.cell_len, key))

        keys = self.shown_keys()
        for key in (k for k in keys if not k.right):
            add(key)
        for key in (k for k in keys if k.right):  # at the right end, if there is room
            width = Text(f" {key.shown} {key.description} ").cell_len
            gap = self.size.width - line.cell_len - width - 1
            if gap >= 1:
                line.append(" " * gap)
                line.append("▏", Style(dim=True))
                add(key)
        self._spans = spans
        return line

    def on_mouse_down(self, event: events.MouseDown) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                if key.enabled:
                    self.app.simulate_key(key.key)
                else:
                    self.app.bell()
                return
