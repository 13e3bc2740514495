"""The demo database: the 绿源生活 story as a year of data, deterministic and relative to today.

Rows are built in memory with explicit ids and written with bulk `insert()` in one transaction,
so the large scale (5,000 members, 50,000 orders) seeds in seconds.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import bindparam, insert, update

from tuan import clock
from tuan.domain.demo.builder import INSERT_ORDER, SCALES, SEED, DemoBuilder, Rows, complete_rows
from tuan.domain.demo.coupons import add_coupons
from tuan.domain.demo.growth import add_growth
from tuan.domain.demo.live import add_livestreams
from tuan.domain.demo.refunds import add_refunds
from tuan.domain.demo.reminders import add_reminders
from tuan.domain.demo.teams import add_teams
from tuan.domain.shared.sql import table_of
from tuan.models import Member, Meta


def build_demo(scale: str = "small", today: date | None = None) -> Rows:
    """All demo rows for `scale` ("small" or "large"), relative to `today`."""
    builder = DemoBuilder(SCALES[scale], today or clock.today())
    builder.partners_and_posters()
    builder.pickup_points()
    builder.people()
    builder.history()
    add_livestreams(builder)
    add_teams(builder)
    builder.finish_members()
    add_growth(builder)
    builder.tags()
    builder.points()
    builder.payments()
    add_reminders(builder)
    add_refunds(builder)

    add_coupons(builder)
    builder.rows.add(Meta, key="demo", value=f"seed={SEED} scale={builder.scale.members}")
    return builder.rows


def seed_demo(database: Any, scale: str = "small") -> dict[str, int]:
    """Write the demo story into an empty, migrated database; returns rows per table."""
    rows = build_demo(scale)
    referrers = [
        {"mid": m["id"], "ref": m.pop("referrer_id")}
        for m in rows.tables[Member]
        if m["referrer_id"]
    ]
    for member in rows.tables[Member]:
        member.setdefault("referrer_id", None)
    counts: dict[str, int] = {}
    with database.engine.execution_options(tuan_write=True).begin() as conn:
        for model in INSERT_ORDER:
            table = table_of(model)
            batch = complete_rows(model, rows.tables.get(model, []))
            for start in range(0, len(batch), 5000):
                conn.execute(insert(table), batch[start : start + 5000])
            counts[table.name] = len(batch)
        # Referrers point forward and back in the list: link them once every member exists.
        member_table = table_of(Member)
        conn.execute(
            update(member_table)
            .where(member_table.c.id == bindparam("mid"))
            .values(referrer_id=bindparam("ref")),
            referrers,
        )
        if conn.dialect.name == "postgresql":
            _advance_sequences(conn)
    return counts


def _advance_sequences(conn: Any) -> None:
    """Rows were written with explicit ids; the next new row must not collide with them."""
    for model in INSERT_ORDER:
        table = table_of(model)
        if "id" in table.c:
            conn.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
            )
