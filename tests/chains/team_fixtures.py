"""A small 拼团 shop: rice sold in teams of 3 (¥89, ¥79 in a full team), peanut oil in teams
of 2 (¥59, ¥49), eggs not in teams (¥20), and five neighbours."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from tuan.db import Database
from tuan.domain.chains.edit import ChainForm, ItemForm, save_chain
from tuan.domain.shared.orders import LineRequest, place_order
from tuan.domain.shared.people import MemberDraft, create_member
from tuan.domain.shared.team_words import TeamRef
from tuan.models import ChainItem, Order, OrderLine

PEOPLE = [("王阿姨", "3", "1202"), ("李叔", "5", "302"), ("小周", "6", "101"),
          ("陈晨", "2", "301"), ("张姐", "1", "102")]  # fmt: skip


@dataclass(frozen=True)
class TeamShop:
    chain: int
    rice: int
    oil: int
    eggs: int
    members: dict[str, int]


def team_form(title: str = "第1期 健康粮油团", deadline: str = "11-28 20:00") -> ChainForm:
    return ChainForm(
        title=title, status="open", deadline=deadline, pickup_point="3号楼门口",
        items=[
            ItemForm(name="大米", spec="5kg", price="89", aliases="大米", code="A",
                     team_size="3", team_price="79"),
            ItemForm(name="花生油", price="59", aliases="花生油", code="B", team_size="2",
                     team_price="49"),
            ItemForm(name="鸡蛋", price="20", aliases="鸡蛋", code="C"),
        ],
    )  # fmt: skip


def make_team_shop(db: Database, deadline: str = "11-28 20:00") -> TeamShop:
    with db.transaction() as session:
        chain = save_chain(session, team_form(deadline=deadline))
        items = session.exec(select(ChainItem).where(col(ChainItem.chain_id) == chain.id)).all()
        by_name = {item.name: item.id or 0 for item in items}
        members = {}
        for nickname, building, room in PEOPLE:
            member = create_member(session, MemberDraft(nickname=nickname, building=building,
                                                        room=room))  # fmt: skip
            session.flush()
            members[nickname] = member.id or 0
    return TeamShop(chain.id or 0, by_name["大米"], by_name["花生油"], by_name["鸡蛋"], members)


def order(
    session: Session, shop: TeamShop, who: str, lines: dict[int, int], *refs: TeamRef
) -> Order:
    wanted = [LineRequest(item, qty) for item, qty in lines.items()]
    return place_order(session, shop.chain, shop.members[who], wanted, teams=tuple(refs))


def line_prices(session: Session, order_id: int) -> dict[int, int]:
    """Item id → unit price of an order's lines."""
    rows = session.exec(select(OrderLine).where(col(OrderLine.order_id) == order_id))
    return {line.item_id: line.unit_price_cents for line in rows}
