"""`tuan remind …`: the follow-up reminders (list, run the rules, add, done, snooze).

The member commands (`tuan member …`) live in `tuan.commands.member`; `member_app` is re-exported
here so the CLI registers both from one module.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from tuan.commands.common import fail, info, open_db, print_json, require
from tuan.commands.member import member_app
from tuan.i18n import _

__all__ = ["member_app", "remind_app"]

remind_app = typer.Typer(help=_("跟进提醒：列表与规则"), no_args_is_help=True)


class Due(StrEnum):
    """Which reminders to list."""

    overdue = "overdue"
    today = "today"
    upcoming = "upcoming"
    all = "all"


@remind_app.command("list", help=_("列出未完成的跟进提醒，附上可直接复制的消息。"))
def list_(
    ctx: typer.Context,
    due: Annotated[Due, typer.Option("--due", help=_("逾期、今天、即将到期或全部"))] = Due.all,
    as_json: Annotated[bool, typer.Option("--json", help=_("输出 JSON"))] = False,
) -> None:
    """List open follow-up reminders, with messages ready to copy."""
    from tuan.domain.members.reminders import due_bucket, kind_label, open_reminders

    with open_db(ctx).session() as session:
        reminders = [r for r in open_reminders(session) if due in (Due.all, due_bucket(r))]
    if as_json:
        print_json(
            [
                {
                    "id": r.id,
                    "due_on": r.due_on.isoformat(),
                    "due": due_bucket(r),
                    "kind": r.kind,
                    "member_id": r.member_id,
                    "member": r.member,
                    "title": r.title,
                    "message": r.message,
                }
                for r in reminders
            ]
        )
        return
    for r in reminders:
        typer.echo(
            f"{r.id:>4}  {r.due_on.isoformat()}  {kind_label(r.kind)}  {r.member or '-'}  {r.title}"
        )
        typer.echo(f"      {r.message}")


@remind_app.command(
    "run",
    help=_(
        "立即运行规则：生成到期的跟进提醒、更新自动标签、记入消费积分（重复运行不会重复生成）。"
    ),
)
def run(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help=_("输出 JSON"))] = False,
) -> None:
    """Run the rules now: create due reminders, update automatic tags, credit purchase points
    (running again creates no duplicates).
    """
    from tuan import clock
    from tuan.domain.members.rules import report_lines, run_rules

    with open_db(ctx).transaction() as session:
        report = run_rules(session, clock.now())
    if as_json:
        print_json(
            {
                "created": [
                    {
                        "id": r.id,
                        "kind": r.kind,
                        "due_on": r.due_on.isoformat(),
                        "member": r.member,
                        "title": r.title,
                    }
                    for r in report.reminders
                ],
                "tags": [t.__dict__ for t in report.tags],
                "points_orders": report.points_orders,
                "coupons": report.coupons,
                "points_reversed": report.points_reversed,
                "uncollected": report.uncollected,
                "seconds": round(report.seconds, 3),
            }
        )
        return
    for r in report.reminders:
        typer.echo(f"{r.id:>4}  {r.due_on.isoformat()}  {r.member or '-'}  {r.title}")
    for line in report_lines(report):
        info(line)


@remind_app.command("add", help=_("手动添加一条跟进提醒。"))
def add(
    ctx: typer.Context,
    title: Annotated[str, typer.Argument(help=_("标题，例如 回电：问发票"))],
    due: Annotated[
        str,
        typer.Option(
            "--due", help=_("到期：今天（默认）、明天、3天后、12-01、周三"), show_default=False
        ),
    ] = "0",  # days from today: parse_due reads `0` as today, in every language
    member: Annotated[str, typer.Option("--member", help=_("团员：昵称、房号或拼音首字母"))] = "",
    message: Annotated[str, typer.Option("--message", help=_("要发给团员的消息"))] = "",
) -> None:
    """Add a follow-up reminder by hand."""
    from tuan.domain.members.reminders import ReminderError, create_reminder, parse_due
    from tuan.domain.shared.people import find_members

    with open_db(ctx).transaction() as session:
        member_id = None
        if member:
            found = find_members(session, member, limit=2)
            if len(found) != 1 and not (found and found[0].nickname == member):
                message = _("找不到唯一的团员：{text}，请写昵称、房号或拼音首字母，只对应一位团员")
                fail(message.format(text=member))
            member_id = found[0].id
        try:
            reminder = create_reminder(
                session,
                due_on=parse_due(due),
                title=title,
                message=message,
                member_id=member_id,
            )
            session.flush()
        except ReminderError as error:
            fail(str(error))
        info(_("已添加提醒 {id}，{due} 到期").format(id=reminder.id, due=reminder.due_on))


@remind_app.command("done", help=_("把一条提醒标为已完成。"))
def done(
    ctx: typer.Context,
    reminder_id: Annotated[int, typer.Argument(help=_("提醒编号"))],
) -> None:
    """Mark a reminder as done."""
    from tuan.domain.members.reminders import ReminderError, mark_done
    from tuan.models import Reminder

    with open_db(ctx).transaction() as session:
        require(session, Reminder, reminder_id, _("提醒"), "remind")
        try:
            mark_done(session, reminder_id)
        except ReminderError as error:
            fail(str(error))
    info(_("提醒 {id} 已完成").format(id=reminder_id))


@remind_app.command("snooze", help=_("把一条提醒推迟几天。"))
def snooze(
    ctx: typer.Context,
    reminder_id: Annotated[int, typer.Argument(help=_("提醒编号"))],
    days: Annotated[int, typer.Option("--days", help=_("推迟几天（从今天算）"))] = 1,
) -> None:
    """Snooze a reminder for a few days."""
    from tuan.domain.members.reminders import ReminderError
    from tuan.domain.members.reminders import snooze as snooze_reminder
    from tuan.models import Reminder

    with open_db(ctx).transaction() as session:
        require(session, Reminder, reminder_id, _("提醒"), "remind")
        try:
            reminder = snooze_reminder(session, reminder_id, days)
        except ReminderError as error:
            fail(str(error))
    info(_("提醒 {id} 推迟到 {due}").format(id=reminder_id, due=reminder.due_on))
