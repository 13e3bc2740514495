"""The demo story is rich enough for every screen and deterministic."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import SQLColumnExpression, func
from sqlmodel import Session, col, select
from typer.testing import CliRunner

from tuan import clock
from tuan.cli import app
from tuan.db import Database
from tuan.domain.dashboard.metrics import monthly_stats
from tuan.domain.demo.seed import build_demo
from tuan.models import Chain, Livestream, Member, Order, Partner, Poster, Reminder


def _count(s: Session, model: type, *where: SQLColumnExpression[bool] | bool) -> int:
    return int(s.exec(select(func.count()).select_from(model).where(*where)).one())


def test_partners_members_and_kocs(demo_db: Database) -> None:
    with demo_db.session() as s:
        assert _count(s, Partner) == 5
        assert _count(s, Poster) == 5
        assert _count(s, Member) >= 150
        assert len(set(s.exec(select(Member.building)).all())) >= 6
        assert _count(s, Member, col(Member.is_koc)) >= 3
        xiaoli = s.exec(select(Member).where(Member.nickname == "小李")).one()
        assert xiaoli.is_koc
        assert _count(s, Member, Member.referrer_id == xiaoli.id) == 12
        for source in ("partner", "referral", "offline", "live"):
            assert _count(s, Member, Member.source == source) > 0


def test_a_year_of_chains_with_one_open_and_one_waiting_for_pickup(demo_db: Database) -> None:
    today = clock.today()
    with demo_db.session() as s:
        assert _count(s, Chain, Chain.status == "open") == 1
        waiting = s.exec(select(Chain).where(Chain.status == "closed")).one()
        assert waiting.pickup_start is not None
        assert clock.local(waiting.pickup_start).date() == today
        months = monthly_stats(s, 12)
    assert all(m.orders > 0 for m in months), "every one of the last 12 months has orders"
    assert months[1].repurchase_rate < months[-1].repurchase_rate, "repurchase grows"
    assert months[-1].repurchase_rate > 0.8


def test_the_pickup_of_the_day_has_money_to_give_back(demo_db: Database) -> None:
    """One member paid the full price before her 拼团 formed: ¥10 back, at pickup."""
    from tuan.domain.pickup.checklist import checklist, progress

    with demo_db.session() as s:
        waiting = s.exec(select(Chain).where(Chain.status == "closed")).one()
        rows = checklist(s, waiting.id or 0)
    sums = progress(rows)
    assert (sums.overpaid, sums.overpaid_cents) == (1, 1000)
    (row,) = [r for r in rows if r.overpaid_cents]
    assert "大米" in " ".join(line.name for line in row.lines)


def test_the_livestream_series(demo_db: Database) -> None:
    with demo_db.session() as s:
        lives = s.exec(select(Livestream).order_by(col(Livestream.episode))).all()
        assert [lv.status for lv in lives] == ["ended", "ended", "planned"]
        assert lives[2].theme == "食用油的选择"
        assert all(lv.series == "厨房里的健康密码" for lv in lives)
        for past in lives[:2]:
            summary = json.loads(past.summary_json)
            assert summary["buyers"] > 0 and summary["gifts_given"] > 0
            assert _count(s, Order, Order.livestream_id == past.id) == summary["orders"]


def test_reminders_overdue_today_and_upcoming(demo_db: Database) -> None:
    today = clock.today()
    with demo_db.session() as s:
        assert _count(s, Reminder, Reminder.due_on < today) > 0
        assert _count(s, Reminder, Reminder.due_on == today) > 0
        assert _count(s, Reminder, Reminder.due_on > today) > 0


def test_demo_is_deterministic() -> None:
    day = date(2026, 11, 26)
    first, second = build_demo(today=day), build_demo(today=day)
    assert {k: v for k, v in first.tables.items()} == {k: v for k, v in second.tables.items()}


# `tuan demo` never deletes a file that is not a demo database.

runner = CliRunner()


def _members_and_orders(path: Path) -> tuple[int, int]:
    with closing(sqlite3.connect(path)) as conn:
        members = conn.execute("SELECT count(*) FROM member").fetchone()[0]
        orders = conn.execute("SELECT count(*) FROM orders").fetchone()[0]
    return members, orders


def _as_a_real_shop(path: Path) -> Path:
    """The demo file without its demo mark: to `tuan demo` it is a leader's real shop."""
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("DELETE FROM meta WHERE key = 'demo'")
        conn.commit()
    return path


