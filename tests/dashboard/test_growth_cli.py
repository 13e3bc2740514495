"""`tuan stats` with the growth figures, `tuan stats --follow-on`, `tuan spend` and the report,
on the tiny shop of conftest.py (numbers worked out there)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tests.dashboard.conftest import KIT, OIL
from tuan.cli import app
from tuan.db import Database


def _run(db: Database, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["--db", db.target, *args])
    return result.exit_code, result.stdout, result.stderr


def test_follow_on_json(growth_shop: Database) -> None:
    code, out, _err = _run(growth_shop, "stats", "--json", "--follow-on", KIT, OIL, "--days", "90")
    assert code == 0
    document = json.loads(out)
    assert {k: v for k, v in document.items() if k != "definition"} == {
        "first": KIT,
        "then": OIL,
        "days": 90,
        "from": "2026-05-26",
        "to": "2026-11-26",
        "buyers": 4,
        "followed": 2,
        "waiting": 1,
        "rate": 0.5,
    }
    assert document["definition"].startswith("连带复购")


def test_follow_on_in_words_with_a_period(growth_shop: Database) -> None:
    code, out, _err = _run(
        growth_shop, "stats", "--follow-on", "套装", "亚麻籽油", "--days", "90",
        "--from", "2026-10-01", "--to", "2026-11-26",
    )  # fmt: skip
    assert code == 0
    assert out.strip() == (
        "2026-10-01 至 2026-11-26 买过「入门套装」的团员，90 天内又买「冷榨亚麻籽油」："
        "50%（1/2）（另有 1 人还不满 90 天）"
    )


def test_follow_on_refusals_exit_2_and_say_why(growth_shop: Database) -> None:
    code, out, err = _run(growth_shop, "stats", "--follow-on", KIT, OIL, "--days", "0")
    assert (code, out) == (2, "") and "天数要在 1 到 3650 之间：0" in err
    code, _out, err = _run(growth_shop, "stats", "--json", "--follow-on", "酸奶", OIL)
    assert code == 2 and "没有叫「酸奶」的商品" in err and "大米" in err


def test_stats_json_has_the_growth_figures(growth_shop: Database) -> None:
    assert _run(growth_shop, "spend", "add", "koc", "--month", "2026-11", "--amount", "60")[0] == 0
    code, out, _err = _run(growth_shop, "stats", "--json")
    assert code == 0
    document = json.loads(out)
    assert {"months", "cohorts", "acquisition", "word_of_mouth"} <= set(document)
    assert set(document["cohorts"][0]) == {"month", "size", "retained", "retention"}
    koc = next(c for c in document["acquisition"]["channels"] if c["channel"] == "koc")
    assert koc["months"][-1] == {
        "month": "2026-11",
        "spend_cents": 6000,
        "new_members": 1,
        "cost_per_new_member_cents": 6000,
    }
    assert document["word_of_mouth"]["share"] == 0.375
    assert {"gmv", "follow_on", "cohorts", "acquisition", "word_of_mouth", "kocs"} <= set(
        document["definitions"]
    )


def test_stats_in_words_shows_cohorts_costs_and_kocs(growth_shop: Database) -> None:
    code, out, _err = _run(growth_shop, "stats")
    assert code == 0
    assert "同期群" in out and "获客成本" in out
    assert "KOC 和 UGC 带新占比（2025-12 至 2026-11）：38%（3/8，KOC 2，UGC 1）" in out
    assert any(line.split()[:3] == ["小李", "1", "¥328"] for line in out.splitlines())


def test_spend_add_and_list(growth_shop: Database) -> None:
    code, _out, err = _run(
        growth_shop, "spend", "add", "partner", "--month", "2026-10", "--amount", "300",
        "--note", "前台礼品",
    )  # fmt: skip
    assert code == 0 and "已记录 #1：合作点位海报 2026-10 ¥300" in err
    assert (
        _run(growth_shop, "spend", "add", "直播", "--month", "2026-11", "--amount", "45.5")[0] == 0
    )
    code, out, _err = _run(growth_shop, "spend", "list", "--json")
    assert code == 0
    assert json.loads(out) == [
        {"id": 2, "channel": "live", "month": "2026-11", "amount_cents": 4550, "note": ""},
        {"id": 1, "channel": "partner", "month": "2026-10", "amount_cents": 30000,
         "note": "前台礼品"},
    ]  # fmt: skip
    code, out, _err = _run(growth_shop, "spend", "list", "--month", "2026-10")
    assert code == 0 and out.split() == ["#1", "2026-10", "合作点位海报", "¥300", "前台礼品"]


def test_spend_refusals_change_nothing(growth_shop: Database) -> None:
    cases = [
        (["tv", "--month", "2026-11", "--amount", "1"], "不认识的渠道：tv"),
        (["koc", "--month", "2026-12", "--amount", "1"], "2026-12 还没到"),
        (["koc", "--month", "2026/11", "--amount", "1"], "YYYY-MM"),
        (["koc", "--month", "2026-11", "--amount", "0"], "投入金额要大于 0"),
        (["koc", "--month", "2026-11", "--amount", "abc"], "看不懂的金额"),
    ]
    for args, said in cases:
        code, _out, err = _run(growth_shop, "spend", "add", *args)
        assert code == 2 and said in err, args
    assert json.loads(_run(growth_shop, "spend", "list", "--json")[1]) == []
    code, _out, err = _run(growth_shop, "spend", "list")
    assert code == 0 and "还没有记录获客投入" in err


def test_report_has_the_growth_section(growth_shop: Database, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    code, _out, _err = _run(growth_shop, "report", "-o", str(out), "--follow-on", KIT, OIL)
    assert code == 0
    page = out.read_text(encoding="utf-8")
    assert "<h2>增长</h2>" in page
    assert "50%（2/4）" in page
    assert "<td>2026-06</td><td>2</td><td>50% 1</td>" in page
    assert "38%（3/8，KOC 2，UGC 1）" in page
    assert "连带复购：在所选期间" in page  # its definition
    code, _out, err = _run(growth_shop, "report", "-o", str(out), "--follow-on", "酸奶", OIL)
    assert code == 2 and "没有叫「酸奶」的商品" in err
