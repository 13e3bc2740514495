"""A database made by an earlier version of tuan: every migration below a version applied, and
`user_version` saying so, so an upgrade test starts where a leader's file would."""

from __future__ import annotations

from pathlib import Path

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
