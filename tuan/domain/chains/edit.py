"""Creating and editing a chain from what the leader typed into its form.

The form hands over text exactly as typed (`ChainForm`); `validate_chain_form` reads it and
collects every problem, keyed by field, so the form can show each reason beside its field:
empty title, unreadable price, deadline in the past, zero or negative limit and stock, a short
name two products share. `save_chain` validates against the database too (an item that already
sold cannot be dropped or get less stock than it sold) and writes the chain, its pickup point and
its items in the caller's transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from tuan import clock
from tuan.domain.chains.listing import STATUS_LABELS, chain_items
from tuan.domain.chains.team_fields import read_team, team_warning
from tuan.domain.shared.errors import DomainError
from tuan.domain.shared.money import MoneyError, format_money, parse_money
from tuan.domain.shared.payments import settle_paid
from tuan.domain.shared.states import ChainStatus
from tuan.domain.shared.teams import item_changed
from tuan.domain.shared.text import cn_to_int, to_halfwidth
from tuan.domain.shared.when import (
    WhenError,
    format_input,
    format_span_input,
    parse_span,
    parse_when,
)
from tuan.i18n import _
from tuan.models import Chain, ChainItem, OrderLine, PickupPoint

MAX_TITLE = 60
MAX_COUNT = 99_999  # stock and limits: a larger number is a typo (and would overflow storage)
#: Longest text per field (the chain text and the lists have to show it).
MAX_LENGTHS = {
    "description": 2000, "pickup_point": 40, "pickup_address": 100, "name": 40, "spec": 20,
    "aliases": 60,
}  # fmt: skip
_ALIAS_SPLIT_RE = re.compile(r"[\s,，、;；/]+")  # i18n-keep: input grammar


@dataclass
class ItemForm:
    """One product row of the form, as typed (`id` is set for an item that already exists)."""

    id: int | None = None
    name: str = ""
    spec: str = ""
    price: str = ""
    original: str = ""
    limit: str = ""
    stock: str = ""
    aliases: str = ""
    code: str = ""
    cost: str = ""  # 成本价, optional
    team_size: str = ""  # 拼团 成团人数, optional
    team_price: str = ""  # 拼团 团购价, with team_size

    def is_blank(self) -> bool:
        """An untouched row, which the form may carry and saving ignores."""
        typed = (self.name, self.spec, self.price, self.original, self.limit, self.stock,
                 self.cost, self.team_size, self.team_price)  # fmt: skip
        return self.id is None and not any(v.strip() for v in (*typed, self.aliases, self.code))


@dataclass
class ChainForm:
    """The chain form, as typed."""

    title: str = ""
    description: str = ""
    status: str = ChainStatus.OPEN
    deadline: str = ""
    pickup_point: str = ""
    pickup_address: str = ""
    pickup_time: str = ""
    items: list[ItemForm] = field(default_factory=list)


@dataclass(frozen=True)
class ItemDraft:
    """A product row, read and checked."""

    id: int | None
    name: str
    spec: str
    price_cents: int | None  # None: still unknown (an imported product left without a price)
    original_price_cents: int | None
    limit: int | None
    stock: int | None
    aliases: tuple[str, ...]
    code: str
    cost_cents: int | None = None
    team_size: int | None = None
    team_price_cents: int | None = None


@dataclass(frozen=True)
class ChainDraft:
    """The whole form, read and checked."""

    title: str
    description: str
    status: str
    deadline: datetime | None
    pickup_point: str
    pickup_address: str
    pickup_start: datetime | None
    pickup_end: datetime | None
    items: tuple[ItemDraft, ...]


class ChainFormError(DomainError, ValueError):
    """The form was refused; `errors` maps each field key to its reason.

    Keys: `title`, `status`, `deadline`, `pickup_time`, `items`, and `items.N.FIELD` for product
    row N (0-based) and FIELD one of name, price, original, cost, limit, stock, aliases, code,
    team_size, team_price.
    `field` is the first of them.
    """

    code = "chain.form"

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(_("；").join(errors.values()), next(iter(errors), None))
        self.errors = errors


def validate_chain_form(
    form: ChainForm,
    *,
    old_deadline: datetime | None = None,
    sold: dict[int, int] | None = None,
    old_pickup: datetime | None = None,
    unpriced: set[int] | None = None,
) -> ChainDraft:
    """Read the form; raise `ChainFormError` listing every problem.

    Args:
        form: What was typed.
        old_deadline: The saved deadline when editing: keeping a past one is allowed.
        sold: Units sold per existing item id (stock may not drop below them).
        old_pickup: The saved pickup start when editing: keeping a past window is allowed.
        unpriced: Existing item ids whose price is not known yet: their price may stay empty.
    """
    errors: dict[str, str] = {}
    title = " ".join(form.title.split())
    if not title:
        errors["title"] = _("标题不能为空：请写上这一期团购的名字")
    elif len(title) > MAX_TITLE:
        errors["title"] = _("标题太长（最多 {n} 个字）").format(n=MAX_TITLE)
    _length(form.description, "description", "description", errors, _("说明"))
    for name in ("pickup_point", "pickup_address"):
        _length(getattr(form, name), name, name, errors)
    if form.status not in STATUS_LABELS:
        errors["status"] = _("不认识的状态：{status}").format(status=form.status)
    deadline = _deadline(form.deadline, old_deadline, errors)
    start, end = _pickup(form.pickup_time, old_pickup, errors)
    items = _items(form.items, sold or {}, errors, unpriced or set())
    if errors:
        raise ChainFormError(errors)
    return ChainDraft(
        title=title,
        description=form.description.strip(),
        status=form.status,
        deadline=deadline,
        pickup_point=" ".join(form.pickup_point.split()),
        pickup_address=form.pickup_address.strip(),
        pickup_start=start,
        pickup_end=end,
        items=items,
    )


def _deadline(text: str, old: datetime | None, errors: dict[str, str]) -> datetime | None:
    if not text.strip():
        return None
    try:
        moment = parse_when(text)
    except WhenError as exc:
        errors["deadline"] = str(exc)
        return None
    unchanged = old is not None and format_input(old) == format_input(moment)
    if moment <= clock.now() and not unchanged:
        message = _("截止时间已经过了：{when}，请填以后的时间")
        errors["deadline"] = message.format(when=format_input(moment))
    return moment


def _pickup(
    text: str, old: datetime | None, errors: dict[str, str]
) -> tuple[datetime | None, datetime | None]:
    if not text.strip():
        return None, None
    try:
        start, end = parse_span(text)
    except WhenError as exc:
        errors["pickup_time"] = str(exc)
        return None, None
    unchanged = old is not None and format_input(old) == format_input(start)
    if (end or start) <= clock.now() and not unchanged:
        message = _("自提时间已经过了：{when}，请填以后的时间")
        errors["pickup_time"] = message.format(when=format_span_input(start, end))
    return start, end


def _items(
    rows: list[ItemForm], sold: dict[int, int], errors: dict[str, str], unpriced: set[int]
) -> tuple[ItemDraft, ...]:
    drafts: list[ItemDraft] = []
    for index, row in enumerate(rows):
        if row.is_blank():
            continue
        unknown = row.id is not None and row.id in unpriced
        draft = _item(row, f"items.{index}", sold.get(row.id or 0, 0), errors, unknown)
        if draft is not None:
            drafts.append(draft)
    if not any(not row.is_blank() for row in rows):
        errors["items"] = _("至少要有一个商品")
    _check_names(rows, errors)
    return tuple(drafts)


def _item(
    row: ItemForm, key: str, sold: int, errors: dict[str, str], unknown: bool = False
) -> ItemDraft | None:
    """One product row; `unknown`: its price is not known yet and may stay empty."""
    before = len(errors)
    name = " ".join(row.name.split())
    if not name:
        errors[f"{key}.name"] = _("商品名不能为空")
    for field_name in ("name", "spec", "aliases"):
        _length(getattr(row, field_name), field_name, f"{key}.{field_name}", errors)
    price = _money(row.price, f"{key}.price", errors, required=not unknown)
    original = _money(row.original, f"{key}.original", errors, required=False)
    cost = _money(row.cost, f"{key}.cost", errors, required=False)
    limit = _count(row.limit, f"{key}.limit", errors, _("每人限购"))
    stock = _count(row.stock, f"{key}.stock", errors, _("库存"))
    team_size, team_price = read_team(row.team_size, row.team_price, key, errors)
    if stock is not None and stock < sold:
        message = _("库存不能少于已售的 {sold} 件")
        errors[f"{key}.stock"] = message.format(sold=sold)
    code = to_halfwidth(row.code).strip().upper()
    if code and not (len(code) == 1 and "A" <= code <= "Z"):
        errors[f"{key}.code"] = _("编号是一个字母，例如 A、B；也可以留空")
    if len(errors) > before or (price is None and not unknown):
        return None
    return ItemDraft(row.id, name, " ".join(row.spec.split()), price, original, limit, stock,
                     split_aliases(row.aliases), code, cost, team_size, team_price)  # fmt: skip


def item_warnings(row: ItemForm) -> dict[str, str]:
    """What the form warns about but saves anyway, keyed by field: a price below the cost price,
    a team price not below the price."""
    warnings = team_warning(row.price, row.team_price)
    try:
        price, cost = parse_money(row.price), parse_money(row.cost)
    except MoneyError:
        return warnings  # blank or unreadable: the refusal (if any) says it
    if price >= cost:
        return warnings
    message = _("价格低于成本价 {cost}，每件亏 {loss}")
    loss = message.format(cost=format_money(cost), loss=format_money(cost - price))
    return {"price": loss, **warnings}


def _length(text: str, field_name: str, key: str, errors: dict[str, str], label: str = "") -> None:
    limit = MAX_LENGTHS[field_name]
    if len(text.strip()) > limit:
        message = _("太长了（{n} 个字），最多 {limit} 个字")
        errors[key] = label + message.format(n=len(text.strip()), limit=limit)


def _money(text: str, key: str, errors: dict[str, str], *, required: bool) -> int | None:
    if not text.strip() and not required:
        return None
    try:
        return parse_money(text)
    except MoneyError as exc:
        errors[key] = str(exc)
        return None


def _count(text: str, key: str, errors: dict[str, str], label: str) -> int | None:
    """A positive whole number, or None for blank (no limit / unlimited stock)."""
    norm = to_halfwidth(text).strip().removesuffix("件").strip()  # i18n-keep: input grammar
    if not norm:
        return None
    value = cn_to_int(norm.lstrip("+"))
    if value is None or norm.startswith("-") or value <= 0:
        message = _("{label}必须是大于 0 的整数：{text}（不限请留空）")
        errors[key] = message.format(label=label, text=text.strip())
        return None
    if value > MAX_COUNT:
        message = _("{label}最多 {max}：{text}（不限请留空）")
        errors[key] = message.format(label=label, max=MAX_COUNT, text=text.strip())
        return None
    return value


def split_aliases(text: str) -> tuple[str, ...]:
    """`套装 入门套装，厨房套装` → each short name once, in the order typed."""
    words = (w.strip() for w in _ALIAS_SPLIT_RE.split(to_halfwidth(text)))
    return tuple(dict.fromkeys(w for w in words if w))


def _check_names(rows: list[ItemForm], errors: dict[str, str]) -> None:
    """Every name with its spec, short name and code must point at one product only."""
    full_names: dict[str, int] = {}
    short_names: dict[str, int] = {}
    codes: dict[str, int] = {}
    bare: dict[str, set[int]] = {}
    kept = [(index, row) for index, row in enumerate(rows) if not row.is_blank()]
    for index, row in kept:
        name = " ".join(row.name.split()).lower()
        bare.setdefault(name, set()).add(index)
        full = f"{name} {' '.join(row.spec.split()).lower()}".strip()
        if name and full_names.setdefault(full, index) != index:
            message = _("和第 {n} 个商品同名同规格").format(n=full_names[full] + 1)
            errors.setdefault(f"items.{index}.name", message)
        code = to_halfwidth(row.code).strip().upper()
        if code and codes.setdefault(code, index) != index:
            message = _("编号 {code} 和第 {n} 个商品重复").format(code=code, n=codes[code] + 1)
            errors.setdefault(f"items.{index}.code", message)
    for index, row in kept:
        for alias in (a.lower() for a in split_aliases(row.aliases)):
            others = sorted(bare.get(alias, set()) - {index})
            if not others and short_names.setdefault(alias, index) != index:
                others = [short_names[alias]]
            if others:
                message = _("简称「{alias}」和第 {n} 个商品重复")
                errors.setdefault(
                    f"items.{index}.aliases", message.format(alias=alias, n=others[0] + 1)
                )


@dataclass(frozen=True)
class EditContext:
    """A saved chain's form, and what checking an edit needs: its deadline and what sold."""

    form: ChainForm
    old_deadline: datetime | None
    sold: dict[int, int]
    old_pickup: datetime | None = None


