"""Privacy: tuan never opens a network connection; files stay the owner's."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.helpers import notes, settle
from tuan.cli import app
from tuan.tui.app import TuanApp
from tuan.tui.areas import AREAS


class NetworkUsed(AssertionError):
    """Raised when code under test tries to reach the network."""


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise NetworkUsed("tuan tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.mark.usefixtures("no_network")
def test_command_line_paths_work_offline(tmp_path: Path) -> None:
    runner = CliRunner()
    db = str(tmp_path / "offline.db")
    for args in (
        ["demo", "--no-tui"],
        ["chain", "list", "--json"],
        ["live", "list"],
        ["remind", "list"],
        ["partner", "list"],
        ["stats", "--json"],
        ["report", "-o", str(tmp_path / "r.html")],
        ["backup", "-o", str(tmp_path / "b.db")],
    ):
        result = runner.invoke(app, ["--db", db, *args])
        assert result.exit_code == 0, (args, result.output, result.exception)


@pytest.mark.usefixtures("no_network")
async def test_every_area_opens_offline(demo_path: Path) -> None:
    tui = TuanApp(str(demo_path))
    async with tui.run_test(size=(120, 36), message_hook=notes(tui)) as pilot:
        for area in AREAS:
            await pilot.press(area.key)
            await settle(tui, pilot, rounds=1)
            assert tui.current_mode == area.mode
        assert notes(tui).errors() == []


@pytest.mark.sqlite_only
def test_backups_are_owner_only(tmp_path: Path, demo_path: Path) -> None:
    out = tmp_path / "b.db"
    result = CliRunner().invoke(app, ["--db", str(demo_path), "backup", "-o", str(out)])
    assert result.exit_code == 0
    assert out.stat().st_mode & 0o077 == 0
