"""`tuan partner …`: partner sites and what their posters brought."""

from __future__ import annotations

from typing import Annotated

import typer

from tuan.commands.common import open_db, print_json
from tuan.i18n import _

partner_app = typer.Typer(help=_("合作点位：健身房、瑜伽馆等"), no_args_is_help=True)


@partner_app.command("list")
def list_(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help=_("输出 JSON"))] = False,
) -> None:
    """列出合作点位，以及每个点位带来的团员和消费。"""
    from tuan.domain.money import format_money
    from tuan.domain.partners import list_partners

    with open_db(ctx).session() as session:
        partners = list_partners(session)
    if as_json:
        print_json(
            [
                {
                    "id": p.id,
                    "name": p.name,
                    "kind": p.kind,
                    "address": p.address,
                    "contact": p.contact,
                    "code": p.code,
                    "members": p.members,
                    "spend_cents": p.spend_cents,
                    "poster_at": p.poster_at.isoformat() if p.poster_at else None,
                }
                for p in partners
            ]
        )
        return
    for p in partners:
        typer.echo(
            f"{p.id:>3}  {p.code}  {p.name}  {_('带来 {n} 人').format(n=p.members)}  "
            f"{format_money(p.spend_cents)}"
        )
