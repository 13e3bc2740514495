"""From the database to the chain text the leader pastes into WeChat.

`chain_text.render_chain` owns the format; this module only gathers a chain's facts (items,
deadline, pickup point and time, entries not cancelled) in a few queries and hands them over.
Entries name items by the word neighbours use (the first short name, e.g. `套装`), which the
importer reads back to the same item.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from tuan import clock
from tuan.domain.chains.entries import item_word, list_entries
from tuan.domain.chains.listing import ItemRow, chain_items
from tuan.domain.chains.text import (
    ChainText,
    EntryItemText,
    EntryText,
    ItemText,
    render_chain,
)
from tuan.domain.shared.errors import DomainError
from tuan.domain.shared.states import OrderStatus, TeamStatus
from tuan.domain.shared.team_words import TeamRef, format_team_words
from tuan.domain.shared.teams import TeamState, chain_teams, team_line
from tuan.domain.shared.wording import WordHit, check_wording
from tuan.i18n import N_
from tuan.models import Chain, PickupPoint


class ChainExportError(DomainError, LookupError):
    """The chain to export does not exist."""

    code = "chain.not_found"


@dataclass(frozen=True)
class ExportedChain:
    """The text, ready to paste, with the wording check's warnings."""

    chain_id: int
    title: str
    text: str
    warnings: tuple[WordHit, ...]
    entries: int


def chain_text_for(session: Session, chain_id: int, group: str = "") -> ChainText:
    """The chain's facts as `ChainText` (times in the leader's zone), with one group's entries.

    A chain posted in several WeChat groups has one opening post and a filled copy per group,
    each numbered on its own (`group` '' is the chain's first group).

    Raises:
        ChainExportError: no chain has this id.
    """
    chain = session.get(Chain, chain_id)
    if chain is None:
        raise ChainExportError(N_("找不到接龙 {id}"), id=chain_id)
    point = session.get(PickupPoint, chain.pickup_point_id) if chain.pickup_point_id else None
    items = chain_items(session, chain_id)
    words = {item.id: item_word(item) for item in items}
    teams = chain_teams(session, chain_id)
    by_order: dict[int, list[TeamState]] = {}
    for team in teams:
        for order_id in team.order_ids:
            by_order.setdefault(order_id, []).append(team)
    entries = tuple(
        EntryText(
            seq=entry.group_number,
            name=entry.nickname,
            room=entry.room,
            items=tuple(EntryItemText(words.get(i, "?"), qty) for i, qty in entry.items),
            note=entry.note,
            team=_entry_team(entry.order_id, entry.nickname, by_order.get(entry.order_id, [])),
        )
        for entry in list_entries(session, chain_id)
        if entry.status == OrderStatus.ACTIVE and entry.group == group
    )
    return ChainText(
        title=chain.title,
        description=chain.description,
        items=tuple(_item_text(item, teams) for item in items),
        deadline=_local(chain.deadline),
        pickup_place=_place(point),
        pickup_start=_local(chain.pickup_start),
        pickup_end=_local(chain.pickup_end),
        entries=entries,
        example_item=words[items[0].id] if items else "",
    )


def _entry_team(order_id: int, nickname: str, teams: list[TeamState]) -> str:
    """`开团` on the line of the member who opened the team, `跟王阿姨的团` on the others.

    The opener's line may come later in the text than a line joining her team (numbers are not
    always in the order orders were taken): the import writes the `开团` lines first.
    """
    del order_id
    refs = [TeamRef(new=True) if team.leader == nickname else TeamRef(team.name) for team in teams]
    return format_team_words(tuple(refs))


def item_team_text(item: ItemRow, teams: list[TeamState]) -> str:
    """`3人成团 ¥79，已成团 4 个，王阿姨的团还差 1 人`; '' for an item that is not a team item."""
    if item.team_size is None or item.team_price_cents is None:
        return ""
    mine = [team for team in teams if team.item_id == item.id]
    formed = sum(1 for team in mine if team.status == TeamStatus.FORMED)
    waiting = [(team.name, team.missing) for team in mine if team.status == TeamStatus.OPEN]
    return team_line(item.team_size, item.team_price_cents, formed, waiting)


def _item_text(item: ItemRow, teams: list[TeamState]) -> ItemText:
    return ItemText(
        team=item_team_text(item, teams),
        name=item.name,
        price_cents=item.price_cents if item.price_known else None,
        spec=item.spec,
        original_price_cents=item.original_price_cents,
        limit=item.limit_per_person,
        stock=_left(item.stock, item.sold),
        code=item.code,
    )


def _left(stock: int | None, sold: int) -> int | None:
    # The opening stock (`限量50`) until it is all taken; then `已售罄` tells neighbours to stop.
    if stock is None:
        return None
    return stock if stock > sold else 0


def _local(moment: datetime | None) -> datetime | None:
    return None if moment is None else clock.local(moment)


def _place(point: PickupPoint | None) -> str:
    if point is None:
        return ""
    # i18n-keep: part of the chain text, Chinese in every language
    return f"{point.name}，{point.address}" if point.address else point.name


def export_chain(
    session: Session, chain_id: int, *, with_entries: bool = True, group: str = ""
) -> ExportedChain:
    """The chain text (or the opening post, without entries) and its wording warnings.

    With entries, the text is `group`'s copy ('' the chain's first group).

    Raises:
        ChainExportError: no chain has this id.
    """
    facts = chain_text_for(session, chain_id, group)
    text = render_chain(facts, with_entries=with_entries)
    return ExportedChain(
        chain_id, facts.title, text, tuple(check_wording(text)), len(facts.entries)
    )
