"""v8 (coupons): a database from before keeps every row; the default wake-up and referral
messages now name the coupon, a message the leader changed stays as written; coupons work."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import col, select

from tests.data.old_schema import add_wang, database_before
from tuan.domain.members.coupons import issue_coupon, list_coupons
from tuan.migrations import current_version, latest_version, steps, upgrade
from tuan.models import Member, ReminderRule


@pytest.mark.sqlite_only
def test_upgrade_to_coupons_keeps_every_row(tmp_path: Path) -> None:
    path = tmp_path / "v6.db"
    old = database_before(path, 8)
    with old.engine.begin() as conn:
        add_wang(conn)
        conn.exec_driver_sql(
            "UPDATE reminderrule SET template = '{name}，好久不见' WHERE kind = 'dormant'"
        )
    applied = upgrade(old, backup=False)
    assert [s.version for s in applied] == [s.version for s in steps() if s.version >= 8]
    with old.engine.connect() as conn:
        assert current_version(conn) == latest_version()
    with old.session() as s:
        assert [m.nickname for m in s.exec(select(Member))] == ["王阿姨"]
        rules = {
            r.kind: r.template for r in s.exec(select(ReminderRule).order_by(col(ReminderRule.id)))
        }
    assert rules["dormant"] == "{name}，好久不见", "the leader's own words stay"
    assert rules["referral"] == "{name}，感谢您推荐{friend}入群！您和好友各得一张 {coupon}"
    with old.transaction() as s:
        issue_coupon(s, 1, 2000)
    with old.session() as s:
        assert [(c.member, c.amount_cents) for c in list_coupons(s)] == [("王阿姨", 2000)]
    with pytest.raises(Exception, match=r"ck_coupon_amount|CHECK"), old.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO coupon (member_id, amount_cents, min_spend_cents, issued_on, expires_on, "
            "reason, origin, created_at) VALUES (1, -5, 0, '2026-11-26', '2026-12-26', '', "
            "'manual', '2026-11-26T02:00:00+00:00')"
        )
    old.close()
