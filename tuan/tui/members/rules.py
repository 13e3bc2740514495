"""The rules the leader sees and changes (tags, reminders, points), and KOC commission."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from tuan.domain.shared.states import ReminderKind
from tuan.domain.shared.width import shorten
from tuan.i18n import N_, _
from tuan.tui.members.base import MemberAreaScreen
from tuan.tui.shared.host import tuan_app
from tuan.tui.shared.key_bar import KeyBar
from tuan.tui.shared.topbar import TopBar

if TYPE_CHECKING:
    from tuan.domain.members.referrals import KocRow
    from tuan.domain.members.rule_coupons import CouponTerms
    from tuan.models import ReminderRule, TagRule

HELP = N_(
    """规则让「团」替你记住该跟进谁。它们在应用启动时自动运行，也可以按 `x` 立即运行；
重复运行不会重复生成提醒。

- 标签规则：买过某商品、N 天未下单（沉睡）、高价值沉睡（N 天未下单且累计消费满一定金额）。
- 提醒规则：下单后 N 天回访（可只针对某商品）、沉睡唤醒、老带新首单奖励（双方各一条）、
  未取货提醒、定期任务（例如每周三分享食谱）。
- 空格开关规则，回车或 `e` 修改，`a` 新增，`j` 积分设置，Tab 在两张表之间切换。
- 模板里的 {name} {product} {days} {friend} 等会换成团员的信息。
- 沉睡唤醒和老带新会真的发券（默认唤醒券 ¥10 有效 14 天，老带新双方各 ¥50 有效 30 天），
  每次唤醒、每对老带新只发一次；修改规则可改券的金额、门槛和天数（金额填 0 不发券）。
  消息里的 {coupon} 会写成 `¥10 无门槛券，12月10日前下单可用`。"""
)


@dataclass(frozen=True)
class RulesData:
    """What the rules view shows."""

    tag_rules: list[TagRule] = field(default_factory=list)
    tag_counts: dict[str, int] = field(default_factory=dict)
    reminder_rules: list[ReminderRule] = field(default_factory=list)
    friend_templates: dict[int, str] = field(default_factory=dict)
    coupon_terms: dict[int, CouponTerms | None] = field(default_factory=dict)
    rate: int = 1
    levels: str = ""


def _state(enabled: bool) -> Text:
    return Text(_("启用"), style="green") if enabled else Text(_("停用"), style="dim")


class RulesScreen(MemberAreaScreen[RulesData]):
    """Tag rules and reminder rules in two tables, plus the points settings."""

    HELP = HELP
    BINDINGS = [
        Binding("escape", "back", N_("返回"), id="rules.back"),
        Binding("space", "toggle_rule", N_("开/关"), id="rules.toggle"),
        Binding("e", "edit", N_("修改"), id="rules.edit"),
        Binding("a", "add", N_("新规则"), id="rules.add"),
        Binding("x", "run", N_("立即运行"), id="rules.run"),
        Binding("j", "points", N_("积分设置"), id="rules.points"),
    ]
    DEFAULT_CSS = """
    RulesScreen .rules-title { height: 1; padding: 0 1; text-style: bold; color: $accent; }
    RulesScreen #tag-rules { height: 6; }
    RulesScreen #reminder-rules { height: 1fr; }
    RulesScreen #points-settings { height: auto; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.data = RulesData()

    def compose(self) -> ComposeResult:
        yield TopBar(self.AREA)
        yield Static(_("标签规则：自动给团员贴标签"), classes="rules-title")
        yield DataTable(id="tag-rules", cursor_type="row")
        yield Static(_("提醒规则：自动生成跟进提醒"), classes="rules-title")
        yield DataTable(id="reminder-rules", cursor_type="row")
        yield Static("", id="points-settings", classes="panel")
        yield KeyBar()

    def on_mount(self) -> None:
        tags = self.query_one("#tag-rules", DataTable)
        tags.add_columns(_("编号"), _("类型"), _("标签"), _("条件"), _("人数"), _("状态"))
        reminders = self.query_one("#reminder-rules", DataTable)
        reminders.add_columns(_("编号"), _("类型"), _("条件"), _("消息模板"), _("状态"))
        tags.focus()
        self.reload()

    def fetch(self) -> RulesData:
        """Every rule, how many members wear each tag, and the points settings."""
        from tuan.domain.members import points as pts
        from tuan.domain.members import rule_settings as rs
        from tuan.domain.members.rule_coupons import DEFAULT_TERMS, rule_terms
        from tuan.domain.members.tags import all_tags

        with tuan_app(self).db.session() as session:
            reminder_rules = rs.list_reminder_rules(session)
            data = RulesData(
                tag_rules=rs.list_tag_rules(session),
                tag_counts={t.name: t.members for t in all_tags(session)},
                reminder_rules=reminder_rules,
                friend_templates={
                    r.id or 0: rs.friend_template(session, r.id or 0)
                    for r in reminder_rules
                    if r.kind == ReminderKind.REFERRAL
                },
                coupon_terms={
                    r.id or 0: rule_terms(session, r.id or 0, r.kind)
                    for r in reminder_rules
                    if r.kind in DEFAULT_TERMS
                },
                rate=pts.points_rate(session),
                levels=pts.format_levels(pts.levels(session)),
            )
        return data

    def show(self, data: RulesData) -> None:
        """Fill both tables, keeping each cursor where it was."""
        from tuan.domain.members import rule_settings as rs

        self.data = data
        tags = self.query_one("#tag-rules", DataTable)
        row = tags.cursor_row
        tags.clear()
        for rule in data.tag_rules:
            tags.add_row(
                str(rule.id),
                _(rs.TAG_RULE_KINDS[rule.kind]),
                rule.tag_name,
                rs.describe_tag_rule(rule),
                str(data.tag_counts.get(rule.tag_name, 0)) if rule.enabled else "-",
                _state(rule.enabled),
            )
        tags.move_cursor(row=row)
        tags.styles.height = min(len(data.tag_rules) + 2, 12)
        reminders = self.query_one("#reminder-rules", DataTable)
        row = reminders.cursor_row
        reminders.clear()
        for reminder in data.reminder_rules:
            reminders.add_row(
                str(reminder.id),
                _(rs.REMINDER_RULE_KINDS[reminder.kind]),
                rs.describe_reminder_rule(reminder),
                shorten(reminder.template, 56),
                _state(reminder.enabled),
            )
        reminders.move_cursor(row=row)
        points = _("积分：每消费 1 元得 {rate} 分；等级 {levels}（按 j 修改）")
        self.query_one("#points-settings", Static).update(
            points.format(rate=data.rate, levels=data.levels)
        )

    def _focused_rule(self) -> tuple[str, TagRule | ReminderRule] | None:
        """('tag' | 'reminder', rule) under the cursor of the focused table."""
        for kind, table_id, rules in (
            ("tag", "#tag-rules", self.data.tag_rules),
            ("reminder", "#reminder-rules", self.data.reminder_rules),
        ):
            table = self.query_one(table_id, DataTable)
            if table.has_focus and table.row_count and table.cursor_row < len(rules):
                return kind, rules[table.cursor_row]
        return None

    def action_back(self) -> None:
        """Back to the members list."""
        self.dismiss()

    def action_toggle_rule(self) -> None:
        """Switch the highlighted rule on or off."""
        chosen = self._focused_rule()
        if chosen:
            self._toggle(*chosen)

    @work(thread=True, group="write")
    def _toggle(self, kind: str, rule: TagRule | ReminderRule) -> None:
        from tuan.domain.members import rule_settings as rs

        with tuan_app(self).db.transaction() as session:
            toggle = rs.toggle_tag_rule if kind == "tag" else rs.toggle_reminder_rule
            enabled = toggle(session, rule.id or 0)
        message = _("已启用，下次运行规则时生效") if enabled else _("已停用")
        self.app.call_from_thread(self.notify, message)
        self.app.call_from_thread(self.reload)

    def _after(self, saved: object) -> None:
        if saved:
            self.notify(_("规则已保存，按 x 立即运行"))
            self.reload()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_edit()

    def action_edit(self) -> None:
        """Change the highlighted rule."""
        from tuan.tui.members.rule_forms import ReminderRuleFormScreen, TagRuleFormScreen

        chosen = self._focused_rule()
        if chosen is None:
            return
        kind, rule = chosen
        if kind == "tag":
            self.app.push_screen(TagRuleFormScreen(rule), self._after)
        else:
            friend = self.data.friend_templates.get(rule.id or 0, "")
            terms = self.data.coupon_terms.get(rule.id or 0)
            self.app.push_screen(ReminderRuleFormScreen(rule, friend, terms), self._after)

    def action_add(self) -> None:
        """Add a rule of the kind of the focused table."""
        from tuan.tui.members.rule_forms import ReminderRuleFormScreen, TagRuleFormScreen

        if self.query_one("#reminder-rules", DataTable).has_focus:
            self.app.push_screen(ReminderRuleFormScreen(), self._after)
        else:
            self.app.push_screen(TagRuleFormScreen(), self._after)

    def action_points(self) -> None:
        """Change points per yuan and the levels."""
        from tuan.tui.members.rule_forms import PointsSettingsScreen

        screen = PointsSettingsScreen(self.data.rate, self.data.levels)
        self.app.push_screen(screen, self._after)

    def action_run(self) -> None:
        """Apply the rules now."""
        self.run_rules()


