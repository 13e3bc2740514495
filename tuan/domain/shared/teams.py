"""拼团 (team buy): who is in which team, and the price that follows from it.

A team item (`ChainItem.team_size`, `team_price_cents`) is sold in teams. Each order holding it
is in one team of that item: one the line names (`跟王阿姨的团`), a new one (`开团`, named after
the order's member), or, when the line says nothing, the oldest open team that is not full (a
new one when there is none). A team is *formed* once it has `team_size` active orders: from then
on its members' lines of the item are at the team price (the captured unit price is changed, so
GMV and what is owed follow). Until then they are at the normal price and shown as 待成团.

Cancelling an order (or editing the item out of it) leaves its team. A formed team that drops
below its size is *reopened*: open again, its members back at the normal price, and the next
order of the item fills it first. After the deadline (or once the chain is closed) the leader
settles the teams still open (`settle_teams`): at the normal price (kept as they are) or
cancelled (the item's lines go; an order left with nothing is cancelled). A flash-sale line
keeps its own price throughout.

Every front end places orders through `shared.orders`, which calls `sync_order_teams`, so the
rule holds for chain entry, import and live entry alike.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from tuan import clock
from tuan.domain.shared.errors import DomainError
from tuan.domain.shared.money import format_money
from tuan.domain.shared.payments import settle_paid
from tuan.domain.shared.states import ChainStatus, OrderStatus, TeamSettle, TeamStatus
from tuan.domain.shared.team_words import TeamRef, team_name_of
from tuan.i18n import N_
from tuan.models import Chain, ChainItem, Member, Order, OrderLine, Team, TeamMember

SETTLED = (TeamStatus.NORMAL, TeamStatus.CANCELLED)


class TeamError(DomainError, ValueError):
    """A team could not be joined or settled; the message says why and what to do."""

    code = "team.refused"
    field = "team"


@dataclass(frozen=True)
class TeamState:
    """One team as the leader sees it."""

    id: int
    item_id: int
    name: str
    leader: str
    status: str
    size: int
    members: tuple[str, ...]  # nicknames, in joining order
    order_ids: tuple[int, ...]

    @property
    def missing(self) -> int:
        """People still needed (0 once formed)."""
        return max(self.size - len(self.members), 0)

    def as_dict(self) -> dict[str, object]:
        """The JSON shape of `tuan chain teams --json`."""
        return {"id": self.id, "item_id": self.item_id, "name": self.name,
                "leader": self.leader, "status": self.status, "size": self.size,
                "members": list(self.members), "missing": self.missing}  # fmt: skip


def is_team_item(item: ChainItem) -> bool:
    """Whether the item sells in teams."""
    return item.team_size is not None and item.team_price_cents is not None


def _members(session: Session, team_ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    """Active member orders per team: (order id, nickname), in joining order."""
    found: dict[int, list[tuple[int, str]]] = defaultdict(list)
    if not team_ids:
        return found
    rows = session.exec(
        select(TeamMember.team_id, Order.id, Member.nickname)
        .join(Order, col(Order.id) == col(TeamMember.order_id))
        .join(Member, col(Member.id) == col(Order.member_id))
        .where(col(TeamMember.team_id).in_(team_ids), col(Order.status) == OrderStatus.ACTIVE)
        .order_by(col(TeamMember.joined_at), col(Order.seq))
    )
    for team_id, order_id, nickname in rows:
        found[team_id].append((order_id or 0, nickname))
    return found


def chain_teams(session: Session, chain_id: int) -> list[TeamState]:
    """Every team of a chain, item by item, oldest first."""
    rows = session.exec(
        select(Team, ChainItem.team_size, Member.nickname)
        .join(ChainItem, col(ChainItem.id) == col(Team.item_id))
        .join(Member, col(Member.id) == col(Team.leader_id))
        .where(col(Team.chain_id) == chain_id)
        .order_by(col(ChainItem.position), col(Team.item_id), col(Team.id))
    ).all()
    members = _members(session, [team.id or 0 for team, _size, _nick in rows])
    return [
        TeamState(team.id or 0, team.item_id, team.name, leader, team.status, size or 0,
                  tuple(n for _o, n in members[team.id or 0]),
                  tuple(o for o, _n in members[team.id or 0]))
        for team, size, leader in rows
    ]  # fmt: skip


def order_teams(session: Session, chain_id: int) -> dict[int, list[TeamState]]:
    """The teams each order of a chain is in."""
    found: dict[int, list[TeamState]] = defaultdict(list)
    for team in chain_teams(session, chain_id):
        for order_id in team.order_ids:
            found[order_id].append(team)
    return found


def _item_lines(session: Session, order_id: int) -> set[int]:
    return set(session.exec(select(OrderLine.item_id).where(col(OrderLine.order_id) == order_id)))


def _memberships(session: Session, order_id: int) -> dict[int, Team]:
    """The teams an order is in, by item."""
    rows = session.exec(
        select(Team)
        .join(TeamMember, col(TeamMember.team_id) == col(Team.id))
        .where(col(TeamMember.order_id) == order_id)
    )
    return {team.item_id: team for team in rows}


def sync_order_teams(
    session: Session,
    order: Order,
    refs: tuple[TeamRef, ...] = (),
    moment: datetime | None = None,
) -> None:
    """Put the order in one team per team item it holds, and take it out of the others.

    A cancelled order is in no team. `refs` is what its line said (`跟王阿姨的团`, `开团`).

    Raises:
        TeamError: the named team is full, settled, of another item, or unknown.
    """
    moment = moment or clock.now()
    order_id = order.id or 0
    team_items = {
        item.id or 0: item
        for item in session.exec(select(ChainItem).where(col(ChainItem.chain_id) == order.chain_id))
        if is_team_item(item)
    }
    held = _memberships(session, order_id)
    if not team_items and not held:
        return  # most chains: nothing sold in teams
    items = _item_lines(session, order_id) if order.status == OrderStatus.ACTIVE else set()
    touched: list[Team] = []
    for item_id, team in held.items():
        if item_id not in items or item_id not in team_items:
            session.execute(
                delete(TeamMember).where(
                    col(TeamMember.team_id) == team.id, col(TeamMember.order_id) == order_id
                )
            )
            _price_lines(session, [order_id], team.item_id, None)
            touched.append(team)
    wanted = [team_items[i] for i in sorted(items) if i in team_items and i not in held]
    if refs and team_items:
        _check_refs(session, order, refs, [team_items[i] for i in sorted(items) if i in team_items])
    for item in wanted:
        team = _team_for(session, order, item, refs, moment)
        session.add(TeamMember(team_id=team.id or 0, order_id=order_id, joined_at=moment))
        session.flush()
        touched.append(team)
    for team in touched:
        if team.status == TeamStatus.OPEN and not _members(session, [team.id or 0])[team.id or 0]:
            session.delete(team)  # its last member left: an empty team is no team
            session.flush()
            continue
        reprice_team(session, team, moment)


def _named(session: Session, chain_id: int, name: str) -> list[Team]:
    return list(
        session.exec(
            select(Team).where(col(Team.chain_id) == chain_id, col(Team.name) == team_name_of(name))
        )
    )


def _check_refs(
    session: Session, order: Order, refs: tuple[TeamRef, ...], items: list[ChainItem]
) -> None:
    """A named team must exist for one of the order's team items (or be the member's own)."""
    member = session.get(Member, order.member_id)
    nickname = member.nickname if member else ""
    item_ids = {item.id for item in items}
    for ref in refs:
        if ref.new:
            continue
        found = _named(session, order.chain_id, ref.name)
        if any(team.item_id in item_ids for team in found):
            continue
        if found:
            other = session.get(ChainItem, found[0].item_id)
            message = N_(
                "「{team}」是「{item}」的团，这一单没有{item}：请加上{item}，或去掉「跟{team}」"
            )
            raise TeamError(message, code="team.other_item", team=found[0].name,
                            item=other.name if other else "?")  # fmt: skip
        if ref.name == nickname:  # her own team, not opened yet: she opens it
            continue
        message = N_("没有叫「{team}」的团：请写已有的团名（例如 跟王阿姨的团），或写 开团")
        raise TeamError(message, code="team.unknown", team=team_name_of(ref.name))


def _team_for(
    session: Session, order: Order, item: ChainItem, refs: tuple[TeamRef, ...], moment: datetime
) -> Team:
    for ref in refs:
        if ref.new:
            continue
        for team in _named(session, order.chain_id, ref.name):
            if team.item_id == item.id:
                _check_joinable(session, team, item)
                return team
    member = session.get(Member, order.member_id)
    own = any(not r.new and member is not None and r.name == member.nickname for r in refs)
    if own or any(ref.new for ref in refs):  # `开团`, or her own team not opened yet
        return _open_team(session, order, item, moment)
    return _oldest_open(session, item) or _open_team(session, order, item, moment)


def _check_joinable(session: Session, team: Team, item: ChainItem) -> None:
    if team.status in SETTLED:
        message = N_("「{team}」已经结算，不能再参团：请写 开团 开一个新团")
        raise TeamError(message, code="team.settled", team=team.name)
    count = len(_members(session, [team.id or 0])[team.id or 0])
    if count >= (item.team_size or 0):
        message = N_("「{team}」已经满 {size} 人成团了：请跟别的团，或写 开团 开一个新团")
        raise TeamError(message, code="team.full", team=team.name, size=item.team_size)


def _oldest_open(session: Session, item: ChainItem) -> Team | None:
    teams = list(
        session.exec(
            select(Team)
            .where(col(Team.item_id) == item.id, col(Team.status) == TeamStatus.OPEN)
            .order_by(col(Team.created_at), col(Team.id))
        )
    )
    counts = _members(session, [team.id or 0 for team in teams])
    for team in teams:
        if len(counts[team.id or 0]) < (item.team_size or 0):
            return team
    return None


def _open_team(session: Session, order: Order, item: ChainItem, moment: datetime) -> Team:
    member = session.get(Member, order.member_id)
    base = team_name_of(member.nickname if member else "?")
    taken = set(session.exec(select(Team.name).where(col(Team.chain_id) == order.chain_id)))
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}{n}"
    team = Team(chain_id=order.chain_id, item_id=item.id or 0, leader_id=order.member_id,
                name=name, created_at=moment)  # fmt: skip
    session.add(team)
    session.flush()
    return team


def _price_lines(session: Session, order_ids: list[int], item_id: int, cents: int | None) -> None:
    """Set the unit price of the orders' lines of the item (None: the item's normal price)."""
    if not order_ids:
        return
    if cents is None:
        item = session.get(ChainItem, item_id)
        cents = item.price_cents if item else 0
    session.execute(
        update(OrderLine)
        .where(
            col(OrderLine.order_id).in_(order_ids),
            col(OrderLine.item_id) == item_id,
            col(OrderLine.flash_sale_id).is_(None),
        )
        .values(unit_price_cents=cents)
    )
    settle_paid(session, order_ids)


def reprice_team(session: Session, team: Team, moment: datetime | None = None) -> None:
    """Make the team's status and its members' prices follow from how many it has."""
    item = session.get(ChainItem, team.item_id)
    if item is None:
        return
    orders = [o for o, _n in _members(session, [team.id or 0])[team.id or 0]]
    if team.status not in SETTLED:
        full = len(orders) >= (item.team_size or 0)
        if full and team.status != TeamStatus.FORMED:
            team.formed_at = moment or clock.now()
        team.status = TeamStatus.FORMED if full else TeamStatus.OPEN
        session.add(team)
        session.flush()
    formed = team.status == TeamStatus.FORMED
    _price_lines(session, orders, team.item_id, item.team_price_cents if formed else None)


def item_changed(session: Session, item: ChainItem) -> None:
    """The item's team size or price was edited: every team of it follows; teams of an item
    that is no longer a team item are dissolved (their members back at the normal price)."""
    teams = list(session.exec(select(Team).where(col(Team.item_id) == item.id)))
    if not is_team_item(item):
        for team in teams:
            orders = [o for o, _n in _members(session, [team.id or 0])[team.id or 0]]
            _price_lines(session, orders, item.id or 0, None)
            session.delete(team)
        session.flush()
        return
    for team in teams:
        reprice_team(session, team)


@dataclass(frozen=True)
class Settlement:
    """What settling a chain's unfilled teams did."""

    mode: str
    teams: tuple[str, ...]
    orders: int  # orders touched
    cancelled_orders: int  # orders left with nothing, so cancelled
    paid_orders: tuple[tuple[str, int], ...]  # (member, cents of the item) whose money goes back

    def as_dict(self) -> dict[str, object]:
        """The JSON shape of `tuan chain settle-teams`."""
        refund = [{"member": m, "cents": c} for m, c in self.paid_orders]
        return {"mode": self.mode, "teams": list(self.teams), "orders": self.orders,
                "cancelled_orders": self.cancelled_orders, "refund": refund}  # fmt: skip


