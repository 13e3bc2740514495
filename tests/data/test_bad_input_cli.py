"""Every command and argument, fed bad values: a clear Chinese refusal, exit 2, nothing written.

One demo copy serves the whole module: every case below must leave it exactly as it was (a
digest of every row of every table, on SQLite or PostgreSQL alike), print nothing on stdout and
say on stderr, in Chinese, what was wrong and what to do.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import SERVER_URL
from tests.data.bad_input import (
    EMOJI,
    EMPTY,
    HUGE,
    NEGATIVE,
    NON_NUMERIC,
    PAST_DATE,
    SQL,
    TOO_LONG,
    UNKNOWN_ID,
    assert_clear_chinese,
    count_rows,
    demo_copy,
    fingerprint,
)
from tuan.cli import app

runner = CliRunner()

GOOD_CHAIN = "#接龙\n第1期 冷榨油团\nA. 冷榨橄榄油 500ml 89元\n\n1. 王阿姨 3-1202 A×1\n"


@dataclass(frozen=True)
class Case:
    """One command line (`{name}` fills in a prepared path) and what its refusal must say."""

    id: str
    args: tuple[str, ...]
    says: tuple[str, ...]
    code: int = 2
    stdin: str | None = None


def case(id_: str, args: str | list[str], *says: str, code: int = 2, stdin: str | None = None):
    words = tuple(args.split()) if isinstance(args, str) else tuple(args)
    return pytest.param(Case(id_, words, says, code, stdin), id=id_)


#: Commands taking an id: (command before the id, what follows it, what an unknown id names).
ID_COMMANDS = [
    ("chain export", "", "找不到接龙"),
    ("live export", "", "找不到直播"),
    ("live summary", "", "找不到直播"),
    ("pickup export", "-o -", "找不到接龙"),
    ("member show", "", "找不到团员"),
    ("member tree", "", "找不到团员"),
    ("member tag", "VIP", "找不到团员"),
    ("member points", "", "找不到团员"),
    ("remind done", "", "找不到提醒"),
    ("remind snooze", "--days 1", "找不到提醒"),
    ("partner assign", "YD01", "找不到团员"),
    ("poster", "", "找不到合作点位"),
]
#: Bad ids and the words each refusal must contain.
BAD_IDS = [
    ("non-numeric", NON_NUMERIC, ("要填整数", NON_NUMERIC)),
    ("decimal", "1.5", ("要填整数", "1.5")),
    ("empty", EMPTY, ("要填整数",)),
    ("emoji", EMOJI, ("要填整数", EMOJI)),
    ("sql", SQL, ("要填整数",)),
    ("negative", NEGATIVE, ("不能是负数", NEGATIVE)),
    ("zero", "0", ("0",)),
    ("unknown", UNKNOWN_ID, (UNKNOWN_ID,)),
    ("huge", HUGE, ("数字太大", HUGE)),
]


def _id_cases() -> Iterator[object]:
    for command, rest, unknown in ID_COMMANDS:
        for name, value, says in BAD_IDS:
            extra = (unknown,) if name in ("zero", "unknown") else ()
            args = [*command.split(), value, *rest.split()]
            yield case(f"{command.replace(' ', '-')}-id-{name}", args, *says, *extra)


# fmt: off
OPTION_CASES = [
    # member list / koc
    case("member-list-limit-zero", "member list --limit 0", "--limit", "大于 0"),
    case("member-list-limit-negative", "member list --limit -5", "--limit", "大于 0"),
    case("member-list-limit-non-numeric", "member list --limit abc", "--limit", "要填整数"),
    case("member-list-dormant-negative", "member list --dormant -5", "--dormant", "1 到 3650"),
    case("member-list-dormant-huge", ["member", "list", "--dormant", HUGE], "--dormant"),
    case("member-list-source-emoji", ["member", "list", "--source", EMOJI], "来源只能是"),
    case("member-list-source-sql", ["member", "list", "--source", SQL], "来源只能是"),
    case("member-list-tag-sql", ["member", "list", "--tag", SQL], "没有这个标签", SQL),
    case("member-list-tag-too-long", ["member", "list", "--tag", TOO_LONG], "没有这个标签"),
    case("member-list-unknown-option", "member list --jsn", "没有这个选项", "--json"),
    case("member-koc-month-words", "member koc --month abc", "月份格式", "2026-11"),
    case("member-koc-month-13", "member koc --month 2026-13", "月份格式"),
    case("member-koc-month-future", "member koc --month 2099-01", "还没到"),
    case("member-koc-month-year-zero", "member koc --month 0000-01", "太早"),
    # member tag
    case("member-tag-empty", ["member", "tag", "1", EMPTY], "标签名不能为空"),
    case("member-tag-too-long", ["member", "tag", "1", TOO_LONG], "太长"),
    case("member-tag-remove-unknown", ["member", "tag", "1", SQL, "--remove"], "没有这个标签"),
    case("member-tag-missing-name", "member tag 1", "缺少标签名"),
    # member points
    case("points-award-negative", "member points 1 --award -5 --reason 签到", "1 到 100000"),
    case("points-award-huge", ["member", "points", "1", "--award", HUGE, "--reason", "签到"],
         "1 到 100000"),
    case("points-award-non-numeric", "member points 1 --award abc", "--award", "要填整数"),
    case("points-award-no-value", "member points 1 --award", "--award", "后面要写一个值"),
    case("points-award-no-reason", "member points 1 --award 5", "原因"),
    case("points-award-reason-too-long", ["member", "points", "1", "--award", "5", "--reason",
         TOO_LONG], "太长"),
    case("points-redeem-negative", "member points 1 --redeem -5 --reason 燕麦", "大于 0"),
    case("points-redeem-too-many", "member points 1 --redeem 99999999 --reason 燕麦", "积分不足"),
    case("points-redeem-no-goods", "member points 1 --redeem 5", "兑换的商品"),
    case("points-correct-huge", ["member", "points", "1", "--correct", HUGE, "--reason", "x"],
         "-100000 到 100000"),
    case("points-correct-no-reason", "member points 1 --correct 5", "原因"),
    case("points-two-at-once", "member points 1 --award 5 --redeem 5 --reason x", "一次只能记一笔"),
    case("points-config-rate-negative", "member points-config --rate -1", "0 到 100"),
    case("points-config-rate-huge", ["member", "points-config", "--rate", HUGE], "0 到 100"),
    case("points-config-rate-words", "member points-config --rate abc", "要填整数"),
    case("points-config-levels-words", "member points-config --levels x", "看不懂的等级"),
    case("points-config-levels-negative", "member points-config --levels 普通:0,银卡:-5",
         "看不懂的等级"),
    case("points-config-levels-sql", ["member", "points-config", "--levels", SQL], "看不懂的等级"),
    case("points-config-levels-emoji", ["member", "points-config", "--levels", EMOJI],
         "看不懂的等级"),
    # remind
    case("remind-list-due-unknown", "remind list --due xx", "--due", "overdue"),
    case("remind-list-due-empty", ["remind", "list", "--due", EMPTY], "--due", "overdue"),
    case("remind-add-empty", ["remind", "add", EMPTY], "请写上标题或消息"),
    case("remind-add-too-long", ["remind", "add", TOO_LONG], "标题太长"),
    case("remind-add-message-too-long", ["remind", "add", "回电", "--message", TOO_LONG],
         "消息太长"),
    case("remind-add-due-past", ["remind", "add", "回电", "--due", PAST_DATE], "已经过了"),
    case("remind-add-due-last-week", ["remind", "add", "回电", "--due", "11-20"], "已经过了"),
    case("remind-add-due-words", "remind add 回电 --due abc", "看不懂的日期"),
    case("remind-add-due-emoji", ["remind", "add", "回电", "--due", EMOJI], "看不懂的日期"),
    case("remind-add-due-sql", ["remind", "add", "回电", "--due", SQL], "看不懂的日期"),
    case("remind-add-due-empty", ["remind", "add", "回电", "--due", EMPTY], "请填写到期日"),
    case("remind-add-due-no-such-day", "remind add 回电 --due 2-30", "没有这一天"),
    case("remind-add-due-far", ["remind", "add", "回电", "--due", "九千九百九十九天后"], "太远"),
    case("remind-add-member-unknown", "remind add 回电 --member 不存在的人", "找不到唯一的团员"),
    case("remind-add-member-sql", ["remind", "add", "回电", "--member", SQL], "找不到唯一的团员"),
    case("remind-add-member-emoji", ["remind", "add", "回电", "--member", EMOJI],
         "找不到唯一的团员"),
    case("remind-snooze-zero", "remind snooze 125 --days 0", "1 到 365"),
    case("remind-snooze-negative", "remind snooze 125 --days -3", "1 到 365"),
    case("remind-snooze-huge", ["remind", "snooze", "125", "--days", HUGE], "1 到 365"),
    case("remind-snooze-words", "remind snooze 125 --days abc", "--days", "要填整数"),
    case("remind-snooze-done", "remind snooze 1 --days 1", "已完成"),
    # partner / poster
    case("partner-assign-code-empty", ["partner", "assign", "1", EMPTY], "来源码"),
    case("partner-assign-code-sql", ["partner", "assign", "1", SQL], "来源码"),
    case("partner-assign-code-emoji", ["partner", "assign", "1", EMOJI], "来源码"),
    case("partner-assign-code-too-long", ["partner", "assign", "1", TOO_LONG], "来源码"),
    case("poster-output-doc", "poster 1 -o {tmp}/海报.doc", ".pdf", ".png"),
    case("poster-print-png", "poster 1 -o {tmp}/海报.png --print", "--print", "PDF"),
    case("poster-font-missing", "poster 1 --font {missing}/字体.ttf", "字体文件不存在"),
    # pickup
    case("pickup-export-format", "pickup export 72 --format doc", "不支持的格式", "pdf"),
    case("pickup-export-preset", "pickup export 72 --preset xx", "不认识的预设", "ktt"),
    case("pickup-export-folder", "pickup export 72 -o {missing}/清单.pdf", "文件夹不存在"),
    case("pickup-export-pdf-to-screen", "pickup export 72 -o -", "csv", "txt"),
    # chain
    case("chain-import-missing-file", "chain import {missing}/接龙.txt", "读不了文件"),
    case("chain-import-empty-file", "chain import {empty}", "文件是空的"),
    case("chain-import-binary-file", "chain import {binary}", "读不了文件"),
    case("chain-import-empty-stdin", "chain import -", "文件是空的", stdin=""),
    case("chain-import-sql", "chain import - --json", "没有读到商品", stdin=SQL),
    case("chain-import-emoji", "chain import -", "没有读到商品", stdin=EMOJI * 50),
    case("chain-import-unknown-chain", "chain import - --chain 99999 --json", "找不到接龙 99999",
         stdin=GOOD_CHAIN),
    case("chain-import-chain-words", "chain import - --chain abc", "--chain", "要填整数",
         stdin=GOOD_CHAIN),
    case("chain-export-folder", "chain export 72 -o {missing}/接龙.txt", "写不了文件"),
    case("chain-list-extra", "chain list 72", "多出来的参数"),
    case("chain-list-json-value", "chain list --json=1", "--json", "开关"),
    case("chain-unknown-command", "chain delete 72", "没有这个命令", "delete"),
    # live, stats, report, backups, demo
    case("live-summary-not-started", "live summary 3", "还没开播"),
    case("stats-month-words", "stats --month abc", "月份格式"),
    case("stats-month-empty", ["stats", "--month", EMPTY], "月份格式"),
    case("stats-month-sql", ["stats", "--month", SQL], "月份格式"),
    case("stats-month-13", "stats --month 2026-13", "月份格式"),
    case("stats-month-future", "stats --month 2099-01", "还没到"),
    case("stats-month-year-zero", "stats --month 0000-01", "太早"),
    case("report-not-html", "report -o {tmp}/报告.txt", ".html"),
    case("report-folder", "report -o {missing}/报告.html", "写不进"),
    case("report-no-output", "report", "缺少", "-o"),
    case("restore-missing", "restore {missing}/备份.db -y", "找不到备份文件"),
    case("restore-not-a-database", "restore {empty_db} -y", "不是有效的数据库文件"),
    case("restore-no-answer", "restore {backup_db}", "已取消", code=1, stdin=""),
    case("demo-scale", "demo --no-tui --scale huge", "不认识的规模"),
    case("unknown-command", "nope", "没有这个命令"),
    case("db-option-no-value", "--db", "--db", "后面要写一个值"),
    case("pickup-export-format-empty", ["pickup", "export", "72", "--format", EMPTY],
         "不支持的格式"),
    case("poster-font-no-value", "poster 1 --font", "--font", "后面要写一个值"),
    *(case(f"{c.replace(' ', '-')}-extra-argument", f"{c} {EMOJI}", "多出来的参数", EMOJI)
      for c in ("chain list", "live list", "pickup list", "partner list", "remind run",
                "pickup remind", "db upgrade", "backup")),
]
# fmt: on


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> dict[str, str]:
    """Prepared paths the command lines refer to."""
    folder = tmp_path_factory.mktemp("bad-cli")
    if not SERVER_URL:  # a sound backup, so restore gets as far as its question
        shutil.copy(demo_template, folder / "backup.db")
    (folder / "empty.txt").write_text("  \n", encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\xff\xfe\x00\x81 not text")
    (folder / "notes.db").write_text("这不是数据库", encoding="utf-8")
    return {
        "tmp": str(folder),
        "missing": str(folder / "no-such-folder"),
        "empty": str(folder / "empty.txt"),
        "binary": str(folder / "binary.txt"),
        "empty_db": str(folder / "notes.db"),
        "backup_db": str(folder / "backup.db"),
    }


@pytest.fixture(scope="module")
def shared_demo(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One demo copy for every read-only or refused case of this module."""
    with demo_copy(demo_template, tmp_path_factory.mktemp("bad-cli-db")) as target:
        yield target


