"""The `tuan` command line (typer).

Scripted commands never import Textual: only the commands that open the app do, inside the
function, so `tuan chain export 3 | pbcopy` starts fast.
"""

from __future__ import annotations

from typing import Annotated

import typer

from tuan.commands import (
    chain,
    common,
    coupon,
    data,
    live,
    members,
    partners,
    pay,
    pickup,
    refund,
    spend,
    stats,
    teams,
)
from tuan.commands.usage import TuanGroup
from tuan.i18n import _, detect_language, set_language

app = typer.Typer(
    name="tuan",
    cls=TuanGroup,
    help=_("团：社区团购团长的终端工作台。不带命令时打开应用。"),
    no_args_is_help=False,
    add_completion=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option("--db", help=_("数据库文件路径或 SQLAlchemy URL（也可用 TUAN_DB）")),
    ] = None,
    lang: Annotated[
        str | None, typer.Option("--lang", help=_("界面语言：zh 或 en（也可用 TUAN_LANG）"))
    ] = None,
) -> None:
    """tuan: the terminal cockpit for community group-buy leaders; no command opens the app."""
    set_language(detect_language(lang))
    ctx.obj = common.State(db=db)
    if ctx.invoked_subcommand is None:
        common.open_app(ctx.obj.target())


chain.app.command("teams", help=_("拼团：各拼团商品已成团几个、哪些团还差几人。"))(teams.teams)
chain.app.command(
    "settle-teams",
    help=_("截止后结算没成团的团：--unfilled normal 按原价成交，cancel 取消这些订单。"),
)(teams.settle_teams)
chain.app.command("set-team", help=_("把商品设成拼团（成团人数、团购价），或 --off 取消。"))(
    teams.set_team
)
app.add_typer(chain.app, name="chain")
app.add_typer(live.app, name="live")
app.add_typer(pickup.app, name="pickup")
app.add_typer(pay.app, name="pay")
app.add_typer(refund.app, name="refund")
app.add_typer(coupon.app, name="coupon")
app.add_typer(members.remind_app, name="remind")
app.add_typer(members.member_app, name="member")
app.add_typer(partners.partner_app, name="partner")
app.add_typer(spend.spend_app, name="spend")
app.command(
    "poster",
    help=_(
        "生成合作点位的二维码海报（A4 PDF 或 1080×1920 PNG）。\n\n"
        "退出码：0 完成；2 输入有误（点位编号、文件名、字体路径）；1 缺中文字体或打印失败。"
    ),
)(partners.poster)
app.add_typer(data.db_app, name="db")
app.command(
    "demo", help=_("(重新)生成演示数据库（绿源生活）并打开应用；不会覆盖不是演示数据库的文件。")
)(data.demo)
app.command("backup", help=_("在线备份数据库和海报的二维码图片（应用打开时也安全）。"))(data.backup)
app.command(
    "restore", help=_("用备份替换当前数据库（先检查备份再询问，并保留被替换的数据库副本）。")
)(data.restore)
app.command(
    "stats",
    help=_("经营数字：成交额、复购率、LTV、直播转化率、裂变新客占比、沉睡团员（近 12 个月）。"),
)(stats.stats)
app.command("report", help=_("把经营数字和图表写成一个独立的网页，方便发给品牌方。"))(stats.report)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