@dataclass(frozen=True)
class KocReading:
    """One month (`2026-11`) and each KOC's commission for it."""

    month: str
    rows: list[KocRow]


class KocScreen(MemberAreaScreen[KocReading]):
    """Each KOC's members brought, attributed GMV and commission owed, month by month."""

    HELP = N_(
        "KOC 的佣金 = 佣金比例 × 他直接推荐来的团员在当月的订单成交额（四舍五入到分）。"
        "`[` `]` 切换月份，回车打开 KOC 的团员页。"
    )
    BINDINGS = [
        Binding("escape", "back", N_("返回"), id="koc.back"),
        Binding("left_square_bracket", "month(-1)", N_("上个月"), id="koc.prev"),
        Binding("right_square_bracket", "month(1)", N_("下个月"), id="koc.next"),
    ]
    DEFAULT_CSS = """
    KocScreen #koc-title { height: 1; padding: 0 1; text-style: bold; color: $accent; }
    """

    def __init__(self) -> None:
        super().__init__()
        from tuan import clock

        today = clock.today()
        self.year, self.month = today.year, today.month

    def compose(self) -> ComposeResult:
        yield TopBar(self.AREA)
        yield Static("", id="koc-title")
        yield DataTable(id="koc-table", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(
            _("编号"), "KOC", _("佣金比例"), _("带来团员"), _("订单"), _("成交额"), _("应付佣金")
        )
        self.reload()

    def action_back(self) -> None:
        """Back to the members list."""
        self.dismiss()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        from tuan.tui.members.page import MemberPageScreen

        row = event.data_table.get_row_at(event.cursor_row)
        self.app.push_screen(MemberPageScreen(int(str(row[0]))))

    def action_month(self, step: int) -> None:
        """Show another month."""
        index = self.year * 12 + self.month - 1 + step
        self.year, self.month = divmod(index, 12)
        self.month += 1
        self.reload()

    def fetch(self) -> KocReading:
        """The month shown (`2026-11`) and each KOC's figures for it."""
        from tuan.domain.members.referrals import koc_report

        label = f"{self.year:04d}-{self.month:02d}"
        with tuan_app(self).db.session() as session:
            return KocReading(label, koc_report(session, label))

    def show(self, data: KocReading) -> None:
        """Fill the table for one month."""
        from tuan.domain.shared.money import format_money

        label, rows = data.month, data.rows

        total = sum(r.commission_cents for r in rows)
        title = _("{month} KOC 佣金，合计 {total}").format(month=label, total=format_money(total))
        self.query_one("#koc-title", Static).update(title)
        table = self.query_one(DataTable)
        table.clear()
        for r in rows:
            table.add_row(
                str(r.id),
                r.nickname,
                f"{r.commission_bp / 100:g}%",
                str(r.brought),
                str(r.orders),
                format_money(r.gmv_cents),
                format_money(r.commission_cents),
            )
