"""The 催款 message(s), copied to the clipboard and shown to select by hand.

Copying goes through the shared `copy_text`; it is not guaranteed everywhere (SSH, some
terminals), so the text is on screen too. `c` copies again.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tuan.i18n import N_, _
from tuan.tui.shared.clipboard import copy_text
from tuan.tui.shared.translated import TranslatedBindings


class RemindPayModal(TranslatedBindings, ModalScreen[None]):
    """Shows the messages; they are on the clipboard as it opens."""

    DEFAULT_CSS = """
    RemindPayModal { align: center middle; }
    RemindPayModal > Vertical {
        width: 90; height: auto; max-height: 80%; border: thick $primary; background: $surface;
        padding: 0 1;
    }
    RemindPayModal #remind-pay-heading { text-style: bold; color: $accent; }
    RemindPayModal VerticalScroll { height: auto; max-height: 24; }
    RemindPayModal #remind-pay-keys { color: $text-muted; }
    """
    BINDINGS = [
        Binding("c", "copy", N_("再复制一次"), id="remind_pay.copy"),
        Binding("escape,q,enter", "close", N_("关闭"), id="remind_pay.close"),
    ]

    def __init__(self, heading: str, text: str) -> None:
        super().__init__()
        self.heading = heading
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.heading, id="remind-pay-heading")
            with VerticalScroll():
                yield Static(self.text, id="remind-pay-text", markup=False)
            yield Static(
                _("已复制，可以粘贴到微信。c：再复制一次    esc：关闭"), id="remind-pay-keys"
            )

    def on_mount(self) -> None:
        self.action_copy()

    def action_copy(self) -> None:
        """Put the messages on the clipboard."""
        copy_text(self.app, self.text, _("催款消息已复制，可以粘贴到微信"))

    def action_close(self) -> None:
        """Close."""
        self.dismiss(None)
