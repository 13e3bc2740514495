"""Copying a live SQLite file safely, and refusing to copy it onto itself.

Below both `tuan.backup` (the backup and restore commands) and `tuan.migrations` (which copies
the file before an upgrade), so neither needs the other.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

from tuan.i18n import _

COMPANIONS = ("", "-wal", "-shm", "-journal")


def is_database_file(database: Path, other: Path) -> bool:
    """True when `other` is the SQLite file `database` or one of its -wal/-shm/-journal files.

    Paths are compared resolved (symlinks, `..`), and existing files by identity (hard links,
    case-insensitive file systems), so no spelling of the path slips through.
    """
    other = other.expanduser()
    resolved = other.resolve()
    bases = {database.expanduser(), database.expanduser().resolve()}
    for base in bases:
        for suffix in COMPANIONS:
            companion = Path(f"{base}{suffix}")
            if resolved == companion.resolve():
                return True
            try:
                if os.path.samefile(other, companion):
                    return True
            except OSError:
                continue  # one of them does not exist
    return False


def unique_path(path: Path) -> Path:
    """`path`, or `name-2.db`, `name-3.db` … when a file of that name is already there."""
    candidate, number = path, 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.stem}-{number}{path.suffix}")
    return candidate


def stamp() -> str:
    from tuan import clock

    return clock.now().strftime("%Y%m%d-%H%M%S")


def backup_to(source: Path, destination: Path) -> Path:
    """Copy a live SQLite file to `destination` page by page; owner-only permissions.

    Raises:
        ValueError: `destination` is the database itself or one of its -wal/-shm files
            (checked before anything is opened for writing).
    """
    if is_database_file(source, destination):
        raise ValueError(same_file_message(source, destination))
    destination.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(destination, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    os.close(fd)
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(destination)) as dst:
        src.backup(dst)
    return destination


def same_file_message(database: Path, other: Path, *, restoring: bool = False) -> str:
    """Why a backup cannot be written to (or restored from) the live database's own files."""
    if restoring:
        return _(
            "{other} 就是正在使用的数据库 {db}（或它的 -wal/-shm 文件），不能用它自己来恢复，"
            "什么都没有改动。请选择 tuan backup 做的备份文件（例如 {backups} 里的）"
        ).format(other=other, db=database, backups=database.parent / "backups")
    return _(
        "{other} 就是正在使用的数据库 {db}（或它的 -wal/-shm 文件），不能把备份写在它上面，"
        "什么都没有改动。请换一个文件名，例如 -o {example}"
    ).format(other=other, db=database, example=database.with_name(f"{database.stem}-backup.db"))


def timestamped_copy(database: Path, reason: str) -> Path:
    """Copy to a timestamped file in `backups/` beside the database and return its path."""
    name = f"{database.stem}-{stamp()}-{reason}.db"
    return backup_to(database, unique_path(database.parent / "backups" / name))
