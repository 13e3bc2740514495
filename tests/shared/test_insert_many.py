"""Bulk inserts store exactly what SQLAlchemy's own executemany stores (dates, times, flags)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, insert, text

from tuan.db import Database
from tuan.domain.shared.sql import insert_many, table_of
from tuan.models import Chain, Member, Order

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _member(n: int) -> dict[str, object]:
    return {
        "nickname": f"王阿姨{n}", "name": "", "building": str(n), "room": "1202", "phone": "",
        "initials": "way", "source": "offline", "partner_id": None, "referrer_id": None,
        "is_koc": n % 2 == 0, "commission_bp": n, "joined_on": date(2026, 11, n), "notes": "",
    }  # fmt: skip


def _order(n: int, chain_id: int, member_id: int) -> dict[str, object]:
    moment = datetime(2026, 11, 26, 10, n, 5, tzinfo=SHANGHAI)
    return {
        "chain_id": chain_id, "seq": n, "member_id": member_id, "status": "active",
        "paid": n == 2, "note": "不要葱" if n == 1 else "", "leader_note": "", "raw": f"{n}. 王",
        "channel": "import", "livestream_id": None, "created_at": moment,
        "updated_at": moment.astimezone(UTC), "group_name": "二群" if n == 2 else "",
        "group_seq": n if n == 2 else None,
    }  # fmt: skip


def _stored(connection: Connection, sql: str) -> list[tuple[object, ...]]:
    """Rows as the database holds them (a text query: no type conversion on the way out)."""
    return [tuple(row) for row in connection.execute(text(sql))]


def test_rows_are_stored_as_sqlalchemy_stores_them(db: Database) -> None:
    members, orders = table_of(Member), table_of(Order)
    with db.transaction() as session:
        ours, theirs = Chain(title="冷榨油"), Chain(title="冷榨油")
        session.add_all([ours, theirs])
        session.flush()
        connection = session.connection()
        insert_many(connection, members, [_member(n) for n in (1, 2, 3)])
        connection.execute(insert(members), [_member(n) for n in (1, 2, 3)])
        insert_many(connection, orders, [_order(n, ours.id or 0, 1) for n in (1, 2, 3)])
        connection.execute(insert(orders), [_order(n, theirs.id or 0, 1) for n in (1, 2, 3)])
    columns = ", ".join(column.key for column in members.columns if column.key != "id")
    with db.session() as session:
        written = _stored(session.connection(), f"SELECT {columns} FROM member ORDER BY id")
        assert written[:3] == written[3:]
        assert written[1][-2:] != written[0][-2:]  # a date each: the rows are told apart
        columns = ", ".join(c.key for c in orders.columns if c.key not in ("id", "chain_id"))
        by_chain = [
            _stored(session.connection(), f"SELECT {columns} FROM orders WHERE chain_id = {c}"
                    " ORDER BY seq")
            for c in (ours.id, theirs.id)
        ]  # fmt: skip
    assert by_chain[0] == by_chain[1]
    assert len(by_chain[0]) == 3
