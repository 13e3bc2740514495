"""After the live: the stored summary beside the chain text, ready to copy and post."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static, TextArea

from tuan.domain.shared.width import cells, pad
from tuan.i18n import _


class LiveEndPanel(Horizontal):
    """The summary (left) and the chain text (right, read-only, selectable)."""

    DEFAULT_CSS = """
    LiveEndPanel { height: 1fr; }
    LiveEndPanel > #end-summary { width: 1fr; border: round $success; padding: 0 1; }
    LiveEndPanel > Vertical { width: 2fr; border: round $primary; }
    LiveEndPanel #chain-text { height: 1fr; border: none; }
    LiveEndPanel #chain-hint { color: $text-muted; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        summary = Static("", id="end-summary")
        summary.border_title = _("直播总结")
        yield summary
        with Vertical() as box:
            box.border_title = _("接龙文本：按 c 复制，发到群里")
            yield TextArea("", id="chain-text", read_only=True, soft_wrap=True)
            yield Static(_("c 复制接龙文本   y 复制总结   esc 返回直播列表"), id="chain-hint")

    def show(self, title: str, pairs: list[tuple[str, str]], chain_text: str) -> None:
        """Fill in the summary (label, value) pairs and the chain text."""
        width = max((cells(label) for label, _value in pairs), default=0) + 2
        text = Text(title + "\n\n", style="bold")
        for label, value in pairs:
            if value:
                text.append(pad(label, width), style="dim")
                text.append(value + "\n", style="bold")
        self.query_one("#end-summary", Static).update(text)
        area = self.query_one("#chain-text", TextArea)
        area.text = chain_text or _("这场直播没有关联接龙")
