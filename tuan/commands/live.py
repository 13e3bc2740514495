"""`tuan live …`: livestreams, their run-of-show and summaries."""

from __future__ import annotations

from typing import Annotated, NoReturn

import typer

from tuan.commands.common import fail, open_db, print_json
from tuan.i18n import _

app = typer.Typer(help=_("直播：列表、流程导出、直播总结"), no_args_is_help=True)


@app.command("list", help=_("列出直播：系列、期数、主题、开播时间、状态和数据。"))
def list_(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help=_("输出 JSON"))] = False,
) -> None:
    """List livestreams: series, episode, theme, start time, status and numbers."""
    from tuan.domain.live.shows import list_livestreams, status_label
    from tuan.domain.shared.timefmt import short_datetime

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
                    "chain_title": x.chain_title,
                    "scheduled_at": x.scheduled_at.isoformat() if x.scheduled_at else None,
                    "summary": x.summary,
                }
                for x in lives
            ]
        )
        return
    for x in lives:
        series = _("《{series}》").format(series=x.series)
        typer.echo(
            f"{x.id:>4}  {status_label(x.status)}  {short_datetime(x.scheduled_at):<16} "
            f"{series}{_('第{n}期').format(n=x.episode)} {x.theme}"
        )


@app.command("export", help=_("导出直播流程（环节、时间、要点、主推商品、秒杀），发给主播。"))
def export(
    ctx: typer.Context,
    live_id: Annotated[int, typer.Argument(help=_("直播编号（见 tuan live list）"))],
) -> None:
    """Export the run-of-show (segments, times, talking points, featured products, flash sales) for
    the host.
    """
    from tuan.domain.live.shows import LiveError
    from tuan.domain.live.text import run_of_show_text

    with open_db(ctx).session() as session:
        try:
            text = run_of_show_text(session, live_id)
        except LiveError:
            _unknown(live_id)
    typer.echo(text, nl=False)


@app.command(
    "summary", help=_("直播总结：最高在线、下单人数、订单、转化率、成交额、赠品、新团员。")
)
def summary(
    ctx: typer.Context,
    live_id: Annotated[int, typer.Argument(help=_("直播编号（见 tuan live list）"))],
    as_json: Annotated[bool, typer.Option("--json", help=_("输出 JSON"))] = False,
) -> None:
    """Live summary: peak viewers, buyers, orders, conversion, GMV, gifts, new members."""
    from tuan.domain.dashboard.metrics import format_margin, live_margin
    from tuan.domain.live.summary import summary_of
    from tuan.domain.live.text import summary_text
    from tuan.models import Livestream

    with open_db(ctx).session() as session:
        live = session.get(Livestream, live_id)
        if live is None:
            _unknown(live_id)
        result = summary_of(session, live_id)
        margin = live_margin(session, live_id)
    if result is None:
        fail(_("直播 {id} 还没开播，没有数据：请开播后再看总结").format(id=live_id))
    if as_json:
        print_json(
            {
                "id": live_id,
                "theme": live.theme,
                "status": live.status,
                **result.as_dict(),
                **margin.as_dict(),
            }
        )
        return
    typer.echo(summary_text(live, result), nl=False)
    typer.echo(format_margin(margin))


def _unknown(live_id: int) -> NoReturn:
    """Exit 2 for an unknown livestream id."""
    fail(_("找不到直播 {id}，用 `tuan live list` 查看编号").format(id=live_id))
