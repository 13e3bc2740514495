"""`tuan remind …`: the follow-up reminders."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from tuan.commands.common import open_db, print_json
from tuan.i18n import _

remind_app = typer.Typer(help=_("跟进提醒：列表与规则"), no_args_is_help=True)


class Due(StrEnum):
    """Which reminders to list."""

    overdue = "overdue"
    today = "today"
    upcoming = "upcoming"
    all = "all"


@remind_app.command("list")
def list_(
    ctx: typer.Context,
    due: Annotated[Due, typer.Option("--due", help=_("逾期、今天、即将到期或全部"))] = Due.all,
    as_json: Annotated[bool, typer.Option("--json", help=_("输出 JSON"))] = False,
) -> None:
    """列出未完成的跟进提醒，附上可直接复制的消息。"""
    from tuan.domain.reminders import due_bucket, open_reminders

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
                    "member": r.member,
                    "title": r.title,
                    "message": r.message,
                }
                for r in reminders
            ]
        )
        return
    for r in reminders:
        typer.echo(f"{r.id:>4}  {r.due_on.isoformat()}  {r.member or '-'}  {r.title}")
        typer.echo(f"      {r.message}")
