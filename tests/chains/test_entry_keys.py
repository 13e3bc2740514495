"""Fewer keys in the entry form: the kit by its initials (`tz1`), a member picked by one digit
when a name fits several, and an entry for a known member in 8 keys or fewer."""

from __future__ import annotations

from sqlmodel import col, select
from textual.widgets import Input, OptionList, Static

from tests.chains.fixtures import make_shop
from tests.helpers import settle
from tuan.db import Database
from tuan.domain.chains.entries import read_lines
from tuan.domain.chains.listing import chain_items
from tuan.models import Order, OrderLine
from tuan.tui.app import TuanApp


def _entries(db: Database, chain: int) -> list[tuple[int, int, int]]:
    """(member, item, qty) of the chain's order lines, in order."""
    with db.session() as s:
        rows = s.exec(
            select(Order.member_id, OrderLine.item_id, OrderLine.qty)
            .join(Order, col(Order.id) == col(OrderLine.order_id))
            .where(col(Order.chain_id) == chain)
            .order_by(col(OrderLine.id))
        ).all()
        return [(m, i, q) for m, i, q in rows]


def test_the_form_reads_initials_and_menu_letters(db: Database) -> None:
    shop = make_shop(db)
    with db.session() as s:
        items = chain_items(s, shop.chain)
    reading = read_lines("tz1 gly2 B1", items)
    assert reading.problems == ()
    assert [(line.item_id, line.qty) for line in reading.lines] == [
        (shop.items["套装"], 1),
        (shop.items["橄榄油"], 2),
        (shop.items["亚麻籽油"], 1),
    ]


async def _open_form(app: TuanApp, pilot) -> None:
    await settle(app, pilot, rounds=4)
    await pilot.press("2")
    await settle(app, pilot, rounds=4)
    await pilot.press("enter")  # the chain's entries
    await settle(app, pilot, rounds=4)
    await pilot.press("a")
    await settle(app, pilot, rounds=4)
    assert type(app.screen).__name__ == "EntryFormScreen"


async def _keys(app: TuanApp, pilot, keys: list[str]) -> None:
    """Press each key, letting the member search answer between them as a person would."""
    for key in keys:
        await pilot.press(key)
        await settle(app, pilot)


async def test_a_known_members_entry_takes_seven_keys(db: Database) -> None:
    shop = make_shop(db)
    app = TuanApp(db.target)
    async with app.run_test(size=(140, 40)) as pilot:
        await _open_form(app, pilot)
        keys = ["x", "l", "enter", "t", "z", "1", "ctrl+s"]  # xl⏎ tz1, saved
        await _keys(app, pilot, keys)
        assert len(keys) + 1 <= 8, "with the a that opened the form"
        assert type(app.screen).__name__ == "ChainEntriesScreen"
        assert _entries(db, shop.chain) == [(shop.members["小李5-601"], shop.items["套装"], 1)]


async def test_one_digit_picks_among_members_of_the_same_initials(db: Database) -> None:
    shop = make_shop(db)
    app = TuanApp(db.target)
    async with app.run_test(size=(140, 40)) as pilot:
        await _open_form(app, pilot)
        await _keys(app, pilot, ["w", "a", "y"])
        options = app.screen.query_one("#member-options", OptionList)
        shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert shown[:2] == ["1 王阿姨  3-1202", "2 王阿姨  7-101"]
        hint = str(app.screen.query_one("#member-chosen", Static).content)
        assert "按数字选一位" in hint
        await _keys(app, pilot, ["2"])  # one key: the second 王阿姨
        assert app.screen.query_one("#member-query", Input).value == "way"
        assert app.focused is not None and app.focused.id == "items"
        assert "王阿姨 7-101" in str(app.screen.query_one("#member-chosen", Static).content)
        await _keys(app, pilot, ["t", "z", "1", "ctrl+s"])
        assert _entries(db, shop.chain) == [(shop.members["王阿姨7-101"], shop.items["套装"], 1)]


async def test_a_room_keeps_its_digits(db: Database) -> None:
    shop = make_shop(db)
    app = TuanApp(db.target)
    async with app.run_test(size=(140, 40)) as pilot:
        await _open_form(app, pilot)
        await _keys(app, pilot, [*"王阿姨 7-101"])  # after a space, 7 is not a pick
        assert app.screen.query_one("#member-query", Input).value == "王阿姨 7-101"
        assert app.focused is not None and app.focused.id == "member-query"
        app.screen.query_one("#member-query", Input).value = ""
        await _keys(app, pilot, [*"7-101", "enter", *"A1", "ctrl+s"])
        assert _entries(db, shop.chain) == [(shop.members["王阿姨7-101"], shop.items["橄榄油"], 1)]
