"""The console script opens the app without the command-line parser, and routes the rest."""

from __future__ import annotations

import pytest

from tuan.launcher import plain_open


@pytest.mark.parametrize(
    ("argv", "options"),
    [
        ([], {}),
        (["--db", "x.db"], {"db": "x.db"}),
        (["--db=x.db", "--lang", "en"], {"db": "x.db", "lang": "en"}),
    ],
)
def test_plain_open_reads_only_app_options(argv: list[str], options: dict[str, str]) -> None:
    assert plain_open(argv) == options


@pytest.mark.parametrize(
    "argv", [["chain", "list"], ["--db", "x.db", "stats"], ["--help"], ["--db"], ["--db", "--lang"]]
)
def test_everything_else_goes_to_the_command_line(argv: list[str]) -> None:
    assert plain_open(argv) is None
