"""The live area's form: labels above compact fields, saved through the domain in a worker.

The save callbacks (see `specs`) run in a thread and raise the domain's `LiveError`, whose
`field` says where the message goes; one that is no field's fault shows under the form.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Label, Static

from tuan.i18n import _
from tuan.tui.shared.form import SpecFormScreen

if TYPE_CHECKING:
    from tuan.tui.live.specs import FormSpec
    from tuan.tui.shared.loading import DataScreen


class FormFields(VerticalScroll, can_focus=False):
    """The scrolling column of fields; focus goes to the fields, never to the column."""


class FormModal(SpecFormScreen[bool]):
    """Enter (on the last field) or ctrl+s saves, Esc cancels; closes with True once saved."""

    AUTO_FOCUS = "Input, Select"
    DEFAULT_CSS = """
    FormModal > Vertical {
        width: 76; max-height: 90%; height: auto; border: thick $primary;
        background: $surface; padding: 0 1;
    }
    FormModal FormFields { height: auto; max-height: 30; }
    FormModal .form-title { text-style: bold; padding: 0 0 1 0; }
    FormModal .field-label { color: $text-muted; padding-top: 1; }
    FormModal Horizontal { height: auto; }
    FormModal Input, FormModal Select { margin: 0; background: $boost; }
    FormModal #form-hint { color: $text-muted; padding-top: 1; }
    """
    FIELD_ID = "field-{name}"
    PROBLEM_ID = "error-{name}"
    CANCELLED = False
    PROBLEM_TITLE = ""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.form_title, classes="form-title")
            with FormFields():
                yield from self.compose_specs()
            yield self.problem_line("")
            with Horizontal():
                yield Static(_("回车保存（最后一栏）  ctrl+s 保存  esc 取消"), id="form-hint")

    def close_with(self, result: Any) -> None:
        """Close with True: saved."""
        self.dismiss(True)


def open_form(screen: DataScreen, spec: FormSpec) -> None:
    """Open a form from a thread worker (where `spec` was read); once saved, `screen` says so
    and reads again."""
    title, fields, save = spec

    def after(saved: bool | None) -> None:
        if saved:
            screen.notify(_("已保存"))
            screen.reload()

    screen.app.call_from_thread(screen.app.push_screen, FormModal(title, fields, save), after)
