"""Copies of the database made with SQLite's online backup, safe while the app is open."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from tuan.i18n import _

if TYPE_CHECKING:
    from tuan.db import Database


def backup_dir(database: Database) -> Path:
    """Backups live beside the database, in `backups/`."""
    assert database.path is not None
    return database.path.parent / "backups"


def backup_to(source: Path, destination: Path) -> Path:
    """Copy a live SQLite file to `destination` page by page; owner-only permissions."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(destination, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    os.close(fd)
    with sqlite3.connect(source) as src, sqlite3.connect(destination) as dst:
        src.backup(dst)
    return destination


def backup_file(database: Database, *, reason: str = "manual") -> Path:
    """Back up to a timestamped file in the backups folder and return its path."""
    assert database.path is not None, "backups are for SQLite files"
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    name = f"{database.path.stem}-{stamp}-{reason}.db"
    return backup_to(database.path, backup_dir(database) / name)


def restore_from(target: str, source: Path) -> Path | None:
    """Replace the database file `target` with the backup `source`.

    The database being replaced is first backed up (returned path); the backup is checked
    to be a SQLite database that passes `PRAGMA integrity_check` before anything changes.

    Raises:
        ValueError: the source is not a healthy SQLite database, or the target is not a file.
    """
    from tuan.db import sqlite_path

    path = sqlite_path(target)
    if path is None:
        raise ValueError(_("恢复只支持 SQLite 文件"))
    try:
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as check:
            result = check.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise ValueError(
            _("{path} 不是有效的数据库文件（{error}），请选择 tuan backup 做的备份").format(
                path=source, error=error
            )
        ) from error
    if result != "ok":
        raise ValueError(_("{path} 已损坏：{result}").format(path=source, result=result))
    kept = None
    if path.exists() and path.stat().st_size:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        kept = backup_to(path, path.parent / "backups" / f"{path.stem}-{stamp}-before-restore.db")
    # Copy into the live file through SQLite so open readers see a consistent database.
    with sqlite3.connect(source) as src, sqlite3.connect(path) as dst:
        src.backup(dst)
    return kept


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