def can_settle(chain: Chain, now: datetime | None = None) -> bool:
    """Teams are settled at the deadline, or once the leader has closed the chain."""
    if chain.status in (ChainStatus.CLOSED, ChainStatus.DONE):
        return True
    return chain.deadline is not None and chain.deadline <= (now or clock.now())


def settle_teams(session: Session, chain_id: int, mode: str) -> Settlement:
    """Settle every team of the chain still open, as the leader chose (`TeamSettle`).

    Raises:
        TeamError: no such chain, an unknown mode, or before the deadline of an open chain.
    """
    chain = session.get(Chain, chain_id)
    if chain is None:
        raise TeamError(N_("找不到接龙 {id}"), code="chain.not_found", id=chain_id)
    if mode not in (TeamSettle.NORMAL, TeamSettle.CANCEL):
        message = N_("不认识的结算方式：{mode}（normal 按原价，cancel 取消订单）")
        raise TeamError(message, code="team.mode", mode=mode)
    if not can_settle(chain):
        message = N_("接龙还没截止：截止后（或先把接龙改成已截单）再结算没成团的团")
        raise TeamError(message, code="team.too_early")
    now = clock.now()
    names: list[str] = []
    touched = 0
    cancelled = 0
    refunds: list[tuple[str, int]] = []
    for state in chain_teams(session, chain_id):
        if state.status != TeamStatus.OPEN:
            continue
        team = session.get(Team, state.id)
        assert team is not None
        names.append(team.name)
        touched += len(state.order_ids)
        if mode == TeamSettle.CANCEL:
            gone, back = _cancel_members(session, team, state)
            cancelled += gone
            refunds += back
        team.status = TeamStatus.NORMAL if mode == TeamSettle.NORMAL else TeamStatus.CANCELLED
        team.settled_at = now
        session.add(team)
    session.flush()
    return Settlement(mode, tuple(names), touched, cancelled, tuple(refunds))


