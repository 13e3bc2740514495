"""Partial collection (部分领取): how many of each item of one order were handed over."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from tuan.i18n import N_, _
from tuan.tui.shared.translated import TranslatedBindings


class CollectLinesModal(TranslatedBindings, ModalScreen[dict[int, int] | None]):
    """One field per order line: the quantity collected so far (0 up to what was ordered)."""

    AUTO_FOCUS = "Input"

    DEFAULT_CSS = """
    CollectLinesModal { align: center middle; }
    CollectLinesModal > Vertical {
        width: 64; height: auto; border: thick $primary; background: $surface; padding: 0 1;
    }
    CollectLinesModal .line { height: 3; }
    CollectLinesModal .line Label { width: 30; padding: 1 1 0 0; }
    CollectLinesModal .line Input { width: 10; }
    CollectLinesModal .line .field-error { width: 1fr; padding: 1 0 0 1; color: $error; }
    CollectLinesModal #collect-hint { color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape", "cancel", N_("取消"), id="pickup.collect.cancel"),
        Binding("ctrl+s", "save", N_("保存"), id="pickup.collect.save"),
    ]

    def __init__(self, row: Any) -> None:
        super().__init__()
        self.row = row

    def compose(self) -> ComposeResult:
        title = _("部分领取：第{seq}号 {name} {room}").format(
            seq=self.row.seq, name=self.row.nickname, room=self.row.room_label
        )
        with Vertical():
            yield Static(title, classes="panel-title")
            for line in self.row.lines:
                with Horizontal(classes="line"):
                    yield Label(_("{name} ×{qty}  已领").format(name=line.name, qty=line.qty))
                    yield Input(str(line.collected), type="integer", id=f"line-{line.line_id}")
                    yield Static("", classes="field-error", id=f"error-{line.line_id}")
            yield Static(_("输入已领数量；Tab 换行，回车保存，Esc 取消"), id="collect-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        """Check every field; close with the quantities, or say beside a field what is wrong."""
        quantities: dict[int, int] = {}
        problems = []
        for line in self.row.lines:
            text = self.query_one(f"#line-{line.line_id}", Input).value.strip()
            error = self.query_one(f"#error-{line.line_id}", Static)
            if not text.isdigit() or int(text) > line.qty:
                message = _("请填 0 到 {n}").format(n=line.qty)
                error.update(message)
                problems.append(_("{label}：{value}").format(label=line.name, value=message))
                continue
            error.update("")
            quantities[line.line_id] = int(text)
        if problems:
            self.notify(_("；").join(problems), severity="error", title=_("领取数量不对"))
            return
        self.dismiss(quantities)

    def action_cancel(self) -> None:
        """Close without changing anything."""
        self.dismiss(None)
