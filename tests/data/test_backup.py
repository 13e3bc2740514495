"""Backups: one a day on first start, the last 14 kept, restorable, owner-only."""

from __future__ import annotations

import os
import shutil
import sqlite3
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from tests.helpers import settle, until
from tuan import clock
from tuan.backup import daily_backup
from tuan.cli import app
from tuan.db import Database, open_database
from tuan.domain.partners.posters import PosterDraft, qr_image_dir, save_poster
from tuan.models import Partner
from tuan.sqlite_copy import is_database_file
from tuan.tui.app import TuanApp

pytestmark = pytest.mark.sqlite_only


def test_first_start_of_the_day_backs_up_once(db: Database) -> None:
    first = daily_backup(db)
    assert first is not None and first.exists()
    assert first.stat().st_mode & 0o077 == 0
    assert daily_backup(db) is None, "a second start the same day adds nothing"


def test_only_the_last_fourteen_daily_backups_are_kept(db: Database) -> None:
    start = clock.now()
    for day in range(20):
        clock.freeze(start + timedelta(days=day))
        daily_backup(db)
    assert db.path is not None
    kept = sorted((db.path.parent / "backups").glob("tuan-daily-*.db"))
    assert len(kept) == 14
    last = (start + timedelta(days=19)).strftime("%Y%m%d")
    assert kept[-1].name == f"tuan-daily-{last}.db"


def test_a_backup_opens_with_the_same_data(demo_db: Database) -> None:
    made = daily_backup(demo_db)
    assert made is not None
    copy = open_database(made)
    with copy.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM member").scalar() == 300
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    copy.close()


async def test_opening_the_app_makes_the_daily_backup(demo_path: Path) -> None:
    app = TuanApp(str(demo_path))
    today = datetime.fromisoformat("2026-11-26T10:00:00+08:00").strftime("%Y%m%d")
    backup = demo_path.parent / "backups" / f"demo-daily-{today}.db"
    async with app.run_test() as pilot:
        await settle(app, pilot, rounds=1)
        await until(pilot, backup.exists)  # a start-up chore, after the first frame
    assert backup.exists()


# The commands: a backup never lands on the database itself, a restore checks before it asks,
# and the posters' QR images go along.

runner = CliRunner()


def _members(path: Path) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return int(conn.execute("SELECT count(*) FROM member").fetchone()[0])


@pytest.mark.parametrize("spelling", ["same", "wal", "shm", "dotdot", "symlink", "hardlink"])
def test_backup_onto_the_database_itself_is_refused(demo_path: Path, spelling: str) -> None:
    folder = demo_path.parent
    output = {
        "same": demo_path,
        "wal": Path(f"{demo_path}-wal"),
        "shm": Path(f"{demo_path}-shm"),
        "dotdot": folder / "sub" / ".." / demo_path.name,
        "symlink": folder / "link.db",
        "hardlink": folder / "hard.db",
    }[spelling]
    if spelling == "symlink":
        output.symlink_to(demo_path)
    elif spelling == "hardlink":
        os.link(demo_path, output)
    (folder / "sub").mkdir()
    size = demo_path.stat().st_size
    result = runner.invoke(app, ["--db", str(demo_path), "backup", "-o", str(output)])
    assert result.exit_code == 2
    assert "正在使用的数据库" in result.stderr and "-o" in result.stderr
    assert demo_path.stat().st_size == size, "the database was not truncated"
    assert _members(demo_path) == 300


def test_restore_from_the_database_itself_is_refused(demo_path: Path) -> None:
    result = runner.invoke(app, ["--db", str(demo_path), "restore", str(demo_path), "--yes"])
    assert result.exit_code == 2
    assert "正在使用的数据库" in result.stderr
    assert _members(demo_path) == 300


def _damaged(path: Path) -> None:
    """Overwrite pages in the middle of a copy of the demo with zeros."""
    data = bytearray(path.read_bytes())
    page = 4096
    data[page * 20 : page * 40] = bytes(page * 20)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("kind", ["text", "other_sqlite", "damaged", "newer"])
