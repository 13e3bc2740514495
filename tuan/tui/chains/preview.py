"""The import preview as table rows and text: every entry as understood, every line not read.

Cells avoid emoji and ambiguous-width symbols (a pasted name with emoji is shown as the member it
matched); what needs the leader's eye is in yellow, what will not be applied is dimmed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import DataTable

from tuan.domain.shared.states import ImportAction, MatchStatus
from tuan.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from tuan.domain.chains.import_draft import ImportDraft
    from tuan.domain.chains.import_plan import Decisions, ImportPlan, PlannedRow

ACTION_LABELS: dict[str, str] = {
    ImportAction.ADD: N_("新增"),
    ImportAction.UPDATE: N_("更新"),
    ImportAction.UNCHANGED: N_("不变"),
    ImportAction.REMOVE: N_("取消"),
}
ACTION_STYLES: dict[str, str] = {
    ImportAction.ADD: "green",
    ImportAction.UPDATE: "cyan",
    ImportAction.UNCHANGED: "",
    ImportAction.REMOVE: "red",
}
MEMBER_LABELS: dict[str, str] = {
    MatchStatus.MATCHED: N_("已有"),
    MatchStatus.NEW: N_("新团员"),
    MatchStatus.AMBIGUOUS: N_("待选"),
    MatchStatus.MISSING: N_("缺少"),
}
COLUMNS = (N_("序号"), N_("团员"), N_("匹配"), N_("商品"), N_("备注"), N_("动作"), N_("说明"))


def member_cell(row: PlannedRow, draft: ImportDraft) -> str:
    """The member a row stands for: the matched member's name and room, else what was typed."""
    known = draft.members.by_id.get(row.member_id) if row.member_id is not None else None
    if known is not None:
        return known.label
    return " ".join(part for part in (row.name, row.room or "") if part) or "-"


def items_cell(row: PlannedRow) -> str:
    """`套装×2 亚麻籽油×1`; an unknown product shows the words typed, with a question mark."""
    words = []
    for item in row.items:
        name = item.name or (f"{item.label}?" if item.label else "?")
        words.append(f"{name}×{item.qty}")
    return " ".join(words)


def fill_table(
    table: DataTable, plan: ImportPlan, draft: ImportDraft, errors: dict[int, str]
) -> None:
    """Put every planned row in the table (key: the row's index in the plan)."""
    table.clear()
    for n, row in enumerate(plan.rows):
        applies = row.applies and n not in errors
        dim = "" if applies else "dim"
        reasons = (errors[n], *row.reasons) if n in errors else row.reasons
        action = _(ACTION_LABELS[row.action])
        unsure = row.member_status in (MatchStatus.AMBIGUOUS, MatchStatus.MISSING)
        member_style = "yellow" if unsure else dim
        table.add_row(
            str(row.seq),
            Text(member_cell(row, draft), style=dim),
            Text(_(MEMBER_LABELS.get(row.member_status, row.member_status)), style=member_style),
            Text(items_cell(row), style=dim),
            Text(row.note, style=dim),
            Text(action, style=ACTION_STYLES[row.action] if applies else "dim"),
            Text(_("；").join(reasons), style="yellow" if reasons else ""),
            key=str(n),
        )


def summary_text(
    plan: ImportPlan, draft: ImportDraft, errors: dict[int, str], decisions: Decisions
) -> Text:
    """What applying will do, and what still needs the leader."""
    counts = plan.summary(set(errors))
    target = (
        _("导入到：{title}").format(title=draft.title)
        if draft.chain_id
        else ngettext(
            "将新建接龙：{title}（{n} 个商品）",
            "将新建接龙：{title}（{n} 个商品）",
            len(draft.new_items),
        ).format(title=draft.title, n=len(draft.new_items))
    )
    text = Text(target + "\n", style="bold")
    text.append(
        _("确认后：新增 {a}，更新 {u}，不变 {c}，取消 {r}").format(
            a=counts["added"], u=counts["updated"], c=counts["unchanged"], r=counts["removed"]
        )
    )
    if draft.hint:
        text.append("\n" + draft.hint, style="yellow")
    held = sum(
        1
        for n, row in enumerate(plan.rows)
        if (row.entry and not row.applies and row.added_to is None) or n in errors
    )
    if held:
        held_text = ngettext("{n} 条不会导入（见说明）", "{n} 条不会导入（见说明）", held)
        text.append("   " + held_text.format(n=held), style="yellow")
    if plan.duplicates:
        rule = _("以后一条为准") if decisions.later_wins else _("以第一条为准")
        message = ngettext(
            "  {n} 人接了不止一次：{rule}（l 切换）",
            "  {n} 人接了不止一次：{rule}（l 切换）",
            plan.duplicates,
        ).format(n=plan.duplicates, rule=rule)
        text.append("\n" + message, style="yellow")
    if plan.removals:
        state = _("确认后取消") if decisions.cancel_removed else _("保留不动")
        message = ngettext(
            "  群里少了 {n} 条：{state}（r 切换）",
            "  群里少了 {n} 条：{state}（r 切换）",
            plan.removals,
        ).format(n=plan.removals, state=state)
        text.append("\n" + message, style="yellow")
    return text


def unparsed_text(draft: ImportDraft) -> Text:
    """Every line that was not read: line number, text and reason."""
    if not draft.unparsed:
        return Text(_("每一行都读懂了"), style="dim")
    text = Text(_("没读懂的行（不会导入，可以按 esc 回去修改）") + "\n", style="bold yellow")
    for line in draft.unparsed:
        text.append(
            _("第 {n} 行：{text}  ({reason})").format(
                n=line.line, text=line.text, reason=line.reason
            )
            + "\n"
        )
    return text
