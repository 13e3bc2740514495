"""`tuan chain teams | settle-teams | set-team` and the `teams` figure of `tuan stats --json`:
the JSON shapes, the messages and the exit codes."""

from __future__ import annotations

import json
from datetime import datetime

from typer.testing import CliRunner

from tests.chains.team_fixtures import make_team_shop, order
from tuan import clock
from tuan.cli import app
from tuan.db import Database
from tuan.domain.shared.payments import record_payment
from tuan.models import ChainItem

runner = CliRunner()


def _run(db: Database, *args: str):
    return runner.invoke(app, ["--db", db.target, *args])


def _three_and_one(db: Database):
    shop = make_team_shop(db)
    with db.transaction() as s:
        for who in ("王阿姨", "李叔", "小周"):
            order(s, shop, who, {shop.rice: 1})
        late = order(s, shop, "陈晨", {shop.rice: 1})
        record_payment(s, late.id or 0, 8900)
    return shop


def test_chain_teams_json(db: Database) -> None:
    shop = _three_and_one(db)
    result = _run(db, "chain", "teams", str(shop.chain), "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"chain_id", "title", "can_settle", "open_teams", "items"}
    assert (data["can_settle"], data["open_teams"]) == (False, 1)
    rice, oil = data["items"]
    assert {k: rice[k] for k in rice if k != "teams"} == {
        "item_id": shop.rice, "name": "大米", "price_cents": 8900, "team_size": 3,
        "team_price_cents": 7900, "formed": 1, "open": 1,
    }  # fmt: skip
    assert rice["teams"][1] == {"id": rice["teams"][1]["id"], "item_id": shop.rice,
                                "name": "陈晨的团", "leader": "陈晨", "status": "open",
                                "size": 3, "members": ["陈晨"], "missing": 2}  # fmt: skip
    assert (oil["name"], oil["teams"]) == ("花生油", [])
    text = _run(db, "chain", "teams", str(shop.chain)).stdout
    assert "大米 5kg ¥89，3人成团 ¥79，已成团 1 个，陈晨的团还差 2 人" in text


def test_settle_teams_waits_for_the_deadline_then_cancels_and_says_what_to_return(
    db: Database,
) -> None:
    shop = _three_and_one(db)
    early = _run(db, "chain", "settle-teams", str(shop.chain), "--unfilled", "cancel")
    assert early.exit_code == 2 and "接龙还没截止" in early.stderr
    clock.freeze(datetime.fromisoformat("2026-11-29T09:00:00+08:00"))
    bad = _run(db, "chain", "settle-teams", str(shop.chain), "--unfilled", "refund")
    assert bad.exit_code == 2 and "不认识的结算方式：refund" in bad.stderr
    result = _run(db, "chain", "settle-teams", str(shop.chain), "--unfilled", "cancel", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {
        "chain_id": shop.chain, "mode": "cancel", "teams": ["陈晨的团"], "orders": 1,
        "cancelled_orders": 1, "refund": [{"member": "陈晨", "cents": 8900}],
    }  # fmt: skip
    assert "已付款的要退钱" in result.stderr and "陈晨 ¥89" in result.stderr
    again = _run(db, "chain", "settle-teams", str(shop.chain), "--unfilled", "normal")
    assert again.exit_code == 0 and "没有待成团的团" in again.stderr
    assert _run(db, "chain", "settle-teams", "999", "--unfilled", "normal").exit_code == 2


def test_set_team_uses_the_forms_checks(db: Database) -> None:
    shop = make_team_shop(db)
    ok = _run(db, "chain", "set-team", str(shop.chain), "C", "--size", "4", "--price", "18")
    assert ok.exit_code == 0, ok.stderr
    assert "「鸡蛋」改为拼团：4 人成团，团购价 18" in ok.stderr
    warned = _run(db, "chain", "set-team", str(shop.chain), "鸡蛋", "--size", "4", "--price", "25")
    assert warned.exit_code == 0 and "不比单买价 ¥20 便宜" in warned.stderr
    for args, words in (
        (("--size", "1", "--price", "18"), "成团人数至少 2 人"),
        (("--size", "4", "--price", "1.234"), "金额最多两位小数"),
        (("--size", "4", "--price", "0"), "团购价要大于 0"),
        ((), "请写 --size 成团人数 和 --price 团购价"),
    ):
        bad = _run(db, "chain", "set-team", str(shop.chain), "鸡蛋", *args)
        assert bad.exit_code == 2 and words in bad.stderr, (args, bad.stderr)
    unknown = _run(db, "chain", "set-team", str(shop.chain), "榴莲", "--size", "3", "--price", "9")
    assert unknown.exit_code == 2 and "没有商品「榴莲」" in unknown.stderr
    with db.session() as s:
        eggs = s.get(ChainItem, shop.eggs)
        assert eggs is not None and (eggs.team_size, eggs.team_price_cents) == (4, 2500)
    off = _run(db, "chain", "set-team", str(shop.chain), "鸡蛋", "--off")
    assert off.exit_code == 0 and "不再拼团" in off.stderr
    with db.session() as s:
        eggs = s.get(ChainItem, shop.eggs)
        assert eggs is not None and (eggs.team_size, eggs.team_price_cents) == (None, None)


def test_stats_json_counts_teams_by_month(db: Database) -> None:
    shop = _three_and_one(db)
    with db.transaction() as s:
        order(s, shop, "张姐", {shop.oil: 1})
    result = _run(db, "stats", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data["teams"]) == 12
    assert data["teams"][-1] == {"month": "2026-11", "formed": 1, "unfilled": 0, "open": 2}
    assert data["teams"][0] == {"month": "2025-12", "formed": 0, "unfilled": 0, "open": 0}
    assert "拼团" in data["definitions"]["teams"]
