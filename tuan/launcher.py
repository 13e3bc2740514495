"""The `tuan` console script: opening the app skips the command-line parser.

Parsing with typer costs more than a tenth of a second (it loads pydantic); a leader opening
the app types plain `tuan` (maybe with `--db`/`--lang`), so that path goes straight to the app
and every other command goes through typer in `tuan.cli`.
"""

from __future__ import annotations

import sys

_OPTIONS = ("--db", "--lang")


def plain_open(argv: list[str]) -> dict[str, str] | None:
    """The options when `argv` only opens the app (`--db X`, `--lang=en`), else None."""
    found: dict[str, str] = {}
    index = 0
    while index < len(argv):
        arg = argv[index]
        name, eq, value = arg.partition("=")
        if name not in _OPTIONS:
            return None
        if not eq:
            if index + 1 >= len(argv) or argv[index + 1].startswith("-"):
                return None
            value = argv[index + 1]
            index += 1
        found[name[2:]] = value
        index += 1
    return found


def lang_option(argv: list[str]) -> str | None:
    """The value of `--lang X` / `--lang=X` on the command line, if any."""
    for index, arg in enumerate(argv):
        if arg == "--":
            break
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
        if arg == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
    return None


def main() -> None:
    """Open the app directly, or hand the command line to typer.

    The language is chosen first: typer's help texts and the screens' key descriptions are
    read when their modules are imported. When it opens the app, before anything, the
    terminal stops taking ctrl+q for itself (`early_keys`): the leader may quit before the
    first frame. A command keeps the terminal as it is: one that asks must show the answer.
    """
    argv = sys.argv[1:]
    options = plain_open(argv)
    if options is None:
        _set_language(argv)
        from tuan.cli import main as cli_main

        cli_main()
        return
    from tuan.tui.early_keys import kept

    with kept():
        _set_language(argv)
        _open(options)


def _set_language(argv: list[str]) -> None:
    from tuan.i18n import detect_language, set_language

    set_language(detect_language(lang_option(argv)))


def _open(options: dict[str, str]) -> None:
    """The app on the database `options` name (`--db`, else $TUAN_DB, else the default)."""
    from tuan.db import driver_problem, folder_problem, resolve_target

    target = resolve_target(options.get("db"))
    problem = folder_problem(target) or driver_problem(target)
    if problem:  # a mistyped --db/TUAN_DB: say so rather than make folders and an empty file
        print(problem, file=sys.stderr)
        sys.exit(2)
    from tuan.tui.launch import run_app

    run_app(target)


if __name__ == "__main__":
    main()
