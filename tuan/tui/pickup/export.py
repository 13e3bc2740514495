"""Choosing what to export from the pickup screen: content, format, phones, file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Input, Label, RadioButton, RadioSet, Static

from tuan.i18n import N_, _
from tuan.tui.shared.form import FormScreen
from tuan.tui.shared.typed_path import typed_path

CONTENTS = (("checklist", N_("核对清单")), ("sorting", N_("分拣单")), ("ktt", N_("快团团订单表")))
FORMATS = (("pdf", N_("PDF（A4 打印）")), ("xlsx", "Excel"), ("csv", "CSV"), ("txt", N_("纯文本")))


@dataclass(frozen=True)
class ExportRequest:
    """What the leader chose."""

    path: Path
    options: Any  # tuan.domain.pickup.exports.ExportOptions


class ExportModal(FormScreen[ExportRequest | None]):
    """A small form; the export itself runs in a worker once it closes."""

    DEFAULT_CSS = """
    ExportModal > Vertical {
        width: 76; height: auto; border: thick $primary; background: $surface; padding: 0 1;
    }
    ExportModal Horizontal { height: auto; }
    ExportModal RadioSet { width: 1fr; }
    ExportModal Button { margin: 1 1 0 0; }
    """
    BINDINGS = [
        Binding("escape", "cancel", N_("取消"), id="pickup.export.cancel"),
        Binding("ctrl+s", "save", N_("导出"), id="pickup.export.go"),
    ]
    ENTER = "save"
    PROBLEM_TITLE = ""

    def __init__(self, chain: Any, folder: Path) -> None:
        super().__init__()
        self.chain = chain
        self.folder = folder
        self._auto_name = ""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(_("导出：{title}").format(title=self.chain.title), classes="panel-title")
            with Horizontal():
                with RadioSet(id="export-content"):
                    for index, (_key, label) in enumerate(CONTENTS):
                        yield RadioButton(_(label), value=index == 0)
                with RadioSet(id="export-format"):
                    for index, (_key, label) in enumerate(FORMATS):
                        yield RadioButton(_(label), value=index == 0)
            yield Checkbox(_("显示完整手机号（默认打码 138****1234）"), id="export-phone")
            yield Label(_("保存到"))
            yield Input(id="export-path")
            yield self.problem_line("", id="export-error", keep_space=True)
            with Horizontal():
                yield Button(_("导出"), variant="primary", id="export-go")
                yield Button(_("取消"), id="export-cancel")

    def on_mount(self) -> None:
        self._rename()

    def options(self) -> Any:
        """The options chosen so far."""
        from tuan.domain.pickup.export_data import ExportOptions

        content = CONTENTS[self._index("#export-content")][0]
        return ExportOptions(
            format=FORMATS[self._index("#export-format")][0],
            sorting=content == "sorting",
            show_phone=self.query_one("#export-phone", Checkbox).value,
            preset="ktt" if content == "ktt" else "",
        )

    def _index(self, selector: str) -> int:
        index = self.query_one(selector, RadioSet).pressed_index
        return max(index, 0)

    def _rename(self) -> None:
        """Suggest a file name matching the choice, unless the leader typed their own."""
        from tuan.domain.pickup.export_data import default_filename

        field = self.query_one("#export-path", Input)
        if field.value and field.value != self._auto_name:
            return
        self._auto_name = str(self.folder / default_filename(self.chain, self.options()))
        field.value = self._auto_name

    def on_radio_set_changed(self, _event: RadioSet.Changed) -> None:
        self._rename()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "export-go":
            self.action_save()
        else:
            self.action_cancel()

    def save(self) -> None:
        """Check the choice and close with it, or say what is wrong."""
        from tuan.domain.pickup.export_data import ExportError

        options = self.options()
        path = typed_path(self.query_one("#export-path", Input).value)
        try:
            options.check()
            if not path.name:
                raise ExportError(N_("请填写文件名"), "path", code="path.empty")
            if not path.parent.is_dir():
                message = N_("文件夹不存在：{path}，请先建好文件夹或换一个路径")
                raise ExportError(message, "path", code="path.no_folder", path=path.parent)
        except ExportError as error:
            self.show_problems({"": str(error)})
            return
        self.dismiss(ExportRequest(path, options))