def test_restore_checks_the_backup_before_asking(
    demo_path: Path, demo_template: Path, tmp_path: Path, kind: str
) -> None:
    bad = tmp_path / "bad.db"
    if kind == "text":
        bad.write_text("不是数据库", encoding="utf-8")
    elif kind == "other_sqlite":
        with closing(sqlite3.connect(bad)) as conn:
            conn.execute("CREATE TABLE notes (text TEXT)")
            conn.commit()
    else:
        shutil.copy(demo_template, bad)
        if kind == "damaged":
            _damaged(bad)
        else:
            with closing(sqlite3.connect(bad)) as conn:
                conn.execute("PRAGMA user_version = 999")
    before = demo_path.read_bytes()
    result = runner.invoke(app, ["--db", str(demo_path), "restore", str(bad)], input="y\n")
    assert result.exit_code == 2
    assert "不能用" in result.stderr and "恢复" in result.stderr
    assert "替换" not in result.output, "a bad file is refused before the question"
    assert demo_path.read_bytes() == before
    assert not (demo_path.parent / "backups").exists()


def test_a_sound_backup_is_restored_after_a_yes(demo_path: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    assert runner.invoke(app, ["--db", str(demo_path), "backup", "-o", str(copy)]).exit_code == 0
    target = tmp_path / "target.db"
    no = runner.invoke(app, ["--db", str(target), "restore", str(copy)], input="n\n")
    assert no.exit_code == 1 and "替换" in no.output
    yes = runner.invoke(app, ["--db", str(target), "restore", str(copy)], input="y\n")
    assert yes.exit_code == 0, yes.output
    assert _members(target) == 300


def _poster_with_image(path: Path, tmp_path: Path) -> Path:
    """A shop whose partner's poster uses the leader's own QR image; returns the kept copy."""
    image = tmp_path / "downloads" / "group-qr.png"
    image.parent.mkdir()
    Image.new("RGB", (64, 64), "white").save(image)
    database = open_database(path)
    with database.transaction() as session:
        partner = Partner(name="悦动健身", kind="gym", code="QR01")
        session.add(partner)
        session.flush()
        draft = PosterDraft(headline="扫码入群", qr_image=str(image))
        poster = save_poster(session, partner.id or 0, draft, qr_image_dir(database))
        kept = Path(poster.qr_image_path)
    database.close()
    return kept


def test_backup_and_restore_carry_the_posters_qr_images(tmp_path: Path) -> None:
    shop = tmp_path / "shop" / "shop.db"
    shop.parent.mkdir()
    kept = _poster_with_image(shop, tmp_path)
    assert kept.parent == shop.parent / "posters"
    backup = tmp_path / "usb" / "shop-backup.db"
    made = runner.invoke(app, ["--db", str(shop), "backup", "-o", str(backup)])
    assert made.exit_code == 0, made.output
    carried = tmp_path / "usb" / "shop-backup.posters" / kept.name
    assert carried.read_bytes() == kept.read_bytes()
    assert "1 张" in made.stderr and "shop-backup.posters" in made.stderr

    elsewhere = tmp_path / "new-laptop" / "tuan.db"
    elsewhere.parent.mkdir()
    restored = runner.invoke(app, ["--db", str(elsewhere), "restore", str(backup), "--yes"])
    assert restored.exit_code == 0, restored.output
    image = elsewhere.parent.resolve() / "posters" / kept.name
    assert image.read_bytes() == kept.read_bytes()
    with closing(sqlite3.connect(elsewhere)) as conn:
        stored = conn.execute("SELECT qr_image_path FROM poster").fetchone()[0]
    assert stored == str(image), "the restored poster uses the image beside its database"


def test_a_missing_qr_image_is_named_not_silently_skipped(tmp_path: Path) -> None:
    shop = tmp_path / "shop.db"
    kept = _poster_with_image(shop, tmp_path)
    kept.unlink()
    made = runner.invoke(app, ["--db", str(shop), "backup", "-o", str(tmp_path / "b.db")])
    assert made.exit_code == 0, made.output
    assert "找不到" in made.stderr and kept.name in made.stderr


def test_manual_backups_are_named_by_the_clock_and_never_overwrite(db: Database) -> None:
    assert db.path is not None
    first = runner.invoke(app, ["--db", str(db.path), "backup"])
    second = runner.invoke(app, ["--db", str(db.path), "backup"])
    assert first.exit_code == second.exit_code == 0
    names = sorted(p.name for p in (db.path.parent / "backups").glob("tuan-*-manual*.db"))
    assert names == ["tuan-20261126-100000-manual-2.db", "tuan-20261126-100000-manual.db"]


def test_is_database_file_knows_every_spelling(tmp_path: Path) -> None:
    live = tmp_path / "shop.db"
    live.touch()
    assert is_database_file(live, tmp_path / "x" / ".." / "shop.db")
    assert is_database_file(live, Path(f"{live}-journal"))
    assert not is_database_file(live, tmp_path / "shop-backup.db")
    assert not is_database_file(live, tmp_path / "shop.db.bak")