@pytest.mark.sqlite_only
def test_seeding_marks_the_file_as_a_demo(tmp_path: Path) -> None:
    path = tmp_path / "d.db"
    assert runner.invoke(app, ["--db", str(path), "demo", "--no-tui"]).exit_code == 0
    with closing(sqlite3.connect(path)) as conn:
        keys = {row[0] for row in conn.execute("SELECT key FROM meta")}
    assert "demo" in keys


@pytest.mark.sqlite_only
def test_demo_refuses_to_overwrite_a_real_shop(demo_path: Path) -> None:
    shop = _as_a_real_shop(demo_path.rename(demo_path.with_name("shop.db")))
    before, (members, orders) = shop.read_bytes(), _members_and_orders(shop)
    result = runner.invoke(app, ["--db", str(shop), "demo", "--no-tui"])
    assert result.exit_code == 2
    assert "不是演示数据库" in result.stderr
    assert f"{members} 位团员" in result.stderr and f"{orders} 个订单" in result.stderr
    assert str(shop) in result.stderr and "--db" in result.stderr
    assert shop.read_bytes() == before, "the shop's file is untouched"
    assert _members_and_orders(shop) == (members, orders)


@pytest.mark.sqlite_only
@pytest.mark.parametrize("kind", ["text", "sqlite", "folder"])
def test_demo_refuses_a_file_that_is_not_a_tuan_database(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "notes.db"
    if kind == "text":
        path.write_text("买菜清单", encoding="utf-8")
    elif kind == "sqlite":
        with closing(sqlite3.connect(path)) as conn:
            conn.execute("CREATE TABLE accounts (name TEXT)")
            conn.execute("INSERT INTO accounts VALUES ('王阿姨')")
            conn.commit()
    else:
        path.mkdir()
    before = path.read_bytes() if path.is_file() else None
    result = runner.invoke(app, ["--db", str(path), "demo", "--no-tui"])
    assert result.exit_code == 2
    assert "不是演示数据库" in result.stderr
    assert (path.read_bytes() if path.is_file() else None) == before
    assert path.exists()


@pytest.mark.sqlite_only
def test_demo_recreates_a_demo_database_without_asking(
    demo_path: Path, demo_template: Path
) -> None:
    with closing(sqlite3.connect(demo_path)) as conn:
        conn.execute("DELETE FROM orders WHERE id > 10")
        conn.commit()
    result = runner.invoke(app, ["--db", str(demo_path), "demo", "--no-tui"])
    assert result.exit_code == 0, result.output
    assert _members_and_orders(demo_path) == _members_and_orders(demo_template)


@pytest.mark.sqlite_only
def test_the_default_demo_file_is_recreated_even_without_the_mark(
    demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Demo files from before the mark live at the default demo path; that one may go."""
    folder = tmp_path / "data"
    folder.mkdir()
    old_demo = _as_a_real_shop(demo_path.rename(folder / "demo.db"))
    monkeypatch.setattr("tuan.db.default_db_path", lambda: folder / "tuan.db")
    result = runner.invoke(app, ["demo", "--no-tui"])
    assert result.exit_code == 0, result.output
    with closing(sqlite3.connect(old_demo)) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key = 'demo'").fetchone() is not None


@pytest.mark.sqlite_only
def test_an_empty_file_may_become_the_demo(tmp_path: Path, demo_template: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    result = runner.invoke(app, ["--db", str(path), "demo", "--no-tui"])
    assert result.exit_code == 0, result.output
    assert _members_and_orders(path) == _members_and_orders(demo_template)


def test_demo_refuses_a_folder_that_does_not_exist(tmp_path: Path) -> None:
    path = tmp_path / "no" / "such" / "demo.db"
    result = runner.invoke(app, ["--db", str(path), "demo", "--no-tui"])
    assert result.exit_code == 2
    assert "不存在" in result.stderr
    assert not (tmp_path / "no").exists()
