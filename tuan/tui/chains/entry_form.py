"""The entry form (添加/修改条目): pick or create the member, type items and quantities.

Items are one line such as `套装2 亚麻1`, read by the shared quantity reader against the chain's
catalogue. As the leader types, the form shows what it read, the chain's totals with this entry
counted in, and — checked against the database by `orders` itself — any stock or limit refusal,
before anything is saved. Returns a message for the notification, or None when backed out.
"""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Select, Static

from tuan.i18n import N_, _
from tuan.tui.chains.member_picker import MemberPicker
from tuan.tui.chains.totals import ChainTotals
from tuan.tui.shared.form import FormScreen, ProblemLine
from tuan.tui.shared.host import tuan_app
from tuan.tui.shared.key_bar import KeyBar


class EntryFormScreen(FormScreen[str | None]):
    """Add an entry (`entry` None) or change one."""

    DEFAULT_CSS = """
    EntryFormScreen > Vertical {
        width: 92%; max-width: 130; height: auto; max-height: 92%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    EntryFormScreen #entry-heading { text-style: bold; color: $accent; }
    EntryFormScreen #entry-body { height: auto; }
    EntryFormScreen #entry-fields { width: 2fr; height: auto; }
    EntryFormScreen #form-totals { width: 1fr; min-width: 30; }
    EntryFormScreen .label { color: $text-muted; margin: 1 0 0 0; }
    EntryFormScreen #member-chosen { color: $success; }
    EntryFormScreen #new-member { height: auto; display: none; }
    EntryFormScreen #new-member.-shown { display: block; }
    EntryFormScreen #new-member Input { width: 1fr; margin: 0 1 0 0; }
    EntryFormScreen #items-reading { color: $text-muted; }
    EntryFormScreen #entry-error { margin: 1 0 0 0; }
    EntryFormScreen .coupon { display: none; }
    EntryFormScreen .coupon.-shown { display: block; }
    """
    ENTER = "none"  # its own order of fields, below
    PROBLEM_TITLE = N_("没有保存")

    def __init__(self, view: Any, entry: Any = None) -> None:
        super().__init__()
        self.view = view
        self.entry = entry
        self.member_id: int | None = entry.member_id if entry else None
        self.new_member = False
        self.lines: tuple[Any, ...] = ()
        self.problems: tuple[str, ...] = ()
        self.coupons_for: int | None = None  # the member whose coupons the choice offers

        self.teams: tuple[Any, ...] = ()

    def compose(self) -> ComposeResult:
        if self.entry is None:
            heading = _("添加条目：{title}").format(title=self.view.title)
        else:
            heading = _("修改第 {seq} 条：{title}").format(
                seq=self.entry.number, title=self.view.title
            )
        with Vertical():
            yield Static(heading, id="entry-heading")
            with Horizontal(id="entry-body"):
                yield from self._fields()
                yield ChainTotals(id="form-totals")
            yield KeyBar()

    def _fields(self) -> ComposeResult:
        with Vertical(id="entry-fields"):
            yield Static(_("团员"), classes="label")
            if self.entry is None:
                yield MemberPicker(numbered=True, id="member-picker")
            yield Static(self._member_text(), id="member-chosen")
            with Horizontal(id="new-member"):
                yield Input(placeholder=_("新团员昵称"), id="new-nickname", compact=True)
                yield Input(placeholder=_("房号，例如 3-1202"), id="new-room", compact=True)
            yield Static(_("商品和数量"), classes="label")
            yield Input(
                self._items_value(), placeholder=_("例如 套装2 亚麻1"), id="items", compact=True
            )
            yield Static("", id="items-reading")
            yield Static(_("用券（可用的券，Tab 到这里选）"), classes="label coupon")
            yield Select[str]([], prompt=_("不用券"), id="coupon", compact=True, classes="coupon")
            yield Static(_("备注"), classes="label")
            yield Input(self.entry.note if self.entry else "", id="note", compact=True)
            yield self.problem_line("", id="entry-error", keep_space=True)

    def on_mount(self) -> None:
        if self.entry is None:
            self.query_one(MemberPicker).focus_query()
        else:
            self.query_one("#items", Input).focus()
            self._load_coupons(self.entry.member_id, self.entry.order_id)
        self._read_items(self.query_one("#items", Input).value)

    def _member_text(self) -> str:
        if self.entry is not None:
            return f"{self.entry.nickname} {self.entry.room}".strip()
        return _("还没选团员：输入后按回车选第一个，或按 ↓ 在列表里选")

    def _items_value(self) -> str:
        if self.entry is None:
            return ""
        from tuan.domain.chains.entries import item_word

        words = {item.id: item_word(item) for item in self.view.items}
        return " ".join(f"{words.get(item_id, '?')}{qty}" for item_id, qty in self.entry.items)

    def on_member_picker_search(self, event: MemberPicker.Search) -> None:
        self._search(event.query)

    @work(thread=True, exclusive=True, group="member-search")
    def _search(self, query: str) -> None:
        from tuan.domain.shared.people import find_members
        from tuan.domain.shared.rooms import format_room

        matches: list[tuple[int, str]] = []
        if query.strip():
            with tuan_app(self).db.session() as session:
                found = find_members(session, query, limit=8)
            matches = [(m.id or 0, f"{m.nickname}  {format_room(m.building, m.room)}")
                       for m in found]  # fmt: skip
        self.app.call_from_thread(self._show_matches, matches, query)

    def _show_matches(self, matches: list[tuple[int, str]], query: str) -> None:
        """List the members found; when several fit, say that one digit picks."""
        self.query_one(MemberPicker).show_matches(matches, query)
        if self.member_id is None and not self.new_member:
            several = _("对上 {n} 位团员：按数字选一位，回车选第一个，↓ 在列表里选")
            text = several.format(n=len(matches)) if len(matches) > 1 else self._member_text()
            self.query_one("#member-chosen", Static).update(text)

    def on_member_picker_picked(self, event: MemberPicker.Picked) -> None:
        chosen = self.query_one("#member-chosen", Static)
        box = self.query_one("#new-member", Horizontal)
        self.member_id = event.member_id
        self.new_member = event.member_id is None
        box.set_class(self.new_member, "-shown")
        if self.new_member:
            self._prefill_new(event.query)
            chosen.update(_("新团员：填好昵称和房号"))
            self.query_one("#new-nickname", Input).focus()
        else:
            chosen.update(_("已选：{label}").format(label=" ".join(event.label.split())))
            self.query_one("#items", Input).focus()
        self._load_coupons(self.member_id, None)
        self._check()

    @work(thread=True, exclusive=True, group="entry-coupons")
    def _load_coupons(self, member_id: int | None, order_id: int | None) -> None:
        """Offer the member's usable coupons (and the one the order already holds)."""
        from tuan.domain.members.coupons import order_coupon, usable_coupons

        options: list[tuple[str, str]] = []
        held = None
        if member_id is not None:
            with tuan_app(self).db.session() as session:
                rows = usable_coupons(session, member_id)
                held = order_coupon(session, order_id) if order_id is not None else None
            options = [(row.label, str(row.id)) for row in ([held] if held else []) + rows]
        self.app.call_from_thread(self._show_coupons, member_id, options, held)

    def _show_coupons(
        self, member_id: int | None, options: list[tuple[str, str]], held: Any
    ) -> None:
        choice = self.query_one("#coupon", Select)
        choice.set_options(options)
        if held is not None:
            choice.value = str(held.id)
        self.coupons_for = member_id
        for widget in self.query(".coupon"):
            widget.set_class(bool(options), "-shown")

    def _prefill_new(self, query: str) -> None:
        from tuan.domain.shared.rooms import find_room, parse_room

        room = parse_room(query)
        rest = "" if room else query
        if room is None:
            room, rest = find_room(query)
        self.query_one("#new-nickname", Input).value = rest.strip()
        self.query_one("#new-room", Input).value = room.label if room else ""

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "items":
            self._read_items(event.value)
        elif event.input.id in ("new-nickname", "new-room"):
            self._check()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        order = ["new-nickname", "new-room", "items", "note"]
        if event.input.id in order[:-1]:
            self.query_one(f"#{order[order.index(event.input.id) + 1]}", Input).focus()
        elif event.input.id == "note":
            self.action_save()

    def _read_items(self, text: str) -> None:
        from tuan.domain.chains.entries import items_text, project_totals, read_lines

        reading = read_lines(text, self.view.items)
        self.lines, self.problems = reading.lines, reading.problems
        self.teams = reading.teams
        items = {item.id: item for item in self.view.items}
        pairs = tuple((line.item_id, line.qty) for line in reading.lines)
        shown = _("读到：{items}").format(items=items_text(pairs, items)) if pairs else ""
        if shown and reading.teams:
            from tuan.domain.shared.team_words import format_team_words

            shown += " " + format_team_words(reading.teams)
        problems = _("；").join(reading.problems)
        self.query_one("#items-reading", Static).update(
            "\n".join(part for part in (shown, problems) if part)
        )
        totals, gmv = project_totals(self.view.items, self.view.gmv_cents, self.lines, self.entry)
        self.query_one("#form-totals", ChainTotals).show_totals(totals, gmv)
        self._check()

    def _draft(self) -> Any:
        from tuan.domain.chains.entries import EntryDraft
        from tuan.domain.shared.people import MemberDraft
        from tuan.domain.shared.rooms import parse_room

        new = None
        if self.new_member:
            room_text = self.query_one("#new-room", Input).value
            room = parse_room(room_text)
            new = MemberDraft(
                nickname=self.query_one("#new-nickname", Input).value,
                building=room.building if room else "",
                room=room.room if room else room_text.strip(),
            )
        note = self.query_one("#note", Input).value
        return EntryDraft(self.member_id, new, self.lines, note, self.teams)

    def _check(self) -> None:
        if (self.member_id is None and not self.new_member) or not self.lines:
            self.query_one("#entry-error", ProblemLine).say("")
            return
        self._run_check(self._draft())

    @work(thread=True, exclusive=True, group="entry-check")
    def _run_check(self, draft: Any) -> None:
        from tuan.domain.chains.entries import check_entry

        with tuan_app(self).db.session() as session:
            problem = check_entry(session, self.view.chain_id, draft, self._order_id())
        self.app.call_from_thread(self.query_one("#entry-error", ProblemLine).say, problem or "")

    def _order_id(self) -> int | None:
        return self.entry.order_id if self.entry is not None else None

    def save(self) -> None:
        """Save the entry, or say what is missing."""
        if self.member_id is None and not self.new_member:
            self._refuse(_("请先选择团员：输入昵称、房号或拼音首字母，按回车选第一个"))
            return
        if self.problems:
            self._refuse(_("；").join(self.problems))
            return
        if not self.lines:
            self._refuse(_("请填写商品和数量，例如 套装2 亚麻1"))
            return
        choice = self.query_one("#coupon", Select).value
        coupon = int(str(choice)) if isinstance(choice, str) and choice.isdigit() else None
        self.save_in_thread(self._write, self._draft(), coupon)

    def _refuse(self, message: str) -> None:
        self.show_problems({"": message})

    def place(self, name: str) -> str:
        """Every problem shows in the one line under the fields."""
        return ""

    def _write(self, draft: Any, coupon: int | None = None) -> str:
        """Store the entry and its coupon (in the save worker); an order, member or coupon
        error refuses it and keeps nothing."""
        from tuan.domain.chains.entries import save_entry

        with tuan_app(self).db.transaction() as session:
            order = save_entry(session, self.view.chain_id, draft, self._order_id())
            seq = order.seq
            if self.coupons_for is not None and self.coupons_for == order.member_id:
                from tuan.domain.members.coupons import set_order_coupon

                set_order_coupon(session, order.id or 0, coupon)
        done = _("已保存第 {seq} 条") if self.entry else _("已添加第 {seq} 条")
        return done.format(seq=seq)
