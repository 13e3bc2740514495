"""`tuan live …`: livestreams, their run-of-show and summaries."""

from __future__ import annotations

from typing import Annotated

import typer

from tuan.commands.common import open_db, print_json
from tuan.i18n import _

app = typer.Typer(help=_("直播：列表、流程导出、直播总结"), no_args_is_help=True)


@app.command("list")
def list_(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help=_("输出 JSON"))] = False,
) -> None:
    """列出直播：系列、期数、主题、开播时间、状态和数据。"""
    from tuan.domain.live import list_livestreams, status_label
    from tuan.domain.timefmt import short_datetime

    with open_db(ctx).session() as session:
        lives = list_livestreams(session)
    if as_json:
        print_json(
            [
                {
                    "id": x.id,
                    "series": x.series,
                    "episode": x.episode,
                    "theme": x.theme,
                    "host": x.host,
                    "status": x.status,
                    "chain_id": x.chain_id,
                    "scheduled_at": x.scheduled_at.isoformat() if x.scheduled_at else None,
                    "summary": x.summary,
                }
                for x in lives
            ]
        )
        return
    for x in lives:
        typer.echo(
            f"{x.id:>4}  {status_label(x.status)}  {short_datetime(x.scheduled_at):<16} "
            f"《{x.series}》{_('第{n}期').format(n=x.episode)} {x.theme}"
        )
