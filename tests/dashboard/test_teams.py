"""The 拼团 figure: teams counted in the month they were opened, by how they ended."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlmodel import Session, col, select

from tests.chains.team_fixtures import make_team_shop, order, team_form
from tuan import clock
from tuan.db import Database
from tuan.domain.chains.edit import save_chain
from tuan.domain.dashboard.metrics import DEFINITIONS
from tuan.domain.dashboard.overview import overview
from tuan.domain.dashboard.teams import team_months
from tuan.domain.shared.teams import settle_teams
from tuan.models import ChainItem
from tuan.tui.dashboard.panels import numbers


def _at(text: str) -> None:
    clock.freeze(datetime.fromisoformat(text))


def test_teams_count_in_their_month_as_formed_unfilled_or_open(db: Database) -> None:
    _at("2026-10-10T10:00:00+08:00")
    shop = make_team_shop(db, deadline="10-12 20:00")
    with db.transaction() as s:
        for who in ("王阿姨", "李叔", "小周"):  # October: one rice team fills …
            order(s, shop, who, {shop.rice: 1})
        order(s, shop, "陈晨", {shop.rice: 1})  # … and one does not
    _at("2026-10-13T10:00:00+08:00")
    with db.transaction() as s:
        settle_teams(s, shop.chain, "normal")
    _at("2026-11-26T10:00:00+08:00")
    with db.transaction() as s:  # November: a new chain, one oil team still waiting
        chain = save_chain(s, team_form("第2期 健康粮油团")).id or 0
        order(s, replace(shop, chain=chain, oil=_oil(s, chain)), "张姐", {_oil(s, chain): 1})
    with db.session() as s:
        months = team_months(s, ["2026-09", "2026-10", "2026-11"])
        shown = overview(s)
    assert months == {"2026-09": [0, 0, 0], "2026-10": [1, 1, 0], "2026-11": [0, 0, 1]}
    assert shown.teams["2026-10"] == [1, 1, 0]
    assert "teams" in DEFINITIONS and "未成团" in DEFINITIONS["teams"]
    rows = {str(row) for row in numbers(shown).columns[0].cells}
    assert {"已成团", "未成团"} <= rows


def _oil(s: Session, chain: int) -> int:
    item = s.exec(
        select(ChainItem).where(col(ChainItem.chain_id) == chain, col(ChainItem.name) == "花生油")
    ).one()
    return item.id or 0
