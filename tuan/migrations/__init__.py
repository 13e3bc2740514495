"""Versioned schema changes, applied in order so a leader's data survives every upgrade.

Each step is a file `NNNN_name.sql` beside this module, written for SQLite and run on every
database, plus optionally `NNNN_name.<dialect>.sql` run after it on that database only (what the
two say differently, such as a trigger's body); `PRAGMA user_version` (or the `meta` table on
other databases) records the last step applied. An existing database is backed up
before any step runs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine


class Database(Protocol):
    """What an upgrade needs of `tuan.db.Database` (a protocol: the database opener calls in
    here, so this module must not import it)."""

    @property
    def engine(self) -> Engine: ...

    @property
    def path(self) -> Path | None: ...


@dataclass(frozen=True)
class Step:
    """One migration file."""

    version: int
    name: str
    sql: str
    only: Mapping[str, str] = field(default_factory=dict)  # dialect name: SQL for it alone

    def statements(self, dialect: str) -> list[str]:
        """What this step runs on a database of `dialect`, in order."""
        found = _statements(self.sql, dialect)
        if dialect in self.only:
            found += _statements(self.only[dialect])
        return found


def steps() -> list[Step]:
    """Every migration shipped with tuan, oldest first."""
    common: dict[str, str] = {}
    only: dict[str, dict[str, str]] = {}
    for entry in resources.files(__package__).iterdir():
        stem, _, ext = entry.name.partition(".")
        if not ext.endswith("sql") or not stem[:4].isdigit():
            continue
        text = entry.read_text(encoding="utf-8")
        if ext == "sql":
            common[stem] = text
        else:  # `<dialect>.sql`
            only.setdefault(stem, {})[ext.removesuffix(".sql")] = text
    found = [Step(int(stem[:4]), stem[5:], sql, only.get(stem, {})) for stem, sql in common.items()]
    return sorted(found, key=lambda s: s.version)


def latest_version() -> int:
    """The schema version this code expects."""
    return steps()[-1].version


def current_version(conn: Connection) -> int:
    """The version a database is at (0 for an empty one)."""
    from sqlalchemy import text

    if conn.dialect.name == "sqlite":
        return int(conn.execute(text("PRAGMA user_version")).scalar_one())
    has_meta = conn.dialect.has_table(conn, "meta")
    if not has_meta:
        return 0
    value = conn.execute(text("SELECT value FROM meta WHERE key = 'schema_version'")).scalar()
    return int(value or 0)


def _set_version(conn: Connection, version: int) -> None:
    from sqlalchemy import text

    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"PRAGMA user_version = {int(version)}")
        return
    updated = conn.execute(
        text("UPDATE meta SET value = :v WHERE key = 'schema_version'"), {"v": str(version)}
    )
    if updated.rowcount == 0:
        conn.execute(
            text("INSERT INTO meta (key, value) VALUES ('schema_version', :v)"), {"v": str(version)}
        )


def _statements(sql: str, dialect: str = "sqlite") -> list[str]:
    lines = [line for line in sql.splitlines() if not line.lstrip().startswith("--")]
    statements: list[str] = []
    pending = ""
    for piece in "\n".join(lines).split(";"):
        pending = f"{pending};{piece}" if pending else piece
        if _unfinished(pending):
            continue
        if pending.strip():
            statements.append(pending.strip())
        pending = ""
    if pending.strip():
        statements.append(pending.strip())
    if dialect == "postgresql":
        statements = [_for_postgresql(s) for s in statements]
    return statements


def _unfinished(statement: str) -> bool:
    """Whether a `;` just read is inside the statement: in a PostgreSQL body quoted by `$$`, or
    between a SQLite trigger's BEGIN and END."""
    if statement.count("$$") % 2:
        return True
    if "$$" in statement:
        return False
    return bool(re.search(r"\bBEGIN\b", statement, re.IGNORECASE)) and not re.search(
        r"\bEND\s*$", statement, re.IGNORECASE
    )


def _for_postgresql(statement: str) -> str:
    """Migrations are written for SQLite; PostgreSQL needs its own integer keys."""
    if statement.upper().startswith("CREATE TABLE"):
        # SQLite's INTEGER PRIMARY KEY numbers rows by itself; PostgreSQL needs an identity.
        return re.sub(
            r"^(\s*)id INTEGER NOT NULL,",
            r"\1id SERIAL NOT NULL,",
            statement,
            count=1,
            flags=re.MULTILINE,
        )
    return statement


def pending(database: Database) -> list[Step]:
    """Steps not yet applied to this database."""
    with database.engine.connect() as conn:
        version = current_version(conn)
    return [s for s in steps() if s.version > version]


def upgrade(database: Database, *, backup: bool = True) -> list[Step]:
    """Apply pending steps, each in its own transaction. Returns what was applied."""
    todo = pending(database)
    if not todo:
        return []
    from_version = todo[0].version - 1
    if backup and from_version > 0 and database.path is not None:
        from tuan.sqlite_copy import timestamped_copy

        timestamped_copy(database.path, reason=f"before-upgrade-v{from_version}")
    for step in todo:
        with database.engine.execution_options(tuan_write=True).begin() as conn:
            for statement in step.statements(conn.dialect.name):
                conn.exec_driver_sql(statement)
            _set_version(conn, step.version)
    return todo
