"""`tuan live export` and `tuan live summary`: text for the host, stored numbers, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tuan.cli import app

runner = CliRunner()


def test_export_prints_the_run_of_show(demo_path: Path) -> None:
    result = runner.invoke(app, ["--db", str(demo_path), "live", "export", "3"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "《厨房里的健康密码》第3期 食用油的选择"
    assert "开播：11月27日 周五 19:30（计划 55 分钟，到 20:25）" in lines
    assert "5. 20:09-20:17  秒杀：健康厨房入门套装（8分钟）" in lines
    assert lines[-1].startswith("- 健康厨房入门套装 直播价¥199（接龙价¥259） 20:09-20:17")
    assert lines[-1].endswith("限量50件 前20名赠电子书《家庭用油指南》")


def test_summary_json_is_the_stored_summary(demo_path: Path) -> None:
    result = runner.invoke(app, ["--db", str(demo_path), "live", "summary", "1", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["status"] == "ended"
    assert data["peak_viewers"] == 126
    assert data["conversion"] == round(data["buyers"] / 126, 4)
    listed = json.loads(
        runner.invoke(app, ["--db", str(demo_path), "live", "list", "--json"]).stdout
    )
    stored = next(x for x in listed if x["id"] == 1)["summary"]
    assert {k: data[k] for k in stored} == stored


def test_summary_text_and_exit_codes(demo_path: Path) -> None:
    text = runner.invoke(app, ["--db", str(demo_path), "live", "summary", "2"])
    assert text.exit_code == 0
    assert "最高在线：158 人" in text.stdout and "转化率：" in text.stdout
    planned = runner.invoke(app, ["--db", str(demo_path), "live", "summary", "3"])
    assert planned.exit_code == 2 and "还没开播" in planned.output
    for command in (["live", "summary", "99"], ["live", "export", "99"]):
        unknown = runner.invoke(app, ["--db", str(demo_path), *command])
        assert unknown.exit_code == 2
        assert "找不到直播 99" in unknown.output
