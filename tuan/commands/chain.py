"""`tuan chain …`: list chains, export the chain text, import a pasted chain."""

from __future__ import annotations

from typing import Annotated

import typer

from tuan.commands.common import open_db, print_json
from tuan.i18n import _

app = typer.Typer(help=_("接龙：列表、导出接龙文字、导入群里复制回来的接龙"), no_args_is_help=True)


@app.command("list")
def list_(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help=_("输出 JSON"))] = False,
) -> None:
    """列出接龙：状态、截止时间、单数、已售和成交额。"""
    from tuan.domain.chains import list_chains, status_label
    from tuan.domain.money import format_money
    from tuan.domain.timefmt import short_datetime

    with open_db(ctx).session() as session:
        chains = list_chains(session)
    if as_json:
        print_json(
            [
                {
                    "id": c.id,
                    "title": c.title,
                    "status": c.status,
                    "deadline": c.deadline.isoformat() if c.deadline else None,
                    "entries": c.entries,
                    "sold": c.sold,
                    "stock": c.stock,
                    "gmv_cents": c.gmv_cents,
                }
                for c in chains
            ]
        )
        return
    for c in chains:
        typer.echo(
            f"{c.id:>4}  {status_label(c.status)}  {short_datetime(c.deadline):<16} "
            f"{c.entries:>4}{_('单')}  {format_money(c.gmv_cents):>10}  {c.title}"
        )
