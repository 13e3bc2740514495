"""`tuan refund add | list | delete`: output, the documented JSON, exit 2 with a clear message on
stderr and nothing changed for bad input."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tests.data.bad_input import fingerprint
from tests.shared.refund_fixtures import make_fruit_shop
from tuan.cli import app
from tuan.db import Database

runner = CliRunner()


@pytest.fixture
def shop(db: Database) -> Database:
    return make_fruit_shop(db)


def _run(db: Database, *args: str):
    return runner.invoke(app, ["--db", db.target, *args])


def test_add_list_and_delete_a_refund(shop: Database) -> None:
    added = _run(shop, "refund", "add", "2", "--line", "橙子", "--qty", "1", "--reason", "坏果",
                 "--note", "烂了一个", "--json")  # fmt: skip
    assert added.exit_code == 0, added.output
    refund = json.loads(added.stdout)
    assert {k: refund[k] for k in ("order_id", "item", "qty", "amount_cents", "reason")} == {
        "order_id": 2,
        "item": "橙子",
        "qty": 1,
        "amount_cents": 5000,
        "reason": "bad_fruit",
    }
    assert refund["reason_text"] == "坏果" and refund["date"] == "2026-11-26"
    assert "已退款" in added.stderr and "¥50" in added.stderr
    money = _run(shop, "refund", "add", "3", "--chain", "1", "--amount", "12.50",
                 "--reason", "质量",
                 "--date", "2026-11-25")  # fmt: skip
    assert money.exit_code == 0, money.output
    listed = _run(shop, "refund", "list", "--chain", "1", "--json")
    rows = json.loads(listed.stdout)
    assert [(r["order_id"], r["qty"], r["amount_cents"], r["date"]) for r in rows] == [
        (2, 1, 5000, "2026-11-26"), (4, 0, 1250, "2026-11-25"),
    ]  # fmt: skip
    text = _run(shop, "refund", "list")
    assert "第80期 水果团 1号 王阿姨  橙子 ×1" in text.stdout
    assert "共 2 笔退款，¥62.50" in text.stderr
    deleted = _run(shop, "refund", "delete", str(refund["id"]), "--yes")
    assert deleted.exit_code == 0 and "已删除退款" in deleted.stderr
    assert len(json.loads(_run(shop, "refund", "list", "--json").stdout)) == 1


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["2", "--qty", "1", "--reason", "坏果"], "请选要退的是哪一样"),
        (["4", "--qty", "3", "--reason", "坏果"], "最多还能退 2 件"),
        (["4", "--qty", "-1", "--reason", "坏果"], "不能为负数"),
        (["4", "--amount", "-5", "--reason", "坏果"], "金额不能为负数"),
        (["4", "--amount", "1.234", "--reason", "坏果"], "最多两位小数"),
        (["4", "--amount", "81", "--reason", "坏果"], "最多还能退 ¥80"),
        (["6", "--qty", "1", "--reason", "坏果"], "已取消"),
        (["4", "--qty", "1", "--reason", "太贵"], "看不懂的退款原因"),
        (["4", "--qty", "1"], "--reason"),
        (["2", "--line", "西瓜", "--qty", "1", "--reason", "坏果"], "找不到要退的商品"),
        (["99", "--qty", "1", "--reason", "坏果"], "找不到订单 99"),
        (["9", "--chain", "1", "--qty", "1", "--reason", "坏果"], "没有第 9 号"),
        (["王阿姨", "--qty", "1", "--reason", "坏果"], "订单编号应是数字"),
    ],
)
def test_bad_refunds_exit_2_with_a_message_and_change_nothing(
    shop: Database, args: list[str], words: str
) -> None:
    before = fingerprint(shop.target)
    result = _run(shop, "refund", "add", *args)
    assert result.exit_code == 2, result.output
    assert words in result.stderr and result.stdout == ""
    assert fingerprint(shop.target) == before


def test_deleting_or_listing_what_is_not_there_exits_2(shop: Database) -> None:
    assert _run(shop, "refund", "delete", "42", "--yes").exit_code == 2
    missing = _run(shop, "refund", "list", "--chain", "9")
    assert missing.exit_code == 2 and "找不到接龙 9" in missing.stderr
