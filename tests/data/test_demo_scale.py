"""`tuan demo --scale xl`: ten times the large demo, accepted without building it here.

Building the xl demo takes minutes and over a gigabyte; the benchmarks build it
(benchmarks/bench_terminal.py --scale xl), the test suite only checks the command and the sizes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tuan.cli import app
from tuan.domain.demo.builder import SCALES

runner = CliRunner()


def test_xl_is_ten_times_the_large_demo() -> None:
    large, xl = SCALES["large"], SCALES["xl"]
    assert (xl.members, xl.chains) == (50_000, 5_000)
    assert (xl.members, xl.chains) == (10 * large.members, 10 * large.chains)
    assert xl.orders_per_chain == large.orders_per_chain  # so ~10x the orders: ~520,000


def test_demo_accepts_the_xl_scale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    def seed(database: Any, scale: str = "small") -> dict[str, int]:
        asked.append(scale)
        return {"member": 0, "chain": 0, "orders": 0}

    monkeypatch.setattr("tuan.domain.demo.seed.seed_demo", seed)
    result = runner.invoke(
        app, ["--db", str(tmp_path / "xl.db"), "demo", "--no-tui", "--scale", "xl"]
    )
    assert result.exit_code == 0, result.output
    assert asked == ["xl"]
