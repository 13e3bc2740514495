"""`tuan chain …`: list chains, export the chain text, import a pasted chain."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from tuan.commands.common import fail, info, open_db, print_json
from tuan.i18n import _

app = typer.Typer(help=_("接龙：列表、导出接龙文字、导入群里复制回来的接龙"), no_args_is_help=True)


def unknown_chain(chain_id: int) -> NoReturn:
    """Exit 2: no chain has this id."""
    fail(_("找不到接龙 {id}，用 `tuan chain list` 查看编号").format(id=chain_id))


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


@app.command("export")
def export(
    ctx: typer.Context,
    chain_id: Annotated[int, typer.Argument(help=_("接龙编号（见 tuan chain list）"))],
    no_entries: Annotated[
        bool, typer.Option("--no-entries", help=_("只导出开团文案，不带接龙条目"))
    ] = False,
    output: Annotated[
        str | None, typer.Option("-o", "--output", help=_("写入文件（默认打印到标准输出）"))
    ] = None,
) -> None:
    """打印接龙文字（#接龙 开头），可直接粘贴到微信群。敏感词提醒打印在 stderr。"""
    from tuan.domain.chain_export import ExportError, export_chain

    try:
        with open_db(ctx).session() as session:
            exported = export_chain(session, chain_id, with_entries=not no_entries)
    except ExportError:
        unknown_chain(chain_id)
    for hit in exported.warnings:
        info(_("提醒：{hit}").format(hit=hit.describe()))
    if output is None:
        sys.stdout.write(exported.text)
        return
    try:
        Path(output).expanduser().write_text(exported.text, encoding="utf-8")
    except OSError as exc:
        fail(_("写不了文件 {path}：{error}").format(path=output, error=exc.strerror or exc))
    info(_("已写入 {path}").format(path=output))
