"""`tuan partner …` and `tuan poster`: partner sites, what their posters brought, poster files."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tuan.commands.common import fail, info, open_db, print_json, require
from tuan.i18n import _

if TYPE_CHECKING:
    from tuan.domain.partners.posters import PosterSpec

partner_app = typer.Typer(help=_("合作点位：健身房、瑜伽馆等"), no_args_is_help=True)

EXIT_NOT_DONE = 1  # the system lacks something (a font, a printer); the input was fine


@partner_app.command("list", help=_("列出合作点位，以及每个点位带来的团员、消费和海报二维码状态。"))
def list_(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help=_("输出 JSON"))] = False,
) -> None:
    """List partners with the members each brought, their spend and the poster QR status."""
    from tuan.domain.partners.sites import list_partners
    from tuan.domain.shared.money import format_money

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
                    "qr_status": p.qr_label,
                    "qr_needs_attention": p.qr_urgent,
                }
                for p in partners
            ]
        )
        return
    for p in partners:
        typer.echo(
            f"{p.id:>3}  {p.code}  {p.name}  {_('带来 {n} 人').format(n=p.members)}  "
            f"{format_money(p.spend_cents)}  {_('二维码：{status}').format(status=p.qr_label)}"
        )


@partner_app.command("assign", help=_("把团员的来源记为某个合作点位（按来源码）。"))
def assign(
    ctx: typer.Context,
    member_id: Annotated[int, typer.Argument(help=_("团员编号（tuan 团员列表里的编号）"))],
    code: Annotated[str, typer.Argument(help=_("合作点位的来源码，例如 YD01"))],
) -> None:
    """Record a partner (by its source code) as a member's source."""
    from tuan.domain.partners.sites import PartnerError, assign_partner_source
    from tuan.models import Member

    try:
        with open_db(ctx).transaction() as session:
            require(session, Member, member_id, _("团员"), "member")
            member = assign_partner_source(session, member_id, code)
            nickname = member.nickname
    except (PartnerError, LookupError) as error:
        fail(str(error))
    info(_("已把 {name} 的来源记为 {code}").format(name=nickname, code=code.strip().upper()))


def poster(
    ctx: typer.Context,
    partner_id: Annotated[int, typer.Argument(help=_("合作点位编号（tuan partner list）"))],
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help=_("保存为 .pdf（A4 打印）或 .png（手机图片）；默认当前文件夹的 PDF"),
        ),
    ] = None,
    send_to_print: Annotated[
        bool, typer.Option("--print", help=_("生成后用系统的 lp/lpr 打印（只限 PDF）"))
    ] = False,
    font: Annotated[
        Path | None, typer.Option("--font", help=_("中文字体文件（.ttf/.ttc/.otf），默认自动查找"))
    ] = None,
) -> None:
    """Make a partner's QR poster (A4 PDF or 1080×1920 PNG).

    Exit codes: 0 done; 2 bad input (partner id, file name, font path); 1 no Chinese font,
    or printing failed.
    """
    from tuan.domain.partners.poster_render import (
        PrintError,
        export_poster,
        poster_filename,
        send_to_printer,
    )
    from tuan.domain.partners.posters import PosterError
    from tuan.domain.shared.fonts import FontError, find_cjk_font

    fmt = _checked_format(output, send_to_print)
    spec = _spec_or_fail(ctx, partner_id)
    try:
        chosen = find_cjk_font(font)
    except FontError as error:
        fail(str(error), 2 if font else EXIT_NOT_DONE)
    target = output or Path(poster_filename(spec, fmt))
    try:
        result = export_poster(spec, target, chosen)
    except PosterError as error:
        fail(str(error))
    for warning in result.warnings:
        info(_("注意：{warning}").format(warning=warning))
    info(_("海报已保存：{path}").format(path=result.path.resolve()))
    if send_to_print:
        try:
            info(send_to_printer(result.path.resolve()))
        except PrintError as error:
            fail(str(error), EXIT_NOT_DONE)


def _checked_format(output: Path | None, send_to_print: bool) -> str:
    """`pdf` or `png` from the output name (PDF when none); exit 2 on a name that will not do."""
    from tuan.domain.partners.poster_render import poster_format
    from tuan.domain.partners.posters import PosterError

    try:
        fmt = poster_format(output) if output else "pdf"
    except PosterError as error:
        fail(str(error))
    if send_to_print and fmt != "pdf":
        fail(_("--print 只能打印 PDF：请用 -o 海报.pdf"))
    return fmt


def _spec_or_fail(ctx: typer.Context, partner_id: int) -> PosterSpec:
    """The partner's current poster, or exit 2 saying how to find the right id."""
    from tuan.domain.partners.posters import PartnerNotFound, poster_spec

    try:
        with open_db(ctx).session() as session:
            return poster_spec(session, partner_id)
    except PartnerNotFound:
        fail(_("找不到合作点位 {id}，用 `tuan partner list` 查看编号").format(id=partner_id))
