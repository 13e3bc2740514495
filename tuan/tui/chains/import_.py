"""Importing a chain pasted back from WeChat: paste, preview, fix, confirm.

Stage one is a text area: the leader pastes the chain (WeChat's "copy" of the chain card) and
presses ctrl+s. Stage two is the preview: every entry as understood (number, member matched /
new / to pick, items and quantities, note, action) and every line not read, with its number and
reason. The leader picks the member of an unclear line (`m`), skips a line (`s`), says whether a
person's later line wins (`l`) and whether vanished entries are cancelled (`r`); each decision
re-plans at once and re-checks stock and limits against the database (a dry run that is rolled
back). ctrl+s then applies everything in one transaction. Esc goes back to the text, unchanged.
"""

from __future__ import annotations

from typing import Any

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.suggester import SuggestFromList
from textual.widgets import ContentSwitcher, DataTable, Input, Static, TextArea

from tuan.i18n import N_, _, ngettext
from tuan.tui.chains.preview import COLUMNS, fill_table, summary_text, unparsed_text
from tuan.tui.shared.host import tuan_app
from tuan.tui.shared.key_bar import KeyBar
from tuan.tui.shared.translated import TranslatedBindings


class GroupInput(Input):
    """The group's name; a whole chain pasted here by mistake goes to the text box instead
    (a one-line field would keep only `#接龙` and drop the rest)."""

    def _on_paste(self, event: events.Paste) -> None:
        # A terminal may send the pasted lines' ends as `\r` (tmux does): any line end counts.
        lines = event.text.strip().splitlines()
        if len(lines) < 2:
            return  # Input's own handler takes it
        event.prevent_default()  # Input's would keep the first line
        event.stop()
        text_area = self.screen.query_one("#import-text", TextArea)
        text_area.focus()
        text_area.insert("\n".join(event.text.splitlines()))


PASTE_HINT = N_(
    "把微信群里的接龙整段复制过来，粘贴到下面（带着 #接龙、标题和“例”行也可以；"
    "重复粘贴、表情、全角数字都没关系），然后按 ctrl+s 预览。"
)


