"""增长 Growth: the figures the seed reports, opened from the dashboard with `g`.

Follow-on purchase (the leader picks X, Y and N with `f`), the cohort table, acquisition cost
per channel (spend recorded with `s`), and the KOC and UGC share with each KOC's new members.
Everything is read in a worker; the dashboard's first paint never waits for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll
from textual.widgets import Static

from tuan.i18n import N_, _
from tuan.tui.shared.host import tuan_app
from tuan.tui.shared.key_bar import KeyBar
from tuan.tui.shared.loading import DataScreen
from tuan.tui.shared.topbar import TopBar

if TYPE_CHECKING:
    from tuan.domain.dashboard.follow_on import FollowOn
    from tuan.domain.dashboard.growth import GrowthFacts

HELP = N_(
    """增长页是品牌方最关心的几个数字：连带复购、同期群留存、各渠道的获客成本，
以及 KOC 和 UGC 带来的新团员。

- `f` 连带复购：选商品 X、Y 和天数 N，看买过 X 的人有多少在 N 天内又买了 Y。
- `s` 记录获客投入：某个渠道某个月花的钱（点位费、礼品），用来算获客成本。
- Esc 回到首页。

## 每个数字的定义"""
)


@dataclass(frozen=True)
class GrowthReading:
    """The growth figures as read."""

    facts: GrowthFacts


class GrowthScreen(DataScreen[GrowthReading]):
    """Cohorts, acquisition cost, KOC and UGC, and the follow-on the leader asks for."""

    AREA = N_("首页")
    HELP = HELP
    BINDINGS = [
        Binding("escape", "back", N_("返回"), id="growth.back"),
        Binding("f", "follow_on", N_("连带复购"), id="growth.follow_on"),
        Binding("s", "spend", N_("记录投入"), id="growth.spend"),
        Binding("ctrl+r", "reload", N_("刷新"), id="growth.reload", show=False),
    ]
    DEFAULT_CSS = """
    GrowthScreen > VerticalScroll { padding: 0 1; }
    GrowthScreen #follow { height: auto; padding: 0 1; }
    GrowthScreen Grid {
        grid-size: 2; grid-columns: 1fr 1fr; grid-rows: auto; grid-gutter: 0 1; height: auto;
    }
    GrowthScreen Grid > .panel { height: auto; }
    GrowthScreen #costs { column-span: 2; }
    """
    facts: GrowthFacts | None = None
    asked: FollowOn | None = None

    def compose(self) -> ComposeResult:
        yield TopBar(self.AREA)
        with VerticalScroll():
            yield Static(_("加载中"), id="follow", classes="panel")
            with Grid():
                yield Static("", id="cohorts", classes="panel")
                yield Static("", id="word-of-mouth", classes="panel")
                yield Static("", id="costs", classes="panel")
        yield KeyBar()

    def on_mount(self) -> None:
        self.reload()

    def help_text(self) -> str:
        from tuan.domain.dashboard.growth import GROWTH_DEFINITIONS

        return _(HELP) + "\n\n" + "\n".join(f"- {_(t)}" for t in GROWTH_DEFINITIONS.values())

    def fetch(self) -> GrowthReading:
        from tuan.domain.dashboard.growth import growth_facts

        with tuan_app(self).db.session() as session:
            return GrowthReading(growth_facts(session))

    def show(self, data: GrowthReading) -> None:
        self.facts = data.facts
        self._show_follow_on()
        self.query_one("#cohorts", Static).update(cohort_panel(data.facts))
        self.query_one("#word-of-mouth", Static).update(word_of_mouth_panel(data.facts))
        self.query_one("#costs", Static).update(cost_panel(data.facts))

    def _show_follow_on(self) -> None:
        out = Text(_("连带复购") + "\n", style="bold")
        if self.asked is None:
            out.append(_("按 f 选商品 X、Y 和天数，看买过 X 的团员有多少又买了 Y"), style="dim")
        else:
            from tuan.domain.dashboard.follow_on import describe

            out.append(describe(self.asked))
        self.query_one("#follow", Static).update(out)

    def action_back(self) -> None:
        """Back to the dashboard."""
        self.dismiss()

    def action_follow_on(self) -> None:
        """Ask the follow-on question: pick X, Y, N and the period."""
        from tuan.tui.dashboard.growth_forms import follow_on_form

        products = self.facts.products if self.facts else []
        if not products:
            self.notify(_("还没有商品：先在接龙里上架商品并接单"), severity="warning")
            return
        form = follow_on_form(tuan_app(self).db, products, self.asked)
        self.app.push_screen(form, self._answered)

    def _answered(self, result: Any) -> None:
        if result is None:
            return
        from tuan.domain.dashboard.follow_on import format_follow_on

        self.asked = result
        self._show_follow_on()
        self.notify(_("连带复购 {figure}").format(figure=format_follow_on(result)))

    def action_spend(self) -> None:
        """Record what a channel cost in a month."""
        from tuan.tui.dashboard.growth_forms import spend_form

        self.app.push_screen(spend_form(tuan_app(self).db), self._spent)

    def _spent(self, saved: Any) -> None:
        if saved:
            self.notify(_("已记录获客投入"))
            self.reload()


def _table(*headers: str) -> Table:
    table = Table(box=None, padding=(0, 2), show_edge=False)
    for index, header in enumerate(headers):
        table.add_column(header, justify="left" if index == 0 else "right", no_wrap=True)
    return table


def cohort_panel(facts: GrowthFacts) -> Group:
    """The cohort table: first-order month, size, then each later month's share and count."""
    from tuan.domain.dashboard.growth_text import cohort_cells, cohort_headers

    table = _table(*cohort_headers())
    for cohort in facts.cohorts:
        table.add_row(*cohort_cells(cohort))
    return Group(Text(_("同期群留存（按首单月份）"), style="bold"), table)


def word_of_mouth_panel(facts: GrowthFacts) -> Group:
    """The KOC and UGC share, and each KOC's new members and their sales."""
    from tuan.domain.dashboard.growth_text import koc_headers, share_line
    from tuan.domain.shared.money import format_money

    wom = facts.word_of_mouth
    table = _table(*koc_headers())
    for koc in wom.kocs:
        table.add_row(koc.nickname, str(koc.new_members), format_money(koc.sales_cents))
    if not wom.kocs:
        table.add_row(Text(_("还没有 KOC：在团员页把热心团员标成 KOC"), style="dim"), "", "")
    return Group(Text(_("KOC 和 UGC 带新"), style="bold"), Text(share_line(wom)), table)


def cost_panel(facts: GrowthFacts) -> Group:
    """Cost per new member per channel and month, and each channel's total."""
    from tuan.domain.dashboard.acquisition import channel_label, format_cost
    from tuan.domain.dashboard.growth_text import cost_headers
    from tuan.domain.shared.money import format_money

    months = facts.costs[0].months if facts.costs else []
    headers = cost_headers()
    table = _table(headers[0], *(m.month for m in months), *headers[1:])
    for cost in facts.costs:
        total = cost.total
        table.add_row(
            channel_label(cost.channel),
            *(format_cost(m.cost_cents) for m in cost.months),
            format_money(total.spend_cents),
            str(total.new_members),
            format_cost(total.cost_cents),
        )
    title = Text(_("获客成本（每位新团员，按月；右边是这几个月合计）"), style="bold")
    hint = Text(_("没有新团员的月份显示 —；按 s 记录某个渠道某个月的投入"), style="dim")
    return Group(title, table, hint)