@pytest.fixture(scope="module")
def demo_digest(shared_demo: str) -> str:
    return fingerprint(shared_demo)


def _run(target: str, args: tuple[str, ...], stdin: str | None = None):
    return runner.invoke(app, ["--db", target, *args], input=stdin)


@pytest.mark.parametrize("bad", [*_id_cases(), *OPTION_CASES])
def test_bad_input_is_refused_in_chinese_and_nothing_changes(
    bad: Case, shared_demo: str, demo_digest: str, files: dict[str, str]
) -> None:
    if bad.id.startswith(("restore", "demo")) and SERVER_URL:
        pytest.skip("restore and demo work on SQLite files")
    args = tuple(arg.format(**files) if "{" in arg else arg for arg in bad.args)
    result = _run(shared_demo, args, bad.stdin)
    assert result.exit_code == bad.code, (result.stdout, result.stderr, result.exception)
    assert not result.stdout.strip(), "nothing on stdout when refused (a pipe gets no half)"
    assert_clear_chinese(result.stderr, *bad.says)
    assert fingerprint(shared_demo) == demo_digest, "the database changed"


def test_sql_looking_text_is_only_ever_text(demo_path: Path) -> None:
    """Where any text is allowed, SQL-looking text is stored verbatim and runs nothing."""
    target = str(demo_path)
    members = count_rows(target, "member")
    added = _run(target, ("remind", "add", SQL, "--message", SQL))
    assert added.exit_code == 0, added.stderr
    tagged = _run(target, ("member", "tag", "1", "'; DROP--"))
    assert tagged.exit_code == 0, tagged.stderr
    assert count_rows(target, "member") == members
    listed = json.loads(_run(target, ("remind", "list", "--json")).stdout)
    assert any(r["title"] == SQL and r["message"] == SQL for r in listed)
    shown = json.loads(_run(target, ("member", "show", "1", "--json")).stdout)
    assert "'; DROP--" in shown["tags"]
    searched = _run(target, ("member", "list", "--search", SQL, "--json"))
    assert searched.exit_code == 0 and json.loads(searched.stdout) == []


def test_a_refused_import_writes_nothing_even_halfway(demo_path: Path) -> None:
    """An import whose every line is refused by stock leaves no new member or order behind."""
    target = str(demo_path)
    before = fingerprint(target)
    greedy = GOOD_CHAIN.replace("A×1", "A×99999") + "2. 新邻居 9-909 A×99999\n"
    result = _run(target, ("chain", "import", "-", "--chain", "72"), greedy)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("看不懂的数量：×99999") == 2
    assert "新增 0，更新 0" in result.stderr
    assert fingerprint(target) == before


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    "where",
    ["file", "folder"],
    ids=["db-is-a-text-file", "db-is-a-folder"],
)
def test_a_db_option_that_is_not_a_database_says_so(where: str, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("买菜清单", encoding="utf-8")
    target = str(path if where == "file" else tmp_path)
    result = runner.invoke(app, ["--db", target, "chain", "list", "--json"])
    assert result.exit_code == 2 and result.stdout == ""
    assert_clear_chinese(result.stderr, "打不开数据库", target)
    assert path.read_text(encoding="utf-8") == "买菜清单"
