"""Forms of the live area: one modal that shows fields, saves in a worker, and shows refusals
beside the field they belong to; and a yes/no confirmation.

The save callback runs in a thread (it writes the database through the domain layer) and raises
the domain's `LiveError`, whose `field` says where the message goes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from tuan.i18n import N_, _
from tuan.tui.shared.translated import TranslatedBindings


@dataclass
class FormField:
    """One field of a form.

    Attributes:
        key: The name the save callback receives the value under.
        label: What the leader sees above the field.
        value: The starting text (or option value for a select).
        placeholder: A grey example inside an empty input.
        options: (label, value) pairs: the field is a select; '' means "none".
    """

    key: str
    label: str
    value: str = ""
    placeholder: str = ""
    options: list[tuple[str, str]] | None = field(default=None)


class FormFields(VerticalScroll, can_focus=False):
    """The scrolling column of fields; focus goes to the fields, never to the column."""


class FormModal(TranslatedBindings, ModalScreen[bool]):
    """A form: enter (on the last field) or ctrl+s saves, escape cancels; dismisses True on save."""

    AUTO_FOCUS = "Input, Select"
    DEFAULT_CSS = """
    FormModal { align: center middle; }
    FormModal > Vertical {
        width: 76; max-height: 90%; height: auto; border: thick $primary;
        background: $surface; padding: 0 1;
    }
    FormModal FormFields { height: auto; max-height: 30; }
    FormModal .form-title { text-style: bold; padding: 0 0 1 0; }
    FormModal .field-label { color: $text-muted; padding-top: 1; }
    FormModal .field-error { color: $error; height: auto; display: none; }
    FormModal .field-error.shown { display: block; }
    FormModal Horizontal { height: auto; }
    FormModal Input, FormModal Select { margin: 0; background: $boost; }
    FormModal #form-hint { color: $text-muted; padding-top: 1; }
    """
    BINDINGS = [
        Binding("escape", "cancel", N_("取消"), id="form.cancel"),
        Binding("ctrl+s", "save", N_("保存"), id="form.save", priority=True),
    ]

    def __init__(
        self, title: str, fields: list[FormField], save: Callable[[dict[str, str]], None]
    ) -> None:
        super().__init__()
        self.form_title = title
        self.fields = fields
        self.save = save

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.form_title, classes="form-title")
            with FormFields():
                for spec in self.fields:
                    yield Label(spec.label, classes="field-label")
                    yield self._widget(spec)
                    yield Static("", id=f"error-{spec.key}", classes="field-error")
            yield Static("", id="error-", classes="field-error")
            with Horizontal():
                yield Static(_("回车保存（最后一栏）  ctrl+s 保存  esc 取消"), id="form-hint")

    def _widget(self, spec: FormField) -> Input | Select[str]:
        if spec.options is not None:
            values = {value for _label, value in spec.options}
            return Select(
                [(label, value) for label, value in spec.options if value],
                value=spec.value if spec.value in values and spec.value else Select.NULL,
                prompt=_("（无）"),
                id=f"field-{spec.key}",
                compact=True,
            )
        return Input(spec.value, placeholder=spec.placeholder, id=f"field-{spec.key}", compact=True)

    def values(self) -> dict[str, str]:
        """Every field's current text ('' for an empty select)."""
        result = {}
        for spec in self.fields:
            widget = self.query_one(f"#field-{spec.key}")
            if isinstance(widget, Select):
                value = widget.value
                result[spec.key] = "" if value is Select.NULL else str(value)
            else:
                assert isinstance(widget, Input)
                result[spec.key] = widget.value
        return result

    def on_input_submitted(self, event: Input.Submitted) -> None:
        inputs = list(self.query(Input))
        if inputs and event.input is inputs[-1]:
            self.action_save()
        else:
            self.focus_next()

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(False)

    def action_save(self) -> None:
        """Clear old messages and save in a worker."""
        for error in self.query(".field-error"):
            assert isinstance(error, Static)
            error.update("")
            error.remove_class("shown")
        self._save(self.values())

    @work(thread=True, exclusive=True, group="form-save", exit_on_error=False)
    def _save(self, values: dict[str, str]) -> None:
        from tuan.domain.live.shows import LiveError

        try:
            self.save(values)
        except LiveError as error:
            self.app.call_from_thread(self.show_error, error.field, str(error))
            return
        self.app.call_from_thread(self.dismiss, True)

    def show_error(self, key: str, message: str) -> None:
        """Show a refusal beside its field (or under the form) and as a notification."""
        known = {spec.key for spec in self.fields}
        target = key if key in known else ""
        error = self.query_one(f"#error-{target}", Static)
        error.update(message)
        error.add_class("shown")
        if target:
            self.query_one(f"#field-{target}").focus()
        self.notify(message, severity="error")


class ConfirmModal(TranslatedBindings, ModalScreen[bool]):
    """A yes/no question: y or enter confirms, n or escape cancels."""

    DEFAULT_CSS = """
    ConfirmModal { align: center middle; }
    ConfirmModal > Vertical {
        width: 60; height: auto; border: thick $warning; background: $surface; padding: 1 2;
    }
    ConfirmModal #confirm-hint { color: $text-muted; padding-top: 1; }
    """
    BINDINGS = [
        Binding("y,enter", "answer(True)", N_("确定"), id="confirm.yes"),
        Binding("n,escape", "answer(False)", N_("取消"), id="confirm.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question)
            yield Static(_("y / 回车 确定    n / esc 取消"), id="confirm-hint")

    def action_answer(self, yes: bool) -> None:
        """Close with the answer."""
        self.dismiss(yes)
