"""Copies of the database made with SQLite's online backup, safe while the app is open."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

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
