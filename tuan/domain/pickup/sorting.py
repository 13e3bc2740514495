"""The sorting list (分拣单): what to pack for one chain at its pickup point.

Totals per product, the same per building (so goods can be staged by building), the first-N
gifts to put in the right bags, and how many handwritten thank-you cards to write (one per order).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

from tuan.domain.pickup.checklist import ChainProduct, CheckRow, PickupChain, household_key
from tuan.i18n import _, ngettext


@dataclass
class BuildingTotals:
    """One building's share of the goods."""

    building: str
    orders: int = 0
    qty: Counter[str] = field(default_factory=Counter)

    @property
    def label(self) -> str:
        """`3号楼`, or `未填楼栋` for members without one."""
        if not self.building:
            return _("未填楼栋")
        if self.building.isdigit():
            return _("{b}号楼").format(b=self.building)
        if len(self.building) == 1 and self.building.isascii() and self.building.isalpha():
            return _("{b}座").format(b=self.building)  # a tower named by a letter: B座
        return self.building


@dataclass(frozen=True)
class GiftPack:
    """A gift to put in one order's bag (the first-N buyers of a flash sale)."""

    seq: int
    nickname: str
    room: str
    item: str
    gift: str
    number: int | str = 0  # as the leader knows it: `3`, or `二群 3`


@dataclass
class SortingList:
    """Everything to pack for a chain."""

    chain: PickupChain
    products: list[str]
    totals: Counter[str]
    left: Counter[str]
    buildings: list[BuildingTotals]
    gifts: list[GiftPack]
    cards: int

    @property
    def gift_totals(self) -> Counter[str]:
        """How many of each gift to have ready."""
        return Counter(g.gift for g in self.gifts)

    @property
    def pieces(self) -> int:
        """Pieces to pack in all."""
        return sum(self.totals.values())


def sorting_list(
    chain: PickupChain, products: list[ChainProduct], rows: list[CheckRow]
) -> SortingList:
    """Build the sorting list from the chain's checklist rows (active orders only)."""
    totals: Counter[str] = Counter()
    left: Counter[str] = Counter()
    buildings: dict[str, BuildingTotals] = {}
    gifts: list[GiftPack] = []
    for row in sorted(rows, key=household_key):
        share = buildings.setdefault(row.building, BuildingTotals(row.building))
        share.orders += 1
        for line in row.lines:
            totals[line.name] += line.qty
            left[line.name] += max(line.qty - line.collected, 0)
            share.qty[line.name] += line.qty
            if line.gift:
                pack = GiftPack(row.seq, row.nickname, row.room_label, line.name, line.gift)
                gifts.append(replace(pack, number=row.number_cell))
    names = [p.label for p in products]
    names += [name for name in totals if name not in names]
    return SortingList(
        chain=chain,
        products=names,
        totals=totals,
        left=left,
        buildings=list(buildings.values()),
        gifts=sorted(gifts, key=lambda g: g.seq),
        cards=len(rows),
    )


def sorting_text(sheet: SortingList, *, title: bool = True) -> list[str]:
    """The sorting list as plain lines (for TXT export and the terminal)."""
    lines = []
    if title:
        lines.append(_("分拣单：{title}").format(title=sheet.chain.title))
        if sheet.chain.point:
            lines.append(_("自提点：{point}").format(point=sheet.chain.point))
        lines.append("")
    lines.append(
        ngettext("【商品合计】共 {n} 件", "【商品合计】共 {n} 件", sheet.pieces).format(
            n=sheet.pieces
        )
    )
    lines += [
        _("  {name}  ×{qty}（待领 {left}）").format(
            name=name, qty=sheet.totals[name], left=sheet.left[name]
        )
        for name in sheet.products
        if sheet.totals[name]
    ]
    lines += ["", _("【按楼栋】")]
    for share in sheet.buildings:
        items = "  ".join(f"{n}×{share.qty[n]}" for n in sheet.products if share.qty[n])
        line = ngettext("  {b}（{n} 单）：{items}", "  {b}（{n} 单）：{items}", share.orders)
        lines.append(line.format(b=share.label, n=share.orders, items=items))
    lines += ["", _("【赠品】")]
    if not sheet.gifts:
        lines.append(_("  本次没有赠品"))
    for gift, count in sheet.gift_totals.items():
        lines.append(_("  {gift} ×{n}").format(gift=gift, n=count))
    lines += [
        _("  第{seq}号 {name} {room}：{gift}（随{item}）").format(
            seq=str(g.number), name=g.nickname, room=g.room, gift=g.gift, item=g.item
        )
        for g in sheet.gifts
    ]
    lines += ["", _("【感谢卡】{n} 张（每单一张）").format(n=sheet.cards)]
    return lines