def edit_context(session: Session, chain_id: int) -> EditContext:
    """The form for editing a saved chain, filled the way the leader would type it.

    Raises:
        ChainFormError: no chain has this id (key `chain`).
    """
    chain = session.get(Chain, chain_id)
    if chain is None:
        raise ChainFormError({"chain": _("找不到接龙 {id}").format(id=chain_id)})
    point = session.get(PickupPoint, chain.pickup_point_id) if chain.pickup_point_id else None
    rows = chain_items(session, chain_id)
    items = [
        ItemForm(
            id=item.id,
            name=item.name,
            spec=item.spec,
            price=_plain(item.price_cents if item.price_known else None),
            original=_plain(item.original_price_cents),
            cost=_plain(item.cost_cents),
            limit=str(item.limit_per_person or ""),
            stock="" if item.stock is None else str(item.stock),
            aliases=item.aliases,
            code=item.code,
            team_size=str(item.team_size or ""),
            team_price=_plain(item.team_price_cents),
        )
        for item in rows
    ]
    form = ChainForm(
        title=chain.title,
        description=chain.description,
        status=chain.status,
        deadline=format_input(chain.deadline),
        pickup_point=point.name if point else "",
        pickup_address=point.address if point else "",
        pickup_time=format_span_input(chain.pickup_start, chain.pickup_end),
        items=items,
    )
    return EditContext(form, chain.deadline, {row.id: row.sold for row in rows}, chain.pickup_start)


