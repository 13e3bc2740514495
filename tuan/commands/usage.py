"""Command-line mistakes told in the leader's language, never as English or a traceback.

typer (with its vendored click) reports a mistyped command in English: `Invalid value for
'chain_id': Input should be a valid integer`. `TuanGroup`, the root command's class, turns each
such usage error into one Chinese line that says what was wrong and how to see the usage, and
turns a number too large for the database (`tuan member show 99999999999999999999`) into a clear
refusal instead of a traceback. Exit code 2 (bad input) either way; nothing is written, because
every write runs in a transaction that the error rolls back.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

import typer
from typer._click import exceptions as click_errors  # typer vendors click (pinned in uv.lock)
from typer.core import TyperGroup

from tuan.i18n import _

#: The largest id or count every supported database stores (PostgreSQL's INTEGER).
MAX_INT = 2**31 - 1
_ARGS_KEY = "tuan.args"


class ChineseUsageError(click_errors.UsageError):
    """A usage error whose message is already in the leader's language."""

    def show(self, file: IO[Any] | None = None) -> None:
        """`错误：…` and where to read the usage, on stderr."""
        hint = ""
        if self.ctx is not None:
            hint = "\n" + _("用 `{command} -h` 查看用法").format(command=self.ctx.command_path)
        typer.echo(_("错误：{message}").format(message=self.message) + hint, file=file, err=True)


class TuanGroup(TyperGroup):
    """The root command: usage errors and oversized numbers become Chinese refusals."""

    def make_context(
        self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any
    ) -> Any:
        with _in_chinese():
            ctx = super().make_context(info_name, list(args), parent, **extra)
        ctx.meta[_ARGS_KEY] = list(args)
        return ctx

    def invoke(self, ctx: Any) -> Any:
        try:
            with _in_chinese(), _numbers_in_range(ctx):
                return super().invoke(ctx)
        except typer.Abort:  # a question left unanswered (Ctrl-C, or no input to read)
            typer.echo("\n" + _("已取消，没有做任何改动"), err=True)
            raise typer.Exit(1) from None


@contextmanager
def _in_chinese() -> Iterator[None]:
    try:
        yield
    except (click_errors.NoArgsIsHelpError, ChineseUsageError):
        raise
    except click_errors.UsageError as error:
        raise ChineseUsageError(explain(error), error.ctx) from error


@contextmanager
def _numbers_in_range(ctx: Any) -> Iterator[None]:
    """An id or count the database cannot hold is bad input, named, not a crash."""
    try:
        yield
    except Exception as error:
        if not _is_overflow(error):
            raise
        numbers = [a for a in ctx.meta.get(_ARGS_KEY, []) if _too_big(a)]
        if not numbers:
            raise
        message = _("数字太大：{numbers}（编号和数量最大 {max}），请检查后重新输入")
        raise ChineseUsageError(
            message.format(numbers=_("、").join(numbers), max=MAX_INT)
        ) from error


def _too_big(arg: str) -> bool:
    number = arg.split("=", 1)[-1]
    return bool(re.fullmatch(r"[+-]?\d+", number)) and abs(int(number)) > MAX_INT


def _is_overflow(error: BaseException) -> bool:
    """SQLite's OverflowError (raw or wrapped) or PostgreSQL's "integer out of range"."""
    if isinstance(error, OverflowError):
        return True
    exc = sys.modules.get("sqlalchemy.exc")
    if exc is None:
        return False
    if isinstance(error, exc.StatementError) and isinstance(error.orig, OverflowError):
        return True
    return isinstance(error, exc.DataError) and "out of range" in str(error.orig)


def explain(error: click_errors.UsageError) -> str:
    """One Chinese sentence for a typer/click usage error."""
    if isinstance(error, click_errors.MissingParameter):
        return _("缺少{what}：请写在命令后面").format(what=_what(error.param).strip())
    if isinstance(error, click_errors.BadParameter):
        return _bad_value(error)
    if isinstance(error, click_errors.NoSuchOption):
        return _no_such_option(error)
    if isinstance(error, click_errors.BadOptionUsage):
        if "does not take a value" in error.message:
            return _("{option} 是开关，后面不用写值").format(option=error.option_name)
        return _("{option} 后面要写一个值").format(option=error.option_name)
    if match := re.match(r"No such command '(.*)'", error.message):
        return _("没有这个命令：{name}").format(name=match.group(1))
    if match := re.match(r"Got unexpected extra argument\(s\) \((.*)\)", error.message):
        return _("多出来的参数：{args}").format(args=match.group(1))
    return _("命令写得不对：{message}").format(message=error.message)


def _what(param: Any) -> str:
    """`--award ` for an option (spaced from the Chinese after it); for an argument, its help
    text up to the bracket."""
    if param is None:
        return _("参数")
    if getattr(param, "param_type_name", "") == "option":
        return "/".join(param.opts) + " "
    help_text = getattr(param, "help", None) or ""
    bracket = "（"  # i18n-keep: our help texts put details in full-width brackets
    return help_text.split(bracket)[0].strip() or str(param.name)


def _bad_value(error: click_errors.BadParameter) -> str:
    what = _what(error.param)
    cause = error.__cause__
    details = cause.errors()[0] if cause is not None and hasattr(cause, "errors") else {}
    value = details.get("input", "")
    kind = details.get("type", "")
    if kind.startswith("int_"):
        return _("{what}要填整数，「{value}」不是整数").format(what=what, value=value)
    if kind.startswith("float_"):
        return _("{what}要填数字，「{value}」不是数字").format(what=what, value=value)
    choices = re.search(r"is not one of (.*?)\.?$", str(details.get("msg", "")))
    if choices:
        allowed = _("、").join(c.strip(" '") for c in choices.group(1).split(","))
        return _("{what}只能是 {allowed}，「{value}」不在其中").format(
            what=what, allowed=allowed, value=value
        )
    return _("{what}的值不对：「{value}」（{reason}）").format(
        what=what, value=value, reason=error.message
    )


def _no_such_option(error: click_errors.NoSuchOption) -> str:
    name = error.option_name
    if re.fullmatch(r"-\d+(\.\d+)?", name):
        return _("不能是负数：{value}（编号、数量和天数都从 1 开始）").format(value=name)
    message = _("没有这个选项：{name}").format(name=name)
    if error.possibilities:
        message += _("，是不是想用 {options}？").format(options=_("、").join(error.possibilities))
    return message
