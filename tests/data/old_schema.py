"""A database made by an earlier version of tuan: every migration below a version applied, and
`user_version` saying so, so an upgrade test starts where a leader's file would; and rows as
those versions wrote them."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Connection

from tuan.db import Database, make_engine
from tuan.migrations import steps


def database_before(path: Path, version: int) -> Database:
    """An SQLite file at the schema of every step before `version` (no rows yet)."""
    old = Database(str(path), make_engine(str(path)))
    before = [s for s in steps() if s.version < version]
    with old.engine.begin() as conn:
        for step in before:
            for statement in step.statements("sqlite"):
                conn.exec_driver_sql(statement)
        conn.exec_driver_sql(f"PRAGMA user_version = {before[-1].version}")
    return old


def add_wang(conn: Connection) -> None:
    """Member 1, 王阿姨 of 3-1202, as every version since the first writes her."""
    conn.exec_driver_sql(
        "INSERT INTO member (id, nickname, name, phone, building, room, source, initials, "
        "is_koc, commission_bp, notes, joined_on) VALUES "
        "(1, '王阿姨', '', '', '3', '1202', 'offline', 'wy', 0, 0, '', '2026-11-01')"
    )


def add_oil_chain(conn: Connection) -> None:
    """Chain 1, 第1期 冷榨油团, open, selling olive oil (item 1, ¥89) and linseed oil (item 2,
    ¥69), in the columns every version since the first has."""
    conn.exec_driver_sql(
        "INSERT INTO chain (id, title, description, status, created_at) VALUES "
        "(1, '第1期 冷榨油团', '', 'open', '2026-11-20T02:00:00+00:00')"
    )
    for item_id, name, price in ((1, "冷榨橄榄油", 8900), (2, "亚麻籽油", 6900)):
        conn.exec_driver_sql(
            "INSERT INTO chainitem (id, chain_id, position, code, name, spec, price_cents, "
            f"aliases) VALUES ({item_id}, 1, {item_id}, '', '{name}', '', {price}, '')"
        )
