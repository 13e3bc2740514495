"""Copies of the database made with SQLite's online backup, safe while the app is open.

A backup made with `tuan backup` also carries the partners' QR images: the poster rows point
at copies kept in a `posters` folder beside the database, so the backup `X.db` gets them in
`X.posters/` and `restore` puts them back beside the database it restores. The automatic
copies (daily, before an upgrade, before a restore) hold the database only: tuan never deletes
a kept QR image, so those stay in `posters/`.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tuan.i18n import _
from tuan.sqlite_copy import (
    backup_to,
    is_database_file,
    same_file_message,
    stamp,
    timestamped_copy,
    unique_path,
)

if TYPE_CHECKING:
    from tuan.db import Database

TUAN_TABLES = ("meta", "member", "chain", "orders", "poster")


def backup_dir(database: Database) -> Path:
    """Backups live beside the database, in `backups/`."""
    assert database.path is not None
    return database.path.parent / "backups"


def backup_file(database: Database, *, reason: str = "manual") -> Path:
    """Back up to a timestamped file in the backups folder and return its path."""
    assert database.path is not None, "backups are for SQLite files"
    return timestamped_copy(database.path, reason)


@dataclass
class DatabaseFile:
    """What a file holds, read without changing it (see `inspect_file`)."""

    path: Path
    problem: str | None = None  # why it is not a sound tuan database; None when it is
    empty: bool = False  # a SQLite file with no tables at all (nothing to lose)
    version: int = 0
    meta_keys: set[str] = field(default_factory=set)
    members: int = 0
    orders: int = 0


def _look_inside(path: Path) -> sqlite3.Connection:
    """A connection that never creates the file and never writes to it.

    Not `mode=ro`: a read-only connection to a WAL file leaves empty -wal/-shm files behind.
    """
    conn = sqlite3.connect(f"{path.expanduser().resolve().as_uri()}?mode=rw", uri=True)
    conn.execute("PRAGMA query_only = ON")
    return conn


def inspect_file(path: Path, *, integrity: bool = False) -> DatabaseFile:
    """Look inside `path` read-only: is it a healthy tuan database, and what does it hold."""
    from tuan.migrations import latest_version

    facts = DatabaseFile(path)
    if path.is_dir():
        facts.problem = _("这是一个文件夹，不是文件")
        return facts
    try:
        with closing(_look_inside(path)) as conn:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
            if integrity:
                result = conn.execute("PRAGMA integrity_check").fetchone()[0]
                if result != "ok":
                    facts.problem = _("它已损坏（完整性检查：{result}）").format(result=result)
                    return facts
            facts.version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            if not tables:
                facts.empty = True
                facts.problem = _("它是空的，里面没有任何数据表")
                return facts
            if any(name not in tables for name in TUAN_TABLES) or facts.version < 1:
                facts.problem = _("它不是 tuan 的数据库，里面没有 tuan 的数据表")
                return facts
            if facts.version > latest_version():
                facts.problem = _(
                    "它由更新版本的 tuan 生成（结构 v{found}，本程序支持到 v{latest}），"
                    "请先升级 tuan"
                ).format(found=facts.version, latest=latest_version())
                return facts
            facts.meta_keys = {row[0] for row in conn.execute("SELECT key FROM meta")}
            facts.members = conn.execute("SELECT count(*) FROM member").fetchone()[0]
            facts.orders = conn.execute("SELECT count(*) FROM orders").fetchone()[0]
    except sqlite3.DatabaseError as error:
        if "not a database" in str(error):
            facts.problem = _("它不是有效的数据库文件")
        else:
            facts.problem = _("打不开它（{error}）").format(error=error)
    return facts


def check_restore(target: str, source: Path) -> Path:
    """The file `restore` would replace, once `source` is known to be a sound tuan backup.

    Nothing is written. Raises ValueError (with the leader's message) when the target is not a
    SQLite file, the source is the live database itself, or the source is not a healthy tuan
    database.
    """
    from tuan.db import sqlite_path

    path = sqlite_path(target)
    if path is None:
        raise ValueError(_("恢复只支持 SQLite 文件"))
    if is_database_file(path, source):
        raise ValueError(same_file_message(path, source, restoring=True))
    facts = inspect_file(source, integrity=True)
    if facts.problem is not None:
        raise ValueError(
            _("不能用 {path} 恢复：{problem}。数据库没有改动，请选择 tuan backup 做的备份").format(
                path=source, problem=facts.problem
            )
        )
    return path


def restore_from(target: str, source: Path) -> Path | None:
    """Replace the database file `target` with the backup `source`.

    The backup is checked (`check_restore`) before anything changes, and the database being
    replaced is first backed up (returned path). QR images kept with the backup are put back
    beside the database (`restore_posters`).

    Raises:
        ValueError: the source is not a healthy tuan backup, or the target is not a file.
    """
    path = check_restore(target, source)
    kept = None
    if path.exists() and path.stat().st_size:
        name = f"{path.stem}-{stamp()}-before-restore.db"
        kept = backup_to(path, unique_path(path.parent / "backups" / name))
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))  # owner-only, as open_database
    # Copy into the live file through SQLite so open readers see a consistent database.
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(path)) as dst:
        src.backup(dst)
    return kept


def posters_folder(backup: Path) -> Path:
    """Where the backup `X.db` keeps its QR images: `X.posters/` beside it."""
    stem = backup.stem if backup.suffix != ".posters" else backup.name
    return backup.with_name(f"{stem}.posters")


def live_posters_folder(database: Path) -> Path:
    """The `posters` folder beside a database file (as `partners.posters.qr_image_dir`)."""
    return database.expanduser().resolve().parent / "posters"


def _poster_images(conn: sqlite3.Connection) -> list[str]:
    try:
        rows = conn.execute(
            "SELECT DISTINCT qr_image_path FROM poster WHERE qr_image_path <> ''"
        ).fetchall()
    except sqlite3.OperationalError:
        return []  # not a tuan database: no posters
    return [row[0] for row in rows]


@dataclass
class PosterCopy:
    """The QR images a backup carries, and the ones it could not find."""

    folder: Path
    copied: int = 0
    missing: list[str] = field(default_factory=list)


def backup_posters(database: Path, backup: Path) -> PosterCopy:
    """Copy the QR images the backup's posters use into `X.posters/` beside the backup `X.db`."""
    report = PosterCopy(posters_folder(backup))
    with closing(_look_inside(backup)) as conn:
        images = _poster_images(conn)
    for stored in images:
        image = Path(stored).expanduser()
        if not image.is_absolute():
            image = database.parent / image
        if not image.is_file():
            report.missing.append(stored)
            continue
        report.folder.mkdir(mode=0o700, exist_ok=True)
        copy = report.folder / image.name
        shutil.copyfile(image, copy)
        copy.chmod(0o600)
        report.copied += 1
    return report


def restore_posters(source: Path, target: Path) -> int:
    """Put the QR images kept with the backup `source` into the `posters` folder beside `target`.

    Existing images are never overwritten (their names carry a hash of their content), and the
    restored posters are pointed at the copies beside their database. Returns how many images
    the backup carried.
    """
    kept = posters_folder(source)
    images = sorted(p for p in kept.iterdir() if p.is_file()) if kept.is_dir() else []
    if not images:
        return 0
    folder = live_posters_folder(target)
    folder.mkdir(parents=True, exist_ok=True)
    for image in images:
        copy = folder / image.name
        if not copy.exists():
            shutil.copyfile(image, copy)
            copy.chmod(0o600)
    with closing(sqlite3.connect(target)) as conn:
        for stored in _poster_images(conn):
            here = folder / Path(stored).name
            if here.is_file() and str(here) != stored:
                conn.execute(
                    "UPDATE poster SET qr_image_path = ? WHERE qr_image_path = ?",
                    (str(here), stored),
                )
        conn.commit()
    return len(images)


DAILY_KEEP = 14


def daily_backup(database: Database, keep: int = DAILY_KEEP) -> Path | None:
    """On the first start of each day, back up and keep only the newest `keep` daily copies.

    Returns the new backup, or None when today's already exists (or the database is not a file).
    """
    from tuan import clock

    if database.path is None or not database.path.exists():
        return None
    folder = backup_dir(database)
    stem = f"{database.path.stem}-daily-"
    today = f"{stem}{clock.today():%Y%m%d}.db"
    if (folder / today).exists():
        return None
    made = backup_to(database.path, folder / today)
    dailies = sorted(folder.glob(f"{stem}*.db"))
    for old in dailies[:-keep]:
        old.unlink(missing_ok=True)
    return made
