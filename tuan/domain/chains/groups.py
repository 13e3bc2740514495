"""The WeChat groups a chain was posted in, as the import screen offers them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from tuan.models import Chain, Order


@dataclass(frozen=True)
class ChainGroups:
    """The group last imported from, and every group the chain has entries from ('' first)."""

    last: str
    names: tuple[str, ...]


def chain_groups(session: Session, chain_id: int) -> ChainGroups:
    """The chain's groups: those its orders came from, and the one last imported from."""
    chain = session.get(Chain, chain_id)
    last = chain.last_group if chain is not None else ""
    found = session.exec(
        select(Order.group_name).where(col(Order.chain_id) == chain_id).distinct()
    ).all()
    names = sorted({*found, last, ""}, key=lambda name: (name != "", name))
    return ChainGroups(last, tuple(names))
