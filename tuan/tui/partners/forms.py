"""Modal forms of the partners area: a partner, its poster, and a member's source.

A form saves through a callback that runs in a thread (it writes the database). When the domain
refuses the input, the message appears under the field at fault (or the first field) and as a
notification, and what the leader typed stays in place.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tuan.i18n import N_, _
from tuan.tui.shared.form import FieldSpec, SpecFormScreen
from tuan.tui.shared.translated import TranslatedBindings

FORM_CSS = """
FormModal, AssignSourceModal { align: center middle; }
FormModal > VerticalScroll, AssignSourceModal > Vertical {
    width: 84; max-width: 95%; height: auto; max-height: 90%;
    border: thick $primary; background: $surface; padding: 0 1;
}
FormModal .form-title, AssignSourceModal .form-title { text-style: bold; color: $accent; }
FormModal Label { margin-top: 0; color: $text; text-style: bold; }
FormModal .hint, FormModal .field-hint, AssignSourceModal .hint {
    color: $text-muted; padding-top: 0;
}
AssignSourceModal .field-error { color: $error; height: auto; display: none; }
AssignSourceModal .field-error.shown { display: block; }
AssignSourceModal OptionList { height: 10; }
"""


class FormModal(SpecFormScreen[str | None]):
    """A titled form; Enter or ctrl+s saves, Esc cancels. Closes with the saver's message."""

    DEFAULT_CSS = FORM_CSS
    FIELD_ID = "field-{name}"
    PROBLEM_ID = "error-{name}"
    ENTER = "save"
    COMPACT = False
    PROBLEM_TITLE = ""
    PROBLEM_TIMEOUT = 8

    def __init__(
        self,
        title: str,
        fields: list[FieldSpec],
        save: Callable[[dict[str, str]], str],
        note: str = "",
    ) -> None:
        super().__init__(title, fields, save)
        self.note = note

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(self.form_title, classes="form-title")
            yield from self.compose_specs()
            if self.note:
                yield Static(self.note, classes="hint")
            yield Static(_("Enter 或 ctrl+s 保存    Tab 下一项    Esc 取消"), classes="hint")

    def on_mount(self) -> None:
        self.query_one(f"#field-{self.fields[0].name}", Input).focus()

    def place(self, name: str) -> str:
        """A problem about no field of this form goes beside the first one."""
        names = [f.name for f in self.fields]
        return name if name in names else names[0]


Searcher = Callable[[str], list[tuple[int, str]]]  # query -> (member id, label) best first
Assigner = Callable[[int], str]  # member id -> message; raises on refusal


class AssignSourceModal(TranslatedBindings, ModalScreen[str | None]):
    """Find a member by nickname, room, initials or phone tail; record them under a partner."""

    DEFAULT_CSS = FORM_CSS
    BINDINGS = [
        Binding("escape", "cancel", N_("取消"), id="assign.cancel"),
        Binding("down", "move(1)", N_("下一个"), id="assign.down", show=False),
        Binding("up", "move(-1)", N_("上一个"), id="assign.up", show=False),
    ]

    def __init__(self, title: str, search: Searcher, assign: Assigner) -> None:
        super().__init__()
        self.form_title = title
        self.searcher = search
        self.assigner = assign

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.form_title, classes="form-title")
            yield Input(placeholder=_("昵称 / 房号 / 拼音首字母 / 手机尾号"), id="assign-search")
            yield OptionList(id="assign-matches")
            yield Static("", id="assign-error", classes="field-error")
            yield Static(_("输入后用上下键选择，Enter 登记，Esc 取消"), classes="hint")

    def on_mount(self) -> None:
        self.query_one("#assign-search", Input).focus()

    def action_cancel(self) -> None:
        """Close without changing anyone."""
        self.dismiss(None)

    def action_move(self, step: int) -> None:
        """Move the highlight in the match list while typing."""
        matches = self.query_one("#assign-matches", OptionList)
        if matches.option_count:
            current = matches.highlighted if matches.highlighted is not None else -1
            matches.highlighted = max(0, min(matches.option_count - 1, current + step))

    @on(Input.Changed, "#assign-search")
    def _changed(self, event: Input.Changed) -> None:
        self._search(event.value)

    @work(thread=True, exclusive=True, group="assign-search")
    def _search(self, query: str) -> None:
        found = self.searcher(query) if query.strip() else []
        self.app.call_from_thread(self._show_matches, found)

    def _show_matches(self, found: list[tuple[int, str]]) -> None:
        matches = self.query_one("#assign-matches", OptionList)
        matches.clear_options()
        matches.add_options([Option(label, id=str(member_id)) for member_id, label in found])
        if found:
            matches.highlighted = 0
        typed = self.query_one("#assign-search", Input).value.strip()
        _set_error(
            self.query_one("#assign-error", Static), "" if found or not typed else _("没有找到")
        )

    @on(Input.Submitted, "#assign-search")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        matches = self.query_one("#assign-matches", OptionList)
        option = matches.highlighted_option
        if option is None or option.id is None:
            _set_error(self.query_one("#assign-error", Static), _("先输入并选中一位团员"))
            return
        self._assign(int(option.id))

    @on(OptionList.OptionSelected, "#assign-matches")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self._assign(int(event.option.id))

    @work(exclusive=True, group="assign-save")
    async def _assign(self, member_id: int) -> None:
        try:
            message = await asyncio.to_thread(self.assigner, member_id)
        except (ValueError, LookupError) as error:
            _set_error(self.query_one("#assign-error", Static), str(error))
            self.notify(str(error), severity="error")
            return
        self.dismiss(message)


def _set_error(widget: Static, message: str) -> None:
    """Show `message` under a field, or hide the line when there is none."""
    widget.update(message)
    widget.set_class(bool(message), "shown")
