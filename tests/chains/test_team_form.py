"""拼团 fields of the chain form: what is refused (nothing saved), what is only warned about,
an edit that moves the teams, and the next period's copy carrying the settings."""

from __future__ import annotations

import pytest

from tests.chains.team_fixtures import line_prices, make_team_shop, order, team_form
from tuan.db import Database
from tuan.domain.chains.copy import copy_chain
from tuan.domain.chains.edit import (
    ChainFormError,
    ItemForm,
    edit_context,
    item_warnings,
    save_chain,
    validate_chain_form,
)
from tuan.domain.shared.teams import chain_teams
from tuan.models import ChainItem


def _refusal(size: str, price: str) -> dict[str, str]:
    form = team_form()
    form.items[0].team_size, form.items[0].team_price = size, price
    with pytest.raises(ChainFormError) as caught:
        validate_chain_form(form)
    return {k: v for k, v in caught.value.errors.items() if k.startswith("items.0.team")}


@pytest.mark.parametrize(
    ("size", "price", "expected"),
    [
        ("1", "79", {"items.0.team_size": "成团人数至少 2 人：1（不拼团请留空）"}),
        ("0", "79", {"items.0.team_size": "成团人数至少 2 人：0（不拼团请留空）"}),
        ("三五个", "79", {"items.0.team_size": "成团人数至少 2 人：三五个（不拼团请留空）"}),
        ("100", "79", {"items.0.team_size": "成团人数最多 99 人：100"}),
        ("3", "79.999", {"items.0.team_price": "金额最多两位小数：79.999"}),
        ("3", "0", {"items.0.team_price": "团购价要大于 0：0"}),
        ("3", "-5", {"items.0.team_price": "金额不能为负数：-5"}),
        ("3", "", {"items.0.team_price": "拼团要填团购价，例如 79（不拼团请把成团人数也清空）"}),
        ("", "79", {"items.0.team_size": "拼团要填成团人数，例如 3（不拼团请把团购价也清空）"}),
    ],
)
def test_bad_team_fields_are_refused_beside_the_field(
    size: str, price: str, expected: dict[str, str]
) -> None:
    assert _refusal(size, price) == expected


def test_a_refused_team_field_saves_nothing(db: Database) -> None:
    shop = make_team_shop(db)
    with db.session() as s:
        form = edit_context(s, shop.chain).form
    form.items[0].team_size = "1"
    with pytest.raises(ChainFormError), db.transaction() as s:
        save_chain(s, form, shop.chain)
    with db.session() as s:
        rice = s.get(ChainItem, shop.rice)
        assert rice is not None and (rice.team_size, rice.team_price_cents) == (3, 7900)


@pytest.mark.parametrize("team_price", ["89", "99"])
def test_a_team_price_not_below_the_price_is_warned_about_but_saved(team_price: str) -> None:
    row = ItemForm(name="大米", price="89", team_size="3", team_price=team_price)
    warning = item_warnings(row)["team_price"]
    assert f"团购价 ¥{team_price} 不比单买价 ¥89 便宜" in warning
    assert item_warnings(ItemForm(name="大米", price="89", team_size="3", team_price="79")) == {}
    form = team_form()
    form.items[0].team_price = team_price
    draft = validate_chain_form(form)
    assert draft.items[0].team_price_cents == int(team_price) * 100


def test_the_form_shows_and_keeps_the_team_fields(db: Database) -> None:
    shop = make_team_shop(db)
    with db.session() as s:
        rows = edit_context(s, shop.chain).form.items
    assert [(r.team_size, r.team_price) for r in rows] == [("3", "79"), ("2", "49"), ("", "")]


def test_editing_the_team_size_moves_the_teams_and_their_prices(db: Database) -> None:
    shop = make_team_shop(db)
    with db.transaction() as s:
        a = order(s, shop, "王阿姨", {shop.rice: 1}).id or 0
        order(s, shop, "李叔", {shop.rice: 1})
    with db.session() as s:
        form = edit_context(s, shop.chain).form
    form.items[0].team_size = "2"  # two people now make a team: the open team is full
    with db.transaction() as s:
        save_chain(s, form, shop.chain)
        assert line_prices(s, a) == {shop.rice: 7900}
        assert [t.status for t in chain_teams(s, shop.chain)] == ["formed"]
    form.items[0].team_size, form.items[0].team_price = "", ""  # not a team item any more
    with db.transaction() as s:
        save_chain(s, form, shop.chain)
        assert line_prices(s, a) == {shop.rice: 8900}
        assert chain_teams(s, shop.chain) == []


def test_the_next_period_keeps_the_team_settings_and_no_teams(db: Database) -> None:
    shop = make_team_shop(db)
    with db.transaction() as s:
        order(s, shop, "王阿姨", {shop.rice: 1})
        made = copy_chain(s, shop.chain).chain.id or 0
    with db.session() as s:
        rows = edit_context(s, made).form.items
        assert chain_teams(s, made) == []
    assert [(r.name, r.team_size, r.team_price) for r in rows] == [
        ("大米", "3", "79"), ("花生油", "2", "49"), ("鸡蛋", "", "")
    ]  # fmt: skip
