"""Picking the member of an unclear import line: the likely ones first, a search, or "new".

Returns `(member_id,)` — `(None,)` meaning "create a new member" — or None when backed out.
"""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from tuan.i18n import N_, _
from tuan.tui.chains.member_picker import MemberPicker
from tuan.tui.shared.host import tuan_app
from tuan.tui.shared.translated import TranslatedBindings


class PickMemberScreen(TranslatedBindings, ModalScreen[tuple[int | None] | None]):
    """Choose who wrote a pasted line."""

    DEFAULT_CSS = """
    PickMemberScreen { align: center middle; }
    PickMemberScreen > Vertical {
        width: 80; height: auto; max-height: 80%; border: thick $primary; background: $surface;
        padding: 0 1;
    }
    PickMemberScreen #pick-heading { text-style: bold; color: $accent; }
    PickMemberScreen #pick-hint { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "cancel", N_("取消"), id="pick_member.cancel")]

    def __init__(self, line: str, candidates: list[tuple[int, str]]) -> None:
        super().__init__()
        self.line = line
        self.candidates = candidates

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(_("这一条是哪位团员？"), id="pick-heading")
            yield Static(self.line)
            yield Static(_("可能是下面几位；也可以搜索，或选“新建团员”"), id="pick-hint")
            yield MemberPicker(new_label=_("+ 按这一条的名字和房号新建团员"), id="pick-picker")

    def on_mount(self) -> None:
        picker = self.query_one(MemberPicker)
        picker.show_matches(self.candidates)
        picker.focus_query()

    def on_member_picker_search(self, event: MemberPicker.Search) -> None:
        if event.query.strip():
            self._search(event.query)
        else:
            event.picker.show_matches(self.candidates)

    @work(thread=True, exclusive=True, group="pick-search")
    def _search(self, query: str) -> None:
        from tuan.domain.shared.people import find_members
        from tuan.domain.shared.rooms import format_room

        with tuan_app(self).db.session() as session:
            found = find_members(session, query, limit=8)
        matches = [(m.id or 0, f"{m.nickname}  {format_room(m.building, m.room)}") for m in found]
        self.app.call_from_thread(self.query_one(MemberPicker).show_matches, matches)

    def on_member_picker_picked(self, event: MemberPicker.Picked) -> None:
        self.dismiss((event.member_id,))

    def action_cancel(self) -> None:
        """Close without choosing."""
        self.dismiss(None)


def candidates_of(row: Any) -> list[tuple[int, str]]:
    """(member id, label) of the members a row's line could be."""
    if row.entry is None:
        return []
    return [(m.id, m.label) for m in row.entry.match.candidates]
