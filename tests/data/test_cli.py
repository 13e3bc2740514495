"""The command line: help, JSON output, exit codes, and no Textual in scripted commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tuan.cli import app

runner = CliRunner()


def test_help_lists_the_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("demo", "chain", "live", "remind", "partner", "backup", "restore", "db"):
        assert command in result.output


def test_scripted_commands_never_import_textual() -> None:
    code = (
        "import sys, tuan.cli\n"
        "assert 'textual' not in sys.modules, 'tuan.cli imported textual'\n"
        "assert 'sqlmodel' not in sys.modules, 'tuan.cli imported the ORM up front'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_help_runs_without_textual(tmp_path: Path) -> None:
    code = (
        "import sys\nfrom tuan.cli import app\n"
        "try:\n    app(['--help'])\nexcept SystemExit:\n    pass\n"
        "assert 'textual' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


def test_demo_no_tui_seeds_the_given_file(tmp_path: Path) -> None:
    path = tmp_path / "my-demo.db"
    result = runner.invoke(app, ["--db", str(path), "demo", "--no-tui"])
    assert result.exit_code == 0, result.output
    assert "演示数据已就绪" in result.output
    listed = runner.invoke(app, ["--db", str(path), "chain", "list", "--json"])
    chains = json.loads(listed.stdout)
    assert len(chains) == 72
    assert chains[0]["status"] == "open"


def test_demo_rejects_an_unknown_scale(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["--db", str(tmp_path / "x.db"), "demo", "--no-tui", "--scale", "huge"]
    )
    assert result.exit_code == 2
    assert "不认识的规模" in result.output


def test_tuan_db_environment_variable_picks_the_file(demo_path: Path) -> None:
    result = runner.invoke(app, ["partner", "list", "--json"], env={"TUAN_DB": str(demo_path)})
    assert result.exit_code == 0, result.output
    assert [p["code"] for p in json.loads(result.stdout)] == [
        "YD01",
        "LX02",
        "TG03",
        "QY04",
        "CG05",
    ]


def test_lists_as_json(demo_path: Path) -> None:
    lives = json.loads(
        runner.invoke(app, ["--db", str(demo_path), "live", "list", "--json"]).stdout
    )
    assert lives[0]["theme"] == "食用油的选择"
    due = runner.invoke(
        app, ["--db", str(demo_path), "remind", "list", "--due", "overdue", "--json"]
    )
    reminders = json.loads(due.stdout)
    assert reminders and all(r["due"] == "overdue" for r in reminders)


@pytest.mark.sqlite_only
def test_backup_and_restore(demo_path: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    made = runner.invoke(app, ["--db", str(demo_path), "backup", "-o", str(copy)])
    assert made.exit_code == 0, made.output
    assert copy.stat().st_mode & 0o077 == 0
    fresh = tmp_path / "fresh.db"
    restored = runner.invoke(app, ["--db", str(fresh), "restore", str(copy), "--yes"])
    assert restored.exit_code == 0, restored.output
    listed = runner.invoke(app, ["--db", str(fresh), "partner", "list", "--json"])
    assert len(json.loads(listed.stdout)) == 5


def test_restore_refuses_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.txt"
    bogus.write_text("hello", encoding="utf-8")
    result = runner.invoke(app, ["--db", str(tmp_path / "x.db"), "restore", str(bogus), "--yes"])
    assert result.exit_code == 2
    assert "不能用" in result.stderr and "恢复" in result.stderr


def test_a_chosen_file_in_a_missing_folder_is_refused(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "dir" / "x.db"
    result = runner.invoke(app, ["--db", str(missing), "chain", "list"])
    assert result.exit_code == 2
    assert "不存在" in result.stderr and str(missing.parent) in result.stderr
    assert "--db" in result.stderr
    assert not (tmp_path / "no").exists(), "no folder is created"


def test_tuan_db_in_a_missing_folder_is_refused(tmp_path: Path) -> None:
    missing = tmp_path / "typo" / "shop.db"
    result = runner.invoke(app, ["member", "list"], env={"TUAN_DB": str(missing)})
    assert result.exit_code == 2
    assert "不存在" in result.stderr
    assert not (tmp_path / "typo").exists()


def test_opening_the_app_on_a_missing_folder_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tuan import launcher

    missing = tmp_path / "no" / "x.db"
    monkeypatch.setattr(sys, "argv", ["tuan", "--db", str(missing)])
    with pytest.raises(SystemExit) as stopped:
        launcher.main()
    assert stopped.value.code == 2
    assert "不存在" in capsys.readouterr().err
    assert not (tmp_path / "no").exists()


def test_the_default_data_folder_is_still_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    own = tmp_path / "data" / "tuan"
    monkeypatch.setattr("tuan.db.default_db_path", lambda: own / "tuan.db")
    result = runner.invoke(app, ["chain", "list", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []
    assert (own / "tuan.db").is_file()


def test_backup_of_a_database_that_does_not_exist_makes_nothing(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--db", str(tmp_path / "none.db"), "backup"])
    assert result.exit_code == 2
    assert "还没有数据库" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_console_script_is_installed() -> None:
    result = subprocess.run(
        ["tuan", "--help"], capture_output=True, text=True, env={**os.environ}, check=False
    )
    assert result.returncode == 0
    assert "chain" in result.stdout
