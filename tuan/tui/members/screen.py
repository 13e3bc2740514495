"""团员 Members: search and filter the neighbours; open one to see and change everything about them.

The per-member figures (orders, spend, points) are read once per visit; each search keystroke
then only matches members, so typing stays instant with thousands of members.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Select, Static

from tuan.domain.shared.width import fit
from tuan.i18n import N_, _
from tuan.tui.shared.base import WARM_AFTER_SECONDS, AreaScreen
from tuan.tui.shared.fast_table import FastTable
from tuan.tui.shared.host import tuan_app
from tuan.tui.shared.orm import import_orm
from tuan.tui.shared.textual_private import SteadyInput

if TYPE_CHECKING:
    from sqlmodel import Session
    from textual.widget import AwaitMount

    from tuan.domain.members.listing import MemberFilter, MemberRow, MemberStats

HELP = N_(
    """团员是群里的邻居：楼栋房号、来源（哪个合作点位的海报、谁推荐的）、标签、KOC、积分和消费。

- 在搜索框输入昵称、姓名、房号（1202 或 3-1202）、拼音首字母（wy 找到王阿姨）或手机尾号。
- 筛选：按标签、来源、KOC、多久没下单（沉睡）。`f` 跳到筛选，Esc 清除搜索和筛选。
- 回车打开团员页：资料、标签、订单、积分、提醒和推荐关系都在那里。
- `r` 提醒收件箱：逾期、今天、即将到期的跟进，一键复制消息、完成或推迟。
- `g` 规则：自动标签和自动提醒的规则，可以开关和修改。
- 列表里手机号打码，完整号码只在团员页显示。"""
)

ACTIVITY = [
    (N_("不限"), ""),
    (N_("30天未下单"), "30"),
    (N_("60天未下单"), "60"),
    (N_("90天未下单"), "90"),
]
ACTIVITY += [(N_("180天未下单"), "180"), (N_("从未下单"), "never")]
FILTER_PROMPTS = [
    ("filter-tag", N_("标签：全部")),
    ("filter-source", N_("来源：全部")),
    ("filter-koc", N_("KOC：不限")),
    ("filter-activity", N_("活跃：不限")),
]
SHOWN = 100  # rows in the table: a search narrows the rest (DataTable cost grows per cell)
SOURCES = [
    (N_("老带新"), "referral"),
    (N_("合作点位"), "partner"),
    (N_("直播"), "live"),
    (N_("线下"), "offline"),
]


class FilterPlaceholder(Static):
    """A filter as it looks before its `Select` is built: the screen's first frame goes out
    without five Selects and their option lists (half of what building this screen cost), and
    the real ones replace these right after it, the same size and text.
    """

    DEFAULT_CSS = """
    FilterPlaceholder {
        width: 18; margin-left: 1; padding: 0 1 0 0; background: $surface;
        color: $foreground 50%;
    }
    """

    def __init__(self, prompt: str, select_id: str) -> None:
        # As a compact Select draws it: the prompt in 15 cells, then its arrow after a space.
        super().__init__(Text(fit(prompt, 15) + " ▼"), id=f"{select_id}-soon")
        self.select_id = select_id


@dataclass(frozen=True)
class Asked:
    """What the search box and the filters hold, as typed and chosen.

    Plain values: the main thread never imports the members' domain (and the ORM with it) to
    ask; the worker turns them into a `MemberFilter` (`member_filter`).
    """

    query: str = ""
    tag: str = ""
    source: str = ""
    koc: str = ""
    activity: str = ""


def member_filter(asked: Asked) -> MemberFilter:
    """The domain's filter for what was asked (in the worker)."""
    from tuan.domain.members.listing import MemberFilter

    return MemberFilter(
        query=asked.query,
        tag_id=int(asked.tag) if asked.tag else None,
        source=asked.source,
        koc_only=asked.koc == "koc",
        dormant_days=int(asked.activity) if asked.activity.isdigit() else None,
        never_ordered=asked.activity == "never",
    )


@dataclass(frozen=True)
class MembersReading:
    """One search's answer: what was asked, the rows' cells (made off the main thread) and how
    many matched; with the figures read afresh, also the reminders due and the tags to filter by.
    """

    asked: Asked
    cells: list[tuple[str, ...]]
    total: int
    due: tuple[int, int] | None = None  # overdue, today
    tags: list[tuple[str, int]] | None = None  # name, id
    first_page: bool = False  # the unfiltered list read before every member's figures


