"""A footer that rebuilds its keys only when they changed.

Textual's Footer recomposes every key widget whenever the screen's bindings are refreshed (each
focus change, each area switch): some 20 ms of restyling on this machine for the same keys.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Footer

from tuan.tui.shared.textual_private import footer_keys_ready, set_footer_keys_ready

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
        unchanged = self._shown is not None and self.is_attached and screen is self.screen
        if unchanged and self._keys() == self._shown:
            set_footer_keys_ready(self)
            return
        super().bindings_changed(screen)
