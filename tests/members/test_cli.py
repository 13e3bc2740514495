"""`tuan remind …` and `tuan member …` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tests.members.test_rules import build_town
from tuan.cli import app
from tuan.db import Database

runner = CliRunner()


def _run(path: Path | str, *args: str):
    return runner.invoke(app, ["--db", str(path), *args])


def test_remind_run_prints_what_it_made_and_only_once(db: Database) -> None:
    build_town(db)
    first = _run(db.target, "remind", "run", "--json")
    assert first.exit_code == 0, first.output
    made = json.loads(first.stdout)
    assert len(made["created"]) == 9 and made["points_orders"] == 5
    again = _run(db.target, "remind", "run")
    assert again.exit_code == 0
    assert "没有新的提醒" in again.output
    listed = json.loads(_run(db.target, "remind", "list", "--due", "today", "--json").stdout)
    assert {r["member"] for r in listed} == {"王阿姨", "小李", "新邻居"}


def test_remind_add_done_and_snooze(db: Database) -> None:
    build_town(db)
    added = _run(db.target, "remind", "add", "回电：问发票", "--due", "明天", "--member", "way")
    assert added.exit_code == 0, added.output
    reminder = json.loads(_run(db.target, "remind", "list", "--json").stdout)[0]
    assert reminder["member"] == "王阿姨" and reminder["due_on"] == "2026-11-27"
    snoozed = _run(db.target, "remind", "snooze", str(reminder["id"]), "--days", "7")
    assert "2026-12-03" in snoozed.output
    assert _run(db.target, "remind", "done", str(reminder["id"])).exit_code == 0
    assert json.loads(_run(db.target, "remind", "list", "--json").stdout) == []


def test_remind_bad_input_exits_2(db: Database) -> None:
    assert _run(db.target, "remind", "add", "x", "--due", "下下周").exit_code == 2
    assert _run(db.target, "remind", "done", "999").exit_code == 2
    assert _run(db.target, "remind", "snooze", "1", "--days", "0").exit_code == 2


def test_member_list_masks_phones_and_show_does_not(demo_path: Path) -> None:
    rows = json.loads(_run(demo_path, "member", "list", "-s", "小李", "--json").stdout)
    assert rows[0]["nickname"] == "小李" and "****" in rows[0]["phone"]
    shown = json.loads(_run(demo_path, "member", "show", str(rows[0]["id"]), "--json").stdout)
    assert "****" not in shown["phone"] and len(shown["phone"]) == 11
    assert _run(demo_path, "member", "show", "99999").exit_code == 2


def test_member_filters_tags_and_points(demo_path: Path) -> None:
    kocs = json.loads(_run(demo_path, "member", "list", "--koc", "--json").stdout)
    assert {r["nickname"] for r in kocs} == {"小李", "张姐", "王阿姨", "健身达人阿杰"}
    tagged = _run(demo_path, "member", "tag", "1", "烘焙达人")
    assert tagged.exit_code == 0, tagged.output
    listed = json.loads(_run(demo_path, "member", "list", "--tag", "烘焙达人", "--json").stdout)
    assert [r["id"] for r in listed] == [1]
    award = _run(demo_path, "member", "points", "1", "--award", "200", "--reason", "月度最佳厨艺奖")
    assert award.exit_code == 0 and "月度最佳厨艺奖" in award.output
    short = _run(demo_path, "member", "points", "1", "--redeem", "999999", "--reason", "大米")
    assert short.exit_code == 2 and "积分不足" in short.output


def test_member_koc_and_tree(demo_path: Path) -> None:
    report = json.loads(_run(demo_path, "member", "koc", "--month", "2026-10", "--json").stdout)
    assert report[0]["nickname"] == "小李" and report[0]["brought"] == 12
    assert _run(demo_path, "member", "koc", "--month", "10月").exit_code == 2
    tree = _run(demo_path, "member", "tree", "1")
    assert tree.exit_code == 0 and tree.stdout.splitlines()[0] == "小李（1）"


def test_points_config(db: Database) -> None:
    changed = _run(
        db.target, "member", "points-config", "--rate", "2", "--levels", "普通:0,银卡:800"
    )
    assert changed.exit_code == 0, changed.output
    assert "每元积分：2" in changed.output and "银卡:800" in changed.output
    assert _run(db.target, "member", "points-config", "--levels", "银卡").exit_code == 2
