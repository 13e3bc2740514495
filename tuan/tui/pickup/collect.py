"""Partial collection (部分领取): how many of each item of one order were handed over."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from tuan.i18n import N_, _
from tuan.tui.shared.form import FormScreen


class CollectLinesModal(FormScreen[dict[int, int] | None]):
    """One field per order line: the quantity collected so far (0 up to what was ordered)."""

    AUTO_FOCUS = "Input"

    DEFAULT_CSS = """
    CollectLinesModal > Vertical {
        width: 64; height: auto; border: thick $primary; background: $surface; padding: 0 1;
    }
    CollectLinesModal .line { height: 3; }
    CollectLinesModal .line Label { width: 30; padding: 1 1 0 0; }
    CollectLinesModal .line Input { width: 10; }
    CollectLinesModal .line .field-error { width: 1fr; padding: 1 0 0 1; color: $error; }
    CollectLinesModal #collect-hint { color: $text-muted; }
    """
    FIELD_ID = "line-{name}"
    PROBLEM_ID = "error-{name}"
    ENTER = "save"
    PROBLEM_TITLE = N_("领取数量不对")

    def __init__(self, row: Any) -> None:
        super().__init__()
        self.row = row

    def compose(self) -> ComposeResult:
        title = _("部分领取：第{seq}号 {name} {room}").format(
            seq=self.row.number, name=self.row.nickname, room=self.row.room_label
        )
        with Vertical():
            yield Static(title, classes="panel-title")
            for line in self.row.lines:
                with Horizontal(classes="line"):
                    yield Label(_("{name} ×{qty}  已领").format(name=line.name, qty=line.qty))
                    yield Input(str(line.collected), type="integer", id=f"line-{line.line_id}")
                    yield self.problem_line(str(line.line_id), classes="field-error")
            yield Static(_("输入已领数量；Tab 换行，回车保存，Esc 取消"), id="collect-hint")

    def save(self) -> None:
        """Check every field; close with the quantities, or say beside a field what is wrong."""
        quantities: dict[int, int] = {}
        problems: dict[str, str] = {}
        for line in self.row.lines:
            text = self.query_one(f"#line-{line.line_id}", Input).value.strip()
            if not text.isdigit() or int(text) > line.qty:
                problems[str(line.line_id)] = _("请填 0 到 {n}").format(n=line.qty)
                continue
            quantities[line.line_id] = int(text)
        if problems:
            self.show_problems(problems, focus=False)
            return
        self.dismiss(quantities)

    def notify_problems(self, errors: dict[str, str], warnings: dict[str, str]) -> None:
        """Every wrong line at once, named by its item."""
        names = {str(line.line_id): line.name for line in self.row.lines}
        said = [_("{label}：{value}").format(label=names[k], value=v) for k, v in errors.items()]
        self.notify(_("；").join(said), severity="error", title=_(self.PROBLEM_TITLE))
