"""Help for the current area (`?` or F1): what it is for and every key it answers to."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from tuan.i18n import N_, _
from tuan.tui.shared.translated import TranslatedBindings


class HelpScreen(TranslatedBindings, ModalScreen[None]):
    """A modal with the area's help text and key list."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 80%; max-width: 100; height: 80%; border: thick $primary;
        background: $surface; padding: 0 1;
    }
    """
    BINDINGS = [
        Binding("escape,q,question_mark,f1", "dismiss", N_("关闭"), id="close_help"),
    ]

    def __init__(self, title: str, body: str, keys: list[tuple[str, str]]) -> None:
        super().__init__()
        self.help_title = title
        self.body = body
        self.keys = keys

    def compose(self) -> ComposeResult:
        lines = [f"# {self.help_title}", "", self.body, "", f"## {_('按键')}", ""]
        lines += [f"- `{key}` {description}" for key, description in self.keys]
        with VerticalScroll():
            yield Markdown("\n".join(lines))
