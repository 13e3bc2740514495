"""Opening the leader's database: where it lives, how SQLite is tuned, sessions.

One SQLite file, opened with WAL, foreign keys on and a busy timeout, so that the app and a script
can write at the same time without "database is locked" reaching the leader.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

ENV_VAR = "TUAN_DB"
BUSY_TIMEOUT_MS = 10_000


# The write generation: bumped by every commit of tuan's that changed rows, so a cache (the
# dashboard snapshot) and a second process (ChangeWatch) can tell the data moved. Both
# statements read the same through sqlite3 or SQLAlchemy's driver connection.
GENERATION_KEY = "generation"
READ_GENERATION = "SELECT value FROM meta WHERE key = 'generation'"
BUMP_GENERATION = (
    "INSERT INTO meta (key, value) VALUES ('generation', '1') ON CONFLICT (key) "
    "DO UPDATE SET value = CAST(CAST(meta.value AS INTEGER) + 1 AS TEXT)"
)


def default_db_path() -> Path:
    """The database in the platform's user data folder (e.g. ~/.local/share/tuan/tuan.db)."""
    from platformdirs import user_data_path

    return user_data_path("tuan", appauthor=False) / "tuan.db"


def demo_db_path() -> Path:
    """The demo's own file, so `tuan demo` never touches the leader's real data."""
    return default_db_path().with_name("demo.db")


def resolve_target(db: str | os.PathLike[str] | None) -> str:
    """Pick the database: the explicit argument, else $TUAN_DB, else the default file."""
    chosen = db if db not in (None, "") else os.environ.get(ENV_VAR) or None
    return str(chosen) if chosen is not None else str(default_db_path())


def is_url(target: str) -> bool:
    """True for a SQLAlchemy URL (postgresql://…), False for a file path."""
    return "://" in target


def sqlite_path(target: str) -> Path | None:
    """The file behind a target, or None when the target is not a SQLite file."""
    if not is_url(target):
        return Path(target).expanduser()
    if target.startswith("sqlite:///"):
        return Path(target.removeprefix("sqlite:///"))
    return None


def missing_folder(target: str) -> Path | None:
    """The folder a chosen database file needs but that does not exist, else None.

    tuan creates its own data folder (where `tuan.db` and `demo.db` live); any other folder
    must already be there, so a mistyped `--db` or `TUAN_DB` never quietly makes folders and
    an empty database.
    """
    path = sqlite_path(target)
    if path is None:
        return None
    folder = path.parent
    if folder.is_dir() or folder.resolve() == default_db_path().parent.resolve():
        return None
    return folder


def folder_problem(target: str) -> str | None:
    """The message for a chosen database file whose folder does not exist (see missing_folder)."""
    folder = missing_folder(target)
    if folder is None:
        return None
    from tuan.i18n import _

    return _(
        "文件夹 {folder} 不存在，数据库 {path} 没法放在那里（tuan 不会自己新建它）。"
        "请先建好这个文件夹，或者用 --db（或 TUAN_DB）换一个路径"
    ).format(folder=folder, path=sqlite_path(target))


