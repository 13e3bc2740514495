"""Commands about the database itself: the demo, upgrades, backups."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Annotated

import typer

from tuan.commands.common import fail, info, open_app, open_db, state
from tuan.domain.shared.file_errors import os_problem
from tuan.i18n import _

db_app = typer.Typer(help=_("数据库：升级结构"), no_args_is_help=True)


def demo(
    ctx: typer.Context,
    no_tui: Annotated[bool, typer.Option("--no-tui", help=_("只生成演示数据，不打开应用"))] = False,
    scale: Annotated[
        str,
        typer.Option(
            "--scale", help=_("数据规模：small（300 团员）、large（5000 团员）或 xl（50000 团员）")
        ),
    ] = "small",
) -> None:
    """(Re)create the demo database (绿源生活) and open the app."""
    from tuan.db import demo_db_path, folder_problem, open_database
    from tuan.domain.dashboard.overview import renew_snapshot
    from tuan.domain.demo.builder import SCALES
    from tuan.domain.demo.seed import seed_demo

    if scale not in SCALES:
        fail(_("不认识的规模：{scale}，可选 small、large 或 xl").format(scale=scale))
    chosen = state(ctx).db
    target = chosen or str(demo_db_path())
    if "://" in target:
        fail(_("演示数据只能写入 SQLite 文件，请用 --db 指定一个文件路径"))
    path = Path(target).expanduser()
    problem = folder_problem(target) or _not_a_demo(path)
    if problem:
        fail(problem)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    database = open_database(target)
    counts = seed_demo(database, scale)
    renew_snapshot(database)  # the app opens with its numbers on the first frame after
    database.close()
    message = _(
        "演示数据已就绪：{members} 位团员，{chains} 个接龙，{orders} 个订单（{path}）"
    ).format(members=counts["member"], chains=counts["chain"], orders=counts["orders"], path=path)
    info(message)
    if not no_tui:
        open_app(target, welcome=message)


DEMO_MARKER = "demo"  # the meta key the demo story writes (tuan.domain.demo.seed)


def _not_a_demo(path: Path) -> str | None:
    """Why `demo` must not delete the file at `path`, or None when it may recreate it.

    It may when nothing is there, the file is an empty SQLite file, it is marked as a demo
    database, or it is the default demo file (older demo files may lack the mark).
    """
    from tuan.backup import inspect_file
    from tuan.db import demo_db_path

    if not path.exists() and not path.is_symlink():
        return None
    if path.resolve() == demo_db_path().resolve() and not path.is_dir():
        return None
    facts = inspect_file(path)
    if facts.empty or DEMO_MARKER in facts.meta_keys:
        return None
    if facts.problem is None:
        what = _(
            "{path} 是一个 tuan 数据库，不是演示数据库：里面有 {members} 位团员、{orders} 个订单"
        ).format(path=path, members=facts.members, orders=facts.orders)
    else:
        what = _("{path} 不是演示数据库：{problem}").format(path=path, problem=facts.problem)
    advice = _(
        "tuan demo 会删掉它再写入演示数据，所以没有动它。"
        "请用 --db 换一个新文件名（例如 --db demo-test.db），或者不带 --db 运行 tuan demo，"
        "使用默认的演示文件 {demo}"
    ).format(demo=demo_db_path())
    return _("{what}。{advice}").format(what=what, advice=advice)


@db_app.command("upgrade", help=_("应用待执行的数据库结构升级（升级前自动备份）。"))
def upgrade(ctx: typer.Context) -> None:
    """Apply pending database schema upgrades (backs up first)."""
    from tuan.db import open_database
    from tuan.migrations import latest_version, pending, upgrade

    database = open_database(state(ctx).target(), migrate=False)
    todo = pending(database)
    if not todo:
        info(_("数据库已是最新版本（v{v}）").format(v=latest_version()))
        return
    upgrade(database)
    info(
        _("已升级到 v{v}：{steps}").format(
            v=todo[-1].version, steps=_("、").join(s.name for s in todo)
        )
    )


def backup(
    ctx: typer.Context,
    output: Annotated[Path | None, typer.Option("-o", "--output", help=_("备份文件路径"))] = None,
) -> None:
    """Back up the database online (safe while the app is open), with the posters' QR images."""
    from tuan.backup import backup_file, backup_posters
    from tuan.db import sqlite_path
    from tuan.sqlite_copy import backup_to, is_database_file, same_file_message

    path = sqlite_path(state(ctx).target())
    if path is None:
        fail(_("备份只支持 SQLite 文件；PostgreSQL 请用 pg_dump"))
    # Before anything is opened: writing the backup over the database itself would empty it.
    if output is not None and is_database_file(path, output):
        fail(same_file_message(path, output))
    if not path.is_file():
        fail(_("{path} 还没有数据库，没有可备份的内容").format(path=path))
    database = open_db(ctx)
    try:
        made = backup_to(path, output) if output else backup_file(database)
        posters = backup_posters(path, made)
    except (OSError, sqlite3.Error) as error:
        fail(_("备份没有写成：{path}：{reason}").format(path=output or path, reason=_reason(error)))
    info(_("已备份到 {path}").format(path=made))
    if posters.copied:
        info(_("海报的二维码图片（{n} 张）一起备份在 {folder}").format(
            n=posters.copied, folder=posters.folder))  # fmt: skip
    if posters.missing:
        info(_("这些二维码图片已经找不到，没有备份：{paths}").format(
            paths=_("、").join(posters.missing)))  # fmt: skip


def restore(
    ctx: typer.Context,
    source: Annotated[Path, typer.Argument(help=_("要恢复的备份文件"))],
    yes: Annotated[bool, typer.Option("--yes", "-y", help=_("不再询问"))] = False,
) -> None:
    """Replace the database with a backup (asks first and keeps a copy of the one replaced)."""
    from tuan.backup import (
        check_restore,
        live_posters_folder,
        posters_folder,
        restore_from,
        restore_posters,
    )

    if not source.is_file():
        fail(_("找不到备份文件：{path}，请检查文件名和路径").format(path=source))
    target = state(ctx).target()
    try:
        path = check_restore(target, source)  # before asking: a bad file never gets a yes
    except ValueError as error:
        fail(str(error))
    question = _("用 {src} 替换 {dst}？").format(src=source, dst=target)
    if not yes and not typer.confirm(question, err=True):
        fail(_("已取消，数据库没有改动"), code=1)
    try:
        kept = restore_from(target, source)
        images = restore_posters(source, path)
    except ValueError as error:
        fail(str(error))
    except (OSError, sqlite3.Error) as error:
        fail(_("恢复没有完成：{reason}").format(reason=_reason(error)))
    if kept is None:
        info(_("已恢复到 {path}").format(path=path))
    else:
        info(_("已恢复。原数据库已另存为 {path}").format(path=kept))
    if images:
        info(_("海报的二维码图片（{n} 张）已从 {folder} 放回 {dest}").format(
            n=images, folder=posters_folder(source), dest=live_posters_folder(path)))  # fmt: skip


def _reason(error: OSError | sqlite3.Error) -> str:
    return os_problem(error) if isinstance(error, OSError) else str(error)
