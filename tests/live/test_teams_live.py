"""拼团 during a live: one-line orders say `跟王阿姨的团` too, and the summary counts the teams
the live's orders are in."""

from __future__ import annotations

from sqlmodel import col, func, select

from tests.chains.team_fixtures import make_team_shop
from tuan import clock
from tuan.db import Database
from tuan.domain.live.entry import enter_line
from tuan.domain.live.summary import compute_summary
from tuan.domain.live.text import summary_lines
from tuan.domain.shared.teams import chain_teams
from tuan.models import Livestream, Order


def _live(db: Database, chain_id: int) -> int:
    with db.transaction() as s:
        live = Livestream(theme="粮油怎么选", chain_id=chain_id, status="live",
                          started_at=clock.now(), peak_viewers=50)  # fmt: skip
        s.add(live)
        s.flush()
        return live.id or 0


def test_live_lines_join_teams_and_the_summary_counts_them(db: Database) -> None:
    shop = make_team_shop(db)
    live = _live(db, shop.chain)
    for line in ("王阿姨 大米1", "李叔 大米2 跟王阿姨的团", "小周 大米1", "陈晨 花生油1"):
        result = enter_line(db, live, line)
        assert result.ok, result.message
    with db.session() as s:
        teams = [(t.name, t.status, t.members) for t in chain_teams(s, shop.chain)]
        summary = compute_summary(s, live)
        live_row = s.get(Livestream, live)
        assert live_row is not None
        pairs = dict(summary_lines(live_row, summary))
    assert teams == [("王阿姨的团", "formed", ("王阿姨", "李叔", "小周")),
                     ("陈晨的团", "open", ("陈晨",))]  # fmt: skip
    # 4 bags of rice at ¥79 (the team filled) and a bottle of oil at ¥59 (its team did not)
    assert summary.gmv_cents == 4 * 7900 + 5900
    assert (summary.teams_formed, summary.teams_unfilled) == (1, 1)
    assert pairs["已成团"] == "1 个" and pairs["未成团"] == "1 个"


def test_a_live_line_naming_an_unknown_team_is_refused_and_writes_nothing(db: Database) -> None:
    shop = make_team_shop(db)
    live = _live(db, shop.chain)
    result = enter_line(db, live, "李叔 大米1 跟老赵的团")
    assert not result.ok
    assert "没有叫「老赵的团」的团" in result.message
    with db.session() as s:
        assert s.exec(select(func.count()).where(col(Order.chain_id) == shop.chain)).one() == 0