def _plain(cents: int | None) -> str:
    from tuan.domain.shared.money import format_plain

    return "" if cents is None else format_plain(cents)


def save_chain(session: Session, form: ChainForm, chain_id: int | None = None) -> Chain:
    """Create (or, with `chain_id`, update) a chain from its form; flushed, not committed.

    Raises:
        ChainFormError: anything the form or the saved orders refuse.
    """
    chain = session.get(Chain, chain_id) if chain_id is not None else Chain(title="")
    if chain is None:
        raise ChainFormError({"chain": _("找不到接龙 {id}").format(id=chain_id)})
    rows = chain_items(session, chain_id) if chain_id else []
    sold = {row.id: row.sold for row in rows}
    unpriced = {row.id for row in rows if not row.price_known}
    draft = validate_chain_form(
        form, old_deadline=chain.deadline, sold=sold, old_pickup=chain.pickup_start,
        unpriced=unpriced,
    )  # fmt: skip
    if chain_id is not None:
        _check_removals(session, chain_id, draft)
    chain.title, chain.description, chain.status = draft.title, draft.description, draft.status
    chain.deadline = draft.deadline
    chain.pickup_start, chain.pickup_end = draft.pickup_start, draft.pickup_end
    chain.pickup_point_id = _pickup_point_id(session, draft)
    session.add(chain)
    session.flush()
    _write_items(session, chain.id or 0, draft)
    return chain


