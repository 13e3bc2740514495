"""Rows dated after (or long before) the app's "now" never break a screen, a rule or a figure.

A team member's laptop clock a minute ahead on a shared database, a clock corrected backwards
or an imported row all leave orders, reminders and lives dated after the moment the app reads
at. Each test writes such rows with the clock moved, then reads everything at the real moment.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import col, select

from tests.helpers import settle
from tuan import clock
from tuan.db import Database, open_database
from tuan.domain.dashboard.metrics import compute_months, load_members, load_orders, month_labels
from tuan.domain.dashboard.overview import cached_overview, overview
from tuan.domain.live.summary import compute_summary
from tuan.domain.members.page import member_page
from tuan.domain.members.reminders import create_reminder, inbox
from tuan.domain.members.rules import run_rules
from tuan.domain.pickup.checklist import checklist
from tuan.domain.shared.orders import LineRequest, place_order
from tuan.models import Chain, ChainItem, Livestream, Member, Order, Partner
from tuan.tui.app import TuanApp

AHEAD = [timedelta(minutes=1), timedelta(days=1)]


@contextmanager
def _clock_at(moment: datetime) -> Iterator[None]:
    """Write as a laptop whose clock reads `moment` would."""
    real = clock.now()
    clock.freeze(moment)
    try:
        yield
    finally:
        clock.freeze(real)


def _open_chain(database: Database) -> tuple[int, int]:
    with database.session() as session:
        item = session.exec(
            select(ChainItem)
            .join(Chain, col(Chain.id) == col(ChainItem.chain_id))
            .where(col(Chain.status) == "open")
        ).first()
        assert item is not None and item.id is not None
        return item.chain_id, item.id


def _write_ahead(database: Database, ahead: timedelta) -> tuple[int, int, int]:
    """An order, a member and a reminder dated `ahead` of the clock; returns their ids."""
    chain_id, item_id = _open_chain(database)
    with _clock_at(clock.now() + ahead), database.transaction() as session:
        member = Member(nickname="钟快了", building="9", room="901")
        session.add(member)
        session.flush()
        assert member.id is not None
        order = place_order(session, chain_id, member.id, [LineRequest(item_id, 1)])
        create_reminder(session, due_on=clock.today(), title="明天回访", member_id=member.id)
        assert order.id is not None
        return chain_id, member.id, order.id


@pytest.mark.parametrize("ahead", AHEAD, ids=["minute", "day"])
def test_models_take_their_time_from_the_clock(db: Database, ahead: timedelta) -> None:
    moment = clock.now() + ahead
    with _clock_at(moment), db.transaction() as session:
        session.add(Member(nickname="王阿姨"))
        session.add(Partner(name="悦动健身", code="P-GYM"))
    with db.session() as session:
        member = session.exec(select(Member)).one()
        partner = session.exec(select(Partner)).one()
    assert member.joined_on == moment.date()
    assert partner.created_at == moment


@pytest.mark.parametrize("ahead", AHEAD, ids=["minute", "day"])
def test_dashboard_counts_an_order_dated_ahead_of_the_clock(
    demo_db: Database, ahead: timedelta
) -> None:
    with demo_db.session() as session:
        before = overview(session)
    _write_ahead(demo_db, ahead)
    with demo_db.session() as session:
        after = overview(session)
        shown, _document = cached_overview(session)
    assert after.members == before.members + 1
    assert after.months[-1].orders == before.months[-1].orders + 1
    assert shown == after


@pytest.mark.parametrize("ahead", AHEAD, ids=["minute", "day"])
def test_rules_and_areas_read_rows_dated_ahead(demo_db: Database, ahead: timedelta) -> None:
    chain_id, member_id, _order_id = _write_ahead(demo_db, ahead)
    with demo_db.transaction() as session:
        run_rules(session)
    with demo_db.session() as session:
        rows = checklist(session, chain_id)
        page = member_page(session, member_id)
        box = inbox(session)
        months = compute_months(
            load_orders(session), load_members(session), month_labels(clock.today(), 12),
            clock.today(),
        )  # fmt: skip
        for live in session.exec(select(Livestream)).all():
            assert live.id is not None
            compute_summary(session, live.id)
    assert any(row.nickname == "钟快了" for row in rows)
    assert len(page.orders) == 1
    # Due tomorrow (a day ahead) is upcoming, not overdue; a minute ahead is today.
    assert not any(r.title == "明天回访" for r in box.overdue)
    assert months[-1].orders > 0


def test_a_month_end_order_a_minute_ahead_lands_in_the_next_month(demo_db: Database) -> None:
    end = datetime.fromisoformat("2026-11-30T23:59:30+08:00")
    clock.freeze(end)
    with demo_db.session() as session:
        before = overview(session)
    _write_ahead(demo_db, timedelta(minutes=1))
    with demo_db.session() as session:
        after = overview(session)
        newest = session.exec(select(Order).order_by(col(Order.id).desc())).first()
    assert newest is not None and clock.local(newest.created_at).month == 12
    # November's figures do not count an order of December; nothing breaks on the way.
    assert after.months[-1].month == "2026-11"
    assert after.months[-1].orders == before.months[-1].orders
    assert after.members == before.members + 1


@pytest.mark.sqlite_only
@pytest.mark.parametrize("ahead", AHEAD, ids=["minute", "day"])
async def test_every_area_opens_with_rows_dated_ahead(demo_path: Path, ahead: timedelta) -> None:
    database = open_database(demo_path)
    _write_ahead(database, ahead)
    database.close()
    app = TuanApp(str(demo_path))
    async with app.run_test(size=(140, 40)) as pilot:
        for key in "123456":
            await pilot.press(key)
            await settle(app, pilot)
        errors = [w for w in app.workers if w.error is not None]
        assert errors == []
        await pilot.press("1")
        await settle(app, pilot, rounds=1)
    assert app.return_code in (None, 0)