class MembersScreen(AreaScreen[MembersReading]):
    """The members list with search and filters."""

    AREA = N_("团员")
    HELP = HELP
    BINDINGS = [
        *AreaScreen.BINDINGS,
        # A priority key acts at once, so the keys typed right after it land in the box.
        Binding("slash", "search", N_("搜索"), id="members.search", priority=True),
        Binding("enter", "open_member", N_("打开"), id="members.open"),
        Binding("f", "filters", N_("筛选"), id="members.filters"),
        Binding("r", "inbox", N_("提醒收件箱"), id="members.inbox"),
        Binding("g", "rules", N_("规则"), id="members.rules"),
        Binding("n", "new_member", N_("新团员"), id="members.new"),
        Binding("k", "koc", N_("KOC 佣金"), id="members.koc", show=False),
        Binding("escape", "clear_search", N_("清除搜索"), id="members.clear", show=False),
        Binding("down", "to_table", N_("到列表"), id="members.to_table", show=False),
    ]
    DEFAULT_CSS = """
    MembersScreen #member-filters { height: 1; margin: 1 1 0 1; }
    MembersScreen #member-search { width: 1fr; }
    MembersScreen #member-filters Select { width: 18; margin-left: 1; }
    MembersScreen #member-count { height: 1; padding: 0 1; color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._stats: dict[int, MemberStats] | None = None
        self._ranking: list[int] | None = None  # with the figures: biggest spenders first
        self._tags_seen: list[tuple[str, int]] = []
        self._due = (0, 0)
        self._had_rows = False
        self._count_shown: Text | None = None
        self._requested: Asked | None = None
        self._stats_lock = threading.Lock()
        self._filters_built = False
        self._selects: dict[str, Select[str]] = {}

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="member-filters"):
            yield SteadyInput(
                placeholder=_("搜索：昵称 / 房号 / 拼音首字母 / 手机尾号"),
                id="member-search",
                compact=True,
            )
            for select_id, prompt in FILTER_PROMPTS:
                yield FilterPlaceholder(_(prompt), select_id)
        yield Static("", id="member-count")
        yield FastTable(id="member-table", cursor_type="row", zebra_stripes=True)

    def _filter_options(self, select_id: str) -> list[tuple[str, str]]:
        if select_id == "filter-tag":
            return [(name, str(tag_id)) for name, tag_id in self._tags_seen]
        if select_id == "filter-source":
            return [(_(label), value) for label, value in SOURCES]
        if select_id == "filter-koc":
            return [(_("只看 KOC"), "koc")]
        return [(_(label), value) for label, value in ACTIVITY[1:]]

    def build_filters(self) -> AwaitMount | None:
        """Put the real Selects in place of their placeholders (once; after the first frame)."""
        if self._filters_built or not self.is_attached:
            return None
        self._filters_built = True
        placeholders = list(self.query(FilterPlaceholder).results(FilterPlaceholder))
        prompts = dict(FILTER_PROMPTS)
        selects = [
            Select(
                self._filter_options(p.select_id),
                prompt=_(prompts[p.select_id]),
                id=p.select_id,
                compact=True,
            )
            for p in placeholders
        ]
        mounted = self.query_one("#member-filters").mount_all(selects, before=placeholders[0])
        for placeholder in placeholders:
            placeholder.remove()
        self._selects = {str(select.id): select for select in selects}
        return mounted

    def _select(self, select_id: str) -> Select[str] | None:
        """A filter's Select, None before it is built (kept, not looked up: every keystroke asks
        for all four twice, and a query walks the whole screen, 2 ms each time)."""
        return self._selects.get(select_id)

    def on_mount(self) -> None:
        if not self.app.is_running:
            return  # built ahead as the app closed: its widgets are already gone
        self.query_one("#member-table", DataTable).add_columns(
            _("编号"),
            _("昵称"),
            _("房号"),
            _("手机"),
            _("来源"),
            _("来源详情"),
            "KOC",
            _("标签"),
            _("积分"),
            _("订单"),
            _("累计消费"),
            _("最近下单"),
        )
        super().on_mount()
        self.call_after_refresh(self.build_filters)

    # --- loading -----------------------------------------------------------------------------

    def reload(self) -> None:
        """Read everything again (figures may have changed elsewhere)."""
        if not self._stats_lock.locked():  # else the figures are being read right now
            self._stats = None
        self._requested = self.current_filter()
        self.note_loaded()
        self._search(self._requested)

    def refilter(self) -> None:
        """Apply the search and filters with the figures already read."""
        chosen = self.current_filter()
        if chosen != self._requested:  # widgets also report changes nobody typed
            self._requested = chosen
            self._search(chosen)

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _search(self, chosen: Asked) -> None:
        try:
            import_orm()  # never beside another thread's first import of it (shared/orm.py)
            data = self.fetch_for(chosen)
            self.app.call_from_thread(self.show, data)
            if data.first_page:  # the searches to come need every member's figures
                with tuan_app(self).db.session() as session, self._stats_lock:
                    self._figures(session)
        except Exception as error:  # the leader sees what failed instead of a frozen list
            self.app.call_from_thread(self.show_error, error)
            raise

    def current_filter(self) -> Asked:
        """What the search box and the filters ask for."""

        def chosen(select_id: str) -> str:
            select = self._select(select_id)
            value = Select.NULL if select is None else select.value
            return "" if value is Select.NULL else str(value)

        return Asked(
            query=self.query_one("#member-search", Input).value,
            tag=chosen("filter-tag"),
            source=chosen("filter-source"),
            koc=chosen("filter-koc"),
            activity=chosen("filter-activity"),
        )

    def fetch_for(self, asked: Asked) -> MembersReading:
        """Members matching `asked` (runs in a thread; reads the figures once per visit)."""
        from tuan.domain.members.listing import list_members, top_spenders
        from tuan.domain.members.reminders import due_counts
        from tuan.domain.members.tags import all_tags

        due: tuple[int, int] | None = None
        tags: list[tuple[str, int]] | None = None
        with tuan_app(self).db.session() as session:
            with self._stats_lock:  # one reader at a time; later ones reuse its figures
                if self._stats is None:
                    due = due_counts(session)
                    tags = [(t.name, t.id) for t in all_tags(session)]
                    page = top_spenders(session, SHOWN) if asked == Asked() else None
                    if page is not None:  # shown first; everyone's figures are read after
                        rows, total = page
                        cells = [_cells(m) for m in rows]
                        return MembersReading(asked, cells, total, due, tags, first_page=True)
                stats, ranking = self._figures(session)
            rows, total = list_members(
                session, limit=SHOWN, filters=member_filter(asked), stats=stats, ranking=ranking
            )
        # Cells are made here, off the main thread, so a keystroke's answer is drawn at once.
        return MembersReading(asked, [_cells(m) for m in rows], total, due, tags)

    def _figures(self, session: Session) -> tuple[dict[int, MemberStats], list[int]]:
        """Every member's figures and the spending order, read once per visit (the caller
        holds `_stats_lock`)."""
        from tuan.domain.members.listing import member_stats, spend_ranking

        if self._stats is None or self._ranking is None:
            self._stats = member_stats(session)
            self._ranking = spend_ranking(self._stats)
        return self._stats, self._ranking  # a reload may drop them meanwhile

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "member-search":
            self.refilter()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id and event.select.id.startswith("filter-"):
            self.refilter()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_to_table()

    # --- showing -----------------------------------------------------------------------------

    def show(self, data: MembersReading) -> None:
        rows, total = data.cells, data.total
        if data.asked != self.current_filter():
            return  # an older keystroke's answer arrived late
        if data.tags is not None:
            self._update_tag_filter(data.tags)
        if data.due is not None:
            self._due = data.due
        count = self._count_text(total, len(rows))
        if count != self._count_shown:  # one line of fixed size: no layout of the screen
            self._count_shown = count
            self.query_one("#member-count", Static).update(count, layout=False)
        table = self.query_one("#member-table", DataTable)
        table.clear()
        table.add_rows(rows)
        if bool(rows) != self._had_rows:  # only "open" depends on the rows: spare the footer
            self._had_rows = bool(rows)
            self.refresh_bindings()
        if not self.is_current:  # built ahead by the app
            self.set_timer(WARM_AFTER_SECONDS, self._warm)

    def _count_text(self, total: int, shown: int) -> Text:
        text = Text(_("共 {total} 人").format(total=total))
        if total > shown:
            text.append(_("，显示消费最高的 {n} 人，输入搜索缩小范围").format(n=shown))
        overdue, today = self._due
        text.append("    " + _("提醒："))
        text.append(_("逾期 {n}").format(n=overdue), style="bold red" if overdue else "")
        text.append("  " + _("今天 {n}").format(n=today), style="bold yellow" if today else "")
        text.append("  " + _("（按 r 打开收件箱）"))
        return text

    def _update_tag_filter(self, tags: list[tuple[str, int]]) -> None:
        if tags == self._tags_seen:
            return
        self._tags_seen = tags
        self._show_tag_options()

    def _show_tag_options(self) -> None:
        select = self._select("filter-tag")
        if select is None:  # built later, from `_tags_seen`
            return
        if not select.is_mounted:  # being built: its options list is not there yet
            if select.is_attached:  # (a Select removed meanwhile never will be)
                # A timer, not `call_after_refresh`: asking again after every refresh kept the
                # app busy enough that the Select's own mounting could wait for a long time.
                self.set_timer(0.02, self._show_tag_options)
            return
        tags = self._tags_seen
        keep = select.value
        select.set_options([(name, str(tag_id)) for name, tag_id in tags])
        if keep is not Select.NULL and str(keep) in {str(i) for _n, i in tags}:
            select.value = keep

    # --- actions -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "search":  # in the box already, `/` is just typed
            return not isinstance(self.focused, Input)
        if action == "open_member":
            return self.query_one("#member-table", DataTable).row_count > 0
        return True

    def action_search(self) -> None:
        """Focus the search box."""
        self.set_focus(self.query_one("#member-search", Input))  # now: the next keys are typed

    async def action_filters(self) -> None:
        """Jump to the filters (tab moves between them)."""
        mounting = self.build_filters()
        if mounting is not None:
            await mounting
        self.query_one("#filter-tag", Select).focus()

    def action_to_table(self) -> None:
        """Back to the list."""
        self.query_one("#member-table", DataTable).focus()

    def action_clear_search(self) -> None:
        """Empty the search box and the filters, and go back to the list."""
        self.query_one("#member-search", Input).value = ""
        for select in self.query("#member-filters Select").results(Select):
            select.clear()
        self.action_to_table()

    def selected_member(self) -> int | None:
        """The id of the highlighted member."""
        table = self.query_one("#member-table", DataTable)
        if not table.row_count:
            return None
        return int(str(table.get_row_at(table.cursor_row)[0]))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open_member()

    def action_open_member(self) -> None:
        """Open the highlighted member's page."""
        from tuan.tui.members.page import MemberPageScreen

        member_id = self.selected_member()
        if member_id is not None:
            self.app.push_screen(MemberPageScreen(member_id))

    def action_inbox(self) -> None:
        """Open the reminder inbox."""
        from tuan.tui.members.reminder_inbox import ReminderInboxScreen

        self.app.push_screen(ReminderInboxScreen())

    def action_rules(self) -> None:
        """Open the rules."""
        from tuan.tui.members.rules import RulesScreen

        self.app.push_screen(RulesScreen())

    def action_koc(self) -> None:
        """Open this month's KOC commission."""
        from tuan.tui.members.rules import KocScreen

        self.app.push_screen(KocScreen())

    def action_new_member(self) -> None:
        """Add a member with a form, then open their page."""
        from tuan.tui.members.forms import MemberFormScreen

        self.app.push_screen(MemberFormScreen(), self._added)

    def _added(self, member_id: int | None) -> None:
        from tuan.tui.members.page import MemberPageScreen

        if member_id:
            self.notify(_("已添加团员"))
            self.app.push_screen(MemberPageScreen(member_id))


def _cells(m: MemberRow) -> tuple[str, ...]:
    from tuan.domain.members.listing import source_label
    from tuan.domain.shared.money import format_money
    from tuan.domain.shared.people import mask_phone
    from tuan.domain.shared.rooms import format_room
    from tuan.domain.shared.timefmt import short_datetime
    from tuan.domain.shared.width import shorten

    # Plain strings: `FastTable` draws them as they are (never as markup, so a nickname with
    # [brackets] stays as typed) and only for the rows on screen; a `Text` per cell made here
    # cost 4 ms of each keystroke's answer on xl (100 rows of 12 cells).
    return (
        str(m.id),
        m.nickname,
        format_room(m.building, m.room),
        mask_phone(m.phone),
        source_label(m.source),
        m.source_detail,
        "KOC" if m.is_koc else "",
        shorten(" ".join(m.tags), 16),
        f"{m.points:,}",
        str(m.orders),
        format_money(m.ltv_cents),
        short_datetime(m.last_order_at),
    )
