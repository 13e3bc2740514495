"""A footer that rebuilds its keys only when they changed.

Textual's Footer recomposes every key widget whenever the screen's bindings are refreshed (each
focus change, each area switch): some 20 ms of restyling on this machine for the same keys.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widget import Widget
from textual.widgets import Footer

from tuan.tui.shared.textual_private import (
    footer_keys_ready,
    set_footer_key_enabled,
    set_footer_keys_ready,
)

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from textual.screen import Screen


class SteadyFooter(Footer):
    """Footer whose keys are rebuilt only when a key, its label or its state changed."""

    _shown: tuple[object, ...] | None = None

    def _keys(self) -> tuple[object, ...]:
        return tuple(
            (binding.key, binding.action, binding.description, binding.show, enabled, tooltip)
            for _node, binding, enabled, tooltip in self.screen.active_bindings.values()
        )

    def compose(self) -> ComposeResult:
        if footer_keys_ready(self):
            self._shown = self._keys()
        yield from super().compose()

    def bindings_changed(self, screen: Screen) -> None:
        same_screen = self._shown is not None and self.is_attached and screen is self.screen
        keys = self._keys() if same_screen else ()
        if same_screen and keys == self._shown:
            set_footer_keys_ready(self)
            return
        if same_screen and _without_state(keys) == _without_state(self._shown or ()):
            # Only a key's state changed (undo possible after the first tick): restyle those
            # keys instead of rebuilding all of them (~15 ms on the frame of that keystroke).
            self._shown = keys
            set_footer_keys_ready(self)
            self._set_states()
            return
        super().bindings_changed(screen)

    def _set_states(self) -> None:
        """Each shown key enabled or not, as the screen's first binding of its action says."""
        enabled: dict[str, bool] = {}
        for _node, binding, on, _tooltip in self.screen.active_bindings.values():
            if binding.show:
                enabled.setdefault(binding.action, on)
        for key in self.walk_children(Widget):  # FooterKey (Textual keeps the class private)
            action = getattr(key, "action", None)
            if isinstance(action, str) and action in enabled:
                set_footer_key_enabled(key, enabled[action])


def _without_state(keys: tuple[object, ...]) -> list[object]:
    return [(*k[:4], *k[5:]) for k in keys if isinstance(k, tuple)]
