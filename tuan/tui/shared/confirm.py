"""The yes/no question before something that cannot be taken back (cancel, delete, end a live)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from tuan.domain.shared.width import wrap
from tuan.i18n import N_, _
from tuan.tui.shared.translated import TranslatedBindings


class ConfirmScreen(TranslatedBindings, ModalScreen[bool]):
    """Returns True for `y`/Enter, False for `n`/Escape."""

    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical {
        width: 64; height: auto; border: thick $warning; background: $surface; padding: 1 2;
    }
    ConfirmScreen #confirm-title { text-style: bold; color: $warning; }
    ConfirmScreen #confirm-keys { color: $text-muted; margin: 1 0 0 0; }
    """
    BINDINGS = [
        Binding("y,enter", "answer(True)", N_("确定"), id="confirm.yes"),
        Binding("n,escape", "answer(False)", N_("不要"), id="confirm.no"),
    ]

    def __init__(self, question: str, title: str = "") -> None:
        super().__init__()
        self.question = question
        self.heading = title or _("请确认")

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.heading, id="confirm-title")
            yield Static("\n".join(wrap(self.question, 56)), id="confirm-question")
            yield Static(_("y 或 回车：确定    n 或 esc：不要"), id="confirm-keys")

    def action_answer(self, yes: bool) -> None:
        """Close with the answer."""
        self.dismiss(yes)
