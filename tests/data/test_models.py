"""The database refuses what can never be right: negative money, zero quantities, naive times."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError, StatementError
from sqlmodel import select

from tuan import clock
from tuan.db import Database
from tuan.models import Chain, ChainItem, Member, Order, OrderLine


def _chain_with_item(db: Database) -> tuple[int, int, int]:
    with db.transaction() as s:
        chain = Chain(title="测试接龙", deadline=clock.now() + timedelta(days=1))
        member = Member(nickname="王阿姨", initials="way")
        s.add_all([chain, member])
        s.flush()
        assert chain.id is not None and member.id is not None
        item = ChainItem(chain_id=chain.id, name="橄榄油", price_cents=8900)
        s.add(item)
        s.flush()
        assert item.id is not None
        return chain.id, item.id, member.id


def test_negative_price_is_refused_by_the_database(db: Database) -> None:
    chain_id, _item, _member = _chain_with_item(db)
    with pytest.raises(IntegrityError), db.transaction() as s:
        s.add(ChainItem(chain_id=chain_id, name="坏价格", price_cents=-1))


@pytest.mark.parametrize("qty", [0, -2])
def test_zero_or_negative_quantity_is_refused(db: Database, qty: int) -> None:
    chain_id, item_id, member_id = _chain_with_item(db)
    with pytest.raises(IntegrityError), db.transaction() as s:
        order = Order(chain_id=chain_id, seq=1, member_id=member_id)
        s.add(order)
        s.flush()
        assert order.id is not None
        s.add(OrderLine(order_id=order.id, item_id=item_id, qty=qty, unit_price_cents=8900))
    with db.session() as s:
        assert s.exec(select(Order)).first() is None, "the failed write left nothing behind"


def test_sequence_numbers_are_unique_within_a_chain(db: Database) -> None:
    chain_id, _item, member_id = _chain_with_item(db)
    with db.transaction() as s:
        s.add(Order(chain_id=chain_id, seq=1, member_id=member_id))
    with pytest.raises(IntegrityError), db.transaction() as s:
        s.add(Order(chain_id=chain_id, seq=1, member_id=member_id))


def test_collected_can_not_exceed_ordered(db: Database) -> None:
    chain_id, item_id, member_id = _chain_with_item(db)
    with pytest.raises(IntegrityError), db.transaction() as s:
        order = Order(chain_id=chain_id, seq=1, member_id=member_id)
        s.add(order)
        s.flush()
        assert order.id is not None
        s.add(
            OrderLine(
                order_id=order.id, item_id=item_id, qty=1, unit_price_cents=1, collected_qty=2
            )
        )


def test_times_come_back_aware_and_equal(db: Database) -> None:
    moment = datetime.fromisoformat("2026-11-28T20:00:00+08:00")
    with db.transaction() as s:
        s.add(Chain(title="截止测试", deadline=moment))
    with db.session() as s:
        stored = s.exec(select(Chain)).one().deadline
    assert stored is not None and stored.tzinfo is not None
    assert stored == moment


def test_naive_times_are_refused(db: Database) -> None:
    with pytest.raises(StatementError, match="naive"), db.transaction() as s:
        s.add(Chain(title="无时区", deadline=datetime(2026, 11, 28, 20, 0)))


@pytest.mark.sqlite_only
def test_database_is_wal_with_foreign_keys_and_private(db: Database) -> None:
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert (conn.exec_driver_sql("PRAGMA busy_timeout").scalar() or 0) >= 5000
    assert db.path is not None
    assert db.path.stat().st_mode & 0o077 == 0, "only the owner may read the leader's data"
