"""A made-up order taken and rolled back as live mode opens: the first real order is then quick.

A process compiles each statement's SQL, builds the item names' patterns and the members'
search index, and imports pypinyin (for the items' initials), the first time it uses them. On
the large demo the first line typed in a live took about 20 ms of work (plus 10-20 ms of
importing the entry's modules) and the next ones 7 ms: in a real terminal the first order's
answer came 40-150 ms after Enter, the next ones ~27 ms. Done while the leader is looking at
the screen, that first time costs them nothing.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tuan.db import Database

log = logging.getLogger(__name__)


def rehearse_order(db: Database, live_id: int) -> None:
    """Take one order line for the live on air, as `enter_line` does, then roll it all back.

    The line names an existing member and the chain's first item; nothing is kept (no order,
    no stock moved, no write counted). A line that cannot be taken (no members, no items, the
    live not on air) still warms what it went through; nothing is raised for it.
    """
    from sqlmodel import Session, col, select

    from tuan.domain.live.entry import take_order
    from tuan.domain.shared.errors import DomainError
    from tuan.domain.shared.people import pinyin_initials
    from tuan.domain.shared.states import LiveStatus
    from tuan.models import ChainItem, Livestream, Member

    # A writer's session (SQLite: BEGIN IMMEDIATE, waiting its turn), never committed: begun
    # as a reader, its first write failed at once ("database is locked") whenever another
    # writer (the start-up rules) had committed since its first read.
    with Session(db.engine.execution_options(tuan_write=True)) as session:
        try:
            live = session.get(Livestream, live_id)
            if live is None or live.status != LiveStatus.LIVE or live.chain_id is None:
                return
            member = session.exec(select(Member).order_by(col(Member.id)).limit(1)).first()
            item = session.exec(
                select(ChainItem)
                .where(col(ChainItem.chain_id) == live.chain_id)
                .order_by(col(ChainItem.position), col(ChainItem.id))
                .limit(1)
            ).first()
            if member is None or item is None:
                return
            # A line naming someone in latin letters (`Lily 套装1`, `wy 亚麻1`) also reads the
            # items' pinyin initials, and the first such order imported pypinyin (0.27 s): its
            # answer came 150-200 ms after Enter in a real terminal instead of ~35 ms.
            pinyin_initials(item.name)
            what = f"{item.code or item.name}1"
            try:  # by name, as typed (the members' matching too)
                take_order(session, live_id, f"{member.nickname} {what}")
            except DomainError:  # several members fit that name: the one picked by number
                session.rollback()
                take_order(session, live_id, what, member_id=member.id)
        except DomainError as error:  # a rehearsal refused is no failure: nothing to report
            log.debug("order rehearsal refused: %s", error)
        finally:
            session.rollback()
