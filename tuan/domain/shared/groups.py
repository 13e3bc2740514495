"""One chain posted in several WeChat groups: how a group and an order's number are written.

A chain's first group has no name (every order made before groups existed is in it); the
others are named by the leader (`二群`, `阳光花园2群`). An order is known by its group and its
number in that group's copy: `二群 3`, or plain `3` in the first group.
"""

from __future__ import annotations

from tuan.domain.shared.errors import DomainError
from tuan.i18n import N_, _

MAX_GROUP_NAME = 20


class GroupError(DomainError, ValueError):
    """A group name was refused; the message says why."""

    code = "group.refused"
    field = "group"


def group_label(name: str) -> str:
    """The group as the leader reads it (the unnamed first group is 首发群)."""
    return name or _("首发群")


def order_number(group: str, group_seq: int | None, seq: int) -> str:
    """`二群 3` in a named group, `3` in the chain's first."""
    if group:
        return f"{group} {group_seq if group_seq is not None else seq}"
    return str(seq)


def clean_group(text: str) -> str:
    """A group name as typed, trimmed; raises GroupError (a ValueError) when it is too long."""
    name = " ".join(text.split())
    if len(name) > MAX_GROUP_NAME:
        raise GroupError(N_("群名最多 {n} 个字"), code="group.too_long", n=MAX_GROUP_NAME)
    return name
