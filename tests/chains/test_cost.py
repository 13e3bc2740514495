"""The cost price (成本价) of a chain item: optional, refused beside its field when unreadable,
and a price below it is warned about (beside the price) but saved."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select
from textual.widgets import Input, Static

from tests.chains.fixtures import shop_form
from tests.helpers import settle
from tuan.db import Database, open_database
from tuan.domain.chains.edit import (
    ChainFormError,
    ItemForm,
    edit_context,
    item_warnings,
    save_chain,
)
from tuan.models import Chain, ChainItem


def test_cost_is_optional_saved_and_read_back_for_editing(db: Database) -> None:
    form = shop_form()
    form.items[0].cost = "52.5"
    with db.transaction() as s:
        chain_id = save_chain(s, form).id
    with db.session() as s:
        items = s.exec(
            select(ChainItem)
            .where(col(ChainItem.chain_id) == chain_id)
            .order_by(col(ChainItem.position))
        ).all()
        again = edit_context(s, chain_id or 0).form
    assert [i.cost_cents for i in items] == [5250, None, None]
    assert [row.cost for row in again.items] == ["52.5", "", ""]


@pytest.mark.parametrize(
    ("typed", "said"),
    [("52.555", "两位小数"), ("-5", "负数"), ("五十", "看不懂的金额")],
)
def test_a_bad_cost_is_refused_beside_it_and_nothing_is_saved(
    db: Database, typed: str, said: str
) -> None:
    form = shop_form()
    form.items[1].cost = typed
    with pytest.raises(ChainFormError) as refused, db.transaction() as s:
        save_chain(s, form)
    assert said in refused.value.errors["items.1.cost"]
    assert list(refused.value.errors) == ["items.1.cost"]
    with db.session() as s:
        assert s.exec(select(Chain)).first() is None


def test_a_price_below_cost_is_a_warning_not_a_refusal() -> None:
    row = ItemForm(name="冷榨橄榄油", price="89", cost="95")
    assert item_warnings(row) == {"price": "价格低于成本价 ¥95，每件亏 ¥6"}
    assert item_warnings(ItemForm(name="x", price="89", cost="89")) == {}
    assert item_warnings(ItemForm(name="x", price="89")) == {}
    assert item_warnings(ItemForm(name="x", price="89", cost="abc")) == {}


async def _new_chain_with_cost(app: Any, pilot: Any, cost: str) -> None:
    """Open a new chain's form (2, n) with one item: 冷榨橄榄油 at ¥89 and this cost."""
    await settle(app, pilot, rounds=4)
    await pilot.press("2")
    await settle(app, pilot, rounds=4)
    await pilot.press("n")
    await settle(app, pilot, rounds=4)
    app.screen.query_one("#title", Input).value = "第1期 冷榨油团"
    app.screen.query(".item-name").first(Input).value = "冷榨橄榄油"
    app.screen.query(".item-price").first(Input).value = "89"
    app.screen.query(".item-cost").first(Input).value = cost


async def test_the_form_warns_beside_the_price_and_still_saves(tmp_path: Path) -> None:
    from tuan.tui.app import TuanApp

    path = tmp_path / "tuan.db"
    open_database(path).close()
    app = TuanApp(str(path))
    async with app.run_test(size=(140, 40)) as pilot:
        await _new_chain_with_cost(app, pilot, "95")
        await settle(app, pilot, rounds=4)
        warning = app.screen.query(".row-warning").first(Static)
        assert "价格低于成本价 ¥95" in str(warning.render())
        assert app.screen.query(".item-price").first(Input).has_class("-warning")
        app.screen.query(".item-cost").first(Input).value = "60"
        await settle(app, pilot, rounds=4)
        assert str(warning.render()) == "" and warning.has_class("-empty")
        app.screen.query(".item-cost").first(Input).value = "95"
        await pilot.press("ctrl+s")
        await settle(app, pilot, rounds=4)
        assert type(app.screen).__name__ != "ChainFormScreen", "saved despite the warning"
    database = open_database(path)
    with database.session() as s:
        (item,) = s.exec(select(ChainItem)).all()
    database.close()
    assert (item.price_cents, item.cost_cents) == (8900, 9500)


async def test_the_form_refuses_a_bad_cost_beside_it(tmp_path: Path) -> None:
    from tuan.tui.app import TuanApp

    path = tmp_path / "tuan.db"
    open_database(path).close()
    app = TuanApp(str(path))
    async with app.run_test(size=(140, 40)) as pilot:
        await _new_chain_with_cost(app, pilot, "1.234")
        await pilot.press("ctrl+s")
        await settle(app, pilot, rounds=4)
        assert type(app.screen).__name__ == "ChainFormScreen", "nothing saved"
        assert app.screen.query(".item-cost").first(Input).has_class("-invalid")
        said = str(app.screen.query(".row-error").first(Static).render())
        assert "成本价" in said and "两位小数" in said
    database = open_database(path)
    with database.session() as s:
        assert s.exec(select(Chain)).first() is None
    database.close()
