"""A server URL without its driver (the `postgres` extra) is explained, not a traceback."""

from __future__ import annotations

import sys

import pytest
from typer.testing import CliRunner

from tuan.cli import app
from tuan.db import driver_problem

URL = "postgresql+psycopg://leader@127.0.0.1:1/shop"
runner = CliRunner()


@pytest.fixture
def no_driver(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [m for m in sys.modules if m == "psycopg" or m.startswith("psycopg.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg now fails


def test_a_command_says_which_extra_to_install(no_driver: None) -> None:
    result = runner.invoke(app, ["--db", URL, "chain", "list"])
    assert result.exit_code == 2
    assert "uv sync --extra postgres" in result.stderr and "psycopg" in result.stderr
    assert "Traceback" not in result.output


def test_the_app_is_not_started_without_the_driver(no_driver: None) -> None:
    problem = driver_problem(URL)
    assert problem is not None and "tuan[postgres]" in problem


def test_files_never_need_a_driver(tmp_path) -> None:
    assert driver_problem(str(tmp_path / "shop.db")) is None
