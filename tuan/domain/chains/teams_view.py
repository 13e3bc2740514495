"""A chain's 拼团 at a glance (the chain screen, `tuan chain teams`), and setting an item's team
size and price from the command line through the chain form's own checks."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from tuan.domain.chains.edit import ChainFormError, edit_context, item_warnings, save_chain
from tuan.domain.chains.export import item_team_text
from tuan.domain.chains.listing import ItemRow, chain_items
from tuan.domain.shared.errors import DomainError
from tuan.domain.shared.money import format_money, format_plain
from tuan.domain.shared.states import TeamStatus
from tuan.domain.shared.teams import Settlement, TeamState, can_settle, chain_teams
from tuan.domain.shared.text import to_halfwidth
from tuan.i18n import N_, _, ngettext
from tuan.models import Chain


class TeamsViewError(DomainError, LookupError):
    """No such chain, or no such item in it."""

    code = "chain.not_found"


@dataclass(frozen=True)
class ItemTeams:
    """One team item with its teams."""

    item: ItemRow
    teams: tuple[TeamState, ...]

    @property
    def formed(self) -> int:
        """Teams that filled up."""
        return sum(1 for t in self.teams if t.status == TeamStatus.FORMED)

    @property
    def waiting(self) -> tuple[TeamState, ...]:
        """Teams still filling."""
        return tuple(t for t in self.teams if t.status == TeamStatus.OPEN)

    def line(self) -> str:
        """`大米 ¥89，3人成团 ¥79，已成团 4 个，王阿姨的团还差 1 人`, as the chain text says it."""
        name = " ".join(w for w in (self.item.name, self.item.spec) if w)
        team = item_team_text(self.item, list(self.teams))
        return f"{name} {format_money(self.item.price_cents)}，{team}"  # i18n-keep: chain text

    def as_dict(self) -> dict[str, object]:
        """One item of `tuan chain teams --json`."""
        item = self.item
        return {"item_id": item.id, "name": item.name, "price_cents": item.price_cents,
                "team_size": self.item.team_size, "team_price_cents": self.item.team_price_cents,
                "formed": self.formed, "open": len(self.waiting),
                "teams": [t.as_dict() for t in self.teams]}  # fmt: skip


@dataclass(frozen=True)
class TeamsView:
    """A chain's team items, and whether its unfilled teams may be settled now."""

    chain_id: int
    title: str
    items: tuple[ItemTeams, ...]
    can_settle: bool

    @property
    def unfilled(self) -> int:
        """Teams still filling, over every item."""
        return sum(len(item.waiting) for item in self.items)

    def as_dict(self) -> dict[str, object]:
        """`tuan chain teams --json`."""
        return {"chain_id": self.chain_id, "title": self.title, "can_settle": self.can_settle,
                "open_teams": self.unfilled,
                "items": [item.as_dict() for item in self.items]}  # fmt: skip


def teams_view(session: Session, chain_id: int) -> TeamsView:
    """The chain's team items with their teams.

    Raises:
        TeamsViewError: no chain has this id.
    """
    chain = session.get(Chain, chain_id)
    if chain is None:
        raise TeamsViewError(N_("找不到接龙 {id}"), id=chain_id)
    teams = chain_teams(session, chain_id)
    items = tuple(
        ItemTeams(item, tuple(t for t in teams if t.item_id == item.id))
        for item in chain_items(session, chain_id)
        if item.team_size is not None and item.team_price_cents is not None
    )
    return TeamsView(chain_id, chain.title, items, can_settle(chain))


def set_item_team(
    session: Session, chain_id: int, which: str, size: str, price: str
) -> tuple[str, dict[str, str]]:
    """Make an item a team item (or, with both blank, not one) as the form would.

    `which` is the item's code (`A`), name, short name or id. Returns the item's name and the
    form's warnings (a team price not below the price).

    Raises:
        TeamsViewError: no such chain or item.
        ChainFormError: the form refuses the size or price (keys `items.N.team_size` …).
    """
    try:
        context = edit_context(session, chain_id)
    except ChainFormError as exc:
        raise TeamsViewError(N_("找不到接龙 {id}"), id=chain_id) from exc
    wanted = to_halfwidth(which).strip()
    index = next(
        (i for i, row in enumerate(context.form.items)
         if wanted and (wanted.upper() == row.code or wanted in (row.name, str(row.id))
                        or wanted in row.aliases.split())),
        None,
    )  # fmt: skip
    if index is None:
        message = N_("接龙 {id} 里没有商品「{item}」：请写商品的编号、名字或简称")
        raise TeamsViewError(message, "item", code="item.not_found", id=chain_id, item=which)
    row = context.form.items[index]
    row.team_size, row.team_price = size, price
    save_chain(session, context.form, chain_id)
    return row.name, item_warnings(row)


def plain_price(cents: int | None) -> str:
    """`79` for the form's price field."""
    return "" if cents is None else format_plain(cents)


def settle_choice_text(view: TeamsView) -> str:
    """What the settle dialog says: the teams still filling, with who is missing."""
    lines = [
        _("{team}（{item}）还差 {n} 人：{members}").format(
            team=t.name, item=item.item.name, n=t.missing, members=_("、").join(t.members)
        )
        for item in view.items
        for t in item.waiting
    ]
    return "\n".join(lines)


def settled_message(done: Settlement) -> str:
    """What settling did, in one message (the app and `tuan chain settle-teams` say it)."""
    if not done.teams:
        return _("没有待成团的团，不用结算")
    n = len(done.teams)
    if done.mode == "normal":
        text = ngettext(
            "{n} 个没成团的团按原价成交：{teams}", "{n} 个没成团的团按原价成交：{teams}", n
        )
        return text.format(n=n, teams=_("、").join(done.teams))
    text = ngettext(
        "{n} 个没成团的团已取消：{teams}，取消了 {orders} 单",
        "{n} 个没成团的团已取消：{teams}，取消了 {orders} 单",
        n,
    ).format(n=n, teams=_("、").join(done.teams), orders=done.cancelled_orders)
    if done.paid_orders:
        owed = _("、").join(f"{m} {format_money(c)}" for m, c in done.paid_orders)
        text += _("；已付款的要退钱（还没有退款功能，请自己转回去）：{owed}").format(owed=owed)
    return text


TEAM_STATES: dict[str, str] = {
    TeamStatus.FORMED: N_("已成团"),
    TeamStatus.NORMAL: N_("未成团·原价"),
    TeamStatus.CANCELLED: N_("未成团·已取消"),
}


def team_state_text(team: TeamState) -> str:
    """`王阿姨的团 待成团（差1人）`, `王阿姨的团 已成团`."""
    if team.status == TeamStatus.OPEN:
        state = _("待成团（差{n}人）").format(n=team.missing)
    else:
        state = _(TEAM_STATES.get(team.status, team.status))
    return f"{team.name} {state}"


def entry_team_states(session: Session, chain_id: int) -> dict[int, str]:
    """Order id → its teams' states, for the entries list."""
    found: dict[int, list[str]] = {}
    for team in chain_teams(session, chain_id):
        for order_id in team.order_ids:
            found.setdefault(order_id, []).append(team_state_text(team))
    return {order_id: _("；").join(texts) for order_id, texts in found.items()}
