"""A file dropped on the terminal names the file: quoted, with the shell's backslashes, or as a
`file://` address (what macOS Terminal, iTerm and GNOME Terminal paste)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest

from tuan.tui.shared.typed_path import typed_path


@pytest.fixture
def bill(tmp_path: Path) -> Path:
    path = tmp_path / "微信支付账单 (20261201-20261206).csv"
    path.write_text("x", encoding="utf-8")
    return path


def test_every_way_a_terminal_hands_over_a_dropped_file(bill: Path) -> None:
    escaped = str(bill).replace(" ", "\\ ").replace("(", "\\(").replace(")", "\\)")
    for text in (
        str(bill),
        f"  {bill}  ",
        f"'{bill}'",
        f'"{bill}" ',
        escaped,
        f"{escaped} ",
        f"file://{quote(str(bill))}",
    ):
        assert typed_path(text) == bill, text


def test_a_new_file_in_a_folder_that_exists(tmp_path: Path) -> None:
    (tmp_path / "a b").mkdir()
    assert typed_path(f"{tmp_path}/a\\ b/分拣单.pdf") == tmp_path / "a b" / "分拣单.pdf"


def test_a_backslash_that_is_part_of_the_name_stays(tmp_path: Path) -> None:
    odd = tmp_path / "a\\b.csv"
    odd.write_text("x", encoding="utf-8")
    assert typed_path(str(odd)) == odd


def test_home_is_expanded() -> None:
    assert typed_path("~/账单.csv") == Path.home() / "账单.csv"
