"""The one base of every form: labelled fields with a problem line beside each, saved in a worker.

ctrl+s saves from anywhere and Esc cancels. Enter moves to the next field and saves on the last
typed one (`ENTER`). A form names each field's widget `FIELD_ID` and the `ProblemLine` beside it
`PROBLEM_ID` (both formatted with the field's name); `field()` composes a labelled pair.

`save()` reads the fields on the main thread and hands a function to `save_in_thread()`. That
function writes through the domain in a thread worker and returns what the form closes with. A
refusal (a domain error, whose `field` says where it belongs, or `Problems` for several at once)
is shown beside its field and through `notify(severity="error")`, and the form stays open with
everything typed. `SpecFormScreen` makes its fields from `FieldSpec`s and saves through a callback.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, TypeVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea

from tuan.domain.shared.errors import DomainError
from tuan.i18n import N_, _
from tuan.tui.shared.translated import TranslatedBindings

ResultT = TypeVar("ResultT")
FORM_BINDINGS: list[BindingType] = [
    Binding("ctrl+s", "save", N_("保存"), id="form.save", priority=True),
    Binding("escape", "cancel", N_("取消"), id="form.cancel"),
]


class Problems(Exception):
    """Refusals by field name, raised by a save function: errors refuse, warnings ask first."""

    def __init__(self, errors: dict[str, str], warnings: dict[str, str] | None = None) -> None:
        super().__init__(*errors.values())
        self.errors = errors
        self.warnings = warnings or {}


class ProblemLine(Static):
    """The line beside a field that says what is wrong with it; hidden while nothing is.

    `keep_space`: stays (blank) while nothing is wrong, so the form does not change height.
    """

    DEFAULT_CSS = """
    ProblemLine { height: auto; }
    ProblemLine.-error { color: $error; }
    ProblemLine.-warning { color: $warning; }
    """

    def __init__(
        self, field_name: str, *, id: str, classes: str = "", keep_space: bool = False
    ) -> None:
        super().__init__("", id=id, classes=classes)
        self.field_name = field_name  # '': the form's own line, for what is no one field's fault
        self.keep_space = keep_space
        self.display = keep_space

    def say(self, message: str, *, warning: bool = False) -> None:
        """Show `message` as an error, or as a warning; '' clears (and hides) the line."""
        self.update(message)
        self.display = self.keep_space or bool(message)
        self.set_class(bool(message) and not warning, "-error")
        self.set_class(bool(message) and warning, "-warning")


@dataclass(frozen=True)
class FieldSpec:
    """One field of a `SpecFormScreen`.

    Attributes:
        name: The key the save callback receives the value under.
        label: What the leader sees above the field.
        value: The starting text (or option value for a select).
        placeholder: A grey example inside an empty input.
        hint: A line under the field that explains it.
        options: (label, value) pairs: the field is a select; '' means "none".
    """

    name: str
    label: str
    value: str = ""
    placeholder: str = ""
    hint: str = ""
    options: list[tuple[str, str]] | None = field(default=None)


class FormBase(TranslatedBindings, ModalScreen[ResultT]):
    """Fields, problem lines, saving in a worker; `FormScreen` adds the usual keys."""

    DEFAULT_CSS = """
    FormBase { align: center middle; }
    FormBase > VerticalScroll {
        width: 76; height: auto; max-height: 95%; border: thick $primary;
        background: $surface; padding: 0 1;
    }
    FormBase .dialog-title { text-style: bold; color: $accent; padding-bottom: 1; }
    FormBase .field { height: auto; }
    FormBase .field > .field-label { width: 12; padding-top: 0; color: $text-muted; }
    FormBase .field Input, FormBase .field Select { width: 1fr; }
    FormBase .field TextArea { width: 1fr; height: 5; }
    FormBase .field-problem { padding-left: 12; }
    FormBase .hint { color: $text-muted; padding-top: 1; }
    """
    TITLE_TEXT = ""
    HINT = N_("回车到下一项，ctrl+s 保存，Esc 取消")
    FIELD_ID: ClassVar[str] = "f-{name}"
    PROBLEM_ID: ClassVar[str] = "p-{name}"
    #: Enter in a field: go to the next one and save on the last typed one, always save, or nothing.
    ENTER: ClassVar[Literal["next", "save", "none"]] = "next"
    CANCELLED: ClassVar[Any] = None  # what Esc closes the form with
    PROBLEM_TITLE: ClassVar[str] = N_("请修改")  # the error notification's title ('' for none)
    PROBLEM_TIMEOUT: ClassVar[float | None] = None  # seconds; None is Textual's default
    #: What a save function raises when the leader's input is refused (shown, not a crash).
    REFUSALS: ClassVar[tuple[type[BaseException], ...]] = (DomainError, ValueError, LookupError)
    _saving = False

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(_(self.TITLE_TEXT), classes="dialog-title", id="form-title")
            yield from self.compose_fields()
            yield Static(_(self.HINT), classes="hint")

    def compose_fields(self) -> ComposeResult:
        """The form's fields, each made with `field()`."""
        yield from ()

    def field(self, name: str, label: str, widget: Widget) -> ComposeResult:
        """A labelled field with its problem line under it."""
        widget.id = self.FIELD_ID.format(name=name)
        with Horizontal(classes="field"):
            yield Label(label, classes="field-label")
            yield widget
        yield self.problem_line(name, classes="field-problem")

    def problem_line(
        self, name: str, *, id: str = "", classes: str = "", keep_space: bool = False
    ) -> ProblemLine:
        """The problem line of field `name` ('' for the form's own), named by `PROBLEM_ID`."""
        line_id = id or self.PROBLEM_ID.format(name=name)
        return ProblemLine(name, id=line_id, classes=classes, keep_space=keep_space)

    def field_widget(self, name: str) -> Widget | None:
        """The widget of field `name`, if the form has one."""
        if not name:
            return None
        found = self.query(f"#{self.FIELD_ID.format(name=name)}")
        return found.first() if found else None

    def show_field(self, name: str, visible: bool) -> None:
        """Show or hide a field (and its problem line) that does not apply right now."""
        widget = self.field_widget(name)
        if widget is not None and widget.parent is not None:
            widget.parent.display = visible
        if not visible:
            self.query_one(f"#{self.PROBLEM_ID.format(name=name)}", ProblemLine).say("")

    def value(self, name: str) -> Any:
        """What a field holds now (text, a Select's value or None, a checkbox's state)."""
        widget = self.field_widget(name)
        if isinstance(widget, TextArea):
            return widget.text
        if isinstance(widget, Select):
            return None if widget.value is Select.NULL else widget.value
        if isinstance(widget, Input | Checkbox):
            return widget.value
        raise TypeError(name)

    def place(self, name: str) -> str:
        """The field a problem about `name` is shown beside (forms may redirect unknown ones)."""
        return name

    def show_problems(
        self,
        errors: dict[str, str],
        warnings: dict[str, str] | None = None,
        *,
        notify: bool = True,
        focus: bool = True,
    ) -> None:
        """Show each problem beside its field (clearing the others), say the first out loud.

        A problem with no line of its own goes to the form's own line (`''`), or else under the
        title.
        """
        errors = {self.place(n): m for n, m in errors.items()}
        warnings = {self.place(n): m for n, m in (warnings or {}).items()}
        lines = {line.field_name: line for line in self.query(ProblemLine)}
        unplaced = [m for n, m in {**warnings, **errors}.items() if n not in lines]
        for name, line in lines.items():
            text = errors.get(name) or warnings.get(name) or ""
            if name == "" and unplaced:
                text = "\n".join([*([text] if text else []), *unplaced])
            line.say(text, warning=name not in errors and name != "")
        if unplaced and "" not in lines:
            title = self.query_one("#form-title", Static)
            title.update(f"{_(self.TITLE_TEXT)}\n" + "\n".join(unplaced))
        if notify:
            self.notify_problems(errors, warnings)
        bad = next((self.field_widget(n) for n in errors or warnings if self.field_widget(n)), None)
        if focus and bad is not None:
            bad.focus()

    def notify_problems(self, errors: dict[str, str], warnings: dict[str, str]) -> None:
        """Say the first error (or else the first warning) as a notification."""
        if errors:
            title = _(self.PROBLEM_TITLE) if self.PROBLEM_TITLE else ""
            message = next(iter(errors.values()))
            self.notify(message, title=title, severity="error", timeout=self.PROBLEM_TIMEOUT)
        elif warnings:
            self.notify(next(iter(warnings.values())), title=_("请确认"), severity="warning")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self.ENTER == "none":
            return
        event.stop()
        lines = [line.field_name for line in self.query(ProblemLine) if line.field_name]
        typed = [w for w in map(self.field_widget, lines) if isinstance(w, Input | TextArea)]
        if self.ENTER == "save" or (typed and event.input is typed[-1]):
            self.action_save()
        else:
            self.focus_next()

    def action_save(self) -> None:
        """Check and store the form (once at a time)."""
        if not self._saving:
            self.save()

    def save(self) -> None:
        """Subclasses: read the fields, then `save_in_thread()` or `show_problems()`."""

    def save_in_thread(self, write: Callable[..., Any], *args: Any) -> None:
        """Run `write(*args)` in a worker; close with its result, or show why it refused."""
        self._saving = True
        self._save_worker(write, args)

    @work(thread=True, exclusive=True, group="form-save", exit_on_error=False)
    def _save_worker(self, write: Callable[..., Any], args: tuple[Any, ...]) -> None:
        try:
            result = write(*args)
        except Problems as problems:
            self.app.call_from_thread(self._refused, problems.errors, problems.warnings)
        except self.REFUSALS as error:
            where = getattr(error, "field", "") or ""
            self.app.call_from_thread(self._refused, {where: str(error)}, {})
        except Exception as error:  # a bug: say so and keep what was typed
            self.app.call_from_thread(self._failed, error)
            raise
        else:
            self.app.call_from_thread(self.close_with, result)

    def _refused(self, errors: dict[str, str], warnings: dict[str, str]) -> None:
        self._saving = False
        self.show_problems(errors, warnings)

    def _failed(self, error: Exception) -> None:
        self._saving = False
        self.notify(_("保存失败：{error}").format(error=error), severity="error")

    def close_with(self, result: Any) -> None:
        """Close with what the save returned."""
        self.dismiss(result)

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(self.CANCELLED)


