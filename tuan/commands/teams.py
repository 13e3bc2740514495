"""`tuan chain teams | settle-teams | set-team`: 拼团 (team buy) from the command line."""

from __future__ import annotations

from typing import Annotated

import typer

from tuan.commands.common import fail, info, open_db, print_json
from tuan.i18n import _


def teams(
    ctx: typer.Context,
    chain_id: Annotated[int, typer.Argument(help=_("接龙编号（见 tuan chain list）"))],
    as_json: Annotated[bool, typer.Option("--json", help=_("输出 JSON"))] = False,
) -> None:
    """A chain's team items: teams formed, and the open ones with who is missing."""
    from tuan.domain.chains.teams_view import TeamsViewError, teams_view

    try:
        with open_db(ctx).session() as session:
            view = teams_view(session, chain_id)
    except TeamsViewError as error:
        fail(str(error))
    if as_json:
        print_json(view.as_dict())
        return
    if not view.items:
        info(_("接龙 {id} 没有拼团商品").format(id=chain_id))
        return
    for item in view.items:
        typer.echo(item.line())
        for team in item.teams:
            typer.echo(f"  {team.name}  {team.status}  {_('、').join(team.members)}")


def settle_teams(
    ctx: typer.Context,
    chain_id: Annotated[int, typer.Argument(help=_("接龙编号（见 tuan chain list）"))],
    unfilled: Annotated[
        str,
        typer.Option(
            "--unfilled", help=_("没成团的团怎么办：normal 按原价成交，cancel 取消这些订单")
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help=_("输出 JSON"))] = False,
) -> None:
    """Settle the chain's unfilled teams after the deadline: normal price, or cancel."""
    from tuan.domain.chains.teams_view import settled_message
    from tuan.domain.shared.teams import TeamError, settle_teams

    try:
        with open_db(ctx).transaction() as session:
            done = settle_teams(session, chain_id, unfilled.strip().lower())
    except TeamError as error:
        fail(str(error))
    if as_json:
        print_json({"chain_id": chain_id, **done.as_dict()})
    info(settled_message(done))


def set_team(
    ctx: typer.Context,
    chain_id: Annotated[int, typer.Argument(help=_("接龙编号（见 tuan chain list）"))],
    item: Annotated[str, typer.Argument(help=_("商品的编号、名字或简称，例如 A 或 大米"))],
    size: Annotated[str, typer.Option("--size", help=_("成团人数，至少 2"))] = "",
    price: Annotated[str, typer.Option("--price", help=_("团购价，例如 79"))] = "",
    off: Annotated[bool, typer.Option("--off", help=_("不再拼团"))] = False,
) -> None:
    """Make a chain item a team item (team size and price), or not (`--off`)."""
    from tuan.domain.chains.edit import ChainFormError
    from tuan.domain.chains.teams_view import TeamsViewError, set_item_team

    if off:
        size, price = "", ""
    elif not size.strip() and not price.strip():
        fail(_("请写 --size 成团人数 和 --price 团购价，或 --off 不再拼团"))
    try:
        with open_db(ctx).transaction() as session:
            name, warnings = set_item_team(session, chain_id, item, size, price)
    except (TeamsViewError, ChainFormError) as error:
        fail(str(error))
    for warning in warnings.values():
        info(_("注意：{warning}").format(warning=warning))
    if off:
        info(_("「{name}」不再拼团").format(name=name))
    else:
        message = _("「{name}」改为拼团：{size} 人成团，团购价 {price}")
        info(message.format(name=name, size=size.strip(), price=price.strip()))
