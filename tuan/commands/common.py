"""What every command shares: the chosen database, errors, JSON output."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NoReturn

import typer

from tuan.i18n import _

if TYPE_CHECKING:
    from tuan.db import Database

EXIT_BAD_INPUT = 2


@dataclass
class State:
    """Options given on the root command."""

    db: str | None = None

    def target(self) -> str:
        """The database file or URL these commands work on.

        Exits 2 when a chosen file's folder does not exist (only tuan's own data folder is
        created), so a mistyped path never quietly becomes new folders and an empty database.
        """
        from tuan.db import folder_problem, resolve_target

        target = resolve_target(self.db)
        problem = folder_problem(target)
        if problem:
            fail(problem)
        return target


def state(ctx: typer.Context) -> State:
    """The root command's options (a fresh default when a command runs on its own)."""
    root = ctx.find_root()
    return root.obj if isinstance(root.obj, State) else State()


def open_db(ctx: typer.Context) -> Database:
    """Open and upgrade the database the root options point at; exit 2 if it cannot be opened."""
    from sqlalchemy.exc import DatabaseError

    from tuan.db import DriverMissing, open_database

    target = state(ctx).target()
    try:
        database = open_database(target)
    except DriverMissing as error:
        fail(str(error))
    except DatabaseError as error:
        if "://" in target:  # never show a server password
            from sqlalchemy.engine import make_url

            target = make_url(target).render_as_string(hide_password=True)
        message = _("打不开数据库 {target}：它不是 tuan 的数据库，或者没有权限（{reason}）")
        fail(message.format(target=target, reason=getattr(error, "orig", None) or error))
    ctx.call_on_close(lambda: _after_writes(database))
    return database


def _after_writes(database: Database) -> None:
    """A command that wrote renews the dashboard snapshot, so the app starts with numbers."""
    if database.own_generation is None:
        return  # this command wrote nothing
    from tuan.domain.dashboard.overview import renew_snapshot

    renew_snapshot(database)


def fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    """Say what was wrong on stderr and exit (2: bad input)."""
    typer.echo(message, err=True)
    raise typer.Exit(code)


def info(message: str) -> None:
    """A message for the leader, on stderr so stdout stays clean for pipes."""
    typer.echo(message, err=True)


def print_json(document: Any) -> None:
    """One JSON document on stdout, Chinese kept readable."""
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2, default=str) + "\n")


def open_app(target: str, *, welcome: str | None = None) -> None:
    """Open the Textual app (the only place the CLI imports it)."""
    from tuan.tui.launch import run_app

    run_app(target, notice=welcome)


def not_found(what: str, ident: int, command: str) -> NoReturn:
    """Exit 2 for an unknown id, saying how to list the valid ones (`tuan {command} list`)."""
    fail(_("找不到{what} {id}，用 `tuan {command} list` 查看编号").format(
        what=what, id=ident, command=command))  # fmt: skip


def require(session: Any, model: type, ident: int, what: str, command: str) -> Any:
    """The row with this id, or exit 2 saying how to find the right one."""
    row = session.get(model, ident)
    if row is None:
        not_found(what, ident, command)
    return row
