"""Key descriptions translated when shown, not when the screen class is defined.

`BINDINGS` and `AREA` are class attributes, evaluated once at import: if they called `_` there,
a screen imported before the language was chosen (or a test that switches language) would keep
the first language for good. So they are marked with `N_` (kept as the Chinese source text) and
every place that shows them translates: the footer and Textual's key panel read
`Screen.active_bindings`, which `TranslatedBindings` translates; the help screen and the command
palette call `describe`.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from tuan.i18n import _

if TYPE_CHECKING:
    from typing import Any

    from textual.binding import ActiveBinding, Binding
    from textual.screen import Screen

    _Mixed = Screen[Any]  # what the mixin is put in front of, as mypy sees it
else:
    _Mixed = object


def describe(binding: Binding) -> str:
    """A binding's description in the current language (an area's name, for `2` or `c`)."""
    from tuan.tui.areas import area_label

    return area_label(binding.description) if binding.description else ""


def translated(binding: Binding) -> Binding:
    """A copy of `binding` whose description and tooltip are in the current language."""
    tooltip = _(binding.tooltip) if binding.tooltip else ""
    return dataclasses.replace(binding, description=describe(binding), tooltip=tooltip)


class TranslatedBindings(_Mixed):
    """Mixin for every screen (put it before `Screen`/`ModalScreen` in the bases).

    The footer and the key panel show what `active_bindings` returns, so translating there
    covers the screen's own keys, its focused widgets' keys and the app's keys.
    """

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """Textual's active bindings, with descriptions in the current language."""
        active: dict[str, ActiveBinding] = super().active_bindings
        return {
            key: entry._replace(
                binding=translated(entry.binding),
                tooltip=_(entry.tooltip) if entry.tooltip else "",
            )
            for key, entry in active.items()
        }
