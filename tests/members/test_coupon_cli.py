"""`tuan coupon issue | redeem | list` and the `coupons` object of `tuan stats --json`."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from tests.chains.fixtures import make_shop
from tuan.cli import app
from tuan.db import Database
from tuan.domain.shared.orders import LineRequest, place_order

runner = CliRunner()


def _run(db: Database, *args: str):
    return runner.invoke(app, ["--db", db.target, *args])


def test_issue_redeem_and_list_with_their_json(db: Database) -> None:
    shop = make_shop(db)
    li = shop.members["小李5-601"]
    with db.transaction() as s:
        order = place_order(s, shop.chain, li, [LineRequest(shop.items["橄榄油"], 2)]).id
    issued = _run(db, "coupon", "issue", str(li), "--amount", "20", "--min", "99",
                  "--days", "30", "--reason", "生日券", "--json")  # fmt: skip
    assert issued.exit_code == 0, issued.output
    coupon = json.loads(issued.stdout)
    assert coupon == {
        "id": 1, "member": {"id": li, "nickname": "小李"}, "amount_cents": 2000,
        "min_spend_cents": 9900, "issued_on": "2026-11-26", "expires_on": "2026-12-26",
        "reason": "生日券", "origin": "manual", "status": "usable", "order_id": None,
        "redeemed_at": None,
    }  # fmt: skip
    redeemed = _run(db, "coupon", "redeem", "1", "--order", str(order), "--json")
    assert redeemed.exit_code == 0, redeemed.output
    shown = json.loads(redeemed.stdout)
    assert shown["status"] == "redeemed" and shown["order"] == {"id": order, "due_cents": 15800}
    assert shown["redeemed_at"] == "2026-11-26T02:00:00+00:00"
    again = _run(db, "coupon", "redeem", "1", "--order", str(order))
    assert again.exit_code == 2 and "已经用过了" in again.stderr
    listed = json.loads(_run(db, "coupon", "list", "--member", str(li), "--json").stdout)
    assert [(c["id"], c["status"], c["order_id"]) for c in listed] == [(1, "redeemed", order)]
    assert json.loads(_run(db, "coupon", "list", "--status", "usable", "--json").stdout) == []
    text = _run(db, "coupon", "list")
    assert "小李" in text.stdout and "满¥99" in text.stdout and "共 1 张" in text.stderr


def test_bad_input_exits_2_and_issues_nothing(db: Database) -> None:
    shop = make_shop(db)
    li = str(shop.members["小李5-601"])
    cases = [
        (["--amount", "-5"], "金额不能为负数"),
        (["--amount", "19.999"], "金额最多两位小数"),
        (["--amount", "20", "--min", "-1"], "金额不能为负数"),
        (["--amount", "20", "--expires", "2026-01-01"], "已经过了"),
        (["--amount", "20", "--days", "0"], "有效天数"),
        (["--amount", "20", "--days", "3", "--expires", "12-31"], "只能用一个"),
    ]
    for extra, words in cases:
        result = _run(db, "coupon", "issue", li, *extra)
        assert result.exit_code == 2, (extra, result.output)
        assert words in result.stderr, (extra, result.stderr)
    missing = _run(db, "coupon", "issue", "999", "--amount", "20")
    assert missing.exit_code == 2 and "找不到团员 999" in missing.stderr
    assert json.loads(_run(db, "coupon", "list", "--json").stdout) == []
    assert _run(db, "coupon", "list", "--status", "lost").exit_code == 2
    assert _run(db, "coupon", "redeem", "5", "--order", "1").exit_code == 2


def test_stats_json_has_a_coupons_object(db: Database) -> None:
    shop = make_shop(db)
    li = str(shop.members["小李5-601"])
    assert _run(db, "coupon", "issue", li, "--amount", "20").exit_code == 0
    result = _run(db, "stats", "--json")
    assert result.exit_code == 0, result.output
    coupons = json.loads(result.stdout)["coupons"]
    assert {k: coupons[k] for k in ("month", "issued", "issued_cents", "redeemed", "cost_cents",
                                    "expired", "expired_cents", "redemption_rate")} == {
        "month": "2026-11", "issued": 1, "issued_cents": 2000, "redeemed": 0, "cost_cents": 0,
        "expired": 0, "expired_cents": 0, "redemption_rate": 0.0,
    }  # fmt: skip
    assert len(coupons["months"]) == 12 and set(coupons["definitions"]) == {
        "coupon_issued", "coupon_redeemed", "coupon_cost", "coupon_expired", "coupon_rate",
    }  # fmt: skip
    assert "券 2026-11：发出 1 张 ¥20" in _run(db, "stats").stdout