class ChainImportScreen(TranslatedBindings, Screen[int | None]):
    """Paste a chain, preview what it means, apply it."""

    DEFAULT_CSS = """
    ChainImportScreen #import-heading { height: 1; padding: 0 1; text-style: bold; color: $accent; }
    ChainImportScreen #import-hint { padding: 0 1; color: $text-muted; }
    ChainImportScreen ContentSwitcher { height: 1fr; }
    ChainImportScreen ContentSwitcher > Vertical { height: 100%; }
    ChainImportScreen #import-text { height: 1fr; }
    ChainImportScreen #import-group { width: 48; }
    ChainImportScreen #import-groups { height: 1; padding: 0 1; color: $text-muted; }
    ChainImportScreen #import-summary { height: auto; padding: 0 1; }
    ChainImportScreen #import-table { height: 1fr; }
    ChainImportScreen #import-unparsed { height: auto; max-height: 8; padding: 0 1; }
    """
    BINDINGS = [
        Binding("ctrl+s", "go", N_("预览 / 确认导入"), id="import.go", priority=True),
        Binding("m", "pick_member", N_("选择团员"), id="import.member"),
        Binding("s", "skip", N_("跳过/恢复这一条"), id="import.skip"),
        Binding("l", "later_wins", N_("同一人以后一条为准"), id="import.later"),
        Binding("r", "cancel_removed", N_("取消群里少了的条目"), id="import.removed"),
        Binding("escape", "back", N_("返回"), id="import.back"),
    ]

    AREA = N_("接龙")
    HELP = N_("""导入从微信群复制回来的接龙。

1. 把接龙整段粘贴进文本框，按 `ctrl+s` 预览。
2. 预览里每一条都列出来：序号、团员（已有 / 新团员 / 待选）、商品和数量、备注、动作
   （新增 / 更新 / 不变 / 取消）和说明；没读懂的行在下面，写着第几行和原因。
3. `m` 给“待选”的一条选团员（也可以新建），`s` 跳过一条，`l` 同一个人接了两次时改用
   以后一条为准，`r` 决定要不要取消群里已经删掉的条目。
4. 再按 `ctrl+s` 确认导入，所有改动在一个事务里写入。按 `esc` 回到文本修改。

同一个接龙可以反复导入：已经导入的条目不会重复下单，改过的会更新。""")

    def help_text(self) -> str:
        """The help shown by `?`/F1."""
        return _(self.HELP)

    def __init__(self, chain_id: int | None) -> None:
        super().__init__()
        self.chain_id = chain_id
        self.draft: Any = None
        self.plan: Any = None
        self.decisions: Any = None
        self.errors: dict[int, str] = {}
        self.busy = False

    def compose(self) -> ComposeResult:
        yield Static("", id="import-heading")
        with ContentSwitcher(initial="paste-stage"):
            with Vertical(id="paste-stage"):
                yield Static(_(PASTE_HINT), id="import-hint")
                yield GroupInput(placeholder=_("来自哪个群（不填就是首发群）"), id="import-group")
                yield Static("", id="import-groups")
                yield TextArea(id="import-text", soft_wrap=True, show_line_numbers=True)
            with Vertical(id="preview-stage"):
                yield Static("", id="import-summary")
                yield DataTable(id="import-table", cursor_type="row", zebra_stripes=True)
                yield Static("", id="import-unparsed")
        yield KeyBar()

    def on_mount(self) -> None:
        heading = _("导入接龙") if self.chain_id else _("从接龙文字新建接龙")
        self.query_one("#import-heading", Static).update(heading)
        self.query_one("#import-table", DataTable).add_columns(*(_(c) for c in COLUMNS))
        self.query_one("#import-text", TextArea).focus()
        if self.chain_id is not None:
            self._load_groups(self.chain_id)

    @work(thread=True, exclusive=True, group="import-groups")
    def _load_groups(self, chain_id: int) -> None:
        from tuan.domain.chains.groups import chain_groups

        with tuan_app(self).db.session() as session:
            groups = chain_groups(session, chain_id)
        self.app.call_from_thread(self._show_groups, groups)

    def _show_groups(self, groups: Any) -> None:
        """Offer the chain's groups; the one last imported from is filled in."""
        from tuan.domain.shared.groups import group_label

        field = self.query_one("#import-group", Input)
        if not field.value:
            field.value = groups.last
        field.suggester = SuggestFromList([n for n in groups.names if n], case_sensitive=False)
        if len(groups.names) > 1:
            names = _("、").join(group_label(name) for name in groups.names)
            self.query_one("#import-groups", Static).update(
                _("这个接龙的群：{names}（各群分开编号，导入只影响所选的群）").format(names=names)
            )

    @property
    def previewing(self) -> bool:
        """Whether the preview (not the text) is showing."""
        return self.query_one(ContentSwitcher).current == "preview-stage"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.is_mounted:
            return True
        if action in ("pick_member", "skip"):
            return self.previewing and self._row() is not None and self._row().entry is not None
        if action == "later_wins":
            return self.previewing and self.plan is not None and self.plan.duplicates > 0
        if action == "cancel_removed":
            return self.previewing and self.plan is not None and self.plan.removals > 0
        return True

    def action_go(self) -> None:
        """Preview the pasted text, or apply the previewed import."""
        if self.busy:
            return
        if not self.previewing:
            text = self.query_one("#import-text", TextArea).text
            if not text.strip():
                self.notify(_("先把群里的接龙粘贴进来"), severity="warning")
                return
            from tuan.domain.shared.groups import clean_group

            try:
                group = clean_group(self.query_one("#import-group", Input).value)
            except ValueError as error:
                self.notify(str(error), severity="error")
                return
            self.busy = True
            self._read(text, group)
        elif self.plan is not None:
            self._confirm()

    @work(thread=True, exclusive=True, group="import-read")
    def _read(self, text: str, group: str = "") -> None:
        from tuan.domain.chains.import_draft import NoProductsError, UnknownChainError, build_draft
        from tuan.domain.chains.import_plan import Decisions

        try:
            with tuan_app(self).db.session() as session:
                draft = build_draft(session, text, self.chain_id, group)
        except UnknownChainError:
            self.app.call_from_thread(self._fail, _("找不到接龙 {id}").format(id=self.chain_id))
            return
        except NoProductsError as error:
            self.app.call_from_thread(self._fail, str(error))
            return
        self.draft, self.decisions = draft, Decisions()
        self._replan()

    def _fail(self, message: str) -> None:
        self.busy = False
        self.notify(message, severity="error")

    def _replan(self) -> None:
        """Plan with the current decisions and check it against the database (rolled back)."""
        from tuan.domain.chains.import_apply import apply_plan
        from tuan.domain.chains.import_plan import plan_import

        plan = plan_import(self.draft, self.decisions)
        with tuan_app(self).db.transaction() as session:
            errors = apply_plan(session, self.draft, plan).errors
            session.rollback()
        self.app.call_from_thread(self._show, plan, errors)

    def _show(self, plan: Any, errors: dict[int, str]) -> None:
        self.plan, self.errors, self.busy = plan, errors, False
        switcher = self.query_one(ContentSwitcher)
        first = switcher.current != "preview-stage"
        switcher.current = "preview-stage"
        table = self.query_one("#import-table", DataTable)
        row = table.cursor_row
        fill_table(table, plan, self.draft, errors)
        table.move_cursor(row=0 if first else row)
        table.focus()
        summary = summary_text(plan, self.draft, errors, self.decisions)
        self.query_one("#import-summary", Static).update(summary)
        self.query_one("#import-unparsed", Static).update(unparsed_text(self.draft))
        self.refresh_bindings()

    def _row(self) -> Any:
        table = self.query_one("#import-table", DataTable)
        if self.plan is None or not table.row_count:
            return None
        return self.plan.rows[table.cursor_row] if table.cursor_row < len(self.plan.rows) else None

    @work(thread=True, exclusive=True, group="import-read")
    def _decided(self) -> None:
        self._replan()

    def action_pick_member(self) -> None:
        """Say which member the highlighted line is (or a new one)."""
        from tuan.tui.chains.pick_member import PickMemberScreen, candidates_of

        row = self._row()
        if row is None or row.entry is None:
            return
        index = row.entry.index

        def picked(choice: tuple[int | None] | None) -> None:
            if choice is not None:
                self.decisions.members[index] = choice[0]
                self._decided()

        screen = PickMemberScreen(row.raw, candidates_of(row))
        self.app.push_screen(screen, picked)

    def action_skip(self) -> None:
        """Leave the highlighted line out of the import, or take it back in."""
        row = self._row()
        if row is not None and row.entry is not None:
            self.decisions.skipped ^= {row.entry.index}
            self._decided()

    def action_later_wins(self) -> None:
        """Switch between "first line wins" and "later line wins" for people who joined twice."""
        self.decisions.later_wins = not self.decisions.later_wins
        self._decided()

    def action_cancel_removed(self) -> None:
        """Switch whether orders missing from the pasted copy are cancelled."""
        self.decisions.cancel_removed = not self.decisions.cancel_removed
        self._decided()

    def _confirm(self) -> None:
        from tuan.tui.shared.confirm import ConfirmScreen

        counts = self.plan.summary(set(self.errors))
        if not any(counts[k] for k in ("added", "updated", "removed")) and self.draft.chain_id:
            self.notify(_("没有要改的：所有条目都已经在了"))
            return
        if counts["removed"]:
            question = ngettext(
                "将取消 {n} 条群里已经没有的条目（库存退回，序号保留）。确定导入吗？",
                "将取消 {n} 条群里已经没有的条目（库存退回，序号保留）。确定导入吗？",
                counts["removed"],
            )

            def answered(yes: bool | None) -> None:
                if yes:
                    self._apply()

            self.app.push_screen(ConfirmScreen(question.format(n=counts["removed"])), answered)
            return
        self._apply()

    @work(thread=True, exclusive=True, group="import-apply")
    def _apply(self) -> None:
        from tuan.domain.chains.import_apply import apply_plan

        with tuan_app(self).db.transaction() as session:
            result = apply_plan(session, self.draft, self.plan)
        s = result.summary
        message = _("已导入：新增 {a}，更新 {u}，不变 {c}，取消 {r}").format(
            a=s["added"], u=s["updated"], c=s["unchanged"], r=s["removed"]
        )
        if result.errors:
            failed = len(result.errors)
            message += ngettext(
                "；{n} 条没有导入（库存或限购）", "；{n} 条没有导入（库存或限购）", failed
            ).format(n=failed)
        self.app.call_from_thread(self._done, message, result.chain_id)

    def _done(self, message: str, chain_id: int) -> None:
        self.notify(message, title=_("导入"))
        self.dismiss(chain_id)

    def action_back(self) -> None:
        """From the preview back to the text (kept as pasted); from the text, close."""
        if self.previewing:
            self.query_one(ContentSwitcher).current = "paste-stage"
            self.query_one("#import-text", TextArea).focus()
            self.refresh_bindings()
        else:
            self.dismiss(None)