def _check_removals(session: Session, chain_id: int, draft: ChainDraft) -> None:
    kept = {item.id for item in draft.items if item.id is not None}
    errors: dict[str, str] = {}
    for item in session.exec(select(ChainItem).where(col(ChainItem.chain_id) == chain_id)):
        if item.id in kept:
            continue
        used = session.exec(select(func.count()).where(col(OrderLine.item_id) == item.id)).one()
        if used:
            message = _("「{name}」已经有人买了，不能删除；不想再卖可以把库存改成已售数量")
            errors["items"] = message.format(name=item.name)
    if errors:
        raise ChainFormError(errors)


def _pickup_point_id(session: Session, draft: ChainDraft) -> int | None:
    if not draft.pickup_point:
        return None
    point = session.exec(
        select(PickupPoint).where(col(PickupPoint.name) == draft.pickup_point)
    ).first()
    if point is None:
        point = PickupPoint(name=draft.pickup_point, address=draft.pickup_address)
    elif draft.pickup_address:
        point.address = draft.pickup_address
    session.add(point)
    session.flush()
    return point.id


def _write_items(session: Session, chain_id: int, draft: ChainDraft) -> None:
    existing = {
        item.id: item
        for item in session.exec(select(ChainItem).where(col(ChainItem.chain_id) == chain_id))
    }
    kept = set()
    for position, row in enumerate(draft.items):
        item = existing.get(row.id) if row.id is not None else None
        item = item or ChainItem(chain_id=chain_id, name=row.name, price_cents=row.price_cents or 0)
        item.position, item.code, item.name, item.spec = position, row.code, row.name, row.spec
        if row.price_cents is not None and not item.price_known and item.id is not None:
            _price_taken_orders(session, item.id, row.price_cents)
        item.price_known = row.price_cents is not None
        item.price_cents, item.original_price_cents = row.price_cents or 0, row.original_price_cents
        item.limit_per_person, item.stock = row.limit, row.stock
        item.cost_cents = row.cost_cents
        item.aliases = " ".join(row.aliases)
        team = (item.team_size, item.team_price_cents, item.price_cents)
        item.team_size, item.team_price_cents = row.team_size, row.team_price_cents
        session.add(item)
        if item.id is not None and team != (
            item.team_size,
            item.team_price_cents,
            item.price_cents,
        ):
            session.flush()
            item_changed(session, item)  # its teams follow the new size or prices
        kept.add(item.id)
    for item_id, item in existing.items():
        if item_id not in kept:
            session.delete(item)
    session.flush()


def _price_taken_orders(session: Session, item_id: int, price_cents: int) -> None:
    """The price of an item imported without one is set: the orders taken meanwhile get it.

    Until then its order lines hold 0 cents (`price_known` false); a flash-sale line has its
    own price and keeps it.
    """
    session.execute(
        update(OrderLine)
        .where(col(OrderLine.item_id) == item_id, col(OrderLine.flash_sale_id).is_(None))
        .values(unit_price_cents=price_cents)
    )
    taken = list(session.exec(select(OrderLine.order_id).where(col(OrderLine.item_id) == item_id)))
    item = session.get(ChainItem, item_id)
    if item is not None:
        item.price_known = True  # what settling reads: these orders' amounts are known now
        session.add(item)
    settle_paid(session, taken)  # paid if what was received covers the price now known


def pickup_points(session: Session) -> list[tuple[str, str]]:
    """Saved pickup points (name, address), for the form's suggestions."""
    rows = session.exec(select(PickupPoint.name, PickupPoint.address).order_by(col(PickupPoint.id)))
    return [(name, address) for name, address in rows]
