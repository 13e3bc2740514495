"""A pickup export that cannot be written says why in the leader's words, never the OS's English."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.pickup.test_checklist import chain_id, pickup_path  # noqa: F401 (fixtures)
from tuan.cli import app
from tuan.db import Database
from tuan.domain.pickup.export_data import ExportError, ExportOptions, load_export
from tuan.domain.pickup.exports import export

runner = CliRunner()


@pytest.mark.parametrize("fmt", ["txt", "csv", "xlsx"])
def test_writing_onto_a_folder_is_refused_in_chinese(
    db: Database,
    chain_id: int,  # noqa: F811
    tmp_path: Path,
    fmt: str,
) -> None:
    with db.session() as s:
        data = load_export(s, chain_id)
    with pytest.raises(ExportError) as raised:
        export(data, tmp_path, ExportOptions(fmt))
    message = str(raised.value)
    assert "这是一个文件夹" in message and str(tmp_path) in message
    assert "Errno" not in message and "directory" not in message


def test_a_missing_folder_is_named(db: Database, chain_id: int, tmp_path: Path) -> None:  # noqa: F811
    with db.session() as s:
        data = load_export(s, chain_id)
    with pytest.raises(ExportError, match="不存在"):
        export(data, tmp_path / "nope" / "list.txt", ExportOptions("txt"))


@pytest.mark.sqlite_only
def test_the_cli_says_it_on_stderr_and_exits_2(demo_path: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["--db", str(demo_path), "pickup", "export", "72", "--format", "csv", "-o", str(tmp_path)],
    )
    assert result.exit_code == 2, result.output
    assert "这是一个文件夹" in result.stderr
    assert "Traceback" not in result.output
