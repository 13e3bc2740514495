"""The export panel: the chain text copied to the clipboard and shown to select by hand.

Copying goes through the shared `copy_text` (the terminal and, where there is one, the system
clipboard); neither is guaranteed, so the text is always on screen too, and `ctrl+s` writes it
to a file.
Risky words are listed with their line and column: a warning, never a block.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from tuan.domain.shared.file_errors import os_problem
from tuan.i18n import N_, _, ngettext
from tuan.tui.shared.clipboard import copy_text
from tuan.tui.shared.host import tuan_app
from tuan.tui.shared.key_bar import KeyBar
from tuan.tui.shared.translated import TranslatedBindings


class ChainExportScreen(TranslatedBindings, ModalScreen[None]):
    """Shows (and copies) the chain text or its opening post."""

    DEFAULT_CSS = """
    ChainExportScreen { align: center middle; }
    ChainExportScreen > Vertical {
        width: 90%; max-width: 110; height: 92%; border: thick $primary; background: $surface;
        padding: 0 1;
    }
    ChainExportScreen #export-heading { text-style: bold; color: $accent; }
    ChainExportScreen #export-status { color: $text-muted; }
    ChainExportScreen #export-text { height: 1fr; }
    ChainExportScreen #export-warnings { height: auto; max-height: 8; color: $warning; }
    """
    BINDINGS = [
        Binding("c", "copy", N_("再复制一次"), id="export.copy"),
        Binding("o", "toggle_variant", N_("切换开团文案/完整接龙"), id="export.variant"),
        Binding("ctrl+s", "save_file", N_("保存为文件"), id="export.save"),
        Binding("escape,q", "close", N_("关闭"), id="export.close"),
    ]

    def __init__(self, chain_id: int, *, with_entries: bool = True) -> None:
        super().__init__()
        self.chain_id = chain_id
        self.with_entries = with_entries
        self.exported: Any = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("", id="export-heading")
            yield Static(_("正在生成…"), id="export-status")
            yield TextArea("", id="export-text", read_only=True, soft_wrap=True)
            yield Static("", id="export-warnings")
            yield KeyBar()

    def on_mount(self) -> None:
        self._export()

    @work(thread=True, exclusive=True, group="export")
    def _export(self) -> None:
        from tuan.domain.chains.export import ChainExportError, export_chain

        try:
            with tuan_app(self).db.session() as session:
                exported = export_chain(session, self.chain_id, with_entries=self.with_entries)
        except ChainExportError:
            message = _("找不到接龙 {id}").format(id=self.chain_id)
            self.app.call_from_thread(self.notify, message, severity="error")
            return
        self.app.call_from_thread(self._show, exported)

    def _show(self, exported: Any) -> None:
        self.exported = exported
        kind = _("完整接龙") if self.with_entries else _("开团文案（不带条目）")
        heading = _("{label}：{value}").format(label=kind, value=exported.title)
        self.query_one("#export-heading", Static).update(heading)
        area = self.query_one("#export-text", TextArea)
        area.text = exported.text
        area.focus()
        self.query_one("#export-warnings", Static).update(warnings_text(exported.warnings))
        self._copy()

    def _copy(self) -> None:
        system = copy_text(self.app, self.exported.text)
        lines = self.exported.text.count("\n")
        if system:
            message = _("已复制到剪贴板（{n} 行），可以直接粘贴到微信群").format(n=lines)
        else:
            message = _(
                "已通过终端复制（{n} 行）。粘贴不出来的话，在文本框里选中复制，或按 ctrl+s 存文件"
            ).format(n=lines)
        self.query_one("#export-status", Static).update(message)
        short = _("已复制接龙文字（{n} 行）") if system else _("已通过终端复制（{n} 行）")
        self.notify(short.format(n=lines), title=_("复制"))
        if self.exported.warnings:
            count = len(self.exported.warnings)
            self.notify(
                ngettext(
                    "有 {n} 处可能被限流或违反广告法的用词，见下方提醒",
                    "有 {n} 处可能被限流或违反广告法的用词，见下方提醒",
                    count,
                ).format(n=count),
                severity="warning",
            )

    def action_copy(self) -> None:
        """Copy the text again."""
        if self.exported is not None:
            self._copy()

    def action_toggle_variant(self) -> None:
        """Switch between the whole chain and the opening post."""
        self.with_entries = not self.with_entries
        self._export()

    def action_save_file(self) -> None:
        """Write the text to a file in the documents folder."""
        if self.exported is not None:
            self._save(self.exported.text)

    @work(thread=True, exclusive=True, group="export-save")
    def _save(self, text: str) -> None:
        from platformdirs import user_documents_path

        suffix = "" if self.with_entries else "-opening"
        path = user_documents_path() / f"tuan-chain-{self.chain_id}{suffix}.txt"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            message = _("保存失败：{error}").format(error=os_problem(exc))
            self.app.call_from_thread(self.notify, message, severity="error")
            return
        self.app.call_from_thread(self.notify, _("已保存到 {path}").format(path=path))

    def action_close(self) -> None:
        """Close the panel."""
        self.dismiss(None)


def warnings_text(warnings: Any) -> Text:
    """`用词提醒` and one line per risky word (line, column, reason)."""
    if not warnings:
        return Text(_("用词检查：没有发现敏感词"), style="dim")
    text = Text(_("用词提醒（不影响复制，发之前看看要不要改）") + "\n", style="bold")
    for hit in warnings:
        text.append("- " + hit.describe() + "\n")
    return text
