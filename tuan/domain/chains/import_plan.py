"""Importing a chain, step two: decide what each pasted entry does to the chain's orders.

A pure function of the draft and the leader's decisions (which member an unclear line is, which
lines to skip, whether the later line wins when someone joined twice, whether to cancel entries
that vanished), so the preview recomputes instantly as the leader decides.

Re-import never doubles an order: an entry pairs with the existing order of the same member on
the same sequence number, else with that member's one unpaired order (WeChat renumbers entries
when someone withdraws). Paired entries are `update` or `unchanged`; the rest are `add`. Active
orders no entry pairs with, numbered within the pasted copy, are `remove`: listed, and only
cancelled when the leader confirms. Later copies with more entries simply add the new ones.
A person's later line that orders more (`再加橄榄油1`) goes onto the order of their first line.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Set
from dataclasses import dataclass, field, replace
from typing import Any

from tuan.domain.chains.import_draft import ExistingOrder, ImportDraft, ImportEntry, ImportItem
from tuan.domain.shared.collector import collector_paused
from tuan.domain.shared.errors import code_of
from tuan.domain.shared.groups import group_label
from tuan.domain.shared.member_match import AMBIGUOUS, MATCHED, MISSING, NEW, core_name
from tuan.domain.shared.states import EntryStatus, ImportAction, OrderStatus
from tuan.domain.shared.team_words import TeamRef
from tuan.i18n import _

# `再加橄榄油1`, `追加1瓶`: a line adding to what the same person ordered in an earlier line.
_MORE_RE = re.compile(r"再加|追加|另加|加单|再要|还要|再来")
ADD, UPDATE, UNCHANGED, REMOVE = (
    ImportAction.ADD,
    ImportAction.UPDATE,
    ImportAction.UNCHANGED,
    ImportAction.REMOVE,
)


@dataclass
class Decisions:
    """What the leader decided in the preview (or said with `--yes`).

    Attributes:
        members: Entry index → the member it is (None: create a new member).
        skipped: Entry indexes not to apply.
        later_wins: When one person joined twice, apply their later line instead of the first.
        cancel_removed: Cancel the orders that vanished from the pasted copy.
    """

    members: dict[int, int | None] = field(default_factory=dict)
    skipped: set[int] = field(default_factory=set)
    later_wins: bool = False
    cancel_removed: bool = False


@dataclass(frozen=True)
class PlannedRow:
    """One line of the preview: a pasted entry, or an existing order that vanished.

    Attributes:
        entry: The pasted entry (None for a `remove` row).
        seq: The entry's number (for `remove`, the order's).
        name: The name as typed (for `remove`, the member's nickname).
        room: The room as typed, or None.
        items: Item × quantity.
        note: The note.
        raw: The entry as pasted (for `remove`, as last imported).
        member_status: matched, new, ambiguous, missing (after the leader's pick).
        member_id: The member, when known.
        action: add, update, unchanged or remove.
        order_id: The existing order it changes, if any.
        applies: Whether applying will do it (not skipped, nothing blocking, removal confirmed).
        reasons: Problems (blocking) first, then warnings, in the leader's language.
        duplicate_of: Index of the other entry by the same person, if any.
        added_to: Index of the same person's earlier entry this one orders more on (`再加…`):
            its items are applied there.
    """

    entry: ImportEntry | None
    seq: int
    name: str
    room: str | None
    items: tuple[ImportItem, ...]
    note: str
    raw: str
    member_status: str
    member_id: int | None
    action: str
    order_id: int | None
    applies: bool
    reasons: tuple[str, ...] = ()
    duplicate_of: int | None = None
    teams: tuple[TeamRef, ...] = ()  # what the line says about its 拼团 team
    added_to: int | None = None

    @property
    def status(self) -> str:
        """`ok`, or `review` when something needs the leader's eye."""
        blocked = self.reasons or self.member_status in (AMBIGUOUS, MISSING)
        return EntryStatus.REVIEW if blocked else EntryStatus.OK


@dataclass(frozen=True)
class ImportPlan:
    """Every row of the preview and what applying would do."""

    rows: tuple[PlannedRow, ...]
    duplicates: int  # people who joined more than once
    removals: int  # orders that vanished from the copy

    def summary(self, failed: Set[int] = frozenset()) -> dict[str, int]:
        """Counts of what applies (`failed`: row indexes the database refused)."""
        counts = Counter(
            row.action for n, row in enumerate(self.rows) if row.applies and n not in failed
        )
        return {key: counts[action] for key, action in _SUMMARY_KEYS}


_SUMMARY_KEYS = (("added", ADD), ("updated", UPDATE), ("unchanged", UNCHANGED), ("removed", REMOVE))


@collector_paused()
def plan_import(draft: ImportDraft, decisions: Decisions | None = None) -> ImportPlan:
    """Pair entries with orders and decide each row's action."""
    decisions = decisions or Decisions()
    people = {e.index: _person(e, decisions) for e in draft.entries}
    added = _additions(draft.entries, people, decisions)
    adds_to = {more: base for base, mores in added.items() for more in mores}
    entries = [e for e in draft.entries if e.index not in adds_to]
    winners, losers = _duplicates(entries, people, decisions)
    paired = _pair(draft, people, decisions)
    for more in adds_to:  # its items go to the order of the line it adds to
        paired.pop(more, None)
    for loser, winner in losers.items():  # the winning line takes over its person's order
        if loser in paired and winner not in paired:
            paired[winner] = paired.pop(loser)
    # `刘 5-302 取消`: her order goes the way of a vanished entry (cancelled once confirmed).
    withdrawn = {
        paired.pop(e.index).order_id
        for e in draft.entries
        if e.index in paired and any(code_of(r) == "entry.withdrawn" for r in e.problems)
    }
    rows = [
        _added_row(entry, people[entry.index], draft.entries[adds_to[entry.index]])
        if entry.index in adds_to
        else _row(draft, _with_more(entry, [draft.entries[i] for i in added.get(entry.index, [])]),
                  people[entry.index], paired.get(entry.index), decisions, winners, losers)
        for entry in draft.entries
    ]  # fmt: skip
    for base, mores in added.items():
        seqs = _("、").join(str(draft.entries[i].seq) for i in mores)
        note = _("加上了第 {seqs} 条再加的").format(seqs=seqs)
        rows[base] = replace(rows[base], reasons=(*rows[base].reasons, note))
    removed = _removed(draft, paired)
    rows += [_removal(draft, order, decisions, order.order_id in withdrawn) for order in removed]
    return ImportPlan(tuple(rows), len(winners), len(removed))


def _person(entry: ImportEntry, decisions: Decisions) -> tuple[str, int | None]:
    """(member status, member id) once the leader's pick is applied."""
    if entry.index in decisions.members:
        chosen = decisions.members[entry.index]
        return (MATCHED, chosen) if chosen is not None else (NEW, None)
    return entry.match.status, entry.match.member_id


def _identity(entry: ImportEntry, person: tuple[str, int | None]) -> object | None:
    status, member_id = person
    if status == MATCHED:
        return member_id
    if status == NEW:
        return ("new", core_name(entry.parsed.name), entry.parsed.room)
    return None


def _duplicates(
    entries: list[ImportEntry], people: dict[int, tuple[str, int | None]], decisions: Decisions
) -> tuple[dict[int, int], dict[int, int]]:
    """Same person more than once: winner index → first index, loser index → winner index."""
    groups: dict[object, list[int]] = defaultdict(list)
    for entry in entries:
        key = _identity(entry, people[entry.index])
        if key is not None and entry.index not in decisions.skipped:
            groups[key].append(entry.index)
    winners: dict[int, int] = {}
    losers: dict[int, int] = {}
    for indexes in groups.values():
        if len(indexes) < 2:
            continue
        winner = indexes[-1] if decisions.later_wins else indexes[0]
        winners[winner] = indexes[0] if winner != indexes[0] else indexes[-1]
        losers.update({i: winner for i in indexes if i != winner})
    return winners, losers


def _additions(
    entries: list[ImportEntry], people: dict[int, tuple[str, int | None]], decisions: Decisions
) -> dict[int, list[int]]:
    """A person's first line → their later lines that add to it (`王姐 3-1202 再加橄榄油1`):
    more of something on top of what they ordered, not a second thought replacing it."""
    first: dict[object, int] = {}
    added: dict[int, list[int]] = defaultdict(list)
    for entry in entries:
        key = _identity(entry, people[entry.index])
        if key is None or entry.index in decisions.skipped:
            continue
        adds = bool(_MORE_RE.search(entry.parsed.raw)) and not entry.problems and entry.items
        if adds and key in first:
            added[first[key]].append(entry.index)
        elif key not in first and not adds:
            first[key] = entry.index
    return dict(added)


def _with_more(entry: ImportEntry, more: list[ImportEntry]) -> ImportEntry:
    """`entry` with the items of the lines that add to it."""
    if not more:
        return entry
    items: dict[object, ImportItem] = {}
    for n, item in enumerate(i for e in [entry, *more] for i in e.items):
        slot: object = item.key if item.key is not None else n
        if slot in items:
            kept = items[slot]
            item = replace(kept, qty=kept.qty + item.qty)
        items[slot] = item
    return replace(entry, items=tuple(items.values()))


def _added_row(entry: ImportEntry, person: tuple[str, int | None], base: ImportEntry) -> PlannedRow:
    """A line adding to its person's earlier one: applied with it, on its order."""
    parsed = entry.parsed
    reason = _("加到第 {seq} 条（同一个人再加的）").format(seq=base.seq)
    return PlannedRow(
        entry, parsed.seq, parsed.name, parsed.room, entry.items, parsed.note, parsed.raw,
        person[0], person[1], UNCHANGED, None, False, (reason,), None, parsed.teams, base.index,
    )  # fmt: skip


def _pair(
    draft: ImportDraft, people: dict[int, tuple[str, int | None]], decisions: Decisions
) -> dict[int, ExistingOrder]:
    """Entry index → the existing order it stands for."""
    by_seq = {order.seq: order for order in draft.existing}
    taken: set[int] = set()
    paired: dict[int, ExistingOrder] = {}
    for entry in draft.entries:  # same number, same member
        order = by_seq.get(entry.seq)
        member_id = people[entry.index][1]
        if order is not None and member_id == order.member_id:
            paired[entry.index] = order
            taken.add(order.order_id)
    by_member: dict[int, list[ExistingOrder]] = defaultdict(list)
    for order in draft.existing:
        if order.order_id not in taken:
            by_member[order.member_id].append(order)
    for entry in draft.entries:  # renumbered: the member's unpaired order
        member_id = people[entry.index][1]
        if entry.index in paired or member_id is None or not by_member.get(member_id):
            continue
        order = by_member[member_id].pop(0)
        paired[entry.index] = order
        taken.add(order.order_id)
    for entry in draft.entries:  # unclear who: keep the order on its number from "removal"
        order = by_seq.get(entry.seq)
        unclear = entry.index not in paired and people[entry.index][0] in (AMBIGUOUS, MISSING)
        if unclear and order is not None and order.order_id not in taken:
            paired[entry.index] = order
            taken.add(order.order_id)
    return paired


def _row(
    draft: ImportDraft,
    entry: ImportEntry,
    person: tuple[str, int | None],
    order: ExistingOrder | None,
    decisions: Decisions,
    winners: dict[int, int],
    losers: dict[int, int],
) -> PlannedRow:
    status, member_id = person
    reasons = list(entry.problems)
    if status == AMBIGUOUS:
        reasons.append(_("不确定是哪位团员：{note}").format(note=entry.match.note))
    action, order_id = _action(draft, entry, order, status)
    if entry.index in losers:
        action, order_id = UNCHANGED, None  # its person's line that wins is the one applied
    if order is not None and order.member_id != member_id and status in (AMBIGUOUS, MISSING):
        order_id = None  # only protected from removal, never changed, until the leader picks
    duplicate_of = losers.get(entry.index, winners.get(entry.index))
    if entry.index in losers:
        other = draft.entries[losers[entry.index]].seq
        reasons.append(_("同一个人接了两次，以第 {seq} 条为准").format(seq=other))
    elif entry.index in winners:
        other = draft.entries[winners[entry.index]].seq
        reasons.append(_("同一个人接了两次（还有第 {seq} 条）").format(seq=other))
    if member_id is not None and member_id in draft.elsewhere and action == ADD:
        group, number = draft.elsewhere[member_id]
        reasons.append(
            _("在{group}也接了（第 {seq} 条），看看是不是重复了").format(
                group=group_label(group), seq=number
            )
        )
    if order is not None and order.status != OrderStatus.ACTIVE and action == UNCHANGED:
        reasons.append(_("这一条已经取消了，导入不会恢复它"))
    blocked = bool(entry.problems) or status in (AMBIGUOUS, MISSING)
    applies = not blocked and entry.index not in decisions.skipped and entry.index not in losers
    if entry.index in decisions.skipped:
        reasons.insert(0, _("已跳过"))
    if status == NEW and entry.match.note:
        reasons.append(entry.match.note)
    reasons += entry.warnings
    parsed = entry.parsed
    return PlannedRow(
        entry, parsed.seq, parsed.name, parsed.room, entry.items, parsed.note, parsed.raw,
        status, member_id, action, order_id, applies, tuple(dict.fromkeys(reasons)),
        duplicate_of, parsed.teams,
    )  # fmt: skip


def _action(
    draft: ImportDraft, entry: ImportEntry, order: ExistingOrder | None, status: str
) -> tuple[str, int | None]:
    if order is None:
        return ADD, None
    if order.status != OrderStatus.ACTIVE:
        return UNCHANGED, order.order_id  # the leader cancelled it: never brought back silently
    wanted: dict[int, int] = defaultdict(int)
    for item in entry.items:
        if item.key is not None and item.key in draft.key_to_item:
            wanted[draft.key_to_item[item.key]] += item.qty
    same = dict(wanted) == order.lines and entry.parsed.note.strip() == order.note.strip()
    return (UNCHANGED if same else UPDATE), order.order_id


def _removed(draft: ImportDraft, paired: dict[int, ExistingOrder]) -> list[ExistingOrder]:
    """Active orders no entry stands for, numbered within the copy (later ones are newer)."""
    if not draft.entries:
        return []
    last = max(entry.seq for entry in draft.entries)
    kept = {order.order_id for order in paired.values()}
    return [
        order
        for order in draft.existing
        if order.status == OrderStatus.ACTIVE and order.order_id not in kept and order.seq <= last
    ]


def _removal(
    draft: ImportDraft, order: ExistingOrder, decisions: Decisions, withdrawn: bool = False
) -> PlannedRow:
    items = tuple(
        ImportItem(str(item_id), draft.item_names.get(str(item_id)), "", qty, None)
        for item_id, qty in order.lines.items()
    )
    if withdrawn:
        reason = (
            _("群里这一条写了取消")
            if decisions.cancel_removed
            else _("群里这一条写了取消：确认后才会取消")
        )
    else:
        reason = (
            _("群里的接龙里没有这一条了")
            if decisions.cancel_removed
            else _("群里的接龙里没有这一条了：确认后才会取消")
        )
    return PlannedRow(
        None, order.seq, order.nickname, order.room or None, items, order.note, order.raw,
        MATCHED, order.member_id, REMOVE, order.order_id, decisions.cancel_removed, (reason,),
    )  # fmt: skip


def import_report(
    draft: ImportDraft,
    plan: ImportPlan,
    *,
    chain_id: int | None,
    errors: dict[int, str] | None = None,
) -> dict[str, Any]:
    """The JSON document of `tuan chain import --json` (its shape is documented in the README).

    `{"chain": {"id", "title", "group"}, "entries": [...], "unparsed": [...], "summary": {...}}`;
    `orders` refused (see `errors`) is `review` and is not counted in the summary.
    """
    errors = errors or {}
    entries = [
        {
            "seq": row.seq,
            "name": row.name,
            "room": row.room,
            "items": [{"item": i.name, "qty": i.qty, "unit": i.unit} for i in row.items],
            "note": row.note,
            "raw": row.raw,
            "status": EntryStatus.REVIEW if n in errors else row.status,
            "action": row.action,
            "reasons": [*row.reasons, *([errors[n]] if n in errors else [])],
            "teams": [{"team": t.team_name, "new": t.new} for t in row.teams],
        }
        for n, row in enumerate(plan.rows)
    ]
    return {
        "chain": {"id": chain_id, "title": draft.title, "group": draft.group},
        "entries": entries,
        "unparsed": [line.as_dict() for line in draft.unparsed],
        "summary": plan.summary(set(errors)),
    }
