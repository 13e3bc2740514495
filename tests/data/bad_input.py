"""The bad-input catalogue shared by the CLI and form tests, and a database fingerprint.

Each bad value stands for a kind of mistake a leader (or a script) really makes: a field left
empty, a paste that ran on, a minus sign, words where a number goes, emoji, text that looks like
SQL, a date already past, an id nobody has, a number too large for any database.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

EMPTY = ""
TOO_LONG = "长" * 5000
NEGATIVE = "-5"
NON_NUMERIC = "abc"
EMOJI = "🍎🌸"
SQL = "'; DROP TABLE member; --"
PAST_DATE = "2020-01-01"
UNKNOWN_ID = "99999"
HUGE = "99999999999999999999"

#: Words a message uses when it tells the leader what to do.
GUIDANCE = ("请", "用", "例如", "应", "要", "只能", "最多", "可选", "不能", "重新", "或", "换")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_ENGLISH_ERRORS = ("Traceback", "Error:", "Invalid value", "Usage:", "Aborted", "Exception")


def assert_clear_chinese(message: str, *fragments: str) -> None:
    """A message in Chinese that names the problem (`fragments`) and says what to do."""
    assert _CJK.search(message), f"not Chinese: {message!r}"
    for word in _ENGLISH_ERRORS:
        assert word not in message, f"{word!r} leaked into: {message!r}"
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    assert any(word in message for word in GUIDANCE), f"no advice in: {message!r}"


def fingerprint(target: str | Path) -> str:
    """A digest of every row of every table (any database), to prove nothing changed."""
    from sqlmodel import SQLModel

    import tuan.models  # noqa: F401  (registers the tables)
    from tuan.domain.dashboard.closed import KEYS
    from tuan.domain.dashboard.snapshot_key import SNAPSHOT_KEY

    caches = ", ".join(f"'{key}'" for key in (SNAPSHOT_KEY, *KEYS))
    digest = hashlib.sha256()
    with _engine(str(target)).connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            order = ", ".join(f'"{c.name}"' for c in table.primary_key.columns)
            # The dashboard's stored snapshot and closed months are a cache of what the other
            # rows say, not data.
            skip = f" WHERE key NOT IN ({caches})" if table.name == "meta" else ""
            rows = conn.exec_driver_sql(f'SELECT * FROM "{table.name}"{skip} ORDER BY {order}')
            digest.update(f"{table.name}:{[tuple(row) for row in rows]!r}".encode())
    return digest.hexdigest()


def _engine(target: str) -> Any:
    """One engine per database for the whole run (making one costs more than a digest)."""
    if target not in _ENGINES:
        from tuan.db import make_engine

        _ENGINES[target] = make_engine(target)
    return _ENGINES[target]


_ENGINES: dict[str, Any] = {}


def count_rows(target: str | Path, table: str) -> int:
    """How many rows a table holds (the member table survives SQL-looking text)."""
    with _engine(str(target)).connect() as conn:
        return int(conn.exec_driver_sql(f'SELECT COUNT(*) FROM "{table}"').scalar_one())


@contextmanager
def demo_copy(template: Path, folder: Path) -> Iterator[str]:
    """A private copy of the seeded demo (a file, or a server database) for a whole module."""
    from tests.conftest import DEMO_TEMPLATE, SERVER_URL, _drop_server_database, _server_database

    if SERVER_URL:
        name = f"tuan_b_{uuid.uuid4().hex[:12]}"
        yield _server_database(name, template=DEMO_TEMPLATE)
        _drop_server_database(name)
        return
    path = folder / "demo.db"
    shutil.copy(template, path)
    yield str(path)