def _cancel_members(
    session: Session, team: Team, state: TeamState
) -> tuple[int, list[tuple[str, int]]]:
    """Take the team item out of each member's order; an order left empty is cancelled."""
    cancelled = 0
    refunds: list[tuple[str, int]] = []
    for order_id, nickname in zip(state.order_ids, state.members, strict=True):
        order = session.get(Order, order_id)
        assert order is not None
        lines = list(session.exec(select(OrderLine).where(col(OrderLine.order_id) == order_id)))
        mine = [line for line in lines if line.item_id == team.item_id]
        if order.paid:
            refunds.append((nickname, sum(line.qty * line.unit_price_cents for line in mine)))
        if len(mine) == len(lines):
            order.status = OrderStatus.CANCELLED
            cancelled += 1
        else:
            for line in mine:
                session.delete(line)
        order.updated_at = clock.now()
        session.add(order)
        session.execute(
            delete(TeamMember).where(
                col(TeamMember.team_id) == team.id, col(TeamMember.order_id) == order_id
            )
        )
        session.flush()
        settle_paid(session, [order_id])
    return cancelled, refunds


def team_line(size: int, price: int, formed: int, open_teams: list[tuple[str, int]]) -> str:
    """`3人成团 ¥79，已成团 4 个，王阿姨的团还差 1 人`: the chain text's part for a team item."""
    parts = [f"{size}人成团 {format_money(price)}"]  # i18n-keep: chain text
    if formed:
        parts.append(f"已成团 {formed} 个")  # i18n-keep: chain text
    parts += [f"{name}还差 {n} 人" for name, n in open_teams]  # i18n-keep: chain text
    return "，".join(parts)


def live_team_counts(session: Session, live_id: int) -> tuple[int, int]:
    """(formed, unfilled) among the teams that a livestream's active orders are in."""
    rows = session.exec(
        select(Team.id, Team.status)
        .join(TeamMember, col(TeamMember.team_id) == col(Team.id))
        .join(Order, col(Order.id) == col(TeamMember.order_id))
        .where(col(Order.livestream_id) == live_id, col(Order.status) == OrderStatus.ACTIVE)
        .distinct()
    ).all()
    formed = sum(1 for _id, status in rows if status == TeamStatus.FORMED)
    return formed, len(rows) - formed
