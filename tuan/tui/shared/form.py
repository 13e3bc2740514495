"""A keyboard-first modal form: labelled one-line fields, problems shown beside each field.

Enter moves to the next field (and saves on the last one), ctrl+s saves from anywhere, Esc
cancels. Subclasses compose their fields with `field()` and implement `save()`, usually as a
thread worker that calls the domain and then `show_problems()` or `dismiss()`.
"""

from __future__ import annotations

from typing import Any, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea

from tuan.i18n import N_, _
from tuan.tui.shared.translated import TranslatedBindings

ResultT = TypeVar("ResultT")


class FormScreen(TranslatedBindings, ModalScreen[ResultT]):
    """Base class of the members area's forms."""

    DEFAULT_CSS = """
    FormScreen { align: center middle; }
    FormScreen > VerticalScroll {
        width: 76; height: auto; max-height: 95%; border: thick $primary;
        background: $surface; padding: 0 1;
    }
    FormScreen .dialog-title { text-style: bold; color: $accent; padding-bottom: 1; }
    FormScreen .field { height: auto; }
    FormScreen .field-label { width: 12; padding-top: 0; color: $text-muted; }
    FormScreen .field Input, FormScreen .field Select { width: 1fr; }
    FormScreen .field TextArea { width: 1fr; height: 5; }
    FormScreen .field-problem { padding-left: 12; height: auto; }
    FormScreen .field-problem.-error { color: $error; }
    FormScreen .field-problem.-warning { color: $warning; }
    FormScreen .hint { color: $text-muted; padding-top: 1; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", N_("保存"), id="form.save", priority=True),
        Binding("escape", "cancel", N_("取消"), id="form.cancel"),
    ]
    TITLE_TEXT = ""
    HINT = N_("回车到下一项，ctrl+s 保存，Esc 取消")

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(_(self.TITLE_TEXT), classes="dialog-title", id="form-title")
            yield from self.compose_fields()
            yield Static(_(self.HINT), classes="hint")

    def compose_fields(self) -> ComposeResult:
        """The form's fields, each made with `field()`."""
        yield from ()

    @staticmethod
    def field(name: str, label: str, widget: Widget) -> ComposeResult:
        """A labelled field `f-<name>` with a problem line `p-<name>` under it."""
        widget.id = f"f-{name}"
        with Horizontal(classes="field"):
            yield Label(label, classes="field-label")
            yield widget
        problem = Static("", id=f"p-{name}", classes="field-problem")
        problem.display = False
        yield problem

    def show_field(self, name: str, visible: bool) -> None:
        """Show or hide a field (and its problem line) that does not apply right now."""
        widget = self.query_one(f"#f-{name}")
        if widget.parent is not None:
            widget.parent.display = visible  # type: ignore[attr-defined]
        if not visible:
            self.query_one(f"#p-{name}").display = False

    def value(self, name: str) -> Any:
        """What a field holds now (text, a Select's value, a checkbox's state)."""
        widget = self.query_one(f"#f-{name}")
        if isinstance(widget, TextArea):
            return widget.text
        if isinstance(widget, Select):
            return None if widget.value is Select.NULL else widget.value
        if isinstance(widget, Input | Checkbox):
            return widget.value
        raise TypeError(name)

    def show_problems(self, errors: dict[str, str], warnings: dict[str, str] | None = None) -> None:
        """Show each problem beside its field and say the first one out loud."""
        warnings = warnings or {}
        for problem in self.query(".field-problem").results(Static):
            name = (problem.id or "p-").removeprefix("p-")
            message = errors.get(name) or warnings.get(name) or ""
            problem.update(message)
            problem.display = bool(message)
            problem.set_class(name in errors, "-error")
            problem.set_class(name not in errors and name in warnings, "-warning")
        unplaced = [m for n, m in {**warnings, **errors}.items() if not self.query(f"#p-{n}")]
        first = next(iter(errors.values()), None) or next(iter(warnings.values()), None)
        if errors:
            self.notify(first or "", title=_("请修改"), severity="error")
        elif warnings:
            self.notify(first or "", title=_("请确认"), severity="warning")
        if unplaced:
            self.query_one("#form-title", Static).update(
                f"{_(self.TITLE_TEXT)}\n" + "\n".join(unplaced)
            )
        bad = next((n for n in errors or warnings if self.query(f"#f-{n}")), None)
        if bad:
            self.query_one(f"#f-{bad}").focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        fields = [w for w in self.query(".field > *") if w.id and w.id.startswith("f-")]
        if fields and event.input is fields[-1]:
            self.action_save()
        else:
            self.focus_next()

    def action_save(self) -> None:
        """Check and store the form."""
        self.save()

    def save(self) -> None:
        """Subclasses: validate and write, then dismiss or show problems."""

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)  # type: ignore[arg-type]
