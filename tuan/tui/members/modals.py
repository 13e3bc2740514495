"""Small pickers for the members area: how long to snooze, and which tags a member wears."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tuan.i18n import N_, _
from tuan.tui.shared.host import tuan_app
from tuan.tui.shared.translated import TranslatedBindings

DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 64; height: auto; max-height: 90%; border: thick $primary;
    background: $surface; padding: 0 1;
}}
{name} .dialog-title {{ text-style: bold; color: $accent; padding-bottom: 1; }}
{name} .hint {{ color: $text-muted; padding-top: 1; }}
{name} .hint-more {{ color: $text-muted; }}
"""


class SnoozePicker(TranslatedBindings, ModalScreen[int | None]):
    """Snooze by 1, 3 or 7 days: one keystroke."""

    DEFAULT_CSS = DIALOG_CSS.format(name="SnoozePicker")
    BINDINGS = [
        Binding("1", "pick(1)", N_("推迟1天"), id="snooze.one"),
        Binding("3", "pick(3)", N_("推迟3天"), id="snooze.three"),
        Binding("7", "pick(7)", N_("推迟7天"), id="snooze.seven"),
        Binding("escape", "cancel", N_("取消"), id="snooze.cancel"),
    ]

    def __init__(self, title: str) -> None:
        super().__init__()
        self.reminder_title = title

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                _("推迟：{title}").format(title=self.reminder_title), classes="dialog-title"
            )
            yield Static(_("按 1 推迟一天，3 推迟三天，7 推迟一周（从今天算起）"))
            yield Static(_("Esc 取消"), classes="hint")

    def action_pick(self, days: int) -> None:
        """Close with the chosen number of days."""
        self.dismiss(days)

    def action_cancel(self) -> None:
        """Close without snoozing."""
        self.dismiss(None)


class TagPicker(TranslatedBindings, ModalScreen[bool]):
    """Put tags on a member or take them off; digits 1-9 toggle the tag with that number."""

    DEFAULT_CSS = (
        DIALOG_CSS.format(name="TagPicker")
        + "TagPicker OptionList { height: auto; max-height: 16; }"
    )
    BINDINGS = [
        *(
            Binding(str(n), f"toggle_number({n})", N_("切换这个编号的标签"), show=False)
            for n in range(1, 10)
        ),
        Binding("n", "new_tag", N_("新标签"), id="tags.new"),
        Binding("escape", "close", N_("关闭"), id="tags.close"),
    ]

    def __init__(self, member_id: int, nickname: str) -> None:
        super().__init__()
        self.member_id = member_id
        self.nickname = nickname
        self.tag_ids: list[int] = []  # the leader's own tags, in number order
        self.changed = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(_("{name} 的标签").format(name=self.nickname), classes="dialog-title")
            yield OptionList(id="tag-options")
            yield Input(placeholder=_("新标签名，回车添加"), id="new-tag", compact=True)
            yield Static(_("数字键或回车：加上/去掉；n 输入新标签；Esc 关闭"), classes="hint")
            yield Static(_("自动标签由规则维护，在规则里修改"), classes="hint-more")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.load()

    @work(thread=True, exclusive=True, group="tags")
    def load(self) -> None:
        """Read every tag and the member's."""
        from tuan.domain.members.tags import all_tags, member_tags

        with tuan_app(self).db.session() as session:
            tags = all_tags(session)
            worn = {t.id for t in member_tags(session, self.member_id)}
        self.app.call_from_thread(self.show_tags, tags, worn)

    def show_tags(self, tags: list[Any], worn: set[int]) -> None:
        """Fill the list: numbered own tags, then automatic ones (read-only)."""
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        options.clear_options()
        self.tag_ids = [t.id for t in tags if not t.auto]
        for tag in tags:
            mark = "[x]" if tag.id in worn else "[ ]"
            if tag.auto:
                label = Text(f"   {mark} {tag.name}" + _("（自动）"), style="dim")
                options.add_option(Option(label, id=str(tag.id), disabled=True))
                continue
            number = self.tag_ids.index(tag.id) + 1
            prefix = f"{number}." if number <= 9 else "  "
            label = Text(f"{prefix} {mark} {tag.name}")
            label.append(_("  {n}人").format(n=tag.members), style="dim")
            options.add_option(Option(label, id=str(tag.id)))
        if highlighted is not None and options.option_count:
            options.highlighted = min(highlighted, options.option_count - 1)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.toggle(int(event.option.id))

    def action_toggle_number(self, number: int) -> None:
        """Toggle the leader's own tag number `number`."""
        if number <= len(self.tag_ids):
            self.toggle(self.tag_ids[number - 1])

    @work(thread=True, group="tags-write")
    def toggle(self, tag_id: int) -> None:
        """Put the tag on or take it off, then show the list again."""
        from tuan.domain.members.tags import TagError, toggle_tag

        try:
            with tuan_app(self).db.transaction() as session:
                worn = toggle_tag(session, self.member_id, tag_id)
        except TagError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error")
            return
        self.changed = True
        self.app.call_from_thread(
            self.notify, _("已加上标签") if worn else _("已去掉标签"), timeout=2
        )
        self.load()

    def action_new_tag(self) -> None:
        """Type a new tag's name."""
        self.query_one("#new-tag", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.add_new(event.value)  # the box empties once the tag is added, not before
        else:
            self.query_one(OptionList).focus()

    def _added(self, typed: str, name: str) -> None:
        box = self.query_one("#new-tag", Input)
        if box.value == typed:
            box.value = ""
        self.query_one(OptionList).focus()
        self.notify(_("已加上标签「{tag}」").format(tag=name))

    @work(thread=True, group="tags-write")
    def add_new(self, name: str) -> None:
        """Make the tag (if new) and put it on the member."""
        from tuan.domain.members.tags import TagError, add_tag

        try:
            with tuan_app(self).db.transaction() as session:
                tag = add_tag(session, self.member_id, name)
        except TagError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error")
            return
        self.changed = True
        self.app.call_from_thread(self._added, name, tag.name)
        self.load()

    def action_close(self) -> None:
        """Back to the member (an Esc in the name box only leaves the box)."""
        new_tag = self.query_one("#new-tag", Input)
        if new_tag.has_focus:
            new_tag.value = ""
            self.query_one(OptionList).focus()
            return
        self.dismiss(self.changed)
