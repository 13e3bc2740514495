"""What the members area's own screens share (member page, inbox, rules, KOC)."""

from __future__ import annotations

from typing import ClassVar

from textual.screen import Screen

from tuan.i18n import N_, _
from tuan.tui.shared.translated import TranslatedBindings


class MemberAreaScreen(TranslatedBindings, Screen[None]):
    """A screen pushed over the members list: help text and load errors like the areas."""

    AREA: ClassVar[str] = N_("团员")
    HELP: ClassVar[str] = ""

    def help_text(self) -> str:
        """The help shown by `?`/F1 (markdown)."""
        return _(self.HELP)

    def load_failed(self, error: Exception) -> None:
        """Tell the leader that reading failed and that nothing was changed."""
        message = _("读取数据失败：{error}。数据没有改动，按 ctrl+r 重试。").format(error=error)
        self.notify(message, severity="error", timeout=10)
