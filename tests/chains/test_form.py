"""The chain form: bad input refused beside its field, good input saved; typed dates read."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlmodel import col, select

from tests.chains.fixtures import make_shop, shop_form
from tuan.db import Database
from tuan.domain.chains.edit import (
    ChainFormError,
    ItemForm,
    edit_context,
    save_chain,
    validate_chain_form,
)
from tuan.domain.chains.entries import EntryDraft, save_entry
from tuan.domain.shared.orders import LineRequest
from tuan.domain.shared.when import WhenError, parse_span, parse_when
from tuan.models import Chain, ChainItem, PickupPoint

CST = datetime.fromisoformat("2026-11-26T10:00:00+08:00").tzinfo


def errors_of(form) -> dict[str, str]:
    with pytest.raises(ChainFormError) as refused:
        validate_chain_form(form)
    return refused.value.errors


def test_a_good_form_reads_prices_limits_and_times() -> None:
    draft = validate_chain_form(shop_form())
    olive, linseed, kit = draft.items
    assert (olive.price_cents, olive.original_price_cents, olive.limit, olive.stock) == (
        8900,
        12800,
        3,
        50,
    )
    assert (linseed.limit, linseed.stock) == (None, None)  # blank: no limit, unlimited
    assert kit.aliases == ("套装",)
    assert draft.deadline == datetime(2026, 11, 28, 20, 0, tzinfo=CST)
    assert draft.pickup_end == datetime(2026, 11, 29, 21, 0, tzinfo=CST)


def test_each_problem_is_reported_beside_its_field() -> None:
    form = shop_form(title="   ")
    form.deadline = "11-20 20:00"  # already past at the frozen clock (11-26)
    form.items[0].price = "八十九"
    form.items[1].aliases = "橄榄油"  # already the olive oil's short name
    form.items[2].limit = "0"
    form.items[2].stock = "-5"
    errors = errors_of(form)
    assert "标题不能为空" in errors["title"]
    assert "已经过了" in errors["deadline"]
    assert "看不懂的金额" in errors["items.0.price"]
    assert "简称「橄榄油」和第 1 个商品重复" in errors["items.1.aliases"]
    assert "大于 0" in errors["items.2.limit"]
    assert "大于 0" in errors["items.2.stock"]


def test_short_name_may_not_be_another_products_name_and_codes_are_unique() -> None:
    form = shop_form()
    form.items[2].aliases = "冷榨亚麻籽油"
    form.items[2].code = "a"
    errors = errors_of(form)
    assert "第 2 个商品" in errors["items.2.aliases"]
    assert "编号 A" in errors["items.2.code"]


def test_a_chain_needs_a_product_and_blank_rows_are_ignored() -> None:
    form = shop_form()
    form.items = [ItemForm(), ItemForm()]
    assert "至少要有一个商品" in errors_of(form)["items"]
    form = shop_form()
    form.items.append(ItemForm())
    assert len(validate_chain_form(form).items) == 3


def test_save_creates_chain_items_and_pickup_point(db: Database) -> None:
    shop = make_shop(db)
    with db.session() as session:
        chain = session.get(Chain, shop.chain)
        assert chain is not None
        point = session.get(PickupPoint, chain.pickup_point_id)
        assert point is not None
        items = session.exec(
            select(ChainItem)
            .where(col(ChainItem.chain_id) == shop.chain)
            .order_by(col(ChainItem.position))
        ).all()
    assert chain.title == "绿源生活｜第1期 冷榨油团" and chain.status == "open"
    assert (point.name, point.address) == ("3号楼门口", "阳光花园3号楼大堂")
    assert [(i.code, i.name, i.aliases) for i in items][2] == ("C", "健康厨房入门套装", "套装")
    make_shop(db, title="第2期")  # the same pickup point is reused, not duplicated
    with db.session() as session:
        assert len(session.exec(select(PickupPoint)).all()) == 1


def test_editing_keeps_items_and_refuses_less_stock_than_sold(db: Database) -> None:
    shop = make_shop(db)
    with db.transaction() as session:
        draft = EntryDraft(
            shop.members["王阿姨3-1202"], None, (LineRequest(shop.items["套装"], 2),)
        )
        save_entry(session, shop.chain, draft)
    with db.session() as session:
        context = edit_context(session, shop.chain)
    form = context.form
    assert form.deadline == "2026-11-28 20:00" and form.items[0].price == "89"
    form.items[2].stock = "1"
    with db.transaction() as session, pytest.raises(ChainFormError) as refused:
        save_chain(session, form, shop.chain)
    assert "不能少于已售的 2 件" in refused.value.errors["items.2.stock"]
    form.items[2].stock = "12"
    form.items[2].price = "239"
    with db.transaction() as session:
        save_chain(session, form, shop.chain)
    with db.session() as session:
        kit = session.get(ChainItem, shop.items["套装"])
    assert kit is not None and (kit.stock, kit.price_cents) == (12, 23900)


def test_a_product_that_sold_cannot_be_removed(db: Database) -> None:
    shop = make_shop(db)
    with db.transaction() as session:
        draft = EntryDraft(shop.members["小李5-601"], None, (LineRequest(shop.items["橄榄油"], 1),))
        save_entry(session, shop.chain, draft)
    with db.session() as session:
        form = edit_context(session, shop.chain).form
    form.items = form.items[1:]
    with db.transaction() as session, pytest.raises(ChainFormError) as refused:
        save_chain(session, form, shop.chain)
    assert "冷榨橄榄油" in refused.value.errors["items"]


def test_a_past_deadline_may_stay_when_editing_an_old_chain(db: Database) -> None:
    shop = make_shop(db)
    with db.transaction() as session:
        chain = session.get(Chain, shop.chain)
        assert chain is not None
        chain.deadline = datetime(2026, 11, 20, 20, 0, tzinfo=CST)
    with db.session() as session:
        context = edit_context(session, shop.chain)
    validate_chain_form(context.form, old_deadline=context.old_deadline, sold=context.sold)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2026-11-28 20:00", datetime(2026, 11, 28, 20, 0)),
        ("11-28 20:00", datetime(2026, 11, 28, 20, 0)),
        ("11/28 8:30", datetime(2026, 11, 28, 8, 30)),
        ("11月28日 周六 20点", datetime(2026, 11, 28, 20, 0)),
        ("１１－２８　２０：００", datetime(2026, 11, 28, 20, 0)),
        ("明天 18:30", datetime(2026, 11, 27, 18, 30)),
        ("晚上8点", None),
        ("01-05 10:00", datetime(2027, 1, 5, 10, 0)),  # January after a November "today"
        ("11-28", datetime(2026, 11, 28, 20, 0)),  # a deadline without a time closes at 20:00
        # As chains say it (today is Thursday 2026-11-26):
        ("今晚8点", datetime(2026, 11, 26, 20, 0)),
        ("明晚8点半", datetime(2026, 11, 27, 20, 30)),
        ("明天中午12点", datetime(2026, 11, 27, 12, 0)),
        ("明天中午1点", datetime(2026, 11, 27, 13, 0)),
        ("周日晚8点", datetime(2026, 11, 29, 20, 0)),
        ("星期四 18:00", datetime(2026, 11, 26, 18, 0)),  # today is a Thursday
        ("周一上午10点", datetime(2026, 11, 30, 10, 0)),
        ("今晚", datetime(2026, 11, 26, 20, 0)),
    ],
)
def test_typed_dates(typed: str, expected: datetime | None) -> None:
    if expected is None:
        with pytest.raises(WhenError):
            parse_when(typed)
    else:
        assert parse_when(typed) == expected.replace(tzinfo=CST)


def test_pickup_windows() -> None:
    start, end = parse_span("11-29 09:00-21:00")
    assert end is not None and (start.hour, end.hour, end.day) == (9, 21, 29)
    start, end = parse_span("11-29 9点 至 11-30 12点")
    assert end is not None and (start.day, end.day, end.hour) == (29, 30, 12)
    with pytest.raises(WhenError, match="晚于"):
        parse_span("11-29 18:00-09:00")


def test_pickup_windows_as_chains_write_them() -> None:
    start, end = parse_span("11-29 上午9点-11点")  # 点 before the dash
    assert end is not None and (start.hour, end.hour) == (9, 11)
    start, end = parse_span("11-29 下午3-6点")  # 下午 holds for both ends
    assert end is not None and (start.hour, end.hour) == (15, 18)