def _create_private_file(path: Path) -> None:
    """Create the database file readable by its owner only, before SQLite opens it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)


def _on_sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event open transactions, so DDL and writes are truly atomic.
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class DriverMissing(RuntimeError):
    """A server URL whose database driver is not installed (an optional extra)."""

    def __init__(self, module: str) -> None:
        from tuan.i18n import _

        super().__init__(
            _(
                "连接这个数据库需要驱动 {module}，它没有安装。PostgreSQL："
                "uv sync --extra postgres（或 pip install 'tuan[postgres]'）"
            ).format(module=module)
        )


def driver_problem(target: str) -> str | None:
    """Why a server URL cannot be opened here (its driver is missing), or None."""
    if sqlite_path(target) is not None:
        return None
    from sqlalchemy.engine import make_url

    try:
        make_url(target).get_dialect().import_dbapi()
    except ModuleNotFoundError as missing:
        return str(DriverMissing(missing.name or ""))
    except Exception:
        return None  # a malformed URL: the opener's own message says what is wrong
    return None


def make_engine(target: str) -> Engine:
    """An engine for a file path or SQLAlchemy URL, with SQLite tuned for safety."""
    from sqlalchemy import create_engine, event

    path = sqlite_path(target)
    if path is None:
        try:
            engine = create_engine(target, pool_pre_ping=True)
        except ModuleNotFoundError as missing:
            raise DriverMissing(missing.name or "") from missing
        event.listen(engine, "begin", _on_begin)
        event.listen(engine, "after_cursor_execute", _note_write)
        return engine
    _create_private_file(path)
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
    )
    event.listen(engine, "connect", _on_sqlite_connect)
    event.listen(engine, "begin", _on_sqlite_begin)
    event.listen(engine, "after_cursor_execute", _note_write)
    return engine


_WRITES = ("INSERT", "UPDATE", "DELETE")


def _on_begin(conn: Any) -> None:
    conn.info["wrote"] = False


def _note_write(conn: Any, cursor: Any, statement: str, *_args: Any) -> None:
    # Whether a transaction changed rows: the app's areas and the dashboard snapshot only go
    # stale on real changes, not on a rules run that found nothing new.
    if not conn.info.get("wrote") and statement.lstrip()[:6].upper() in _WRITES:
        conn.info["wrote"] = cursor.rowcount != 0


def _on_sqlite_begin(conn: Any) -> None:
    # A writer takes the lock up front and waits its turn (busy timeout) instead of failing
    # later when a read transaction tries to turn into a write.
    immediate = conn.get_execution_options().get("tuan_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
    _on_begin(conn)


@dataclass
class Database:
    """An open, migrated database."""

    target: str
    engine: Engine
    # The write generation (meta 'generation') after this process's last write, and whether a
    # write of ours found that someone else had written since (see ChangeWatch).
    own_generation: int | None = None
    foreign_write: bool = False

    @property
    def path(self) -> Path | None:
        """The SQLite file, or None for a server database."""
        return sqlite_path(self.target)

    @property
    def label(self) -> str:
        """A short name for the header: the file name, or the URL without password."""
        if self.path is not None:
            return str(self.path)
        return self.engine.url.render_as_string(hide_password=True)

    def session(self) -> Session:
        """A new session; objects stay readable after commit."""
        from sqlmodel import Session

        return Session(self.engine, expire_on_commit=False)

    @contextmanager
    def transaction(self, *, optimistic: bool = False) -> Iterator[Session]:
        """A writing session whose work commits together or not at all.

        On SQLite it takes the write lock as it begins and waits its turn for it. `optimistic`:
        it reads without the lock, and its first write takes it; that write fails at once
        (`is_write_conflict`) when another connection holds the lock or has committed since
        this transaction began, and the caller runs it again. For long readers that seldom
        write (the rules on start): the leader's own writes never wait for them.
        """
        from sqlmodel import Session

        writer = self.engine if optimistic else self.engine.execution_options(tuan_write=True)
        with Session(writer, expire_on_commit=False) as session:
            try:
                yield session
                if self.path is not None and session.in_transaction():
                    self._count_generation(session)
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def _count_generation(self, session: Session) -> None:
        """Bump the write generation when this transaction changed rows.

        The generation keys the dashboard's snapshot and tells the app's ChangeWatch which
        writes were not its own, even when ours and another process's fall close together.
        """
        session.flush()
        conn = session.connection()
        if not conn.info.get("wrote"):
            return
        row = conn.exec_driver_sql(READ_GENERATION).fetchone()
        before = int(row[0]) if row else 0
        conn.exec_driver_sql(BUMP_GENERATION)
        if self.own_generation is not None and before != self.own_generation:
            self.foreign_write = True
        self.own_generation = before + 1

    def close(self) -> None:
        """Release every connection."""
        self.engine.dispose()


def is_write_conflict(error: BaseException) -> bool:
    """Whether `error` is an optimistic transaction's write refused by SQLite (the lock taken,
    or a commit since it began: `SQLITE_BUSY`, `SQLITE_BUSY_SNAPSHOT`)."""
    original = getattr(error, "orig", error)
    name = getattr(original, "sqlite_errorname", "")
    return isinstance(name, str) and name.startswith("SQLITE_BUSY")


def open_database(db: str | os.PathLike[str] | None = None, *, migrate: bool = True) -> Database:
    """Open (creating if needed) and upgrade the leader's database.

    Args:
        db: a file path or SQLAlchemy URL; None means $TUAN_DB or the default file.
        migrate: apply pending schema migrations (after a backup of an existing file).
    """
    from tuan.migrations import upgrade

    target = resolve_target(db)
    database = Database(target, make_engine(target))
    if migrate:
        upgrade(database)
    return database


class ChangeWatch:
    """Notices commits that another process (a script, a second window) made to a SQLite file.

    SQLite's `PRAGMA data_version` changes when any other connection commits; commits made
    through this process's own engine are told apart by counting them.
    """

    def __init__(self, database: Database) -> None:
        import sqlite3
        import threading

        from sqlalchemy import event

        assert database.path is not None, "change watching is for SQLite files"
        self._database = database
        self._conn: sqlite3.Connection | None = sqlite3.connect(
            database.path, check_same_thread=False
        )
        # A worker may be polling while the app closes: sqlite3 crashes the process when a
        # connection is closed under a running statement, so use and close take turns.
        self._lock = threading.Lock()
        self._last = self._version()
        if database.own_generation is None:
            database.own_generation = self._generation()
        self._own_commits = 0
        event.listen(database.engine, "commit", self._on_own_commit)

    def _on_own_commit(self, _conn: Any) -> None:
        self._own_commits += 1

    def _version(self) -> int:
        assert self._conn is not None
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def _generation(self) -> int:
        assert self._conn is not None
        row = self._conn.execute(READ_GENERATION).fetchone()
        return int(row[0]) if row else 0

    def changed_elsewhere(self) -> bool:
        """True when someone else committed since the last call.

        tuan's own writers (the app, a script) bump the write generation, so their writes are
        told apart from ours even when both fall between two calls; for other tools, any
        commit while we committed nothing counts.
        """
        with self._lock:
            if self._conn is None:
                return False
            version = self._version()
            own, self._own_commits = self._own_commits, 0
            generation = self._generation()
        database = self._database
        foreign = database.foreign_write or generation != database.own_generation
        database.foreign_write, database.own_generation = False, generation
        if version == self._last:
            return False
        self._last = version
        return foreign or own == 0

    def close(self) -> None:
        """Release the watching connection (a poll after this reports no change)."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
