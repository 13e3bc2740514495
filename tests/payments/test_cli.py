"""`tuan pay import | list | delete` and `tuan pickup remind-pay`: output, JSON shape, exit codes;
bad bills refused in Chinese with nothing changed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.data.bad_input import assert_clear_chinese, fingerprint
from tests.payments.fixtures import ALIPAY, WECHAT, Shop, make_shop, wechat_xlsx
from tuan.cli import app
from tuan.db import open_database

runner = CliRunner()


@pytest.fixture
def shop_db(tmp_path: Path) -> tuple[Path, Shop]:
    path = tmp_path / "shop.db"
    database = open_database(path)
    shop = make_shop(database)
    database.close()
    return path, shop


def _run(path: Path, *args: str):
    return runner.invoke(app, ["--db", str(path), *args])


def test_a_dry_run_prints_the_documented_json_and_writes_nothing(shop_db) -> None:
    path, _shop = shop_db
    before = fingerprint(path)
    result = _run(path, "pay", "import", str(WECHAT), "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report) == {"bill", "rows", "summary"}
    assert report["bill"]["source"] == "wechat" and len(report["rows"]) == 10
    assert report["summary"] == {
        "matched": 5, "ambiguous": 1, "unmatched": 1, "skipped": 3,
        "recorded": 5, "recorded_cents": 78300, "orders_paid": 5,
    }  # fmt: skip
    assert [row["status"] for row in report["rows"]][:6] == ["matched"] * 5 + ["ambiguous"]
    assert "预览（没有写入）" in result.stderr and "待选" in result.stderr
    assert fingerprint(path) == before


def test_import_records_then_the_same_bill_again_changes_nothing(shop_db, tmp_path: Path) -> None:
    path, _shop = shop_db
    first = _run(path, "pay", "import", str(WECHAT))
    assert first.exit_code == 0, first.output
    assert "已对上  第 18 行  2026-11-25 20:15  🌸王阿姨  ¥268" in first.stdout
    assert "第72期 健康粮油团 1号 王阿姨 ¥199；第72期 健康粮油团 2号 李叔 ¥69" in first.stdout
    assert "1. 第72期 健康粮油团 7号 孙阿姨" in first.stdout, "the choices of the ambiguous row"
    assert "已记入 5 笔付款，共 ¥783，5 单已付清" in first.stderr
    after = fingerprint(path)
    for again in (WECHAT, wechat_xlsx(tmp_path / "bill.xlsx")):
        result = _run(path, "pay", "import", str(again), "--json", "--yes")
        assert result.exit_code == 0
        assert json.loads(result.stdout)["summary"]["recorded"] == 0
        assert "没有记入付款" in result.stderr
    assert fingerprint(path) == after


def test_an_alipay_statement_imports_too(shop_db) -> None:
    path, _shop = shop_db
    result = _run(path, "pay", "import", str(ALIPAY), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["bill"]["source"] == "alipay"
    assert report["summary"]["recorded"] == 2 and report["summary"]["recorded_cents"] == 46700


def _bad_files(folder: Path) -> dict[str, tuple[Path, str]]:
    data = WECHAT.read_bytes()
    files = {
        "bank": ("交易日期,交易时间,收入金额,支出金额,余额\n20261125,2015,199.00,,1234.00\n"
                 .encode("gbk"), "不是微信或支付宝的账单"),
        "truncated": (data[: data.index(b"2026-11-23 09:00:00") + 40], "不完整"),
        "empty": (b"", "文件是空的"),
        "binary": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "不是账单"),
    }  # fmt: skip
    found = {}
    for name, (content, says) in files.items():
        target = folder / f"{name}.csv"
        target.write_bytes(content)
        found[name] = (target, says)
    found["missing"] = (folder / "没有这个文件.csv", "不存在")
    return found


@pytest.mark.parametrize("kind", ["bank", "truncated", "empty", "binary", "missing"])
def test_a_bad_bill_exits_2_in_chinese_and_changes_nothing(
    shop_db, tmp_path: Path, kind: str
) -> None:
    path, _shop = shop_db
    target, says = _bad_files(tmp_path)[kind]
    before = fingerprint(path)
    result = _run(path, "pay", "import", str(target), "--json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert_clear_chinese(result.stderr, says)
    assert fingerprint(path) == before


def test_pay_list_shows_every_payment_newest_first(shop_db) -> None:
    path, shop = shop_db
    _run(path, "pay", "import", str(WECHAT))
    listed = _run(path, "pay", "list", "--chain", str(shop.chain), "--json")
    assert listed.exit_code == 0, listed.output
    payments = json.loads(listed.stdout)
    assert len(payments) == 7, "周叔 marked by hand, then 6 rows for the 5 transfers"
    assert set(payments[0]) == {"id", "paid_at", "method", "source", "amount_cents", "payer",
                                "trade_no", "part_of", "note", "order"}  # fmt: skip
    assert set(payments[0]["order"]) == {"id", "chain_id", "chain", "number", "member"}
    assert (payments[0]["source"], payments[0]["order"]["member"]) == ("manual", "周叔")
    first = next(p for p in payments if p["trade_no"] == "1000050001202611250123456789001"
                 and p["part_of"] is None)  # fmt: skip
    assert (first["amount_cents"], first["payer"], first["method"]) == (19900, "🌸王阿姨", "wechat")
    text = _run(path, "pay", "list")
    assert "微信" in text.stdout and "手动标记" in text.stdout and "共 7 笔，¥982" in text.stderr
    unknown = _run(path, "pay", "list", "--chain", "999")
    assert unknown.exit_code == 2 and "找不到接龙 999" in unknown.stderr


def test_pay_delete_takes_a_transfer_back(shop_db) -> None:
    path, _shop = shop_db
    _run(path, "pay", "import", str(WECHAT))
    payments = json.loads(_run(path, "pay", "list", "--json").stdout)
    share = next(p for p in payments if p["part_of"] is not None)
    result = _run(path, "pay", "delete", str(share["id"]), "--yes")
    assert result.exit_code == 0 and "涉及 2 单" in result.stderr
    assert len(json.loads(_run(path, "pay", "list", "--json").stdout)) == 5
    missing = _run(path, "pay", "delete", str(share["id"]), "--yes")
    assert missing.exit_code == 2 and "找不到付款" in missing.stderr


def test_remind_pay_prints_a_message_per_unpaid_order(shop_db) -> None:
    path, shop = shop_db
    result = _run(path, "pickup", "remind-pay", str(shop.chain))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 7, "every order but 周叔's"
    assert lines[0] == (
        "王阿姨您好，第72期 健康粮油团 您的 健康厨房入门套装×1 共¥199 还未付款，"
        "方便时微信转账即可，谢谢～"
    )
    assert "未付 7 单，共 ¥961" in result.stderr  # 199 + 69 + 178 + 199 + 89 + 138 + 89
    _run(path, "pay", "import", str(WECHAT))
    one = _run(path, "pickup", "remind-pay", str(shop.chain), "--order", "5", "--json")
    (reminder,) = json.loads(one.stdout)
    assert reminder == {
        "order_id": shop.orders[5], "number": "5", "member": "赵六", "owed_cents": 8900,
        "message": "赵六您好，第72期 健康粮油团 您的 冷榨橄榄油×1 共¥89 还未付款，"
                   "方便时微信转账即可，谢谢～",
    }  # fmt: skip
    paid = _run(path, "pickup", "remind-pay", str(shop.chain), "--order", "1")
    assert paid.exit_code == 2 and "没有未付的款" in paid.stderr
    unknown = _run(path, "pickup", "remind-pay", "999")
    assert unknown.exit_code == 2 and "找不到接龙 999" in unknown.stderr


def test_a_part_payment_is_in_the_message(shop_db) -> None:
    path, shop = shop_db
    database = open_database(path)
    with database.transaction() as s:
        from tuan.domain.shared.payments import record_payment

        record_payment(s, shop.orders[3], 10000)
    database.close()
    result = _run(path, "pickup", "remind-pay", str(shop.chain), "--order", "3")
    assert result.stdout.strip() == (
        "小张您好，第72期 健康粮油团 您的 有机五常大米×2 共¥178，已收¥100，还差¥78，"
        "方便时微信转账即可，谢谢～"
    )
    listed = json.loads(_run(path, "pickup", "list", "--json").stdout)
    assert listed[0]["unpaid"] == 7 and listed[0]["unpaid_cents"] == 96100 - 10000
