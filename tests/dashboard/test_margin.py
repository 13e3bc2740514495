"""Gross profit, margin and the GMV without a cost price, on a hand-computed fixture.

One chain of three items (A 套装 ¥199, cost ¥120; B 亚麻籽油 ¥69, cost ¥40; C 山茶油 ¥89, no
cost), sold in November:
- order 1 (typed in): A×2 at ¥199, B×1 at ¥69, C×1 at ¥89;
- order 2 (during the live, at the flash-sale price): A×1 at ¥159;
- order 3, cancelled: A×5 at ¥199, counted nowhere.

By hand: GMV 398 + 69 + 89 + 159 = ¥715. Lines with a cost: 398 + 69 + 159 = ¥626, costing
3 × 120 + 40 = ¥400: gross profit ¥226, margin 226 ÷ 626 = 36.1%. GMV without cost: ¥89
(89 ÷ 715 = 12.45%). The live: ¥159 − ¥120 = ¥39 on ¥159, 24.5%, all covered.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tuan.cli import app
from tuan.db import Database
from tuan.domain.dashboard.metrics import (
    Margin,
    chain_margins,
    format_margin,
    live_margin,
    margin_breakdown,
)
from tuan.models import Chain, ChainItem, FlashSale, Livestream, Member, Order, OrderLine

AT = datetime.fromisoformat("2026-11-20T20:00:00+08:00")


@pytest.fixture
def shop(db: Database) -> Database:
    with db.transaction() as s:
        s.add_all([Member(id=1, nickname="王阿姨"), Member(id=2, nickname="小李")])
        s.add(Chain(id=1, title="第73期 健康粮油团", status="open"))
        s.flush()
        s.add_all(
            [
                ChainItem(id=1, chain_id=1, code="A", name="套装", price_cents=19900,
                          cost_cents=12000),
                ChainItem(id=2, chain_id=1, code="B", name="亚麻籽油", price_cents=6900,
                          cost_cents=4000),
                ChainItem(id=3, chain_id=1, code="C", name="山茶油", price_cents=8900),
            ]
        )  # fmt: skip
        s.add(Livestream(id=1, theme="食用油的选择", status="ended", chain_id=1, started_at=AT))
        s.flush()
        s.add(FlashSale(id=1, livestream_id=1, item_id=1, live_price_cents=15900))
        s.add_all(
            [
                Order(id=1, chain_id=1, seq=1, member_id=1, created_at=AT),
                Order(id=2, chain_id=1, seq=2, member_id=2, created_at=AT, livestream_id=1,
                      channel="live"),
                Order(id=3, chain_id=1, seq=3, member_id=2, created_at=AT, status="cancelled"),
            ]
        )  # fmt: skip
        s.flush()
        s.add_all(
            [
                OrderLine(order_id=1, item_id=1, qty=2, unit_price_cents=19900),
                OrderLine(order_id=1, item_id=2, qty=1, unit_price_cents=6900),
                OrderLine(order_id=1, item_id=3, qty=1, unit_price_cents=8900),
                OrderLine(order_id=2, item_id=1, qty=1, unit_price_cents=15900, flash_sale_id=1),
                OrderLine(order_id=3, item_id=1, qty=5, unit_price_cents=19900),
            ]
        )
    return db


def test_chain_profit_margin_and_uncovered_share_match_the_hand_computation(
    shop: Database,
) -> None:
    with shop.session() as s:
        total, by_item = chain_margins(s, 1)
    assert total.gmv_cents == 71500
    assert total.profit_cents == 22600
    assert total.margin == pytest.approx(226 / 626)
    assert total.uncovered_cents == 8900
    assert total.uncovered_share == pytest.approx(89 / 715)
    assert format_margin(total) == "毛利 ¥226（毛利率 36%，另有 ¥89 的商品未填成本）"
    assert by_item[1].profit_cents == 39800 + 15900 - 36000, "the flash sale at ¥159"
    assert by_item[2].profit_cents == 2900 and by_item[2].uncovered_cents == 0
    assert not by_item[3].known and by_item[3].uncovered_cents == 8900
    assert format_margin(by_item[3]) == "毛利 未知：¥89 的商品都未填成本"


def test_the_live_counts_the_price_it_charged(shop: Database) -> None:
    with shop.session() as s:
        margin = live_margin(s, 1)
    assert (margin.gmv_cents, margin.profit_cents, margin.uncovered_cents) == (15900, 3900, 0)
    assert format_margin(margin) == "毛利 ¥39（毛利率 25%）"


def test_an_item_whose_price_is_not_known_yet_has_no_profit(shop: Database) -> None:
    with shop.transaction() as s:
        s.add(
            ChainItem(
                id=4, chain_id=1, name="藜麦", price_cents=0, price_known=False, cost_cents=3000
            )
        )
        s.add(OrderLine(order_id=1, item_id=4, qty=2, unit_price_cents=0))
    with shop.session() as s:
        total, by_item = chain_margins(s, 1)
    assert total.profit_cents == 22600, "not ¥60 less: the price is not known yet"
    assert not by_item[4].known


def test_nothing_sold_and_nothing_costed_say_so() -> None:
    assert format_margin(Margin()) == "毛利 （还没有成交）"
    assert Margin(gmv_cents=500).as_dict() == {
        "gross_profit_cents": None,
        "margin": None,
        "gmv_without_cost_cents": 500,
        "gmv_without_cost_share": 1.0,
    }


def test_breakdown_per_month_chain_product_and_live(shop: Database) -> None:
    with shop.session() as s:
        found = margin_breakdown(s)
    assert found.months["2026-11"].profit_cents == 22600
    assert [(c.id, c.margin.profit_cents) for c in found.chains] == [(1, 22600)]
    assert [p.name for p in found.products] == ["套装", "亚麻籽油", "山茶油"]
    assert found.lives[1].profit_cents == 3900


def test_stats_json_has_the_margin_keys(shop: Database) -> None:
    result = CliRunner().invoke(app, ["--db", shop.target, "stats", "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    month = document["months"][-1]
    assert month["month"] == "2026-11"
    keys = ("gross_profit_cents", "margin", "gmv_without_cost_cents", "gmv_without_cost_share")
    assert {k: month[k] for k in keys} == {
        "gross_profit_cents": 22600,
        "margin": 0.361,
        "gmv_without_cost_cents": 8900,
        "gmv_without_cost_share": 0.1245,
    }
    (chain,) = document["chains"]
    assert chain["id"] == 1 and chain["gmv_cents"] == 71500 and chain["gross_profit_cents"] == 22600
    products = {p["name"]: p for p in document["products"]}
    assert products["山茶油"]["gross_profit_cents"] is None
    assert products["套装"]["gross_profit_cents"] == 19700
    assert {"profit", "margin", "uncovered"} <= set(document["definitions"])
    text = CliRunner().invoke(app, ["--db", shop.target, "stats"])
    assert "毛利 ¥226（毛利率 36%，另有 ¥89 的商品未填成本）" in text.stdout


def test_live_summary_and_report_show_the_margin(shop: Database, tmp_path: Path) -> None:
    runner = CliRunner()
    summary = runner.invoke(app, ["--db", shop.target, "live", "summary", "1", "--json"])
    assert summary.exit_code == 0, summary.output
    assert json.loads(summary.stdout)["gross_profit_cents"] == 3900
    text = runner.invoke(app, ["--db", shop.target, "live", "summary", "1"])
    assert "毛利 ¥39（毛利率 25%）" in text.stdout
    out = tmp_path / "report.html"
    assert runner.invoke(app, ["--db", shop.target, "report", "-o", str(out)]).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert "未填成本的成交额" in page and "¥226" in page and "36%" in page
