"""`tuan chain export` and `tuan chain import`: the text, the JSON shape, the exit codes."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.chains.fixtures import make_shop, order_count
from tuan.cli import app
from tuan.db import open_database

runner = CliRunner()

PASTED = """#接龙 绿源生活｜第1期 冷榨油团
例：1. 王阿姨 3-1202 A×1

1. 王阿姨 3-1202 套装×1
2、小李 5-601 亚麻籽油2 不要发票
3. 新邻居 8-808 橄榄两瓶
截止后不再加单
"""
ENTRY_KEYS = {
    "seq", "name", "room", "items", "note", "raw", "status", "action", "reasons", "teams",
}  # fmt: skip


@pytest.fixture
def shop_db(tmp_path: Path):
    path = tmp_path / "shop.db"
    database = open_database(path)
    shop = make_shop(database)
    database.close()
    return path, shop


def _run(path: Path, *args: str, stdin: str | None = None):
    return runner.invoke(app, ["--db", str(path), "chain", *args], input=stdin)


def _orders(path: Path, chain_id: int, status: str | None = None) -> int:
    database = open_database(path)
    try:
        return order_count(database, chain_id, status)
    finally:
        database.close()


def test_import_json_has_exactly_the_documented_shape(shop_db, tmp_path: Path) -> None:
    path, shop = shop_db
    pasted = tmp_path / "chain.txt"
    pasted.write_text(PASTED, encoding="utf-8")
    result = _run(path, "import", str(pasted), "--chain", str(shop.chain), "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert set(doc) == {"chain", "entries", "unparsed", "summary"}
    assert doc["chain"] == {"id": shop.chain, "title": "绿源生活｜第1期 冷榨油团", "group": ""}
    assert all(set(entry) == ENTRY_KEYS for entry in doc["entries"])
    assert doc["entries"][1] == {
        "seq": 2,
        "name": "小李",
        "room": "5-601",
        "items": [{"item": "冷榨亚麻籽油", "qty": 2, "unit": None}],
        "note": "不要发票",
        "raw": "2、小李 5-601 亚麻籽油2 不要发票",
        "status": "ok",
        "action": "add",
        "reasons": [],
        "teams": [],
    }
    assert doc["entries"][2]["items"] == [{"item": "冷榨橄榄油", "qty": 2, "unit": "瓶"}]
    assert doc["unparsed"] == [
        {"line": 7, "text": "截止后不再加单", "reason": doc["unparsed"][0]["reason"]}
    ]
    assert doc["unparsed"][0]["reason"]
    assert doc["summary"] == {"added": 3, "updated": 0, "unchanged": 0, "removed": 0}
    assert _orders(path, shop.chain) == 3


def test_reimport_from_stdin_never_duplicates(shop_db) -> None:
    path, shop = shop_db
    assert _run(path, "import", "-", "--chain", str(shop.chain), stdin=PASTED).exit_code == 0
    again = _run(path, "import", "-", "--chain", str(shop.chain), "--json", stdin=PASTED)
    doc = json.loads(again.stdout)
    assert [e["action"] for e in doc["entries"]] == ["unchanged"] * 3
    assert doc["summary"] == {"added": 0, "updated": 0, "unchanged": 3, "removed": 0}
    assert _orders(path, shop.chain) == 3


def test_a_paste_without_entries_says_how_entries_are_written(shop_db) -> None:
    path, shop = shop_db
    assert _run(path, "import", "-", "--chain", str(shop.chain), stdin=PASTED).exit_code == 0
    opening = PASTED.split("\n\n")[0]  # the post as it went out, before anyone joined
    result = _run(path, "import", "-", "--chain", str(shop.chain), stdin=opening)
    assert result.exit_code == 0
    assert "没有读到接龙条目" in result.stderr and "1. 王阿姨 3-1202 套装1" in result.stderr
    assert _orders(path, shop.chain, "active") == 3, "the orders already there stay"
    again = _run(path, "import", "-", "--chain", str(shop.chain), "--dry-run", stdin=PASTED)
    assert "没有读到接龙条目" not in again.stderr


def test_dry_run_changes_nothing(shop_db) -> None:
    path, shop = shop_db
    result = _run(
        path, "import", "-", "--chain", str(shop.chain), "--dry-run", "--json", stdin=PASTED
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout)["summary"]["added"] == 3
    assert "没有写入" in result.stderr
    assert _orders(path, shop.chain) == 0


def test_removals_need_yes(shop_db) -> None:
    path, shop = shop_db
    _run(path, "import", "-", "--chain", str(shop.chain), stdin=PASTED)
    shorter = PASTED.replace("2、小李 5-601 亚麻籽油2 不要发票\n", "")
    kept = _run(path, "import", "-", "--chain", str(shop.chain), "--json", stdin=shorter)
    doc = json.loads(kept.stdout)
    assert [e["action"] for e in doc["entries"]][-1] == "remove"
    assert doc["summary"]["removed"] == 0
    assert _orders(path, shop.chain, "active") == 3
    confirmed = _run(
        path, "import", "-", "--chain", str(shop.chain), "--yes", "--json", stdin=shorter
    )
    assert json.loads(confirmed.stdout)["summary"]["removed"] == 1
    assert _orders(path, shop.chain, "active") == 2


def test_without_chain_a_new_chain_is_created(shop_db) -> None:
    path, shop = shop_db
    text = "#接龙\n第2期 大米团\nA. 五常大米 5kg ¥89\n\n1. 王阿姨 3-1202 大米2\n"
    dry = json.loads(_run(path, "import", "-", "--json", "--dry-run", stdin=text).stdout)
    assert dry["chain"] == {"id": None, "title": "第2期 大米团", "group": ""}
    made = json.loads(_run(path, "import", "-", "--json", stdin=text).stdout)
    assert made["chain"]["id"] == shop.chain + 1
    assert made["entries"][0]["items"] == [{"item": "五常大米", "qty": 2, "unit": None}]
    assert _orders(path, shop.chain + 1) == 1


def test_bad_input_exits_2_with_the_reason_on_stderr(shop_db, tmp_path: Path) -> None:
    path, shop = shop_db
    missing = _run(path, "import", str(tmp_path / "nope.txt"), "--chain", str(shop.chain))
    assert missing.exit_code == 2 and "读不了文件" in missing.stderr and missing.stdout == ""
    unknown = _run(path, "import", "-", "--chain", "999", stdin=PASTED)
    assert unknown.exit_code == 2 and "找不到接龙 999" in unknown.stderr
    empty = _run(path, "import", "-", "--chain", str(shop.chain), stdin="  \n")
    assert empty.exit_code == 2
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\xe0garbage\xff")
    assert _run(path, "import", str(binary)).exit_code == 2


@pytest.mark.parametrize(
    ("encoding", "bom", "newline"),
    [
        ("gbk", b"", "\r\n"),  # Windows Notepad, PC WeChat
        ("gb18030", b"", "\r"),
        ("utf-8", codecs.BOM_UTF8, "\r\n"),
        ("utf-16-le", codecs.BOM_UTF16_LE, "\r\n"),  # Notepad's "Unicode"
        ("utf-16-be", codecs.BOM_UTF16_BE, "\n"),
    ],
)
def test_import_reads_the_file_as_windows_saved_it(
    shop_db, tmp_path: Path, encoding: str, bom: bytes, newline: str
) -> None:
    path, shop = shop_db
    args = ("--chain", str(shop.chain), "--json", "--dry-run")
    expected = json.loads(_run(path, "import", "-", *args, stdin=PASTED).stdout)
    pasted = tmp_path / "接龙.txt"
    pasted.write_bytes(bom + PASTED.replace("\n", newline).encode(encoding))
    result = _run(path, "import", str(pasted), *args)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["entries"] == expected["entries"] and doc["unparsed"] == expected["unparsed"]
    assert [e["status"] for e in doc["entries"]] == ["ok", "ok", "ok"]
    piped = runner.invoke(
        app, ["--db", str(path), "chain", "import", "-", *args], input=pasted.read_bytes()
    )
    assert json.loads(piped.stdout)["entries"] == expected["entries"]


def test_a_binary_file_is_refused_in_chinese(shop_db, tmp_path: Path) -> None:
    path, shop = shop_db
    screenshot = tmp_path / "接龙.png"
    screenshot.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")
    result = _run(path, "import", str(screenshot), "--chain", str(shop.chain))
    assert result.exit_code == 2 and result.stdout == ""
    assert f"读不了文件 {screenshot}：这不是文字文件" in result.stderr
    assert _orders(path, shop.chain) == 0


def test_export_prints_the_chain_text(shop_db, tmp_path: Path) -> None:
    path, shop = shop_db
    _run(path, "import", "-", "--chain", str(shop.chain), stdin=PASTED)
    printed = _run(path, "export", str(shop.chain))
    assert printed.exit_code == 0
    assert printed.stdout.startswith("#接龙\n绿源生活｜第1期 冷榨油团\n")
    assert "2. 小李 5-601 亚麻籽油×2（不要发票）" in printed.stdout
    opening = _run(path, "export", str(shop.chain), "--no-entries")
    assert "小李" not in opening.stdout
    out = tmp_path / "chain.txt"
    written = _run(path, "export", str(shop.chain), "-o", str(out))
    assert written.stdout == "" and out.read_text(encoding="utf-8") == printed.stdout
    unknown = _run(path, "export", "999")
    assert unknown.exit_code == 2 and "找不到接龙 999" in unknown.stderr


def test_export_warns_on_stderr_only(tmp_path: Path) -> None:
    path = tmp_path / "shop.db"
    database = open_database(path)
    shop = make_shop(database, title="全网最低 纯天然好油")
    database.close()
    result = _run(path, "export", str(shop.chain))
    assert result.exit_code == 0
    assert "全网最低" in result.stderr and "第 2 行第 1 列" in result.stderr
    assert "提醒" not in result.stdout
