"""A small shop for the chain tests: one open chain with three products and a few neighbours."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from tuan.db import Database
from tuan.domain.chains.edit import ChainForm, ItemForm, save_chain
from tuan.domain.chains.entries import ChainView, chain_view
from tuan.domain.shared.people import MemberDraft, create_member
from tuan.models import ChainItem, Order

NEIGHBOURS = [
    ("王阿姨", "3", "1202"),
    ("小李", "5", "601"),
    ("李阿姨", "2", "301"),
    ("王阿姨", "7", "101"),  # a second 王阿姨: without a room, a line by 王阿姨 is ambiguous
    ("陈晨", "", ""),
]


def view_of(session: Session, chain_id: int) -> ChainView:
    """The chain's entries and totals (the chain must exist; `chain_view` says None if not)."""
    view = chain_view(session, chain_id)
    assert view is not None, f"no chain {chain_id}"
    return view


@dataclass(frozen=True)
class Shop:
    """Ids of the shop's chain, items (by short name) and members (by nickname and room)."""

    chain: int
    items: dict[str, int]
    members: dict[str, int]


def shop_form(title: str = "绿源生活｜第1期 冷榨油团") -> ChainForm:
    """The form of the shop's chain: olive oil (limit 3, stock 50), linseed, kit (limit 2)."""
    return ChainForm(
        title=title,
        description="产地直发，到货后群里通知。",
        status="open",
        deadline="11-28 20:00",
        pickup_point="3号楼门口",
        pickup_address="阳光花园3号楼大堂",
        pickup_time="11-29 09:00-21:00",
        items=[
            ItemForm(name="冷榨橄榄油", spec="500ml", price="89", original="128", limit="3",
                     stock="50", aliases="橄榄油 橄榄", code="A"),
            ItemForm(name="冷榨亚麻籽油", spec="500ml", price="69", aliases="亚麻籽油 亚麻",
                     code="B"),
            ItemForm(name="健康厨房入门套装", price="259", original="329", limit="2", stock="10",
                     aliases="套装", code="C"),
        ],
    )  # fmt: skip


def make_shop(db: Database, title: str = "绿源生活｜第1期 冷榨油团") -> Shop:
    """Create the chain and the neighbours (members only once per database)."""
    with db.transaction() as session:
        chain = save_chain(session, shop_form(title))
        items = session.exec(select(ChainItem).where(col(ChainItem.chain_id) == chain.id)).all()
        by_alias = {item.aliases.split()[0]: item.id or 0 for item in items}
        members = {}
        for nickname, building, room in NEIGHBOURS:
            draft = MemberDraft(nickname=nickname, building=building, room=room)
            member = create_member(session, draft)
            session.flush()
            members[f"{nickname}{building}-{room}" if room else nickname] = member.id or 0
    return Shop(chain.id or 0, by_alias, members)


def order_count(db: Database, chain_id: int, status: str | None = None) -> int:
    """How many orders the chain has (optionally only those with this status)."""
    stmt = select(func.count()).select_from(Order).where(col(Order.chain_id) == chain_id)
    if status is not None:
        stmt = stmt.where(col(Order.status) == status)
    with db.session() as session:
        return int(session.exec(stmt).one())