class FormScreen(FormBase[ResultT]):
    """A form with the usual keys: ctrl+s saves, Esc cancels."""

    BINDINGS = FORM_BINDINGS


class SpecFormScreen(FormScreen[ResultT]):
    """A form made from `FieldSpec`s (labels above fields) that saves through a callback.

    The callback runs in a thread with every field's text by name ('' for an empty select) and
    returns what the form closes with; it raises a domain error to refuse.
    """

    COMPACT: ClassVar[bool] = True  # one-line inputs (False: inputs with a border)

    def __init__(
        self, title: str, fields: list[FieldSpec], save: Callable[[dict[str, str]], Any]
    ) -> None:
        super().__init__()
        self.form_title = title
        self.fields = fields
        self.saver = save

    def compose_specs(self) -> ComposeResult:
        """Each field: its label, its input or select, its hint, its problem line."""
        for spec in self.fields:
            yield Label(spec.label, classes="field-label")
            yield self._widget(spec)
            if spec.hint:
                yield Static(spec.hint, classes="field-hint")
            yield self.problem_line(spec.name)

    def _widget(self, spec: FieldSpec) -> Input | Select[str]:
        widget_id = self.FIELD_ID.format(name=spec.name)
        if spec.options is None:
            return Input(
                spec.value, placeholder=spec.placeholder, id=widget_id, compact=self.COMPACT
            )
        values = {value for _label, value in spec.options}
        return Select(
            [(label, value) for label, value in spec.options if value],
            value=spec.value if spec.value in values and spec.value else Select.NULL,
            prompt=_("（无）"),
            id=widget_id,
            compact=True,
        )

    def values(self) -> dict[str, str]:
        """Every field's current text ('' for an empty select)."""
        return {spec.name: str(self.value(spec.name) or "") for spec in self.fields}

    def save(self) -> None:
        self.save_in_thread(self.saver, self.values())
