"""v10 (channel spend): a database from before keeps its members; the new table starts empty,
takes spend, refuses a zero amount, and acquisition cost reads it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.data.old_schema import database_before
from tuan.domain.dashboard.acquisition import acquisition_costs, list_spend, record_spend
from tuan.migrations import current_version, latest_version, steps, upgrade
from tuan.models import ChannelSpend, Member


@pytest.mark.sqlite_only
def test_upgrade_to_channel_spend(tmp_path: Path) -> None:
    path = tmp_path / "v9.db"
    old = database_before(path, 10)
    with old.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO member (id, nickname, name, phone, building, room, source, initials, "
            "is_koc, commission_bp, notes, joined_on) VALUES "
            "(1, '王阿姨', '', '', '3', '1202', 'partner', 'wy', 0, 0, '', '2026-11-01')"
        )
    applied = upgrade(old, backup=False)
    assert [s.version for s in applied] == [s.version for s in steps() if s.version >= 10]
    with old.engine.connect() as conn:
        assert current_version(conn) == latest_version()
    with old.session() as s:
        assert s.get(Member, 1) is not None
        assert list_spend(s) == []
    with old.transaction() as s:
        record_spend(s, "partner", "2026-11", "300")
    with old.session() as s:
        partner = acquisition_costs(s, ["2026-11"])[0]
        assert (partner.months[0].spend_cents, partner.months[0].cost_cents) == (30000, 30000)
    with pytest.raises(Exception, match=r"ck_spend_amount|CHECK"), old.transaction() as s:
        s.add(ChannelSpend(channel="koc", month="2026-11", amount_cents=0))
    old.close()
