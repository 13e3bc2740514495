"""Finding a member while typing: part of a nickname, a room (`1202`, `3-1202`) or pinyin
initials (`wy`), with a live list of matches and "new member" as the last choice.

The picker asks its screen to search (`Search`) and reports the choice (`Picked`); the screen
runs `people.find_members` and hands the matches back with `show_matches`. A `numbered` picker
puts `1`–`9` before the members listed, and a digit typed right after a name or initials picks
that member (`way` then `2`); a query with a digit in it (a room) or ending in a space (a name,
then its room) keeps its digits.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from tuan.i18n import _

NEW_MEMBER = "new"


class MemberPicker(Vertical):
    """An input with a list of matching members under it."""

    DEFAULT_CSS = """
    MemberPicker { height: auto; }
    MemberPicker > OptionList { height: auto; max-height: 8; margin: 0 0 0 0; }
    """

    @dataclass
    class Search(Message):
        """The leader typed: find members matching `query`."""

        picker: MemberPicker
        query: str

    @dataclass
    class Picked(Message):
        """A member was chosen (`member_id` None: create a new one from `query`)."""

        picker: MemberPicker
        member_id: int | None
        label: str
        query: str

    def __init__(
        self,
        *,
        allow_new: bool = True,
        new_label: str = "",
        numbered: bool = False,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.allow_new = allow_new
        self.new_label = new_label  # offered even before anything is typed, when given
        self.numbered = numbered
        self.labels: dict[str, str] = {}
        self._listed: tuple[str, list[str]] | None = None  # (query, member option ids) shown

    def compose(self) -> ComposeResult:
        yield Input(
            placeholder=_("昵称、房号（1202 或 3-1202）或拼音首字母（wy）"),
            id="member-query",
            compact=True,
        )
        yield OptionList(id="member-options", compact=True)

    @property
    def query_text(self) -> str:
        """What was typed."""
        return self.query_one("#member-query", Input).value

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._digit_pick(event.input, event.value):
            return
        self.post_message(self.Search(self, event.value))

    def _digit_pick(self, field: Input, value: str) -> bool:
        """`way` + `2`: pick the second member listed for `way`; False if the digit is typed."""
        if not self.numbered or self._listed is None:
            return False
        query, ids = self._listed
        digit = value[len(query) :]
        if (
            not value.startswith(query)
            or not query.strip()
            or query[-1].isspace()
            or any(ch.isdigit() for ch in query)
            or digit not in {str(n) for n in range(1, min(len(ids), 9) + 1)}
        ):
            return False
        with field.prevent(Input.Changed):
            field.value = query
        self._pick(ids[int(digit) - 1])
        return True

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one("#member-options", OptionList)
        if options.option_count:
            self._pick(options.get_option_at_index(options.highlighted or 0).id or "")

    def on_key(self, event: events.Key) -> None:
        options = self.query_one("#member-options", OptionList)
        if event.key == "down" and self.query_one("#member-query", Input).has_focus:
            if options.option_count:
                event.stop()
                options.focus()
        elif event.key == "up" and options.has_focus and options.highlighted == 0:
            event.stop()
            self.query_one("#member-query", Input).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._pick(event.option.id or "")

    def _pick(self, option_id: str) -> None:
        self.query_one("#member-options", OptionList).display = False
        self._listed = None
        if option_id == NEW_MEMBER:
            self.post_message(self.Picked(self, None, self.query_text.strip(), self.query_text))
        elif option_id:
            self.post_message(
                self.Picked(self, int(option_id), self.labels.get(option_id, ""), self.query_text)
            )

    def show_matches(self, matches: list[tuple[int, str]], query: str | None = None) -> None:
        """List these (member id, label) pairs, then "new member" when allowed.

        `query`: what the matches were found for; a numbered picker lets a digit typed right
        after it pick one.
        """
        options = self.query_one("#member-options", OptionList)
        options.display = True
        options.clear_options()
        self.labels = {str(member_id): label for member_id, label in matches}
        numbers = [f"{n} " if self.numbered and n <= 9 else "" for n in range(1, len(matches) + 1)]
        options.add_options(
            Option(f"{number}{label}", id=str(member_id))
            for number, (member_id, label) in zip(numbers, matches, strict=True)
        )
        listed = query is not None and query == self.query_text and matches
        self._listed = (query or "", [str(m) for m, _label in matches]) if listed else None
        query = self.query_text.strip()
        if self.allow_new and (query or self.new_label):
            label = _("+ 新建团员：{name}").format(name=query) if query else self.new_label
            options.add_option(Option(label, id=NEW_MEMBER))
        if options.option_count:
            options.highlighted = 0

    def focus_query(self) -> None:
        """Put the cursor in the search input."""
        self.query_one("#member-query", Input).focus()
